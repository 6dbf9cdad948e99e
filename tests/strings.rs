//! Every fixed word a reader sees comes from the strings table
//! (`themes/default/strings/en.toml`), so a later language is one file:
//! no template or script of the built-in theme holds words of its own,
//! every word in the table is used, and a pseudo-language reaches every
//! page, PDF and Word file.

mod common;
mod theme_words;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use theme_words::{css_words, html_words, script_words, typst_words, without};

fn theme() -> &'static [(&'static str, &'static str)] {
    upbook::defaults::THEME
}

/// The built-in theme's templates and scripts write no words of their
/// own. (Break one on purpose, say `<h2>Summary</h2>` in changes.html or
/// `[Contents]` in common.typ, and this fails naming it.)
#[test]
fn no_template_or_script_of_the_built_in_theme_holds_words_of_its_own() {
    let mut found = Vec::new();
    let mut read = 0;
    for (name, text) in theme() {
        let words = if name.ends_with(".html") {
            html_words(text)
        } else if name.ends_with(".typ") {
            typst_words(text)
        } else if name.ends_with(".js") {
            script_words(text)
        } else if name.ends_with(".css") {
            css_words(text)
        } else {
            continue;
        };
        read += 1;
        found.extend(words.into_iter().map(|w| format!("{name}: {w}")));
    }
    // versions.js is written by upbook, not the theme: it is a script
    // every page runs all the same.
    let versions = read_repo("src/render/html/versions.js");
    found.extend(
        script_words(&versions)
            .into_iter()
            .map(|w| format!("versions.js: {w}")),
    );
    assert!(read >= 13, "read only {read} templates, scripts and styles");
    assert!(
        found.is_empty(),
        "words outside strings/en.toml:\n{}",
        found.join("\n")
    );
}

fn read_repo(path: &str) -> String {
    read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
}

/// Every key of the built-in table: (key, text).
fn english() -> Vec<(String, String)> {
    let table: toml::Table = toml::from_str(upbook::strings::ENGLISH).unwrap();
    table
        .into_iter()
        .map(|(k, v)| (k, v.as_str().unwrap().to_string()))
        .collect()
}

/// Every Rust source under `src/`, as one text.
fn rust_sources() -> String {
    fn walk(dir: &Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push_str(&read(&path));
            }
        }
    }
    let mut out = String::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// No dead words: each key of the table is asked for by a template, a
/// script or upbook's own code, by its name or as one of a family
/// (`callout_` + a callout's kind).
#[test]
fn every_word_in_the_table_is_used() {
    let mut uses = String::new();
    for (name, text) in theme() {
        if name.ends_with(".html") || name.ends_with(".typ") || name.ends_with(".js") {
            uses.push_str(text);
        }
    }
    uses.push_str(&read_repo("src/render/html/versions.js"));
    let rust = rust_sources();
    // Families: `strings["changes_status_" ~ x]`, `fill("callout_" + x)`,
    // `strings.name("finding_status", label)`.
    let mut families = BTreeSet::new();
    for (text, opens) in [
        (uses.as_str(), &["strings[\"", "fill(\""][..]),
        (rust.as_str(), &[".name(\""][..]),
    ] {
        for open in opens {
            for (at, _) in text.match_indices(open) {
                let rest = &text[at + open.len()..];
                let name: String = rest.chars().take_while(|c| *c != '"').collect();
                let after = rest[name.len() + 1..].trim_start();
                if name.ends_with('_') && (after.starts_with('~') || after.starts_with('+')) {
                    families.insert(name);
                } else if open == &".name(\"" {
                    families.insert(format!("{name}_"));
                }
            }
        }
    }
    let used = |key: &str| {
        let script = key.strip_prefix("script_");
        let asked = [
            format!("strings.{key} "),
            format!("strings.{key}|"),
            format!("strings.{key})"),
            format!("strings.{key},"),
            format!("strings.{key}\n"),
            format!("\"{key}\""),
        ];
        asked
            .iter()
            .any(|a| uses.contains(a.as_str()) || rust.contains(a.as_str()))
            || script.is_some_and(|s| {
                uses.contains(&format!("t(\"{s}\")")) || uses.contains(&format!("fill(\"{s}\""))
            })
            || families.iter().any(|f| key.starts_with(f.as_str()))
    };
    let dead: Vec<String> = english()
        .into_iter()
        .map(|(key, _)| key)
        .filter(|key| !used(key))
        .collect();
    assert!(families.len() >= 5, "families found: {families:?}");
    assert!(dead.is_empty(), "words nothing asks for: {dead:?}");
}

