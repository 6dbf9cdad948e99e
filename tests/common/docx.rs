//! .docx files as upbook's writer would send them for a release (the
//! contract's properties, section and step bookmarks, the text hash) and
//! as Word stores them after a reviewer edits with Track Changes on and
//! comments: built here, part by part, so the importer is tested on the
//! shapes Word writes without Word.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use upbook::diagnostic::Diagnostics;
use upbook::model::document::{Block, plain_text_of};
use upbook::model::docx_names as names;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W14: &str = "http://schemas.microsoft.com/office/word/2010/wordml";
const W15: &str = "http://schemas.microsoft.com/office/word/2012/wordml";

/// One paragraph: what comes before its runs (properties, bookmark
/// starts), its runs, what follows (bookmark ends), and its text as sent.
pub struct Para {
    pub section: Option<String>,
    pub step: Option<String>,
    pub text: String,
    head: String,
    runs: String,
    tail: String,
}

pub struct Docx {
    pub paragraphs: Vec<Para>,
    /// Section id → the note it comes from (project-relative).
    pub sources: std::collections::BTreeMap<String, String>,
    pub properties: Vec<(String, String)>,
    comments: Vec<String>,
    threads: Vec<String>,
    /// Parts beyond the usual ones (name, bytes).
    pub extra: Vec<(String, Vec<u8>)>,
    next_id: usize,
}

impl Docx {
    /// The .docx of `copy` (`playbook`, `production`) of release
    /// `version` in `project`, as upbook writes it: a title paragraph,
    /// then each section's heading and blocks, steps one paragraph each.
    pub fn released(project: &Path, version: &str, copy: &str) -> Docx {
        let mut diags = Diagnostics::default();
        let releases = upbook::snapshot::read_all(project, &mut diags);
        let release = releases
            .iter()
            .find(|r| r.version == version)
            .expect("the release");
        let playbook = if copy == "playbook" {
            release.playbook.reference()
        } else {
            let env = release
                .playbook
                .engagement
                .customer_environments()
                .find(|e| e.slug == copy)
                .expect("the copy's environment");
            release.playbook.for_environment(Some(env))
        };
        let mut paragraphs = vec![plain(None, None, "Upgrade playbook".into(), "")];
        let mut bookmark = 0;
        let mut sources = std::collections::BTreeMap::new();
        for section in playbook.sections() {
            sources.insert(section.id.clone(), section.source.clone());
            let name = names::section_bookmark(&section.id);
            bookmark += 1;
            let first = paragraphs.len();
            paragraphs.push(plain(
                Some(&section.id),
                None,
                section.title.clone(),
                &format!(
                    "<w:pPr><w:pStyle w:val=\"Heading2\"/></w:pPr><w:bookmarkStart w:id=\"{bookmark}\" w:name=\"{name}\"/>"
                ),
            ));
            let section_mark = bookmark;
            for block in section.blocks.iter() {
                match block {
                    Block::Steps { steps } => {
                        for step in steps {
                            bookmark += 1;
                            let label = section.step_label(step);
                            let step_name = names::step_bookmark(&section.step_label(step));
                            let mut p = plain(
                                Some(&section.id),
                                Some(&label),
                                plain_text_of(&step.blocks),
                                &format!(
                                    "<w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:bookmarkStart w:id=\"{bookmark}\" w:name=\"{step_name}\"/>"
                                ),
                            );
                            p.tail = format!("<w:bookmarkEnd w:id=\"{bookmark}\"/>");
                            paragraphs.push(p);
                        }
                    }
                    Block::Code { code, .. } => {
                        paragraphs.push(plain(Some(&section.id), None, code.replace('\n', " "), ""))
                    }
                    other => {
                        let text = plain_text_of(std::slice::from_ref(other));
                        if !text.is_empty() {
                            paragraphs.push(plain(Some(&section.id), None, text, ""));
                        }
                    }
                }
            }
            let _ = first;
            paragraphs
                .last_mut()
                .unwrap()
                .tail
                .push_str(&format!("<w:bookmarkEnd w:id=\"{section_mark}\"/>"));
        }
        let text: Vec<&str> = paragraphs.iter().map(|p| p.text.as_str()).collect();
        let hash = names::text_hash(&text.join("\n"));
        Docx {
            paragraphs,
            sources,
            properties: vec![
                (names::DOCUMENT.into(), "playbook".into()),
                (names::VERSION.into(), version.into()),
                (names::COPY.into(), copy.into()),
                (names::TEXT_HASH.into(), hash),
                (names::AUTHOR.into(), "Alex Brandt".into()),
                (
                    names::DATE.into(),
                    format!("{}T00:00:00Z", upbook::model::engagement::iso(release.date)),
                ),
            ],
            comments: Vec::new(),
            threads: Vec::new(),
            extra: Vec::new(),
            next_id: 900,
        }
    }

