//! `cargo bench --bench build`: upbook against its peers on the same
//! generated notes, in the same run.
//!
//! 1. HTML builds of 1,000 and 5,000 notes (wall, CPU, peak memory), then
//!    mdBook and Hugo on the same notes when installed, with ratios.
//! 2. Each stage of an HTML build per size, and its growth from the first
//!    size: work that grows faster than the notes shows here.
//! 3. HTML + PDF builds (the example, then 200 and 1,000 notes), against
//!    Typst compiling pandoc's Typst output of the same notes when pandoc
//!    and Typst are installed; pages and CPU per page for both.
//! 4. The redline end to end (`upbook diff DIR 1.0 draft` after 200 edits
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

mod corpus;

// The same allocator as the `upbook` binary, so figures match the CLI.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use upbook::model::config::Format;

/// A generated engagement of `n` notes: the upbook project, and beside it
/// (in `peers`) the same notes for mdBook, Hugo and pandoc.
struct Corpus {
    n: usize,
    project: PathBuf,
    peers: PathBuf,
}

impl Corpus {
    fn label(&self) -> String {
        format!("{} notes", self.n)
    }
}

/// What one timed run cost: wall and CPU seconds (of which `system` in
/// the kernel), peak MiB, and the pages of memory it touched (minor
/// faults).
#[derive(Clone, Copy, Default)]
struct Cost {
    wall: f64,
    cpu: f64,
    system: f64,
    peak: f64,
    faults: f64,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--write") => {
            let n = args[2].parse().expect("a number of notes");
            corpus::write(Path::new(&args[3]), n);
            return;
        }
        Some("--stages") => return stages_child(Path::new(&args[2])),
        Some("--touch") => return touch_child(args[2].parse().expect("MiB")),
        Some("--child") => {
            return child(
                Path::new(&args[2]),
                args.get(3).map(String::as_str) == Some("pdf"),
            );
        }
        _ => {}
    }
    let runs: usize = env_or("UPBOOK_BENCH_RUNS", "3").parse().unwrap_or(3);
    let work = std::env::temp_dir().join(format!("upbook-bench-{}", std::process::id()));
    if let Ok(dir) = std::env::var("UPBOOK_BENCH_PROJECT") {
        println!("upbook HTML build of {dir}, {runs} runs");
        table(&[(dir.clone(), PathBuf::from(dir))], runs, false);
        return;
    }
    let corpora: Vec<Corpus> = sizes("UPBOOK_BENCH_SIZES", "1000,5000")
        .into_iter()
        .map(|n| corpus(&work, n))
        .collect();

    println!("upbook HTML build, {runs} runs each, medians");
    let projects: Vec<(String, PathBuf)> = corpora
        .iter()
        .map(|c| (c.label(), c.project.clone()))
        .collect();
    let html = table(&projects, runs, false);
    // The redline runs before the peers: on a virtual machine that hands
    // freed memory back to its host (Firecracker's free page reporting),
    // the gigabytes mdBook and Hugo free are slow to use again, and
    // `upbook diff` timed after them took 0.10-0.18 s instead of 0.065 s,
    // a third of it in the kernel zeroing pages. (upbook's own builds
    // above have the same effect, smaller: the untimed first run in
    // `timed` absorbs it.)
    redlines(&corpora, runs);
    peers(&corpora, &html, runs);
    stages(&corpora);

    let pdf_corpora: Vec<Corpus> = sizes("UPBOOK_BENCH_PDF_SIZES", "200,1000")
        .into_iter()
        .map(|n| corpus(&work, n))
        .collect();
    pdfs(&pdf_corpora, runs);
    let _ = std::fs::remove_dir_all(&work);
}

