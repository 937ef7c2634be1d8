//! Pure byte-stream helpers for the stdio transport: a newline-delimited
//! line splitter with a length cap, and a bounded tail buffer for stderr.
//! Both are deliberately free of I/O so they can be fuzzed.

use std::collections::VecDeque;

/// How many bytes of an over-long line are kept as evidence.
pub const TOO_LONG_PREFIX: usize = 4096;

/// One event from [`LineReader`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineEvent {
    /// A complete line, without its `\n` (and without a trailing `\r`).
    Line(Vec<u8>),
    /// A line went past the cap. Emitted once, as soon as the cap is crossed;
    /// the rest of that line is discarded up to its `\n`.
    TooLong {
        /// The first [`TOO_LONG_PREFIX`] bytes of the line.
        prefix: Vec<u8>,
    },
}

/// Splits a byte stream into `\n`-terminated lines of at most `max_line`
/// bytes. Memory use is bounded by `max_line`.
#[derive(Debug)]
pub struct LineReader {
    buf: Vec<u8>,
    max_line: usize,
    /// Inside an over-long line whose rest is being dropped.
    discarding: bool,
}

impl LineReader {
    pub fn new(max_line: usize) -> Self {
        LineReader {
            buf: Vec::new(),
            max_line,
            discarding: false,
        }
    }

    /// Feeds a chunk, appending complete lines (and over-long line events) to `out`.
    pub fn feed(&mut self, mut data: &[u8], out: &mut Vec<LineEvent>) {
        while !data.is_empty() {
            let nl = data.iter().position(|&b| b == b'\n');
            if self.discarding {
                match nl {
                    Some(i) => {
                        self.discarding = false;
                        data = &data[i + 1..];
                        continue;
                    }
                    None => return,
                }
            }
            let take = nl.unwrap_or(data.len());
            if self.buf.len() + take > self.max_line {
                let mut prefix = std::mem::take(&mut self.buf);
                let room = TOO_LONG_PREFIX.saturating_sub(prefix.len());
                prefix.extend_from_slice(&data[..take.min(room)]);
                prefix.truncate(TOO_LONG_PREFIX);
                out.push(LineEvent::TooLong { prefix });
                match nl {
                    Some(i) => data = &data[i + 1..],
                    None => {
                        self.discarding = true;
                        return;
                    }
                }
                continue;
            }
            self.buf.extend_from_slice(&data[..take]);
            match nl {
                Some(i) => {
                    let mut line = std::mem::take(&mut self.buf);
                    if line.last() == Some(&b'\r') {
                        line.pop();
                    }
                    out.push(LineEvent::Line(line));
                    data = &data[i + 1..];
                }
                None => return,
            }
        }
    }

    /// Bytes received after the last `\n` (a line still waiting for its end).
    pub fn pending(&self) -> &[u8] {
        if self.discarding { &[] } else { &self.buf }
    }

    /// End of stream: returns the unterminated rest, if any.
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        let rest = std::mem::take(&mut self.buf);
        let was_discarding = std::mem::replace(&mut self.discarding, false);
        (!rest.is_empty() && !was_discarding).then_some(rest)
    }
}

/// Keeps the last `cap` bytes written to it and counts all bytes.
#[derive(Debug, Clone)]
pub struct TailBuffer {
    buf: VecDeque<u8>,
    cap: usize,
    total: u64,
}

impl TailBuffer {
    pub fn new(cap: usize) -> Self {
        TailBuffer {
            buf: VecDeque::with_capacity(cap.min(64 * 1024)),
            cap,
            total: 0,
        }
    }

    pub fn push(&mut self, data: &[u8]) {
        self.total = self.total.saturating_add(data.len() as u64);
        if data.len() >= self.cap {
            self.buf.clear();
            self.buf.extend(&data[data.len() - self.cap..]);
            return;
        }
        let overflow = (self.buf.len() + data.len()).saturating_sub(self.cap);
        self.buf.drain(..overflow);
        self.buf.extend(data);
    }

    /// Total bytes ever pushed.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Whether older bytes were dropped.
    pub fn is_cut(&self) -> bool {
        self.total > self.buf.len() as u64
    }

    pub fn bytes(&self) -> Vec<u8> {
        self.buf.iter().copied().collect()
    }

    /// The kept bytes as text. When older bytes were dropped, a partial UTF-8
    /// sequence at the start is skipped.
    pub fn text(&self) -> String {
        let bytes = self.bytes();
        let mut start = 0;
        if self.is_cut() {
            while start < bytes.len() && start < 3 && (bytes[start] & 0xC0) == 0x80 {
                start += 1;
            }
        }
        String::from_utf8_lossy(&bytes[start..]).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(r: &mut LineReader, chunks: &[&[u8]]) -> Vec<LineEvent> {
        let mut out = Vec::new();
        for c in chunks {
            r.feed(c, &mut out);
        }
        out
    }

    fn line(s: &str) -> LineEvent {
        LineEvent::Line(s.as_bytes().to_vec())
    }

    #[test]
    fn splits_across_chunks_and_strips_cr() {
        let mut r = LineReader::new(100);
        let out = lines(&mut r, &[b"ab", b"c\r\nde", b"f\n\n", b"gh"]);
        assert_eq!(out, vec![line("abc"), line("def"), line("")]);
        assert_eq!(r.pending(), b"gh");
        assert_eq!(r.finish(), Some(b"gh".to_vec()));
        assert_eq!(r.finish(), None);
    }

    #[test]
    fn over_long_line_is_reported_once_and_skipped() {
        let mut r = LineReader::new(8);
        let out = lines(&mut r, &[b"12345", b"6789", b"abcdef", b"gh\nok\n"]);
        assert_eq!(
            out,
            vec![
                LineEvent::TooLong {
                    prefix: b"123456789".to_vec()
                },
                line("ok")
            ]
        );
        // Exactly at the cap is fine.
        let out = lines(&mut r, &[b"12345678\n"]);
        assert_eq!(out, vec![line("12345678")]);
    }

    #[test]
    fn over_long_line_in_one_chunk() {
        let mut r = LineReader::new(4);
        let out = lines(&mut r, &[b"123456\nab\n"]);
        assert_eq!(
            out,
            vec![
                LineEvent::TooLong {
                    prefix: b"123456".to_vec()
                },
                line("ab")
            ]
        );
    }

    #[test]
    fn too_long_prefix_is_capped() {
        let mut r = LineReader::new(10_000);
        let big = vec![b'x'; 20_000];
        let out = lines(&mut r, &[&big]);
        match &out[..] {
            [LineEvent::TooLong { prefix }] => assert_eq!(prefix.len(), TOO_LONG_PREFIX),
            other => panic!("{other:?}"),
        }
        assert!(r.pending().is_empty());
        assert_eq!(r.finish(), None);
    }

    #[test]
    fn tail_buffer_keeps_last_bytes_and_counts_all() {
        let mut t = TailBuffer::new(8);
        t.push(b"hello ");
        assert!(!t.is_cut());
        t.push(b"world!");
        assert_eq!(t.bytes(), b"o world!");
        assert_eq!(t.total(), 12);
        assert!(t.is_cut());
        t.push(&[b'z'; 100]);
        assert_eq!(t.bytes(), vec![b'z'; 8]);
        assert_eq!(t.total(), 112);
    }

    #[test]
    fn tail_text_skips_cut_utf8() {
        let mut t = TailBuffer::new(4);
        t.push("aé€".as_bytes()); // 1 + 2 + 3 bytes; keeps last 4: [0xA9, €]
        assert_eq!(t.text(), "€");
    }
}