    /// The index of the first paragraph of `section` whose text holds
    /// `words`.
    pub fn find(&self, section: &str, words: &str) -> usize {
        self.paragraphs
            .iter()
            .position(|p| p.section.as_deref() == Some(section) && p.text.contains(words))
            .unwrap_or_else(|| panic!("no paragraph of {section} says {words:?}"))
    }

    /// The paragraph's number as Word counts it (from 1).
    pub fn number(index: usize) -> usize {
        index + 1
    }

    fn id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    /// `by` replaces `old` with `new` in paragraph `index` with Track
    /// Changes on: Word splits the run and wraps the pieces.
    pub fn track_replace(&mut self, index: usize, old: &str, new: &str, by: &str, date: &str) {
        let (del, ins) = (self.id(), self.id());
        let p = &mut self.paragraphs[index];
        let (before, after) = p.text.split_once(old).expect("the old text");
        let mut runs = run(before);
        if !old.is_empty() {
            let _ = write!(
                runs,
                "<w:del w:id=\"{del}\" w:author=\"{}\" w:date=\"{date}\"><w:r><w:delText xml:space=\"preserve\">{}</w:delText></w:r></w:del>",
                esc(by),
                esc(old)
            );
        }
        if !new.is_empty() {
            let _ = write!(
                runs,
                "<w:ins w:id=\"{ins}\" w:author=\"{}\" w:date=\"{date}\">{}</w:ins>",
                esc(by),
                run(new)
            );
        }
        runs.push_str(&run(after));
        p.runs = runs;
    }

    /// `by` presses Enter at the end of paragraph `index` and types
    /// `text`: the paragraph mark is inserted, the new paragraph's runs too.
    pub fn track_new_paragraph(&mut self, index: usize, text: &str, by: &str, date: &str) {
        let (mark, ins) = (self.id(), self.id());
        let p = &mut self.paragraphs[index];
        let mark_xml = format!(
            "<w:rPr><w:ins w:id=\"{mark}\" w:author=\"{}\" w:date=\"{date}\"/></w:rPr>",
            esc(by)
        );
        p.head = if p.head.contains("</w:pPr>") {
            p.head
                .replacen("</w:pPr>", &format!("{mark_xml}</w:pPr>"), 1)
        } else {
            format!("<w:pPr>{mark_xml}</w:pPr>{}", p.head)
        };
        // The new paragraph takes the old mark, and so the end of the
        // bookmarks that ended there.
        let tail = std::mem::take(&mut p.tail);
        let section = p.section.clone();
        self.paragraphs.insert(
            index + 1,
            Para {
                section,
                step: None,
                text: String::new(),
                head: String::new(),
                runs: format!(
                    "<w:ins w:id=\"{ins}\" w:author=\"{}\" w:date=\"{date}\">{}</w:ins>",
                    esc(by),
                    run(text)
                ),
                tail,
            },
        );
    }

    /// An edit made with Track Changes off.
    pub fn untracked_replace(&mut self, index: usize, old: &str, new: &str) {
        let p = &mut self.paragraphs[index];
        p.runs = run(&p.text.replacen(old, new, 1));
    }

    /// `by` comments on `quoted` in paragraph `index`; returns the
    /// comment's id.
    pub fn comment(
        &mut self,
        index: usize,
        quoted: &str,
        by: &str,
        date: &str,
        text: &str,
    ) -> usize {
        let id = self.id();
        let p = &mut self.paragraphs[index];
        let (before, after) = p.text.split_once(quoted).expect("the quoted text");
        p.runs = format!(
            "{}<w:commentRangeStart w:id=\"{id}\"/>{}<w:commentRangeEnd w:id=\"{id}\"/><w:r><w:rPr><w:rStyle w:val=\"CommentReference\"/></w:rPr><w:commentReference w:id=\"{id}\"/></w:r>{}",
            run(before),
            run(quoted),
            run(after)
        );
        self.add_comment(id, by, date, text, None, false);
        id
    }

    /// `by` answers comment `parent` (Word's "Reply").
    pub fn reply(&mut self, parent: usize, by: &str, date: &str, text: &str) -> usize {
        let id = self.id();
        self.add_comment(id, by, date, text, Some(parent), false);
        id
    }

    /// Marks comment `id`'s thread done (Word's "Resolve").
    pub fn resolve(&mut self, id: usize) {
        let open = format!("w15:paraId=\"{id:08X}\"");
        for t in &mut self.threads {
            if t.contains(&open) {
                *t = t.replace("w15:done=\"0\"", "w15:done=\"1\"");
            }
        }
    }

    /// A comment as upbook writes one on `changes.docx`, with the request
    /// id first, anchored on paragraph `index`'s start.
    pub fn upbook_comment(&mut self, index: usize, by: &str, date: &str, text: &str) -> usize {
        let id = self.id();
        let p = &mut self.paragraphs[index];
        p.runs = format!(
            "<w:commentRangeStart w:id=\"{id}\"/>{}<w:commentRangeEnd w:id=\"{id}\"/><w:r><w:commentReference w:id=\"{id}\"/></w:r>",
            p.runs
        );
        self.add_comment(id, by, date, text, None, false);
        id
    }

