//! The SSE parser on arbitrary bytes in arbitrary chunks: the events (and
//! whether the size limit is hit) do not depend on where the chunks are
//! cut, and no event is larger than the limit.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mcp_config_lsp::launch::{SseEvent, SseParser};

#[derive(Arbitrary, Debug)]
struct Input {
    max_event: u16,
    chunks: Vec<Vec<u8>>,
}

fn run<'a>(max: usize, chunks: impl IntoIterator<Item = &'a [u8]>) -> (Vec<SseEvent>, bool) {
    let mut parser = SseParser::new(max);
    let mut events = Vec::new();
    for chunk in chunks {
        if parser.feed(chunk, &mut events).is_err() {
            return (events, true);
        }
    }
    parser.finish();
    (events, false)
}

fuzz_target!(|input: Input| {
    let max = usize::from(input.max_event);
    let (chunked, too_large) = run(max, input.chunks.iter().map(Vec::as_slice));
    let all: Vec<u8> = input.chunks.concat();
    let (whole, whole_too_large) = run(max, [all.as_slice()]);
    let bytewise: Vec<&[u8]> = all.chunks(1).collect();
    let (single, single_too_large) = run(max, bytewise);
    assert_eq!(too_large, whole_too_large);
    assert_eq!(too_large, single_too_large);
    assert_eq!(chunked, whole);
    assert_eq!(chunked, single);
    for e in &chunked {
        assert!(
            e.data.len() <= max,
            "event of {} bytes over {max}",
            e.data.len()
        );
    }
});
