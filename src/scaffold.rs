//! `upbook init`: a new project with the example engagement.

use std::fs;
use std::path::Path;

use crate::defaults;
use crate::diagnostic::Diagnostic;

/// The folder `init --theme` writes the built-in theme to, and the name
/// its `book.toml` then chooses.
pub const CUSTOM_THEME: &str = "custom";

/// Writes the example project into `dir`, which must be empty or absent,
/// so an existing project is never overwritten.
pub fn init(dir: &Path) -> Result<usize, Diagnostic> {
    init_with(dir, false)
}

/// [`init`], and with `theme` the built-in theme written out to
/// `themes/custom/` and chosen in `book.toml`, for a project to edit (as
/// `mdbook init --theme` does).
pub fn init_with(dir: &Path, theme: bool) -> Result<usize, Diagnostic> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir)
            .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", dir.display())))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(format!("{} is not empty", dir.display()))
                .with_hint("choose a new folder name; init never overwrites files"));
        }
    }
    let book_toml = if theme {
        choose_theme(defaults::EXAMPLE_BOOK_TOML, CUSTOM_THEME)
    } else {
        defaults::EXAMPLE_BOOK_TOML.to_string()
    };
    let theme_dir = format!("themes/{CUSTOM_THEME}");
    let theme_files: Vec<(String, &[u8])> = defaults::THEME
        .iter()
        .filter(|_| theme)
        .map(|(name, text)| (format!("{theme_dir}/{name}"), text.as_bytes()))
        .collect();
    let files = [("book.toml".to_string(), book_toml.as_bytes())]
        .into_iter()
        .chain(
            defaults::EXAMPLE
                .iter()
                .chain([&defaults::INIT_REQUESTS])
                .map(|(p, t)| (p.to_string(), t.as_bytes())),
        )
        .chain(
            defaults::EXAMPLE_IMAGES
                .iter()
                .map(|(p, b)| (p.to_string(), *b)),
        )
        .chain(theme_files)
        .chain([(".gitignore".to_string(), &b"/book/\n/.upbook.lock\n"[..])]);
    let mut written = 0;
    for (relative, bytes) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        fs::write(&path, bytes)
            .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))?;
        written += 1;
    }
    Ok(written)
}

/// `book_toml` with `theme = "NAME"` as the first key of its `[output]`
/// table (added when it has none), every other line as it was, so the
/// comments and order a user reads stay.
fn choose_theme(book_toml: &str, name: &str) -> String {
    let line = format!("theme = {}", toml::Value::from(name));
    let mut out = String::with_capacity(book_toml.len() + line.len() + 12);
    let mut placed = false;
    for l in book_toml.lines() {
        out.push_str(l);
        out.push('\n');
        if !placed && l.trim() == "[output]" {
            out.push_str(&line);
            out.push('\n');
            placed = true;
        }
    }
    if !placed {
        out.push_str("\n[output]\n");
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_is_chosen_under_output_whether_or_not_the_table_exists() {
        for text in [defaults::EXAMPLE_BOOK_TOML, "[book]\ntitle = \"x\"\n"] {
            let chosen: toml::Table = toml::from_str(&choose_theme(text, "custom")).unwrap();
            assert_eq!(chosen["output"]["theme"].as_str(), Some("custom"), "{text}");
            let before: toml::Table = toml::from_str(text).unwrap();
            assert_eq!(chosen["book"], before["book"]);
        }
    }
}