/// The pseudo-language `xx`: each vowel of the table's text swapped for
/// an accented one, placeholders kept, so no English phrase of the table
/// can be left in a page that took all its words from it.
fn pseudo(text: &str) -> String {
    let mut out = String::new();
    let mut in_placeholder = false;
    for c in text.chars() {
        match c {
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            _ => {}
        }
        out.push(match c {
            _ if in_placeholder => c,
            'a' => 'á',
            'e' => 'é',
            'i' => 'í',
            'o' => 'ó',
            'u' => 'ú',
            'A' => 'Á',
            'E' => 'É',
            'I' => 'Í',
            'O' => 'Ó',
            'U' => 'Ú',
            _ => c,
        });
    }
    out
}

/// The phrases of the table worth looking for: each run of its text
/// between placeholders that holds two words or more.
fn phrases() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, text) in english() {
        let mut rest = text.as_str();
        loop {
            let (piece, next) = match rest.find('{') {
                Some(open) => (
                    &rest[..open],
                    rest[open..].find('}').map(|c| &rest[open + c + 1..]),
                ),
                None => (rest, None),
            };
            let words = piece
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| w.chars().count() > 1)
                .count();
            if words >= 2 {
                out.push((key.clone(), squeeze(piece)));
            }
            match next {
                Some(next) => rest = next,
                None => break,
            }
        }
    }
    out
}

/// What a reader can see or hear of a page: its text and the attributes
/// a screen reader reads.
fn page_words(html: &str) -> String {
    // A single file's inlined scripts and styles are code (the scripts'
    // words are checked above, in their source).
    let mut html = html.to_string();
    for (open, close) in [("<script", "</script>"), ("<style", "</style>")] {
        html = without(&html, open, close, " ");
    }
    let html = html.as_str();
    let mut out = words(html);
    for attribute in ["title=\"", "aria-label=\"", "alt=\"", "placeholder=\""] {
        for (at, _) in html.match_indices(attribute) {
            let value = &html[at + attribute.len()..];
            out.push_str(" | ");
            out.push_str(&visible_text(&value[..value.find('"').unwrap_or(0)]));
        }
    }
    out
}

fn docx_words(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = String::new();
    for name in [
        "word/document.xml",
        "word/comments.xml",
        "docProps/core.xml",
    ] {
        if let Ok(mut part) = zip.by_name(name) {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut part, &mut xml).unwrap();
            // Paragraphs apart, runs joined as Word shows them.
            out.push_str(&visible_text(&xml.replace("</w:p>", " </w:p>")));
            out.push(' ');
        }
    }
    squeeze(&out)
}

