use std::path::PathBuf;
use std::process::ExitCode;

use upbook::project::release::{ReleaseOptions, create};

use super::{BAD_INPUT, Output, USAGE};

#[derive(clap::Args)]
#[command(override_usage = "upbook release [OPTIONS] [DIR] VERSION")]
pub struct Args {
    /// `[DIR] VERSION`: the project folder (default: the current folder)
    /// and the version to release, e.g. 1.0.
    // Not `required`: clap would name the missing value `<VERSION>...`,
    // which is not how the command is written; `run` says it instead.
    #[arg(num_args = 1..=2, value_name = "VERSION")]
    pub args: Vec<String>,
    /// Mark this version final: the customer accepted it.
    #[arg(long = "final", requires = "accepted_by")]
    pub is_final: bool,
    /// Who accepted the final version (with --final).
    #[arg(long)]
    pub accepted_by: Option<String>,
    /// The day the customer accepted it, e.g. 2027-01-12 (with --final;
    /// default: the release date).
    #[arg(long, requires = "is_final", value_parser = parse_date)]
    pub accepted_on: Option<time::Date>,
    /// Where the acceptance is recorded: an e-mail's subject, a ticket
    /// (with --final).
    #[arg(long, requires = "is_final")]
    pub reference: Option<String>,
    /// Allow a release after a final one.
    #[arg(long)]
    pub after_final: bool,
    /// Make the final release although requests or findings are still
    /// open (with --final): they are carried over.
    #[arg(long, requires = "is_final")]
    pub accept_open: bool,
}

pub fn run(args: &Args, out: &Output) -> ExitCode {
    let (dir, version) = match args.args.as_slice() {
        [version] => (PathBuf::from("."), version.clone()),
        [dir, version] => (PathBuf::from(dir), version.clone()),
        _ => {
            let _ = clap::Error::raw(
                clap::error::ErrorKind::MissingRequiredArgument,
                "name the version to release, e.g. `upbook release 1.0`\n\n\
                 Usage: upbook release [OPTIONS] [DIR] VERSION\n\n\
                 For more information, try '--help'.\n",
            )
            .print();
            return ExitCode::from(USAGE);
        }
    };
    if let Err(code) = super::ensure_project(&dir, out) {
        return code;
    }
    let options = ReleaseOptions {
        accepted_by: args.accepted_by.clone().filter(|_| args.is_final),
        accepted_on: args.accepted_on,
        reference: args.reference.clone(),
        after_final: args.after_final,
        accept_open: args.accept_open,
    };
    match create(&dir, &version, &options) {
        Ok(path) => {
            out.info(&format!(
                "Released {version} into {}. Commit it; `upbook build` renders it from there.",
                path.display()
            ));
            ExitCode::SUCCESS
        }
        Err(diags) => {
            out.diagnostics(&diags);
            ExitCode::from(BAD_INPUT)
        }
    }
}

fn parse_date(text: &str) -> Result<time::Date, String> {
    upbook::model::engagement::iso_date::parse(text)
}
