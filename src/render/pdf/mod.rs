//! The PDF backend: Typst, in-process and offline. The theme's `.typ`
//! templates read the model as JSON data, so customer and consultant text
//! is only ever placed as text, never parsed as Typst markup.

mod view;
mod world;

use serde::Serialize;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diagnostic::Diagnostic;
use crate::model::Playbook;
use crate::model::config::Paper;
use crate::render::views::{self, Content};
use crate::strings::Strings;
use crate::theme::Theme;
use world::PdfWorld;

/// What the Typst templates read from `/data.json`.
#[derive(Serialize)]
struct PdfData<'a> {
    page: PageData,
    environment: Option<&'a str>,
    content: Content,
    phases: Vec<PhaseData<'a>>,
    back_out: Vec<view::PdfSection<'a>>,
    known_issues: Vec<view::PdfSection<'a>>,
    appendix: Vec<view::PdfSection<'a>>,
    /// Every id a `#anchor` link may point at.
    anchors: Vec<String>,
    /// For `changes.typ`: the changes from the previous version.
    changes: Option<&'a crate::changes::Changes>,
    /// The fixed words (`crate::strings`), as `data.strings.KEY`.
    strings: Option<Strings>,
}

#[derive(Serialize)]
struct PageData {
    title: String,
    language: String,
    version: String,
    is_draft: bool,
    date: Option<String>,
    paper: &'static str,
    accepted_by: Option<String>,
    accepted_on: Option<String>,
    acceptance_reference: Option<String>,
}

#[derive(Serialize)]
struct PhaseData<'a> {
    id: String,
    title: String,
    milestone: &'a str,
    owner: &'a str,
    sections: Vec<view::PdfSection<'a>>,
}

/// Which document to make from the model.
#[derive(Clone, Copy)]
pub enum Document<'c> {
    Playbook,
    Report,
    Changes(&'c crate::changes::Changes),
}

impl Document<'_> {
    fn template(self) -> &'static str {
        match self {
            Document::Playbook => "playbook.typ",
            Document::Report => "report.typ",
            Document::Changes(_) => "changes.typ",
        }
    }
}

/// Renders `playbook` (already filled for one environment) to PDF bytes.
pub fn render(
    playbook: &Playbook,
    document: Document,
    theme: &Theme,
) -> Result<Vec<u8>, Diagnostic> {
    lay_out(playbook, document, theme)?.export()
}

/// A document laid out into pages, to be written as PDF: apart, so that
/// writing one copy can overlap laying out the next.
pub struct LaidOut<'t> {
    pages: PagedDocument,
    world: PdfWorld,
    theme: &'t Theme,
    options: PdfOptions,
}

/// Lays out `playbook` (already filled for one environment) as `document`.
pub fn lay_out<'t>(
    playbook: &Playbook,
    document: Document,
    theme: &'t Theme,
) -> Result<LaidOut<'t>, Diagnostic> {
    let strings = Strings::for_theme(theme, &playbook.config.book.language)?;
    let mut data = data(playbook, &strings);
    data.strings = Some(strings);
    if let Document::Changes(changes) = document {
        data.changes = Some(changes);
    }
    let json = serde_json::to_vec(&data)
        .and_then(isolate_directions)
        .map_err(|e| Diagnostic::error(format!("cannot prepare the PDF data: {e}")))?;
    let mut files = vec![("/data.json".to_string(), json)];
    for asset in playbook.assets.values() {
        files.push((format!("/{}", asset.name), asset.bytes.to_vec()));
    }
    let today = playbook
        .date
        .and_then(|d| Datetime::from_ymd(d.year(), u8::from(d.month()), d.day()));
    let world = PdfWorld::new(theme, document.template(), files, today).ok_or_else(|| {
        Diagnostic::error(format!("the theme has no usable {}", document.template()))
    })?;
    let pages = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| typst_error(&world, theme, &errors))?;
    let options = PdfOptions {
        ident: Smart::Custom(format!(
            "upbook/{}/{}/{}",
            playbook.engagement.customer,
            playbook.version,
            document.template()
        )),
        creator: Smart::Custom(Some("upbook".into())),
        timestamp: today.map(Timestamp::new_utc),
        standards: standards(),
        tagged: true,
        ..PdfOptions::default()
    };
    Ok(LaidOut {
        pages,
        world,
        theme,
        options,
    })
}

impl LaidOut<'_> {
    /// The PDF file's bytes.
    pub fn export(self) -> Result<Vec<u8>, Diagnostic> {
        typst_pdf::pdf(&self.pages, &self.options)
            .map_err(|errors| typst_error(&self.world, self.theme, &errors))
    }
}

/// Typst remembers every layout it makes for as long as the process
/// runs: that is what makes a second copy, or the next save in `serve`, a
/// fraction of the first. Kept for ever, it grows by a whole layout at
/// every save `serve` lays out, and a build holds every release's at
/// once. Called when a version's PDFs are done, this keeps what this
/// version or the one before it used, and drops the rest.
pub fn forget_older_layouts() {
    typst::comemo::evict(1);
}

