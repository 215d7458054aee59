use clap::Parser;

fn main() -> std::process::ExitCode {
    tune_malloc();
    // Whatever the service creates (the embedded database and its journal, the key file)
    // holds personal data or secrets: nobody but its user may read it.
    // SAFETY: umask only sets the process's file creation mask.
    unsafe {
        libc::umask(0o077);
    }
    sinergi::cli::run(sinergi::cli::Cli::parse())
}

/// Two glibc defaults that cost the service memory it never gets back (docs/PERFORMANCE.md):
///
/// - Threads that allocate at once get arenas of their own (up to eight per core), and each
///   arena keeps what it once held. Under the mixed write load of `bench/load.sh` the
///   blocking pool's threads took the peak RSS from 103 MB to 156 MB for the same
///   throughput, so the service uses one arena per core (at least two).
/// - Blocks above the mmap threshold (128 KiB) are mapped on their own and unmapped when
///   freed, but freeing one raises the threshold to its size: after the first argon2 hash
///   (19 MiB) every block below 19 MiB (request bodies, pages of the feed) came from the
///   arenas, and what the arenas once held stayed resident. A fixed threshold keeps the
///   default and turns the raising off.
///
/// `MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_` or `GLIBC_TUNABLES` in the environment still
/// decide what they set.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    let set = |name| std::env::var_os(name).is_some();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt only sets an allocator tunable, and this runs first in main, before
    // any other thread exists.
    unsafe {
        if !set("MALLOC_ARENA_MAX") {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
        if !set("MALLOC_MMAP_THRESHOLD_") && !set("GLIBC_TUNABLES") {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}
