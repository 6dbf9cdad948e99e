//! The `upbook` command: parses arguments, calls the library, prints
//! diagnostics and picks the exit code (0 ok, 1 bad input, 2 bad usage).

mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    cmd::run(cli)
}
