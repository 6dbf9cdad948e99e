//! Images a note links: checked to be PNG, JPEG or SVG files inside the
//! project, and copied into the output under content-hashed names.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostics;
use crate::diagnostic::SourceFile;
use crate::model::Asset;
use crate::model::slug::slugify;

/// Copies an image the note links into the output's assets under a
/// content-hashed name, so caches never show a stale screenshot.
pub fn copy(
    file: &SourceFile,
    project_root: &Path,
    dest: &str,
    at: usize,
    assets: &mut BTreeMap<String, Asset>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let fail = |message: String, hint: &str| file.error_at(at, message).with_hint(hint);
    if dest.contains("://") || dest.starts_with("data:") {
        diags.push(fail(
            format!("image `{dest}` is not a file in the project"),
            "copy the image next to the note and link it by a relative path; playbooks must open offline",
        ));
        return None;
    }
    let note_dir = file.path.parent().unwrap_or(Path::new(""));
    let Some(relative) = inside_project(note_dir, dest) else {
        diags.push(fail(
            format!("image `{dest}` is outside the project"),
            "keep screenshots inside the project folder, e.g. next to the note",
        ));
        return None;
    };
    let extension = relative
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let media_type = match extension.as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("svg") => "image/svg+xml",
        _ => {
            diags.push(fail(
                format!("image `{dest}` is not a PNG, JPEG or SVG file"),
                "save screenshots as .png, .jpg or .svg",
            ));
            return None;
        }
    };
    // The path is inside the project as written; a symlink on the way
    // could still lead out of it, so compare where it really leads.
    let full = project_root.join(&relative);
    if let (Ok(real), Ok(root)) = (full.canonicalize(), project_root.canonicalize())
        && !real.starts_with(&root)
    {
        diags.push(fail(
            format!(
                "image `{dest}` is outside the project: it is a link to {}",
                real.display()
            ),
            "copy the image into the project instead of linking to it",
        ));
        return None;
    }
    let bytes = match std::fs::read(&full) {
        Ok(bytes) => bytes,
        Err(e) => {
            diags.push(fail(
                format!(
                    "image `{dest}` cannot be read ({}): {e}",
                    relative.display()
                ),
                "check the path; it is relative to the note's folder",
            ));
            return None;
        }
    };
    // Checked here, where the note links it: Typst would only say where
    // its own template draws the image.
    if let Err(why) = super::image_limits::check(media_type, &bytes) {
        diags.push(fail(
            format!("image `{dest}` {why}"),
            "save a smaller image or a simpler drawing; docs/limits.md lists what fits",
        ));
        return None;
    }
    let digest = Sha256::digest(&bytes);
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let stem = relative
        .file_stem()
        .and_then(|s| s.to_str())
        .map(slugify)
        .unwrap_or_default();
    let ext = extension.unwrap_or_default();
    let name = format!(
        "images/{stem}-{hash}.{}",
        if ext == "jpeg" { "jpg" } else { &ext }
    );
    assets.entry(name.clone()).or_insert(Asset {
        name: name.clone(),
        media_type: media_type.to_string(),
        bytes: bytes.into(),
        source: Some(relative),
    });
    Some(name)
}

/// `dest` resolved against `base`, as a project-relative path, or `None`
/// when it would leave the project.
fn inside_project(base: &Path, dest: &str) -> Option<PathBuf> {
    let dest = dest.split(['#', '?']).next().unwrap_or(dest);
    let dest = Path::new(dest);
    if dest.is_absolute() {
        return None;
    }
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in base.components().chain(dest.components()) {
        match component {
            Component::Normal(p) => parts.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}
