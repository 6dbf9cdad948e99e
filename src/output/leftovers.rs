//! What a killed upbook leaves beside the folders it writes: a staging
//! folder (`.book.staging-PID`, `releases/.1.1.staging-PID`) it was
//! filling, an old output it had moved aside (`.book.old-PID`), a folder
//! `clean` was removing (`.book.upbook-removed`). The next `build`,
//! `release`, `clean` or `serve` removes them, and puts an output that
//! was moved aside back if the kill came before the new one was in place
//! (see [`super::swap`]).
//!
//! Callers hold the project lock, so no upbook is writing into this
//! project meanwhile; on Linux a folder whose pid is still running is
//! spared as well, in case a build of another project writes beside it.

use std::fs;
use std::path::Path;

/// Tidies the folder that holds `folder` (the output, or a release):
/// only leftovers named after `folder` are touched. Puts `folder` back
/// from the newest moved-aside copy when it is missing.
pub fn tidy_beside(folder: &Path) {
    let Some(name) = folder.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let parent = folder
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    tidy(parent, Some(&name));
}

/// Tidies every leftover in `dir`, whatever folder it was for
/// (`releases/`, where each release is written beside the others).
pub fn tidy_in(dir: &Path) {
    tidy(dir, None);
}

fn tidy(dir: &Path, only: Option<&str>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut aside: Vec<(String, std::path::PathBuf)> = Vec::new();
    let mut doomed = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(leftover) = Leftover::parse(&file_name) else {
            continue;
        };
        if only.is_some_and(|name| name != leftover.of) || leftover.pid.is_some_and(alive) {
            continue;
        }
        if leftover.moved_aside {
            aside.push((leftover.of.to_string(), entry.path()));
        } else {
            doomed.push(entry.path());
        }
    }
    // Newest first, so the copy put back is the last whole output.
    aside.sort_by_key(|(_, path)| {
        std::cmp::Reverse(fs::metadata(path).and_then(|m| m.modified()).ok())
    });
    for (of, path) in aside {
        let original = dir.join(&of);
        if !original.exists() && fs::rename(&path, &original).is_ok() {
            continue;
        }
        doomed.push(path);
    }
    for path in doomed {
        // Best effort: a leftover that cannot go now goes next time.
        let _ = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
    }
}

/// A name upbook gives a folder only while it writes.
struct Leftover<'a> {
    /// The folder it was for: `book` for `.book.staging-42`.
    of: &'a str,
    /// The process that made it, when the name says.
    pid: Option<u32>,
    /// An output moved aside to make room for a new one.
    moved_aside: bool,
}

impl Leftover<'_> {
    fn parse(file_name: &str) -> Option<Leftover<'_>> {
        let rest = file_name.strip_prefix('.')?;
        if let Some(of) = rest.strip_suffix(".upbook-removed") {
            return Some(Leftover {
                of,
                pid: None,
                moved_aside: false,
            });
        }
        let (of, kind_pid) = rest.rsplit_once('.')?;
        let (kind, pid) = kind_pid.split_once('-')?;
        let pid = pid.parse::<u32>().ok()?;
        let moved_aside = match kind {
            "staging" => false,
            "old" => true,
            _ => return None,
        };
        (!of.is_empty()).then_some(Leftover {
            of,
            pid: Some(pid),
            moved_aside,
        })
    }
}

/// Whether the process `pid` (or this one) still runs. Only Linux says
/// cheaply and without `unsafe`; elsewhere the project lock alone decides.
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        Path::new("/proc").join(pid.to_string()).exists()
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_upbook_names_are_leftovers() {
        fn parsed(name: &str) -> Option<(&str, Option<u32>, bool)> {
            Leftover::parse(name).map(|l| (l.of, l.pid, l.moved_aside))
        }
        assert_eq!(parsed(".book.staging-42"), Some(("book", Some(42), false)));
        assert_eq!(parsed(".1.1.staging-7"), Some(("1.1", Some(7), false)));
        assert_eq!(parsed(".book.old-42"), Some(("book", Some(42), true)));
        assert_eq!(parsed(".book.upbook-removed"), Some(("book", None, false)));
        for other in [
            ".git",
            "book",
            ".book.staging-",
            ".book.old-x",
            ".config.d-1",
        ] {
            assert!(Leftover::parse(other).is_none(), "{other}");
        }
    }

    #[test]
    fn an_output_moved_aside_by_a_killed_build_is_put_back() {
        // Killed between moving `book` aside and moving the new one in:
        // no `book`, the old one aside, the new one staged.
        let tmp = tempfile::tempdir().unwrap();
        let dead = 999_999_999;
        for (folder, text) in [(".book.old", "old"), (".book.staging", "new")] {
            let path = tmp.path().join(format!("{folder}-{dead}"));
            fs::create_dir(&path).unwrap();
            fs::write(path.join("index.html"), text).unwrap();
        }
        tidy_beside(&tmp.path().join("book"));
        let left: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["book"]);
        assert_eq!(
            fs::read_to_string(tmp.path().join("book/index.html")).unwrap(),
            "old"
        );
    }
}
