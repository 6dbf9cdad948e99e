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
    let cli = cmd::Cli::parse();
    cmd::run(cli)
}
