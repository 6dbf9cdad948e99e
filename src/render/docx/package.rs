//! The `.docx` container: the parts, their relationships and content
//! types, the document properties (the contract with `requests import`
//! lives in the custom ones), zipped with deflate at one fixed time so
//! the same input gives the same bytes.

use std::io::Write;

use time::Date;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::xml::Xml;
use crate::diagnostic::Diagnostic;

const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// One file of the package.
pub struct Part {
    pub name: String,
    /// For `[Content_Types].xml`; parts whose extension has a default
    /// type (images, relationships) give none.
    pub content_type: Option<&'static str>,
    pub bytes: Vec<u8>,
}

impl Part {
    pub fn xml(name: &str, content_type: &'static str, bytes: Vec<u8>) -> Part {
        Part {
            name: name.into(),
            content_type: Some(content_type),
            bytes,
        }
    }
}

pub const MAIN: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
pub const STYLES: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml";
pub const NUMBERING: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml";
pub const SETTINGS: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml";
pub const FOOTER: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml";
pub const COMMENTS: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";
pub const COMMENTS_EXTENDED: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml";
const CORE: &str = "application/vnd.openxmlformats-package.core-properties+xml";
const APP: &str = "application/vnd.openxmlformats-officedocument.extended-properties+xml";
const CUSTOM: &str = "application/vnd.openxmlformats-officedocument.custom-properties+xml";

/// The relationships of `word/document.xml`, numbered as they are added.
#[derive(Default)]
pub struct Relationships {
    list: Vec<(String, &'static str, String, bool)>,
}

impl Relationships {
    /// Adds a relationship of `kind` (the last word of its type URI) to
    /// `target`; returns its id.
    pub fn add(&mut self, kind: &'static str, target: &str) -> String {
        self.push(kind, target, false)
    }

    /// A link out of the document, to a web or mail address.
    pub fn external(&mut self, target: &str) -> String {
        if let Some((id, ..)) = self
            .list
            .iter()
            .find(|(_, k, t, e)| *e && *k == "hyperlink" && t == target)
        {
            return id.clone();
        }
        self.push("hyperlink", target, true)
    }

    fn push(&mut self, kind: &'static str, target: &str, external: bool) -> String {
        let id = format!("rId{}", self.list.len() + 1);
        self.list.push((id.clone(), kind, target.into(), external));
        id
    }

    pub fn xml(&self) -> Vec<u8> {
        let mut x = Xml::new();
        x.open("Relationships", &[("xmlns", RELS)]);
        for (id, kind, target, external) in &self.list {
            let ty = relationship_type(kind);
            let mut attrs = vec![
                ("Id", id.as_str()),
                ("Type", ty.as_str()),
                ("Target", target.as_str()),
            ];
            if *external {
                attrs.push(("TargetMode", "External"));
            }
            x.empty("Relationship", &attrs);
        }
        x.close("Relationships");
        x.finish()
    }
}

fn relationship_type(kind: &str) -> String {
    match kind {
        "commentsExtended" => {
            "http://schemas.microsoft.com/office/2011/relationships/commentsExtended".into()
        }
        _ => format!("{R}/{kind}"),
    }
}

/// What the document says of itself: title, author, dates, and the
/// custom properties `requests import` reads back.
pub struct Properties<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub date: Option<Date>,
    pub custom: Vec<(&'static str, String)>,
}

/// Zips `parts` (with the package's own parts added) into `.docx` bytes.
pub fn zip(mut parts: Vec<Part>, properties: &Properties<'_>) -> Result<Vec<u8>, Diagnostic> {
    parts.push(Part::xml("docProps/core.xml", CORE, core(properties)));
    parts.push(Part::xml("docProps/app.xml", APP, app()));
    parts.push(Part::xml(
        "docProps/custom.xml",
        CUSTOM,
        custom(&properties.custom),
    ));
    let mut all = vec![
        Part {
            name: "[Content_Types].xml".into(),
            content_type: None,
            bytes: content_types(&parts),
        },
        Part {
            name: "_rels/.rels".into(),
            content_type: None,
            bytes: package_relationships(),
        },
    ];
    all.append(&mut parts);

    let failed =
        |e: &dyn std::fmt::Display| Diagnostic::error(format!("cannot write a .docx package: {e}"));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip_time(properties.date))
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for part in &all {
        zip.start_file(part.name.as_str(), options)
            .map_err(|e| failed(&e))?;
        zip.write_all(&part.bytes).map_err(|e| failed(&e))?;
    }
    let out = zip.finish().map_err(|e| failed(&e))?;
    Ok(out.into_inner())
}

