//! The fixed words a reader sees (headings such as "Before you start",
//! "Point of no return." under a step), one table per language, so a
//! later language is one file and a theme can reword any of them.
//!
//! English is built in (`themes/default/strings/en.toml`). For a page in
//! `[book] language`, the table is English, then the theme's
//! `strings/en.toml`, then its `strings/<language>.toml`, each replacing
//! the keys it gives. A release keeps the theme it was made with, so its
//! words stay as they were; a release made before the tables existed has
//! none and reads the built-in English, which are the words its templates
//! wrote then.

use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::sync::LazyLock;

use foldhash::quality::FixedState;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::theme::Theme;

/// Keys the scripts read as they are, beside their own `script_` keys.
const SHARED_WITH_SCRIPTS: &[&str] = &["step"];

/// The built-in English table.
pub const ENGLISH: &str = include_str!("../themes/default/strings/en.toml");

#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Strings {
    table: BTreeMap<String, String>,
    #[serde(skip)]
    fingerprint: u64,
}

impl Strings {
    /// The built-in English words.
    /// Parsed once: every page, PDF and `serve` rebuild asks for them.
    pub fn english() -> Strings {
        static PARSED: LazyLock<Strings> = LazyLock::new(|| {
            let file = SourceFile::new("(built-in) themes/default/strings/en.toml", ENGLISH);
            let mut strings = Strings {
                table: BTreeMap::new(),
                fingerprint: 0,
            };
            strings
                .overlay(&file, false)
                .expect("the built-in strings parse");
            strings.seal()
        });
        PARSED.clone()
    }

    /// The words `theme` gives for `language`, over the built-in English.
    pub fn for_theme(theme: &Theme, language: &str) -> Result<Strings, Diagnostic> {
        let mut strings = Strings::english();
        let mut names = vec!["strings/en.toml".to_string()];
        if language != "en" {
            names.push(format!("strings/{language}.toml"));
        }
        for name in names {
            // The built-in theme's own English file is the table already.
            if let Some(file) = theme.files.get(&name)
                && file.text != ENGLISH
            {
                strings.overlay(file, true)?;
            }
        }
        Ok(strings.seal())
    }

    /// The text under `key`; a key no table gives is a bug in upbook,
    /// shown as the key so a page still reads.
    /// This table with `key` set to `text`: a test's stand-in for a
    /// theme's own strings file.
    #[cfg(test)]
    pub fn with(mut self, key: &str, text: &str) -> Strings {
        self.table.insert(key.into(), text.into());
        self
    }

    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.table.get(key).map_or(key, String::as_str)
    }

    /// The text under `key` with each `{name}` replaced by its value, as
    /// plain text: the caller escapes it for the format it writes.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        values
            .iter()
            .fold(self.get(key).to_string(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }

    /// A model value's name as the reader sees it: `label` ("Not run")
    /// under `group` (`finding_retest_not_run`), or `label` itself when
    /// the table has no such key.
    pub fn name(&self, group: &str, label: &str) -> String {
        let key = format!("{group}_{}", label.to_ascii_lowercase().replace(' ', "_"));
        match self.table.get(&key) {
            Some(text) => text.clone(),
            None => label.to_string(),
        }
    }

    /// Every key and its text.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.table.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The text under `key` with `{label}` replaced.
    pub fn with_label(&self, key: &str, label: &str) -> String {
        self.get(key).replace("{label}", label)
    }

    /// The words the theme's scripts use, which every page carries: the
    /// `script_` keys without that prefix, and the few the scripts share
    /// with the page (`step`).
    pub fn for_scripts(&self) -> BTreeMap<&str, &str> {
        self.table
            .iter()
            .filter_map(|(key, text)| match key.strip_prefix("script_") {
                Some(short) => Some((short, text.as_str())),
                None => SHARED_WITH_SCRIPTS
                    .contains(&key.as_str())
                    .then_some((key.as_str(), text.as_str())),
            })
            .collect()
    }

    /// The words of [`for_scripts`](Self::for_scripts) that `scripts`
    /// name, as `t("copy")` or `fill("saved", …)`: what a page carries.
    /// A release's pages run the scripts frozen with it, so they carry
    /// the words those ask for, as when the release was made.
    pub fn asked_by_scripts(&self, scripts: &[&str]) -> BTreeMap<&str, &str> {
        let mut asked = std::collections::BTreeSet::new();
        for script in scripts {
            for rest in after_marks(script, &["t(\"", "fill(\""]) {
                if let Some(end) = rest.find('"') {
                    asked.insert(&rest[..end]);
                }
            }
        }
        let mut words = self.for_scripts();
        words.retain(|key, _| asked.contains(key));
        words
    }

    /// Equal for equal tables: what caches of rendered text key on.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Replaces the keys `file` gives; with `known_only`, a key the
    /// built-in table does not have is an error (a typo would otherwise
    /// change nothing, silently).
    fn overlay(&mut self, file: &SourceFile, known_only: bool) -> Result<(), Diagnostic> {
        let table: toml::Table = toml::from_str(&file.text).map_err(|e| {
            let d = Diagnostic::error(format!("strings: {}", e.message().trim()));
            match e.span() {
                Some(span) => {
                    let (line, col) = file.line_col(span.start);
                    d.at(file, line, col)
                }
                None => d.in_file(&file.path),
            }
        })?;
        for (key, value) in table {
            let at = || file.text.find(&format!("\n{key}")).map_or(0, |i| i + 1);
            if known_only && !self.table.contains_key(&key) {
                let known = self.table.keys().map(String::as_str);
                let d = file.error_at(at(), format!("there is no string `{key}`"));
                return Err(d.with_hint(
                    crate::diagnostic::did_you_mean(&key, known).unwrap_or_else(|| {
                        "the built-in themes/default/strings/en.toml lists them".into()
                    }),
                ));
            }
            let toml::Value::String(text) = value else {
                return Err(file.error_at(at(), format!("`{key}` must be text in quotes")));
            };
            self.table.insert(key, text);
        }
        Ok(())
    }

    fn seal(mut self) -> Strings {
        self.fingerprint = FixedState::with_seed(0).hash_one(&self.table);
        self
    }
}

