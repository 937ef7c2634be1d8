//! What the OS tells about processes, read by pure functions that build and
//! run on every OS, so that the Windows and Linux readings are tested here
//! whatever machine runs the tests.

/// A Windows exit code that is an NTSTATUS: the process did not choose it,
/// it crashed or was ended (exit code 0xC0000005 is the Windows SIGSEGV).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowsStatus {
    pub code: u32,
    /// `STATUS_ACCESS_VIOLATION`
    pub name: &'static str,
    /// What it means, in words.
    pub words: &'static str,
}

impl WindowsStatus {
    /// `0xC0000005`, the form every Windows forum quotes.
    pub fn hex(&self) -> String {
        format!("0x{:08X}", self.code)
    }
}

const WINDOWS_STATUSES: &[(u32, &str, &str)] = &[
    (
        0xC000_0005,
        "STATUS_ACCESS_VIOLATION",
        "it read or wrote memory it does not own, a crash in native code",
    ),
    (
        0xC000_001D,
        "STATUS_ILLEGAL_INSTRUCTION",
        "it ran an instruction this processor does not have",
    ),
    (0xC000_0017, "STATUS_NO_MEMORY", "it ran out of memory"),
    (
        0xC000_007B,
        "STATUS_INVALID_IMAGE_FORMAT",
        "a program or DLL is for another architecture (32/64-bit, x64/ARM64) or is damaged",
    ),
    (
        0xC000_0094,
        "STATUS_INTEGER_DIVIDE_BY_ZERO",
        "it divided by zero, a crash in native code",
    ),
    (
        0xC000_00FD,
        "STATUS_STACK_OVERFLOW",
        "it overflowed its stack (often endless recursion)",
    ),
    (
        0xC000_0135,
        "STATUS_DLL_NOT_FOUND",
        "a DLL it needs was not found (a missing runtime such as the Visual C++ Redistributable)",
    ),
    (
        0xC000_0139,
        "STATUS_ENTRYPOINT_NOT_FOUND",
        "a DLL it loaded lacks a function it needs (a DLL of the wrong version)",
    ),
    (
        0xC000_013A,
        "STATUS_CONTROL_C_EXIT",
        "it was ended by Ctrl+C or Ctrl+Break, or its console was closed",
    ),
    (
        0xC000_0142,
        "STATUS_DLL_INIT_FAILED",
        "a DLL it loaded failed to initialise",
    ),
    (
        0xC000_0374,
        "STATUS_HEAP_CORRUPTION",
        "it corrupted its heap, a crash in native code",
    ),
    (
        0xC000_0409,
        "STATUS_STACK_BUFFER_OVERRUN",
        "it stopped itself on a fatal error (a failed check, an abort or a Rust panic set to abort)",
    ),
    (
        0x8000_0003,
        "STATUS_BREAKPOINT",
        "it hit a breakpoint with no debugger attached",
    ),
];

/// The NTSTATUS an exit code stands for, when it is one we can name. Exit
/// codes on Unix are 0 to 255 and never match.
pub fn windows_status(code: i32) -> Option<WindowsStatus> {
    let code = code as u32;
    WINDOWS_STATUSES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|&(code, name, words)| WindowsStatus { code, name, words })
}

/// The name of a signal whose number is the same on every Unix (for the
/// `128 + N` exit codes of a shell wrapper, read on an OS without signals).
pub fn common_signal_name(sig: i32) -> Option<&'static str> {
    Some(match sig {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => return None,
    })
}

/// A line of Linux's `/proc/PID/stat` ("pid (comm) state ppid pgrp ..."):
/// is that process a member of group `pgid` and not a zombie? `comm` may
/// hold anything, spaces and parentheses included, so fields are counted
/// from the last `)`.
pub fn stat_live_in_group(stat: &str, pgid: i32) -> bool {
    let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
        return false;
    };
    let mut f = rest.split_ascii_whitespace();
    let (Some(state), Some(_ppid), Some(pgrp)) = (f.next(), f.next(), f.next()) else {
        return false;
    };
    pgrp.parse::<i32>().ok() == Some(pgid) && state != "Z" && state != "X"
}

