//! HTML + PDF builds against Typst compiling pandoc's Typst output of the
//! same notes, and how the build grows with the notes.

use std::path::Path;
use std::process::Command;

use crate::measure::{Cost, child_figures, installed, run, timed};
use crate::measure::{pages_of, table};
use crate::projects::Corpus;

/// HTML + PDF builds (the example, then each size), and Typst on pandoc's
/// Typst output of the same notes.
pub fn pdfs(corpora: &[Corpus], runs: usize) {
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
        let mib = (peak as usize).to_string();
        let f = child_figures(&["--touch".as_ref(), mib.as_ref()], "touching memory");
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
