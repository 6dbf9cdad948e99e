//! The guide in `docs/` kept in step with the code, in one direction: what
//! upbook knows must be documented, and what the guide shows must work.
//!
//! - every command and option `upbook -h` lists (walked down the tree of
//!   subcommands) has its place in `docs/commands.md`;
//! - every key a project file may hold (the fields of each struct the
//!   loaders read with `deny_unknown_fields`, the lists behind "unknown
//!   field" errors) is named in the guide;
//! - every example written as a project file (a fenced block whose info
//!   string holds `file=PATH`) builds, put with the rest of its page's
//!   examples into a new project;
//! - every relative link between the Markdown pages, and every `#anchor`
//!   into one of them, resolves.
//!
//! The guide may say more than the code knows (a command another branch
//! adds), never less.

#[path = "../common/mod.rs"]
mod common;
mod help;
mod markdown;
mod source;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use common::*;
use markdown::{anchors, code_spans, file_examples, headings, prose};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The guide's pages, `docs/*.md`, by file name.
fn guide() -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    for entry in fs::read_dir(root().join("docs")).expect("docs/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            pages.insert(name, read(&path));
        }
    }
    pages
}

/// All the guide's pages as a reader sees them: without HTML comments,
/// which hold notes for maintainers, not documentation.
fn guide_text() -> String {
    let mut text = String::new();
    for page in guide().into_values() {
        let mut rest = page.as_str();
        while let Some(at) = rest.find("<!--") {
            text.push_str(&rest[..at]);
            rest = rest[at..]
                .find("-->")
                .map_or("", |end| &rest[at + end + 3..]);
        }
        text.push_str(rest);
    }
    text
}

// ---------------------------------------------------------------------
// Commands and options

/// Whether `span` (a heading's code span) names the command `words`:
/// `upbook requests import` or `upbook requests import [DIR] FILE`, but
/// not `upbook requests import` for `upbook requests`.
fn names_command(span: &str, words: &str) -> bool {
    let Some(rest) = span.strip_prefix(words) else {
        return false;
    };
    rest.is_empty()
        || rest.starts_with(' ')
            && rest[1..]
                .chars()
                .next()
                .is_some_and(|c| matches!(c, '[' | '<' | '-') || c.is_ascii_uppercase())
}

