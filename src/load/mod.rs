//! Stage 1: read `book.toml`, the engagement, notes, process overrides and
//! change requests, keeping source positions for every later check.

pub mod assemble;
pub mod cache;
pub mod change_requests;
pub mod config;
mod divs;
pub mod engagement;
mod findings;
pub mod front_matter;
pub mod images;
pub mod markdown;
pub mod notes;
pub mod process;
pub mod run;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::defaults;
use crate::diagnostic::SourceFile;
use crate::diagnostic::{Diagnostic, Diagnostics, closest};
use crate::model::Asset;
use crate::model::engagement::Engagement;
use crate::model::process::Process;
use crate::model::variables::Scope;
use cache::LoadedNote;
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

/// [`load`], reusing what `cache` holds from the load before.
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
    let engagement_file = read_required(root, ENGAGEMENT, diags);
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
    let engagement = loaded_engagement.map(|l| l.engagement);
    let scope = match (&engagement, &process) {
        (Some(e), Some(p)) => Scope::new(e, p.variables()),
        _ => Scope::permissive(),
    };

    let mut assets = BTreeMap::new();
    let mut notes = Vec::new();
    cache.start(&scope);
    // Notes are independent: read and parse them on every core, then merge
    // in file order so output and messages never depend on timing.
    let paths = markdown_files(root, Path::new(NOTES), diags);
    let reused: Vec<Option<LoadedNote>> = paths.iter().map(|p| cache.note(root, p)).collect();
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
                || read_notes(root, &stale, &scope),
                || read_process_text(root, &scope),
            )
        },
    );
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
    cache.finish(&paths);

    diags.extend(text_listing.items);
    let process_text: Vec<notes::LoadedSection> = process_text
        .into_iter()
        .flat_map(|text| {
            assets.extend(text.assets);
            diags.extend(text.diags.items);
            text.section
        })
        .collect();

    let (requests, requests_file) = if root.join(CHANGE_REQUESTS).is_file() {
        match diags.take(SourceFile::read(root, Path::new(CHANGE_REQUESTS))) {
            Some(file) => (change_requests::load(&file, diags), Some(file)),
            None => (None, None),
        }
    } else {
        (Some(Vec::new()), None)
    };

    // Whether the notes and the engagement loaded: the run's references
    // are only worth checking against them when they did.
    let references_known = !diags.has_errors();
    let run = run::load(root, engagement.as_ref(), &scope, &mut assets, diags);

    cross_check(
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
        let activities: Vec<&str> = process
            .iter()
            .flat_map(|p| p.activities().map(|a| a.id.as_str()))
            .collect();
        let sections: Vec<&str> = notes.iter().map(|n| n.section.id.as_str()).collect();
        let environments: Vec<&str> = engagement
            .iter()
            .flat_map(|e| e.environments.iter().map(|env| env.name.as_str()))
            .collect();
        run.check_references(&activities, &sections, &environments, diags);
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
                SourceFile::read(root, relative),
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

/// Rules that need more than one file: section ids unique across the
/// playbook, note phases naming process activities, change requests naming
/// real sections. Run even when the engagement failed, so `check` reports
/// every problem at once.
fn cross_check(
    releases: &[crate::model::release::Release],
    notes: &[notes::LoadedSection],
    process_text: &[notes::LoadedSection],
    process: Option<&Process>,
    requests: Option<&[change_requests::LoadedRequest]>,
    requests_file: Option<&SourceFile>,
    diags: &mut Diagnostics,
) {
    // A note that failed to load would make every request against it look
    // dangling; report those only when all sections are known.
    let all_sections_loaded = !diags.has_errors();
    let activity_ids: Vec<&str> = process
        .map(|p| p.activities().map(|a| a.id.as_str()).collect())
        .unwrap_or_default();
    // Each phase's heading is anchored `phase-ACTIVITY`.
    let phase_ids: Vec<String> = activity_ids.iter().map(|a| format!("phase-{a}")).collect();
    let mut seen: BTreeMap<&str, String> = crate::model::FRONT_SECTIONS
        .iter()
        .chain(&[crate::model::KNOWN_ISSUES])
        .chain(crate::model::PART_IDS)
        .copied()
        .chain(phase_ids.iter().map(String::as_str))
        .map(|id| (id, "the playbook's own sections".to_string()))
        .collect();
    for (loaded, is_note) in notes
        .iter()
        .map(|n| (n, true))
        .chain(process_text.iter().map(|n| (n, false)))
    {
        let section = &loaded.section;
        let origin = &loaded.origin;
        if let Some(first) = seen.get(section.id.as_str()) {
            let (line, col) = origin.id_at;
            diags.push(
                Diagnostic::error(format!(
                    "section id `{}` is already used by {first}",
                    section.id
                ))
                .at(&origin.file, line, col)
                .with_hint("give this note its own `id:` in the front matter"),
            );
            continue;
        }
        seen.insert(&section.id, section.source.clone());
        let phase = section.phase.as_deref().unwrap_or_default();
        if is_note
            && process.is_some()
            && phase != crate::model::document::BACK_OUT
            && !activity_ids.contains(&phase)
        {
            let (line, col) = origin.phase_at;
            let hint = match closest(phase, activity_ids.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "phases are the process activities ({}) and `back-out` for the back-out plan",
                    activity_ids.join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(format!("unknown phase `{phase}`"))
                    .at(&origin.file, line, col)
                    .with_hint(hint),
            );
        }
    }
    // A point of no return points at the back-out plan: there must be one.
    let has_back_out = notes.iter().any(|n| n.section.is_back_out());
    for loaded in notes.iter().filter(|_| !has_back_out) {
        if let Some((line, col)) = loaded.origin.no_return_at {
            diags.push(
                Diagnostic::error("a point of no return, but no back-out plan to point to")
                    .at(&loaded.origin.file, line, col)
                    .with_hint("write the back-out plan in notes with `phase: back-out`"),
            );
        }
    }
    let (Some(requests), Some(file)) = (requests, requests_file) else {
        return;
    };
    if !all_sections_loaded {
        return;
    }
    // A request raised against a release must name a section of that
    // release; `applied_in` must name a release or a version after the last.
    let last = releases
        .last()
        .and_then(|r| crate::model::version::Version::parse(&r.version));
    for loaded in requests {
        let request = &loaded.request;
        if let Some(applied) = &request.applied_in {
            let known = releases.iter().any(|r| &r.version == applied);
            let later = match (crate::model::version::Version::parse(applied), &last) {
                (Some(v), Some(last)) => &v > last,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if !known && !later {
                let (line, col) = loaded.status_at;
                diags.push(
                    Diagnostic::error(format!(
                        "change request `{}` is applied in {applied}, which is neither a release nor the next version",
                        request.id
                    ))
                    .at(file, line, col),
                );
            }
        }
        if let Some(release) = releases
            .iter()
            .find(|r| r.version == request.raised_against)
        {
            if !release.playbook.sections().any(|s| s.id == request.section) {
                let (line, col) = loaded.section_at;
                diags.push(
                    Diagnostic::error(format!(
                        "change request `{}` refers to section `{}`, which release {} does not have",
                        request.id, request.section, release.version
                    ))
                    .at(file, line, col)
                    .with_hint("use the section's id as it was in the release the customer reviewed"),
                );
            }
            continue;
        }
        if seen.contains_key(request.section.as_str()) {
            continue;
        }
        let (line, col) = loaded.section_at;
        let hint = match closest(&request.section, seen.keys().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "use the id of a section of the playbook (its slug, or `id:` in the note)"
                .to_string(),
        };
        diags.push(
            Diagnostic::error(format!(
                "change request `{}` refers to section `{}`, which does not exist",
                request.id, request.section
            ))
            .at(file, line, col)
            .with_hint(hint),
        );
    }
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