fn sizes(name: &str, default: &str) -> Vec<usize> {
    env_or(name, default)
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// The notes of size `n`, from `UPBOOK_BENCH_CORPUS` when it names a
/// generator, else from this crate's own.
fn corpus(work: &Path, n: usize) -> Corpus {
    let dir = work.join(format!("c{n}"));
    if dir.exists() {
        return Corpus {
            n,
            project: dir.join("upbook"),
            peers: dir,
        };
    }
    match std::env::var("UPBOOK_BENCH_CORPUS") {
        Ok(script) => {
            let status = Command::new("python3")
                .arg(&script)
                .arg(n.to_string())
                .arg(&dir)
                .status()
                .expect("run the corpus generator");
            assert!(status.success(), "{script} failed");
        }
        Err(_) => {
            corpus::write(&dir.join("upbook"), n);
            corpus::write_peers(&dir, n);
        }
    }
    Corpus {
        n,
        project: dir.join("upbook"),
        peers: dir,
    }
}

/// Builds each project `runs` times in a fresh process; prints the median
/// wall time, its CPU time, the peak memory, and for PDFs the pages laid
/// out. Returns the medians.
fn table(projects: &[(String, PathBuf)], runs: usize, pdf: bool) -> Vec<(Cost, usize)> {
    let mut medians = Vec::new();
    println!(
        "{:<30} {:>9} {:>9} {:>9} {:>10}{}",
        "project",
        "median s",
        "min s",
        "CPU s",
        "peak MiB",
        if pdf { "     pages  CPU ms/page" } else { "" }
    );
    for (label, dir) in projects {
        let mut costs = Vec::new();
        let mut pages = 0;
        for _ in 0..runs {
            let f = figures(&run(
                Command::new(std::env::current_exe().unwrap())
                    .arg("--child")
                    .arg(dir)
                    .arg(if pdf { "pdf" } else { "html" }),
                "the build",
            ));
            costs.push(Cost {
                wall: f[0],
                peak: f[1],
                cpu: f[2],
                system: f[3],
                faults: f[4],
            });
            pages = f[5] as usize;
        }
        let (median, min) = median(&mut costs);
        print!(
            "{:<30} {:>9.3} {:>9.3} {:>9.2} {:>10.1}",
            label, median.wall, min, median.cpu, median.peak
        );
        if pdf {
            print!(
                " {:>9} {:>12.2}",
                pages,
                median.cpu * 1000.0 / pages.max(1) as f64
            );
        }
        println!();
        medians.push((median, pages));
    }
    medians
}

/// Writes out what earlier steps left to write, so a command is not
/// timed while the last one's output is still going to disk.
fn settle() {
    let _ = Command::new("sync").status();
}

/// The run with the median wall time, and the fastest wall time.
fn median(costs: &mut [Cost]) -> (Cost, f64) {
    costs.sort_by(|a, b| a.wall.total_cmp(&b.wall));
    (costs[costs.len() / 2], costs[0].wall)
}

/// Runs `cmd` once to warm up, then `runs` times under `/usr/bin/time`;
/// the median cost.
fn timed(runs: usize, mut cmd: impl FnMut() -> Command) -> Cost {
    settle();
    let _ = cmd().output();
    let mut costs = Vec::new();
    for _ in 0..runs {
        let mut timer = Command::new("/usr/bin/time");
        timer.args(["-f", "%U %S %M %R"]);
        let inner = cmd();
        timer.arg(inner.get_program()).args(inner.get_args());
        if let Some(dir) = inner.get_current_dir() {
            timer.current_dir(dir);
        }
        let started = Instant::now();
        let result = timer.output().expect("run a timed command");
        let wall = started.elapsed().as_secs_f64();
        let last = String::from_utf8_lossy(&result.stderr)
            .lines()
            .last()
            .unwrap_or_default()
            .to_string();
        let f: Vec<f64> = last
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        costs.push(Cost {
            wall,
            cpu: f.first().unwrap_or(&0.0) + f.get(1).unwrap_or(&0.0),
            system: *f.get(1).unwrap_or(&0.0),
            peak: f.get(2).unwrap_or(&0.0) / 1024.0,
            faults: *f.get(3).unwrap_or(&0.0),
        });
    }
    median(&mut costs).0
}

fn installed(tool: &str, arg: &str) -> bool {
    Command::new(tool)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
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
    let names = ["load", "check", "redline", "render", "write", "total"];
    print!("{:<16}", "size");
    for name in names {
        print!(" {name:>9}");
    }
    println!(" {:>9}", "output MB");
    let mut first: Option<Vec<f64>> = None;
    for corpus in corpora {
        let mut best = vec![f64::MAX; names.len() + 1];
        for _ in 0..3 {
            let out = run(
                Command::new(std::env::current_exe().unwrap())
                    .arg("--stages")
                    .arg(&corpus.project),
                "the stages",
            );
            for (b, f) in best.iter_mut().zip(figures(&out)) {
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
/// the checks, the redlines, rendering (pages, search indexes, single
/// files), writing. Prints the seconds of each, the total and the
/// megabytes written.
fn stages_child(dir: &Path) {
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
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
    let bytes: usize = site.values().map(Vec::len).sum();
    let _ = std::fs::remove_dir_all(&out);
    println!(
        "{load} {check} {redline} {render} {write} {} {}",
        load + check + redline + render + write,
        bytes as f64 / 1e6
    );
}

/// The redline end to end, as a user runs it: release 1.0, edit every
/// fifth note, then `upbook diff DIR 1.0 draft`, against git's word diff
/// of the same texts before and after.
fn redlines(corpora: &[Corpus], runs: usize) {
    println!();
    println!(
        "redline, end to end: `upbook diff DIR 1.0 draft` after editing every fifth note, {runs} runs each"
    );
    println!(
        "{:<16} {:>9} {:>9} {:>10} {:>11} {:>12}",
        "size", "median s", "CPU s", "peak MiB", "git diff s", "upbook / git"
    );
    let upbook = env!("CARGO_BIN_EXE_upbook");
    let mut first: Option<f64> = None;
    for corpus in corpora {
        let dir = corpus.peers.join("redline");
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(&corpus.project.join("content"), &dir.join("content"));
        std::fs::copy(corpus.project.join("book.toml"), dir.join("book.toml"))
            .expect("copy book.toml");
        run(
            Command::new(upbook)
                .args(["release", "--quiet"])
                .arg(&dir)
                .arg("1.0"),
            "upbook release",
        );
        let before = dir.join("before.md");
        let after = dir.join("after.md");
        std::fs::write(&before, notes_text(&dir)).expect("write the texts");
        edit_every_fifth_note(&dir);
        std::fs::write(&after, notes_text(&dir)).expect("write the texts");
        let cost = timed(runs, || {
            let mut cmd = Command::new(upbook);
            cmd.arg("diff").arg(&dir).args(["1.0", "draft"]);
            cmd
        });
        let git = timed(runs, || {
            let mut cmd = Command::new("git");
            cmd.args(["diff", "--no-index", "--word-diff"])
                .arg(&before)
                .arg(&after);
            cmd
        });
        println!(
            "{:<16} {:>9.3} {:>9.2} {:>10.1} {:>11.3} {:>12.2}",
            corpus.label(),
            cost.wall,
            cost.cpu,
            cost.peak,
            git.wall,
            cost.wall / git.wall
        );
        match first {
            None => first = Some(cost.wall),
            Some(base) => println!("{:<16} {:>8.1}×", "  growth", cost.wall / base),
        }
    }
}

/// Runs `cmd` to its end; a failure stops the bench with what it printed.
fn run(cmd: &mut Command, what: &str) -> std::process::Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The numbers a child process printed, in order.
fn figures(out: &std::process::Output) -> Vec<f64> {
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect()
}

/// The project's note files, in file name order.
fn note_files(project: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(project.join("content/notes"))
        .expect("read the notes")
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    files.sort();
    files
}

/// Every note's text, in file name order, as one text.
fn notes_text(project: &Path) -> String {
    note_files(project)
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read a note"))
        .collect()
}

/// A review's worth of edits: in every fifth note a new prerequisite and
/// a new closing paragraph.
fn edit_every_fifth_note(project: &Path) {
    for file in note_files(project).iter().step_by(5) {
        let text = std::fs::read_to_string(file).expect("read a note");
        let mut text = text.replacen(
            "## Prerequisites\n\n",
            "## Prerequisites\n\n- Confirm the change window with the on-call owner.\n",
            1,
        );
        text.push_str("\nRecord the result in the change ticket before moving on.\n");
        std::fs::write(file, text).expect("edit a note");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy a file");
        }
    }
}

/// HTML + PDF builds (the example, then each size), and Typst on pandoc's
/// Typst output of the same notes.
fn pdfs(corpora: &[Corpus], runs: usize) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    let mut projects = vec![("example (HTML + PDF)".to_string(), example)];
    projects.extend(
        corpora
            .iter()
            .map(|c| (format!("{} (HTML + PDF)", c.label()), c.project.clone())),
    );
    println!();
    println!("upbook HTML + PDF build (playbook, Production copy, report), {runs} runs each");
    let upbook = table(&projects, runs, true);
    pdf_growth(corpora, &upbook[1..]);
    let Some(typst) = typst_command() else {
        println!(
            "(pandoc or Typst is not installed: no comparison; `pip install typst pypandoc_binary` gives both)"
        );
        return;
    };
    let pandoc = pandoc_command().expect("pandoc was found");
    println!();
    println!(
        "Typst compiling pandoc's Typst output of the same notes (one copy), {runs} runs each"
    );
    println!(
        "{:<30} {:>9} {:>9} {:>10} {:>9} {:>12} {:>14}",
        "notes", "median s", "CPU s", "peak MiB", "pages", "CPU ms/page", "upbook / Typst"
    );
    for (corpus, (upbook, _)) in corpora.iter().zip(upbook.iter().skip(1)) {
        let single = corpus.peers.join("single");
        run(
            Command::new(&pandoc[0])
                .args(&pandoc[1..])
                .args(["book.md", "-s", "-t", "typst", "-o", "book.typ"])
                .current_dir(&single),
            "pandoc",
        );
        let cost = timed(runs, || {
            let mut cmd = Command::new(&typst[0]);
            cmd.args(&typst[1..])
                .arg(single.join("book.typ"))
                .arg(single.join("book.pdf"));
            cmd
        });
        let pages = pages_of(&single.join("book.pdf"));
        println!(
            "{:<30} {:>9.3} {:>9.2} {:>10.1} {:>9} {:>12.2} {:>14.2}",
            corpus.label(),
            cost.wall,
            cost.cpu,
            cost.peak,
            pages,
            cost.cpu * 1000.0 / pages.max(1) as f64,
            upbook.wall / cost.wall
        );
    }
}

/// How the HTML + PDF build grows from the first size to each larger one,
/// split so that work growing faster than the notes can be told from the
/// machine: user CPU and pages touched are the build's own work; the
/// kernel's time per page touched is the machine's. On a virtual machine
/// whose host backs memory lazily, the first touch of a page costs more
/// the more gigabytes a process holds, so the same program shows it with
/// no work at all: a child that touches as many fresh pages as the build's
/// peak, timed beside it.
fn pdf_growth(corpora: &[Corpus], costs: &[(Cost, usize)]) {
    let (Some(first), Some((base, _))) = (corpora.first(), costs.first()) else {
        return;
    };
    if costs.len() < 2 {
        return;
    }
    let touch = |peak: f64| {
        let f = figures(&run(
            Command::new(std::env::current_exe().unwrap())
                .arg("--touch")
                .arg((peak as usize).to_string()),
            "touching memory",
        ));
        (f[0], f[1])
    };
    let (base_touch, base_touch_system) = touch(base.peak);
    println!();
    println!("growth of the HTML + PDF build from {}", first.label());
    println!(
        "{:<16} {:>6} {:>9} {:>9} {:>6} {:>11} {:>22}",
        "notes", "wall", "user CPU", "faults", "peak", "kernel s", "touching the peak, s"
    );
    let row = |label: &str, cost: &Cost, touched: (f64, f64)| {
        println!(
            "{:<16} {:>6} {:>9} {:>9} {:>6} {:>11.1} {:>22}",
            label,
            format!("{:.2}×", cost.wall / base.wall),
            format!(
                "{:.2}×",
                (cost.cpu - cost.system) / (base.cpu - base.system)
            ),
            format!("{:.2}×", cost.faults / base.faults),
            format!("{:.2}×", cost.peak / base.peak),
            cost.system,
            format!("{:.1} (kernel {:.1})", touched.0, touched.1),
        );
    };
    row(&first.label(), base, (base_touch, base_touch_system));
    for (corpus, (cost, _)) in corpora.iter().zip(costs).skip(1) {
        row(&corpus.label(), cost, touch(cost.peak));
    }
}

/// Touches `mib` MiB of fresh memory, one write a page; prints the wall
/// and kernel seconds it took.
fn touch_child(mib: usize) {
    // Ordinary pages, as the build has.
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
    let started = Instant::now();
    let mut memory = vec![0u8; mib << 20];
    for page in memory.iter_mut().step_by(4096) {
        *page = 1;
    }
    std::hint::black_box(&memory);
    let secs = started.elapsed().as_secs_f64();
    let (_, system, _) = cpu_secs();
    println!("{secs} {system}");
}

/// `typst compile IN OUT`, from the Typst CLI or the `typst` Python
/// package (`pip install typst`, the same compiler).
fn typst_command() -> Option<Vec<String>> {
    pandoc_command()?;
    if installed("typst", "--version") {
        return Some(vec!["typst".into(), "compile".into()]);
    }
    let script = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])";
    installed_python("typst").then(|| vec!["python3".into(), "-c".into(), script.into()])
}

/// `pandoc`, or the one `pip install pypandoc_binary` carries.
fn pandoc_command() -> Option<Vec<String>> {
    if installed("pandoc", "--version") {
        return Some(vec!["pandoc".into()]);
    }
    let out = Command::new("python3")
        .args(["-c", "import pypandoc; print(pypandoc.get_pandoc_path())"])
        .output()
        .ok()?;
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !path.is_empty()).then(|| vec![path])
}

fn installed_python(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn pages_of(pdf: &Path) -> usize {
    lopdf::Document::load(pdf).map_or(0, |d| d.get_pages().len())
}

/// One build, in-process, as the CLI runs it; prints wall seconds, peak
/// MiB, CPU seconds and the pages of the PDFs it wrote.
fn child(dir: &Path, pdf: bool) {
    // As `upbook build` does (see the binary's `main`).
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
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
    let (cpu, system, faults) = cpu_secs();
    let pages: usize = std::fs::read_dir(out.join("draft"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .map(|e| pages_of(&e.path()))
        .sum();
    let _ = std::fs::remove_dir_all(&out);
    println!("{secs} {} {cpu} {system} {faults} {pages}", peak_mib());
}

fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds of this process so far, all threads, and of them the
/// kernel's; and the pages of memory it has touched (minor faults).
fn cpu_secs() -> (f64, f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses: minflt is
    // the 8th, utime and stime the 12th and 13th, in clock ticks (100 a
    // second on Linux).
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<f64> = after
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    let field = |i: usize| fields.get(i).copied().unwrap_or(0.0);
    let (user, system) = (field(11) / 100.0, field(12) / 100.0);
    (user + system, system, field(7))
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}
