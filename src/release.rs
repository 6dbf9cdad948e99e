//! Releases: a frozen copy of the draft, written by `upbook release` into
//! `releases/VERSION/` and rendered from there by every later build, so
//! editing notes, upgrading upbook's built-in process or changing the theme
//! never changes a delivered version.
//!
//! A release folder holds `playbook.json` (the merged model, canonical and
//! diff-friendly), the notes' `images/`, the `theme/` it was rendered with,
//! and `release.toml` with the date and a digest of everything else, so a
//! hand edit is detected instead of silently rendered.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Date;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::engagement::iso_date;
use crate::model::{Asset, Playbook};
use crate::source::SourceFile;
use crate::theme::Theme;

pub const RELEASES: &str = "releases";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReleaseFile {
    version: String,
    #[serde(with = "iso_date")]
    date: Date,
    digest: String,
    #[serde(default, rename = "final", skip_serializing_if = "Option::is_none")]
    acceptance: Option<Acceptance>,
}

/// The customer's sign-off on a final version.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    pub accepted_by: String,
}

/// A release as a build renders it.
pub struct Release {
    pub version: String,
    /// The digest `release.toml` records: equal digests, equal output.
    pub digest: String,
    pub date: Date,
    pub acceptance: Option<Acceptance>,
    pub playbook: Playbook,
    pub theme: Theme,
}

pub struct ReleaseOptions {
    /// Mark the release final, accepted by this person.
    pub accepted_by: Option<String>,
    /// Allow a release after a final one.
    pub after_final: bool,
}

/// Versions compare by their dot-separated numbers: 1.2 < 1.10 < 2.0.
pub fn parse_version(text: &str) -> Option<Vec<u64>> {
    let parts: Option<Vec<u64>> = text.split('.').map(|p| p.parse().ok()).collect();
    parts.filter(|p| !p.is_empty() && p.len() <= 4)
}

/// Freezes the draft as `version`. Refuses a version that exists, one not
/// greater than the last, and a draft with errors.
pub fn create(
    root: &Path,
    version: &str,
    options: &ReleaseOptions,
) -> Result<PathBuf, Diagnostics> {
    let fail = |d: Diagnostic| {
        let mut diags = Diagnostics::default();
        diags.push(d);
        diags
    };
    let Some(number) = parse_version(version) else {
        return Err(fail(
            Diagnostic::error(format!("`{version}` is not a version"))
                .with_hint("use numbers separated by dots, e.g. 1.0 or 1.1"),
        ));
    };
    let (checked, mut diags) = crate::check(root);
    let Some(checked) = checked else {
        diags.push(Diagnostic::error(format!(
            "the draft has errors, so it cannot be released as {version}"
        )));
        return Err(diags);
    };
    let existing = &checked.releases;
    if existing.iter().any(|r| r.version == version) {
        return Err(fail(
            Diagnostic::error(format!(
                "release {version} exists already in {RELEASES}/{version}"
            ))
            .with_hint("releases are frozen; choose the next version number"),
        ));
    }
    if let Some(last) = existing.last() {
        if parse_version(&last.version).is_some_and(|l| number <= l) {
            return Err(fail(Diagnostic::error(format!(
                "release {version} is not greater than the last release, {}",
                last.version
            ))));
        }
        if last.acceptance.is_some() && !options.after_final {
            return Err(fail(
                Diagnostic::error(format!(
                    "release {} is final; a later release needs --after-final",
                    last.version
                ))
                .with_hint("the customer signed off on it; say so explicitly to go on"),
            ));
        }
    }
    let theme = checked.theme;
    let mut playbook = checked.draft;
    let date =
        crate::model::source_date().unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    playbook.version = version.to_string();
    playbook.date = Some(date);
    playbook.accepted_by = options.accepted_by.clone();

    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let json = serde_json::to_string_pretty(&playbook)
        .map_err(|e| fail(Diagnostic::error(format!("cannot write the snapshot: {e}"))))?;
    files.insert("playbook.json".into(), (json + "\n").into_bytes());
    for asset in playbook.assets.values() {
        files.insert(asset.name.clone(), asset.bytes.clone());
    }
    for (name, file) in &theme.files {
        files.insert(format!("theme/{name}"), file.text.clone().into_bytes());
    }
    let release = ReleaseFile {
        version: version.to_string(),
        date,
        digest: digest(&files),
        acceptance: options
            .accepted_by
            .clone()
            .map(|accepted_by| Acceptance { accepted_by }),
    };
    let toml = toml::to_string(&release)
        .map_err(|e| fail(Diagnostic::error(format!("cannot write release.toml: {e}"))))?;
    files.insert(
        "release.toml".into(),
        format!("# Written by `upbook release`. Do not edit: the digest covers this release's files.\n{toml}").into_bytes(),
    );
    let dir = root.join(RELEASES).join(version);
    let site: crate::render::Site = files;
    crate::output::create(&dir, &site).map_err(fail)?;
    Ok(dir)
}

