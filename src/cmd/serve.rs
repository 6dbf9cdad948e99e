use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use upbook::model::config::Format;
use upbook::serve::{Event, ServeOptions, WatcherKind};

use super::{BAD_INPUT, Output, project_dir};

#[derive(clap::Args)]
pub struct Args {
    /// The project folder (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, short, default_value_t = 3000)]
    pub port: u16,
    /// Address to listen on. Anything but a loopback address lets other
    /// machines read the playbook.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Open the playbook in the default browser.
    #[arg(long)]
    pub open: bool,
    /// How to notice saves: native file events, or polling for file
    /// systems that do not deliver them (network shares, some VMs).
    #[arg(long, value_enum, default_value_t = WatcherKind::Native)]
    pub watcher: WatcherKind,
    /// Also write the output here (default: book/ in the project).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write only this format (default: those book.toml lists);
    /// `--format html` skips PDF layout while drafting.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

pub fn run(args: &Args, out: &Output) -> ExitCode {
    let root = match project_dir(&args.dir, out) {
        Ok(root) => root,
        Err(code) => return code,
    };
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on the network can read this playbook",
            args.bind
        );
    }
    let options = ServeOptions {
        bind: args.bind,
        port: args.port,
        watcher: args.watcher,
        out: args.out.clone(),
        formats: args.format.into_iter().collect(),
    };
    let quiet = out.quiet;
    let color = out.color;
    let open = args.open;
    let report = Arc::new(move |event: Event| match event {
        Event::Listening {
            url,
            watcher,
            fallback,
        } => {
            // On stdout, alone on its line, so scripts can read the URL.
            println!("Serving {url}");
            if let Some(why) = fallback {
                eprintln!(
                    "warning: native file events are unavailable ({why}); polling for changes instead"
                );
            } else if !quiet && watcher == WatcherKind::Poll {
                eprintln!("Polling for changes");
            }
            if !quiet {
                eprintln!("Press Ctrl-C to stop.");
            }
            if open && let Err(e) = opener::open_browser(&url) {
                eprintln!("warning: cannot open a browser: {e}");
            }
        }
        Event::Built {
            stats,
            changed,
            warnings,
        } => {
            for d in &warnings.items {
                if !quiet {
                    eprintln!("{}\n", d.render(color));
                }
            }
            if !quiet {
                eprintln!(
                    "Built in {:.0} ms: {changed} file{} changed ({} note{} read, {} section{} rendered)",
                    stats.took.as_secs_f64() * 1000.0,
                    plural(changed),
                    stats.notes_read,
                    plural(stats.notes_read),
                    stats.sections_rendered,
                    plural(stats.sections_rendered),
                );
            }
        }
        Event::Failed(diags) => {
            for d in &diags.items {
                eprintln!("{}\n", d.render(color));
            }
            eprintln!("The build failed; still serving the last good one.");
        }
        Event::PdfsDone { files, took } => {
            if !quiet {
                eprintln!(
                    "PDFs laid out in {:.1} s ({files} file{})",
                    took.as_secs_f64(),
                    plural(files)
                );
            }
        }
        Event::PdfFailed(d) => eprintln!(
            "{}\n\nThe PDF failed; the pages are unaffected.",
            d.render(color)
        ),
        Event::WriteFailed(d) => eprintln!("{}", d.render(color)),
    });
    match upbook::serve::run(&root, &options, report) {
        Ok(()) => {
            if !out.quiet {
                eprintln!("Stopped.");
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{}", d.render(out.color));
            ExitCode::from(BAD_INPUT)
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
