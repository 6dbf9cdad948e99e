//! The snapshot store: `releases/VERSION/` as `upbook release` writes it
//! and every later build reads it back.
//!
//! A release folder holds `playbook.json` (the merged model in the
//! [`format`] it names, laid out as [`layout`] says), the notes' `images/`, the `theme/` it was rendered with,
//! and `release.toml` with the date and a digest of everything else, so a
//! hand edit is detected instead of silently rendered.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Date;

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::model::engagement::iso_date;
use crate::model::release::{Acceptance, Release};
use crate::model::version::Version;
use crate::model::{Asset, Playbook};
use crate::theme::Theme;

pub mod format;
mod layout;

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

/// Writes `playbook` and `theme` as the new release folder
/// `releases/VERSION/`, sealed with a digest of its files.
pub fn write(
    root: &Path,
    playbook: &Playbook,
    theme: &Theme,
    date: Date,
    acceptance: Option<Acceptance>,
) -> Result<PathBuf, Diagnostic> {
    let version = playbook.version.clone();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let json = format::to_vec(playbook)
        .map_err(|e| Diagnostic::error(format!("cannot write the snapshot: {e}")))?;
    files.insert("playbook.json".into(), json);
    for asset in playbook.assets.values() {
        files.insert(asset.name.clone(), asset.bytes.to_vec());
    }
    for (name, file) in &theme.files {
        files.insert(format!("theme/{name}"), file.text.clone().into_bytes());
    }
    let release = ReleaseFile {
        version: version.clone(),
        date,
        digest: digest(&files),
        acceptance,
    };
    let toml = toml::to_string(&release)
        .map_err(|e| Diagnostic::error(format!("cannot write release.toml: {e}")))?;
    files.insert(
        "release.toml".into(),
        format!("# Written by `upbook release`. Do not edit: the digest covers this release's files.\n{toml}").into_bytes(),
    );
    let dir = root.join(RELEASES).join(&version);
    crate::output::create(&dir, &files)?;
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
pub fn read_all(root: &Path, diags: &mut Diagnostics) -> Vec<Release> {
    let dir = root.join(RELEASES);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut found: Vec<(Version, String)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().is_dir() || name.starts_with('.') {
            continue;
        }
        match Version::parse(&name) {
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
        .filter_map(|(_, name)| diags.take(read_one(root, &name)))
        .collect()
}

fn read_one(root: &Path, version: &str) -> Result<Release, Diagnostic> {
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
    // The digest and the parse each take a while on a large release and
    // need nothing from each other: side by side, the parse is kept only
    // when the digest matches.
    let (sealed, parsed) = rayon::join(
        || digest(&files) == release.digest,
        || {
            let json = files.get("playbook.json")?;
            Some(format::read(json))
        },
    );
    if !sealed {
        let at = file.text.find("\ndigest").map_or(0, |i| i + 1);
        return Err(file
            .error_at(at, format!("release {version} was changed after it was released: its files no longer match the digest"))
            .with_hint("releases are frozen; restore the files from version control, or make a new release"));
    }
    let parsed =
        parsed.ok_or_else(|| Diagnostic::error("playbook.json is missing").in_file(&base))?;
    let mut playbook = parsed.map_err(|e| {
        Diagnostic::error(format!("playbook.json cannot be read: {e}"))
            .in_file(&base.join("playbook.json"))
    })?;
    playbook.restore_scope();
    let mut theme_files = BTreeMap::new();
    for (name, bytes) in files {
        if let Some(theme_name) = name.strip_prefix("theme/") {
            let source = SourceFile::from_bytes(&base.join(&name), bytes)?;
            theme_files.insert(theme_name.to_string(), source);
        } else if name.starts_with("images/") {
            let asset = playbook
                .assets
                .entry(name.clone())
                .or_insert_with(|| Asset {
                    name,
                    media_type: String::new(),
                    bytes: Default::default(),
                    source: None,
                });
            asset.bytes = bytes.into();
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
