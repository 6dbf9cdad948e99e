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
use std::sync::Arc;

use diagnostic::Diagnostics;
use load::config::Format;
use model::Playbook;

/// A project that passed every check: what `build`, `serve` and
/// `release` go on to render.
pub struct Checked {
    pub draft: Playbook,
    pub theme: theme::Theme,
    pub releases: Arc<Vec<release::Release>>,
}

/// Loads and checks a project: the draft, its theme and every release if
/// nothing has errors, and every diagnostic (errors and warnings) found on
/// the way. `check`, `build`, `serve` and `release` all validate through
/// here, so whatever one rejects the others report the same way.
pub fn check(root: &Path) -> (Option<Checked>, Diagnostics) {
    check_cached(root, &mut load::Cache::default())
}

/// [`check`], reusing what `cache` holds from the check before.
pub fn check_cached(root: &Path, cache: &mut load::Cache) -> (Option<Checked>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let project = load::load_cached(root, &mut diags, cache);
    let releases = cache.releases(root, &mut diags);
    let theme = project
        .as_ref()
        .and_then(|p| diags.take(theme::Theme::load(root, &p.config.output.theme)))
        .and_then(|t| diags.take(render::check_theme(&t).map(|()| t)));
    let checked = match (project, theme) {
        (Some(project), Some(theme)) if !diags.has_errors() => Some(Checked {
            draft: model::build(project, model::source_date()),
            theme,
            releases,
        }),
        _ => None,
    };
    (checked, diags)
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
    let (checked, mut diags) = check(root);
    let Some(Checked {
        draft: playbook,
        theme,
        releases,
    }) = checked
    else {
        return Err(diags);
    };
    let formats = if options.formats.is_empty() {
        playbook.config.output.formats.clone()
    } else {
        options.formats.clone()
    };
    let chosen = match &options.out {
        Some(out) => output::Chosen::Flag(out),
        None => output::Chosen::Config(&playbook.config.output.dir),
    };
    let out = match output::output_folder(root, &chosen) {
        Ok(out) => out,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
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
            let (checked, found) = check_cached(root, &mut cache);
            diags.extend(
                found
                    .items
                    .into_iter()
                    .filter(diagnostic::Diagnostic::is_error),
            );
            return checked.map(|c| c.draft);
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
