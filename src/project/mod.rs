//! What the commands do, over the pipeline's stages: check a project,
//! build it, release it, compare two versions, and rebuild it again and
//! again for `serve` ([`session`]). Only this module (and `serve` above
//! it) ties the stages together; each stage gets what it needs as
//! arguments.

mod build;
mod changes;
mod check;
pub mod lock;
pub mod release;
pub mod requests;
pub mod session;

pub use build::{BuildOptions, BuildSummary, build, clean};
pub use changes::{changes, changes_by_version, changes_since};
pub use check::{Checked, check, check_cached, delivered};
