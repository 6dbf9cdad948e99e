use std::path::PathBuf;
use std::process::ExitCode;

use upbook::model::version::Version;

use super::{BAD_INPUT, Output};

#[derive(clap::Args)]
pub struct Args {
    /// `[DIR] [FROM] [TO]`: FROM defaults to the last release, TO to the
    /// draft (`draft`).
    #[arg(num_args = 0..=3, value_names = ["DIR", "FROM", "TO"])]
    pub args: Vec<String>,
}

pub fn run(args: &Args, out: &Output) -> ExitCode {
    // A first value that is not a version (or `draft`) is the folder.
    let mut values = args.args.clone();
    let dir = match values.first() {
        Some(v) if Version::parse(v).is_none() && v != "draft" => PathBuf::from(values.remove(0)),
        _ => PathBuf::from("."),
    };
    if let Err(code) = super::ensure_project(&dir, out) {
        return code;
    }
    match upbook::changes(
        &dir,
        values.first().map(String::as_str),
        values.get(1).map(String::as_str),
    ) {
        Ok(changes) => {
            print!(
                "{}",
                upbook::changes::terminal::render(&changes, out.color_stdout())
            );
            ExitCode::SUCCESS
        }
        Err(diags) => {
            out.diagnostics(&diags);
            ExitCode::from(BAD_INPUT)
        }
    }
}
