//! What `serve` tells the person running it, from whichever thread did
//! the work; the binary decides how to print it.

use std::sync::Arc;
use std::time::Duration;

use super::watch::WatcherKind;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::project::session::Stats;

/// What `serve` tells the person running it; the binary prints these.
pub enum Event<'a> {
    Listening {
        url: String,
        watcher: WatcherKind,
        fallback: Option<&'a str>,
    },
    Built {
        stats: Stats,
        changed: usize,
        warnings: &'a Diagnostics,
    },
    Failed(&'a Diagnostics),
    PdfsDone {
        files: usize,
        took: Duration,
    },
    PdfFailed(&'a Diagnostic),
    WriteFailed(&'a Diagnostic),
}

/// Called from the rebuild and PDF threads.
pub type Report = Arc<dyn Fn(Event) + Send + Sync>;
