//! Document text and position conversion.
//!
//! Analysis works in byte offsets; editors speak LSP positions (0-based line,
//! UTF-16 code units). Line breaks are `\n`, `\r\n` and `\r`, as LSP defines
//! them; Unicode line separators are not line breaks.
//!
//! Positions come from a line index beside the text (the byte offset where
//! each line starts), kept up to date by each edit, so a line is a binary
//! search and a column is counted within its line. Counting is bounded: on a
//! line longer than `LONG_LINE` (a minified file) columns come from running
//! totals taken every `CHUNK` bytes, built when first needed, so thousands
//! of findings on one long line stay linear.

use crate::finding::Span;
use std::sync::OnceLock;

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
    text: String,
    version: i32,
    /// Byte offset of each line's start; the first is 0. Four bytes each: a
    /// document over 4 GiB (which nothing sends) is indexed up to there,
    /// its later lines read as part of the last line indexed.
    line_starts: Vec<u32>,
    /// Running totals for long lines, built on first use after each edit.
    totals: OnceLock<Totals>,
}

/// Columns on a line up to this many bytes are counted directly.
const LONG_LINE: usize = 4096;
/// Distance between two running totals.
const CHUNK: usize = 256;

/// UTF-16 units and characters in the text before every `CHUNK`-th byte.
/// Counted per byte (a continuation byte adds nothing, the lead byte of a
/// 4-byte character two UTF-16 units), so a total is right at any byte,
/// character boundary or not.
#[derive(Clone, Debug, Default)]
struct Totals {
    utf16: Vec<usize>,
    chars: Vec<usize>,
}

/// Where the lines of a text start, built apart from its `Document` so
/// that a big file can be indexed on one core while it is analysed on
/// another.
pub struct LineIndex {
    starts: Vec<u32>,
    /// The length of the text indexed, which `Document::indexed` checks.
    len: usize,
}

impl LineIndex {
    pub fn of(text: &str) -> Self {
        Self {
            starts: line_starts(text),
            len: text.len(),
        }
    }
}

impl Document {
    pub fn new(text: impl Into<String>, version: i32) -> Self {
        let text = text.into();
        let index = LineIndex::of(&text);
        Self::indexed(text, version, index)
    }

    /// A document with the index of its text, built beforehand; an index of
    /// another text is not used (the text is indexed again).
    pub fn indexed(text: String, version: i32, index: LineIndex) -> Self {
        let index = if index.len == text.len() {
            index
        } else {
            LineIndex::of(&text)
        };
        Self {
            line_starts: index.starts,
            text,
            version,
            totals: OnceLock::new(),
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
        *self = Self::new(text, version);
    }

    /// Apply one incremental change. Positions outside the document are clamped
    /// (as LSP asks: a character past the line end means the line end), and a
    /// reversed range is read in order, so a confused client cannot corrupt us.
    pub fn apply_change(&mut self, start: Position, end: Position, new_text: &str) {
        let (a, b) = (self.offset_of(start), self.offset_of(end));
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.text.replace_range(a..b, new_text);
        self.totals = OnceLock::new();
        // Whether offset p starts a line depends on the bytes at p - 1 and p
        // only, so starts before `a` stand, starts in a..=b are found again
        // in the new text, and starts after `b` move by the change in length.
        let bytes = self.text.as_bytes();
        let end = a + new_text.len();
        let first = self
            .line_starts
            .partition_point(|&s| (s as usize) < a.max(1));
        let last = self.line_starts.partition_point(|&s| s as usize <= b);
        let found = (a.max(1)..=end)
            .filter(|&p| starts_line(bytes, p))
            .map_while(indexable);
        let moved = self.line_starts[last..]
            .iter()
            .map_while(|&s| indexable(s as usize - b + end))
            .collect::<Vec<_>>();
        self.line_starts.truncate(first);
        self.line_starts.extend(found);
        self.line_starts.extend(moved);
    }

    pub fn set_version(&mut self, version: i32) {
        self.version = version;
    }

    /// Byte offset → LSP position. Offsets inside a character or past the end are clamped.
    pub fn position_of(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(&self.text, offset);
        let line = self.line_of(offset);
        let col = self.count(self.start(line), offset, Unit::Utf16);
        Position::new(to_u32(line), to_u32(col))
    }

    /// LSP position → byte offset, clamped to the line's content and the document.
    pub fn offset_of(&self, pos: Position) -> usize {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return self.text.len();
        }
        let start = self.start(line);
        let end = self.content_end(line);
        // Skip whole chunks on a long line, then walk the characters; a
        // position in the middle of a surrogate pair rounds down to its start.
        let mut at = start;
        let mut left = pos.character as usize;
        if end - start > LONG_LINE {
            let target = self.total(start, Unit::Utf16) + left;
            let totals = &self.totals().utf16;
            let chunk = totals.partition_point(|&u| u <= target).saturating_sub(1);
            at = floor_char_boundary(&self.text, (chunk * CHUNK).clamp(start, end));
            left = target - self.total(at, Unit::Utf16);
        }
        for c in self.text[at..end].chars() {
            let units = c.len_utf16();
            if units > left {
                break;
            }
            left -= units;
            at += c.len_utf8();
        }
        at
    }

