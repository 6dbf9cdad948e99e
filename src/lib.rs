//! upbook turns one Managed Upgrade engagement into a versioned, reviewed
//! playbook.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! load  ->  model  ->  render  ->  output
//! ```
//!
//! - [`load`] reads `book.toml`, `content/engagement.yaml`, the notes, the
//!   process overrides and the change requests, keeping source positions so
//!   every problem is reported at its file, line and column
//!   ([`diagnostic`]).
//! - [`model`] is the typed playbook: engagement, process, schedule,
//!   sections of parsed Markdown with numbered steps, change requests.
//!   Markdown is parsed once, in `load`, into [`model::document`].
//! - [`render`] has one backend per format, each a function from the model
//!   to bytes; HTML goes through the theme's templates ([`theme`]).
//! - [`output`] lays out the version folders in a staging folder and swaps
//!   it in, so a failed build never leaves half-written output.
//! - [`snapshot`] is the store of releases (`releases/VERSION/`): read,
//!   verified against their digest, written; [`changes`] compares two
//!   playbooks into a model of changes that the HTML, PDF and terminal
//!   backends render.
//! - [`project`] is what the commands do with those stages (check, build,
//!   release, changes, the `serve` session); it is the only module that
//!   ties them together, and [`serve`] sits on top of it.
//!
//! - [`limits`] are the most any one input may ask (nesting, sizes,
//!   pixels), which `load` checks before work grows with them; [`bidi`]
//!   keeps a direction override in people's text inside that text.
//!
//! The `upbook` binary (`src/main.rs`, `src/cmd/`) only parses arguments and
//! calls [`project`] through the names re-exported here.

pub mod bidi;
pub mod changes;
pub mod defaults;
pub mod diagnostic;
pub mod limits;
pub mod load;
pub mod model;
pub mod output;
pub mod project;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod snapshot;
pub mod strings;
pub mod theme;

pub use project::{BuildOptions, BuildSummary, Checked, build, changes, check, check_cached};
