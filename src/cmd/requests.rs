use std::path::PathBuf;
use std::process::ExitCode;

use upbook::model::engagement::iso;
use upbook::model::review::RequestStatus;
use upbook::project::requests;

use super::check::Report;
use super::{BAD_INPUT, Output, project_dir};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// Add the requests in FILE (saved from a released version's pages,
    /// or a released .docx the reviewer edited in Word with Track Changes
    /// on) to content/reviews/change-requests.yaml with the next free ids.
    #[command(override_usage = "upbook requests import [DIR] FILE")]
    Import {
        /// `[DIR] FILE`: the project folder (default: the current folder)
        /// and the file of requests (.yaml) or the reviewed .docx.
        #[arg(num_args = 1..=2, value_name = "FILE", required = true)]
        args: Vec<PathBuf>,
    },
    /// Print the change requests with their state.
    List {
        /// The project folder (default: the current folder).
        dir: Option<PathBuf>,
        /// Only the requests still open or agreed but not yet applied.
        #[arg(long)]
        open: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Report,
    },
}

pub fn run(args: &Args, out: &Output) -> ExitCode {
    match &args.command {
        Command::Import { args } => {
            let (dir, file) = match args.as_slice() {
                [file] => (PathBuf::from("."), file.clone()),
                [dir, file] => (dir.clone(), file.clone()),
                _ => unreachable!("clap takes one or two values"),
            };
            if let Err(code) = super::ensure_project(&dir, out) {
                return code;
            }
            match requests::import(&dir, &file) {
                Ok(done) => {
                    let mut said = match done.added.as_slice() {
                        [] => "Added no request".to_string(),
                        ids => format!(
                            "Added {} request{} to content/reviews/change-requests.yaml: {}",
                            ids.len(),
                            if ids.len() == 1 { "" } else { "s" },
                            ids.join(", ")
                        ),
                    };
                    if done.already_there > 0 {
                        said.push_str(&format!(" ({} already there)", done.already_there));
                    }
                    out.info(&format!("{said}."));
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    out.diagnostics(&diags);
                    eprintln!("Nothing was imported.");
                    ExitCode::from(BAD_INPUT)
                }
            }
        }
        Command::List { dir, open, format } => {
            let root = match project_dir(dir, out) {
                Ok(root) => root,
                Err(code) => return code,
            };
            let all = match requests::list(&root) {
                Ok(all) => all,
                Err(diags) => {
                    out.diagnostics(&diags);
                    return ExitCode::from(BAD_INPUT);
                }
            };
            let shown: Vec<_> = all
                .into_iter()
                .filter(|r| {
                    !open || matches!(r.status, RequestStatus::Open | RequestStatus::Agreed)
                })
                .collect();
            match format {
                Report::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&shown).unwrap_or_else(|_| "[]".into())
                ),
                Report::Text => {
                    for r in &shown {
                        // "Applied in 1.1", raised on the release reviewed.
                        let state = match (&r.status, &r.applied_in) {
                            (RequestStatus::Applied, Some(v)) => format!("Applied in {v}"),
                            (status, _) => status.label().to_string(),
                        };
                        println!(
                            "{}  {state:<15}  raised on {}  {}  ({}, {} {})",
                            r.id,
                            r.raised_against,
                            r.section,
                            r.kind.label().to_lowercase(),
                            r.raised_by,
                            iso(r.date)
                        );
                        println!("    {}", r.request);
                        if let Some(copy) = &r.copy {
                            let steps = r.steps.as_deref().map(|s| format!(", steps {s}"));
                            println!(
                                "    (raised on the {copy} copy{})",
                                steps.unwrap_or_default()
                            );
                        }
                        if let Some(resolution) = &r.resolution {
                            println!("    → {resolution}");
                        }
                        for c in &r.comments {
                            println!("    {} ({}): {}", c.by, iso(c.date), c.text);
                        }
                    }
                    if shown.is_empty() {
                        out.info("No change requests.");
                    }
                }
            }
            ExitCode::SUCCESS
        }
    }
}
