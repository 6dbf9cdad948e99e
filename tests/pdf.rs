//! The PDFs, read back as a customer's PDF reader would: text in order,
//! bookmarks, embedded fonts, tagging, and hostile text printed as text.

mod common;

use std::path::Path;

use common::*;
use lopdf::{Document, Object};

fn load(path: &Path) -> Document {
    Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Text with all whitespace removed, since PDF text breaks lines anywhere.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The width of the first page in points (A4 is 595.28, US Letter 612).
fn first_page_width(doc: &Document) -> f32 {
    let page = doc.get_pages().values().next().copied().unwrap();
    let media = doc
        .get_dictionary(page)
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    media[2]
        .as_float()
        .unwrap_or_else(|_| media[2].as_i64().unwrap() as f32)
}

fn outline_titles(doc: &Document) -> Vec<String> {
    fn walk(doc: &Document, id: Option<lopdf::ObjectId>, out: &mut Vec<String>) {
        let mut next = id;
        while let Some(id) = next {
            let Ok(item) = doc.get_dictionary(id) else {
                return;
            };
            if let Ok(text) = item.get(b"Title").and_then(lopdf::decode_text_string) {
                out.push(text);
            }
            walk(
                doc,
                item.get(b"First").and_then(Object::as_reference).ok(),
                out,
            );
            next = item.get(b"Next").and_then(Object::as_reference).ok();
        }
    }
    let mut out = Vec::new();
    let catalog = doc.catalog().expect("catalog");
    let outlines = catalog
        .get(b"Outlines")
        .and_then(Object::as_reference)
        .expect("the PDF has an outline");
    let first = doc
        .get_dictionary(outlines)
        .unwrap()
        .get(b"First")
        .and_then(Object::as_reference)
        .ok();
    walk(doc, first, &mut out);
    out
}

#[test]
fn the_playbook_pdf_has_every_step_in_order_and_a_bookmark_per_section() {
    let (_tmp, project) = example();
    upbook().arg("build").arg(&project).assert().success();
    let draft = project.join("book/draft");
    let doc = load(&draft.join("playbook.pdf"));
    let pages = doc.get_pages().len();
    assert!((8..=60).contains(&pages), "{pages} pages");

    let text = squeeze(&pdf_pages(draft.join("playbook.pdf")).concat());
    let steps = [
        "DownloadtheCXMessenger11.2installer",
        "CopyittothePrimaryDomainManagerhost",
        "Copytheinstallertothebrokerkfl-stg-br01",
        "Copytheinstallertothebrokerkfl-stg-br02",
        "Oneveryhost,unpacktheinstaller",
        "Checkthateachhost",
        "CheckthattheJavaruntime",
        "send10,000testmessagesthroughthesmoke-testchannel",
        "StopthePrimaryDomainManageronkfl-stg-dm01",
        "Fixthedatethatnamesthearchives",
        "ArchivethePrimaryDomainManager",
        "Archivetheconfigurationofthebrokerkfl-stg-br01",
        "Checkthateveryarchiveisonthebackupshare",
        "Runtheupgradeinunattendedmode",
        "Pointofnoreturn.",
        "StarttheDomainManager",
        "Checktheversionitruns",
        "Re-applythecustomsettings",
        "Stopthebrokeronkfl-stg-br02",
    ];
    let mut at = 0;
    for step in steps {
        let found = text[at..]
            .find(step)
            .unwrap_or_else(|| panic!("step {step:?} missing or out of order"));
        at += found + step.len();
    }
    assert!(text.contains("KestrelFreightLogisticsAG"));
    assert!(text.contains("Frequentlyaskedquestions"));
    assert!(!text.contains("{{"), "unresolved variable in the PDF");

    let titles = outline_titles(&doc);
    for section in [
        "Prepare the environment",
        "Back up the configuration",
        "Upgrade the Primary Domain Manager",
        "Upgrade the message brokers",
        "Re-apply the custom settings",
        "Run the non-functional tests",
        "Fix issues found and retest",
        "Back out to 10.0.3",
        "Restore version 10.0.3",
        "Frequently asked questions",
        "Scope",
        "Who does what",
    ] {
        assert!(
            titles.iter().any(|t| t == section),
            "no bookmark {section:?} in {titles:?}"
        );
    }

    // The Production copy has Production's values.
    let production = squeeze(&pdf_pages(draft.join("production.pdf")).concat());
    assert!(production.contains("StopthePrimaryDomainManageronkfl-prd-dm01"));
    // Three brokers in Production, each with its own steps; the staging-only
    // note is left out; the back-out plan counts B1, B2, ...
    for broker in ["kfl-prd-br01", "kfl-prd-br02", "kfl-prd-br03"] {
        assert!(production.contains(&format!("Stopthebrokeron{broker}")));
    }
    assert!(!production.contains("Fixissuesfoundandretest"));
    assert!(
        production.contains("B11Checktheversionandthehealth"),
        "eleven back-out steps in Production, the check last"
    );
    // The report has the request facts.
    let report = squeeze(&pdf_pages(draft.join("report.pdf")).concat());
    for fact in ["2027-01-29", "DanaWeber", "Deadline"] {
        assert!(report.contains(fact), "report.pdf lacks {fact}");
    }
}

#[test]
fn each_phase_of_the_upgrade_starts_a_page() {
    let (_tmp, project) = example();
    upbook().arg("build").arg(&project).assert().success();
    let doc = load(&project.join("book/draft/playbook.pdf"));
    // Each page's text, after the running header (the watermark is
    // drawn, not text).
    let header = "CXMessenger11.2upgradeplaybookDraft";
    let pages: Vec<String> = doc
        .get_pages()
        .keys()
        .map(|&n| squeeze(&doc.extract_text(&[n]).expect("text")))
        .filter_map(|text| text.strip_prefix(header).map(str::to_string))
        .collect();
    assert!(pages.len() > 10, "the running header is {header:?}");
    let starts = |title: &str| pages.iter().filter(|p| p.starts_with(title)).count();
    // The first phase shares its page with the part's heading.
    assert_eq!(starts("UpgradestepsPreparetheenvironment"), 1);
    for phase in [
        "Backuptheconfiguration",
        "Upgradethedevelopmentorstagingenvironment",
        "Test",
        "Fixissuesandretest",
    ] {
        assert!(
            starts(phase) >= 1,
            "no page starts with the phase {phase:?}"
        );
    }
}

#[test]
fn the_contents_list_every_bookmark_at_the_page_it_is_on() {
    let (_tmp, project) = example();
    upbook().arg("build").arg(&project).assert().success();
    let doc = load(&project.join("book/draft/playbook.pdf"));
    let pages: Vec<String> = doc
        .get_pages()
        .keys()
        .map(|&n| squeeze(&doc.extract_text(&[n]).expect("text")))
        .collect();
    // The contents follow the cover; the body starts after the last page
    // that lists entries.
    let listing: Vec<usize> = (1..pages.len())
        .take_while(|&i| pages[i].contains("....."))
        .collect();
    assert_eq!(listing.first(), Some(&1), "the contents are on page 2");
    let contents: String = listing.iter().map(|&i| pages[i].as_str()).collect();
    let body_starts = listing.last().unwrap() + 1;
    let titles = outline_titles(&doc);
    assert!(titles.len() > 15, "bookmarks: {titles:?}");
    for title in titles {
        let title = squeeze(&title);
        // `Title.....12`: the title, the leader dots, the page number.
        let page = contents
            .match_indices(&title)
            .find_map(|(at, _)| {
                let rest = contents[at + title.len()..].strip_prefix('.')?;
                let digits: String = rest
                    .trim_start_matches('.')
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                digits.parse::<usize>().ok()
            })
            .unwrap_or_else(|| panic!("the contents do not list {title:?} with a page"));
        assert!(
            page > body_starts && pages[page - 1].contains(&title),
            "the contents put {title:?} on page {page}, which does not show it"
        );
    }
}

#[test]
fn fonts_are_embedded_and_the_pdf_is_tagged() {
    let (_tmp, project) = fixture("small");
    upbook().arg("build").arg(&project).assert().success();
    let doc = load(&project.join("book/draft/playbook.pdf"));
    let mut fonts = 0;
    for (_, object) in doc.objects.iter() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"FontDescriptor") {
            fonts += 1;
            assert!(
                dict.has(b"FontFile") || dict.has(b"FontFile2") || dict.has(b"FontFile3"),
                "a font is not embedded: {dict:?}"
            );
        }
    }
    assert!(fonts > 0, "no fonts at all");
    let catalog = doc.catalog().unwrap();
    assert!(catalog.has(b"StructTreeRoot"), "not tagged");
    let mark = catalog
        .get(b"MarkInfo")
        .and_then(Object::as_dict)
        .expect("MarkInfo");
    assert_eq!(
        mark.get(b"Marked").and_then(Object::as_bool).ok(),
        Some(true)
    );
    // A4 unless book.toml says otherwise.
    let width = first_page_width(&doc);
    assert!((width - 595.28).abs() < 1.0, "width {width}");
}

