//! `cargo bench --bench build`: upbook against its peers on the same
//! generated notes, in the same run.
//!
//! 1. HTML builds of 1,000 and 5,000 notes (wall, CPU, peak memory), then
//!    mdBook and Hugo on the same notes when installed, with ratios.
//! 2. Each stage of an HTML build per size, and its growth from the first
//!    size: work that grows faster than the notes shows here.
//! 3. HTML + PDF builds (the example, then 200 and 1,000 notes), against
//!    Typst compiling pandoc's Typst output of the same notes when pandoc
//!    and Typst are installed; pages and CPU per page for both; and the
//!    build's growth from the first size, split into user CPU, pages
//!    touched, peak and kernel time beside the machine's own cost of
//!    touching that much fresh memory.
//! 4. The change view end to end (`upbook changes DIR 1.0 draft` after 200 edits
//!    per 1,000 notes) against `git diff --no-index --word-diff` of the
//!    same texts.
//!
//! Each measurement runs in a fresh process, so peak memory is its own.
//! Settings: `UPBOOK_BENCH_SIZES=1000,5000`, `UPBOOK_BENCH_PDF_SIZES=200,1000`,
//! `UPBOOK_BENCH_RUNS=3`, `UPBOOK_BENCH_PEERS=0` (skip mdBook and Hugo),
//! `UPBOOK_BENCH_CORPUS=path/to/gen_corpus.py` (notes from an external
//! generator that writes `DIR/upbook`, `DIR/mdbook`, `DIR/hugo` and
//! `DIR/single/book.md` for `gen_corpus.py N DIR`, instead of this
//! crate's own) and `UPBOOK_BENCH_PROJECT=DIR` (time one existing project
//! only). `cargo bench --bench build -- --write N DIR` writes a generated
//! engagement of N notes to DIR.

mod changes;
mod corpus;
#[path = "../tests/common/files.rs"]
mod files;
mod measure;
mod pdf;
mod projects;
mod settings;

// The same allocator as the `upbook` binary, so figures match the CLI.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use upbook::model::config::Format;

use measure::{Cost, child_figures, installed, table, timed};
use projects::Corpus;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--write") => {
            let n = args[2].parse().expect("a number of notes");
            corpus::write(Path::new(&args[3]), n);
            return;
        }
        Some("--stages") => return stages_child(Path::new(&args[2])),
        Some("--touch") => return measure::touch_child(args[2].parse().expect("MiB")),
        Some("--child") => {
            return measure::child(
                Path::new(&args[2]),
                args.get(3).map(String::as_str) == Some("pdf"),
            );
        }
        _ => {}
    }
    let runs = settings::count("UPBOOK_BENCH_RUNS", 3);
    let work = std::env::temp_dir().join(format!("upbook-bench-{}", std::process::id()));
    if let Ok(dir) = std::env::var("UPBOOK_BENCH_PROJECT") {
        println!("upbook HTML build of {dir}, {runs} runs");
        table(&[(dir.clone(), PathBuf::from(dir))], runs, false);
        return;
    }
    let corpora: Vec<Corpus> = settings::counts("UPBOOK_BENCH_SIZES", &[1000, 5000])
        .into_iter()
        .map(|n| projects::of_size(&work, n))
        .collect();

    println!("upbook HTML build, {runs} runs each, medians");
    let projects: Vec<(String, PathBuf)> = corpora
        .iter()
        .map(|c| (c.label(), c.project.clone()))
        .collect();
    let html = table(&projects, runs, false);
    // The change view runs before the peers: on a virtual machine that hands
    // freed memory back to its host (Firecracker's free page reporting),
    // the gigabytes mdBook and Hugo free are slow to use again, and
    // `upbook changes` timed after them took 0.10-0.18 s instead of 0.065 s,
    // a third of it in the kernel zeroing pages. (upbook's own builds
    // above have the same effect, smaller: the untimed first run in
    // `timed` absorbs it.)
    changes::changes(&corpora, runs);
    peers(&corpora, &html, runs);
    stages(&corpora);

    let pdf_corpora: Vec<Corpus> = settings::counts("UPBOOK_BENCH_PDF_SIZES", &[200, 1000])
        .into_iter()
        .map(|n| projects::of_size(&work, n))
        .collect();
    pdf::pdfs(&pdf_corpora, runs);
    let _ = std::fs::remove_dir_all(&work);
}

