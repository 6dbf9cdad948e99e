//! The `upbook` command: parses arguments, calls the library, prints
//! diagnostics and picks the exit code (0 ok, 1 bad input, 2 bad usage).

mod cmd;

/// A build allocates and frees a tree per note and a page per copy;
/// mimalloc handles that churn markedly faster than the system allocator
/// (see the benchmark figures in the README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // mimalloc asks for transparent huge pages, and where the kernel
    // compacts memory to find them (Linux's default `defrag=madvise`) a
    // build stalls in the kernel: at 5,000 notes system time went from
    // 0.8 s to 3.2 s, and the build from 2.0 s to 3.0 s. Ordinary pages
    // cost a little more per fault and never stall.
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
    let cli = cmd::Cli::parse();
    cmd::run(cli)
}