    pub fn range_of(&self, span: Span) -> (Position, Position) {
        (self.position_of(span.start), self.position_of(span.end))
    }

    /// 1-based line and 1-based column counted in characters, for terminal output.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset);
        let line = self.line_of(offset);
        let col = self.count(self.start(line), offset, Unit::Char);
        (line + 1, col + 1)
    }

    /// The text of a 0-based line without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        if line >= self.line_starts.len() {
            return "";
        }
        &self.text[self.start(line)..self.content_end(line)]
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Whether the line index is the one the text gives (checked by tests and the fuzzer).
    #[doc(hidden)]
    pub fn index_matches_text(&self) -> bool {
        self.line_starts == line_starts(&self.text)
    }

    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1)
    }

    fn start(&self, line: usize) -> usize {
        self.line_starts[line] as usize
    }

    /// Where a line's content ends, before its line break.
    fn content_end(&self, line: usize) -> usize {
        let next = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |&s| s as usize);
        let bytes = &self.text.as_bytes()[self.start(line)..next];
        match bytes {
            [.., b'\r', b'\n'] => next - 2,
            [.., b'\n' | b'\r'] => next - 1,
            _ => next,
        }
    }

    /// Weighted count of the bytes in `from..to`, through the running totals
    /// when the stretch is long.
    fn count(&self, from: usize, to: usize, unit: Unit) -> usize {
        if to - from <= LONG_LINE {
            return unit.count(&self.text.as_bytes()[from..to]);
        }
        self.total(to, unit) - self.total(from, unit)
    }

    /// Units in the text before byte `at`, from the running totals.
    fn total(&self, at: usize, unit: Unit) -> usize {
        let totals = self.totals();
        let before = match unit {
            Unit::Utf16 => &totals.utf16,
            Unit::Char => &totals.chars,
        };
        let chunk = at / CHUNK;
        before[chunk] + unit.count(&self.text.as_bytes()[chunk * CHUNK..at])
    }

    fn totals(&self) -> &Totals {
        self.totals.get_or_init(|| {
            let mut t = Totals::default();
            let (mut utf16, mut chars) = (0, 0);
            for chunk in self.text.as_bytes().chunks(CHUNK) {
                t.utf16.push(utf16);
                t.chars.push(chars);
                utf16 += Unit::Utf16.count(chunk);
                chars += Unit::Char.count(chunk);
            }
            t.utf16.push(utf16);
            t.chars.push(chars);
            t
        })
    }
}

/// Byte offsets where lines start: 0, and after every `\n`, `\r\n` or lone `\r`.
fn line_starts(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    // Room for lines of 32 bytes on average, so that typical files (`~/.claude.json`
    // averages about 50) never copy the index as it grows.
    let mut starts = Vec::with_capacity(text.len() / 32 + 1);
    starts.push(0);
    starts.extend(
        memchr::memchr2_iter(b'\n', b'\r', bytes)
            .map(|i| i + 1)
            .filter(|&p| starts_line(bytes, p))
            .map_while(indexable),
    );
    starts
}

/// An offset as the line index keeps it, if it fits.
fn indexable(offset: usize) -> Option<u32> {
    u32::try_from(offset).ok()
}

/// Whether a line starts at `p` (> 0): after `\n`, or after a `\r` not followed by `\n`.
fn starts_line(bytes: &[u8], p: usize) -> bool {
    match bytes[p - 1] {
        b'\n' => true,
        b'\r' => bytes.get(p) != Some(&b'\n'),
        _ => false,
    }
}

/// What a column counts: UTF-16 code units (LSP) or characters (terminals).
#[derive(Clone, Copy)]
enum Unit {
    Utf16,
    Char,
}

