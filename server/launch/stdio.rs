//! stdio transport: spawn, newline-delimited JSON-RPC over the pipes, a
//! bounded stderr tail, and a shutdown that leaves no process behind.

use std::collections::VecDeque;
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::{ChildStdin, Command};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout};

use super::conn::{Conn, Handshake};
use super::ctx::Ctx;
use super::failure::{Failed, Failure, Outcome};
use super::limits::{MAX_MESSAGE_BYTES, STDERR_TAIL_BYTES};
use super::lines::{LineEvent, LineReader, TailBuffer};
use super::process::{Tree, configure, exit_info};
use super::report::{LaunchReport, ProcessReport, Transport, phase};
use crate::redact::mask::{Masker, cut_chars};

/// After closing stdin, how long a server may take to exit on its own.
const STDIN_CLOSE_GRACE: Duration = Duration::from_millis(500);
/// After asking the tree to end (SIGTERM), how long before forcing it (SIGKILL).
const TERM_GRACE: Duration = Duration::from_millis(1500);
/// After the process ended, how long to keep draining stdout.
const DRAIN_AFTER_EXIT: Duration = Duration::from_millis(300);
/// Non-JSON stdout lines kept as evidence, and their raw length.
const MAX_NOISE_LINES: usize = 3;
const NOISE_RAW_BYTES: usize = 4096;
const NOISE_SHOWN_CHARS: usize = 200;

enum StdoutEvent {
    Json(Value),
    /// A line that is not JSON: first bytes, and whether they were cut.
    Noise(Vec<u8>, bool),
    TooLong(Vec<u8>),
    Eof,
}

type ExitCell = Option<Result<ExitStatus, String>>;

/// Kills the child's tree on drop unless disarmed: the last line of
/// defence when the launch future is dropped mid-way.
struct TreeGuard {
    tree: Option<Tree>,
    armed: bool,
}

impl Drop for TreeGuard {
    fn drop(&mut self) {
        if self.armed
            && let Some(tree) = &self.tree
        {
            tree.kill_now();
        }
    }
}

