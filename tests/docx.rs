//! The Word documents as an approver receives them: a playbook with
//! working structure, a changes document whose tracked changes give
//! exactly one version or the other, the same bytes from the same input,
//! and files LibreOffice opens.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use common::word::{self as docx, Item, Review};
use common::*;
use sha2::{Digest, Sha256};
use upbook::changes::{self, Status, UnitKind};
use upbook::model::Playbook;

fn build_docx(project: &Path) {
    upbook()
        .arg("build")
        .arg(project)
        .args(["--format", "docx"])
        .assert()
        .success();
}

/// The round of review the tests play: release 1.0, the consultant
/// edits (a word changed, a step added, a paragraph dropped, a section
/// renamed, a note added), the customer's requests with a discussion,
/// release 1.1.
fn two_releases() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, project) = example();
    release(&project, "1.0");
    let backup = "content/notes/02-backup.md";
    edit(
        &project,
        backup,
        "title: Back up the configuration\n",
        "title: Back up the configuration files\nid: back-up-the-configuration\n",
    );
    edit(
        &project,
        backup,
        "Each\nhost writes one archive",
        "Each\nhost & broker writes one <archive>",
    );
    edit(
        &project,
        backup,
        "1. Stop the Primary Domain Manager",
        "1. Tell the change board that the backup starts.\n\n2. Stop the Primary Domain Manager",
    );
    edit(
        &project,
        "content/notes/04-upgrade-brokers.md",
        "title: Upgrade the message brokers",
        "title: Upgrade the message brokers\nid: upgrade-the-message-brokers",
    );
    std::fs::write(
        project.join("content/notes/09-sign-off.md"),
        "---\ntitle: Sign off the upgrade\nphase: test\norder: 99\n---\nAsk the change board to sign off.\n\n1. Send the test results to the board.\n2. File the \"signed\" form.\n",
    )
    .unwrap();
    std::fs::write(
        project.join("content/reviews/change-requests.yaml"),
        "- id: CR-001\n  raised_against: \"1.0\"\n  section: back-up-the-configuration\n  raised_by: Dana Weber\n  date: 2027-01-05\n  kind: change\n  request: Name the exact folder & say <when>.\n  status: applied\n  resolution: Step 2 now names it.\n  applied_in: \"1.1\"\n  comments:\n    - by: Piotr Nowak\n      date: 2027-01-06\n      text: And the brokers' folders too?\n",
    )
    .unwrap();
    release(&project, "1.1");
    (tmp, project)
}

/// Each section's title and its units as the changes document writes
/// them, read from one version alone (every unit new against nothing).
fn unit_texts(playbook: &Playbook) -> HashMap<String, (String, Vec<String>)> {
    let mut empty = playbook.clone();
    empty.phases.clear();
    empty.back_out.clear();
    empty.known_issues.clear();
    empty.appendix.clear();
    changes::compare(&empty, playbook)
        .sections
        .into_iter()
        .map(|s| {
            let units = s
                .units
                .iter()
                .map(|u| {
                    let text: String = u.words.iter().map(|w| w.text.as_str()).collect();
                    match (u.kind, &u.label) {
                        (UnitKind::Step, Some(label)) => format!("{label}.\t{text}"),
                        (UnitKind::Item, _) => format!("•\t{text}"),
                        _ => text,
                    }
                })
                .collect();
            (s.id, (s.title, units))
        })
        .collect()
}

