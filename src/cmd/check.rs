use std::path::PathBuf;
use std::process::ExitCode;

use super::{BAD_INPUT, Output, project_dir};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Report {
    /// Diagnostics as text, with source snippets.
    Text,
    /// Diagnostics as a JSON array on standard output, for CI.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// The project folder (default: the current folder).
    pub dir: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Report,
}

pub fn run(args: &Args, out: &Output) -> ExitCode {
    let root = match project_dir(&args.dir, out) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let (checked, diags) = upbook::check(&root);
    let failed = checked.is_none() || diags.has_errors();
    match args.format {
        Report::Json => {
            let json = serde_json::to_string_pretty(&diags.items).unwrap_or_else(|_| "[]".into());
            println!("{json}");
        }
        Report::Text => {
            out.diagnostics(&diags);
            let errors = diags.errors().count();
            let warnings = diags.warnings().count();
            if !failed {
                out.info(&format!(
                    "No errors ({warnings} warning{}).",
                    if warnings == 1 { "" } else { "s" }
                ));
            } else {
                eprintln!(
                    "{errors} error{}, {warnings} warning{}.",
                    if errors == 1 { "" } else { "s" },
                    if warnings == 1 { "" } else { "s" }
                );
            }
        }
    }
    if failed {
        ExitCode::from(BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}