#[test]
fn us_letter_when_asked() {
    let (_tmp, project) = fixture("small");
    edit(
        &project,
        "book.toml",
        "formats = [\"html\", \"pdf\"]",
        "formats = [\"html\", \"pdf\"]\npaper = \"us-letter\"",
    );
    upbook().arg("build").arg(&project).assert().success();
    let doc = load(&project.join("book/draft/playbook.pdf"));
    let width = first_page_width(&doc);
    assert!((width - 612.0).abs() < 1.0, "width {width}");
}

#[test]
fn two_builds_give_identical_pdfs() {
    let (_tmp, project) = fixture("small");
    upbook().arg("build").arg(&project).assert().success();
    let first = std::fs::read(project.join("book/draft/playbook.pdf")).unwrap();
    let report = std::fs::read(project.join("book/draft/report.pdf")).unwrap();
    upbook().arg("build").arg(&project).assert().success();
    assert_eq!(
        first,
        std::fs::read(project.join("book/draft/playbook.pdf")).unwrap()
    );
    assert_eq!(
        report,
        std::fs::read(project.join("book/draft/report.pdf")).unwrap()
    );
}

#[test]
fn text_that_looks_like_typst_prints_literally() {
    let (_tmp, project) = fixture("small");
    let hostile = "Evil #read(\"/etc/hostname\") $x^2$ *bold* _it_ @ref <lbl> \\\\ Corp";
    edit(
        &project,
        "content/engagement.yaml",
        "customer: Fixture Freight <script>alert(\"x\")</script> & Co",
        &format!("customer: '{hostile}'"),
    );
    edit(
        &project,
        "content/notes/a.md",
        "Stop everything",
        "#set text(red) `#panic()` Stop everything",
    );
    upbook().arg("build").arg(&project).assert().success();
    let text = squeeze(&pdf_pages(project.join("book/draft/playbook.pdf")).concat());
    assert!(
        text.contains(&squeeze(hostile)),
        "customer name not literal in {text}"
    );
    assert!(text.contains("#settext(red)#panic()Stopeverything"));
    let report = squeeze(&pdf_pages(project.join("book/draft/report.pdf")).concat());
    assert!(report.contains(&squeeze(hostile)));
}

#[test]
fn a_pdf_template_error_names_the_theme_file() {
    let (_tmp, project) = fixture("small");
    let theme = custom_theme(&project);
    std::fs::write(
        theme.join("report.typ"),
        "#import \"common.typ\": *\n#show: setup.with(\"x\")\n\n= Report\n#facts.no_such_field\n",
    )
    .unwrap();
    let out = upbook().arg("build").arg(&project).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("PDF template error"), "{stderr}");
    assert!(stderr.contains("themes/custom/report.typ:5:"), "{stderr}");
    assert!(!project.join("book").exists());
}

#[test]
fn a_template_cannot_read_files_outside_upbook() {
    let (_tmp, project) = fixture("small");
    let theme = custom_theme(&project);
    std::fs::write(theme.join("report.typ"), "#read(\"/etc/hostname\")\n").unwrap();
    let out = upbook().arg("build").arg(&project).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("access"), "{stderr}");
}
