//! The PDFs read back as paper: `pdftotext -layout` gives each page's
//! lines as printed, and the tests fail where a reader with a pen would
//! go wrong: a code line broken without its mark, a short code block split
//! across pages, a heading or a step's first line left at the foot of a
//! page, the watermark's letters in the text.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

/// Each page's lines as `pdftotext -layout` prints them.
fn pages(pdf: &Path) -> Vec<Vec<String>> {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8(out.stdout)
        .expect("UTF-8 text")
        .split('\u{c}')
        .map(|page| page.lines().map(str::to_string).collect())
        .collect()
}

/// The page (from 0) of the first line holding `needle`.
fn page_of(pages: &[Vec<String>], needle: &str) -> usize {
    pages
        .iter()
        .position(|p| p.iter().any(|l| l.contains(needle)))
        .unwrap_or_else(|| panic!("{needle:?} is on no page"))
}

/// The last line of a page's body: the last line above the footer.
fn last_body_line(page: &[String]) -> Option<&str> {
    page.iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .rfind(|l| !(l.contains("Page ") && l.contains(" of ")))
}

/// How many continuation marks the page content draws: the mark is the
/// only stroke of its width (see `code-mark` in `common.typ`).
fn marks_drawn(pdf: &Path) -> usize {
    let doc = lopdf::Document::load(pdf).expect("a PDF");
    let mut count = 0;
    for (_, page) in doc.get_pages() {
        let content = doc.get_and_decode_page_content(page).expect("content");
        count += content
            .operations
            .iter()
            .filter(|op| {
                op.operator == "w"
                    && op
                        .operands
                        .first()
                        .and_then(|o| o.as_float().ok())
                        .is_some_and(|w| (w - 0.65).abs() < 0.001)
            })
            .count();
    }
    count
}

/// The small fixture with one more note: `body` under the title `title`.
fn with_note(title: &str, body: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, project) = fixture("small");
    fs::write(
        project.join("content/notes/paper.md"),
        format!("---\ntitle: {title}\nphase: upgrade-environment\norder: 5\n---\n{body}"),
    )
    .unwrap();
    (tmp, project)
}

fn build_pdf(project: &Path) {
    upbook()
        .arg("build")
        .arg(project)
        .args(["--format", "pdf"])
        .assert()
        .success();
}

#[test]
fn a_long_command_wraps_with_a_mark_and_reads_back_whole() {
    let long = "ssh kfl-prd-br03 sudo tar -xzf /mnt/backup/cxm/cxm-10.0.3-kfl-prd-br03-2027-01-12T0400.tar.gz \
                --strip-components=1 -C /srv/cxm/brokers/kfl-prd-br03/conf/broker.properties.d/overrides";
    let token = "x".repeat(150);
    let body = format!(
        "1. Restore the broker's files:\n\n   ```bash\n   {long}\n   echo {token}\n   echo short\n   ```\n"
    );
    let (_tmp, project) = with_note("Restore the broker", &body);
    build_pdf(&project);
    let pdf = project.join("book/draft/playbook.pdf");
    let pages = pages(&pdf);
    let page = &pages[page_of(&pages, "ssh kfl-prd-br03")];
    let first = page
        .iter()
        .position(|l| l.contains("ssh kfl-prd-br03"))
        .unwrap();
    let indent = |l: &str| l.len() - l.trim_start().len();
    // The command's pieces follow each other, each after the first
    // indented further, and put together they are the command again.
    let mut pieces = vec![page[first].trim().to_string()];
    let mut next = first + 1;
    while !page[next].contains("echo") {
        assert!(
            indent(&page[next]) > indent(&page[first]),
            "a continuation is indented: {:?}",
            page[next]
        );
        pieces.push(page[next].trim().to_string());
        next += 1;
    }
    assert!(pieces.len() >= 2, "the command was wrapped: {pieces:?}");
    let joined: String = pieces.concat();
    assert_eq!(
        squeeze_all(&joined),
        squeeze_all(long),
        "the pieces make the command"
    );
    // A line with no space to break at is cut anyway, also with a mark.
    let token_lines = page.iter().filter(|l| l.contains("xxxxxxxxxx")).count();
    assert!(token_lines >= 2, "the long token is wrapped too");
    let breaks = pieces.len() - 1 + token_lines - 1;
    assert_eq!(
        marks_drawn(&pdf),
        breaks,
        "every break, and only a break, carries a mark"
    );
    // The mark is drawn, not written: none of the text is an arrow.
    assert!(!page.iter().any(|l| l.contains('↩') || l.contains('␣')));
    // The short line is left as it is.
    assert!(page.iter().any(|l| l.trim() == "echo short"));
}