    fn add_comment(
        &mut self,
        id: usize,
        by: &str,
        date: &str,
        text: &str,
        parent: Option<usize>,
        done: bool,
    ) {
        let _ = write!(
            self.comments_xml(),
            "<w:comment w:id=\"{id}\" w:author=\"{}\" w:date=\"{date}\" w:initials=\"X\"><w:p w14:paraId=\"{:08X}\"><w:pPr><w:pStyle w:val=\"CommentText\"/></w:pPr><w:r><w:annotationRef/></w:r><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:comment>",
            esc(by),
            id,
            esc(text)
        );
        let parent = parent.map_or(String::new(), |p| format!(" w15:paraIdParent=\"{p:08X}\""));
        self.threads.push(format!(
            "<w15:commentEx w15:paraId=\"{id:08X}\"{parent} w15:done=\"{}\"/>",
            u8::from(done)
        ));
    }

    fn comments_xml(&mut self) -> &mut String {
        self.comments.push(String::new());
        self.comments.last_mut().unwrap()
    }

    pub fn set_property(&mut self, name: &str, value: &str) {
        self.properties.retain(|(n, _)| n != name);
        self.properties.push((name.into(), value.into()));
    }

    pub fn remove_property(&mut self, name: &str) {
        self.properties.retain(|(n, _)| n != name);
    }

    /// The parts, as (name, bytes).
    pub fn parts(&self) -> Vec<(String, Vec<u8>)> {
        let mut body = String::new();
        for p in &self.paragraphs {
            let _ = write!(body, "<w:p>{}{}{}</w:p>", p.head, p.runs, p.tail);
        }
        let document = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:document xmlns:w=\"{W}\" xmlns:w14=\"{W14}\"><w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>"
        );
        let mut properties = String::new();
        for (pid, (name, value)) in self.properties.iter().enumerate() {
            let _ = write!(
                properties,
                "<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"{}\" name=\"{}\"><vt:lpwstr>{}</vt:lpwstr></property>",
                pid + 2,
                esc(name),
                esc(value)
            );
        }
        let custom = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">{properties}</Properties>"
        );
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let package_rels = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"{rel}/custom-properties\" Target=\"docProps/custom.xml\"/></Relationships>"
        );
        let mut document_rels = String::new();
        let mut types = String::new();
        if !self.comments.is_empty() {
            let _ = write!(
                document_rels,
                "<Relationship Id=\"rId8\" Type=\"{rel}/comments\" Target=\"comments.xml\"/><Relationship Id=\"rId9\" Type=\"http://schemas.microsoft.com/office/2011/relationships/commentsExtended\" Target=\"commentsExtended.xml\"/>"
            );
            types.push_str("<Override PartName=\"/word/comments.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml\"/><Override PartName=\"/word/commentsExtended.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml\"/>");
        }
        let content_types = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/docProps/custom.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\"/>{types}</Types>"
        );
        let mut parts = vec![
            ("[Content_Types].xml".to_string(), content_types.into_bytes()),
            ("_rels/.rels".into(), package_rels.into_bytes()),
            ("word/document.xml".into(), document.into_bytes()),
            (
                "word/_rels/document.xml.rels".into(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{document_rels}</Relationships>"
                )
                .into_bytes(),
            ),
            ("docProps/custom.xml".into(), custom.into_bytes()),
        ];
        if !self.comments.is_empty() {
            parts.push((
                "word/comments.xml".into(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:comments xmlns:w=\"{W}\" xmlns:w14=\"{W14}\">{}</w:comments>",
                    self.comments.concat()
                )
                .into_bytes(),
            ));
            parts.push((
                "word/commentsExtended.xml".into(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w15:commentsEx xmlns:w15=\"{W15}\">{}</w15:commentsEx>",
                    self.threads.concat()
                )
                .into_bytes(),
            ));
        }
        for (name, bytes) in &self.extra {
            parts.retain(|(n, _)| n != name);
            parts.push((name.clone(), bytes.clone()));
        }
        parts
    }

    pub fn write(&self, path: &Path) {
        write_zip(path, &self.parts());
    }
}

/// Writes `parts` as a zip package, deflated as Word does.
pub fn write_zip(path: &Path, parts: &[(String, Vec<u8>)]) {
    let file = std::fs::File::create(path).expect("create the .docx");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), options)
            .expect("start a part");
        zip.write_all(bytes).expect("write a part");
    }
    zip.finish().expect("finish the .docx");
}

fn plain(section: Option<&str>, step: Option<&str>, text: String, head: &str) -> Para {
    Para {
        section: section.map(str::to_string),
        step: step.map(str::to_string),
        runs: run(&text),
        text,
        head: head.to_string(),
        tail: String::new(),
    }
}

fn run(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(text))
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
