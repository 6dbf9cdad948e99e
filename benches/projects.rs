//! The engagements the bench builds: generated here, or by the peers'
//! corpus generator when `UPBOOK_BENCH_CORPUS` names it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::corpus;

/// A generated engagement of `n` notes: the upbook project, and beside it
/// (in `peers`) the same notes for mdBook, Hugo and pandoc.
pub struct Corpus {
    pub n: usize,
    pub project: PathBuf,
    pub peers: PathBuf,
}

impl Corpus {
    pub fn label(&self) -> String {
        format!("{} notes", self.n)
    }
}

/// The notes of size `n`, from `UPBOOK_BENCH_CORPUS` when it names a
/// generator, else from this crate's own.
pub fn of_size(work: &Path, n: usize) -> Corpus {
    let dir = work.join(format!("c{n}"));
    match std::env::var("UPBOOK_BENCH_CORPUS") {
        // Written already: a PDF size may repeat an HTML one.
        _ if dir.exists() => {}
        Ok(script) => {
            let status = Command::new("python3")
                .arg(&script)
                .arg(n.to_string())
                .arg(&dir)
                .status()
                .expect("run the corpus generator");
            assert!(status.success(), "{script} failed");
        }
        Err(_) => {
            corpus::write(&dir.join("upbook"), n);
            corpus::write_peers(&dir, n);
        }
    }
    Corpus {
        n,
        project: dir.join("upbook"),
        peers: dir,
    }
}