/// Whitespace removed, since the break after a space leaves it at the end
/// of a piece that `trim` took.
fn squeeze_all(text: &str) -> String {
    text.split_whitespace().collect()
}

#[test]
fn short_code_blocks_never_split_and_long_ones_say_continued() {
    // Forty steps of a line and a twelve-line block: page breaks must fall
    // among them, and every block and its step stay on one page.
    let mut body = String::new();
    for n in 1..=40 {
        body.push_str(&format!("{n}. Check item {n}:\n\n    ```bash\n"));
        for line in 1..=12 {
            body.push_str(&format!("    echo block{n:02}-line{line:02}\n"));
        }
        body.push_str("    ```\n");
    }
    body.push_str("\nThe whole log:\n\n```text\n");
    for line in 1..=90 {
        body.push_str(&format!("entry{line:03} written\n"));
    }
    body.push_str("```\n");
    let (_tmp, project) = with_note("Check every item", &body);
    build_pdf(&project);
    let pages = pages(&project.join("book/draft/playbook.pdf"));
    let mut seen_pages = std::collections::BTreeSet::new();
    for n in 1..=40 {
        let step = page_of(&pages, &format!("Check item {n}:"));
        let first = page_of(&pages, &format!("block{n:02}-line01"));
        let last = page_of(&pages, &format!("block{n:02}-line12"));
        assert_eq!(
            (step, first),
            (last, last),
            "step {n}, its first and last line on one page"
        );
        seen_pages.insert(step);
    }
    assert!(seen_pages.len() > 3, "the blocks ran over several pages");
    // The long block runs over a page, and says so at both ends.
    let start = page_of(&pages, "entry001");
    let end = page_of(&pages, "entry090");
    assert!(end > start, "ninety lines do not fit one page");
    let all = |p: usize| pages[p].join("\n");
    assert!(all(start).contains("continued on the next page"));
    assert!(all(end).contains("continued from the previous page"));
    assert!(!all(start).contains("continued from the previous page"));
    assert!(!all(end).contains("continued on the next page"));
}

#[test]
fn no_heading_or_step_start_is_left_at_the_foot_of_a_page() {
    // Sections of a heading, a step of one line and a six-line command,
    // and a short table: however they fall, none is parted from what it
    // introduces.
    let mut body = String::new();
    for n in 1..=30 {
        body.push_str(&format!(
            "### Part {n} heading\n\n{n}. Run part {n}:\n\n    ```bash\n"
        ));
        for line in 1..=6 {
            body.push_str(&format!("    run part{n:02}-cmd{line}\n"));
        }
        body.push_str(&format!(
            "    ```\n\n| Host | Part |\n|---|---|\n| a{n} | p{n} |\n| b{n} | p{n} |\n| c{n} | p{n} |\n| d{n} | p{n} |\n\n"
        ));
    }
    let (_tmp, project) = with_note("Many parts", &body);
    build_pdf(&project);
    let pages = pages(&project.join("book/draft/playbook.pdf"));
    for n in 1..=30 {
        let heading = page_of(&pages, &format!("Part {n} heading"));
        let step = page_of(&pages, &format!("Run part {n}:"));
        let command = page_of(&pages, &format!("run part{n:02}-cmd1"));
        let first_row = page_of(&pages, &format!("a{n} "));
        let last_row = page_of(&pages, &format!("d{n} "));
        assert_eq!(heading, step, "part {n}'s heading stays with its step");
        assert_eq!(step, command, "step {n} stays with its command");
        assert_eq!(first_row, last_row, "part {n}'s short table is whole");
    }
    for (i, page) in pages.iter().enumerate() {
        if let Some(last) = last_body_line(page) {
            assert!(
                !last.contains(" heading") && !last.contains("Run part"),
                "page {} ends with {last:?}",
                i + 1
            );
        }
    }
}

#[test]
fn the_draft_watermark_is_not_in_the_text() {
    let (_tmp, project) = fixture("small");
    build_pdf(&project);
    for name in ["playbook.pdf", "production.pdf", "report.pdf"] {
        let pages = pages(&project.join("book/draft").join(name));
        for (i, page) in pages.iter().enumerate() {
            for line in page {
                let t = line.trim();
                assert!(
                    !(t.len() == 1 && "DRAFT".contains(t)),
                    "{name} page {}: a watermark letter in the text: {t:?}",
                    i + 1
                );
                assert!(!t.contains("DRAFT"), "{name} page {}: {t:?}", i + 1);
            }
        }
        // The pages still say what they are, in words.
        assert!(pages[1].join(" ").contains("Draft"), "{name} says Draft");
    }
}