/// PDF/UA-1: tagged, with a title, alt text and a logical structure, so
/// screen readers can follow the playbook.
fn standards() -> PdfStandards {
    PdfStandards::new(&[PdfStandard::Ua_1]).unwrap_or_default()
}

fn data<'a>(playbook: &'a Playbook, strings: &Strings) -> PdfData<'a> {
    // `changes` is filled in by `render` for the change record.
    let mut anchors: Vec<String> = crate::model::FRONT_SECTIONS
        .iter()
        .map(|s| s.to_string())
        .collect();
    for section in playbook.sections() {
        anchors.push(section.id.clone());
        collect_anchors(section, &mut anchors);
    }
    let copy_of = playbook
        .environment
        .as_deref()
        .and_then(|name| playbook.engagement.environment(name));
    let phases: Vec<PhaseData> = playbook
        .phases
        .iter()
        .map(|p| PhaseData {
            id: format!("phase-{}", p.activity),
            title: playbook.phase_title(&p.activity, &p.title, copy_of),
            milestone: &p.milestone,
            owner: &p.owner,
            sections: p.sections.iter().map(view::section).collect(),
        })
        .collect();
    anchors.extend(phases.iter().map(|p| p.id.clone()));
    if !playbook.back_out.is_empty() {
        anchors.push("back-out".into());
    }
    PdfData {
        page: PageData {
            title: playbook.config.book.title.clone(),
            language: playbook.config.book.language.clone(),
            version: playbook.version.clone(),
            is_draft: playbook.version == "draft",
            date: playbook.date.map(crate::model::engagement::iso),
            accepted_by: playbook.accepted_by.clone(),
            accepted_on: playbook.accepted_on.map(crate::model::engagement::iso),
            acceptance_reference: playbook.acceptance_reference.clone(),
            paper: match playbook.config.output.paper {
                Paper::A4 => "a4",
                Paper::UsLetter => "us-letter",
            },
        },
        environment: playbook.environment.as_deref(),
        content: views::content(playbook, views::Fill::Done, None, strings),
        phases,
        back_out: playbook.back_out.iter().map(view::section).collect(),
        known_issues: playbook.known_issues.iter().map(view::section).collect(),
        appendix: playbook.appendix.iter().map(view::section).collect(),
        anchors,
        changes: None,
        strings: None,
    }
}

fn collect_anchors(section: &crate::model::document::Section, out: &mut Vec<String>) {
    use crate::model::document::Block;
    for block in section.blocks.iter() {
        match block {
            Block::Heading { id, .. } => out.push(id.clone()),
            Block::Callout { id: Some(id), .. } => out.push(id.clone()),
            Block::Steps { steps } => out.extend(steps.iter().map(|s| section.step_anchor(s))),
            _ => {}
        }
    }
}

/// The first Typst error, placed in the theme file it came from.
fn typst_error(world: &PdfWorld, theme: &Theme, errors: &[SourceDiagnostic]) -> Diagnostic {
    let Some(error) = errors
        .iter()
        .find(|e| e.severity == Severity::Error)
        .or(errors.first())
    else {
        return Diagnostic::error("the PDF could not be made");
    };
    let mut diag = Diagnostic::error(format!("PDF template error: {}", error.message));
    if let Some(hint) = error.hints.first() {
        diag = diag.with_hint(hint.v.to_string());
    }
    let located = error.span.id().and_then(|id| {
        let file = theme.files.get(world.names.get(&id)?)?;
        let range = world.range(error.span)?;
        Some((file, range.start))
    });
    match located {
        Some((file, offset)) => {
            let (line, col) = file.line_col(offset);
            diag.at(file, line, col)
        }
        None => diag,
    }
}

/// The PDF's data with every string that holds a direction override put
/// in an isolate of its own (see `crate::bidi`), so the override ends
/// where the value ends in Typst's text as in the pages. Most data has
/// none, and is passed on as it is.
fn isolate_directions(json: Vec<u8>) -> serde_json::Result<Vec<u8>> {
    if !crate::bidi::has_controls(&String::from_utf8_lossy(&json)) {
        return Ok(json);
    }
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) => {
                if let std::borrow::Cow::Owned(isolated) = crate::bidi::isolate(s) {
                    *s = isolated;
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::Object(fields) => fields.values_mut().for_each(walk),
            _ => {}
        }
    }
    let mut value: serde_json::Value = serde_json::from_slice(&json)?;
    walk(&mut value);
    serde_json::to_vec(&value)
}

#[cfg(test)]
mod tests {
    use super::isolate_directions;

    #[test]
    fn strings_with_a_direction_override_are_isolated_in_the_data() {
        let plain = br#"{"customer":"Acme","notes":["a"]}"#.to_vec();
        assert_eq!(isolate_directions(plain.clone()).unwrap(), plain);
        let tricky = "{\"customer\":\"Acme \u{202E}HbmG\",\"runs\":[{\"text\":\"x\u{202E}y\"}]}";
        let out = String::from_utf8(isolate_directions(tricky.into()).unwrap()).unwrap();
        assert!(
            out.contains("\"\u{2068}Acme \u{202E}HbmG\u{2069}\""),
            "{out}"
        );
        assert!(out.contains("\"\u{2068}x\u{202E}y\u{2069}\""), "{out}");
    }
}
