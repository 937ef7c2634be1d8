//! The whole analysis on arbitrary bytes. The first byte picks the file's
//! path (so the dialect), the host OS and the environment mode; the next two
//! the cursor for hover and completion; the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (cursor, rest) = match rest {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), rest),
        _ => (0, rest),
    };
    // The CLI and the LSP refuse text that is not UTF-8 before analysis.
    let text = String::from_utf8_lossy(rest);
    common::exercise(&text, selector, cursor);
});