impl Unit {
    /// Units in a run of bytes, counted per byte: a continuation byte adds
    /// nothing, the lead byte of a 4-byte character two UTF-16 units (a
    /// surrogate pair), any other byte one.
    fn count(self, bytes: &[u8]) -> usize {
        let continuation = |b: u8| (0x80..=0xBF).contains(&b);
        match self {
            Unit::Utf16 => bytes
                .iter()
                .map(|&b| usize::from(!continuation(b)) + usize::from(b >= 0xF0))
                .sum(),
            Unit::Char => bytes.iter().filter(|&&b| !continuation(b)).count(),
        }
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
    fn incremental_changes_keep_the_line_index_in_step() {
        let mut doc = Document::new("{\n  \"a\": 1\n}", 1);
        doc.apply_change(Position::new(1, 7), Position::new(1, 8), "\"日本\"");
        assert_eq!(doc.text(), "{\n  \"a\": \"日本\"\n}");
        // Reversed and out-of-range positions are clamped, not trusted.
        doc.apply_change(Position::new(7, 0), Position::new(2, 0), "");
        assert_eq!(doc.text(), "{\n  \"a\": \"日本\"\n");
        assert_eq!(doc.line_text(1), "  \"a\": \"日本\"");
    }

    #[test]
    fn an_index_built_apart_is_used_only_for_its_own_text() {
        let text = "{\n  \"a\": 1\r\n}\r";
        let doc = Document::indexed(text.to_string(), 3, LineIndex::of(text));
        assert!(doc.index_matches_text());
        assert_eq!(doc.position_of(text.len()), Position::new(3, 0));
        // The index of another text (a file that changed between the two
        // reads, say) is not trusted: the text is indexed again.
        let doc = Document::indexed(text.to_string(), 3, LineIndex::of("{}"));
        assert!(doc.index_matches_text());
        assert_eq!(doc.position_of(text.len()), Position::new(3, 0));
        assert_eq!(doc.version(), 3);
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
                prop_assert!(doc.index_matches_text(), "index of {:?}", doc.text);
            }
        }

        /// Minified files: one line of thousands of characters, where columns
        /// come from the running totals rather than counting from the line start.
        #[test]
        fn long_lines_count_like_the_slow_way(
            text in "(a|é|日|😀){1500,3000}(\n|\r\n|\r)(a|é|😀){0,1200}",
            picks in proptest::collection::vec(0usize..20_000, 8),
        ) {
            let doc = Document::new(text.clone(), 0);
            for pick in picks {
                let offset = floor_char_boundary(&text, pick);
                let bytes = text.as_bytes();
                if offset > 0 && bytes[offset - 1] == b'\r' && bytes.get(offset) == Some(&b'\n') {
                    continue; // inside a "\r\n": the end of its line (see the round trip above)
                }
                let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                let before = &text[line_start..offset];
                let pos = doc.position_of(offset);
                prop_assert_eq!(pos.character as usize, before.encode_utf16().count());
                prop_assert_eq!(doc.line_col(offset).1, before.chars().count() + 1);
                prop_assert_eq!(doc.offset_of(pos), offset);
            }
            // A column in the middle of a surrogate pair rounds down; past the end clamps.
            let first_line = doc.line_text(0);
            let end = doc.offset_of(Position::new(0, u32::MAX));
            prop_assert_eq!(end, first_line.len());
        }
    }

    proptest! {
        /// Edits on a minified line: positions after each edit are those of
        /// the same text opened afresh (running totals made for the old text
        /// must not survive an edit).
        #[test]
        fn edits_on_a_long_line_answer_as_the_text_opened_afresh(
            ops in proptest::collection::vec((0u32..3, 0u32..6000, 0u32..3, 0u32..6000, "(x|é|😀|\n|\r\n){0,3}"), 1..8),
            probes in proptest::collection::vec(0usize..12_000, 4),
        ) {
            let mut doc = Document::new("aé😀".repeat(1500) + "\nz", 0);
            for (l1, c1, l2, c2, ins) in ops {
                doc.apply_change(Position::new(l1, c1), Position::new(l2, c2), &ins);
                let fresh = Document::new(doc.text().to_string(), 0);
                prop_assert!(doc.index_matches_text());
                for &at in &probes {
                    let pos = doc.position_of(at);
                    prop_assert_eq!(pos, fresh.position_of(at));
                    prop_assert_eq!(doc.offset_of(pos), fresh.offset_of(pos));
                    prop_assert_eq!(doc.line_col(at), fresh.line_col(at));
                }
            }
        }
    }

    #[test]
    fn a_change_that_joins_or_splits_a_crlf_moves_the_line_starts() {
        let mut doc = Document::new("a\rb\nc", 0);
        // "\r" + inserted "\n" is one line break: "b" is no longer its own line start.
        doc.apply_change(Position::new(1, 0), Position::new(1, 0), "\n");
        assert_eq!(doc.text(), "a\r\nb\nc");
        assert_eq!(doc.line_count(), 3);
        assert!(doc.index_matches_text());
        // Deleting the "\n" of a "\r\n" leaves a lone "\r", still a break.
        doc.apply_change(Position::new(0, 1), Position::new(1, 0), "\r");
        assert!(doc.index_matches_text());
        assert_eq!(doc.line_text(1), "b");
    }
}
