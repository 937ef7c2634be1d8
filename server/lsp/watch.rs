//! Background work the server starts for itself: watching the editor's
//! process, and re-checking open documents now and then. Above `state` and
//! `diagnostics`, below `server` (which starts them).

use super::diagnostics;
use super::state::State;
use crate::launch::process::is_alive;
use std::sync::Arc;

/// Exit when the editor that started us (`processId`) is gone. Whether a
/// process exists is the OS's question (`launch::process::is_alive`: signal
/// 0 on Unix, `tasklist` on Windows); the first answer is awaited here, so
/// that an editor gone a moment after `initialize` is still noticed.
pub fn watch_parent(state: Arc<State>, pid: u32) {
    // A pid we cannot see now (an editor outside our container's PID
    // namespace), or cannot ask about, says nothing about the editor: don't
    // watch it.
    if is_alive(pid) != Some(true) {
        tracing::info!("processId {pid} is not visible from here; not watching it");
        return;
    }
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(state.timing.parent_poll).await;
            // On Windows the answer takes a process of its own.
            let alive = tokio::task::spawn_blocking(move || is_alive(pid)).await;
            if matches!(alive, Ok(Some(false))) {
                tracing::warn!("the editor (process {pid}) has exited; stopping");
                state.exit.notify_one();
                return;
            }
        }
    });
}

/// Re-check open documents now and then, so that a command installed or a
/// file created meanwhile clears its diagnostic without reopening the file.
pub fn recheck_periodically(state: Arc<State>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(state.timing.recheck).await;
            if state.is_shutdown() {
                return;
            }
            if !state.docs.is_empty() {
                state.files_changed();
                diagnostics::recheck_all(&state).await;
            }
        }
    });
}
