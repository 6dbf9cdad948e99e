//! The change view end to end, as a user runs it, against git's word diff of
//! the same texts.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::files::copy_dir;
use crate::measure::{run, timed};
use crate::projects::Corpus;

/// The change view end to end, as a user runs it: release 1.0, edit every
/// fifth note, then `upbook changes DIR 1.0 draft`, against git's word diff
/// of the same texts before and after.
pub fn changes(corpora: &[Corpus], runs: usize) {
    println!();
    println!(
        "changes, end to end: `upbook changes DIR 1.0 draft` after editing every fifth note, {runs} runs each"
    );
    println!(
        "{:<16} {:>9} {:>9} {:>10} {:>11} {:>12}",
        "size", "median s", "CPU s", "peak MiB", "git diff s", "upbook / git"
    );
    let upbook = env!("CARGO_BIN_EXE_upbook");
    let mut first: Option<f64> = None;
    for corpus in corpora {
        let dir = corpus.peers.join("changes");
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
            cmd.arg("changes").arg(&dir).args(["1.0", "draft"]);
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