/// Built in a pseudo-language, a project's every output (pages and their
/// scripts' data, PDFs, Word files, of the draft, a release and the
/// change view) holds no phrase of the English table: each fixed text
/// upbook writes comes from the table. Text that is the project's own
/// (its notes, the built-in process it reads) may say anything.
#[test]
fn a_pseudo_language_leaves_no_english_phrase_of_the_table_in_any_output() {
    let (_tmp, project) = example();
    let table: String = english()
        .into_iter()
        .map(|(key, text)| format!("{key} = {}\n", toml::Value::String(pseudo(&text))))
        .collect();
    custom_words(&project, "xx", &table);
    edit(
        &project,
        "book.toml",
        "language = \"en\"",
        "language = \"xx\"",
    );
    release(&project, "1.0");
    let note = std::fs::read_dir(project.join("content/notes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let text = read(&note);
    std::fs::write(
        &note,
        format!("{text}\nA paragraph added after the release.\n"),
    )
    .unwrap();
    upbook().arg("build").arg(&project).assert().success();

    // The project's own words, and the built-in process's.
    let mut sources = String::new();
    for dir in [
        project.join("content"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("defaults"),
    ] {
        for entry in walkdir::WalkDir::new(dir).into_iter().map(Result::unwrap) {
            if entry.file_type().is_file() {
                sources.push_str(&squeeze(&read(entry.path())));
                sources.push('\n');
            }
        }
    }
    let phrases: Vec<(String, String)> = phrases()
        .into_iter()
        .filter(|(_, p)| !sources.contains(p.as_str()))
        .collect();
    assert!(phrases.len() > 150, "only {} phrases", phrases.len());

    let mut outputs = 0;
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(project.join("book"))
        .into_iter()
        .map(Result::unwrap)
    {
        let path = entry.path();
        let name = path.display().to_string();
        let text = match path.extension().and_then(|e| e.to_str()) {
            Some("html") => page_words(&read(path)),
            // The data in versions.js and the search indexes; not their
            // code, whose words are checked in its source.
            Some("js") if !name.contains("/assets/") => read(path)
                .lines()
                .filter(|l| l.starts_with("window."))
                .collect::<Vec<_>>()
                .join("\n"),
            Some("pdf") => squeeze(&pdf_pages(path).join(" ")),
            Some("docx") => docx_words(path),
            _ => continue,
        };
        outputs += 1;
        for (key, phrase) in &phrases {
            if text.contains(phrase.as_str()) {
                found.push(format!("{name}: `{key}`: {phrase}"));
            }
        }
    }
    assert!(outputs >= 20, "read only {outputs} outputs");
    assert!(found.is_empty(), "English left:\n{}", found.join("\n"));
}

/// A translation may put a sentence's values in another order; they stay
/// escaped wherever they go, and a link the template makes goes in whole.
#[test]
fn a_translation_reorders_a_sentence_and_its_values_stay_escaped() {
    let (_tmp, project) = example();
    custom_words(
        &project,
        "en",
        "playbook_final_note = \"{reference}{on}: {by} accepted {version}.\"\n\
         no_return_at = \"{step} is the point of no return.\"\n",
    );
    upbook()
        .args(["release"])
        .arg(&project)
        .args([
            "1.0",
            "--final",
            "--accepted-by",
            "<img src=x onerror=alert(1)> & co",
        ])
        .args([
            "--accepted-on",
            "2027-01-12",
            "--reference",
            "CAB \"7\"",
            "--accept-open",
        ])
        .assert()
        .success();
    upbook().arg("build").arg(&project).assert().success();
    let page = read(project.join("book/v1.0/index.html"));
    assert!(
        page.contains(
            "<p class=\"final-note\" role=\"note\"> (CAB &quot;7&quot;) on 2027-01-12: \
             &lt;img src=x onerror=alert(1)&gt; &amp; co accepted 1.0."
        ),
        "{}",
        section(&page, "content")
    );
    assert!(!page.contains("<img src=x"));
    // The step's link, made by the template, leads the sentence now.
    let summary = &page[page.find("no-return-summary").unwrap()..];
    assert!(
        summary.starts_with("no-return-summary\"><strong><a href=\"#step-"),
        "{}",
        &summary[..200]
    );
    assert!(
        words(summary).contains("\" step 1"),
        "{}",
        &words(summary)[..80]
    );
    assert!(words(summary).contains(" is the point of no return. Up to it,"));
}

/// A placeholder a translation misspells is named, with the template it
/// was asked from, rather than left in the page.
#[test]
fn a_misspelt_placeholder_is_an_error_that_names_it() {
    let (_tmp, project) = example();
    custom_words(
        &project,
        "en",
        "no_return_summary = \"Up to it, {verison} is undone; then the {plan}.\"\n",
    );
    let out = upbook().arg("build").arg(&project).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("`{verison}`"), "{stderr}");
    assert!(stderr.contains("playbook.html"), "{stderr}");
    assert!(!project.join("book").exists());
}
