//! How a run is measured: each build in a fresh child process (so its
//! peak memory is its own), the peers under `/usr/bin/time`, and the
//! figures read back from what the child prints.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use upbook::model::config::Format;

/// What one timed run cost: wall and CPU seconds (of which `system` in
/// the kernel), peak MiB, and the pages of memory it touched (minor
/// faults).
#[derive(Clone, Copy, Default)]
pub struct Cost {
    pub wall: f64,
    pub cpu: f64,
    pub system: f64,
    pub peak: f64,
    pub faults: f64,
}

/// Writes out what earlier steps left to write, so a command is not
/// timed while the last one's output is still going to disk.
pub fn settle() {
    let _ = Command::new("sync").status();
}

/// The run with the median wall time, and the fastest wall time.
pub fn median(costs: &mut [Cost]) -> (Cost, f64) {
    costs.sort_by(|a, b| a.wall.total_cmp(&b.wall));
    (costs[costs.len() / 2], costs[0].wall)
}

/// Runs `cmd` once to warm up, then `runs` times under `/usr/bin/time`;
/// the median cost.
pub fn timed(runs: usize, mut cmd: impl FnMut() -> Command) -> Cost {
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
        let stderr = String::from_utf8_lossy(&result.stderr);
        let f = numbers(stderr.lines().last().unwrap_or_default());
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

/// Runs `cmd` to its end; a failure stops the bench with what it printed.
pub fn run(cmd: &mut Command, what: &str) -> std::process::Output {
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

/// Runs this bench again with `args` (one of its `--child` modes, in a
/// fresh process so its peak memory is its own) and returns the numbers
/// it printed, in order.
pub fn child_figures(args: &[&OsStr], what: &str) -> Vec<f64> {
    let exe = std::env::current_exe().expect("the bench's own path");
    numbers(&String::from_utf8_lossy(
        &run(Command::new(exe).args(args), what).stdout,
    ))
}

fn numbers(text: &str) -> Vec<f64> {
    text.split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect()
}

/// Ordinary pages, not transparent huge pages, as `upbook build` has
/// (see the binary's `main`).
pub fn as_the_cli_builds() {
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
}

/// One build, in-process, as the CLI runs it; prints wall seconds, peak
/// MiB, CPU seconds and the pages of the PDFs it wrote.
pub fn child(dir: &Path, pdf: bool) {
    as_the_cli_builds();
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

/// Touches `mib` MiB of fresh memory, one write a page; prints the wall
/// and kernel seconds it took.
pub fn touch_child(mib: usize) {
    as_the_cli_builds();
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

pub fn installed(tool: &str, arg: &str) -> bool {
    Command::new(tool)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Builds each project `runs` times in a fresh process; prints the median
/// wall time, its CPU time, the peak memory, and for PDFs the pages laid
/// out. Returns the medians.
pub fn table(projects: &[(String, PathBuf)], runs: usize, pdf: bool) -> Vec<(Cost, usize)> {
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
    let format = if pdf { "pdf" } else { "html" };
    for (label, dir) in projects {
        let mut costs = Vec::new();
        let mut pages = 0;
        // One untimed build first, as `timed` runs each peer: the notes
        // are then in the page cache for every timed run alike.
        settle();
        child_figures(
            &["--child".as_ref(), dir.as_os_str(), format.as_ref()],
            "the build",
        );
        for _ in 0..runs {
            let f = child_figures(
                &["--child".as_ref(), dir.as_os_str(), format.as_ref()],
                "the build",
            );
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

pub fn pages_of(pdf: &Path) -> usize {
    lopdf::Document::load(pdf).map_or(0, |d| d.get_pages().len())
}
