//! The one validation path: `check`, `build`, `serve` and `release` load
//! and check a project here, so whatever one rejects the others report
//! the same way.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::Diagnostics;
use crate::model::Playbook;
use crate::model::release::Release;
use crate::{load, model, render, theme};

/// The day the customer accepted the final version, if a release is
/// final: the on-call week runs from it.
pub fn delivered(releases: &[Release]) -> Option<time::Date> {
    releases
        .iter()
        .rev()
        .find(|r| r.acceptance.is_some())
        .map(|r| r.date)
}

/// A project that passed every check: what `build`, `serve` and
/// `release` go on to render.
pub struct Checked {
    pub draft: Playbook,
    pub theme: theme::Theme,
    pub releases: Arc<Vec<Release>>,
}

/// Loads and checks a project: the draft, its theme and every release if
/// nothing has errors, and every diagnostic (errors and warnings) found on
/// the way. `check`, `build`, `serve` and `release` all validate through
/// here, so whatever one rejects the others report the same way.
pub fn check(root: &Path) -> (Option<Checked>, Diagnostics) {
    check_cached(root, &mut load::Cache::once())
}

/// [`check`], reusing what `cache` holds from the check before.
pub fn check_cached(root: &Path, cache: &mut load::Cache) -> (Option<Checked>, Diagnostics) {
    check_with(root, cache, &render::html::sections::Sections::default())
}

/// [`check_cached`] with what the HTML backend remembers from the last
/// build: `serve` checks the theme's templates on every save, and
/// compiles them only when they changed.
pub fn check_with(
    root: &Path,
    cache: &mut load::Cache,
    sections: &render::html::sections::Sections,
) -> (Option<Checked>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let project = load::load_cached(root, &mut diags, cache);
    let releases = cache.releases(root, &mut diags);
    let theme = project.as_ref().and_then(|p| {
        let theme = diags.take(theme::Theme::load(root, &p.config.output.theme))?;
        let language = &p.config.book.language;
        diags.take(render::check_theme(&theme, language, sections).map(|words| (theme, words)))
    });
    diags.extend(theme::Theme::unused_default_folder(root));
    let checked = match (project, theme) {
        // `words`: the words the model itself holds (the "Known issues"
        // part), in the theme's language.
        (Some(project), Some((theme, words))) if !diags.has_errors() => Some(Checked {
            draft: load::assemble::playbook(
                project,
                model::source_date(),
                delivered(&releases),
                &words,
            ),
            theme,
            releases,
        }),
        _ => None,
    };
    (checked, diags)
}
