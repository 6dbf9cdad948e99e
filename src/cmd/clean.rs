use std::path::PathBuf;
use std::process::ExitCode;

use super::{BAD_INPUT, Output, project_dir};

#[derive(clap::Args)]
pub struct Args {
    /// The project folder (default: the current folder).
    pub dir: Option<PathBuf>,
    /// The output folder to remove (default: book/ in the project).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: &Args, out: &Output) -> ExitCode {
    let root = match project_dir(&args.dir, out) {
        Ok(root) => root,
        Err(code) => return code,
    };
    match upbook::project::clean(&root, args.out.as_deref()) {
        Ok(Some(removed)) => {
            out.info(&format!("Removed {}", removed.display()));
            ExitCode::SUCCESS
        }
        Ok(None) => {
            out.info("Nothing to remove: there is no output folder.");
            ExitCode::SUCCESS
        }
        Err(diags) => {
            out.diagnostics(&diags);
            ExitCode::from(BAD_INPUT)
        }
    }
}
