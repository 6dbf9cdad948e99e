//! The Word backend: `playbook.docx`, one per customer copy, and
//! `changes.docx` with the redline as real Word revisions and the change
//! requests as comments. WordprocessingML is written part by part with
//! `quick-xml` (see `xml`) and zipped with `zip`; the file contract with
//! `requests import` (custom properties, text hash, bookmark names,
//! revision author and date, comment prefixes) is kept here and in
//! `changes`.

mod blocks;
mod body;
mod changes;
mod document;
mod front;
mod images;
mod numbering;
mod package;
mod styles;
pub mod words;
mod xml;

use rayon::prelude::*;
use time::Date;

use crate::changes::Changes;
use crate::diagnostic::Diagnostic;
use crate::model::Playbook;
use crate::model::config::Paper;
use crate::model::docx_names as names;
use crate::output::Site;
use crate::strings::Strings;
use body::Body;
use package::{Part, Properties};
use xml::Xml;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";

/// Which document a `.docx` is, as its custom properties say.
enum Kind<'c> {
    Playbook,
    Changes(&'c Changes),
}

/// The `.docx` files a version's folder holds, by name: `playbook.docx`,
/// one per environment the customer upgrades (named as its PDF), and
/// `changes.docx` after the first release.
pub fn docx_names(playbook: &Playbook, has_changes: bool) -> Vec<String> {
    copies(playbook, has_changes)
        .into_iter()
        .map(|(name, ..)| name)
        .collect()
}

/// `(file name, copy name for the properties, environment, is changes)`.
fn copies(
    playbook: &Playbook,
    has_changes: bool,
) -> Vec<(
    String,
    String,
    Option<&crate::model::engagement::Environment>,
    bool,
)> {
    let mut out = vec![(
        "playbook.docx".to_string(),
        "playbook".to_string(),
        None,
        false,
    )];
    if has_changes {
        out.push(("changes.docx".into(), "playbook".into(), None, true));
    }
    for env in playbook.engagement.own_copy_environments() {
        let name = format!("{}.docx", env.slug);
        out.push((name, env.slug.clone(), Some(env), false));
    }
    out
}

/// Renders every `.docx` of one version into `folder/`. `date` is the
/// release's date (the draft's: `SOURCE_DATE_EPOCH`'s, if set): it dates
/// the revisions and every time inside the package.
pub fn files(
    playbook: &Playbook,
    strings: &Strings,
    folder: &str,
    changes: Option<&Changes>,
    date: Option<Date>,
    site: &mut Site,
) -> Result<(), Diagnostic> {
    let jobs = copies(playbook, changes.is_some());
    let rendered: Vec<Result<(String, Vec<u8>), Diagnostic>> = jobs
        .par_iter()
        .map(|(name, copy, env, is_changes)| {
            let filled = match env {
                Some(env) => playbook.for_environment(Some(env)),
                None => playbook.reference(),
            };
            let kind = match (is_changes, changes) {
                (true, Some(changes)) => Kind::Changes(changes),
                _ => Kind::Playbook,
            };
            let _words = words::Using::new(strings.clone());
            Ok((name.clone(), docx(&filled, kind, copy, date)?))
        })
        .collect();
    for file in rendered {
        let (name, bytes) = file?;
        site.insert(format!("{folder}/{name}"), bytes);
    }
    Ok(())
}

/// The consultant whose revisions `changes.docx` shows: the first of the
/// book's authors, else the provider.
fn consultant(playbook: &Playbook) -> String {
    playbook
        .config
        .book
        .authors
        .first()
        .cloned()
        .unwrap_or_else(|| playbook.process.provider.clone())
}

/// Page size and margins, in twentieths of a point.
fn page(paper: Paper) -> (u32, u32, u32) {
    match paper {
        Paper::A4 => (11906, 16838, 1134),
        Paper::UsLetter => (12240, 15840, 1080),
    }
}