#[test]
fn accepting_all_gives_the_new_version_and_rejecting_all_the_old() {
    let (_tmp, project) = two_releases();
    build_docx(&project);
    let checked = upbook::check(&project).0.expect("the project checks");
    let old = checked.releases[0].playbook.reference();
    let new = checked.releases[1].playbook.reference();
    let changes =
        upbook::project::changes_since(Some(&checked.releases[0]), &checked.releases[1].playbook)
            .unwrap();
    let (old_units, new_units) = (unit_texts(&old), unit_texts(&new));

    let parts = docx::unzip(&project.join("book/v1.1/changes.docx"));
    let document = docx::part(&parts, "word/document.xml");
    let changed: Vec<_> = changes
        .sections
        .iter()
        .filter(|s| s.status != Status::Unchanged)
        .collect();
    let statuses: Vec<_> = changed.iter().map(|s| (&s.id, s.status)).collect();
    assert!(
        changed.len() >= 2,
        "the round changes several sections: {statuses:?}"
    );
    assert!(changed.iter().any(|s| s.status == Status::Added));
    assert!(changed.iter().any(|s| s.old_title.is_some()));
    for (review, units) in [(Review::Accept, &new_units), (Review::Reject, &old_units)] {
        let items = docx::reviewed(&document, review);
        let headings: Vec<&str> = items
            .iter()
            .filter_map(|i| match i {
                Item::Para(p) if p.style.as_deref() == Some("Heading2") => Some(p.text.as_str()),
                _ => None,
            })
            .collect();
        for section in &changed {
            let name = upbook::model::docx_names::section_bookmark(&section.id);
            match units.get(&section.id) {
                Some((title, expected)) => {
                    let paras = docx::within(&items, &name);
                    let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
                    assert_eq!(
                        texts.first().copied(),
                        Some(title.as_str()),
                        "{review:?} {}",
                        section.id
                    );
                    assert_eq!(
                        &texts[1..],
                        expected.as_slice(),
                        "{review:?} {}",
                        section.id
                    );
                }
                // A section the version does not have leaves no heading.
                None => assert!(
                    !headings.contains(&section.title.as_str()),
                    "{review:?} {}",
                    section.id
                ),
            }
        }
    }
    // The words changed are tracked as words, not whole paragraphs.
    assert!(
        document.contains("w:delText xml:space=\"preserve\">archive"),
        "{}",
        &document[..0]
    );
    assert!(document.contains("&lt;archive&gt;"));
}

