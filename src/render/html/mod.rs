//! The HTML backend: pages from the theme's templates, filled with view
//! structs. Templates auto-escape; the only pre-rendered HTML they receive
//! comes from `blocks`, which escapes every piece of text itself, and the
//! theme's words (`strings`), escaped once by `escape` when read.

pub mod blocks;
mod extras;
mod page_text;
mod search;
pub mod sections;
mod single;
pub mod versions;

use std::borrow::Cow;
use std::fmt::Write as _;

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value, context};

use crate::output::Site;
use crate::render::escape;
use sections::{Fill, Sections};

use crate::diagnostic::Diagnostic;
use crate::model::Playbook;
use crate::model::engagement::Environment as Env;
use crate::model::engagement::iso;
use crate::strings::Strings;
use crate::theme::Theme;
use rayon::prelude::*;

use crate::render::views;
pub use crate::render::views::VersionLink;
pub use extras::Extras;

/// `versions.js` at the output root: see [`versions::script`].
pub fn versions_script(versions: &[VersionLink], strings: &Strings) -> String {
    versions::script(versions, strings)
}

pub struct Renderer<'t> {
    env: Environment<'t>,
    theme: &'t Theme,
    sections: &'t Sections,
    /// The fixed words of the pages, and of the sections they render.
    strings: Strings,
    /// Whether PDFs are written beside the pages, so pages link them.
    with_pdf: bool,
    /// Whether this version has a change view, so pages link it.
    pub has_changes: bool,
}

impl<'t> Renderer<'t> {
    /// A renderer of `theme`'s pages, in its words for `language`.
    pub fn new(
        theme: &'t Theme,
        sections: &'t Sections,
        with_pdf: bool,
        language: &str,
    ) -> Result<Self, Diagnostic> {
        let strings = Strings::for_theme(theme, language)?;
        let mut env = Environment::new();
        // The fixed words, as `strings.KEY` (`crate::strings`), escaped
        // here as all text upbook writes is (`escape`), so templates write
        // them as they are; `fill` puts a value in a `{placeholder}`.
        let escaped: std::collections::BTreeMap<String, Value> = strings
            .iter()
            .map(|(key, text)| {
                (
                    key.to_string(),
                    Value::from_safe_string(escape::escape_words(text)),
                )
            })
            .collect();
        env.add_global("strings", Value::from_object(escaped));
        env.add_filter("fill", fill);
        // `plain("KEY", name=value)`: the words filled as plain text, for
        // what is not HTML (an e-mail link's subject and body, which
        // `urlencode` then encodes).
        let plain = strings.clone();
        env.add_function(
            "plain",
            move |key: String,
                  named: minijinja::value::Kwargs|
                  -> Result<String, minijinja::Error> {
                let mut text = plain.get(&key).to_string();
                for name in named.args() {
                    let value: Value = named.get(name)?;
                    let shown = if value.is_none() || value.is_undefined() {
                        String::new()
                    } else {
                        value.to_string()
                    };
                    text = text.replace(&format!("{{{name}}}"), &shown);
                }
                Ok(text)
            },
        );
        // The scripts' words as JSON, for the page's `data-strings`
        // (on `<body>`: on `<html>` they pushed the charset past the
        // first 1024 bytes, where browsers look for it)
        // (escaped there as any attribute value).
        let scripts: Vec<&str> = theme
            .files
            .iter()
            .filter(|(name, _)| name.ends_with(".js"))
            .map(|(_, file)| file.text.as_str())
            .collect();
        let script_words =
            serde_json::to_string(&strings.asked_by_scripts(&scripts)).unwrap_or_default();
        env.add_global("script_strings", Value::from(script_words));
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        // Text from people goes out isolated when it holds a direction
        // override (`crate::bidi`), as `escape::push_escaped` does for
        // the notes; markup marked safe was escaped that way already.
        env.set_formatter(|out, state, value| {
            let isolated = match value.as_str() {
                Some(text)
                    if !value.is_safe() && !matches!(state.auto_escape(), AutoEscape::None) =>
                {
                    crate::bidi::isolate(text)
                }
                _ => Cow::Borrowed(""),
            };
            match isolated {
                Cow::Owned(text) => minijinja::escape_formatter(out, state, &Value::from(text)),
                Cow::Borrowed(_) => minijinja::escape_formatter(out, state, value),
            }
        });
        // The change view shows unchanged code as the playbook does.
        env.add_filter("code_block", |code: String, language: Option<String>| {
            Value::from_safe_string(blocks::code_block(&code, language.as_deref()))
        });
        for (name, file) in theme.templates() {
            env.add_template(name, &file.text)
                .map_err(|e| template_error(theme, &e))?;
        }
        Ok(Renderer {
            env,
            theme,
            sections,
            strings,
            with_pdf,
            has_changes: false,
        })
    }

