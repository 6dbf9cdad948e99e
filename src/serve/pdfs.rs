//! The worker that finishes the output once saves pause: the draft's
//! search indexes and single files into the output folder, then the PDFs
//! of the newest build, laid out by a process of its own ([`layout`]).
//! Work handed in while a layout runs replaces any work still waiting
//! (only the newest draft matters), keeping the releases it was to lay
//! out; a save stops a running layout at once, since its PDFs are stale.

use std::path::Path;
use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long saves must pause before PDFs are laid out again.
const QUIET: Duration = Duration::from_millis(700);

use super::extras::Deferred;
use super::layout::{self, Job};
use super::live::Live;
use super::report::Event;
use crate::diagnostic::Diagnostic;
use crate::project::session::PdfWork;

/// What a good rebuild leaves to do once saves pause.
pub struct Work {
    pub extras: Arc<Deferred>,
    /// `None` when the project writes no PDFs.
    pub pdfs: Option<PdfWork>,
}

impl Work {
    fn absorb(&mut self, older: Work) {
        if let (Some(newer), Some(older)) = (&mut self.pdfs, older.pdfs) {
            newer.absorb(older);
        }
    }
}

#[derive(Default)]
pub struct Worker {
    next: Mutex<Option<Work>>,
    wake: Condvar,
    stopped: AtomicBool,
    /// Counts the saves seen, so a layout started before one is known
    /// to be stale.
    saves: AtomicU64,
    /// The layout process running, if any.
    running: Mutex<Option<Child>>,
}

enum Outcome {
    Done(usize),
    Failed(Diagnostic),
    Stopped,
}

impl Worker {
    pub fn give(&self, work: Work) {
        let mut next = lock(&self.next);
        let mut work = work;
        if let Some(older) = next.take() {
            work.absorb(older);
        }
        *next = Some(work);
        self.wake.notify_one();
    }