#[test]
fn changes_docx_records_its_author_date_and_requests_as_the_contract_says() {
    let (_tmp, project) = two_releases();
    build_docx(&project);
    let checked = upbook::check(&project).0.expect("the project checks");
    let date = format!("{}T00:00:00Z", checked.releases[1].date);
    let parts = docx::unzip(&project.join("book/v1.1/changes.docx"));
    let custom = docx::part(&parts, "docProps/custom.xml");
    assert_eq!(
        docx::property(&custom, "UpbookDocument").as_deref(),
        Some("changes")
    );
    assert_eq!(
        docx::property(&custom, "UpbookVersion").as_deref(),
        Some("1.1")
    );
    assert_eq!(
        docx::property(&custom, "UpbookCopy").as_deref(),
        Some("playbook")
    );
    assert_eq!(
        docx::property(&custom, "UpbookAuthor").as_deref(),
        Some("Jonas Brandt, Platinum Consultant")
    );
    assert_eq!(
        docx::property(&custom, "UpbookDate").as_deref(),
        Some(date.as_str())
    );

    let document = docx::part(&parts, "word/document.xml");
    let doc = roxmltree::Document::parse(&document).unwrap();
    let revisions: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((docx::W, "ins")) || n.has_tag_name((docx::W, "del")))
        .collect();
    assert!(revisions.len() > 10);
    for r in &revisions {
        assert_eq!(
            r.attribute((docx::W, "author")),
            Some("Jonas Brandt, Platinum Consultant")
        );
        assert_eq!(r.attribute((docx::W, "date")), Some(date.as_str()));
    }
    assert_eq!(
        docx::property(&custom, "UpbookTextHash"),
        Some(contract_hash(&document))
    );

    // The request is a comment on its section's heading, the resolution
    // and the discussion replies under it, each starting with its id.
    let comments = docx::part(&parts, "word/comments.xml");
    let comments = roxmltree::Document::parse(&comments).unwrap();
    let list: Vec<_> = comments
        .descendants()
        .filter(|n| n.has_tag_name((docx::W, "comment")))
        .collect();
    assert_eq!(list.len(), 3, "request, resolution, discussion");
    let text = |n: &roxmltree::Node| {
        n.descendants()
            .filter(|t| t.has_tag_name((docx::W, "t")))
            .filter_map(|t| t.text())
            .collect::<String>()
    };
    assert_eq!(list[0].attribute((docx::W, "author")), Some("Dana Weber"));
    assert_eq!(
        list[0].attribute((docx::W, "date")),
        Some("2027-01-05T00:00:00Z")
    );
    assert!(
        text(&list[0]).starts_with("[CR-001] Name the exact folder & say <when>."),
        "{}",
        text(&list[0])
    );
    assert!(text(&list[1]).starts_with("[CR-001] Resolution: Step 2 now names it."));
    assert_eq!(list[2].attribute((docx::W, "author")), Some("Piotr Nowak"));
    assert!(text(&list[2]).starts_with("[CR-001] And the brokers' folders too?"));
    let extended = docx::part(&parts, "word/commentsExtended.xml");
    let extended = roxmltree::Document::parse(&extended).unwrap();
    const W15: &str = "http://schemas.microsoft.com/office/word/2012/wordml";
    let threads: Vec<_> = extended
        .descendants()
        .filter(|n| n.tag_name().name() == "commentEx")
        .collect();
    let last_para_id = |c: &roxmltree::Node| {
        c.children()
            .rfind(|p| p.has_tag_name((docx::W, "p")))
            .and_then(|p| {
                p.attribute((
                    "http://schemas.microsoft.com/office/word/2010/wordml",
                    "paraId",
                ))
            })
            .unwrap()
            .to_string()
    };
    let parent = last_para_id(&list[0]);
    assert_eq!(threads[0].attribute((W15, "paraId")), Some(parent.as_str()));
    assert_eq!(threads[0].attribute((W15, "paraIdParent")), None);
    for (reply, thread) in list[1..].iter().zip(&threads[1..]) {
        assert_eq!(
            thread.attribute((W15, "paraId")),
            Some(last_para_id(reply).as_str())
        );
        assert_eq!(
            thread.attribute((W15, "paraIdParent")),
            Some(parent.as_str())
        );
    }
    // Anchored on the heading of the section the request targets.
    let heading = doc
        .descendants()
        .find(|n| {
            n.has_tag_name((docx::W, "p"))
                && n.children().any(|b| {
                    b.has_tag_name((docx::W, "bookmarkStart"))
                        && b.attribute((docx::W, "name")) == Some("S_back_up_the_configuration")
                })
        })
        .expect("the section's heading");
    let referenced: Vec<&str> = heading
        .descendants()
        .filter(|n| n.has_tag_name((docx::W, "commentReference")))
        .filter_map(|n| n.attribute((docx::W, "id")))
        .collect();
    assert_eq!(referenced, ["0", "1", "2"]);
}

