use std::process::ExitCode;

/// mimalloc: analysis allocates a small string for every key and value of
/// the file, and glibc's allocator spent a quarter of its time on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tune_for_commands();
    mcp_config_lsp::cli::main(tune_for_serving)
}

/// Sets mimalloc's purge delay: milliseconds, 0 for at once, -1 for never.
fn set_purge_delay(ms: std::ffi::c_long) {
    // SAFETY: sets one of mimalloc's options, an atomic store it allows at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, ms) }
}

/// `mi_option_purge_delay` in mimalloc.h's `enum mi_option_e` (v2 and v3):
/// how long freed memory stays resident before it goes back to the OS
/// (1000 ms by default in v3, the version built: `src/options.c`).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A command (`check`, `probe`, `doctor`) ends soon: memory it frees is
/// reused, never returned to the OS, which takes it all back at exit.
/// Returning it as it goes, or at exit (mimalloc purges what is pending
/// when the process ends), was 4% of `check` on a 6000-server file: the
/// kernel then unmaps the same pages twice.
///
/// A command also gets its memory in huge pages where the system allows
/// them (Linux's `madvise` setting, the usual default: mimalloc advises its
/// arena): a 5.3 MB `~/.claude.json` was read and analysed with 235 page
/// faults instead of 1145, a tenth of its `check`.
fn tune_for_commands() {
    set_purge_delay(-1);
}

/// Before the language server starts. mimalloc returns freed memory to the
/// OS a second after it is freed, and only when the thread allocates again,
/// and a language server's threads idle between keystrokes: with a 5.3 MB
/// `~/.claude.json` open the server kept 64 MB resident (87 MB after 220
/// edits), 25 MB (27 MB) when freed memory goes back at once, for no
/// measurable cost per keystroke.
///
/// And no huge pages from here on: each keeps 2 MiB resident for as long as
/// one small allocation in it lives, which grew the idle server from 7 to
/// 15 MB. The one or two that start-up touched stay (2 MB of the idle
/// server's 12).
fn tune_for_serving() {
    set_purge_delay(0);
    #[cfg(target_os = "linux")]
    {
        // Refused only by kernels before 3.15, which then keep the system's setting.
        let _ = nix::sys::prctl::set_thp_disable(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_set_is_mimalloc_s_purge_delay() {
        // Its default, 1000 ms, tells it from its neighbours in the enum
        // (a deprecated eager-commit delay, 1, and NUMA nodes, 0).
        // SAFETY: reads one of mimalloc's options.
        let value = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(value, 1000);
        }
    }
}