/// The time every file in the archive carries: the document's date (the
/// release's, or `SOURCE_DATE_EPOCH`'s for the draft), else the first day
/// a zip can name, never the clock.
fn zip_time(date: Option<Date>) -> DateTime {
    date.and_then(|d| {
        DateTime::from_date_and_time(
            u16::try_from(d.year()).ok()?,
            u8::from(d.month()),
            d.day(),
            0,
            0,
            0,
        )
        .ok()
    })
    .unwrap_or_default()
}

/// `2027-01-05T00:00:00Z`: the form the contract and `core.xml` use.
pub fn iso_midnight(date: Date) -> String {
    format!("{}T00:00:00Z", crate::model::engagement::iso(date))
}

fn content_types(parts: &[Part]) -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    );
    for (ext, ty) in [
        (
            "rels",
            "application/vnd.openxmlformats-package.relationships+xml",
        ),
        ("xml", "application/xml"),
        ("png", "image/png"),
        ("jpeg", "image/jpeg"),
        ("jpg", "image/jpeg"),
        ("gif", "image/gif"),
        ("svg", "image/svg+xml"),
    ] {
        x.empty("Default", &[("Extension", ext), ("ContentType", ty)]);
    }
    for part in parts {
        if let Some(ty) = part.content_type {
            let name = format!("/{}", part.name);
            x.empty("Override", &[("PartName", &name), ("ContentType", ty)]);
        }
    }
    x.close("Types");
    x.finish()
}

fn package_relationships() -> Vec<u8> {
    let mut x = Xml::new();
    x.open("Relationships", &[("xmlns", RELS)]);
    for (id, ty, target) in [
        ("rId1", format!("{R}/officeDocument"), "word/document.xml"),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
                .into(),
            "docProps/core.xml",
        ),
        (
            "rId3",
            format!("{R}/extended-properties"),
            "docProps/app.xml",
        ),
        (
            "rId4",
            format!("{R}/custom-properties"),
            "docProps/custom.xml",
        ),
    ] {
        x.empty(
            "Relationship",
            &[("Id", id), ("Type", &ty), ("Target", target)],
        );
    }
    x.close("Relationships");
    x.finish()
}

fn core(p: &Properties<'_>) -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    );
    x.leaf("dc:title", &[], p.title);
    x.leaf("dc:creator", &[], p.author);
    x.leaf("cp:lastModifiedBy", &[], p.author);
    // Never the clock: the document's own date, else the zip's first day.
    let when = p
        .date
        .map_or_else(|| "1980-01-01T00:00:00Z".to_string(), iso_midnight);
    x.leaf("dcterms:created", &[("xsi:type", "dcterms:W3CDTF")], &when);
    x.leaf("dcterms:modified", &[("xsi:type", "dcterms:W3CDTF")], &when);
    x.close("cp:coreProperties");
    x.finish()
}

fn app() -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "Properties",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        )],
    );
    x.leaf("Application", &[], "upbook");
    x.close("Properties");
    x.finish()
}

fn custom(properties: &[(&'static str, String)]) -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "Properties",
        &[
            (
                "xmlns",
                "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
            ),
            (
                "xmlns:vt",
                "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
            ),
        ],
    );
    for (i, (name, value)) in properties.iter().enumerate() {
        // Custom property ids start at 2 by the format's rule.
        let pid = (i + 2).to_string();
        x.open(
            "property",
            &[
                ("fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"),
                ("pid", &pid),
                ("name", name),
            ],
        );
        x.leaf("vt:lpwstr", &[], value);
        x.close("property");
    }
    x.close("Properties");
    x.finish()
}