/// The file contract's text hash, computed from its definition.
/// The contract's hash, written out here: every body paragraph but the
/// contents' (styled `TOC…`, rewritten by Word when updated).
fn contract_hash(document: &str) -> String {
    let doc = roxmltree::Document::parse(document).unwrap();
    let contents = |p: &roxmltree::Node| {
        p.descendants()
            .find(|n| n.has_tag_name((docx::W, "pStyle")))
            .and_then(|s| s.attribute((docx::W, "val")))
            .is_some_and(|v| v.starts_with("TOC"))
    };
    let paragraphs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((docx::W, "p")) && !contents(n))
        .map(|p| {
            let mut text = String::new();
            for n in p.descendants() {
                if n.ancestors().any(|a| a.has_tag_name((docx::W, "del"))) {
                    continue;
                }
                let in_run = n.parent().is_some_and(|r| r.has_tag_name((docx::W, "r")));
                if n.has_tag_name((docx::W, "t")) {
                    text.push_str(n.text().unwrap_or(""));
                } else if in_run && n.has_tag_name((docx::W, "tab")) {
                    text.push('\t');
                } else if in_run && n.has_tag_name((docx::W, "br")) {
                    text.push('\n');
                }
            }
            text
        })
        .collect();
    Sha256::digest(paragraphs.join("\n").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_playbook_is_a_structured_word_document() {
    let (_tmp, project) = example();
    build_docx(&project);
    let checked = upbook::check(&project).0.expect("the project checks");
    let playbook = checked.draft.reference();
    let parts = docx::unzip(&project.join("book/draft/playbook.docx"));
    let document = docx::part(&parts, "word/document.xml");
    let doc = roxmltree::Document::parse(&document).unwrap();
    let w = |name| (docx::W, name);

    // A bookmark per section and per step, named by the contract.
    let bookmarks: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name(w("bookmarkStart")))
        .filter_map(|n| n.attribute(w("name")))
        .collect();
    let mut labels = Vec::new();
    for section in playbook.sections() {
        let name = upbook::model::docx_names::section_bookmark(&section.id);
        assert!(bookmarks.contains(&name.as_str()), "no bookmark {name}");
        for block in section.blocks.iter() {
            if let upbook::model::document::Block::Steps { steps } = block {
                for step in steps {
                    let label = section.step_label(step);
                    assert!(
                        bookmarks.contains(&format!("T_{label}").as_str()),
                        "no bookmark for step {label}"
                    );
                    labels.push(label);
                }
            }
        }
    }
    assert!(
        labels.iter().any(|l| l == "B1"),
        "the example has a back-out plan"
    );
    // Every internal link lands on a bookmark.
    let anchors: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute(w("anchor")))
        .collect();
    assert!(anchors.len() > 20);
    for anchor in anchors {
        assert!(
            bookmarks.contains(&anchor),
            "link to a missing bookmark {anchor}"
        );
    }

    // Steps are a Word numbered list whose numbers are the page's.
    let numbering = docx::part(&parts, "word/numbering.xml");
    let numbering = roxmltree::Document::parse(&numbering).unwrap();
    let formats: HashMap<String, String> = numbering
        .descendants()
        .filter(|n| n.has_tag_name(w("abstractNum")))
        .map(|a| {
            let text = a
                .descendants()
                .find(|n| n.has_tag_name(w("lvlText")))
                .and_then(|n| n.attribute(w("val")))
                .unwrap();
            (
                a.attribute(w("abstractNumId")).unwrap().to_string(),
                text.to_string(),
            )
        })
        .collect();
    let nums: HashMap<String, (String, u32)> = numbering
        .descendants()
        .filter(|n| n.has_tag_name(w("num")))
        .map(|n| {
            let abs = n
                .descendants()
                .find(|c| c.has_tag_name(w("abstractNumId")))
                .and_then(|c| c.attribute(w("val")))
                .unwrap();
            let start = n
                .descendants()
                .find(|c| c.has_tag_name(w("startOverride")))
                .and_then(|c| c.attribute(w("val")))
                .unwrap_or("1");
            (
                n.attribute(w("numId")).unwrap().to_string(),
                (formats[abs].clone(), start.parse().unwrap()),
            )
        })
        .collect();
    let mut counters: HashMap<String, u32> = HashMap::new();
    let mut shown = Vec::new();
    for p in doc.descendants().filter(|n| n.has_tag_name(w("p"))) {
        let style = p
            .descendants()
            .find(|n| n.has_tag_name(w("pStyle")))
            .and_then(|n| n.attribute(w("val")));
        if style != Some("Step") {
            continue;
        }
        let num = p
            .descendants()
            .find(|n| n.has_tag_name(w("numId")))
            .and_then(|n| n.attribute(w("val")))
            .unwrap();
        let (format, start) = &nums[num];
        let counter = counters.entry(num.to_string()).or_insert(*start);
        shown.push(
            format
                .replace("%1", &counter.to_string())
                .trim_end_matches('.')
                .to_string(),
        );
        *counter += 1;
    }
    assert_eq!(shown, labels);

    // Headings the navigation pane lists, code that is not spell-checked.
    let styles = docx::part(&parts, "word/styles.xml");
    assert!(
        styles.contains("w:styleId=\"Heading1\"") && styles.contains("<w:outlineLvl w:val=\"0\"/>")
    );
    let code_style = &styles[styles.find("w:styleId=\"Code\"").unwrap()..];
    assert!(code_style[..code_style.find("</w:style>").unwrap()].contains("<w:noProof/>"));
    let headings: Vec<String> = docx::reviewed(&document, Review::Accept)
        .into_iter()
        .filter_map(|i| match i {
            Item::Para(p) if p.style.as_deref() == Some("Heading2") => Some(p.text),
            _ => None,
        })
        .collect();
    for phase in &playbook.phases {
        assert!(
            headings.contains(&phase.title),
            "no heading for {}",
            phase.title
        );
    }
    // The note's image is in the package and drawn in the body.
    assert!(parts.keys().any(|k| k.starts_with("word/media/image1.png")));
    assert!(document.contains("<a:blip r:embed="));
    assert!(
        document.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"),
        "A4 from book.toml"
    );
    assert!(docx::part(&parts, "word/footer1.xml").contains(" PAGE "));

    let custom = docx::part(&parts, "docProps/custom.xml");
    assert_eq!(
        docx::property(&custom, "UpbookDocument").as_deref(),
        Some("playbook")
    );
    assert_eq!(
        docx::property(&custom, "UpbookVersion").as_deref(),
        Some("draft")
    );
    assert_eq!(
        docx::property(&custom, "UpbookCopy").as_deref(),
        Some("playbook")
    );
    assert_eq!(
        docx::property(&custom, "UpbookTextHash"),
        Some(contract_hash(&document))
    );
    let production = docx::unzip(&project.join("book/draft/production.docx"));
    let custom = docx::part(&production, "docProps/custom.xml");
    assert_eq!(
        docx::property(&custom, "UpbookCopy").as_deref(),
        Some("production")
    );
    assert!(
        docx::part(&production, "word/document.xml").contains("prd-dm01"),
        "the copy's own values"
    );

    edit(
        &project,
        "book.toml",
        "paper = \"a4\"",
        "paper = \"us-letter\"",
    );
    build_docx(&project);
    let letter = docx::unzip(&project.join("book/draft/playbook.docx"));
    assert!(
        docx::part(&letter, "word/document.xml").contains("<w:pgSz w:w=\"12240\" w:h=\"15840\"/>")
    );
}

