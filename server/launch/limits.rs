//! How much a launch reads, keeps and waits for. Imports nothing.

use std::time::Duration;

/// Longest accepted stdout line / HTTP message / SSE event.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;
/// How much stderr is kept.
pub const STDERR_TAIL_BYTES: usize = 8 * 1024;
/// Page cap for each list.
pub const MAX_LIST_PAGES: u32 = 20;
/// Upper bound for each list phase.
pub const LIST_TIMEOUT: Duration = Duration::from_secs(10);
