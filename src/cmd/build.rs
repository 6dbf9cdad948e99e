use std::path::PathBuf;
use std::process::ExitCode;

use upbook::model::config::Format;
use upbook::{BuildOptions, build};

use super::{BAD_INPUT, Output, project_dir};

#[derive(clap::Args)]
pub struct Args {
    /// The project folder (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Write only this format (default: those book.toml lists).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Output folder (default: book/ in the project).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: &Args, out: &Output) -> ExitCode {
    let root = project_dir(&args.dir);
    let options = BuildOptions {
        out: args.out.clone(),
        formats: args.format.into_iter().collect(),
    };
    match build(&root, &options) {
        Ok(summary) => {
            out.diagnostics(&summary.diagnostics);
            out.info(&format!(
                "Wrote {} files to {}",
                summary.files,
                summary.out.display()
            ));
            ExitCode::SUCCESS
        }
        Err(diags) => {
            out.diagnostics(&diags);
            let errors = diags.errors().count();
            eprintln!(
                "Build failed with {errors} error{}; the previous output was left as it was.",
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(BAD_INPUT)
        }
    }
}