#[test]
fn word_files_repeat_byte_for_byte_and_leave_every_other_output_as_it_was() {
    let (_tmp, project) = example();
    release(&project, "1.0");
    edit(
        &project,
        "content/notes/02-backup.md",
        "Each\nhost writes",
        "Each\nhost now writes",
    );
    let out = |name: &str| {
        let dir = project.join(name);
        upbook()
            .arg("build")
            .arg(&project)
            .arg("--out")
            .arg(&dir)
            .assert()
            .success();
        snapshot_dir(&dir)
    };
    // An `init` project writes all three formats.
    let with = out("with");
    let again = out("again");
    edit(
        &project,
        "book.toml",
        "formats = [\"html\", \"pdf\", \"docx\"]",
        "formats = [\"html\", \"pdf\"]",
    );
    let without = out("without");
    assert!(with == again, "two builds differ");
    let docx_files: Vec<&String> = with.keys().filter(|k| k.ends_with(".docx")).collect();
    assert!(docx_files.len() >= 5, "{docx_files:?}");
    let others: BTreeMap<&String, &Vec<u8>> =
        with.iter().filter(|(k, _)| !k.ends_with(".docx")).collect();
    let before: BTreeMap<&String, &Vec<u8>> = without.iter().collect();
    assert!(others == before, "adding docx changed another output");

    // The release's files carry the release's date, never the clock.
    let checked = upbook::check(&project).0.unwrap();
    let date = checked.releases[0].date;
    let file = std::fs::File::open(project.join("with/v1.0/playbook.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    for i in 0..zip.len() {
        let t = zip.by_index(i).unwrap().last_modified().unwrap();
        assert_eq!(
            (i32::from(t.year()), t.month(), t.day(), t.hour()),
            (date.year(), u8::from(date.month()), date.day(), 0)
        );
    }
    let core = docx::part(
        &docx::unzip(&project.join("with/v1.0/playbook.docx")),
        "docProps/core.xml",
    );
    assert!(core.contains(&format!("{date}T00:00:00Z")));
}

#[test]
fn customer_text_is_text_in_the_word_xml() {
    let (_tmp, project) = example();
    edit(
        &project,
        "content/engagement.yaml",
        "customer: Kestrel Freight Logistics AG",
        "customer: \"Kestrel <w:p> & \\\"Sons\\\" ]]> 'AG'\"",
    );
    edit(
        &project,
        "book.toml",
        "title = \"CX Messenger 11.2 upgrade playbook\"",
        "title = \"Playbook <b> & ]]> \\\"1\\\"\"",
    );
    edit(
        &project,
        "content/notes/02-backup.md",
        "Each\nhost writes",
        "Each <w:t>x</w:t> & ]]> \"host\"\nwrites",
    );
    build_docx(&project);
    let parts = docx::unzip(&project.join("book/draft/playbook.docx"));
    let document = docx::part(&parts, "word/document.xml");
    let text: String = docx::reviewed(&document, Review::Accept)
        .iter()
        .filter_map(|i| match i {
            Item::Para(p) => Some(p.text.clone() + "\n"),
            Item::End(_) => None,
        })
        .collect();
    assert!(text.contains("Kestrel <w:p> & \"Sons\" ]]> 'AG'"), "{text}");
    assert!(text.contains("Each <w:t>x</w:t> & ]]> \"host\" writes"));
    assert!(!document.contains("<w:p> &"));
    let core = docx::part(&parts, "docProps/core.xml");
    let core = roxmltree::Document::parse(&core).unwrap();
    let title = core
        .descendants()
        .find(|n| n.tag_name().name() == "title")
        .and_then(|n| n.text());
    assert_eq!(title, Some("Playbook <b> & ]]> \"1\""));
    assert!(docx::part(&parts, "word/footer1.xml").contains("Playbook &lt;b&gt; &amp; ]]&gt;"));
}

#[test]
fn libreoffice_opens_every_word_file_and_prints_its_text() {
    let soffice =
        which("soffice").expect("LibreOffice (Debian: libreoffice-writer-nogui) for this test");
    let (tmp, project) = two_releases();
    build_docx(&project);
    let book = project.join("book");
    let files: Vec<_> = walkdir::WalkDir::new(&book)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "docx"))
        .map(|e| e.into_path())
        .collect();
    assert!(files.len() >= 7, "{files:?}");
    let profile = tmp.path().join("lo-profile");
    for file in &files {
        let out = tmp
            .path()
            .join("pdf")
            .join(file.strip_prefix(&book).unwrap().parent().unwrap());
        let status = std::process::Command::new(&soffice)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&out)
            .arg(file)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&status.stderr)
        );
        let pdf = out.join(file.with_extension("pdf").file_name().unwrap());
        assert!(pdf.is_file(), "no PDF from {}", file.display());
        let text = std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains("Kestrel Freight Logistics AG"),
            "{}",
            file.display()
        );
        let name = file.file_name().unwrap().to_string_lossy();
        if name == "changes.docx" {
            assert!(text.contains("Changes from"), "{}", file.display());
            if file.starts_with(book.join("v1.1")) {
                assert!(text.contains("Back up the configuration files"), "{text}");
            }
        } else {
            assert!(text.contains("Back out to 10.0.3"), "{}", file.display());
        }
    }
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}