pub(crate) struct StdioConn {
    pid: u32,
    stdin: Option<ChildStdin>,
    stdout_rx: mpsc::Receiver<StdoutEvent>,
    exit_rx: watch::Receiver<ExitCell>,
    stderr: Arc<Mutex<TailBuffer>>,
    unterminated: Arc<Mutex<Vec<u8>>>,
    noise: Vec<(Vec<u8>, bool)>,
    noise_count: usize,
    json_noise: bool,
    queue: VecDeque<Value>,
    exited: bool,
    exited_before_shutdown: bool,
    tasks: Vec<JoinHandle<()>>,
    guard: TreeGuard,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl StdioConn {
    fn spawn(
        program: &str,
        args: &[String],
        env: &[(String, String)],
        cwd: Option<&Path>,
    ) -> Result<Self, Failure> {
        if let Some(dir) = cwd
            && !dir.is_dir()
        {
            return Err(Failure::BadCwd(dir.to_path_buf()));
        }
        let mut cmd = Command::new(program);
        cmd.args(args)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        configure(&mut cmd);
        if let Some(dir) = cwd {
            cmd.current_dir(dir);
        }
        let mut child = cmd.spawn().map_err(Failure::Spawn)?;
        let pid = child.id().unwrap_or(0);
        let tree = Tree::new(pid);
        let guard = TreeGuard {
            armed: tree.is_some(),
            tree,
        };
        let stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let stderr_pipe = child.stderr.take();

        let stderr = Arc::new(Mutex::new(TailBuffer::new(STDERR_TAIL_BYTES)));
        let unterminated = Arc::new(Mutex::new(Vec::new()));
        let (stdout_tx, stdout_rx) = mpsc::channel(64);
        let (exit_tx, exit_rx) = watch::channel(None);
        let mut tasks = Vec::new();

        if let Some(out) = stdout {
            tasks.push(tokio::spawn(read_stdout(
                out,
                stdout_tx,
                unterminated.clone(),
            )));
        }
        if let Some(err) = stderr_pipe {
            tasks.push(tokio::spawn(read_stderr(err, stderr.clone())));
        }
        // The waiter owns the child and reaps it whenever it ends.
        tokio::spawn(async move {
            let r = child.wait().await.map_err(|e| e.to_string());
            let _ = exit_tx.send(Some(r));
        });

        Ok(StdioConn {
            pid,
            stdin,
            stdout_rx,
            exit_rx,
            stderr,
            unterminated,
            noise: Vec::new(),
            noise_count: 0,
            json_noise: false,
            queue: VecDeque::new(),
            exited: false,
            exited_before_shutdown: false,
            tasks,
            guard,
        })
    }

    fn has_exited(&self) -> bool {
        self.exit_rx.borrow().is_some()
    }

    async fn wait_exit(rx: &mut watch::Receiver<ExitCell>) {
        let _ = rx.wait_for(Option::is_some).await;
    }

    fn push_noise(&mut self, bytes: Vec<u8>, cut: bool) {
        self.noise_count += 1;
        if self.noise.len() < MAX_NOISE_LINES {
            self.noise.push((bytes, cut));
        }
    }

    pub(crate) fn json_noise(&self) -> bool {
        self.json_noise
    }

    /// Close stdin → wait → ask the tree to end (SIGTERM) → wait → force
    /// it (SIGKILL) → reap.
    pub(crate) async fn shutdown(&mut self) {
        self.exited_before_shutdown = self.has_exited();
        drop(self.stdin.take());
        let Some(tree) = self.guard.tree.as_ref() else {
            return;
        };
        if !self.exited_before_shutdown {
            let _ = timeout(STDIN_CLOSE_GRACE, Self::wait_exit(&mut self.exit_rx)).await;
        }
        // Even when the leader is gone, members it forked may linger.
        if self.has_exited() && !tree.alive() {
            self.finish_tasks().await;
            self.guard.armed = false;
            return;
        }
        tree.terminate().await;
        let until = Instant::now() + TERM_GRACE;
        let _ = tokio::time::timeout_at(until, Self::wait_exit(&mut self.exit_rx)).await;
        while tree.alive() && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        if !self.has_exited() || tree.alive() {
            tracing::debug!(pid = self.pid, "server ignored SIGTERM; killing its tree");
            tree.kill().await;
            let _ = timeout(Duration::from_secs(2), Self::wait_exit(&mut self.exit_rx)).await;
            let until = Instant::now() + Duration::from_secs(1);
            while tree.alive() && Instant::now() < until {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        if self.has_exited() {
            self.guard.armed = false;
        }
        self.finish_tasks().await;
    }

    async fn finish_tasks(&mut self) {
        // Readers end at EOF once every writer is gone; don't wait forever
        // for a pipe some escaped process still holds.
        self.stdout_rx.close();
        for t in &mut self.tasks {
            if timeout(Duration::from_millis(300), &mut *t).await.is_err() {
                t.abort();
            }
        }
    }

    fn process_report(&self, masker: &Masker) -> ProcessReport {
        let exit = match &*self.exit_rx.borrow() {
            Some(Ok(status)) => Some(exit_info(*status, !self.exited_before_shutdown)),
            _ => None,
        };
        let (stderr_tail, stderr_bytes) = {
            let t = lock(&self.stderr);
            (masker.mask_cut(&t.text(), t.is_cut(), false), t.total())
        };
        let stdout_noise = self
            .noise
            .iter()
            .map(|(b, cut)| {
                let masked = masker.mask_cut(&String::from_utf8_lossy(b), false, *cut);
                cut_chars(&masked, NOISE_SHOWN_CHARS)
            })
            .collect();
        let stdout_unterminated = {
            let u = lock(&self.unterminated);
            (!u.iter().all(u8::is_ascii_whitespace)).then(|| {
                let cut = u.len() >= NOISE_RAW_BYTES;
                let masked = masker.mask_cut(&String::from_utf8_lossy(&u), false, cut);
                cut_chars(&masked, NOISE_SHOWN_CHARS)
            })
        };
        ProcessReport {
            pid: (self.pid != 0).then_some(self.pid),
            exit,
            stderr_tail,
            stderr_bytes,
            stdout_noise,
            stdout_noise_lines: self.noise_count,
            stdout_unterminated,
        }
    }
}

impl Conn for StdioConn {
    async fn send(&mut self, msg: &Value, _is_request: bool) -> Result<(), Failure> {
        let mut line = serde_json::to_vec(msg).map_err(|e| Failure::BadResult(e.to_string()))?;
        line.push(b'\n');
        let Some(stdin) = self.stdin.as_mut() else {
            return Err(Failure::PipeClosed("stdin"));
        };
        let w = async {
            stdin.write_all(&line).await?;
            stdin.flush().await
        };
        if let Err(e) = w.await {
            tracing::debug!(%e, "writing to the server's stdin failed");
            // Most likely the process is gone: wait a moment for its status.
            if timeout(Duration::from_secs(1), Self::wait_exit(&mut self.exit_rx))
                .await
                .is_ok()
            {
                self.exited = true;
                return Err(Failure::Exited);
            }
            return Err(Failure::PipeClosed("stdin"));
        }
        Ok(())
    }

    async fn recv(&mut self) -> Result<Value, Failure> {
        loop {
            if let Some(v) = self.queue.pop_front() {
                return Ok(v);
            }
            let ev = if self.exited {
                match timeout(DRAIN_AFTER_EXIT, self.stdout_rx.recv()).await {
                    Ok(Some(ev)) => ev,
                    _ => return Err(Failure::Exited),
                }
            } else {
                tokio::select! {
                    biased;
                    ev = self.stdout_rx.recv() => ev.unwrap_or(StdoutEvent::Eof),
                    () = Self::wait_exit(&mut self.exit_rx) => {
                        self.exited = true;
                        continue;
                    }
                }
            };
            match ev {
                StdoutEvent::Json(Value::Array(items)) => self.queue.extend(items),
                StdoutEvent::Json(v) => self.queue.push_back(v),
                StdoutEvent::Noise(bytes, cut) => self.push_noise(bytes, cut),
                StdoutEvent::TooLong(prefix) => {
                    return Err(Failure::LineTooLong {
                        prefix: String::from_utf8_lossy(&prefix).into_owned(),
                    });
                }
                StdoutEvent::Eof => {
                    if self.exited
                        || timeout(Duration::from_secs(1), Self::wait_exit(&mut self.exit_rx))
                            .await
                            .is_ok()
                    {
                        self.exited = true;
                        return Err(Failure::Exited);
                    }
                    return Err(Failure::PipeClosed("stdout"));
                }
            }
        }
    }

    /// A JSON line that is not JSON-RPC, skipped like real clients do.
    fn note_noise(&mut self, text: &str) -> bool {
        self.json_noise = true;
        let b = text.as_bytes();
        let cut = b.len() > NOISE_RAW_BYTES;
        self.push_noise(b[..b.len().min(NOISE_RAW_BYTES)].to_vec(), cut);
        true
    }
}

async fn read_stdout(
    mut out: impl AsyncRead + Unpin,
    tx: mpsc::Sender<StdoutEvent>,
    unterminated: Arc<Mutex<Vec<u8>>>,
) {
    let mut reader = LineReader::new(MAX_MESSAGE_BYTES);
    let mut buf = vec![0u8; 64 * 1024];
    let mut events = Vec::new();
    loop {
        let n = match out.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        reader.feed(&buf[..n], &mut events);
        {
            let pending = reader.pending();
            let mut u = lock(&unterminated);
            u.clear();
            u.extend_from_slice(&pending[..pending.len().min(NOISE_RAW_BYTES)]);
        }
        for ev in events.drain(..) {
            let ev = match ev {
                LineEvent::Line(line) => match classify_line(&line) {
                    Some(ev) => ev,
                    None => continue,
                },
                LineEvent::TooLong { prefix } => StdoutEvent::TooLong(prefix),
            };
            if tx.send(ev).await.is_err() {
                return;
            }
        }
    }
    // An unterminated rest stays in `unterminated` as evidence; a real client
    // would never process it either.
    let _ = tx.send(StdoutEvent::Eof).await;
}

fn classify_line(line: &[u8]) -> Option<StdoutEvent> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    match serde_json::from_slice::<Value>(line) {
        Ok(v) if v.is_object() || v.is_array() => Some(StdoutEvent::Json(v)),
        _ => {
            let cut = line.len() > NOISE_RAW_BYTES;
            Some(StdoutEvent::Noise(
                line[..line.len().min(NOISE_RAW_BYTES)].to_vec(),
                cut,
            ))
        }
    }
}

async fn read_stderr(mut err: impl AsyncRead + Unpin, tail: Arc<Mutex<TailBuffer>>) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match err.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => lock(&tail).push(&buf[..n]),
        }
    }
}

