//! The client's world: operating system, environment, PATH lookups, files.
//!
//! Rules never touch `std::env` or `std::fs`; they ask a `Host`. `RealHost`
//! answers from this machine (with a cache the language server can
//! invalidate); `FakeHost` lets tests play a macOS GUI client, a Windows
//! client or a Linux one, deterministically.

use dashmap::DashMap;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    Linux,
    Macos,
    Windows,
}

impl Os {
    pub fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::Macos
        } else {
            Os::Linux
        }
    }

    pub fn from_id(s: &str) -> Option<Os> {
        match s.trim().to_ascii_lowercase().as_str() {
            "linux" => Some(Os::Linux),
            "macos" | "darwin" | "mac" | "osx" => Some(Os::Macos),
            "windows" | "win32" | "win" => Some(Os::Windows),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Os::Linux => "Linux",
            Os::Macos => "macOS",
            Os::Windows => "Windows",
        }
    }

    pub fn path_separator(self) -> char {
        if self == Os::Windows { ';' } else { ':' }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileInfo {
    pub is_dir: bool,
    pub executable: bool,
}

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
    /// Size in bytes (0 for directories).
    pub len: u64,
    pub modified: Option<SystemTime>,
}

/// The end of a file, read without reading the rest: a client's log can be
/// gigabytes long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tail {
    /// The last bytes, as text (invalid UTF-8 replaced).
    pub text: String,
    /// The size of the whole file.
    pub len: u64,
    /// Whether the file holds more than `text` (its start was left out).
    pub cut: bool,
    pub modified: Option<SystemTime>,
}

