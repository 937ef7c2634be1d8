//! Child processes on Unix (Linux, macOS, the BSDs).
//!
//! The child leads a process group of its own, so one signal reaches
//! everything it started (`npx` → `node`, `uvx` → `python`, `sh -c` → ...):
//! SIGTERM first, SIGKILL after a grace period.

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

use crate::launch::report::ExitInfo;

/// A process group of its own, led by the child (its pgid is its pid).
pub fn configure(cmd: &mut tokio::process::Command) {
    cmd.process_group(0);
}

/// The child's process group.
pub struct Tree {
    pgid: Pid,
}

impl Tree {
    /// The group led by the child `pid`; `None` for a pid we cannot signal.
    pub fn new(pid: u32) -> Option<Tree> {
        let raw = i32::try_from(pid).ok().filter(|p| *p > 0)?;
        Some(Tree {
            pgid: Pid::from_raw(raw),
        })
    }

    /// SIGTERM to the whole group.
    pub async fn terminate(&self) {
        self.send(Signal::SIGTERM);
    }

    /// SIGKILL to the whole group.
    pub async fn kill(&self) {
        self.send(Signal::SIGKILL);
    }

    /// SIGKILL to the whole group, from a destructor.
    pub fn kill_now(&self) {
        let _ = killpg(self.pgid, Signal::SIGKILL);
    }

    /// Does the group still have a member that is not a zombie?
    pub fn alive(&self) -> bool {
        match killpg(self.pgid, None) {
            Err(Errno::ESRCH) => false,
            // EPERM: a member we may not signal (it changed user) still runs.
            Err(_) => true,
            Ok(()) => live_member(self.pgid),
        }
    }

    fn send(&self, sig: Signal) {
        match killpg(self.pgid, sig) {
            Ok(()) | Err(Errno::ESRCH) => {}
            Err(e) => tracing::warn!(pgid = self.pgid.as_raw(), %e, "killpg failed"),
        }
    }
}

/// Linux: `killpg(pgid, 0)` succeeds while a zombie member awaits its
/// reaping, so scan /proc for a member that is not a zombie. When /proc
/// cannot be read, assume alive (the caller then waits out its grace period).
#[cfg(target_os = "linux")]
fn live_member(pgid: Pid) -> bool {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return true;
    };
    for entry in dir.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        if super::decode::stat_live_in_group(&stat, pgid.as_raw()) {
            return true;
        }
    }
    false
}

/// macOS and the other Unixes have no /proc to tell a zombie from a live
/// process: `killpg(pgid, 0)` succeeded, so the group has a member. It may be
/// a zombie for the moment between its end and its reaping (the leader is
/// reaped by our waiter, orphans by init/launchd), which only makes the
/// caller wait a little longer or send a SIGKILL that changes nothing: it
/// never takes a live process for a dead one.
#[cfg(not(target_os = "linux"))]
fn live_member(_pgid: Pid) -> bool {
    true
}

/// Does process `pid` exist? Signal 0 checks without sending anything;
/// EPERM means it exists but belongs to someone else. `None` for a pid that
/// is no process id.
pub fn is_alive(pid: u32) -> Option<bool> {
    let raw = i32::try_from(pid).ok().filter(|p| *p > 0)?;
    Some(!matches!(kill(Pid::from_raw(raw), None), Err(Errno::ESRCH)))
}

/// Signal name (`SIGKILL`) or `signal N`, with this OS's numbering.
pub fn signal_name(sig: i32) -> String {
    Signal::try_from(sig).map_or_else(|_| format!("signal {sig}"), |s| s.as_str().to_string())
}

/// Decodes an exit status: a code, or the signal that ended the process.
pub fn exit_info(status: ExitStatus, by_launcher: bool) -> ExitInfo {
    ExitInfo {
        code: status.code(),
        signal: status.signal().map(signal_name),
        core_dumped: status.core_dumped(),
        by_launcher,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_names() {
        assert_eq!(signal_name(9), "SIGKILL");
        assert_eq!(signal_name(15), "SIGTERM");
        assert_eq!(signal_name(200), "signal 200");
    }

    #[test]
    fn decodes_exit_statuses() {
        // Raw wait statuses: code in the high byte, signal in the low bits.
        let exited = exit_info(ExitStatus::from_raw(3 << 8), false);
        assert_eq!(exited.code, Some(3));
        assert_eq!(exited.signal, None);
        let killed = exit_info(ExitStatus::from_raw(9), true);
        assert_eq!(killed.code, None);
        assert_eq!(killed.signal.as_deref(), Some("SIGKILL"));
        assert!(killed.by_launcher);
        let core = exit_info(ExitStatus::from_raw(11 | 0x80), false);
        assert_eq!(core.signal.as_deref(), Some("SIGSEGV"));
        assert!(core.core_dumped);
    }

    #[test]
    fn this_process_is_alive_and_a_group_of_nobody_is_not() {
        assert_eq!(is_alive(std::process::id()), Some(true));
        assert_eq!(is_alive(0), None);
        // Pids are below 2^22 on Linux and 99999 on macOS.
        assert_eq!(is_alive(i32::MAX as u32), Some(false));
        assert!(!Tree::new(i32::MAX as u32).unwrap().alive());
        assert!(Tree::new(0).is_none());
    }
}