/// A stdio test launch.
pub(crate) async fn run(
    program: &str,
    args: &[String],
    env: &[(String, String)],
    cwd: Option<&Path>,
    session: &impl Handshake,
    ctx: &mut Ctx<'_>,
    report: &mut LaunchReport,
) -> Outcome {
    report.transport = Some(Transport::Stdio);
    let t = Instant::now();
    let spawned = StdioConn::spawn(program, args, env, cwd);
    phase(report, "spawn", t, spawned.is_ok());
    let mut c = match spawned {
        Ok(c) => c,
        Err(failure) => {
            report.duration_ms = ctx.elapsed_ms();
            return Err(Failed {
                phase: "spawn".into(),
                failure,
            });
        }
    };
    let outcome = session.handshake(&mut c, ctx, report).await;
    report.duration_ms = ctx.elapsed_ms();
    let t = Instant::now();
    c.shutdown().await;
    phase(report, "shutdown", t, true);
    let mut p = c.process_report(&ctx.masker);
    // A "JSON but not JSON-RPC" line seen: remember for the diagnosis.
    if c.json_noise() && p.stdout_noise_lines > 0 {
        tracing::debug!("stdout carried JSON that is not JSON-RPC");
    }
    p.stdout_noise_lines = p.stdout_noise_lines.max(p.stdout_noise.len());
    report.process = Some(p);
    outcome.map_err(|mut f| {
        // Distinguish the two kinds of noise for the diagnosis.
        if matches!(f.failure, Failure::Timeout) && c.json_noise() {
            f.failure = Failure::NotJsonRpc {
                detail: "only JSON that is not JSON-RPC 2.0 arrived".into(),
                text: report
                    .process
                    .as_ref()
                    .and_then(|p| p.stdout_noise.first().cloned())
                    .unwrap_or_default(),
            };
        }
        f
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_stdout_lines() {
        assert!(classify_line(b"   ").is_none());
        assert!(matches!(
            classify_line(b"{\"a\":1}"),
            Some(StdoutEvent::Json(_))
        ));
        assert!(matches!(
            classify_line(b"Server started"),
            Some(StdoutEvent::Noise(_, false))
        ));
        // A bare JSON scalar is noise, not a message.
        assert!(matches!(
            classify_line(b"42"),
            Some(StdoutEvent::Noise(_, false))
        ));
    }
}
