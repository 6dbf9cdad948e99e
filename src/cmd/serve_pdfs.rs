//! The hidden `__serve-pdfs` subcommand: the PDF layout process that
//! `serve` starts and stops (see `upbook::serve::layout`). Not for people.

use std::path::PathBuf;
use std::process::ExitCode;

use upbook::serve::layout::{self, Job};

#[derive(clap::Args)]
pub struct Args {
    pub dir: PathBuf,
    /// Lay out the draft's PDFs.
    #[arg(long)]
    pub draft: bool,
    /// Lay out this release's PDFs (repeatable).
    #[arg(long = "release")]
    pub releases: Vec<String>,
    /// Make PDFs.
    #[arg(long)]
    pub pdf: bool,
    /// Make Word files.
    #[arg(long)]
    pub docx: bool,
}

pub fn run(args: &Args) -> ExitCode {
    let job = Job {
        draft: args.draft,
        releases: args.releases.clone(),
        pdf: args.pdf,
        docx: args.docx,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match layout::run(&args.dir, &job, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => {
            eprintln!("{}", d.render(false));
            ExitCode::from(super::BAD_INPUT)
        }
    }
}
