//! `cargo bench --bench serve`: how long after a note is saved the
//! rebuilt page is served, with `upbook serve` running on a project of
//! 1,000 notes (`UPBOOK_BENCH_SERVE_NOTES`) with release 1.0 made, in the
//! rhythm of a consultant drafting: a save every 2.5 s
//! (`UPBOOK_BENCH_SERVE_GAP_MS`, the time to read the page between two
//! saves), so the PDFs of the last save are being laid out when the next
//! one lands. Two rounds, each with a server of its own: PDFs on (the
//! project's formats), then `--format html`.
//!
//! The notes come from `UPBOOK_BENCH_CORPUS=path/to/gen_corpus.py` (the
//! peers' generator, which writes `DIR/upbook`) when it is set, else from
//! this crate's own generator. `UPBOOK_BENCH_SERVE_RELEASE=0` leaves the
//! release out; `UPBOOK_BENCH_SERVE_MODES=pdf` or `html` runs one round.
//!
//! Each of `UPBOOK_BENCH_RUNS` (default 20) saves appends a line to a
//! different note, then polls `/__upbook/state` every millisecond until
//! the build number moves (the moment open pages are told to reload),
//! then downloads the page and checks the line is on it.

mod corpus;
#[path = "../tests/common/serve_client.rs"]
mod serve_client;
mod settings;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serve_client::get;

fn main() {
    let notes = settings::count("UPBOOK_BENCH_SERVE_NOTES", 1000);
    let runs = settings::count("UPBOOK_BENCH_RUNS", 20);
    let gap = Duration::from_millis(settings::count("UPBOOK_BENCH_SERVE_GAP_MS", 2500) as u64);
    let with_release = std::env::var("UPBOOK_BENCH_SERVE_RELEASE").map_or(true, |v| v != "0");
    let modes = std::env::var("UPBOOK_BENCH_SERVE_MODES").unwrap_or_else(|_| "pdf,html".into());
    let work = std::env::temp_dir().join(format!("upbook-bench-serve-{}", std::process::id()));
    let (dir, source) = project(&work, notes);
    if with_release {
        upbook::project::release::create(&dir, "1.0", &Default::default())
            .unwrap_or_else(|d| panic!("release: {:?}", d.items));
    }
    println!(
        "upbook serve, {notes} notes ({source}){}, a save every {:.1} s, {runs} saves per round",
        if with_release {
            ", release 1.0 made"
        } else {
            ""
        },
        gap.as_secs_f64()
    );
    let mut first_note = 0;
    for mode in modes.split(',').map(str::trim) {
        let args: &[&str] = match mode {
            "html" => &["--quiet", "--format", "html"],
            _ => &["--quiet"],
        };
        let label = match mode {
            "html" => "--format html",
            _ => "PDFs on",
        };
        round(&dir, label, args, runs, gap, &mut first_note);
    }
    let _ = std::fs::remove_dir_all(&work);
}

/// The project to serve, and where its notes came from.
fn project(work: &Path, notes: usize) -> (PathBuf, &'static str) {
    match std::env::var("UPBOOK_BENCH_CORPUS") {
        Ok(script) => {
            let status = Command::new("python3")
                .arg(&script)
                .arg(notes.to_string())
                .arg(work)
                .status()
                .expect("run the corpus generator");
            assert!(status.success(), "{script} failed");
            (work.join("upbook"), "the peers' corpus")
        }
        Err(_) => {
            let dir = work.join("upbook");
            corpus::write(&dir, notes);
            (dir, "upbook's own corpus")
        }
    }
}

/// One server, `runs` saves `gap` apart; prints the figures.
fn round(
    dir: &Path,
    label: &str,
    args: &[&str],
    runs: usize,
    gap: Duration,
    next_note: &mut usize,
) {
    let (mut child, base) = serve_client::spawn(dir, args, Stdio::null());
    let started = Instant::now();
    while number(&base, "build") < 1 {
        std::thread::sleep(Duration::from_millis(10));
    }
    println!();
    println!(
        "{label}: first build served after {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let notes_dir = dir.join("content/notes");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&notes_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    names.sort();
    let mut served = Vec::new();
    let mut downloaded = Vec::new();
    let mut rebuilt = Vec::new();
    let mut while_laying_out = 0;
    let stopped_before = number(&base, "pdf_stopped");
    for run in 0..runs {
        std::thread::sleep(gap);
        let now = state(&base);
        let before = now["build"].as_u64().unwrap_or(0);
        while_laying_out += usize::from(now["pdf_running"] == true);
        // A different note each save, spread over the playbook.
        let note = &names[(*next_note + run * 37) % names.len()];
        let mut text = std::fs::read_to_string(note).unwrap();
        let marker = format!("Benchmark edit {label} number {run}.");
        text.push_str(&format!("\n{marker}\n"));
        let saved = Instant::now();
        std::fs::write(note, text).unwrap();
        while number(&base, "build") == before {
            assert!(saved.elapsed() < Duration::from_secs(30), "no rebuild");
            std::thread::sleep(Duration::from_millis(1));
        }
        served.push(saved.elapsed());
        let page = get(&base, "/draft/index.html").body;
        downloaded.push(saved.elapsed());
        assert!(
            String::from_utf8_lossy(&page).contains(&marker),
            "the page has the edit"
        );
        rebuilt.push(Duration::from_secs_f64(
            state(&base)["last"]["took"].as_f64().unwrap_or(0.0) / 1000.0,
        ));
    }
    *next_note += runs;
    let stopped = number(&base, "pdf_stopped") - stopped_before;
    let _ = child.kill();
    let _ = child.wait();

    println!(
        "{runs} saves, one note each; {while_laying_out} landed while PDFs were laid out, {stopped} layouts stopped; milliseconds"
    );
    println!(
        "{:<44} {:>8} {:>8} {:>8}",
        "from the save to", "median", "min", "max"
    );
    for (what, times) in [
        ("the rebuild (server's own timing)", &mut rebuilt),
        ("the new page served, reload sent", &mut served),
        ("the page downloaded by a client", &mut downloaded),
    ] {
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{:<44} {:>8.1} {:>8.1} {:>8.1}",
            what,
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[times.len() - 1])
        );
    }
}

fn state(base: &str) -> serde_json::Value {
    serde_json::from_slice(&get(base, "/__upbook/state").body).unwrap_or_default()
}

fn number(base: &str, key: &str) -> u64 {
    state(base)[key].as_u64().unwrap_or(0)
}
