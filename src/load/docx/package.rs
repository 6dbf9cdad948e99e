//! The zip package of a .docx: finding its parts by their relationships,
//! as Word and LibreOffice do, and unpacking each XML part within
//! [`DOCX_PART_BYTES`] whatever the zip claims, so a crafted file costs a
//! bounded read and then a refusal.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use roxmltree::{Document, ParsingOptions};

use crate::limits::{DOCX_PART_BYTES, DOCX_XML_NODES};

/// What is wrong with the package, in words for the refusal.
pub type Problem = String;

pub struct Package {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
}

/// The part a relationship of type `…/officeDocument` (and so on) names.
const MAIN: &str = "/officeDocument";
const CUSTOM: &str = "/custom-properties";
const COMMENTS: &str = "/comments";
const COMMENTS_EXTENDED: &str = "/commentsExtended";

impl Package {
    pub fn open(bytes: Vec<u8>) -> Result<Self, Problem> {
        zip::ZipArchive::new(Cursor::new(bytes))
            .map(|zip| Package { zip })
            .map_err(|_| "it is not a zip package, as every .docx is".to_string())
    }

    /// The text of the part at `name`, or `None` when there is none.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, Problem> {
        let mut file = match self.zip.by_name(name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(format!("its part {name} cannot be read: {e}")),
        };
        let too_big = || {
            format!(
                "its part {name} unpacks to more than {} MB, the most upbook reads",
                DOCX_PART_BYTES >> 20
            )
        };
        if file.size() > DOCX_PART_BYTES {
            return Err(too_big());
        }
        // The size in the zip's directory is the sender's word; the
        // unpacked bytes are counted too.
        let mut bytes = Vec::new();
        (&mut file)
            .take(DOCX_PART_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("its part {name} cannot be unpacked: {e}"))?;
        if bytes.len() as u64 > DOCX_PART_BYTES {
            return Err(too_big());
        }
        // Word writes UTF-8; a byte order mark may lead.
        let text =
            String::from_utf8(bytes).map_err(|_| format!("its part {name} is not UTF-8 text"))?;
        Ok(Some(text.trim_start_matches('\u{feff}').to_string()))
    }

    /// The main document part, its custom properties, comments and the
    /// comments' threads, found by relationship type.
    pub fn parts(&mut self) -> Result<Parts, Problem> {
        let package = self.relationships("_rels/.rels", "")?;
        let main = find(&package, MAIN).unwrap_or_else(|| "word/document.xml".into());
        let custom = find(&package, CUSTOM).unwrap_or_else(|| "docProps/custom.xml".into());
        let (folder, file) = main.rsplit_once('/').unwrap_or(("", main.as_str()));
        let document_rels = self.relationships(&format!("{folder}/_rels/{file}.rels"), folder)?;
        Ok(Parts {
            comments: find(&document_rels, COMMENTS),
            comments_extended: find(&document_rels, COMMENTS_EXTENDED),
            main,
            custom,
        })
    }

    /// Relationship type → target part, for the relationships file at
    /// `name` whose targets are relative to `folder`.
    fn relationships(
        &mut self,
        name: &str,
        folder: &str,
    ) -> Result<BTreeMap<String, String>, Problem> {
        let Some(text) = self.text(name)? else {
            return Ok(BTreeMap::new());
        };
        let xml = parse(name, &text)?;
        Ok(xml
            .descendants()
            .filter(|n| n.has_tag_name("Relationship"))
            .filter(|n| n.attribute("TargetMode") != Some("External"))
            .filter_map(|n| {
                let kind = n.attribute("Type")?;
                let target = n.attribute("Target")?;
                Some((kind.to_string(), resolve(folder, target)))
            })
            .collect())
    }
}

/// The parts of a .docx the importer reads.
pub struct Parts {
    pub main: String,
    pub custom: String,
    pub comments: Option<String>,
    pub comments_extended: Option<String>,
}

/// The target of the relationship whose type ends with `suffix`.
fn find(relationships: &BTreeMap<String, String>, suffix: &str) -> Option<String> {
    relationships
        .iter()
        .find(|(kind, _)| kind.ends_with(suffix))
        .map(|(_, target)| target.clone())
}

/// A relationship's target as a part name: `/word/document.xml` is from
/// the package's root, `comments.xml` beside the part, `../x` one up.
fn resolve(folder: &str, target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_string();
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// An XML part as a tree: no document type declaration (Word writes none,
/// and it is where entity tricks live), and a bounded number of nodes.
pub fn parse<'a>(name: &str, text: &'a str) -> Result<Document<'a>, Problem> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: DOCX_XML_NODES,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => {
            format!("its part {name} has more XML nodes than upbook reads ({DOCX_XML_NODES})")
        }
        roxmltree::Error::DtdDetected => {
            format!("its part {name} declares a document type, which Word never writes")
        }
        e => format!("its part {name} is not well-formed XML: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_part_that_names_them() {
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
        assert_eq!(resolve("word", "comments.xml"), "word/comments.xml");
        assert_eq!(resolve("word", "/word/x.xml"), "word/x.xml");
        assert_eq!(
            resolve("word", "../docProps/custom.xml"),
            "docProps/custom.xml"
        );
    }
}
