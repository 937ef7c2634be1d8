//! Document text and position conversion.
//!
//! Analysis works in byte offsets; editors speak LSP positions (0-based line,
//! UTF-16 code units). Line breaks are `\n`, `\r\n` and `\r`, as LSP defines them
//! (ropey is built without its Unicode line breaks for that reason).

use crate::finding::Span;
use ropey::Rope;

/// A position as LSP counts it: 0-based line and UTF-16 code units into the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

impl Position {
    pub const fn new(line: u32, character: u32) -> Self {
        Self { line, character }
    }
}

#[derive(Clone, Debug)]
pub struct Document {
    rope: Rope,
    text: String,
    version: i32,
}

impl Document {
    pub fn new(text: impl Into<String>, version: i32) -> Self {
        let text = text.into();
        Self {
            rope: Rope::from_str(&text),
            text,
            version,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Replace the whole text (full sync).
    pub fn replace_all(&mut self, text: String, version: i32) {
        self.rope = Rope::from_str(&text);
        self.text = text;
        self.version = version;
    }

    /// Apply one incremental change. Positions outside the document are clamped
    /// (as LSP asks: a character past the line end means the line end), and a
    /// reversed range is read in order, so a confused client cannot corrupt us.
    pub fn apply_change(&mut self, start: Position, end: Position, new_text: &str) {
        let (a, b) = (self.offset_of(start), self.offset_of(end));
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let (ca, cb) = (self.rope.byte_to_char(a), self.rope.byte_to_char(b));
        self.rope.remove(ca..cb);
        self.rope.insert(ca, new_text);
        self.text.replace_range(a..b, new_text);
    }

    pub fn set_version(&mut self, version: i32) {
        self.version = version;
    }

    /// Byte offset → LSP position. Offsets inside a character or past the end are clamped.
    pub fn position_of(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(&self.text, offset);
        let char_idx = self.rope.byte_to_char(offset);
        let line = self.rope.char_to_line(char_idx);
        let line_start = self.rope.line_to_char(line);
        let col = self.rope.char_to_utf16_cu(char_idx) - self.rope.char_to_utf16_cu(line_start);
        Position::new(to_u32(line), to_u32(col))
    }

    /// LSP position → byte offset, clamped to the line's content and the document.
    pub fn offset_of(&self, pos: Position) -> usize {
        let line = pos.line as usize;
        if line >= self.rope.len_lines() {
            return self.text.len();
        }
        let line_start_char = self.rope.line_to_char(line);
        let line_slice = self.rope.line(line);
        let content_chars = line_slice.len_chars() - line_ending_chars(&line_slice);
        let start_cu = self.rope.char_to_utf16_cu(line_start_char);
        let end_cu = self.rope.char_to_utf16_cu(line_start_char + content_chars);
        let target_cu = (start_cu + pos.character as usize).min(end_cu);
        // A position in the middle of a surrogate pair rounds down to the pair's start.
        let char_idx = self.rope.utf16_cu_to_char(target_cu);
        self.rope.char_to_byte(char_idx)
    }

    pub fn range_of(&self, span: Span) -> (Position, Position) {
        (self.position_of(span.start), self.position_of(span.end))
    }

    /// 1-based line and 1-based column counted in characters, for terminal output.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset);
        let char_idx = self.rope.byte_to_char(offset);
        let line = self.rope.char_to_line(char_idx);
        (line + 1, char_idx - self.rope.line_to_char(line) + 1)
    }

    /// The text of a 0-based line without its line ending.
    pub fn line_text(&self, line: usize) -> String {
        if line >= self.rope.len_lines() {
            return String::new();
        }
        let slice = self.rope.line(line);
        let keep = slice.len_chars() - line_ending_chars(&slice);
        slice.slice(..keep).to_string()
    }

    pub fn line_count(&self) -> usize {
        self.rope.len_lines()
    }

    /// Whether the rope and the text agree (checked by tests and the fuzzer).
    #[doc(hidden)]
    pub fn rope_matches_text(&self) -> bool {
        self.rope == self.text.as_str()
    }
}

fn line_ending_chars(line: &ropey::RopeSlice<'_>) -> usize {
    let n = line.len_chars();
    match (
        n.checked_sub(2).map(|i| line.char(i)),
        n.checked_sub(1).map(|i| line.char(i)),
    ) {
        (Some('\r'), Some('\n')) => 2,
        (_, Some('\n' | '\r')) => 1,
        _ => 0,
    }
}

/// The largest char boundary at or below `offset`, clamped to the text.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn multibyte_positions_count_utf16_units() {
        // "é" is 2 bytes/1 unit, "日" 3 bytes/1 unit, "😀" 4 bytes/2 units.
        let doc = Document::new("aé日😀x\r\nz", 0);
        let x = doc.text().find('x').unwrap();
        assert_eq!(doc.position_of(x), Position::new(0, 5));
        assert_eq!(doc.offset_of(Position::new(0, 5)), x);
        let z = doc.text().find('z').unwrap();
        assert_eq!(doc.position_of(z), Position::new(1, 0));
        // Past the end of a line clamps to its end, before "\r\n".
        assert_eq!(doc.offset_of(Position::new(0, 99)), x + 1);
        // Past the last line clamps to the end of the document.
        assert_eq!(doc.offset_of(Position::new(9, 0)), doc.len());
    }

    #[test]
    fn lone_carriage_return_is_a_line_break_but_unicode_separators_are_not() {
        let doc = Document::new("a\rb\u{2028}c", 0);
        assert_eq!(doc.line_count(), 2);
        let c = doc.text().find('c').unwrap();
        assert_eq!(doc.position_of(c), Position::new(1, 2));
    }

    #[test]
    fn incremental_changes_keep_rope_and_text_in_step() {
        let mut doc = Document::new("{\n  \"a\": 1\n}", 1);
        doc.apply_change(Position::new(1, 7), Position::new(1, 8), "\"日本\"");
        assert_eq!(doc.text(), "{\n  \"a\": \"日本\"\n}");
        // Reversed and out-of-range positions are clamped, not trusted.
        doc.apply_change(Position::new(7, 0), Position::new(2, 0), "");
        assert_eq!(doc.text(), "{\n  \"a\": \"日本\"\n");
        assert_eq!(doc.line_text(1), "  \"a\": \"日本\"");
    }

    proptest! {
        #[test]
        fn offsets_round_trip_through_positions(text in "(a|é|日|😀|\r\n|\n|\r| ){0,40}", pick in 0usize..200) {
            let doc = Document::new(text.clone(), 0);
            let offset = floor_char_boundary(&text, pick);
            let pos = doc.position_of(offset);
            // A position inside a line break maps back to the line end (LSP convention);
            // everywhere else the mapping is exact.
            let back = doc.offset_of(pos);
            let in_crlf = offset > 0 && text.as_bytes()[offset - 1] == b'\r' && text.as_bytes().get(offset) == Some(&b'\n');
            if !in_crlf {
                prop_assert_eq!(back, offset);
                prop_assert_eq!(doc.position_of(back), pos);
            }
        }

        #[test]
        fn random_edits_match_string_edits(ops in proptest::collection::vec((0u32..4, 0u32..8, 0u32..4, 0u32..8, "(x|é|😀|\n){0,3}"), 0..20)) {
            let mut doc = Document::new("ab\n日😀\r\nc", 0);
            for (l1, c1, l2, c2, ins) in ops {
                doc.apply_change(Position::new(l1, c1), Position::new(l2, c2), &ins);
                prop_assert_eq!(doc.rope.to_string(), doc.text.clone());
            }
        }
    }
}