    /// A save has been noticed: a layout running now is of a draft that
    /// is gone, and stops at once rather than take cores from the
    /// rebuild.
    pub fn saved(&self) {
        self.saves.fetch_add(1, Ordering::SeqCst);
        if let Some(child) = lock(&self.running).as_mut() {
            let _ = child.kill();
        }
    }

    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        self.saved();
        self.wake.notify_one();
    }

    fn take(&self) -> Option<Work> {
        let mut next = lock(&self.next);
        loop {
            if self.stopped.load(Ordering::SeqCst) {
                return None;
            }
            if let Some(work) = next.take() {
                return Some(work);
            }
            next = self.wake.wait(next).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Puts back work a save interrupted, under any newer work.
    fn put_back(&self, work: Work) {
        let mut next = lock(&self.next);
        match next.as_mut() {
            Some(newer) => newer.absorb(work),
            None => *next = Some(work),
        }
    }

    /// Holds `work` until no newer work has come for `QUIET`, taking over
    /// whatever comes meanwhile: while saves keep coming, this work would
    /// only take a core from the next save's pages. `None` when stopped.
    fn settle(&self, mut work: Work) -> Option<Work> {
        let mut next = lock(&self.next);
        loop {
            if self.stopped.load(Ordering::SeqCst) {
                return None;
            }
            let (guard, waited) = self
                .wake
                .wait_timeout(next, QUIET)
                .unwrap_or_else(|e| e.into_inner());
            next = guard;
            if self.stopped.load(Ordering::SeqCst) {
                return None;
            }
            if let Some(mut newer) = next.take() {
                newer.absorb(work);
                work = newer;
            } else if waited.timed_out() {
                return Some(work);
            }
        }
    }

    fn waiting(&self) -> bool {
        lock(&self.next).is_some()
    }

    /// Finishes the output until stopped: the first build's at once,
    /// later ones once saves pause.
    pub fn run(&self, live: &Live, out: &Path, report: &(dyn Fn(Event) + Send + Sync)) {
        background();
        let mut laid_out: Option<u64> = None;
        let mut first = true;
        while let Some(work) = self.take() {
            let work = if first {
                work
            } else {
                match self.settle(work) {
                    Some(work) => work,
                    None => return,
                }
            };
            first = false;
            if let Err(d) = live.write_extras(&work.extras, out) {
                report(Event::WriteFailed(&d));
            }
            let Some(pdfs) = &work.pdfs else { continue };
            let inputs = pdfs.draft_inputs();
            let job = Job {
                draft: laid_out != Some(inputs),
                releases: pdfs.release_versions(),
                pdf: pdfs.pdf,
                docx: pdfs.docx,
            };
            if !job.draft && job.releases.is_empty() {
                let more = self.waiting();
                live.status.send_modify(|s| s.pdf_pending = more);
                continue;
            }
            let started = Instant::now();
            let outcome = self.lay_out(&job, live, out, report);
            if self.stopped.load(Ordering::SeqCst) {
                return;
            }
            let failed = match outcome {
                Outcome::Stopped => {
                    live.status.send_modify(|s| {
                        s.pdf_stopped += 1;
                        s.pdf_running = false;
                    });
                    self.put_back(work);
                    continue;
                }
                Outcome::Done(files) => {
                    laid_out = Some(inputs);
                    report(Event::PdfsDone {
                        files,
                        took: started.elapsed(),
                    });
                    None
                }
                Outcome::Failed(d) => {
                    report(Event::PdfFailed(&d));
                    Some(d.render(false))
                }
            };
            let more = self.waiting();
            live.status.send_modify(|s| {
                s.pdf_layouts += 1;
                s.pdf_error = failed;
                s.pdf_pending = more;
                s.pdf_running = false;
            });
        }
    }

    /// Runs one layout process, publishing each version's PDFs as they
    /// come.
    fn lay_out(
        &self,
        job: &Job,
        live: &Live,
        out: &Path,
        report: &(dyn Fn(Event) + Send + Sync),
    ) -> Outcome {
        let saves = self.saves.load(Ordering::SeqCst);
        let (child, stdout) = match layout::spawn(&live.root, job) {
            Ok(started) => started,
            Err(d) => return Outcome::Failed(d),
        };
        *lock(&self.running) = Some(child);
        live.status.send_modify(|s| s.pdf_running = true);
        // A save noticed before the process was known here stops it now.
        if self.saves.load(Ordering::SeqCst) != saves
            && let Some(child) = lock(&self.running).as_mut()
        {
            let _ = child.kill();
        }
        let mut files = 0;
        let read = layout::read(stdout, |pdfs| {
            files += pdfs.len();
            for d in live.publish_pdfs(&pdfs, out) {
                report(Event::WriteFailed(&d));
            }
        });
        let Some(mut child) = lock(&self.running).take() else {
            return Outcome::Stopped;
        };
        let status = child.wait();
        if self.saves.load(Ordering::SeqCst) != saves {
            return Outcome::Stopped;
        }
        let mut errors = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            use std::io::Read;
            let _ = stderr.read_to_string(&mut errors);
        }
        match (status, read) {
            (Ok(status), Ok(())) if status.success() => Outcome::Done(files),
            (_, Err(e)) if errors.is_empty() => {
                Outcome::Failed(Diagnostic::error(format!("the PDF layout stopped: {e}")))
            }
            _ => {
                let text = errors.trim();
                Outcome::Failed(Diagnostic::error(
                    text.strip_prefix("error: ").unwrap_or(text).to_string(),
                ))
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Makes the calling thread one the scheduler runs only on cores nothing
/// else wants (Linux's `SCHED_IDLE`): a save's pages then take the cores
/// from a layout at once, rather than sharing them with it. Elsewhere the
/// layout runs at normal priority.
pub(super) fn background() {
    #[cfg(target_os = "linux")]
    {
        use thread_priority::unix::{
            NormalThreadSchedulePolicy, ThreadSchedulePolicy, set_thread_priority_and_policy,
            thread_native_id,
        };
        let _ = set_thread_priority_and_policy(
            thread_native_id(),
            thread_priority::ThreadPriority::Min,
            ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
        );
    }
}