fn docx(
    playbook: &Playbook,
    kind: Kind<'_>,
    copy: &str,
    date: Option<Date>,
) -> Result<Vec<u8>, Diagnostic> {
    let (width, height, margin) = page(playbook.config.output.paper);
    let text_width = width - 2 * margin;
    let mut body = Body::new(&playbook.assets, u64::from(text_width) * 635);
    body.x.open(
        "w:document",
        &[("xmlns:w", W), ("xmlns:r", R), ("xmlns:wp", WP)],
    );
    body.x.open("w:body", &[]);
    let author = consultant(playbook);
    let mut comment_parts = Vec::new();
    let document_kind = match kind {
        Kind::Playbook => {
            document::write(&mut body, playbook);
            "playbook"
        }
        Kind::Changes(changes) => {
            let revision = changes::Revision {
                author: &author,
                date: date.map(package::iso_midnight),
            };
            comment_parts = changes::write(&mut body, playbook, changes, &revision);
            "changes"
        }
    };
    let footer_id = body.rels.add("footer", "footer1.xml");
    section_properties(&mut body.x, &footer_id, width, height, margin);
    body.x.close("w:body");
    body.x.close("w:document");

    let Body {
        x,
        numbering,
        mut rels,
        media,
        ..
    } = body;
    let document_xml = x.finish();
    let hash = text_hash(&document_xml)?;
    let version_label = if playbook.version == "draft" {
        &words::word("draft")
    } else {
        playbook.version.as_str()
    };
    let footer_text = format!("{} · {}", playbook.config.book.title, version_label);
    rels.add("styles", "styles.xml");
    rels.add("numbering", "numbering.xml");
    rels.add("settings", "settings.xml");
    let mut parts = vec![
        Part::xml("word/document.xml", package::MAIN, document_xml),
        Part::xml(
            "word/styles.xml",
            package::STYLES,
            styles::xml(&playbook.config.book.language),
        ),
        Part::xml("word/numbering.xml", package::NUMBERING, numbering.xml()),
        Part::xml("word/settings.xml", package::SETTINGS, settings()),
        Part::xml(
            "word/footer1.xml",
            package::FOOTER,
            footer(&footer_text, text_width),
        ),
    ];
    for (name, content_type, bytes) in comment_parts {
        let target = name.trim_start_matches("word/");
        let kind = if target == "comments.xml" {
            "comments"
        } else {
            "commentsExtended"
        };
        rels.add(kind, target);
        parts.push(Part::xml(&name, content_type, bytes));
    }
    parts.extend(media);
    parts.push(Part {
        name: "word/_rels/document.xml.rels".into(),
        content_type: None,
        bytes: rels.xml(),
    });
    let version = if playbook.version == "draft" {
        "draft".to_string()
    } else {
        playbook.version.clone()
    };
    let mut custom = vec![
        (names::DOCUMENT, document_kind.to_string()),
        (names::VERSION, version),
        (names::COPY, copy.to_string()),
        (names::TEXT_HASH, hash),
        (names::AUTHOR, author.clone()),
    ];
    if let Some(date) = date {
        custom.push((names::DATE, package::iso_midnight(date)));
    }
    package::zip(
        parts,
        &Properties {
            title: &playbook.config.book.title,
            author: &author,
            date,
            custom,
        },
    )
}

fn section_properties(x: &mut Xml, footer: &str, width: u32, height: u32, margin: u32) {
    let (w, h, m) = (width.to_string(), height.to_string(), margin.to_string());
    x.open("w:sectPr", &[]);
    x.empty(
        "w:footerReference",
        &[("w:type", "default"), ("r:id", footer)],
    );
    x.empty("w:pgSz", &[("w:w", &w), ("w:h", &h)]);
    x.empty(
        "w:pgMar",
        &[
            ("w:top", &m),
            ("w:right", &m),
            ("w:bottom", &m),
            ("w:left", &m),
            ("w:header", "567"),
            ("w:footer", "567"),
            ("w:gutter", "0"),
        ],
    );
    // The cover has no footer: Word leaves a first page without a footer
    // of its own blank.
    x.empty("w:titlePg", &[]);
    x.close("w:sectPr");
}