/// mdBook and Hugo on the same notes, and upbook's time as a share of
/// theirs.
fn peers(corpora: &[Corpus], upbook: &[(Cost, usize)], runs: usize) {
    // `UPBOOK_BENCH_PEERS=0` leaves them out (at 5,000 notes mdBook
    // takes minutes).
    let wanted = std::env::var("UPBOOK_BENCH_PEERS").map_or(true, |v| v != "0");
    let tools: Vec<&str> = [("mdbook", "--version"), ("hugo", "version")]
        .into_iter()
        .filter(|(t, arg)| wanted && installed(t, arg))
        .map(|(t, _)| t)
        .collect();
    if tools.is_empty() {
        println!("(mdbook and hugo are not installed or not wanted: no comparison)");
        return;
    }
    println!();
    println!("the same notes with the peers, {runs} runs each, medians");
    println!(
        "{:<30} {:>9} {:>9} {:>10} {:>14}",
        "tool", "median s", "CPU s", "peak MiB", "upbook / tool"
    );
    for (corpus, (upbook, _)) in corpora.iter().zip(upbook) {
        for tool in &tools {
            let out = corpus.peers.join(format!("{tool}-out"));
            let cost = timed(runs, || {
                let _ = std::fs::remove_dir_all(&out);
                let mut cmd = Command::new(tool);
                match *tool {
                    "mdbook" => cmd
                        .arg("build")
                        .arg(corpus.peers.join("mdbook"))
                        .arg("-d")
                        .arg(&out),
                    _ => cmd
                        .args(["--quiet", "--source"])
                        .arg(corpus.peers.join("hugo"))
                        .arg("--destination")
                        .arg(&out),
                };
                cmd
            });
            let _ = std::fs::remove_dir_all(&out);
            println!(
                "{:<30} {:>9.3} {:>9.2} {:>10.1} {:>14.2}",
                format!("{tool}, {}", corpus.label()),
                cost.wall,
                cost.cpu,
                cost.peak,
                upbook.wall / cost.wall
            );
        }
    }
}

/// Each stage of an HTML build on its own, per size, and each size's
/// figures against the first's.
fn stages(corpora: &[Corpus]) {
    println!();
    println!("stages of an HTML build, seconds (best of 3), and the growth from the first size");
    let names = ["load", "check", "changes", "render", "write", "total"];
    print!("{:<16}", "size");
    for name in names {
        print!(" {name:>9}");
    }
    println!(" {:>9}", "output MB");
    let mut first: Option<Vec<f64>> = None;
    for corpus in corpora {
        let mut best = vec![f64::MAX; names.len() + 1];
        for _ in 0..3 {
            let stages = child_figures(
                &["--stages".as_ref(), corpus.project.as_os_str()],
                "the stages",
            );
            for (b, f) in best.iter_mut().zip(stages) {
                *b = b.min(f);
            }
        }
        print!("{:<16}", corpus.label());
        for b in &best {
            print!(" {b:>9.3}");
        }
        println!();
        match &first {
            None => first = Some(best),
            Some(base) => {
                print!("{:<16}", "  growth");
                for (b, a) in best.iter().zip(base) {
                    if *a < 1e-4 {
                        print!(" {:>9}", "-");
                    } else {
                        print!(" {:>8.1}×", b / a);
                    }
                }
                println!();
            }
        }
    }
}

/// One HTML build, timed stage by stage: loading the notes, the rest of
/// the checks, the change views, rendering (pages, search indexes, single
/// files), writing. Prints the seconds of each, the total and the
/// megabytes written.
fn stages_child(dir: &Path) {
    measure::as_the_cli_builds();
    let out = std::env::temp_dir().join(format!("upbook-bench-stages-{}", std::process::id()));
    let started = Instant::now();
    let mut diags = upbook::diagnostic::Diagnostics::default();
    let mut cache = upbook::load::Cache::default();
    let loaded = upbook::load::load_cached(dir, &mut diags, &mut cache);
    assert!(loaded.is_some(), "{} does not load", dir.display());
    drop(loaded);
    let load = started.elapsed().as_secs_f64();
    // The check proper: the notes come from the load's cache, so what is
    // timed is releases, theme, cross-references and assembling the model.
    let t = Instant::now();
    let (Some(checked), _) = upbook::check_cached(dir, &mut cache) else {
        panic!("{} does not check", dir.display())
    };
    let check = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let changes = upbook::project::changes_by_version(&checked.draft, &checked.releases);
    let changes_time = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let site = upbook::render::site(
        &checked.draft,
        &checked.theme,
        &checked.releases,
        &changes,
        &[Format::Html],
        &Default::default(),
    )
    .expect("render");
    let render = t.elapsed().as_secs_f64();
    let t = Instant::now();
    upbook::output::write(&out, &site).expect("write");
    let write = t.elapsed().as_secs_f64();
    let bytes: usize = site.values().map(Vec::len).sum();
    let _ = std::fs::remove_dir_all(&out);
    println!(
        "{load} {check} {changes_time} {render} {write} {} {}",
        load + check + changes_time + render + write,
        bytes as f64 / 1e6
    );
}
