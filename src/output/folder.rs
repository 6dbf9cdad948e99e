//! Which folder a build may replace. A build swaps its output folder out
//! whole, so a folder chosen by mistake (the project, `content/`, a home
//! folder) would be deleted; mdBook and GitBook have both lost users'
//! files that way. upbook marks the folders it writes and refuses any
//! other place that holds something.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::diagnostic::SourceFile;

/// The file that marks a folder as upbook's output. Its presence is what
/// lets a later build replace the folder.
pub const MARKER: &str = ".upbook-output";

pub const MARKER_TEXT: &str =
    "This folder is written by upbook. `upbook build` replaces it whole: keep nothing else here.\n";

/// Folders of a project that hold what the user wrote.
const SOURCE_FOLDERS: [&str; 3] = ["content", "themes", "releases"];

/// Where the output folder was chosen, so a refusal points at it.
pub enum Chosen<'a> {
    /// `--out` on the command line.
    Flag(&'a Path),
    /// `dir` under `[output]` in `book.toml`, relative to the project.
    Config(&'a str),
}

/// What a command wants the output folder for, so that a refusal says
/// what it will not do.
#[derive(Clone, Copy)]
pub enum Purpose {
    /// `build` and `serve` write it.
    Write,
    /// `clean` removes it.
    Remove,
}

/// The output folder `chosen` names, if a build may write there: not the
/// project or a folder above it, not inside a project's sources, not a
/// project itself, and not a folder holding files upbook did not write.
pub fn output_folder(root: &Path, chosen: &Chosen) -> Result<PathBuf, Diagnostic> {
    output_folder_for(root, chosen, Purpose::Write)
}

/// [`output_folder`], for `purpose`: the same folders are refused for
/// every purpose.
pub fn output_folder_for(
    root: &Path,
    chosen: &Chosen,
    purpose: Purpose,
) -> Result<PathBuf, Diagnostic> {
    let path = match chosen {
        Chosen::Flag(path) => path.to_path_buf(),
        Chosen::Config(dir) => root.join(dir),
    };
    match refusal(root, &path) {
        None => Ok(path),
        Some((why, hint)) => {
            let shown = match chosen {
                Chosen::Flag(p) => format!("`{}` (from --out)", p.display()),
                Chosen::Config(dir) => format!("`{dir}`"),
            };
            let will_not = match purpose {
                Purpose::Write => "will not write the output into",
                Purpose::Remove => "will not remove",
            };
            let diag = Diagnostic::error(format!("{will_not} {shown}: {why}")).with_hint(hint);
            Err(match chosen {
                Chosen::Flag(_) => diag,
                Chosen::Config(_) => locate_dir(root, diag),
            })
        }
    }
}

fn refusal(root: &Path, out: &Path) -> Option<(String, String)> {
    let out = real_path(out);
    let root = real_path(root);
    let elsewhere = "choose an output folder of its own, such as `book` inside the project";
    if out == root {
        return Some(("it is the project folder".into(), elsewhere.into()));
    }
    if root.starts_with(&out) {
        return Some(("it holds the project".into(), elsewhere.into()));
    }
    for project in out.ancestors().filter(|a| a.join("book.toml").is_file()) {
        if project == out {
            return Some((
                "it holds a book.toml, so it is a playbook project".into(),
                elsewhere.into(),
            ));
        }
        if let Some(folder) = SOURCE_FOLDERS
            .iter()
            .find(|f| out.starts_with(project.join(f)))
        {
            let place = if project.join(folder) == out {
                "it is"
            } else {
                "it is inside"
            };
            let whose = if project == root {
                "the project's".to_string()
            } else {
                format!("the project {}'s", project.display())
            };
            return Some((
                format!("{place} {whose} {folder}/ folder, which holds what its users write"),
                elsewhere.into(),
            ));
        }
    }
    if out.exists() && !out.is_dir() {
        return Some((
            "it exists and is not a folder".into(),
            "choose another output folder".into(),
        ));
    }
    if out.is_dir() && !out.join(MARKER).is_file() && !is_empty(&out) && !looks_like_output(&out) {
        return Some((
            "it already holds files that upbook did not write".into(),
            "a build replaces its output folder whole: choose a new or empty folder".into(),
        ));
    }
    None
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// An output written before folders were marked: only `index.html`,
/// `versions.js` and version folders (`draft`, `v1.0`, ...), each with
/// its own `index.html`.
fn looks_like_output(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut versions = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let is_version = name == "draft"
            || name
                .strip_prefix('v')
                .is_some_and(|v| crate::model::version::Version::parse(v).is_some());
        if is_version && path.join("index.html").is_file() {
            versions += 1;
        } else if !(name == "index.html" || name == "versions.js") || !path.is_file() {
            return false;
        }
    }
    versions > 0
}

/// `path` made absolute with symlinks resolved as far as it exists, the
/// rest appended with `.` and `..` taken lexically, so two spellings of
/// one folder compare equal.
pub fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::Normal(p) => out.push(p),
                    _ => {}
                }
            }
            return out;
        }
        let Some(parent) = existing.parent() else {
            return absolute;
        };
        if let Some(last) = existing.components().next_back() {
            rest.push(last);
        }
        existing = parent;
    }
}

/// Points a refusal of the configured folder at `dir` in `book.toml`.
fn locate_dir(root: &Path, diag: Diagnostic) -> Diagnostic {
    let Ok(file) = SourceFile::read(root, Path::new("book.toml")) else {
        return diag;
    };
    let offset = toml::de::DeTable::parse(&file.text).ok().and_then(|doc| {
        let output = doc.get_ref().get("output")?;
        let toml::de::DeValue::Table(table) = output.get_ref() else {
            return None;
        };
        table.get("dir").map(|value| value.span().start)
    });
    match offset {
        Some(offset) => {
            let (line, col) = file.line_col(offset);
            diag.at(&file, line, col)
        }
        None => diag.in_file(&file.path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_folder_compare_equal() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("a")).unwrap();
        assert_eq!(real_path(&real.join("a/../a/./b/../c")), real.join("a/c"));
        assert_eq!(real_path(&real.join("missing/x/..")), real.join("missing"));
    }
}
