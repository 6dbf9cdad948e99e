//! The HTML backend: pages from the theme's templates, filled with view
//! structs. Templates auto-escape; the only pre-rendered HTML they receive
//! comes from `blocks`, which escapes every piece of text itself, and the
//! theme's words (`strings`), escaped once by `escape` when read.

pub mod blocks;
mod compiled;
mod extras;
mod page_text;
mod search;
pub mod sections;
mod single;
pub mod versions;

use std::fmt::Write as _;

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};

use crate::output::Site;
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
    env: std::sync::Arc<Environment<'static>>,
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
        let env = sections.compiled().get(theme, &strings, || {
            compiled::compile(theme, sections, &strings)
        })?;
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
        let mut pages: Vec<(Option<&Env>, String)> = copies.clone();
        pages.push((reference_env, "report.html".into()));
        let layouts: Vec<_> = pages
            .iter()
            .map(|(env, _)| playbook.step_layout(*env))
            .collect();
        // One copy at a time, each with its sections on every core: a
        // section that reads the same in every copy is then rendered for
        // the first and found in the cache by the rest, where copies made
        // side by side would each render it.
        let contents: Vec<_> = pages
            .iter()
            .zip(&layouts)
            .map(|((env, file), layout)| {
                let sections =
                    (file != "report.html").then(|| self.sections.in_words(&self.strings));
                views::content(
                    playbook,
                    Fill::new(playbook, *env, layout),
                    sections.as_ref().map(|s| s as &dyn views::RenderSection),
                    &self.strings,
                )
            })
            .collect();
        // The pages themselves are independent: laid out side by side.
        let rendered: Vec<_> = pages.par_iter().zip(contents).map(|((_, file), content)| {
            let mut page = self.page(playbook, folder, &[], copy_links(file), "playbook");
            let is_copy = file != "report.html";
            let template = if is_copy {
                page.playbook = file.clone();
                "playbook.html"
            } else {
                page.kind = "report";
                "report.html"
            };
            if self.with_pdf {
                page.pdf = Some(if is_copy {
                    versions::pdf_for(file)
                } else {
                    "report.pdf".into()
                });
            }
            // The report searches the main copy.
            let index_file = search::file_for(if is_copy { file } else { "index.html" });
            page.search = Some(index_file);
            let index = is_copy.then(|| {
                content
                    .sections()
                    .map(|s| std::sync::Arc::clone(&s.search))
                    .collect::<Vec<_>>()
            });
            // The sections' HTML, and for each its lines in the contents
            // and the page's frame (about 400 bytes at most): a buffer too
            // small is copied whole when it grows.
            let size = content
                .sections()
                .map(|s| s.html.as_str().map_or(0, str::len) + 1024)
                .sum::<usize>()
                + 64 * 1024;
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
pub(super) fn fill(
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

pub(super) fn template_error(theme: &Theme, err: &minijinja::Error) -> Diagnostic {
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