fn digest(files: &BTreeMap<String, Vec<u8>>) -> String {
    let mut hash = Sha256::new();
    for (name, bytes) in files {
        hash.update(name.as_bytes());
        hash.update([0]);
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    }
    let out: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{out}")
}

/// Every release under `releases/`, oldest first.
pub fn load_all(root: &Path, diags: &mut Diagnostics) -> Vec<Release> {
    let dir = root.join(RELEASES);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut found: Vec<(Vec<u64>, String)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().is_dir() || name.starts_with('.') {
            continue;
        }
        match parse_version(&name) {
            Some(v) => found.push((v, name)),
            None => diags.push(
                Diagnostic::error(format!("`{name}` under {RELEASES}/ is not a version"))
                    .in_file(&PathBuf::from(RELEASES).join(&name)),
            ),
        }
    }
    found.sort();
    found
        .into_iter()
        .filter_map(|(_, name)| diags.take(load_one(root, &name)))
        .collect()
}

fn load_one(root: &Path, version: &str) -> Result<Release, Diagnostic> {
    let base = PathBuf::from(RELEASES).join(version);
    let toml_path = base.join("release.toml");
    let file = SourceFile::read(root, &toml_path)?;
    let release: ReleaseFile = toml::from_str(&file.text).map_err(|e| {
        let d = Diagnostic::error(format!("release.toml: {}", e.message().trim()));
        match e.span() {
            Some(span) => {
                let (line, col) = file.line_col(span.start);
                d.at(&file, line, col)
            }
            None => d.in_file(&toml_path),
        }
    })?;
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root.join(&base)).sort_by_file_name() {
        let entry =
            entry.map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", base.display())))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root.join(&base))
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if rel == "release.toml" {
            continue;
        }
        let bytes = fs::read(entry.path()).map_err(|e| {
            Diagnostic::error(format!("cannot read {}: {e}", entry.path().display()))
        })?;
        files.insert(rel, bytes);
    }
    if digest(&files) != release.digest {
        let at = file.text.find("\ndigest").map_or(0, |i| i + 1);
        return Err(file
            .error_at(at, format!("release {version} was changed after it was released: its files no longer match the digest"))
            .with_hint("releases are frozen; restore the files from version control, or make a new release"));
    }
    let json = files
        .get("playbook.json")
        .ok_or_else(|| Diagnostic::error("playbook.json is missing").in_file(&base))?;
    let mut playbook: Playbook = serde_json::from_slice(json).map_err(|e| {
        Diagnostic::error(format!("playbook.json cannot be read: {e}"))
            .in_file(&base.join("playbook.json"))
    })?;
    playbook.restore_scope();
    let mut theme_files = BTreeMap::new();
    for (name, bytes) in &files {
        if let Some(theme_name) = name.strip_prefix("theme/") {
            let source = SourceFile::from_bytes(&base.join(name), bytes.clone())?;
            theme_files.insert(theme_name.to_string(), source);
        } else if name.starts_with("images/") {
            let asset = playbook
                .assets
                .entry(name.clone())
                .or_insert_with(|| Asset {
                    name: name.clone(),
                    media_type: String::new(),
                    bytes: Vec::new(),
                    source: None,
                });
            asset.bytes = bytes.clone();
        }
    }
    Ok(Release {
        version: release.version,
        digest: release.digest,
        date: release.date,
        acceptance: release.acceptance,
        playbook,
        theme: Theme { files: theme_files },
    })
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn versions_compare_by_number() {
        assert!(parse_version("1.10").unwrap() > parse_version("1.2").unwrap());
        assert!(parse_version("2.0").unwrap() > parse_version("1.10").unwrap());
        assert_eq!(parse_version("v1"), None);
        assert_eq!(parse_version(""), None);
    }
}
