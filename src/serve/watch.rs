//! Watching the project for saves. Editors save in several steps (write a
//! temporary file and rename it over the note, or move the note aside and
//! write a new one), each firing its own events, and some file systems
//! fire several events for one write; so a batch of changes is complete
//! once the project has been quiet for a moment, and one batch means one
//! build shown. The rebuild starts at the first change rather than after
//! the quiet moment: that moment passes while it runs, and a change seen
//! meanwhile joins the batch, whose build is then made again (it may have
//! read a file half-written) instead of shown.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::diagnostic::Diagnostic;

/// How to learn about changes. Native events (inotify, FSEvents, ...) are
/// immediate; polling is the fallback for file systems that do not deliver
/// them reliably (network shares, some containers and VMs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WatcherKind {
    Native,
    Poll,
}

/// How long the project must be quiet before a batch is complete, and the
/// longest a batch may wait while changes keep arriving.
const QUIET: Duration = Duration::from_millis(15);
/// How long the project must be quiet before a rebuild starts: the events
/// of one write (its data, then its close) come microseconds apart, and
/// should not each start a build.
const BURST: Duration = Duration::from_millis(3);
const AT_MOST: Duration = Duration::from_millis(400);
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The folders a playbook is made from; `book.toml` is watched through
/// the project folder itself.
const WATCHED: &[&str] = &["content", "themes", "releases"];

pub struct Watching {
    watcher: Box<dyn Watcher + Send>,
    root: PathBuf,
    pub kind: WatcherKind,
    /// Set when native events could not be used and polling took over.
    pub fallback: Option<String>,
    changes: Receiver<PathBuf>,
}

impl Watching {
    pub fn start(root: &Path, out: &Path, kind: WatcherKind) -> Result<Watching, Diagnostic> {
        let (tx, changes) = channel();
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let out = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
        let fallback;
        let watcher: Box<dyn Watcher + Send> = match kind {
            WatcherKind::Poll => {
                fallback = None;
                Box::new(poll(&root, &out, tx)?)
            }
            WatcherKind::Native => match native(&root, &out, tx.clone()) {
                Ok(w) => {
                    fallback = None;
                    Box::new(w)
                }
                Err(e) => {
                    fallback = Some(e.to_string());
                    Box::new(poll(&root, &out, tx)?)
                }
            },
        };
        Ok(Watching {
            watcher,
            root,
            kind: if fallback.is_some() {
                WatcherKind::Poll
            } else {
                kind
            },
            fallback,
            changes,
        })
    }

    /// Starts watching a watched folder that was created after `serve`
    /// started (the project folder's own watch reports its creation).
    pub fn follow_new_folders(&mut self, batch: &BTreeSet<PathBuf>) {
        for dir in WATCHED {
            if batch.contains(Path::new(dir)) && self.root.join(dir).is_dir() {
                let _ = self
                    .watcher
                    .watch(&self.root.join(dir), RecursiveMode::Recursive);
            }
        }
    }

    /// The first changes of the next batch, or `None` when nothing
    /// changed within `wait`. `first` is called as soon as the first
    /// change is seen.
    pub fn next_batch(&self, wait: Duration, first: impl FnOnce()) -> Option<Batch> {
        let path = self.changes.recv_timeout(wait).ok()?;
        first();
        let mut batch = Batch::of(BTreeSet::from([path]));
        while !batch.overdue() {
            match self.changes.recv_timeout(BURST) {
                Ok(path) => {
                    batch.last = Instant::now();
                    batch.paths.insert(path);
                }
                Err(_) => break,
            }
        }
        Some(batch)
    }

    /// Called once `batch`'s build is made: the changes that came since
    /// it started, waiting out the rest of the quiet moment first. Empty
    /// means the build is of a complete batch and can be shown.
    pub fn since_built(&self, batch: &mut Batch) -> BTreeSet<PathBuf> {
        let mut seen = BTreeSet::new();
        loop {
            // Once a change is seen, only those already waiting join it.
            let wait = if seen.is_empty() {
                QUIET.saturating_sub(batch.last.elapsed())
            } else {
                Duration::ZERO
            };
            match self.changes.recv_timeout(wait) {
                Ok(path) => {
                    batch.last = Instant::now();
                    seen.insert(path);
                }
                // Quiet long enough, or the watcher is gone.
                Err(_) => break,
            }
        }
        seen
    }
}

