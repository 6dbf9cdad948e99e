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
    if cli.command.drafts() {
        keep_freed_memory();
    }
    cmd::run(cli)
}

/// Keeps memory the server freed for its next build. mimalloc hands
/// freed memory back to the system 10 ms after the last use, so each save
/// 2–3 s after the one before found none of the last build's memory left,
/// and faulted in and zeroed its pages anew: at 1,000 notes that was a
/// third of a save's rebuild (see benches/README.md). A build's memory is
/// much the same from save to save, so the server stays at the size of
/// its largest build rather than growing.
#[allow(unsafe_code)]
fn keep_freed_memory() {
    /// `mi_option_purge_delay` in `mimalloc.h` (the same in its versions 2
    /// and 3), which the Rust bindings do not name.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one of mimalloc's options, which it reads on each purge;
    // any value is valid, and -1 means never.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}
