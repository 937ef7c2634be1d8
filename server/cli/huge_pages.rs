//! Huge pages for the text of a big file, on Linux.
//!
//! Read into fresh memory, the 5.3 MB of a big `~/.claude.json` cost 1300
//! page faults (the kernel maps, zeroes and charges each 4 KiB page as the
//! read touches it), a fifth of the whole `check`. Advised as huge pages,
//! the buffer takes one fault per 2 MiB. The system's setting decides:
//! `madvise`, the default of most distributions, honours the advice;
//! `always` needs none; `never` ignores it. Other systems change nothing.

/// Ask for huge pages under the spare capacity of `buffer`, before it is
/// written. Only whole 2 MiB pages inside it are advised, so small buffers
/// are left as they are and no other allocation shares the advice.
#[cfg(target_os = "linux")]
pub fn advise(buffer: &mut Vec<u8>) {
    use nix::sys::mman::{MmapAdvise, madvise};
    const HUGE: usize = 2 << 20;
    let spare = buffer.spare_capacity_mut();
    let (start, end) = (
        spare.as_mut_ptr() as usize,
        spare.as_mut_ptr() as usize + spare.len(),
    );
    let (first, last) = (start.next_multiple_of(HUGE), end / HUGE * HUGE);
    if last <= first {
        return;
    }
    if let Some(at) = std::ptr::NonNull::new(first as *mut std::ffi::c_void) {
        // SAFETY: [first, last) lies inside the buffer's own allocation,
        // page-aligned, and the advice changes how it is backed, never
        // what it holds. A refusal (THP compiled out) changes nothing.
        let _ = unsafe { madvise(at, last - first, MmapAdvise::MADV_HUGEPAGE) };
    }
}

#[cfg(not(target_os = "linux"))]
pub fn advise(_buffer: &mut Vec<u8>) {}

#[cfg(test)]
#[cfg(target_os = "linux")]
mod tests {
    use super::*;

    /// The kernel's flags of the mapping that holds `address` (`hg`: advised
    /// as huge pages), from `/proc/self/smaps`.
    fn flags_at(address: usize) -> String {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap_or_default();
        let mut inside = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ')
                && let Some((from, to)) = range.split_once('-')
                && let (Ok(from), Ok(to)) = (
                    usize::from_str_radix(from, 16),
                    usize::from_str_radix(to, 16),
                )
            {
                inside = (from..to).contains(&address);
            } else if inside && let Some(flags) = line.strip_prefix("VmFlags:") {
                return flags.to_string();
            }
        }
        String::new()
    }

    #[test]
    fn a_big_buffer_is_advised_and_holds_what_is_written() {
        let size = 9 << 20;
        let mut buffer = Vec::with_capacity(size);
        advise(&mut buffer);
        let inner = (buffer.as_ptr() as usize).next_multiple_of(2 << 20);
        // A kernel built without huge pages refuses the advice.
        if std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
            let flags = flags_at(inner);
            assert!(flags.split_whitespace().any(|f| f == "hg"), "{flags}");
        }
        buffer.extend((0..size).map(|i| (i % 251) as u8));
        assert!(
            buffer
                .iter()
                .enumerate()
                .all(|(i, &b)| b == (i % 251) as u8)
        );
    }

    #[test]
    fn a_small_buffer_is_left_alone() {
        let mut buffer = Vec::<u8>::with_capacity(100);
        advise(&mut buffer);
        let flags = flags_at(buffer.as_ptr() as usize);
        assert!(!flags.split_whitespace().any(|f| f == "hg"), "{flags}");
    }
}
