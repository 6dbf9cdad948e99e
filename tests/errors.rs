//! Bad input, one folder per case under `tests/fixtures/errors/`: each
//! case is the small project `base/` with the case's own files laid over
//! it, and what `upbook` prints for it (every line, the exit code) is the
//! snapshot `output.snap` beside those files. A new case is a new folder;
//! `tests/README.md` says how to add one and how to re-record.
//!
//! Every case also holds what the bar asks of bad input: no panic, no
//! file written, changed or removed by a refused command, and, for
//! `check`, a build that reports the same problems the same way and
//! leaves the previous output exactly as it was.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde::Deserialize;

/// What a case runs, from its optional `case.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// Commands run on the base before the case's files are laid over it,
    /// each expected to succeed (e.g. `release . 1.0`).
    #[serde(default)]
    setup: Vec<String>,
    /// The command whose output is pinned, run inside the project.
    #[serde(default = "check")]
    command: String,
    /// Files of the base the case takes away.
    #[serde(default)]
    remove: Vec<String>,
}

fn check() -> String {
    "check".into()
}

/// The files of a case folder that are not part of its project.
const NOT_PROJECT: &[&str] = &["case.toml", "output.snap", "output.snap.new"];

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors")
}

fn case_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("tests/fixtures/errors")
        .map(|e| e.expect("a case").file_name().into_string().expect("UTF-8"))
        .filter(|n| n != "base" && !n.starts_with('.'))
        .filter(|n| cases_dir().join(n).is_dir())
        .collect();
    names.sort();
    names
}

fn read_case(dir: &Path) -> Case {
    let path = dir.join("case.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `upbook LINE` inside `project`: its exit code and both streams.
fn run(project: &Path, line: &str) -> (Option<i32>, String, String) {
    let out = upbook()
        .current_dir(project)
        .args(line.split_whitespace())
        .output()
        .expect("run upbook");
    let text = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes).replace(&project.display().to_string(), "<project>")
    };
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// Lays the case's files over the project and removes what it removes.
fn lay_over(case_dir: &Path, case: &Case, project: &Path) {
    for entry in walkdir::WalkDir::new(case_dir) {
        let entry = entry.expect("list the case");
        let relative = entry.path().strip_prefix(case_dir).expect("inside");
        if !entry.file_type().is_file() || NOT_PROJECT.iter().any(|n| relative == Path::new(n)) {
            continue;
        }
        let target = project.join(relative);
        std::fs::create_dir_all(target.parent().expect("a folder")).expect("create");
        std::fs::copy(entry.path(), &target).expect("copy");
    }
    for gone in &case.remove {
        std::fs::remove_file(project.join(gone)).unwrap_or_else(|e| panic!("remove {gone}: {e}"));
    }
}

/// Everything but the closing summary, which names the command.
fn without_summary(stderr: &str) -> &str {
    stderr.trim_end().rsplit_once('\n').map_or("", |(d, _)| d)
}

/// The case run as a user would meet it; what it printed, as pinned.
fn output_of(name: &str) -> String {
    let dir = cases_dir().join(name);
    let case = read_case(&dir);
    let tmp = tempfile::TempDir::new().expect("temp dir");
    let project = tmp.path().join("project");
    copy_dir(&cases_dir().join("base"), &project);
    for line in &case.setup {
        let (code, _, stderr) = run(&project, line);
        assert_eq!(code, Some(0), "{name}: setup `{line}` failed:\n{stderr}");
    }
    // A `check` case first builds the base, so that the previous output
    // is there to keep.
    if case.command == "check" {
        let (code, _, stderr) = run(&project, "build");
        assert_eq!(code, Some(0), "{name}: the base does not build:\n{stderr}");
    }
    lay_over(&dir, &case, &project);
    // Everything in the temporary folder: the project, its output, and
    // what lies beside it (`--out ..`).
    let before = snapshot_dir(tmp.path());

    let (code, stdout, stderr) = run(&project, &case.command);
    assert!(!stderr.contains("panicked"), "{name}:\n{stderr}");
    if code != Some(0) {
        assert_eq!(
            before,
            snapshot_dir(tmp.path()),
            "{name}: a refused `{}` changed a file",
            case.command
        );
    }
    if case.command == "check" {
        let (build_code, _, build_stderr) = run(&project, "build");
        assert_eq!(build_code, code, "{name}: build and check disagree");
        assert_eq!(
            without_summary(&build_stderr),
            without_summary(&stderr),
            "{name}: build and check must report the same problems the same way"
        );
        if code != Some(0) {
            assert_eq!(
                before,
                snapshot_dir(tmp.path()),
                "{name}: a refused build changed a file"
            );
        }
    }
    let mut out = format!(
        "$ upbook {}\nexit code: {}\n",
        case.command,
        match code {
            Some(c) => c.to_string(),
            None => "none (killed)".into(),
        }
    );
    if !stdout.is_empty() {
        out.push_str("--- stdout\n");
        out.push_str(&stdout);
    }
    out.push_str("--- stderr\n");
    out.push_str(&stderr);
    out
}

#[test]
fn every_case_prints_what_its_snapshot_pins() {
    let names = case_names();
    assert!(!names.is_empty(), "no cases under tests/fixtures/errors");
    let mut failed = Vec::new();
    for name in &names {
        let output = output_of(name);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(cases_dir().join(name));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_description(format!("tests/fixtures/errors/{name}"));
        let pinned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!("output", output));
        }));
        if pinned.is_err() {
            failed.push(name.as_str());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases print something else than pinned: {failed:?}",
        failed.len(),
        names.len()
    );
}

