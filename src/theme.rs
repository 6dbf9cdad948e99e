//! The theme: templates, stylesheet and script. The theme named `default`
//! is the one built into the binary (its source is the repository's
//! `themes/default/`, compiled in by [`defaults::THEME`]) and is never read
//! from disk, so every project builds with the same built-in theme, the
//! repository's own example included. A project's own theme lives in
//! `themes/<name>/`, chosen with `theme = "<name>"` under `[output]`; its
//! files replace the built-in ones of the same name and may add files
//! (mdBook's `theme/` works the same way). `upbook init --theme` writes
//! the built-in theme out as a start.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::defaults;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::SourceFile;

/// The name that always means the built-in theme.
pub const DEFAULT: &str = "default";

#[derive(Debug, Clone)]
pub struct Theme {
    /// By file name; `path` says where each came from, for messages.
    pub files: BTreeMap<String, SourceFile>,
}

impl Theme {
    /// The theme named `name`: the built-in one, with the files of
    /// `themes/<name>/` over it unless `name` is `default`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut theme = Theme::built_in();
        if name == DEFAULT {
            return Ok(theme);
        }
        let dir = PathBuf::from("themes").join(name);
        if !root.join(&dir).is_dir() {
            return Err(Diagnostic::error(format!(
                "theme `{name}` has no folder {}",
                dir.display()
            ))
            .in_file(Path::new("book.toml"))
            .with_hint(format!(
                "create the folder (`upbook init NEW_DIR --theme` writes the built-in theme out \
                 to copy from), or set `theme = \"{DEFAULT}\"` under [output]"
            )));
        }
        theme.files.extend(read_folder(root, &dir)?);
        Ok(theme)
    }

    /// The theme compiled into the binary.
    pub fn built_in() -> Theme {
        let files = defaults::THEME
            .iter()
            .map(|(n, text)| {
                (
                    n.to_string(),
                    SourceFile::new(PathBuf::from("(built-in) themes/default").join(n), *text),
                )
            })
            .collect();
        Theme { files }
    }

    /// Warnings for a project's `themes/default/` folder whose files are not
    /// the built-in ones: that name always means the built-in theme, so
    /// such edits would silently do nothing. A copy that equals the
    /// built-in theme (the repository's own source of it) says nothing.
    pub fn unused_default_folder(root: &Path) -> Vec<Diagnostic> {
        let dir = PathBuf::from("themes").join(DEFAULT);
        if !root.join(&dir).is_dir() {
            return Vec::new();
        }
        let files = match read_folder(root, &dir) {
            Ok(files) => files,
            Err(d) => return vec![d],
        };
        let built_in = Theme::built_in();
        let hint = format!(
            "the theme `{DEFAULT}` is the one built into upbook and this folder is not read; \
             to use your version, copy the folder to themes/<name>/ and set \
             `theme = \"<name>\"` under [output] in book.toml"
        );
        files
            .values()
            .filter_map(|file| {
                let name = file.path.strip_prefix(&dir).ok()?.to_string_lossy().replace('\\', "/");
                let d = match built_in.files.get(&name) {
                    Some(ours) if ours.text == file.text => return None,
                    Some(ours) => file.warning_at(
                        first_difference(&ours.text, &file.text),
                        format!("this file differs from the built-in theme's {name}, which is used instead"),
                    ),
                    None => Diagnostic::warning(format!(
                        "the built-in theme has no {name}, and themes/{DEFAULT}/ is not read"
                    ))
                    .in_file(&file.path),
                };
                Some(d.with_hint(hint.clone()))
            })
            .collect()
    }

    pub fn templates(&self) -> impl Iterator<Item = (&str, &SourceFile)> {
        self.files
            .iter()
            .filter(|(n, _)| n.ends_with(".html"))
            .map(|(n, f)| (n.as_str(), f))
    }

    /// Files copied as they are into each version's `assets/` (not the
    /// templates, nor the words in `strings/`, which pages and PDFs carry).
    pub fn static_files(&self) -> impl Iterator<Item = (&str, &SourceFile)> {
        self.files
            .iter()
            .filter(|(n, _)| {
                !n.ends_with(".html") && !n.ends_with(".typ") && !n.starts_with("strings/")
            })
            .map(|(n, f)| (n.as_str(), f))
    }
}

/// Every file under `dir` (relative to `root`), by its path inside `dir`.
fn read_folder(root: &Path, dir: &Path) -> Result<BTreeMap<String, SourceFile>, Diagnostic> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            Diagnostic::error(format!("cannot read the theme folder: {e}")).in_file(dir)
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(root) else {
            continue;
        };
        let Ok(key) = entry.path().strip_prefix(root.join(dir)) else {
            continue;
        };
        let key = key.to_string_lossy().replace('\\', "/");
        files.insert(key, SourceFile::read(root, relative)?);
    }
    Ok(files)
}

/// The byte offset of the first character where `a` and `b` differ.
fn first_difference(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map(|((i, _), _)| i)
        .unwrap_or(a.len().min(b.len()))
}
