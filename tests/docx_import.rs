//! A reviewer's Word edits come back as change requests: a released
//! .docx edited with Track Changes on and commented, imported with
//! `upbook requests import DIR reviewed.docx`, found in the next build's
//! report and change view. The files are built as Word stores them (see
//! `common::docx`).

mod common;

use common::docx::{Docx, write_zip};
use common::*;

const EPOCH: &str = "1767225600"; // 2026-01-01
const DANA: &str = "Dana Weber";
const LEE: &str = "Lee Okafor";
const WHEN: &str = "2027-01-12T10:31:00Z";

fn released() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, project) = example();
    upbook()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("release")
        .arg(&project)
        .arg("1.0")
        .assert()
        .success();
    (tmp, project)
}

fn import(project: &std::path::Path, file: &std::path::Path) -> assert_cmd::assert::Assert {
    upbook()
        .args(["requests", "import"])
        .arg(project)
        .arg(file)
        .assert()
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

fn requests_file(project: &std::path::Path) -> Option<String> {
    std::fs::read_to_string(project.join("content/reviews/change-requests.yaml")).ok()
}

#[test]
fn a_reviewed_playbook_becomes_requests_in_the_report_and_the_change_view() {
    let (tmp, project) = released();
    let mut doc = Docx::released(&project, "1.0", "playbook");
    // A tracked replacement in a step, as the page numbers it.
    let step = doc
        .paragraphs
        .iter()
        .position(|p| p.step.is_some())
        .unwrap();
    let label = doc.paragraphs[step].step.clone().unwrap();
    let section = doc.paragraphs[step].section.clone().unwrap();
    let old = doc.paragraphs[step]
        .text
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    doc.track_replace(step, &old, "Verify", DANA, WHEN);
    // A comment on a few words outside the steps, with a colleague's reply.
    let heading = doc.find(&section, "");
    let title = doc.paragraphs[heading].text.clone();
    let comment = doc.comment(
        heading,
        &title,
        DANA,
        "2027-01-13T09:00:00Z",
        "Who signs this off?",
    );
    doc.reply(
        comment,
        LEE,
        "2027-01-14T08:00:00Z",
        "The change board, on Tuesdays.",
    );
    // A comment they marked done in Word is settled: no request.
    let settled = doc
        .paragraphs
        .iter()
        .rposition(|p| p.step.is_some())
        .unwrap();
    let word = doc.paragraphs[settled]
        .text
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let done = doc.comment(settled, &word, LEE, WHEN, "Typo?");
    doc.resolve(done);
    let file = tmp.path().join("reviewed.docx");
    doc.write(&file);

    let out = import(&project, &file).success();
    assert!(
        stderr(&out)
            .contains("Added 2 requests to content/reviews/change-requests.yaml: CR-001, CR-002."),
        "{}",
        stderr(&out)
    );
    let yaml = requests_file(&project).unwrap();
    let edit = format!("In step {label}, replace `{old}` with `Verify`");
    let asked = format!("In {title}, on `{title}`: Who signs this off?");
    for expected in [
        format!("- id: CR-001\n  raised_against: \"1.0\"\n  section: {section}\n  raised_by: \"Dana Weber\"\n  date: 2027-01-12\n  kind: change\n  request: \"{edit}\"\n  status: open\n  copy: Playbook\n"),
        format!("- id: CR-002\n  raised_against: \"1.0\"\n  section: {section}\n  raised_by: \"Dana Weber\"\n  date: 2027-01-13\n  kind: clarification\n  request: \"{asked}\""),
        "    - by: \"Lee Okafor\"\n      date: 2027-01-14\n      text: \"The change board, on Tuesdays.\"".to_string(),
    ] {
        assert!(yaml.contains(&expected), "expected {expected:?} in:\n{yaml}");
    }

    // The same file again adds nothing.
    let again = import(&project, &file).success();
    assert!(
        stderr(&again).contains("Added no request (2 already there)."),
        "{}",
        stderr(&again)
    );
    assert_eq!(requests_file(&project).unwrap(), yaml);

    // The next build's report lists them.
    build_html(&project);
    let report = words(&read(project.join("book/draft/report.html")));
    assert!(report.contains("CR-001"), "{report}");
    assert!(report.contains(&edit), "{report}");
    assert!(report.contains("Who signs this off?"), "{report}");

    // The consultant answers in the note; release 1.1's change view shows
    // the request beside the changed section.
    let note = project.join(&doc.sources[&section]);
    let text = read(&note);
    std::fs::write(&note, format!("{text}\nThe change board signs this off.\n")).unwrap();
    upbook()
        .env("SOURCE_DATE_EPOCH", "1767398400")
        .arg("release")
        .arg(&project)
        .arg("1.1")
        .assert()
        .success();
    upbook()
        .arg("build")
        .arg(&project)
        .args(["--format", "html"])
        .assert()
        .success();
    let changes = words(&read(project.join("book/v1.1/changes.html")));
    assert!(changes.contains("CR-001"), "{changes}");
    assert!(changes.contains(&edit), "{changes}");
}

#[test]
fn an_edit_outside_every_section_is_located_and_nothing_is_written() {
    let (tmp, project) = released();
    let mut doc = Docx::released(&project, "1.0", "playbook");
    let step = doc
        .paragraphs
        .iter()
        .position(|p| p.step.is_some())
        .unwrap();
    let old = doc.paragraphs[step]
        .text
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    doc.track_replace(step, &old, "Verify", DANA, WHEN);
    // The title page's paragraph lies in no section.
    doc.track_replace(0, "playbook", "runbook", LEE, WHEN);
    let file = tmp.path().join("reviewed.docx");
    doc.write(&file);
    let before = requests_file(&project);
    let out = import(&project, &file).code(1);
    let err = stderr(&out);
    assert!(
        err.contains(
            "reviewed.docx, paragraph 1: Lee Okafor's edit is outside every section of the playbook"
        ),
        "{err}"
    );
    assert!(err.contains("comment there instead"), "{err}");
    assert!(err.contains("Nothing was imported."), "{err}");
    assert_eq!(requests_file(&project), before);
}

#[test]
fn a_new_paragraph_and_a_copys_own_step_numbers() {
    let (tmp, project) = released();
    let mut doc = Docx::released(&project, "1.0", "production");
    // The last step of the copy: its number is the copy's, not the
    // playbook's.
    let step = doc
        .paragraphs
        .iter()
        .rposition(|p| p.step.is_some())
        .unwrap();
    let label = doc.paragraphs[step].step.clone().unwrap();
    doc.track_new_paragraph(step, "Tell the service desk.", DANA, WHEN);
    let file = tmp.path().join("production.docx");
    doc.write(&file);
    import(&project, &file).success();
    let yaml = requests_file(&project).unwrap();
    assert!(
        yaml.contains(&format!(
            "request: \"In step {label}, add the paragraph `Tell the service desk.`\""
        )),
        "{yaml}"
    );
    assert!(yaml.contains("  copy: Production\n"), "{yaml}");
    // One request: the inserted paragraph mark before it says nothing more.
    assert_eq!(yaml.matches("\n- id:").count(), 1, "{yaml}");
}

#[test]
fn upbooks_own_revisions_and_comments_are_not_requests_but_a_reply_is() {
    let (tmp, project) = released();
    add_example_requests(&project);
    let mut doc = Docx::released(&project, "1.0", "playbook");
    doc.set_property("UpbookDocument", "changes");
    // A revision upbook wrote itself (its author and date): the text as
    // sent has it accepted, so the hash is taken over the new words.
    let step = doc
        .paragraphs
        .iter()
        .position(|p| p.step.is_some())
        .unwrap();
    let old = doc.paragraphs[step]
        .text
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    doc.track_replace(step, &old, "Verify", "Alex Brandt", "2026-01-01T00:00:00Z");
    let new_text = doc.paragraphs[step].text.replacen(&old, "Verify", 1);
    doc.paragraphs[step].text = new_text;
    let all: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
    let hash = upbook::model::docx_names::text_hash(&all.join("\n"));
    doc.set_property("UpbookTextHash", &hash);
    // Anchored elsewhere, the reply still belongs to CR-001's section.
    let heading = doc.find("measure-the-baseline", "");
    let theirs = doc.upbook_comment(
        heading,
        "Dana Weber",
        "2027-01-05T00:00:00Z",
        "[CR-001] Keep the report.",
    );
    doc.reply(theirs, LEE, WHEN, "Also on the share, please.");
    let file = tmp.path().join("changes.docx");
    doc.write(&file);
    let out = import(&project, &file).success();
    assert!(stderr(&out).contains("Added 1 request"), "{}", stderr(&out));
    let yaml = requests_file(&project).unwrap();
    assert!(
        yaml.contains("section: back-up-the-configuration\n  raised_by: \"Lee Okafor\"\n  date: 2027-01-12\n  kind: clarification\n  request: \"Reply on CR-001: Also on the share, please.\""),
        "{yaml}"
    );
    assert!(!yaml.contains("Verify"), "{yaml}");
}

/// Files that cannot be read as a reviewer's tracked edits on a release:
/// each refused with what to do, and nothing written.
#[test]
fn files_that_are_not_a_releases_tracked_review_are_refused() {
    let (tmp, project) = released();
    let base = || Docx::released(&project, "1.0", "playbook");
    let step = base()
        .paragraphs
        .iter()
        .position(|p| p.step.is_some())
        .unwrap();
    let old = base().paragraphs[step]
        .text
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let other = base()
        .paragraphs
        .iter()
        .rposition(|p| p.step.is_some())
        .unwrap();
    let other_word = base().paragraphs[other]
        .text
        .split_whitespace()
        .last()
        .unwrap()
        .to_string();

    let mut untracked = base();
    untracked.untracked_replace(step, &old, "Verify");
    let mut mixed = base();
    mixed.track_replace(step, &old, "Verify", DANA, WHEN);
    mixed.untracked_replace(other, &other_word, "changed");
    let mut draft = base();
    draft.set_property("UpbookVersion", "draft");
    let mut foreign = base();
    foreign.remove_property("UpbookVersion");
    let mut unknown = base();
    unknown.set_property("UpbookVersion", "3.0");
    let mut bomb = base();
    bomb.extra
        .push(("word/document.xml".into(), vec![b' '; 40 << 20]));
    let mut entities = base();
    entities.extra.push((
        "docProps/custom.xml".into(),
        b"<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]><Properties>&b;</Properties>".to_vec(),
    ));

    let cases: Vec<(&str, Option<Docx>, &str, &str)> = vec![
        (
            "untracked",
            Some(untracked),
            "was edited without Track Changes",
            "turn on Review > Track Changes",
        ),
        (
            "mixed",
            Some(mixed),
            "holds edits made with Track Changes off beside the tracked ones",
            "turn on Review > Track Changes",
        ),
        (
            "draft",
            Some(draft),
            "is a draft's: requests are raised against a release",
            "after `upbook release`",
        ),
        (
            "foreign",
            Some(foreign),
            "was not written by upbook: it has no `UpbookVersion` property",
            "as the reviewer saved it",
        ),
        (
            "unknown",
            Some(unknown),
            "is from release 3.0, which this project does not have",
            "releases: 1.0",
        ),
        (
            "bomb",
            Some(bomb),
            "its part word/document.xml unpacks to more than 32 MB",
            "import the .docx of a release",
        ),
        (
            "entities",
            Some(entities),
            "its part docProps/custom.xml declares a document type",
            "import the .docx of a release",
        ),
        (
            "not-zip",
            None,
            "is not a Word document upbook can read: it is not a zip package",
            "import the .docx of a release",
        ),
    ];
    let before = requests_file(&project);
    for (name, doc, message, hint) in cases {
        let file = tmp.path().join(format!("{name}.docx"));
        match doc {
            Some(doc) => doc.write(&file),
            None => std::fs::write(&file, "- raised_against: 1.0\n").unwrap(),
        }
        let out = import(&project, &file).code(1);
        let err = stderr(&out);
        assert!(
            err.contains(message),
            "{name}: expected {message:?} in:\n{err}"
        );
        assert!(err.contains(hint), "{name}: expected {hint:?} in:\n{err}");
        assert!(err.contains("Nothing was imported."), "{name}: {err}");
        assert_eq!(requests_file(&project), before, "{name}");
    }

    // A zip whose directory claims a small part that unpacks to 40 MB:
    // the bytes unpacked are counted, not the claim.
    let liar = tmp.path().join("liar.docx");
    let mut parts = base().parts();
    for (name, bytes) in &mut parts {
        if name == "word/document.xml" {
            *bytes = vec![b' '; 40 << 20];
        }
    }
    write_zip(&liar, &parts);
    let mut zip = std::fs::read(&liar).unwrap();
    let name = b"word/document.xml";
    for (signature, size_at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
        let header = (0..zip.len() - 4)
            .find(|&i| {
                let after = (i + 4 + 46 + name.len()).min(zip.len());
                &zip[i..i + 4] == signature && zip[i..after].windows(name.len()).any(|w| w == name)
            })
            .expect("the part's header");
        zip[header + size_at..header + size_at + 4].copy_from_slice(&100u32.to_le_bytes());
    }
    std::fs::write(&liar, zip).unwrap();
    let err = stderr(&import(&project, &liar).code(1));
    assert!(err.contains("its part word/document.xml"), "{err}");
    assert_eq!(requests_file(&project), before);
}

/// Not a check: writes a large reviewed file beside a project that has
/// release 1.0, to time an import by hand (see the report of this
/// branch): a tracked edit in every step, a comment on every 25th other
/// paragraph.
/// `UPBOOK_DOCX_BENCH=DIR cargo test --test docx_import -- --ignored`
#[test]
#[ignore]
fn write_a_large_reviewed_file() {
    let Some(project) = std::env::var_os("UPBOOK_DOCX_BENCH") else {
        return;
    };
    let project = std::path::PathBuf::from(project);
    let mut doc = Docx::released(&project, "1.0", "playbook");
    for i in 0..doc.paragraphs.len() {
        let p = &doc.paragraphs[i];
        let Some(first) = p.text.split_whitespace().next().map(str::to_string) else {
            continue;
        };
        if p.step.is_some() {
            doc.track_replace(i, &first, "Verify", DANA, WHEN);
        } else if p.section.is_some() && i % 25 == 0 {
            doc.comment(i, &first, LEE, WHEN, "Why this?");
        }
    }
    doc.write(&project.join("reviewed-large.docx"));
}

/// The whole loop with the file upbook itself writes: `build` makes
/// release 1.0's `playbook.docx`; the reviewer replaces a step's words
/// with Track Changes on and comments on them, as Word stores both; the
/// import finds the step and section through the writer's own bookmarks
/// and accepts the file's text hash.
#[test]
fn a_built_playbook_docx_edited_as_word_does_comes_back_as_requests() {
    let (tmp, project) = released();
    upbook()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("build")
        .arg(&project)
        .args(["--format", "docx"])
        .assert()
        .success();
    let built = project.join("book/v1.0/playbook.docx");
    let mut parts = common::word::unzip(&built);
    let document = common::word::part(&parts, "word/document.xml");

    // The first step's first run of text.
    let label = document
        .split("w:name=\"T_")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a step bookmark")
        .to_string();
    let at = document.find(&format!("w:name=\"T_{label}\"")).unwrap();
    let t = at + document[at..].find("<w:t").unwrap();
    let run_start = document[..t].rfind("<w:r>").unwrap();
    let run_end = t + document[t..].find("</w:r>").unwrap() + "</w:r>".len();
    let run = &document[run_start..run_end];
    let text_start = run.find('>').unwrap();
    let text_start = text_start + run[text_start + 1..].find("<w:t").unwrap() + 1;
    let text_start = text_start + run[text_start..].find('>').unwrap() + 1;
    let old = &run[text_start..run[text_start..].find("</w:t>").unwrap() + text_start];
    assert!(!old.trim().is_empty(), "a step starts with words: {run}");
    let reviewed_run = format!(
        "<w:commentRangeStart w:id=\"77\"/>\
         <w:del w:id=\"9001\" w:author=\"{DANA}\" w:date=\"{WHEN}\"><w:r><w:delText xml:space=\"preserve\">{old}</w:delText></w:r></w:del>\
         <w:ins w:id=\"9002\" w:author=\"{DANA}\" w:date=\"{WHEN}\"><w:r><w:t xml:space=\"preserve\">Check the mount first</w:t></w:r></w:ins>\
         <w:commentRangeEnd w:id=\"77\"/><w:r><w:commentReference w:id=\"77\"/></w:r>"
    );
    let document = format!(
        "{}{reviewed_run}{}",
        &document[..run_start],
        &document[run_end..]
    );
    // Word fills in the contents' page numbers when its field is updated:
    // not an edit.
    let toc = document.find("w:val=\"TOC1\"").expect("a contents line");
    let end = toc + document[toc..].find("</w:hyperlink>").unwrap();
    let document = format!(
        "{}<w:r><w:tab/><w:t>3</w:t></w:r>{}",
        &document[..end],
        &document[end..]
    );
    parts.insert("word/document.xml".into(), document.into_bytes());
    parts.insert(
        "word/comments.xml".into(),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:comments xmlns:w=\"{}\"><w:comment w:id=\"77\" w:author=\"{LEE}\" \
             w:date=\"2027-01-13T09:00:00Z\" w:initials=\"LO\"><w:p><w:r><w:t>Which mount?</w:t></w:r></w:p>\
             </w:comment></w:comments>",
            common::word::W
        )
        .into_bytes(),
    );
    let rels = common::word::part(&parts, "word/_rels/document.xml.rels").replace(
        "</Relationships>",
        "<Relationship Id=\"rIdReview\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"comments.xml\"/></Relationships>",
    );
    parts.insert("word/_rels/document.xml.rels".into(), rels.into_bytes());
    let types = common::word::part(&parts, "[Content_Types].xml").replace(
        "</Types>",
        "<Override PartName=\"/word/comments.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml\"/></Types>",
    );
    parts.insert("[Content_Types].xml".into(), types.into_bytes());
    let file = tmp.path().join("reviewed.docx");
    write_zip(&file, &parts.into_iter().collect::<Vec<_>>());

    let out = import(&project, &file).success();
    assert!(stderr(&out).contains("CR-001, CR-002"), "{}", stderr(&out));
    let yaml = requests_file(&project).unwrap();
    let edit = format!(
        "In step {label}, replace `{}` with `Check the mount first`",
        old.trim()
    );
    assert!(yaml.contains(&edit), "expected {edit:?} in:\n{yaml}");
    assert!(yaml.contains("raised_by: \"Lee Okafor\""), "{yaml}");
    assert!(yaml.contains("Which mount?"), "{yaml}");

    build_html(&project);
    let report = words(&read(project.join("book/draft/report.html")));
    assert!(report.contains("Check the mount first"), "{report}");
    assert!(report.contains("Which mount?"), "{report}");
}
