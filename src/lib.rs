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
//! - [`release`] freezes the draft into `releases/VERSION/` and loads it
//!   back; [`diff`] compares two playbooks into a model of changes that the
//!   HTML, PDF and terminal backends render.
//!
//! The `upbook` binary (`src/main.rs`, `src/cmd/`) only parses arguments and
//! calls [`build()`] or [`check()`].

pub mod defaults;
pub mod diagnostic;
pub mod diff;
pub mod load;
pub mod model;
pub mod output;
pub mod parallel;
pub mod release;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod session;
pub mod source;
pub mod theme;

use std::path::{Path, PathBuf};

use diagnostic::Diagnostics;
use load::config::Format;
use model::Playbook;

/// Loads and checks a project: the playbook if it has no errors, and every
/// diagnostic (errors and warnings) found on the way.
pub fn check(root: &Path) -> (Option<Playbook>, Diagnostics) {
    check_cached(root, &mut load::Cache::default())
}

/// [`check`], reusing what `cache` holds from the check before.
pub fn check_cached(root: &Path, cache: &mut load::Cache) -> (Option<Playbook>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let playbook = load::load_cached(root, &mut diags, cache)
        .filter(|_| !diags.has_errors())
        .map(|project| model::build(project, model::source_date()));
    (playbook, diags)
}

pub struct BuildOptions {
    /// Output folder; `None` means the project's configured one (`book/`).
    pub out: Option<PathBuf>,
    /// Formats to write; empty means those `book.toml` lists.
    pub formats: Vec<Format>,
}

pub struct BuildSummary {
    pub out: PathBuf,
    pub files: usize,
    pub diagnostics: Diagnostics,
}

/// Builds a project into its output folder. On any error the previous
/// output is left exactly as it was.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    let mut cache = load::Cache::default();
    let (playbook, mut diags) = check_cached(root, &mut cache);
    let Some(playbook) = playbook.filter(|_| !diags.has_errors()) else {
        return Err(diags);
    };
    let theme = match theme::Theme::load(root, &playbook.config.output.theme) {
        Ok(theme) => theme,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let formats = if options.formats.is_empty() {
        playbook.config.output.formats.clone()
    } else {
        options.formats.clone()
    };
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| root.join(&playbook.config.output.dir));
    let releases = cache.releases(root, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let site = match render::site(&playbook, &theme, &releases, &formats) {
        Ok(site) => site,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let files = site.len();
    if let Err(d) = output::write(&out, &site) {
        diags.push(d);
        return Err(diags);
    }
    Ok(BuildSummary {
        out,
        files,
        diagnostics: diags,
    })
}

/// The changes between two versions of a project: `from` defaults to the
/// last release, `to` to the draft (also named `draft`).
pub fn changes(
    root: &Path,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<diff::Changes, Diagnostics> {
    let mut diags = Diagnostics::default();
    // One cache, so checking the draft does not load the releases again.
    let mut cache = load::Cache::default();
    let releases = cache.releases(root, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let mut pick = |version: &str, diags: &mut Diagnostics| -> Option<Playbook> {
        if version == "draft" {
            let (draft, found) = check_cached(root, &mut cache);
            diags.extend(
                found
                    .items
                    .into_iter()
                    .filter(diagnostic::Diagnostic::is_error),
            );
            return draft;
        }
        let found = releases
            .iter()
            .find(|r| r.version == version)
            .map(|r| r.playbook.clone());
        if found.is_none() {
            let known: Vec<&str> = releases.iter().map(|r| r.version.as_str()).collect();
            diags.push(
                diagnostic::Diagnostic::error(format!("there is no release {version}")).with_hint(
                    if known.is_empty() {
                        "make one with `upbook release VERSION`".to_string()
                    } else {
                        format!("releases: {}", known.join(", "))
                    },
                ),
            );
        }
        found
    };
    let from = match from {
        Some(v) => v.to_string(),
        None => match releases.last() {
            Some(r) => r.version.clone(),
            None => {
                diags.push(
                    diagnostic::Diagnostic::error("there is no release to compare with")
                        .with_hint("make one with `upbook release VERSION`"),
                );
                return Err(diags);
            }
        },
    };
    let to = to.unwrap_or("draft").to_string();
    let old = pick(&from, &mut diags);
    let new = pick(&to, &mut diags);
    match (old, new) {
        (Some(old), Some(new)) if !diags.has_errors() => {
            Ok(diff::compare(&old.reference(), &new.reference()))
        }
        _ => Err(diags),
    }
}
