//! One file per subcommand; each takes its argument struct whole.

mod build;
mod changes;
mod check;
mod clean;
mod completions;
mod init;
mod release;
mod requests;
mod serve;
mod serve_pdfs;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use upbook::diagnostic::{Diagnostic, Diagnostics};

#[derive(Parser)]
#[command(
    name = "upbook",
    version,
    about = "Turns a Managed Upgrade engagement into a versioned, reviewed playbook"
)]
pub struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create a new project with an example engagement.
    Init(init::Args),
    /// Build the playbook and report (the formats book.toml lists) into book/.
    Build(build::Args),
    /// Validate the project and print diagnostics; writes nothing.
    Check(check::Args),
    /// Freeze the current draft as a release under releases/VERSION/.
    Release(release::Args),
    /// Remove the output folder (book/), as `mdbook clean` does.
    Clean(clean::Args),
    /// Print a shell completion script: `upbook completions bash > ...`.
    Completions(completions::Args),
    /// Import the customer's change requests, or list them.
    Requests(requests::Args),
    /// Show what changed between two versions (default: last release to draft).
    #[command(visible_alias = "diff")]
    Changes(changes::Args),
    /// Build, serve on 127.0.0.1, rebuild on every save and reload the browser.
    Serve(serve::Args),
    /// The PDF layout process `serve` runs.
    #[command(name = "__serve-pdfs", hide = true)]
    ServePdfs(serve_pdfs::Args),
}

impl Command {
    /// Whether the command renders playbooks, rather than only reading,
    /// comparing and writing a few files.
    pub fn renders(&self) -> bool {
        matches!(
            self,
            Command::Build(_) | Command::Serve(_) | Command::ServePdfs(_)
        )
    }

    /// Whether the command is `serve`, which lives for a drafting session
    /// and rebuilds the same pages on every save.
    pub fn drafts(&self) -> bool {
        matches!(self, Command::Serve(_))
    }
}

pub fn run(cli: Cli) -> ExitCode {
    let out = Output {
        quiet: cli.quiet,
        color: color_wanted(),
    };
    if !out.quiet {
        // A command waiting for another upbook says so, or it would look
        // hung.
        upbook::project::lock::when_waiting(|message| eprintln!("{message}"));
    }
    match cli.command {
        Command::Init(args) => init::run(&args, &out),
        Command::Build(args) => build::run(&args, &out),
        Command::Check(args) => check::run(&args, &out),
        Command::Release(args) => release::run(&args, &out),
        Command::Clean(args) => clean::run(&args, &out),
        Command::Completions(args) => completions::run(&args),
        Command::Requests(args) => requests::run(&args, &out),
        Command::Changes(args) => changes::run(&args, &out),
        Command::Serve(args) => serve::run(&args, &out),
        Command::ServePdfs(args) => serve_pdfs::run(&args),
    }
}

/// How to talk to the user: colour only on a terminal without NO_COLOR.
pub struct Output {
    pub quiet: bool,
    pub color: bool,
}

impl Output {
    pub fn diagnostics(&self, diags: &Diagnostics) {
        for d in &diags.items {
            if self.quiet && !d.is_error() {
                continue;
            }
            eprintln!("{}\n", d.render(self.color));
        }
    }

    /// Colour on standard output: a terminal, and no NO_COLOR.
    pub fn color_stdout(&self) -> bool {
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
    }

    pub fn info(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }
}

fn color_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// The project folder a command works on (default: the current folder),
/// or the exit status after saying it is not one.
fn project_dir(dir: &Option<PathBuf>, out: &Output) -> Result<PathBuf, ExitCode> {
    let root = dir.clone().unwrap_or_else(|| PathBuf::from("."));
    ensure_project(&root, out)?;
    Ok(root)
}

/// Every command but `init` works on a project: a folder without
/// `book.toml` is named as not one, with what to do, before anything
/// reads, serves or writes there.
fn ensure_project(root: &Path, out: &Output) -> Result<(), ExitCode> {
    if root.join("book.toml").is_file() {
        return Ok(());
    }
    let shown = if root.as_os_str() == "." {
        "the current folder".to_string()
    } else {
        root.display().to_string()
    };
    let d = Diagnostic::error(format!(
        "{shown} is not an upbook project: it has no book.toml"
    ))
    .with_hint("name a project folder, or make one with `upbook init DIR`");
    out.diagnostics(&Diagnostics { items: vec![d] });
    Err(ExitCode::from(BAD_INPUT))
}

const BAD_INPUT: u8 = 1;
/// Bad usage, as clap exits with it.
const USAGE: u8 = 2;