/// Whether `text` holds `option` as a whole word (`--out`, not `--output`).
fn holds_option(text: &str, option: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-';
    text.match_indices(option).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + option.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

#[test]
fn every_command_and_option_is_in_the_commands_page() {
    let page = read(root().join("docs/commands.md"));
    let lines: Vec<&str> = page.lines().collect();
    let heads = headings(&page);
    let all = help::commands();
    let global: BTreeSet<String> = all[0].options.iter().cloned().collect();
    // The walk found the tree, or this test would check nothing.
    assert!(all.len() >= 10, "found only {} commands", all.len());
    assert!(global.contains("--quiet"), "{global:?}");
    assert!(
        all.iter()
            .any(|c| c.path == ["build"] && c.options.iter().any(|o| o == "--out")),
        "the walk did not read build's options"
    );

    let mut missing = Vec::new();
    for option in &global {
        if !holds_option(&page, option) {
            missing.push(format!("global option {option}"));
        }
    }
    for cli in all.iter().skip(1) {
        let (last, parent) = cli.path.split_last().unwrap();
        let prefix = std::iter::once("upbook".to_string())
            .chain(parent.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        let names: Vec<String> = std::iter::once(last.clone())
            .chain(cli.aliases.iter().cloned())
            .map(|name| format!("{prefix} {name}"))
            .collect();
        for name in &names {
            if !page.contains(name.as_str()) {
                missing.push(format!("`{name}` is not named"));
            }
        }
        // The command's own section: from a heading that names it (by any
        // of its names) to the next heading at its level or above.
        let Some(&(start, level, _)) = heads.iter().find(|(_, _, line)| {
            code_spans(line)
                .iter()
                .any(|span| names.iter().any(|n| names_command(span, n)))
        }) else {
            missing.push(format!("no heading names `{}`", names[0]));
            continue;
        };
        let end = heads
            .iter()
            .find(|&&(i, l, _)| i > start && l <= level)
            .map_or(lines.len(), |&(i, _, _)| i);
        let section = lines[start..end].join("\n");
        for option in cli.options.iter().filter(|o| !global.contains(*o)) {
            if !holds_option(&section, option) {
                missing.push(format!("`{}`: option {option}", names[0]));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/commands.md is behind the CLI:\n  {}",
        missing.join("\n  ")
    );
}

// ---------------------------------------------------------------------
// Configuration keys and values

/// Whether the guide names `key` as a key: `` `key` ``, `key:` in YAML,
/// `key =` or `[key]` in TOML.
fn documents_key(guide: &str, key: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    [
        format!("`{key}`"),
        format!("{key}:"),
        format!("{key} ="),
        format!("[{key}]"),
    ]
    .iter()
    .any(|form| {
        guide.match_indices(form.as_str()).any(|(at, _)| {
            form.starts_with(['`', '[']) || !guide[..at].chars().next_back().is_some_and(word)
        })
    })
}

#[test]
fn every_key_the_loaders_know_is_in_the_guide() {
    let guide = guide_text();
    let structs = source::known_keys();
    let all: BTreeSet<&str> = structs
        .iter()
        .flat_map(|s| s.keys.iter().map(String::as_str))
        .collect();
    // The scan found the loaders' structs, or this test would check nothing.
    for sure in [
        "title",
        "site_url",
        "raised_against",
        "point_of_no_return",
        "found_in",
    ] {
        assert!(
            all.contains(sure),
            "the scan of src/ missed `{sure}`: {all:?}"
        );
    }
    assert!(structs.len() >= 15, "found only {} structs", structs.len());

    let missing: Vec<String> = structs
        .iter()
        .flat_map(|s| {
            s.keys
                .iter()
                .filter(|key| !documents_key(&guide, key))
                .map(move |key| format!("`{key}` ({} in {})", s.name, s.file))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "keys the loaders accept that docs/ never names:\n  {}",
        missing.join("\n  ")
    );
}

/// Whether `text` holds `word` with no letter, digit, `-` or `_` on
/// either side.
fn holds_word(text: &str, word: &str) -> bool {
    let part = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    text.match_indices(word).any(|(at, _)| {
        !text[..at].chars().next_back().is_some_and(part)
            && !text[at + word.len()..].chars().next().is_some_and(part)
    })
}

/// The values a key may take (`role: development | staging | …`), when
/// it is read as one of a fixed set, are in the guide too.
#[test]
fn every_value_of_a_fixed_set_is_in_the_guide() {
    let guide = guide_text();
    let enums = source::value_enums();
    assert!(
        enums
            .get("Paper")
            .is_some_and(|v| v.contains(&"us-letter".to_string())),
        "the scan of src/ missed the paper sizes: {enums:?}"
    );
    let mut missing = BTreeSet::new();
    let mut checked = 0;
    for s in source::known_keys() {
        for (key, ty) in s.keys.iter().zip(&s.types) {
            let words = ty.split(|c: char| !(c.is_alphanumeric() || c == '_'));
            for values in words.filter_map(|w| enums.get(w)) {
                for value in values {
                    checked += 1;
                    if !holds_word(&guide, value) {
                        missing.insert(format!("`{key}: {value}` ({} in {})", s.name, s.file));
                    }
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} values were found");
    assert!(
        missing.is_empty(),
        "values the loaders accept that docs/ never names:\n  {}",
        missing.into_iter().collect::<Vec<_>>().join("\n  ")
    );
}

// ---------------------------------------------------------------------
// Examples

#[test]
fn every_example_in_the_guide_builds() {
    let mut pages_with_examples = 0;
    let mut files = 0;
    for (name, page) in guide() {
        let examples = file_examples(&page);
        if examples.is_empty() {
            continue;
        }
        pages_with_examples += 1;
        // A user's project after the first release, so requests raised
        // against 1.0 are valid, then the page's files in the order shown.
        let (_tmp, project) = example();
        release(&project, "1.0");
        for (path, text) in &examples {
            assert!(
                !path.contains("..") && !path.starts_with('/'),
                "{name}: file={path} must be inside the project"
            );
            let dest = project.join(path);
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::write(&dest, text).unwrap();
            files += 1;
        }
        let out = upbook()
            .arg("build")
            .arg(&project)
            .args(["--format", "html"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "the examples of docs/{name} do not build:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Each example reached the build: a note's title is on the page.
        for (path, text) in &examples {
            if let Some(title) = path
                .starts_with("content/notes/")
                .then(|| text.lines().find_map(|l| l.strip_prefix("title: ")))
                .flatten()
            {
                let title = title.split(" #").next().unwrap().trim();
                // In the main playbook or, for a note `only` some copies
                // show, in a copy.
                let shown = fs::read_dir(project.join("book/draft"))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|e| e == "html"))
                    .any(|p| read(p).contains(title));
                assert!(shown, "{name}: {path}'s `{title}` is not built");
            }
        }
    }
    assert!(
        pages_with_examples >= 5 && files >= 6,
        "only {files} examples on {pages_with_examples} pages were found"
    );
}

// ---------------------------------------------------------------------
// Links

/// The Markdown an author reads: the README, CONTRIBUTING, the benches'
/// README and the guide.
fn markdown_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["README.md", "CONTRIBUTING.md", "benches/README.md"]
        .iter()
        .map(|f| root().join(f))
        .collect();
    files.extend(guide().keys().map(|name| root().join("docs").join(name)));
    files
}

#[test]
fn every_link_between_the_pages_resolves() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in markdown_files() {
        let text = prose(&read(&file));
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')').unwrap_or(rest.len())];
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
            let dest = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            let shown = format!(
                "{}: ({target})",
                file.strip_prefix(root()).unwrap().display()
            );
            if !dest.exists() {
                broken.push(format!("{shown}: no such file"));
            } else if !anchor.is_empty() {
                let is_md = dest.extension().is_some_and(|e| e == "md");
                if !is_md || !anchors(&read(&dest)).contains(anchor) {
                    broken.push(format!("{shown}: no heading #{anchor}"));
                }
            }
        }
    }
    assert!(checked >= 40, "only {checked} links were found");
    assert!(
        broken.is_empty(),
        "broken links:\n  {}",
        broken.join("\n  ")
    );
}

/// The guide's pages are all reachable from its index.
#[test]
fn the_index_lists_every_page() {
    let index = read(root().join("docs/README.md"));
    for name in guide().keys().filter(|n| *n != "README.md") {
        assert!(
            index.contains(&format!("({name})")),
            "docs/README.md does not link {name}"
        );
    }
}
