use clap::Parser;

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    // Whatever the service creates (the embedded database and its journal, the key file)
    // holds personal data or secrets: nobody but its user may read it.
    // SAFETY: umask only sets the process's file creation mask.
    unsafe {
        libc::umask(0o077);
    }
    sinergi::cli::run(sinergi::cli::Cli::parse())
}

/// glibc gives threads that allocate at once arenas of their own (up to eight per core), and
/// each arena keeps what it once held. Under the mixed write load of `bench/load.sh` the
/// blocking pool's threads took the peak RSS from 103 MB to 156 MB for the same throughput
/// (docs/PERFORMANCE.md), so the service uses one arena per core (at least two).
/// `MALLOC_ARENA_MAX` in the environment still decides where it is set.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt only sets an allocator tunable, and this runs first in main, before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, arenas);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
