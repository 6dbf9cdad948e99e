//! The project lock. Commands that write what other commands read or
//! write (`requests import`, `release`, `build`, `serve`'s writes of the
//! output, `clean`) take it first, so two of them at once on one project
//! run one after the other: no imported request is lost or numbered
//! twice, and no two builds swap the output folder at the same time.
//!
//! The lock is an advisory file lock (`flock` on Unix, `LockFileEx` on
//! Windows) on `.upbook.lock` in the project. The operating system drops
//! it when its holder exits, however it exits (`kill -9`, a crash, a
//! power cut's reboot), so a lock is never stale and there is nothing to
//! take over; the holder's pid, written into the file, is only what the
//! waiting command tells the user. The file stays: removing it would let
//! a third command lock a fresh file while a second waits on the old one.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;

/// The lock file, in the project folder.
pub const LOCK_FILE: &str = ".upbook.lock";

/// How long a command waits for another before giving up. Holders keep
/// the lock only while they write (and `release` while it checks the
/// draft), so minutes mean the holder is stuck. `UPBOOK_LOCK_WAIT`
/// (seconds) changes it, for scripts that would rather fail at once.
const WAIT: Duration = Duration::from_secs(120);
const RETRY: Duration = Duration::from_millis(50);

/// Threads of one process (`serve`'s rebuilds and its PDF writer) take
/// turns here first: a file lock would make them wait for each other
/// too, but would name their own pid as the one to wait for.
static IN_PROCESS: Mutex<()> = Mutex::new(());

/// Who hears that a command waits; set once by the command line, so the
/// library itself prints nothing.
static WAITING: OnceLock<Box<Tell>> = OnceLock::new();

type Tell = dyn Fn(&str) + Send + Sync;

/// Says how to tell the user that a command waits for another.
pub fn when_waiting(tell: impl Fn(&str) + Send + Sync + 'static) {
    let _ = WAITING.set(Box::new(tell));
}

/// The project held by this process until dropped.
pub struct ProjectLock {
    /// `None` for a project no one can write into (see [`lock`]).
    file: Option<File>,
    _in_process: MutexGuard<'static, ()>,
}

impl ProjectLock {
    /// Removes what killed upbooks left in the project: staging and
    /// moved-aside folders beside `out` (the output, when this command
    /// writes one) and in `releases/`, and a change-requests file being
    /// written. Taking `self` makes sure the project is held meanwhile.
    pub fn tidy(&self, root: &Path, out: Option<&Path>) {
        if let Some(out) = out {
            crate::output::tidy_beside(out);
        }
        crate::output::tidy_in(&root.join(crate::snapshot::RELEASES));
        let _ = std::fs::remove_file(root.join(super::requests::STAGED));
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        // The pid of a holder that is gone would only mislead; the
        // lock itself goes with the file handle.
        if let Some(file) = &self.file {
            let _ = file.set_len(0);
        }
    }
}

/// Takes the lock of the project in `root`, waiting while another upbook
/// holds it, up to a bound.
pub fn lock(root: &Path) -> Result<ProjectLock, Diagnostic> {
    let in_process = IN_PROCESS.lock().unwrap_or_else(|e| e.into_inner());
    let path = root.join(LOCK_FILE);
    let cannot = |e: std::io::Error| {
        Diagnostic::error(format!("cannot lock the project ({}): {e}", path.display()))
            .in_file(&PathBuf::from(LOCK_FILE))
    };
    let opened = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path);
    let mut file = match opened {
        Ok(file) => file,
        // A read-only checkout built into `--out` elsewhere: no command
        // can write into this project, so there is nothing to take
        // turns for. (A lock file that exists but is not ours to open
        // is another user's, who may be at work: that is an error.)
        Err(e)
            if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem
                || (e.kind() == std::io::ErrorKind::PermissionDenied && !path.exists()) =>
        {
            return Ok(ProjectLock {
                file: None,
                _in_process: in_process,
            });
        }
        Err(e) => return Err(cannot(e)),
    };
    let wait = wait();
    let started = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {
                let holder = holder(&mut file);
                if started.elapsed() >= wait {
                    return Err(Diagnostic::error(format!(
                        "{holder} has held the project for {} s; gave up waiting",
                        wait.as_secs()
                    ))
                    .in_file(&PathBuf::from(LOCK_FILE))
                    .with_hint(
                        "if it is stuck, stop it and run this again; \
                         a stopped upbook leaves no lock behind",
                    ));
                }
                if !told {
                    told = true;
                    if let Some(tell) = WAITING.get() {
                        tell(&format!(
                            "waiting for {holder} to finish with this project…"
                        ));
                    }
                }
                std::thread::sleep(RETRY);
            }
            Err(TryLockError::Error(e)) => return Err(cannot(e)),
        }
    }
    // Best effort: the pid is only ever shown, never trusted.
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| writeln!(file, "{}", std::process::id()));
    Ok(ProjectLock {
        file: Some(file),
        _in_process: in_process,
    })
}

/// "upbook (pid N)", from the lock file's text.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind().and_then(|()| file.read_to_string(&mut text));
    match text.trim().parse::<u32>() {
        Ok(pid) => format!("upbook (pid {pid})"),
        Err(_) => "another upbook".to_string(),
    }
}

fn wait() -> Duration {
    std::env::var("UPBOOK_LOCK_WAIT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(WAIT, Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_is_named_and_the_lock_is_free_once_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let held = lock(tmp.path()).unwrap();
        let text = std::fs::read_to_string(tmp.path().join(LOCK_FILE)).unwrap();
        assert_eq!(text.trim(), std::process::id().to_string());
        // Another open file description is refused while it is held...
        let other = File::open(tmp.path().join(LOCK_FILE)).unwrap();
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        drop(held);
        // ...and granted once it is dropped.
        other.try_lock().unwrap();
    }
}
