//! Path facts as the client's OS reads them: is this string an absolute
//! path, does it name a directory, which program does a command run, is it a
//! README placeholder. Plain string work, so that a Windows config can be
//! checked on Linux and the other way round (`std::path` only knows the OS
//! we run on).
//!
//! A knowledge module: `rules`, `client_env`, `analysis`, `launch` and `lsp`
//! ask here. It imports only `host::Os`.

use crate::host::Os;

/// `C:` at the start: a drive letter and its colon (`C:\x`, `C:/x`, and the
/// drive-relative `C:x`).
pub fn starts_with_drive(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// `C:\` or `C:/` at the start: an absolute Windows path on a drive.
pub fn is_drive_absolute(p: &str) -> bool {
    starts_with_drive(p) && matches!(p.as_bytes().get(2), Some(b'\\' | b'/'))
}

/// Whether `p` is absolute on `os`: `/x` everywhere; on Windows also `C:\x`
/// and UNC `\\server\share`.
pub fn is_absolute(os: Os, p: &str) -> bool {
    if os == Os::Windows {
        is_drive_absolute(p) || p.starts_with("\\\\") || p.starts_with('/')
    } else {
        p.starts_with('/')
    }
}

/// Whether `p` has a directory part on `os` (and is then not looked up on
/// PATH): a `/`, or on Windows also a `\`.
pub fn has_separator(os: Os, p: &str) -> bool {
    p.contains('/') || (os == Os::Windows && p.contains('\\'))
}

/// The extensions of what MCP entries start on Windows: programs, batch
/// files (npm's `npx.cmd`) and PowerShell scripts.
const WINDOWS_PROGRAM_EXTENSIONS: [&str; 4] = [".cmd", ".exe", ".bat", ".ps1"];

/// `npx.cmd`, `server.EXE`: a name only Windows runs as a program.
pub fn has_windows_program_extension(command: &str) -> bool {
    let lower = command.to_ascii_lowercase();
    WINDOWS_PROGRAM_EXTENSIONS
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// The program's name without directory or Windows extension, lower-cased:
/// `C:\\nodejs\\npx.cmd` → `npx`.
pub fn program_name(command: &str) -> String {
    let base = command.rsplit(['/', '\\']).next().unwrap_or(command);
    let lower = base.to_ascii_lowercase();
    for ext in WINDOWS_PROGRAM_EXTENSIONS {
        if let Some(s) = lower.strip_suffix(ext) {
            return s.to_string();
        }
    }
    lower
}

/// A path copied from a README and never filled in: `/path/to/x`,
/// `/Users/you/...`, `C:\Users\username\...`, `<dir>`, `your-folder`.
pub fn looks_like_placeholder_path(p: &str) -> bool {
    let l = p.to_ascii_lowercase().replace('\\', "/");
    [
        "/path/to",
        "/users/you/",
        "/users/username/",
        "/users/your",
        "/home/user/",
        "/home/username/",
        "/home/you/",
        "<",
        "your-",
        "your_",
    ]
    .iter()
    .any(|x| l.contains(x))
        || l.ends_with("/users/you")
        || l.contains("/users/<")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths_per_os() {
        for p in [r"C:\x", "c:/x", r"\\server\share", "/x"] {
            assert!(is_absolute(Os::Windows, p), "{p}");
        }
        for p in ["C:x", "x", r"x\y", "~/x"] {
            assert!(!is_absolute(Os::Windows, p), "{p}");
        }
        assert!(is_absolute(Os::Linux, "/x") && !is_absolute(Os::Linux, r"C:\x"));
        assert!(starts_with_drive("C:x") && !is_drive_absolute("C:x"));
        assert!(!starts_with_drive("1:") && !starts_with_drive("C"));
    }

    #[test]
    fn separators_and_program_names() {
        assert!(has_separator(Os::Windows, r"bin\x") && !has_separator(Os::Linux, r"bin\x"));
        assert!(has_separator(Os::Linux, "./x"));
        assert_eq!(program_name(r"C:\nodejs\NPX.cmd"), "npx");
        assert_eq!(program_name("/usr/local/bin/uvx"), "uvx");
        assert_eq!(program_name("node"), "node");
    }

    #[test]
    fn placeholder_paths() {
        assert!(looks_like_placeholder_path("/path/to/server.js"));
        assert!(looks_like_placeholder_path(r"C:\Users\username\x"));
        assert!(!looks_like_placeholder_path("/home/me/x.js"));
    }
}
