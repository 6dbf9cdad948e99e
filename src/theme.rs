//! The theme: templates, stylesheet and script. The default is built in;
//! a project's `themes/<name>/` replaces any file of the same name and may
//! add files (mdBook's `theme/` works the same way).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::defaults;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::SourceFile;

#[derive(Debug, Clone)]
pub struct Theme {
    /// By file name; `path` says where each came from, for messages.
    pub files: BTreeMap<String, SourceFile>,
}

impl Theme {
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut files: BTreeMap<String, SourceFile> = defaults::THEME
            .iter()
            .map(|(n, text)| {
                (
                    n.to_string(),
                    SourceFile::new(PathBuf::from("(built-in) themes/default").join(n), *text),
                )
            })
            .collect();
        let dir = PathBuf::from("themes").join(name);
        if root.join(&dir).is_dir() {
            for entry in walkdir::WalkDir::new(root.join(&dir)).sort_by_file_name() {
                let entry = entry.map_err(|e| {
                    Diagnostic::error(format!("cannot read the theme folder: {e}")).in_file(&dir)
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let Ok(relative) = entry.path().strip_prefix(root) else {
                    continue;
                };
                let Ok(key) = entry.path().strip_prefix(root.join(&dir)) else {
                    continue;
                };
                let key = key.to_string_lossy().replace('\\', "/");
                files.insert(key, SourceFile::read(root, relative)?);
            }
        } else if name != "default" {
            return Err(Diagnostic::error(format!(
                "theme `{name}` has no folder {}",
                dir.display()
            ))
            .in_file(Path::new("book.toml"))
            .with_hint("create the folder, or set `theme = \"default\"` under [output]"));
        }
        Ok(Theme { files })
    }

    pub fn templates(&self) -> impl Iterator<Item = (&str, &SourceFile)> {
        self.files
            .iter()
            .filter(|(n, _)| n.ends_with(".html"))
            .map(|(n, f)| (n.as_str(), f))
    }

    /// Files copied as they are into each version's `assets/`.
    pub fn static_files(&self) -> impl Iterator<Item = (&str, &SourceFile)> {
        self.files
            .iter()
            .filter(|(n, _)| !n.ends_with(".html") && !n.ends_with(".typ"))
            .map(|(n, f)| (n.as_str(), f))
    }
}