/// The text after each of `marks` in `text` (`t("`, `strings.`) where it
/// starts a name of its own: not `.t("` or `alert(`, whose `t(` is the
/// end of another name. What a theme file asks the table for.
fn after_marks<'t>(text: &'t str, marks: &'t [&str]) -> impl Iterator<Item = &'t str> {
    marks.iter().flat_map(move |mark| {
        text.match_indices(mark)
            .filter(|(at, _)| {
                let before = text[..*at].chars().last();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            })
            .map(move |(at, _)| &text[at + mark.len()..])
    })
}

impl Default for Strings {
    fn default() -> Self {
        Strings::english()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;

    fn theme_with(files: &[(&str, &str)]) -> Theme {
        let mut theme = Theme::built_in();
        for (name, text) in files {
            theme.files.insert(
                name.to_string(),
                SourceFile::new(format!("themes/x/{name}"), *text),
            );
        }
        theme
    }

    #[test]
    fn a_language_file_replaces_the_keys_it_gives_and_english_fills_the_rest() {
        let theme = theme_with(&[("strings/de.toml", "step = \"Schritt {label}\"\n")]);
        let german = Strings::for_theme(&theme, "de").unwrap();
        assert_eq!(german.with_label("step", "B2"), "Schritt B2");
        assert_eq!(german.get("no_return"), "Point of no return.");
        let english = Strings::for_theme(&theme, "en").unwrap();
        assert_eq!(english.with_label("step", "B2"), "Step B2");
        assert_ne!(german.fingerprint(), english.fingerprint());
    }

    #[test]
    fn a_misspelt_key_is_located_with_the_nearest_one() {
        let theme = theme_with(&[("strings/en.toml", "# words\nno_retrun = \"Stop here.\"\n")]);
        let e = Strings::for_theme(&theme, "en").unwrap_err();
        let shown = e.render(false);
        assert!(shown.contains("there is no string `no_retrun`"), "{shown}");
        assert!(shown.contains("themes/x/strings/en.toml:2:1"), "{shown}");
        assert!(shown.contains("did you mean `no_return`?"), "{shown}");
    }

    /// Every word the built-in theme asks for is in the English table, so
    /// a misspelt key in a template or script fails here, not on a page.
    #[test]
    fn every_key_the_built_in_theme_uses_is_in_the_table() {
        let english = Strings::english();
        let scripts = english.for_scripts();
        let mut asked = 0;
        for (name, text) in crate::defaults::THEME {
            let (marks, table): (&[&str], Option<&BTreeMap<&str, &str>>) = if name.ends_with(".js")
            {
                (&["t(\"", "fill(\""], Some(&scripts))
            } else if name.ends_with(".html") {
                (&["strings.", "plain(\""], None)
            } else if name.ends_with(".typ") {
                (&["data.strings.", "fill(\""], None)
            } else {
                continue;
            };
            {
                for rest in super::after_marks(text, marks) {
                    let key: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    // `data.strings.at(key)`: a method, not a key.
                    if rest[key.len()..].starts_with('(') {
                        continue;
                    }
                    // `fill("callout_" + kind)`: a family of keys.
                    let family = |mut keys: Vec<&str>| {
                        key.ends_with('_') && keys.iter_mut().any(|k| k.starts_with(key.as_str()))
                    };
                    let known = match table {
                        Some(table) => {
                            table.contains_key(key.as_str())
                                || family(table.keys().copied().collect())
                        }
                        None => {
                            english.table.contains_key(&key)
                                || family(english.table.keys().map(String::as_str).collect())
                        }
                    };
                    assert!(
                        known,
                        "{name} asks for `{key}`, which strings/en.toml lacks"
                    );
                    asked += 1;
                }
            }
        }
        assert!(asked > 300, "found only {asked} uses");
    }

    #[test]
    fn the_built_in_table_is_the_built_in_themes() {
        let built_in = Theme::built_in();
        assert_eq!(built_in.files["strings/en.toml"].text, ENGLISH);
    }
}