/// The output of `tasklist /FI "PID eq N" /NH /FO CSV`: does it list `pid`?
/// One CSV line per process (`"node.exe","1234","Console","1","45,120 K"`),
/// or a line of text (translated, so never matched) when none matches.
pub fn tasklist_lists(output: &str, pid: u32) -> bool {
    let pid = pid.to_string();
    output.lines().any(|line| {
        let line = line.trim();
        line.starts_with('"')
            && line
                .trim_matches('"')
                .split("\",\"")
                .nth(1)
                .is_some_and(|field| field == pid)
    })
}

/// `taskkill` arguments that end `pid` and its descendants (`/T`), by force
/// (`/F`) or by asking their windows to close.
pub fn taskkill_args(pid: u32, force: bool) -> Vec<String> {
    let mut args = vec!["/T".to_string()];
    if force {
        args.push("/F".into());
    }
    args.extend(["/PID".to_string(), pid.to_string()]);
    args
}

/// `tasklist` arguments that list process `pid` alone, as CSV without a
/// header (read by [`tasklist_lists`]).
pub fn tasklist_args(pid: u32) -> Vec<String> {
    ["/FI", &format!("PID eq {pid}"), "/NH", "/FO", "CSV"]
        .map(str::to_string)
        .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_windows_crash_codes() {
        // ExitStatus::code() on Windows gives the DWORD as an i32.
        let av = windows_status(0xC000_0005_u32 as i32).unwrap();
        assert_eq!(av.name, "STATUS_ACCESS_VIOLATION");
        assert_eq!(av.hex(), "0xC0000005");
        assert_eq!(windows_status(-1_073_741_819), Some(av));
        assert_eq!(
            windows_status(0xC000_0135_u32 as i32).map(|s| s.name),
            Some("STATUS_DLL_NOT_FOUND")
        );
        assert_eq!(
            windows_status(0xC000_0409_u32 as i32).map(|s| s.hex()),
            Some("0xC0000409".into())
        );
        // Ordinary exit codes are the program's own.
        for code in [0, 1, 2, 126, 127, 137, 255, -1] {
            assert_eq!(windows_status(code), None, "{code}");
        }
        // Every entry is distinct and says something.
        for (i, (c, name, words)) in WINDOWS_STATUSES.iter().enumerate() {
            assert!(name.starts_with("STATUS_") && !words.is_empty());
            assert!(WINDOWS_STATUSES[i + 1..].iter().all(|(d, _, _)| d != c));
        }
    }

    #[test]
    fn common_signals() {
        assert_eq!(common_signal_name(9), Some("SIGKILL"));
        assert_eq!(common_signal_name(15), Some("SIGTERM"));
        // SIGUSR1 is 10 on Linux and 30 on macOS: not common.
        assert_eq!(common_signal_name(10), None);
    }

    #[test]
    fn reads_proc_stat_lines() {
        assert!(stat_live_in_group("42 (node) S 1 42 42 0 -1", 42));
        assert!(!stat_live_in_group("42 (node) Z 1 42 42 0 -1", 42));
        assert!(!stat_live_in_group("42 (node) X 1 42 42 0 -1", 42));
        assert!(!stat_live_in_group("43 (node) R 1 7 7 0 -1", 42));
        // A command name with spaces and parentheses.
        assert!(stat_live_in_group("44 (a) b (c) R 1 42 42 0", 42));
        assert!(!stat_live_in_group("garbage", 42));
        assert!(!stat_live_in_group("45 (x) R", 42));
    }

    #[test]
    fn builds_taskkill_and_tasklist_commands() {
        assert_eq!(taskkill_args(42, false), ["/T", "/PID", "42"]);
        assert_eq!(taskkill_args(42, true), ["/T", "/F", "/PID", "42"]);
        assert_eq!(tasklist_args(42), ["/FI", "PID eq 42", "/NH", "/FO", "CSV"]);
    }

    #[test]
    fn reads_tasklist_output() {
        let found = "\"node.exe\",\"1234\",\"Console\",\"1\",\"45,120 K\"\r\n";
        assert!(tasklist_lists(found, 1234));
        assert!(!tasklist_lists(found, 123));
        assert!(!tasklist_lists(found, 12345));
        let none = "INFO: No tasks are running which match the specified criteria.\r\n";
        assert!(!tasklist_lists(none, 1234));
        assert!(!tasklist_lists("", 1234));
        // A localised message that happens to hold the number.
        assert!(!tasklist_lists("Information: 1234 \"1234\"", 1234));
    }
}
