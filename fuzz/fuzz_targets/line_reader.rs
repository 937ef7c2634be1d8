//! The stdio transport's line splitter and stderr tail, on arbitrary bytes
//! in arbitrary chunks: complete lines come out exactly as a one-pass split
//! of the whole stream says, over-long lines are reported once with a
//! prefix of the real line, and memory stays within the caps.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mcp_config_lsp::launch::{LineEvent, LineReader, TailBuffer};

#[derive(Arbitrary, Debug)]
struct Input {
    max_line: u16,
    tail_cap: u16,
    chunks: Vec<Vec<u8>>,
}

fuzz_target!(|input: Input| {
    let max_line = usize::from(input.max_line % 9000);
    let mut reader = LineReader::new(max_line);
    let mut tail = TailBuffer::new(usize::from(input.tail_cap));
    let mut events = Vec::new();
    let mut all = Vec::new();
    for chunk in &input.chunks {
        reader.feed(chunk, &mut events);
        tail.push(chunk);
        all.extend_from_slice(chunk);
        assert!(reader.pending().len() <= max_line, "pending beyond the cap");
    }
    let rest = reader.finish();

    // The reference: split the whole stream at `\n` in one go. An
    // unterminated last line shows up only when it is over-long (reported)
    // and is otherwise what `finish` returns.
    let mut lines: Vec<&[u8]> = all.split(|&b| b == b'\n').collect();
    let unterminated = lines.pop().unwrap_or(&[]);
    if unterminated.len() > max_line {
        lines.push(unterminated);
        assert!(
            rest.is_none(),
            "an over-long last line came back from finish"
        );
    } else {
        assert_eq!(rest.as_deref().unwrap_or(&[]), unterminated);
    }
    assert_eq!(events.len(), lines.len(), "one event per line");
    for (e, line) in events.iter().zip(&lines) {
        match e {
            LineEvent::Line(got) => {
                let want = line.strip_suffix(b"\r").unwrap_or(line);
                assert_eq!(got.as_slice(), want);
                assert!(line.len() <= max_line);
            }
            LineEvent::TooLong { prefix } => {
                assert!(line.len() > max_line);
                assert!(line.starts_with(prefix), "the prefix is not the line's");
                assert!(
                    prefix.len() <= 4096,
                    "the prefix is longer than TOO_LONG_PREFIX"
                );
            }
        }
    }

    let cap = usize::from(input.tail_cap);
    let want = &all[all.len().saturating_sub(cap)..];
    assert_eq!(tail.bytes(), want);
    assert_eq!(tail.total(), all.len() as u64);
    assert_eq!(tail.is_cut(), all.len() > want.len());
});
