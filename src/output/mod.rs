//! Stage 4: writing the site. Everything goes to a staging folder beside
//! the output first and is swapped in with renames, so readers and a
//! failed build never see half-written output.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

mod folder;
mod leftovers;

pub use folder::{Chosen, MARKER, Purpose, output_folder, output_folder_for, real_path};
pub use leftovers::{tidy_beside, tidy_in};

use crate::diagnostic::Diagnostic;

/// Files by path under the output folder: a rendered [`Site`] or the
/// shared bytes `serve` holds.
pub type Files<B> = std::collections::BTreeMap<String, B>;

/// What rendering makes: every output file's bytes, by path relative to
/// the output folder.
pub type Site = Files<Vec<u8>>;

/// Replaces the output folder `out` (chosen through [`output_folder`])
/// with `site`, marked as upbook's so the next build may replace it too.
pub fn write<B: AsRef<[u8]> + Sync>(out: &Path, site: &Files<B>) -> Result<(), Diagnostic> {
    replace(out, site, true)
}

/// Writes a folder that must not exist yet, such as a new release: it
/// is never upbook's to replace afterwards.
pub fn create<B: AsRef<[u8]> + Sync>(dir: &Path, files: &Files<B>) -> Result<(), Diagnostic> {
    if dir.exists() {
        return Err(Diagnostic::error(format!(
            "{} exists already",
            dir.display()
        )));
    }
    replace(dir, files, false)
}

fn replace<B: AsRef<[u8]> + Sync>(
    out: &Path,
    site: &Files<B>,
    mark: bool,
) -> Result<(), Diagnostic> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".into());
    fs::create_dir_all(parent).map_err(|e| io_error(parent, "create the folder", &e))?;
    if out.exists() && !out.is_dir() {
        return Err(
            Diagnostic::error(format!("{} exists and is not a folder", out.display()))
                .with_hint("choose another output folder with --out"),
        );
    }
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.staging-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let _ = fs::remove_dir_all(&staging);
    // Only a folder upbook wrote is reused (see `write_all`).
    let previous = (mark && out.join(MARKER).is_file()).then_some(out);
    let result = write_all(&staging, site, previous)
        .and_then(|()| {
            if mark {
                let path = staging.join(MARKER);
                fs::write(&path, folder::MARKER_TEXT).map_err(|e| io_error(&path, "write", &e))
            } else {
                Ok(())
            }
        })
        .and_then(|()| swap(out, &staging, &old));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Brings an output folder written from `before` up to `after`: files
/// whose bytes changed are replaced one by one through a temporary file,
/// files `after` lacks are removed. `serve` uses it after every save, when
/// rewriting the whole folder would cost more than the rebuild.
pub fn update<B: AsRef<[u8]>>(
    out: &Path,
    before: &Files<B>,
    after: &Files<B>,
) -> Result<(), Diagnostic> {
    // Bytes shared between the two (a release's, from build to build)
    // are equal without being compared.
    let same = |a: &B, b: &B| {
        let (a, b) = (a.as_ref(), b.as_ref());
        (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
    };
    for (relative, bytes) in after {
        if before.get(relative).is_none_or(|old| !same(old, bytes)) {
            write_file(out, relative, bytes.as_ref())?;
        }
    }
    for relative in before.keys().filter(|k| !after.contains_key(*k)) {
        let path = out.join(relative);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&path, "remove", &e)),
        }
    }
    Ok(())
}

