use std::path::PathBuf;
use std::process::ExitCode;

use upbook::model::config::Format;
use upbook::{BuildOptions, build};

use std::io::{IsTerminal, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

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
    let root = match project_dir(&args.dir, out) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let options = BuildOptions {
        out: args.out.clone(),
        formats: args.format.into_iter().collect(),
    };
    let progress =
        (!out.quiet && std::io::stderr().is_terminal() && args.format != Some(Format::Html))
            .then(Progress::start);
    let result = build(&root, &options);
    drop(progress);
    match result {
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

/// A line on the terminal while a build runs past a second, which only
/// PDF layout makes it do; cleared when the build ends.
struct Progress {
    done: Option<mpsc::Sender<()>>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start() -> Progress {
        let (done, wait) = mpsc::channel::<()>();
        let ticker = std::thread::spawn(move || {
            // The build ends by dropping the sender: any answer but a
            // timeout means it is over.
            let started = Instant::now();
            if wait.recv_timeout(Duration::from_secs(1)) != Err(mpsc::RecvTimeoutError::Timeout) {
                return;
            }
            loop {
                eprint!(
                    "\r\x1b[KBuilding, laying out the PDFs… {} s",
                    started.elapsed().as_secs()
                );
                let _ = std::io::stderr().flush();
                if wait.recv_timeout(Duration::from_millis(500))
                    != Err(mpsc::RecvTimeoutError::Timeout)
                {
                    eprint!("\r\x1b[K");
                    return;
                }
            }
        });
        Progress {
            done: Some(done),
            ticker: Some(ticker),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}