pub trait Host: Send + Sync {
    /// The OS this process runs on.
    fn os(&self) -> Os;
    /// A variable of this process's environment (the user's shell, for the CLI).
    fn env_var(&self, name: &str) -> Option<String>;
    /// Metadata of a file, following links; `None` when it does not exist.
    fn file(&self, path: &Path) -> Option<FileInfo>;
    fn home_dir(&self) -> Option<PathBuf> {
        self.env_var(if self.os() == Os::Windows {
            "USERPROFILE"
        } else {
            "HOME"
        })
        .map(PathBuf::from)
    }
    /// Find `command` on `path_var` (a PATH value) as the OS would, PATHEXT included.
    fn which_in(&self, command: &str, path_var: &str) -> Option<PathBuf> {
        which_with(self, command, path_var)
    }
    /// The text of a small file: `None` when it does not exist, cannot be
    /// read, is larger than `max_bytes` or is not UTF-8 (an `envFile`, the
    /// first line of a script).
    fn read_to_string(&self, path: &Path, max_bytes: u64) -> Option<String> {
        let _ = (path, max_bytes);
        None
    }
    /// Every variable of this process's environment (to build a child's
    /// environment under `EnvMode::Inherit` or for clients that pass theirs on).
    fn env_vars(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    /// The entries of a directory (empty when it does not exist or cannot be read).
    fn list_dir(&self, path: &Path) -> Vec<DirEntry> {
        let _ = path;
        Vec::new()
    }
    /// The last `max_bytes` of a file, read-only (never locked, written or
    /// moved); `None` when it does not exist or is not a file.
    fn read_tail(&self, path: &Path, max_bytes: u64) -> Option<Tail> {
        let _ = (path, max_bytes);
        None
    }
}

/// Windows' PATHEXT when the variable is unset.
pub const DEFAULT_PATHEXT: &str = ".COM;.EXE;.BAT;.CMD";

/// The extensions of a PATHEXT value, lower case, in order (`.com`, `.exe`, ...).
pub fn pathext_list(pathext: &str) -> Vec<String> {
    pathext
        .split(';')
        .map(str::trim)
        .filter(|e| e.len() > 1 && e.starts_with('.'))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Windows has no executable bit: a file is a program when its extension is
/// one of PATHEXT's (`npx.cmd`, `node.exe`; not `server.py`, not `npx`, the
/// extensionless shell script that npm installs beside `npx.cmd`).
pub fn has_pathext(path: &Path, exts: &[String]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.iter().any(|x| x[1..].eq_ignore_ascii_case(e)))
}

/// PATH search on top of `Host::file`, shared by the fake host and the real
/// one on Windows. On Windows it looks as `cross-spawn` (the MCP SDK's spawn)
/// and `cmd.exe` do: a name that already ends in a PATHEXT extension is
/// taken as it is, any other gets each PATHEXT extension in turn, directory
/// by directory, and only a file with a PATHEXT extension counts.
pub fn which_with<H: Host + ?Sized>(host: &H, command: &str, path_var: &str) -> Option<PathBuf> {
    let os = host.os();
    let pathext = if os == Os::Windows {
        pathext_list(
            &host
                .env_var("PATHEXT")
                .unwrap_or_else(|| DEFAULT_PATHEXT.into()),
        )
    } else {
        Vec::new()
    };
    let exts: Vec<String> = if os == Os::Windows && !has_pathext(Path::new(command), &pathext) {
        pathext.clone()
    } else {
        vec![String::new()]
    };
    let usable = |p: &Path| {
        host.file(p).is_some_and(|f| {
            !f.is_dir
                && if os == Os::Windows {
                    has_pathext(p, &pathext)
                } else {
                    f.executable
                }
        })
    };
    if command.contains('/') || (os == Os::Windows && command.contains('\\')) {
        return exts
            .iter()
            .map(|e| PathBuf::from(format!("{command}{e}")))
            .find(|p| usable(p));
    }
    for dir in path_var
        .split(os.path_separator())
        .filter(|d| !d.is_empty())
    {
        for e in &exts {
            let candidate = if os == Os::Windows {
                PathBuf::from(format!("{}\\{command}{e}", dir.trim_end_matches('\\')))
            } else {
                Path::new(dir).join(format!("{command}{e}"))
            };
            if usable(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

/// A host that remembers its answers for the length of one analysis. Rules
/// ask the same questions about server after server (is `npx` on this PATH?
/// what does its first line say? is `HOME` set?), and within one analysis the
/// answers must not change anyway. Lookups by borrowed keys: a repeated
/// question allocates nothing but its (cloned) answer.
pub struct MemoHost<'a> {
    inner: &'a dyn Host,
    os: Os,
    /// PATH value → command → program found.
    which: Mutex<HashMap<String, HashMap<String, Option<PathBuf>>>>,
    files: Mutex<HashMap<PathBuf, Option<FileInfo>>>,
    /// Path → (size cap, text).
    texts: Mutex<HashMap<PathBuf, (u64, Option<String>)>>,
    env: Mutex<HashMap<String, Option<String>>>,
    home: std::sync::OnceLock<Option<PathBuf>>,
}

impl<'a> MemoHost<'a> {
    pub fn new(inner: &'a dyn Host) -> Self {
        Self {
            os: inner.os(),
            inner,
            which: Mutex::default(),
            files: Mutex::default(),
            texts: Mutex::default(),
            env: Mutex::default(),
            home: std::sync::OnceLock::new(),
        }
    }
}

/// The memo's maps stay usable even if a panic poisoned them (it is only a cache).
fn memo<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Host for MemoHost<'_> {
    fn os(&self) -> Os {
        self.os
    }

    fn env_var(&self, name: &str) -> Option<String> {
        if let Some(v) = memo(&self.env).get(name) {
            return v.clone();
        }
        let v = self.inner.env_var(name);
        memo(&self.env).insert(name.to_string(), v.clone());
        v
    }

    fn file(&self, path: &Path) -> Option<FileInfo> {
        if let Some(v) = memo(&self.files).get(path) {
            return *v;
        }
        let v = self.inner.file(path);
        memo(&self.files).insert(path.to_path_buf(), v);
        v
    }

    fn home_dir(&self) -> Option<PathBuf> {
        self.home.get_or_init(|| self.inner.home_dir()).clone()
    }

    fn which_in(&self, command: &str, path_var: &str) -> Option<PathBuf> {
        if let Some(v) = memo(&self.which).get(path_var).and_then(|m| m.get(command)) {
            return v.clone();
        }
        let v = self.inner.which_in(command, path_var);
        memo(&self.which)
            .entry(path_var.to_string())
            .or_default()
            .insert(command.to_string(), v.clone());
        v
    }

    fn read_to_string(&self, path: &Path, max_bytes: u64) -> Option<String> {
        if let Some((cap, v)) = memo(&self.texts).get(path)
            && *cap == max_bytes
        {
            return v.clone();
        }
        let v = self.inner.read_to_string(path, max_bytes);
        memo(&self.texts).insert(path.to_path_buf(), (max_bytes, v.clone()));
        v
    }

    fn env_vars(&self) -> Vec<(String, String)> {
        self.inner.env_vars()
    }

    fn list_dir(&self, path: &Path) -> Vec<DirEntry> {
        self.inner.list_dir(path)
    }

    fn read_tail(&self, path: &Path, max_bytes: u64) -> Option<Tail> {
        self.inner.read_tail(path, max_bytes)
    }
}

/// This machine, with lookups cached for `ttl` (the language server also
/// clears the cache when watched files change).
pub struct RealHost {
    ttl: Duration,
    files: DashMap<PathBuf, (Instant, Option<FileInfo>)>,
    which: DashMap<(String, String), (Instant, Option<PathBuf>)>,
}

impl Default for RealHost {
    fn default() -> Self {
        Self::new(Duration::from_secs(5))
    }
}

impl RealHost {
    pub fn new(ttl: Duration) -> Self {
        // A fixed number of shards: dashmap's default asks for the number of
        // cores, which on Linux reads the cgroup's CPU quota from files, a
        // tenth of a millisecond of every `check`.
        const SHARDS: usize = 16;
        Self {
            ttl,
            files: DashMap::with_shard_amount(SHARDS),
            which: DashMap::with_shard_amount(SHARDS),
        }
    }

    pub fn invalidate(&self) {
        self.files.clear();
        self.which.clear();
    }

    fn fresh<T: Clone>(&self, entry: Option<&(Instant, T)>) -> Option<T> {
        entry
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }
}

impl Host for RealHost {
    fn os(&self) -> Os {
        Os::current()
    }

    fn env_var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn file(&self, path: &Path) -> Option<FileInfo> {
        if let Some(hit) = self.fresh(self.files.get(path).as_deref()) {
            return hit;
        }
        let info = std::fs::metadata(path).ok().map(|m| FileInfo {
            is_dir: m.is_dir(),
            executable: is_executable(path, &m),
        });
        self.files
            .insert(path.to_path_buf(), (Instant::now(), info));
        info
    }

    fn read_to_string(&self, path: &Path, max_bytes: u64) -> Option<String> {
        use std::io::Read;
        let file = std::fs::File::open(path).ok()?;
        let meta = file.metadata().ok()?;
        if !meta.is_file() || meta.len() > max_bytes {
            return None;
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(max_bytes + 1).read_to_end(&mut bytes).ok()?;
        if bytes.len() as u64 > max_bytes {
            return None;
        }
        String::from_utf8(bytes).ok()
    }

    fn list_dir(&self, path: &Path) -> Vec<DirEntry> {
        let Ok(entries) = std::fs::read_dir(path) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| {
                // Follows links, as `file` does: a linked session folder is a folder.
                let m = std::fs::metadata(e.path()).ok()?;
                Some(DirEntry {
                    name: e.file_name().into_string().ok()?,
                    is_dir: m.is_dir(),
                    len: if m.is_dir() { 0 } else { m.len() },
                    modified: m.modified().ok(),
                })
            })
            .collect()
    }

    fn read_tail(&self, path: &Path, max_bytes: u64) -> Option<Tail> {
        use std::io::{Read, Seek, SeekFrom};
        // `File::open` is read-only; on Windows std opens with every share
        // flag, so the client keeps writing (and rotating) while we read.
        let mut file = std::fs::File::open(path).ok()?;
        let meta = file.metadata().ok()?;
        if !meta.is_file() {
            return None;
        }
        let len = meta.len();
        let start = len.saturating_sub(max_bytes);
        file.seek(SeekFrom::Start(start)).ok()?;
        let mut bytes = Vec::new();
        file.take(max_bytes).read_to_end(&mut bytes).ok()?;
        Some(Tail {
            text: String::from_utf8_lossy(&bytes).into_owned(),
            len,
            cut: start > 0,
            modified: meta.modified().ok(),
        })
    }

    fn env_vars(&self) -> Vec<(String, String)> {
        std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect()
    }

    fn which_in(&self, command: &str, path_var: &str) -> Option<PathBuf> {
        let key = (command.to_string(), path_var.to_string());
        if let Some(hit) = self.fresh(self.which.get(&key).as_deref()) {
            return hit;
        }
        // On Windows the `which` crate also takes `server.py` for a program
        // (any extension will do); clients do not, so look as they do.
        let found = if self.os() == Os::Windows {
            which_with(self, command, path_var)
        } else {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
            which::which_in(command, Some(path_var), cwd).ok()
        };
        self.which.insert(key, (Instant::now(), found.clone()));
        found
    }
}

#[cfg(unix)]
fn is_executable(_path: &Path, m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    m.is_file() && m.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(path: &Path, m: &std::fs::Metadata) -> bool {
    let pathext = std::env::var("PATHEXT").unwrap_or_else(|_| DEFAULT_PATHEXT.into());
    m.is_file() && has_pathext(path, &pathext_list(&pathext))
}

/// A scripted machine for tests.
#[derive(Clone, Debug)]
pub struct FakeHost {
    pub os: Os,
    pub env: HashMap<String, String>,
    pub files: HashMap<PathBuf, FileInfo>,
    /// Contents of files added with `with_file_content`.
    pub contents: HashMap<PathBuf, String>,
    /// Modification times of files added with `with_log`.
    pub modified: HashMap<PathBuf, SystemTime>,
}

impl FakeHost {
    pub fn new(os: Os) -> Self {
        Self {
            os,
            env: HashMap::new(),
            files: HashMap::new(),
            contents: HashMap::new(),
            modified: HashMap::new(),
        }
    }

    /// A Linux desktop whose shell has node (nvm) and uv on PATH.
    pub fn linux() -> Self {
        Self::new(Os::Linux)
            .with_env("HOME", "/home/me")
            .with_env("PATH", "/home/me/.nvm/versions/node/v22.1.0/bin:/home/me/.local/bin:/usr/local/bin:/usr/bin:/bin")
            .with_executable("/home/me/.nvm/versions/node/v22.1.0/bin/npx")
            .with_executable("/home/me/.nvm/versions/node/v22.1.0/bin/node")
            .with_executable("/home/me/.local/bin/uvx")
            .with_executable("/usr/bin/python3")
            .with_executable("/usr/bin/docker")
            .with_executable("/usr/bin/env")
            .with_dir("/tmp")
            .with_dir("/home/me")
    }

    /// A Mac whose shell has Homebrew (Apple Silicon) and nvm on PATH.
    pub fn macos() -> Self {
        Self::new(Os::Macos)
            .with_env("HOME", "/Users/me")
            .with_env("PATH", "/Users/me/.nvm/versions/node/v22.1.0/bin:/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin:/sbin")
            .with_executable("/Users/me/.nvm/versions/node/v22.1.0/bin/npx")
            .with_executable("/Users/me/.nvm/versions/node/v22.1.0/bin/node")
            .with_executable("/opt/homebrew/bin/uvx")
            .with_executable("/usr/bin/python3")
            .with_executable("/usr/bin/env")
            .with_dir("/tmp")
            .with_dir("/Users/me")
    }

    /// A Windows machine with Node.js installed the usual way.
    pub fn windows() -> Self {
        Self::new(Os::Windows)
            .with_env("USERPROFILE", r"C:\Users\me")
            .with_env("APPDATA", r"C:\Users\me\AppData\Roaming")
            .with_env("PATHEXT", ".COM;.EXE;.BAT;.CMD")
            .with_env(
                "PATH",
                r"C:\Program Files\nodejs;C:\Windows\system32;C:\Windows",
            )
            .with_executable(r"C:\Program Files\nodejs\npx.cmd")
            .with_executable(r"C:\Program Files\nodejs\node.exe")
            .with_executable(r"C:\Windows\system32\cmd.exe")
    }

    pub fn with_env(mut self, k: &str, v: &str) -> Self {
        self.env.insert(k.into(), v.into());
        self
    }

    pub fn without_env(mut self, k: &str) -> Self {
        self.env.remove(k);
        self
    }

    pub fn with_executable(mut self, p: &str) -> Self {
        self.files.insert(
            self.normalize(p),
            FileInfo {
                is_dir: false,
                executable: true,
            },
        );
        self
    }

    pub fn with_file(mut self, p: &str) -> Self {
        self.files.insert(
            self.normalize(p),
            FileInfo {
                is_dir: false,
                executable: false,
            },
        );
        self
    }

    /// A readable file with this text (not executable).
    pub fn with_file_content(self, p: &str, text: &str) -> Self {
        let mut h = self.with_file(p);
        let key = h.normalize(p);
        h.contents.insert(key, text.to_string());
        h
    }

    /// An executable script with this text (e.g. a `#!/usr/bin/env node` shim).
    pub fn with_script(self, p: &str, text: &str) -> Self {
        let mut h = self.with_file_content(p, text);
        let key = h.normalize(p);
        h.files.insert(
            key,
            FileInfo {
                is_dir: false,
                executable: true,
            },
        );
        h
    }

    /// A file with this text, last written at `modified` (a client's log).
    pub fn with_log(self, p: &str, text: &str, modified: SystemTime) -> Self {
        let mut h = self.with_file_content(p, text);
        let key = h.normalize(p);
        h.modified.insert(key, modified);
        h
    }

    pub fn with_dir(mut self, p: &str) -> Self {
        self.files.insert(
            self.normalize(p),
            FileInfo {
                is_dir: true,
                executable: true,
            },
        );
        self
    }

    fn normalize(&self, p: &str) -> PathBuf {
        if self.os == Os::Windows {
            PathBuf::from(p.replace('/', "\\").to_ascii_lowercase())
        } else {
            PathBuf::from(p)
        }
    }
}

impl Host for FakeHost {
    fn os(&self) -> Os {
        self.os
    }
    fn env_var(&self, name: &str) -> Option<String> {
        self.env.get(name).cloned()
    }
    fn read_to_string(&self, path: &Path, max_bytes: u64) -> Option<String> {
        let key = self.normalize(&path.to_string_lossy());
        self.contents
            .get(&key)
            .filter(|t| t.len() as u64 <= max_bytes)
            .cloned()
    }
    fn env_vars(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        v.sort();
        v
    }
    fn list_dir(&self, path: &Path) -> Vec<DirEntry> {
        // By strings: a Windows path is one component to Linux's `Path`.
        let sep = if self.os == Os::Windows { '\\' } else { '/' };
        let dir = self.normalize(&path.to_string_lossy());
        let dir = format!("{}{sep}", dir.to_string_lossy().trim_end_matches(sep));
        let mut out: Vec<DirEntry> = Vec::new();
        for (p, info) in &self.files {
            let key = p.to_string_lossy();
            let Some(rest) = key.strip_prefix(&dir) else {
                continue;
            };
            let (name, direct) = match rest.split_once(sep) {
                Some((first, _)) => (first.to_string(), false),
                None => (rest.to_string(), true),
            };
            if name.is_empty() || out.iter().any(|e| e.name == name) {
                continue;
            }
            // Names come back as the fake stores them (lower case on Windows).
            out.push(if direct {
                DirEntry {
                    name,
                    is_dir: info.is_dir,
                    len: self.contents.get(p).map_or(0, |t| t.len() as u64),
                    modified: self.modified.get(p).copied(),
                }
            } else {
                DirEntry {
                    name,
                    is_dir: true,
                    len: 0,
                    modified: None,
                }
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }
    fn read_tail(&self, path: &Path, max_bytes: u64) -> Option<Tail> {
        let key = self.normalize(&path.to_string_lossy());
        let text = self.contents.get(&key)?;
        let mut start = text.len().saturating_sub(max_bytes as usize);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        Some(Tail {
            text: text[start..].to_string(),
            len: text.len() as u64,
            cut: start > 0,
            modified: self.modified.get(&key).copied(),
        })
    }
    fn file(&self, path: &Path) -> Option<FileInfo> {
        let key = self.normalize(&path.to_string_lossy());
        self.files.get(&key).copied().or_else(|| {
            // Parent directories of known files exist too.
            let is_parent = self.files.keys().any(|f| f.starts_with(&key) && f != &key);
            is_parent.then_some(FileInfo {
                is_dir: true,
                executable: true,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fake_which_follows_path_order_and_pathext() {
        let h = FakeHost::linux();
        let path = h.env_var("PATH").unwrap();
        assert_eq!(
            h.which_in("npx", &path).unwrap(),
            PathBuf::from("/home/me/.nvm/versions/node/v22.1.0/bin/npx")
        );
        assert_eq!(h.which_in("npx", "/usr/bin:/bin"), None);
        let w = FakeHost::windows();
        let path = w.env_var("PATH").unwrap();
        assert_eq!(
            w.which_in("npx", &path).unwrap(),
            PathBuf::from(r"C:\Program Files\nodejs\npx.cmd")
        );
        assert!(w.which_in("node.exe", &path).is_some());
        assert!(w.which_in("uvx", &path).is_none());
    }

    #[test]
    fn windows_lookups_follow_pathext() {
        let path = r"C:\Users\me\AppData\Roaming\npm;C:\Program Files\nodejs";
        let w = FakeHost::windows()
            // What `npm install -g` leaves: a shell script, a .cmd, a .ps1.
            .with_file(r"C:\Users\me\AppData\Roaming\npm\mcp-server-github")
            .with_file(r"C:\Users\me\AppData\Roaming\npm\mcp-server-github.ps1")
            .with_executable(r"C:\Users\me\AppData\Roaming\npm\mcp-server-github.cmd")
            .with_executable(r"C:\Program Files\nodejs\npx.exe")
            .with_file(r"C:\Program Files\nodejs\server.py")
            .with_executable(r"C:\tools\run.bat");
        // The extensionless script and the .ps1 are no programs: the .cmd is.
        assert_eq!(
            w.which_in("mcp-server-github", path),
            Some(PathBuf::from(
                r"C:\Users\me\AppData\Roaming\npm\mcp-server-github.cmd"
            ))
        );
        // PATHEXT order within a directory: .EXE before .CMD.
        assert_eq!(
            w.which_in("npx", path),
            Some(PathBuf::from(r"C:\Program Files\nodejs\npx.exe"))
        );
        // Named with its extension: that file, in any case.
        assert_eq!(
            w.which_in("NPX.CMD", r"C:\Program Files\nodejs"),
            Some(PathBuf::from(r"C:\Program Files\nodejs\NPX.CMD"))
        );
        // An extension outside PATHEXT is a document, not a program.
        assert_eq!(w.which_in("server.py", path), None);
        // Paths are taken as they are, PATHEXT appended when needed.
        assert_eq!(
            w.which_in(r"C:\tools\run", ""),
            Some(PathBuf::from(r"C:\tools\run.bat"))
        );
        assert!(w.which_in("C:/tools/run.bat", "").is_some());
        // A PATHEXT without .CMD (a locked-down machine): shims are not found.
        let strict = w.clone().with_env("PATHEXT", ".EXE");
        assert_eq!(strict.which_in("mcp-server-github", path), None);
        // PATHEXT unset: Windows' default list.
        let unset = w.without_env("PATHEXT");
        assert!(unset.which_in("mcp-server-github", path).is_some());
        // Directory order wins over extension order.
        let both = FakeHost::windows()
            .with_executable(r"C:\a\tool.cmd")
            .with_executable(r"C:\b\tool.exe");
        assert_eq!(
            both.which_in("tool", r"C:\a;C:\b"),
            Some(PathBuf::from(r"C:\a\tool.cmd"))
        );
    }

    #[test]
    fn pathext_decides_what_runs_on_windows() {
        let exts = pathext_list(DEFAULT_PATHEXT);
        assert_eq!(exts, [".com", ".exe", ".bat", ".cmd"]);
        assert_eq!(pathext_list(" .EXE ;;.Cmd;bad;.;"), [".exe", ".cmd"]);
        assert!(has_pathext(Path::new(r"C:\x\npx.CMD"), &exts));
        assert!(has_pathext(Path::new("node.exe"), &exts));
        assert!(!has_pathext(Path::new("npx"), &exts));
        assert!(!has_pathext(Path::new("npx.ps1"), &exts));
        assert!(!has_pathext(Path::new("server.py"), &exts));
        assert!(!has_pathext(Path::new("npx.cmd"), &[]));
    }

    #[test]
    fn unix_lookups_need_the_executable_bit() {
        let h = FakeHost::linux()
            .with_file("/opt/x/server")
            .with_executable("/opt/y/server");
        assert_eq!(
            h.which_in("server", "/opt/x:/opt/y"),
            Some(PathBuf::from("/opt/y/server"))
        );
        // No PATHEXT on Unix: `npx.cmd` is just a name.
        assert_eq!(h.which_in("npx.cmd", "/opt/x"), None);
    }

    #[test]
    fn fake_files_have_contents_with_a_size_cap() {
        let h = FakeHost::linux().with_file_content("/home/me/.env", "A=1\n");
        assert_eq!(
            h.read_to_string(Path::new("/home/me/.env"), 100).as_deref(),
            Some("A=1\n")
        );
        assert_eq!(h.read_to_string(Path::new("/home/me/.env"), 2), None);
        assert_eq!(h.read_to_string(Path::new("/home/me/none"), 100), None);
    }

    #[test]
    fn real_host_reads_small_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.env");
        std::fs::write(&p, "KEY=value\n").unwrap();
        let h = RealHost::default();
        assert_eq!(h.read_to_string(&p, 1024).as_deref(), Some("KEY=value\n"));
        assert_eq!(h.read_to_string(&p, 4), None);
        assert_eq!(h.read_to_string(dir.path(), 1024), None);
    }

    #[test]
    fn fake_host_lists_directories_and_reads_tails() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let h = FakeHost::linux()
            .with_log("/logs/a/x.log", "first\nsecond\n", t)
            .with_file("/logs/b.log");
        let names: Vec<(String, bool)> = h
            .list_dir(Path::new("/logs"))
            .into_iter()
            .map(|e| (e.name, e.is_dir))
            .collect();
        assert_eq!(names, [("a".into(), true), ("b.log".into(), false)]);
        let e = &h.list_dir(Path::new("/logs/a"))[0];
        assert_eq!((e.len, e.modified), (13, Some(t)));
        let tail = h.read_tail(Path::new("/logs/a/x.log"), 7).unwrap();
        assert_eq!(
            (tail.text.as_str(), tail.len, tail.cut),
            ("second\n", 13, true)
        );
        assert!(!h.read_tail(Path::new("/logs/a/x.log"), 100).unwrap().cut);
        assert!(h.list_dir(Path::new("/none")).is_empty());
    }

    // NTFS would allocate the whole length (files are not sparse by default).
    #[cfg(unix)]
    #[test]
    fn real_host_reads_only_the_tail_of_a_huge_sparse_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("huge.log");
        let f = std::fs::File::create(&p).unwrap();
        let size = 3 * 1024 * 1024 * 1024u64; // 3 GiB, sparse: no disk used
        f.set_len(size).unwrap();
        use std::io::{Seek, SeekFrom, Write};
        let mut f = f;
        f.seek(SeekFrom::End(-6)).unwrap();
        f.write_all(b"last\n\n").unwrap();
        drop(f);
        let tail = RealHost::default().read_tail(&p, 1024).unwrap();
        assert_eq!(tail.len, size);
        assert!(tail.cut);
        assert_eq!(tail.text.len(), 1024);
        assert!(tail.text.ends_with("last\n\n"));
        let listed = RealHost::default().list_dir(dir.path());
        assert_eq!(listed.len(), 1);
        assert_eq!((listed[0].name.as_str(), listed[0].len), ("huge.log", size));
        assert!(RealHost::default().read_tail(dir.path(), 10).is_none());
    }

    #[test]
    fn real_host_finds_sh() {
        let h = RealHost::default();
        if h.os() != Os::Windows {
            let path = h.env_var("PATH").unwrap_or_default();
            assert!(h.which_in("sh", &path).is_some());
            assert!(h.file(Path::new("/")).is_some_and(|f| f.is_dir));
        }
    }
}