/// Writes one file so that a reader sees the old bytes or the new, never
/// a part: a temporary file beside it, renamed over it.
pub fn write_file(out: &Path, relative: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let path = out.join(relative);
    let dir = path.parent().unwrap_or(out);
    fs::create_dir_all(dir).map_err(|e| io_error(dir, "create the folder", &e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.upbook-{}", std::process::id()));
    fs::write(&temporary, bytes).map_err(|e| io_error(&temporary, "write", &e))?;
    fs::rename(&temporary, &path).map_err(|e| {
        let _ = fs::remove_file(&temporary);
        io_error(&path, "replace", &e)
    })
}

/// Folders first, then the files side by side: at thousands of notes a
/// build writes hundreds of megabytes, and the kernel's copying of them
/// into the page cache is work a second core can share. A file whose
/// bytes are those of the same file in `previous`, the output being
/// replaced, is linked rather than written: reading it back costs a
/// fraction of writing it, so a rebuild pays for what changed, and
/// unchanged files keep their time stamps (for whatever copies the
/// output on). Output files are only ever replaced, never written in
/// place, so the shared file cannot change under either folder.
fn write_all<B: AsRef<[u8]> + Sync>(
    staging: &Path,
    site: &Files<B>,
    previous: Option<&Path>,
) -> Result<(), Diagnostic> {
    fs::create_dir_all(staging).map_err(|e| io_error(staging, "create the folder", &e))?;
    let folders: std::collections::BTreeSet<PathBuf> = site
        .keys()
        .filter_map(|relative| Some(staging.join(relative).parent()?.to_path_buf()))
        .collect();
    for dir in &folders {
        fs::create_dir_all(dir).map_err(|e| io_error(dir, "create the folder", &e))?;
    }
    site.par_iter().try_for_each(|(relative, bytes)| {
        let path = staging.join(relative);
        let bytes = bytes.as_ref();
        if let Some(old) = previous.map(|p| p.join(relative))
            && holds(&old, bytes)
            && fs::hard_link(&old, &path).is_ok()
        {
            return Ok(());
        }
        fs::write(&path, bytes).map_err(|e| io_error(&path, "write", &e))
    })
}

/// Whether the file at `path` holds exactly `bytes`, read a block at a
/// time so a difference stops the reading.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    if file
        .metadata()
        .map_or(true, |m| !m.is_file() || m.len() != bytes.len() as u64)
    {
        return false;
    }
    let mut block = vec![0; 256 * 1024];
    let mut rest = bytes;
    while !rest.is_empty() {
        let want = rest.len().min(block.len());
        if file.read_exact(&mut block[..want]).is_err() || block[..want] != rest[..want] {
            return false;
        }
        rest = &rest[want..];
    }
    // Nothing after: the file did not grow since its length was read.
    matches!(file.read(&mut block[..1]), Ok(0))
}

/// Puts the staged folder in place of `out`. On Linux the two are
/// exchanged in one step (`renameat2(RENAME_EXCHANGE)`), so a kill at any
/// moment leaves a whole `out`, old or new. Where that is not available
/// (other systems, file systems without it) the old folder is moved
/// aside first: a kill between the two renames leaves no `out`, and the
/// next run puts the moved-aside copy back ([`tidy_beside`]).
fn swap(out: &Path, staging: &Path, old: &Path) -> Result<(), Diagnostic> {
    let had_output = out.exists();
    if had_output && exchange(staging, out).is_ok() {
        // `staging` now holds the previous output.
        let _ = fs::remove_dir_all(staging);
        return Ok(());
    }
    if had_output {
        fs::rename(out, old).map_err(|e| io_error(out, "move aside", &e))?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if had_output {
            let _ = fs::rename(old, out);
        }
        return Err(io_error(out, "replace", &e));
    }
    if had_output {
        let _ = fs::remove_dir_all(old);
    }
    Ok(())
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use nix::fcntl::{AT_FDCWD, RenameFlags, renameat2};
    renameat2(AT_FDCWD, a, AT_FDCWD, b, RenameFlags::RENAME_EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

fn io_error(path: &Path, action: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {action} {}: {e}", path.display()))
        .in_file(&PathBuf::from(path))
}

/// Removes an output folder `output_folder` accepted. It is first renamed
/// aside, so a reader never sees it half removed.
pub fn remove(out: &Path) -> Result<(), Diagnostic> {
    let aside = out.with_file_name(format!(
        ".{}.upbook-removed",
        out.file_name()
            .map_or_else(|| "book".into(), |n| n.to_string_lossy())
    ));
    let _ = std::fs::remove_dir_all(&aside);
    std::fs::rename(out, &aside)
        .and_then(|()| std::fs::remove_dir_all(&aside))
        .map_err(|e| Diagnostic::error(format!("cannot remove {}: {e}", out.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The swap never moves the old output aside where the system can
    /// exchange the two folders: there is no moment without `book`.
    #[test]
    fn the_new_output_takes_the_old_ones_place_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let (out, staging, old) = (
            tmp.path().join("book"),
            tmp.path().join(".book.staging-1"),
            tmp.path().join(".book.old-1"),
        );
        for (dir, text) in [(&out, "old"), (&staging, "new")] {
            fs::create_dir(dir).unwrap();
            fs::write(dir.join("index.html"), text).unwrap();
        }
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            exchange(&staging, &out).unwrap();
            assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
            assert_eq!(
                fs::read_to_string(staging.join("index.html")).unwrap(),
                "old"
            );
            exchange(&staging, &out).unwrap();
        }
        swap(&out, &staging, &old).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert!(!staging.exists() && !old.exists());
    }

    /// A rebuild writes only what changed: an unchanged file is the very
    /// file of the last build (same inode, same time stamp), a changed
    /// one, or one edited by hand in the output, is written afresh.
    #[cfg(unix)]
    #[test]
    fn a_rebuild_keeps_the_files_whose_bytes_did_not_change() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("book");
        let site = |page: &str| -> Site {
            Files::from([
                ("draft/index.html".to_string(), page.as_bytes().to_vec()),
                ("draft/assets/style.css".to_string(), b"body {}".to_vec()),
                ("draft/report.html".to_string(), b"report".to_vec()),
            ])
        };
        write(&out, &site("one")).unwrap();
        let inode = |name: &str| fs::metadata(out.join(name)).unwrap().ino();
        let (style, page) = (inode("draft/assets/style.css"), inode("draft/index.html"));
        fs::write(out.join("draft/report.html"), "edited by hand").unwrap();

        write(&out, &site("two")).unwrap();
        assert_eq!(inode("draft/assets/style.css"), style, "unchanged: kept");
        assert_ne!(inode("draft/index.html"), page, "changed: written");
        assert_eq!(
            fs::read_to_string(out.join("draft/index.html")).unwrap(),
            "two"
        );
        assert_eq!(
            fs::read_to_string(out.join("draft/report.html")).unwrap(),
            "report",
            "a file edited in the output is put back"
        );
        // Nothing is left beside the output.
        let beside: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(beside.len(), 1);
    }

    /// A file is reused only when it holds the very bytes, to the last.
    #[test]
    fn holds_compares_every_byte_and_the_length() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("f");
        let big: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &big).unwrap();
        assert!(holds(&path, &big));
        let mut other = big.clone();
        other[599_999] ^= 1;
        assert!(!holds(&path, &other), "a difference in the last block");
        assert!(!holds(&path, &big[..599_999]), "a shorter file");
        assert!(!holds(&tmp.path().join("missing"), b""));
    }
}