    /// The words these pages are written in.
    pub fn strings(&self) -> &Strings {
        &self.strings
    }

    fn render(&self, name: &str, ctx: Value) -> Result<String, Diagnostic> {
        self.render_sized(name, ctx, 0)
    }

    /// Renders into a buffer of `size` bytes to start with: a page is
    /// mostly its sections' HTML, and growing a buffer of megabytes by
    /// doubling touches twice the memory it keeps.
    fn render_sized(&self, name: &str, ctx: Value, size: usize) -> Result<String, Diagnostic> {
        let mut out = Vec::with_capacity(size);
        self.env
            .get_template(name)
            .and_then(|t| t.render_captured_to(ctx, &mut out).map(drop))
            .map_err(|e| template_error(self.theme, &e))?;
        // Templates write only text.
        Ok(String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// Writes one version's pages under `folder/`: the playbook, one copy
    /// per environment the customer upgrades, the report and the assets.
    /// Returns what the copies' search indexes and single files are made
    /// from: the caller makes them (see [`Extras`]).
    pub fn version(
        &self,
        playbook: &Playbook,
        folder: &str,
        site: &mut Site,
    ) -> Result<Extras, Diagnostic> {
        let reference_env = playbook.engagement.reference_environment();
        let copies = versions::copies(playbook);
        let copy_links = |current: &str| -> Vec<views::Copy> {
            copies
                .iter()
                .filter_map(|(env, file)| {
                    env.map(|e| views::Copy {
                        name: e.name.clone(),
                        href: file.clone(),
                        upgraded_by: e.upgraded_by.party(),
                        current: file == current,
                    })
                })
                .collect()
        };
        // Each environment's copy and the report are independent pages:
        // lay them out side by side. Sections are filled in as they render
        // (and come from the cache when unchanged), so no copy of the
        // whole playbook is made.
        let mut pages: Vec<(Option<&Env>, String)> = copies.clone();
        pages.push((reference_env, "report.html".into()));
        let rendered: Vec<_> = pages.par_iter().map(|(env, file)| {
            let layout = playbook.step_layout(*env);
            let fill = Fill::new(playbook, *env, &layout);
            let mut page = self.page(playbook, folder, &[], copy_links(file), "playbook");
            let (template, sections) = if file == "report.html" {
                page.kind = "report";
                ("report.html", None)
            } else {
                page.playbook = file.clone();
                ("playbook.html", Some(self.sections.in_words(&self.strings)))
            };
            if self.with_pdf {
                page.pdf = Some(if file == "report.html" {
                    "report.pdf".into()
                } else {
                    versions::pdf_for(file)
                });
            }
            // The report searches the main copy.
            let index_file = search::file_for(if sections.is_some() { file } else { "index.html" });
            page.search = Some(index_file);
            let content = views::content(
                playbook,
                fill,
                sections.as_ref().map(|s| s as &dyn views::RenderSection),
                &self.strings,
            );
            let index = sections.map(|_| {
                content
                    .sections()
                    .map(|s| std::sync::Arc::clone(&s.search))
                    .collect::<Vec<_>>()
            });
            let size = content
                .sections()
                .map(|s| s.html.as_str().map_or(0, str::len))
                .sum::<usize>()
                + 256 * 1024;
            self.render_sized(
                template,
                context! { page => Value::from(Serde(&page)), playbook => Value::from(Serde(content)) },
                size,
            )
            .map(|html| (html, index))
        }).collect();
        let rendered = rendered.into_iter().collect::<Result<Vec<_>, _>>()?;
        let mut extras = Extras::new(
            folder,
            playbook.config.output.site_url.as_deref(),
            self.strings.get("engagement_report"),
        );
        for ((_, file), (html, index)) in pages.iter().zip(rendered) {
            if let Some(sections) = index {
                extras.add_copy(file, sections);
            }
            site.insert(format!("{folder}/{file}"), html.into_bytes());
        }

        for (name, file) in self.theme.static_files() {
            site.insert(
                format!("{folder}/assets/{name}"),
                file.text.clone().into_bytes(),
            );
        }
        for asset in playbook.assets.values() {
            site.insert(format!("{folder}/{}", asset.name), asset.bytes.to_vec());
        }
        Ok(extras)
    }

    /// `changes.html`: the changes from the previous version to this one,
    /// beside `playbook` as its main copy reads (filled in while
    /// rendering, like the pages, rather than copied).
    pub fn changes_page(
        &self,
        playbook: &Playbook,
        changes: &crate::changes::Changes,
        folder: &str,
        site: &mut Site,
    ) -> Result<(), Diagnostic> {
        let mut page = self.page(playbook, folder, &[], Vec::new(), "changes");
        page.has_changes = true;
        page.search = Some(search::file_for("index.html"));
        let reference = playbook.engagement.reference_environment();
        let layout = playbook.step_layout(reference);
        let html = self.render(
            "changes.html",
            context! {
                page => Value::from(Serde(&page)),
                playbook => Value::from(Serde(views::content(
                    playbook,
                    Fill::new(playbook, reference, &layout),
                    None,
                    &self.strings,
                ))),
                changes => Value::from(Serde(changes)),
            },
        )?;
        site.insert(format!("{folder}/changes.html"), html.into_bytes());
        Ok(())
    }

    /// `index.html` at the output root: every version, newest first.
    pub fn versions_page(
        &self,
        playbook: &Playbook,
        versions: &[VersionLink],
    ) -> Result<String, Diagnostic> {
        let mut page = self.page(playbook, "", versions, Vec::new(), "versions");
        page.root = String::new();
        // The page lists every version; it is none of them.
        page.is_draft = false;
        self.render(
            "versions.html",
            context! { page => Value::from(Serde(&page)), playbook => Value::from(Serde(views::content(playbook, Fill::Done, None, &self.strings))) },
        )
    }

    fn page(
        &self,
        playbook: &Playbook,
        folder: &str,
        versions: &[VersionLink],
        copies: Vec<views::Copy>,
        kind: &'static str,
    ) -> views::Page {
        views::Page {
            title: playbook.config.book.title.clone(),
            language: playbook.config.book.language.clone(),
            version: playbook.version.clone(),
            is_draft: playbook.version == "draft",
            date: playbook.date.map(iso),
            root: if folder.is_empty() {
                String::new()
            } else {
                "../".into()
            },
            assets: if folder.is_empty() {
                format!(
                    "{}/assets/",
                    versions.first().map_or("draft", |v| v.folder.as_str())
                )
            } else {
                "assets/".into()
            },
            versions: versions.to_vec(),
            copies,
            kind,
            playbook: "index.html".into(),
            pdf: None,
            has_changes: self.has_changes,
            search: None,
            accepted_by: playbook.accepted_by.clone(),
            accepted_on: playbook.accepted_on.map(iso),
            acceptance_reference: playbook.acceptance_reference.clone(),
        }
    }
}

/// A template problem, located in the theme file it came from.
/// `strings.KEY|fill(value)` puts `value` in the text's first
/// `{placeholder}`, `fill(name=value, ...)` each value in its `{name}`.
/// A value is escaped as `{{ value }}` would be; markup the template made
/// itself (a macro's output, a `{% set %}` block) goes in as it is, so a
/// link can sit inside a sentence a translator may reorder.
fn fill(
    words: Value,
    value: Option<Value>,
    named: minijinja::value::Kwargs,
) -> Result<Value, minijinja::Error> {
    let text = words.as_str().unwrap_or_default();
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    let mut first = value;
    while let Some((open, close)) = rest
        .find('{')
        .and_then(|open| rest[open..].find('}').map(|c| (open, open + c)))
    {
        let name = &rest[open + 1..close];
        let value = match first.take() {
            Some(value) => value,
            None => named.get::<Option<Value>>(name)?.ok_or_else(|| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("the words “{text}” ask for `{{{name}}}`, which is not given here"),
                )
            })?,
        };
        out.push_str(&rest[..open]);
        if value.is_safe() {
            out.push_str(value.as_str().unwrap_or_default());
        } else if !(value.is_none() || value.is_undefined()) {
            let shown = value.to_string();
            let _ = write!(
                out,
                "{}",
                minijinja::HtmlEscape(&crate::bidi::isolate(&shown))
            );
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(Value::from_safe_string(out))
}

fn template_error(theme: &Theme, err: &minijinja::Error) -> Diagnostic {
    let message = match err.detail() {
        Some(detail) => format!("template error: {detail}"),
        None => format!("template error: {}", err.kind()),
    };
    let file = err.name().and_then(|n| theme.files.get(n));
    match (file, err.line()) {
        (Some(file), Some(line)) => {
            let col = err.range().map_or(1, |r| file.line_col(r.start).1).max(1);
            let line = err.range().map_or(line, |r| file.line_col(r.start).0);
            Diagnostic::error(message).at(file, line, col)
        }
        (Some(file), None) => Diagnostic::error(message).in_file(&file.path),
        _ => Diagnostic::error(message),
    }
}
