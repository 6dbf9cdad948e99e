//! The `upbook` command: parses arguments, calls the library, prints
//! diagnostics and picks the exit code (0 ok, 1 bad input, 2 bad usage).

mod cmd;

/// A build allocates and frees a tree per note and a page per copy;
/// mimalloc handles that churn markedly faster than the system allocator
/// (see the figures in benches/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    // mimalloc asks for transparent huge pages. A command that only reads
    // and compares (`check`, `changes`) gains from them: a 2 MiB page is one
    // fault where 4 KiB pages are 512, and at 1,000 notes `upbook changes`
    // took 60 ms with them against 92 ms without (21,000 faults against
    // 900). A build is the opposite: it makes and frees a large page per
    // copy, and at 5,000 notes an HTML build took 2.3 s with huge pages
    // against 1.8 s, its system time doubled, most of it zeroing pages
    // (measured on a virtual machine that hands freed memory back to its
    // host, which makes fresh huge pages dearer; see
    // benches/README.md). `build` and `serve` (which also lives long) keep to
    // ordinary pages.
    #[cfg(target_os = "linux")]
    if cli.command.renders() {
        let _ = nix::sys::prctl::set_thp_disable(true);
    }
    cmd::run(cli)
}
