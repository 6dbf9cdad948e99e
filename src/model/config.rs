//! `book.toml`'s settings as every stage reads them: the few settings
//! that are not facts of the engagement. Parsing them is `load::config`'s.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookConfig {
    pub book: BookSection,
    #[serde(default)]
    pub output: OutputSection,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookSection {
    pub title: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub authors: Vec<String>,
}

impl Default for BookSection {
    fn default() -> Self {
        BookSection {
            title: "Upgrade playbook".into(),
            language: default_language(),
            authors: Vec::new(),
        }
    }
}

fn default_language() -> String {
    "en".into()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OutputSection {
    /// Which formats `build` writes when `--format` is not given.
    #[serde(default = "default_formats")]
    pub formats: Vec<Format>,
    #[serde(default)]
    pub paper: Paper,
    /// `default`, the theme built into upbook, or a folder under `themes/`
    /// whose files override the built-in ones.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Output folder, relative to the project; `--out` wins over it.
    #[serde(default = "default_out")]
    pub dir: String,
    /// Where the output folder is published (`https://docs.example.com/acme`):
    /// the single file to e-mail links the other outputs there. Without
    /// it, the single file shows their names, unlinked, since relative
    /// links break once the file travels alone.
    #[serde(default, rename = "site_url", skip_serializing_if = "Option::is_none")]
    pub site_url: Option<String>,
}

impl Default for OutputSection {
    fn default() -> Self {
        OutputSection {
            formats: default_formats(),
            paper: Paper::default(),
            theme: default_theme(),
            dir: default_out(),
            site_url: None,
        }
    }
}

fn default_formats() -> Vec<Format> {
    vec![Format::Html, Format::Pdf]
}

fn default_theme() -> String {
    "default".into()
}

fn default_out() -> String {
    "book".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Html,
    Pdf,
    /// Word: `playbook.docx`, one per customer copy, and `changes.docx`.
    Docx,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    #[default]
    A4,
    UsLetter,
}