/// Changed project-relative paths that are built and shown together.
pub struct Batch {
    pub paths: BTreeSet<PathBuf>,
    started: Instant,
    last: Instant,
}

impl Batch {
    /// A batch of these changes, starting now.
    pub fn of(paths: BTreeSet<PathBuf>) -> Batch {
        let now = Instant::now();
        Batch {
            paths,
            started: now,
            last: now,
        }
    }

    /// Changes have kept coming for so long ([`AT_MOST`]) that the build
    /// made so far is shown rather than made again; the rest build next.
    pub fn overdue(&self) -> bool {
        self.started.elapsed() >= AT_MOST
    }
}

fn handler(root: PathBuf, out: PathBuf, tx: Sender<PathBuf>) -> impl notify::EventHandler {
    move |event: notify::Result<Event>| {
        let Ok(event) = event else { return };
        if let EventKind::Access(access) = event.kind
            && access != AccessKind::Close(AccessMode::Write)
        {
            return;
        }
        for path in event.paths {
            if let Some(relative) = relevant(&root, &out, &path) {
                let _ = tx.send(relative);
            }
        }
    }
}

/// The project-relative path, if a change there can change the playbook:
/// `book.toml` and files under the watched folders, but not the output,
/// hidden files or editors' backup and swap files.
fn relevant(root: &Path, out: &Path, path: &Path) -> Option<PathBuf> {
    if path.starts_with(out) {
        return None;
    }
    let relative = path.strip_prefix(root).ok()?;
    let top = relative.components().next()?.as_os_str().to_str()?;
    if relative == Path::new("book.toml") {
        return Some(relative.to_path_buf());
    }
    if !WATCHED.contains(&top) {
        return None;
    }
    let name = relative.file_name()?.to_str()?;
    let scratch = name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913";
    (!scratch).then(|| relative.to_path_buf())
}

fn native(root: &Path, out: &Path, tx: Sender<PathBuf>) -> notify::Result<RecommendedWatcher> {
    let mut watcher = RecommendedWatcher::new(
        handler(root.to_path_buf(), out.to_path_buf(), tx),
        notify::Config::default(),
    )?;
    add(&mut watcher, root)?;
    Ok(watcher)
}

fn poll(root: &Path, out: &Path, tx: Sender<PathBuf>) -> Result<PollWatcher, Diagnostic> {
    let fail = |e: notify::Error| Diagnostic::error(format!("cannot watch the project: {e}"));
    let mut watcher = PollWatcher::new(
        handler(root.to_path_buf(), out.to_path_buf(), tx),
        // notify's poller compares modification times in whole seconds:
        // two saves within one second would look like one. Comparing
        // contents too catches the second (notes are small; reading them
        // twice a second costs little).
        notify::Config::default()
            .with_poll_interval(POLL_INTERVAL)
            .with_compare_contents(true),
    )
    .map_err(fail)?;
    add(&mut watcher, root).map_err(fail)?;
    Ok(watcher)
}

/// The project folder itself (not recursively: it sees `book.toml` and a
/// watched folder being created) and each watched folder that exists.
fn add(watcher: &mut impl Watcher, root: &Path) -> notify::Result<()> {
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::relevant;
    use std::path::Path;

    #[test]
    fn only_project_sources_are_relevant() {
        let root = Path::new("/p");
        let out = Path::new("/p/book");
        let yes = |p: &str| relevant(root, out, Path::new(p)).is_some();
        assert!(yes("/p/book.toml"));
        assert!(yes("/p/content/notes/01-backup.md"));
        assert!(yes("/p/content/engagement.yaml"));
        assert!(yes("/p/themes/default/style.css"));
        assert!(yes("/p/releases/1.0/release.toml"));
        assert!(!yes("/p/book/draft/index.html"));
        assert!(!yes("/p/content/notes/.01-backup.md.swp"));
        assert!(!yes("/p/content/notes/01-backup.md~"));
        assert!(!yes("/p/content/notes/4913"));
        assert!(!yes("/p/target/debug/upbook"));
        assert!(!yes("/elsewhere/book.toml"));
    }
}