#[test]
fn the_base_of_the_cases_builds_without_a_warning() {
    let tmp = tempfile::TempDir::new().expect("temp dir");
    let project = tmp.path().join("project");
    copy_dir(&cases_dir().join("base"), &project);
    let (code, _, stderr) = run(&project, "check");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("warning:"), "{stderr}");
}

#[test]
fn check_prints_json_for_ci() {
    let tmp = tempfile::TempDir::new().expect("temp dir");
    let project = tmp.path().join("project");
    copy_dir(&cases_dir().join("base"), &project);
    edit(
        &project,
        "content/notes/01-backup.md",
        "phase: backup-configuration",
        "phase: backup-configuraton",
    );
    let out = upbook()
        .args(["check", "--format", "json"])
        .arg(&project)
        .assert()
        .code(1);
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let first = &json[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["path"], "content/notes/01-backup.md");
    assert_eq!(first["line"], 3);
    assert_eq!(first["column"], 8);
    assert_eq!(first["message"], "unknown phase `backup-configuraton`");
    assert_eq!(first["hint"], "did you mean `backup-configuration`?");
}

#[test]
fn bad_usage_exits_with_2() {
    upbook()
        .arg("build")
        .arg("--format")
        .arg("odt")
        .assert()
        .code(2);
    upbook().arg("frobnicate").assert().code(2);
}

/// A case a fixture folder cannot hold: an image that is a link to a
/// file outside the project (the link's target is a temporary path).
#[cfg(unix)]
#[test]
fn an_image_that_links_outside_the_project() {
    let tmp = tempfile::TempDir::new().expect("temp dir");
    let project = tmp.path().join("project");
    copy_dir(&cases_dir().join("base"), &project);
    let outside = tmp.path().join("secret.svg");
    std::fs::write(&outside, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    std::os::unix::fs::symlink(&outside, project.join("content/notes/link.svg")).unwrap();
    let note = project.join("content/notes/01-backup.md");
    let text = read(&note) + "\n![a link](link.svg)\n";
    std::fs::write(&note, text).unwrap();
    let (code, _, stderr) = run(&project, "check");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("image `link.svg` is outside the project: it is a link to"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/notes/01-backup.md:11:1"),
        "{stderr}"
    );
}