/// Track Changes is on when the reviewer opens the file, so their edits
/// come back as revisions `requests import` can read.
fn settings() -> Vec<u8> {
    let mut x = Xml::new();
    x.open("w:settings", &[("xmlns:w", W)]);
    x.empty("w:zoom", &[("w:percent", "100")]);
    x.empty("w:trackRevisions", &[]);
    x.empty("w:defaultTabStop", &[("w:val", "720")]);
    x.empty("w:characterSpacingControl", &[("w:val", "doNotCompress")]);
    x.open("w:compat", &[]);
    x.empty(
        "w:compatSetting",
        &[
            ("w:name", "compatibilityMode"),
            ("w:uri", "http://schemas.microsoft.com/office/word"),
            ("w:val", "15"),
        ],
    );
    x.close("w:compat");
    x.close("w:settings");
    x.finish()
}

/// The footer: the document and its version on the left, the page of the
/// pages on the right.
fn footer(text: &str, text_width: u32) -> Vec<u8> {
    let mut x = Xml::new();
    x.open("w:ftr", &[("xmlns:w", W), ("xmlns:r", R)]);
    x.open("w:p", &[]);
    x.open("w:pPr", &[]);
    x.empty("w:pStyle", &[("w:val", "Footer")]);
    x.open("w:tabs", &[]);
    x.empty(
        "w:tab",
        &[("w:val", "right"), ("w:pos", &text_width.to_string())],
    );
    x.close("w:tabs");
    x.close("w:pPr");
    let run = |x: &mut Xml, text: &str| {
        x.open("w:r", &[]);
        x.leaf("w:t", &[("xml:space", "preserve")], text);
        x.close("w:r");
    };
    run(&mut x, text);
    x.open("w:r", &[]);
    x.empty("w:tab", &[]);
    x.close("w:r");
    run(&mut x, &format!("{} ", &words::word("page")));
    for (i, field) in [" PAGE ", " NUMPAGES "].into_iter().enumerate() {
        if i > 0 {
            run(&mut x, &format!(" {} ", &words::word("of")));
        }
        x.open("w:fldSimple", &[("w:instr", field)]);
        run(&mut x, "1");
        x.close("w:fldSimple");
    }
    x.close("w:p");
    x.close("w:ftr");
    x.finish()
}

/// The body text hash of the file contract: each body paragraph's text
/// (`w:t`, `w:tab` as a tab, `w:br` as a line feed, upbook's own
/// deletions left out) joined by line feeds, SHA-256, lowercase hex.
pub fn text_hash(document_xml: &[u8]) -> Result<String, Diagnostic> {
    let text = std::str::from_utf8(document_xml)
        .map_err(|e| Diagnostic::error(format!("the .docx body is not UTF-8: {e}")))?;
    let doc = roxmltree::Document::parse(text)
        .map_err(|e| Diagnostic::error(format!("the .docx body is not well-formed: {e}")))?;
    let paragraphs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")) && !names::is_contents(*n))
        .map(|p| {
            let mut out = String::new();
            for n in p.descendants() {
                let in_deletion = n
                    .ancestors()
                    .take_while(|a| *a != p)
                    .any(|a| a.has_tag_name((W, "del")));
                if in_deletion {
                    continue;
                }
                let in_run = n.parent().is_some_and(|r| r.has_tag_name((W, "r")));
                match n.tag_name().name() {
                    "t" if n.tag_name().namespace() == Some(W) => {
                        out.push_str(n.text().unwrap_or(""))
                    }
                    "tab" if in_run => out.push('\t'),
                    "br" if in_run => out.push('\n'),
                    _ => {}
                }
            }
            out
        })
        .collect();
    Ok(names::text_hash(&paragraphs.join("\n")))
}
