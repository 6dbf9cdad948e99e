//! Stage 1: read `book.toml`, the engagement, notes, process overrides and
//! change requests, keeping source positions for every later check.

pub mod assemble;
pub mod cache;
pub mod change_requests;
pub mod config;
mod cross_check;
mod directions;
mod divs;
pub mod docx;
pub mod engagement;
mod findings;
pub mod front_matter;
mod image_limits;
pub mod images;
mod limits;
pub mod markdown;
pub mod notes;
pub mod process;
pub mod run;
mod variables;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::defaults;
use crate::diagnostic::SourceFile;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Asset;
use crate::model::engagement::Engagement;
use crate::model::process::Process;
use crate::model::release::Release;
use crate::model::variables::Scope;
use cache::LoadedNote;
use notes::LoadedSection;
use rayon::prelude::*;

pub use cache::Cache;

/// Everything read from a project folder, before cross-file checks.
pub struct Project {
    pub root: PathBuf,
    pub config: crate::model::config::BookConfig,
    pub engagement: Engagement,
    pub process: Process,
    pub notes: Vec<notes::LoadedSection>,
    pub process_text: Vec<notes::LoadedSection>,
    pub requests: Vec<change_requests::LoadedRequest>,
    pub requests_file: Option<SourceFile>,
    /// `content/run.yaml`, when the project has one.
    pub run: Option<run::LoadedRun>,
    pub assets: BTreeMap<String, Asset>,
}

pub const ENGAGEMENT: &str = "content/engagement.yaml";
pub const NOTES: &str = "content/notes";
pub const CHANGE_REQUESTS: &str = "content/reviews/change-requests.yaml";

/// Loads a project, reporting every problem found rather than the first.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Project> {
    load_cached(root, diags, &mut Cache::once())
}

/// [`load`], reusing what `cache` holds from the load before. The files
/// are read in the order a user meets them: `book.toml`, the engagement
/// and the process, the notes, the change requests, the run; then the
/// rules between files.
pub fn load_cached(root: &Path, diags: &mut Diagnostics, cache: &mut Cache) -> Option<Project> {
    if !root.join("book.toml").is_file() {
        diags.push(
            Diagnostic::error(format!("no book.toml in {}", root.display())).with_hint(
                "run this inside a playbook project, or create one with `upbook init DIR`",
            ),
        );
        return None;
    }
    let config = diags
        .take(SourceFile::read(root, Path::new("book.toml")))
        .and_then(|file| diags.take(config::parse(&file)));
    let (engagement, process) = facts(root, diags);
    let scope = match (&engagement, &process) {
        (Some(e), Some(p)) => Scope::new(e, p.variables()),
        _ => Scope::permissive(),
    };
    let mut assets = BTreeMap::new();
    let (releases, notes, process_text) = sections(root, &scope, cache, &mut assets, diags);
    let (requests, requests_file) = change_requests(root, diags);

    // Whether the notes and the engagement loaded: the run's references
    // are only worth checking against them when they did.
    let references_known = !diags.has_errors();
    let run = run::load(root, engagement.as_ref(), &scope, &mut assets, diags);

    cross_check::check(
        &releases,
        &notes,
        &process_text,
        process.as_ref(),
        requests.as_deref(),
        requests_file.as_ref(),
        diags,
    );
    if let Some(Some(run)) = &run
        && references_known
    {
        cross_check::run(run, process.as_ref(), &notes, engagement.as_ref(), diags);
    }

    Some(Project {
        root: root.to_path_buf(),
        config: config?,
        engagement: engagement?,
        process: process?,
        notes,
        process_text,
        requests: requests?,
        requests_file,
        run: run?,
        assets,
    })
}

/// The engagement and the process, and the one rule between them: the
/// holidays fall within the plan the process makes of the engagement.
fn facts(root: &Path, diags: &mut Diagnostics) -> (Option<Engagement>, Option<Process>) {
    let engagement_file = read_required(root, ENGAGEMENT, diags);
    if let Some(file) = &engagement_file {
        directions::warn(file, diags);
    }
    let loaded_engagement = engagement_file
        .as_ref()
        .and_then(|file| engagement::load(file, diags));
    let process = process::load(root, diags);
    if let (Some(file), Some(loaded), Some(process)) =
        (&engagement_file, &loaded_engagement, &process)
    {
        let plan =
            crate::model::schedule::plan(&loaded.engagement, process, &Default::default(), None);
        loaded.check_holidays(file, plan.last_day(), diags);
    }
    (loaded_engagement.map(|l| l.engagement), process)
}

/// The releases, the notes and the process text, each note reused from
/// `cache` when it has not changed. Their images go into `assets`.
fn sections(
    root: &Path,
    scope: &Scope,
    cache: &mut Cache,
    assets: &mut BTreeMap<String, Asset>,
    diags: &mut Diagnostics,
) -> (Arc<Vec<Release>>, Vec<LoadedSection>, Vec<LoadedSection>) {
    cache.start(scope);
    // Notes are independent: read and parse them on every core, then merge
    // in file order so output and messages never depend on timing.
    let paths = markdown_files(root, Path::new(NOTES), diags);
    // Each note's time stamp is read on every core: at 1,000 notes the
    // system calls were most of a save's loading.
    let reused: Vec<Option<LoadedNote>> = {
        let cache = &*cache;
        paths.par_iter().map(|p| cache.note(root, p)).collect()
    };
    let stale: Vec<&PathBuf> = paths
        .iter()
        .zip(&reused)
        .filter(|(_, r)| r.is_none())
        .map(|(p, _)| p)
        .collect();
    // The releases load beside the notes and the process text: parsing a
    // large release's snapshot is one long task that would otherwise run
    // after them. (Their problems are reported by `check`, which asks the
    // cache for them again.)
    let mut release_diags = Diagnostics::default();
    let (releases, (fresh, (text_listing, process_text))) = rayon::join(
        || cache.releases(root, &mut release_diags),
        || {
            rayon::join(
                || read_notes(root, &stale, scope),
                || read_process_text(root, scope),
            )
        },
    );
    let notes = merge_notes(root, &paths, reused, fresh, cache, assets, diags);
    if paths.is_empty() {
        // Builds, but the playbook would have no steps: say so.
        diags.push(
            Diagnostic::warning(format!("the playbook has no notes: {NOTES}/ holds no .md file"))
                .with_hint("write the upgrade's steps as Markdown notes there; `upbook init DIR` shows examples"),
        );
    }
    diags.extend(text_listing.items);
    let process_text = process_text
        .into_iter()
        .flat_map(|text| {
            assets.extend(text.assets);
            diags.extend(text.diags.items);
            text.section
        })
        .collect();
    (releases, notes, process_text)
}

