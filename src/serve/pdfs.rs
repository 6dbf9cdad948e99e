//! The PDF worker: lays out the PDFs of the newest build, one build at a
//! time. Work handed in while a layout runs replaces any work still
//! waiting (only the newest draft matters), keeping the releases it was
//! to lay out.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long saves must pause before PDFs are laid out again.
const QUIET: Duration = Duration::from_millis(700);

use super::live::Live;
use super::report::Event;
use crate::project::session::PdfWork;

#[derive(Default)]
pub struct Worker {
    next: Mutex<Option<PdfWork>>,
    wake: Condvar,
    stopped: AtomicBool,
}

impl Worker {
    pub fn give(&self, mut work: PdfWork) {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(older) = next.take() {
            work.absorb(older);
        }
        *next = Some(work);
        self.wake.notify_one();
    }

    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    fn take(&self) -> Option<PdfWork> {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
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

    /// Holds `work` until no newer work has come for `QUIET`, taking over
    /// whatever comes meanwhile: while saves keep coming, a layout would
    /// only take a core from the next save's pages. `None` when stopped.
    fn settle(&self, mut work: PdfWork) -> Option<PdfWork> {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
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
        self.next
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Lays out PDFs until stopped. Layout runs in a pool of its own: in
    /// rayon's global pool a layout of several seconds would hold the
    /// workers that the next save's pages need at once.
    pub fn run(&self, live: &Live, out: &Path, report: &(dyn Fn(Event) + Send + Sync)) {
        // One core fewer than the machine has, so a save's pages always
        // find one free while a layout runs.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().max(2) - 1);
        match rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("upbook-pdf-{i}"))
            .start_handler(|_| background())
            .build()
        {
            Ok(pool) => pool.install(|| self.lay_out(live, out, report)),
            Err(_) => self.lay_out(live, out, report),
        }
    }

    fn lay_out(&self, live: &Live, out: &Path, report: &(dyn Fn(Event) + Send + Sync)) {
        let mut laid_out: Option<u64> = None;
        while let Some(work) = self.take() {
            // The first layout starts at once; later ones once saves pause.
            let work = if laid_out.is_some() {
                match self.settle(work) {
                    Some(work) => work,
                    None => return,
                }
            } else {
                work
            };
            let started = Instant::now();
            let mut files = 0;
            let mut failed = None;
            let inputs = work.draft_inputs();
            let draft = (laid_out != Some(inputs)).then(|| work.draft());
            if draft.is_none() && !work.has_releases() {
                let more = self.waiting();
                live.status.send_modify(|s| s.pdf_pending = more);
                continue;
            }
            for result in draft.into_iter().chain(work.releases()) {
                match result {
                    Ok(pdfs) => {
                        files += pdfs.len();
                        for d in live.publish_pdfs(&pdfs, out) {
                            report(Event::WriteFailed(&d));
                        }
                    }
                    Err(d) => {
                        report(Event::PdfFailed(&d));
                        failed = Some(d.render(false));
                    }
                }
                if self.stopped.load(Ordering::SeqCst) {
                    return;
                }
            }
            if failed.is_none() {
                laid_out = Some(inputs);
                report(Event::PdfsDone {
                    files,
                    took: started.elapsed(),
                });
            }
            let more = self.waiting();
            live.status.send_modify(|s| {
                s.pdf_layouts += 1;
                s.pdf_error = failed;
                s.pdf_pending = more;
            });
        }
    }
}

/// Makes the calling thread one the scheduler runs only on cores nothing
/// else wants (Linux's `SCHED_IDLE`): a save's pages then take the cores
/// from a layout at once, rather than sharing them with it. Elsewhere the
/// layout runs at normal priority.
fn background() {
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
