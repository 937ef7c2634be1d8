//! Background work the server starts for itself: watching the editor's
//! process, and re-checking open documents now and then. Above `state` and
//! `diagnostics`, below `server` (which starts them).

use super::diagnostics;
use super::state::State;
use std::sync::Arc;

/// Exit when the editor that started us (`processId`) is gone.
pub fn watch_parent(state: Arc<State>, pid: u32) {
    #[cfg(unix)]
    {
        let Ok(raw) = i32::try_from(pid) else { return };
        // A pid we cannot see now (an editor outside our container's PID
        // namespace) says nothing about the editor: don't watch it.
        if raw <= 0 || !process_alive(raw) {
            tracing::info!("processId {pid} is not visible from here; not watching it");
            return;
        }
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(state.timing.parent_poll).await;
                if !process_alive(raw) {
                    tracing::warn!("the editor (process {pid}) has exited; stopping");
                    state.exit.notify_one();
                    return;
                }
            }
        });
    }
    #[cfg(not(unix))]
    {
        let _ = (state, pid);
    }
}

#[cfg(unix)]
fn process_alive(pid: i32) -> bool {
    use nix::errno::Errno;
    use nix::sys::signal::kill;
    use nix::unistd::Pid;
    // Signal 0 checks existence; EPERM means it exists but is not ours.
    !matches!(kill(Pid::from_raw(pid), None), Err(Errno::ESRCH))
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
