//! Helpers shared by the integration tests: fixture projects in temporary
//! folders and the real `upbook` binary run on them.

#![allow(dead_code)]

pub mod docx;
mod files;
pub mod nested;
pub mod rng;
pub mod serve_client;
pub mod word;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub use files::copy_dir;

pub fn upbook() -> Command {
    let mut cmd = Command::cargo_bin("upbook").expect("binary built");
    cmd.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    cmd
}

/// `upbook build PROJECT --format html`, expected to succeed: for tests
/// about pages, where PDFs would only slow them down.
pub fn build_html(project: &Path) {
    upbook()
        .arg("build")
        .arg(project)
        .args(["--format", "html"])
        .assert()
        .success();
}

/// `upbook release PROJECT VERSION`, expected to succeed.
pub fn release(project: &Path, version: &str) {
    upbook()
        .arg("release")
        .arg(project)
        .arg(version)
        .assert()
        .success();
}

/// `upbook COMMAND PROJECT`, expected to fail as bad input with `message`
/// at `location` (`file:line:column`) in what it prints.
pub fn refused(command: &str, project: &Path, message: &str, location: &str) {
    let out = upbook().arg(command).arg(project).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains(message), "expected {message:?}:\n{stderr}");
    assert!(stderr.contains(location), "expected {location}:\n{stderr}");
}

/// A copy of `tests/fixtures/NAME` in a fresh temporary folder.
pub fn fixture(name: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().expect("temp dir");
    let dest = tmp.path().join(name);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        &dest,
    );
    (tmp, dest)
}

/// A new project made by `upbook init`, as a user would start.
pub fn example() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().expect("temp dir");
    let dest = tmp.path().join("acme");
    upbook().arg("init").arg(&dest).assert().success();
    (tmp, dest)
}

/// A theme of the project's own, `themes/custom/`, chosen in its
/// `book.toml` (whose `[output]` table it must have): the folder, to put
/// files in that replace the built-in ones.
pub fn custom_theme(project: &Path) -> PathBuf {
    edit(
        project,
        "book.toml",
        "[output]\n",
        "[output]\ntheme = \"custom\"\n",
    );
    let dir = project.join("themes/custom");
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Switches the project to the theme `custom` and gives it the table of
/// words `table` (TOML) for `language`, as a theme's author or a
/// translator writes one. Returns the theme's folder.
pub fn custom_words(project: &Path, language: &str, table: &str) -> PathBuf {
    let theme = custom_theme(project);
    fs::create_dir_all(theme.join("strings")).unwrap();
    fs::write(theme.join(format!("strings/{language}.toml")), table).unwrap();
    theme
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Replaces `from` with `to` in a project file, failing if `from` is absent
/// (so a test cannot silently edit nothing).
pub fn edit(project: &Path, file: &str, from: &str, to: &str) {
    let path = project.join(file);
    let text = read(&path);
    assert!(text.contains(from), "{file} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Every file under `dir` with its bytes, to compare whole outputs.
pub fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Text with tags removed and entities decoded: what a reader sees.
pub fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// Each page's text as a reader's copy gives it (poppler's `pdftotext`,
/// which leaves out what is drawn rather than written).
pub fn pdf_pages(path: impl AsRef<Path>) -> Vec<String> {
    pdftotext(path.as_ref(), &[])
}

/// Each page's text from `pdftotext` with `options` (`-layout` keeps
/// each printed line and its indent).
pub fn pdftotext(path: &Path, options: &[&str]) -> Vec<String> {
    let out = std::process::Command::new("pdftotext")
        .args(options)
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8 text");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    // The text ends with a page break, not a page.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The text of a PDF with all whitespace removed (PDF text extraction
/// splits words and lines unpredictably), to search for phrases written
/// the same way.
pub fn pdf_text(path: impl AsRef<Path>) -> String {
    let pdf = lopdf::Document::load(path.as_ref()).expect("a PDF");
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    pdf.extract_text(&pages)
        .unwrap()
        .split_whitespace()
        .collect()
}

/// `text` with runs of whitespace made one space, as a reader sees it.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a reader sees of some HTML, cells and blocks apart, runs of
/// whitespace made one space.
pub fn words(html: &str) -> String {
    squeeze(&visible_text(&html.replace('<', " <")))
}

/// The HTML of the element with `id`, up to the end of its section.
pub fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element with id {id}"));
    let end = html[start..]
        .find("</section>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// Adds the repository example's change requests (CR-001 to CR-003,
/// raised against 1.0) to a project made by `init`, which starts without
/// any: call it once release 1.0 exists, as the customer's review would.
pub fn add_example_requests(project: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::copy(
        root.join("content/reviews/change-requests.yaml"),
        project.join("content/reviews/change-requests.yaml"),
    )
    .expect("copy the example's requests");
}
