//! LSP text synchronisation: arbitrary `didChange` sequences (ranges past
//! the end, reversed, inside line breaks or surrogate pairs; full-text
//! replacements) against a `Document`. Its line index must stay the one
//! its text gives, and each edit must land where an independent, naive reading of
//! the LSP rules (0-based lines ended by `\n`, `\r\n` or `\r`; UTF-16
//! columns clamped to the line's content) puts it.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mcp_config_lsp::document::{Document, Position};

#[derive(Arbitrary, Debug)]
struct Input {
    initial: String,
    changes: Vec<Change>,
}

#[derive(Arbitrary, Debug)]
enum Change {
    Range {
        start: (u8, u8),
        end: (u8, u8),
        text: String,
    },
    Full(String),
    Probe(u16),
}

/// Byte offset of an LSP position, computed the slow and obvious way.
fn naive_offset(text: &str, pos: Position) -> usize {
    let bytes = text.as_bytes();
    let mut line_start = 0;
    let mut line = 0;
    while line < pos.line {
        let Some(i) = bytes[line_start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
        else {
            return text.len();
        };
        let mut next = line_start + i + 1;
        if bytes[line_start + i] == b'\r' && bytes.get(next) == Some(&b'\n') {
            next += 1;
        }
        line_start = next;
        line += 1;
    }
    let content_end = bytes[line_start..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(text.len(), |i| line_start + i);
    let mut units = 0usize;
    let mut offset = line_start;
    for c in text[line_start..content_end].chars() {
        units += c.len_utf16();
        if units > pos.character as usize {
            break;
        }
        offset += c.len_utf8();
    }
    offset
}

fuzz_target!(|input: Input| {
    let mut doc = Document::new(input.initial.clone(), 0);
    let mut model = input.initial;
    for (version, change) in input.changes.into_iter().take(64).enumerate() {
        match change {
            Change::Range { start, end, text } => {
                let start = Position::new(u32::from(start.0), u32::from(start.1));
                let end = Position::new(u32::from(end.0), u32::from(end.1));
                let (a, b) = (naive_offset(&model, start), naive_offset(&model, end));
                assert_eq!(doc.offset_of(start), a, "offset of {start:?} in {model:?}");
                let (a, b) = if a <= b { (a, b) } else { (b, a) };
                model.replace_range(a..b, &text);
                doc.apply_change(start, end, &text);
            }
            Change::Full(text) => {
                model = text.clone();
                doc.replace_all(text, version as i32);
            }
            Change::Probe(at) => {
                let offset = usize::from(at) % (model.len() + 1);
                let pos = doc.position_of(offset);
                let back = doc.offset_of(pos);
                assert!(back <= offset, "{offset} -> {pos:?} -> {back}");
                let _ = doc.line_col(offset);
                let _ = doc.line_text(pos.line as usize);
            }
        }
        assert_eq!(doc.text(), model);
        assert!(doc.index_matches_text(), "line index and text differ");
    }
});