/// The notes in file order, each the one reused or the one parsed
/// afresh (which `cache` keeps for the next load), with their images
/// and what they found wrong.
fn merge_notes(
    root: &Path,
    paths: &[PathBuf],
    reused: Vec<Option<LoadedNote>>,
    fresh: Vec<LoadedNote>,
    cache: &mut Cache,
    assets: &mut BTreeMap<String, Asset>,
    diags: &mut Diagnostics,
) -> Vec<LoadedSection> {
    let mut notes = Vec::new();
    let mut fresh = fresh.into_iter();
    for (relative, reused) in paths.iter().zip(reused) {
        let note = match reused {
            Some(note) => note,
            None => {
                let Some(note) = fresh.next() else { break };
                cache.remember(root, relative, &note);
                note
            }
        };
        notes.extend(note.section);
        assets.extend(note.assets);
        diags.extend(note.diags.items);
    }
    cache.finish(paths);
    notes
}

/// `content/reviews/change-requests.yaml` when there is one (no requests
/// when there is none); `None` when it does not load.
fn change_requests(
    root: &Path,
    diags: &mut Diagnostics,
) -> (
    Option<Vec<change_requests::LoadedRequest>>,
    Option<SourceFile>,
) {
    if !root.join(CHANGE_REQUESTS).is_file() {
        return (Some(Vec::new()), None);
    }
    match diags.take(SourceFile::read(root, Path::new(CHANGE_REQUESTS))) {
        Some(file) => {
            directions::warn(&file, diags);
            (change_requests::load(&file, diags), Some(file))
        }
        None => (None, None),
    }
}

/// One note (or process text file) parsed afresh, with what it found
/// wrong.
fn parse_note(
    file: Result<SourceFile, Diagnostic>,
    kind: notes::Kind,
    root: &Path,
    scope: &Scope,
) -> LoadedNote {
    let mut note = LoadedNote {
        section: None,
        assets: BTreeMap::new(),
        diags: Diagnostics::default(),
    };
    note.section = note
        .diags
        .take(file)
        .and_then(|file| notes::load(file, kind, root, scope, &mut note.assets, &mut note.diags));
    note
}

/// The notes at `paths`, read and parsed on every core, in order.
fn read_notes(root: &Path, paths: &[&PathBuf], scope: &Scope) -> Vec<LoadedNote> {
    paths
        .par_iter()
        .map(|relative| {
            parse_note(
                limits::read_note(root, relative),
                notes::Kind::Note,
                root,
                scope,
            )
        })
        .collect()
}

/// The process text: the embedded files, each replaced by a file of the
/// same name under `content/process/`, then that folder's other Markdown
/// files, which join the appendix. Returns what listing the folder found
/// wrong, and each file as loaded.
fn read_process_text(root: &Path, scope: &Scope) -> (Diagnostics, Vec<LoadedNote>) {
    let mut listing = Diagnostics::default();
    let mut names: Vec<(String, &str)> = defaults::PROCESS_TEXT
        .iter()
        .map(|(n, t)| (n.to_string(), *t))
        .collect();
    for extra in markdown_files(root, Path::new("content/process"), &mut listing) {
        let name = extra.file_name().map(|n| n.to_string_lossy().into_owned());
        if let Some(name) = name.filter(|n| !names.iter().any(|(d, _)| d == n)) {
            names.push((name, ""));
        }
    }
    let loaded = names
        .par_iter()
        .map(|(name, embedded)| {
            parse_note(
                process::source(root, name, embedded),
                notes::Kind::Process,
                root,
                scope,
            )
        })
        .collect();
    (listing, loaded)
}

fn read_required(root: &Path, relative: &str, diags: &mut Diagnostics) -> Option<SourceFile> {
    if !root.join(relative).is_file() {
        diags.push(
            Diagnostic::error(format!("{relative} is missing")).with_hint(
                "every project needs the engagement's facts; `upbook init` writes an example",
            ),
        );
        return None;
    }
    diags.take(SourceFile::read(root, Path::new(relative)))
}

/// `*.md` files under `dir`, project-relative and sorted, so the order of
/// notes never depends on the file system.
fn markdown_files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if !root.join(dir).is_dir() {
        return files;
    }
    for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                if entry.file_type().is_file()
                    && path.extension().is_some_and(|e| e == "md")
                    && let Ok(relative) = path.strip_prefix(root)
                {
                    files.push(relative.to_path_buf());
                }
            }
            Err(e) => diags.push(Diagnostic::error(format!(
                "cannot list {}: {e}",
                dir.display()
            ))),
        }
    }
    files
}
