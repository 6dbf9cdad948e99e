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

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use common::*;

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

/// One command as `-h` describes it.
struct Cli {
    /// `["requests", "import"]`; empty for `upbook` itself.
    path: Vec<String>,
    /// Other names for the last word of `path` (`[aliases: …]` in the
    /// parent's list).
    aliases: Vec<String>,
    /// `--out`, `-p`, … as listed under "Options:".
    options: Vec<String>,
    /// The subcommands listed under "Commands:", with their aliases.
    subcommands: Vec<(String, Vec<String>)>,
}

fn help(path: &[String], aliases: Vec<String>) -> Cli {
    let out = upbook().args(path).arg("-h").output().expect("upbook -h");
    assert!(out.status.success(), "upbook {path:?} -h failed");
    parse_help(
        path,
        aliases,
        &String::from_utf8(out.stdout).expect("utf-8 help"),
    )
}

fn parse_help(path: &[String], aliases: Vec<String>, text: &str) -> Cli {
    let mut cli = Cli {
        path: path.to_vec(),
        aliases,
        options: Vec::new(),
        subcommands: Vec::new(),
    };
    let mut heading = "";
    for line in text.lines() {
        if !line.starts_with(' ') {
            heading = line;
            continue;
        }
        let item = line.trim_start();
        match heading {
            "Commands:" if !line.starts_with("   ") => {
                let name = item.split_whitespace().next().unwrap_or("");
                let aliases = item
                    .find("[alias")
                    .map(|at| {
                        let list = &item[at..];
                        list[list.find(':').unwrap() + 1..]
                            .trim_end_matches(']')
                            .split(',')
                            .map(|a| a.trim().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                if !name.is_empty() && name != "help" {
                    cli.subcommands.push((name.to_string(), aliases));
                }
            }
            "Options:" if item.starts_with('-') => {
                let words = item.split("  ").next().unwrap_or("");
                for word in words.split([',', ' ']) {
                    if word.starts_with('-') {
                        cli.options.push(word.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    cli
}

/// Every command, from `upbook` down.
fn commands() -> Vec<Cli> {
    let mut found = Vec::new();
    let mut todo = vec![(Vec::<String>::new(), Vec::new())];
    while let Some((path, aliases)) = todo.pop() {
        let cli = help(&path, aliases);
        for (sub, aliases) in &cli.subcommands {
            let mut child = path.clone();
            child.push(sub.clone());
            todo.push((child, aliases.clone()));
        }
        found.push(cli);
    }
    found
}

/// clap's way of listing an alias, as `upbook changes` will have `diff`.
#[test]
fn help_is_read_with_aliases_and_short_options() {
    let text = "Usage: upbook [OPTIONS] <COMMAND>\n\nCommands:\n  \
        changes  Show what changed [aliases: diff]\n  \
        help     Print this message\n\nOptions:\n  \
        -p, --port <PORT>  Port [default: 3000]\n      \
        --open             Open it\n";
    let cli = parse_help(&[], Vec::new(), text);
    assert_eq!(
        cli.subcommands,
        [("changes".to_string(), vec!["diff".to_string()])]
    );
    assert_eq!(cli.options, ["-p", "--port", "--open"]);
}

/// The heading lines of `page`, with their level and line index.
fn headings(page: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut fenced = false;
    for (i, line) in page.lines().enumerate() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            let level = line.chars().take_while(|&c| c == '#').count();
            out.push((i, level, line));
        }
    }
    out
}

/// The code spans of one line.
fn code_spans(line: &str) -> Vec<&str> {
    line.split('`').skip(1).step_by(2).collect()
}

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
    let all = commands();
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
// Configuration keys

/// A struct read with `deny_unknown_fields`: where it is, its keys, and
/// the type each key is read as.
struct KnownKeys {
    file: String,
    name: String,
    keys: Vec<String>,
    types: Vec<String>,
}

/// Every `#[serde(deny_unknown_fields)]` struct under `src/`, with the
/// keys serde accepts for it (renames applied, skipped fields left out).
fn known_keys() -> Vec<KnownKeys> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(root().join("src")) {
        let entry = entry.expect("walk src");
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let file = entry
                .path()
                .strip_prefix(root())
                .unwrap()
                .display()
                .to_string();
            found.extend(structs_in(&file, &read(entry.path())));
        }
    }
    found
}

/// The lines of `text` with attributes that span lines joined into one.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut open = String::new();
    for line in text.lines() {
        let line = line.trim();
        if !open.is_empty() || line.starts_with("#[") {
            open.push_str(line);
            open.push(' ');
            let depth: i32 = open
                .chars()
                .map(|c| match c {
                    '[' | '(' => 1,
                    ']' | ')' => -1,
                    _ => 0,
                })
                .sum();
            if depth <= 0 {
                out.push(std::mem::take(&mut open));
            }
        } else {
            out.push(line.to_string());
        }
    }
    out
}

/// The value of `name = "…"` inside an attribute.
fn attr_value<'a>(attr: &'a str, name: &str) -> Option<&'a str> {
    let at = attr.find(&format!("{name} = \""))?;
    let rest = &attr[at + name.len() + 4..];
    rest.split('"').next()
}

fn attr_words(attr: &str) -> impl Iterator<Item = &str> {
    attr.split(|c: char| !(c.is_alphanumeric() || c == '_'))
}

fn structs_in(file: &str, text: &str) -> Vec<KnownKeys> {
    let lines = logical_lines(text);
    let mut found = Vec::new();
    let mut attrs: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].as_str();
        i += 1;
        if line.starts_with("#[") {
            attrs.push(line);
            continue;
        }
        if line.starts_with("//") {
            continue;
        }
        let strict = attrs.iter().any(|a| a.contains("deny_unknown_fields"));
        let rename_all = attrs.iter().find_map(|a| attr_value(a, "rename_all"));
        attrs.clear();
        let decl = line
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub ");
        let Some(name) = decl
            .strip_prefix("struct ")
            .and_then(|d| d.strip_suffix(" {"))
        else {
            continue;
        };
        if !strict {
            continue;
        }
        let mut keys = Vec::new();
        let mut types = Vec::new();
        let mut field_attrs: Vec<&str> = Vec::new();
        while i < lines.len() && lines[i] != "}" {
            let field = lines[i].as_str();
            i += 1;
            if field.starts_with("#[") {
                field_attrs.push(field);
                continue;
            }
            if field.starts_with("//") || field.is_empty() {
                continue;
            }
            let field = field
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ");
            let Some((ident, ty)) = field.split_once(':') else {
                continue;
            };
            let serde: Vec<&str> = field_attrs
                .iter()
                .copied()
                .filter(|a| a.starts_with("#[serde"))
                .collect();
            field_attrs.clear();
            let skipped = serde.iter().any(|a| {
                attr_words(a).any(|w| matches!(w, "skip" | "skip_deserializing" | "flatten"))
            });
            if skipped {
                continue;
            }
            let key = match serde.iter().find_map(|a| attr_value(a, "rename")) {
                Some(renamed) => renamed.to_string(),
                None => match rename_all {
                    None | Some("snake_case") => ident.trim().to_string(),
                    Some("kebab-case") => ident.trim().replace('_', "-"),
                    Some(other) => panic!("{file}: teach tests/docs.rs rename_all = {other:?}"),
                },
            };
            keys.push(key);
            types.push(ty.trim().to_string());
        }
        found.push(KnownKeys {
            file: file.to_string(),
            name: name.to_string(),
            keys,
            types,
        });
    }
    found
}

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
    let structs = known_keys();
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

/// The serde enums of unit variants under `src/` (a value such as
/// `role: staging`), by name, with the words each variant is read from.
fn value_enums() -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root().join("src")) {
        let entry = entry.expect("walk src");
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let lines = logical_lines(&read(entry.path()));
        let mut attrs: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i].as_str();
            i += 1;
            if line.starts_with("#[") {
                attrs.push(line);
                continue;
            }
            if line.starts_with("//") {
                continue;
            }
            let deserialized = attrs
                .iter()
                .any(|a| a.starts_with("#[derive") && a.contains("Deserialize"));
            let rename_all = attrs.iter().find_map(|a| attr_value(a, "rename_all"));
            let tagged = attrs.iter().any(|a| attr_value(a, "tag").is_some());
            attrs.clear();
            let Some(name) = line
                .trim_start_matches("pub ")
                .strip_prefix("enum ")
                .and_then(|d| d.strip_suffix(" {"))
            else {
                continue;
            };
            let mut values = Vec::new();
            let mut unit = !tagged;
            let mut renamed = None;
            while i < lines.len() && lines[i] != "}" {
                let variant = lines[i].as_str();
                i += 1;
                if variant.starts_with("#[serde") {
                    renamed = attr_value(variant, "rename").map(str::to_string);
                }
                if variant.starts_with("#[") || variant.starts_with("//") {
                    continue;
                }
                let Some(ident) = variant.strip_suffix(',') else {
                    unit = false;
                    continue;
                };
                if !ident.chars().all(char::is_alphanumeric) {
                    unit = false;
                }
                values.push(renamed.take().unwrap_or_else(|| match rename_all {
                    Some("lowercase") => ident.to_lowercase(),
                    Some("kebab-case") => kebab(ident),
                    _ => ident.to_string(),
                }));
            }
            if deserialized && unit && !values.is_empty() {
                found.insert(name.to_string(), values);
            }
        }
    }
    found
}

/// `UsLetter` as serde's kebab-case writes it: `us-letter`.
fn kebab(ident: &str) -> String {
    let mut out = String::new();
    for (i, c) in ident.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('-');
        }
        out.extend(c.to_lowercase());
    }
    out
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
    let enums = value_enums();
    assert!(
        enums
            .get("Paper")
            .is_some_and(|v| v.contains(&"us-letter".to_string())),
        "the scan of src/ missed the paper sizes: {enums:?}"
    );
    let mut missing = BTreeSet::new();
    let mut checked = 0;
    for s in known_keys() {
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

/// The fenced blocks of `page` tagged `file=PATH`, as (path, text).
fn file_examples(page: &str) -> Vec<(String, String)> {
    let mut examples = Vec::new();
    let mut open: Option<(String, String)> = None;
    let mut fence = "";
    for line in page.lines() {
        match &mut open {
            None if line.starts_with("```") => {
                fence = &line[..line.chars().take_while(|&c| c == '`').count()];
                let path = line[fence.len()..]
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("file="));
                open = Some((path.unwrap_or("").to_string(), String::new()));
            }
            Some(_) if line.trim_end() == fence => {
                let (path, text) = open.take().unwrap();
                if !path.is_empty() {
                    examples.push((path, text));
                }
            }
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    examples
}

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

/// `text` without fenced blocks and code spans, where `](` is not a link.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            out.extend(line.split('`').step_by(2));
            out.push('\n');
        }
    }
    out
}

/// GitHub's anchors for the headings of `page`.
fn anchors(page: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for (_, _, line) in headings(page) {
        let text = line.trim_start_matches('#').trim().replace('`', "");
        // A link in a heading counts by its text.
        let mut plain = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("](") {
            plain.push_str(&rest[..at].replace('[', ""));
            rest = &rest[at..];
            rest = &rest[rest.find(')').map_or(rest.len(), |e| e + 1)..];
        }
        plain.push_str(rest);
        let slug: String = plain
            .to_lowercase()
            .chars()
            .filter(|&c| c.is_alphanumeric() || c == '-' || c == '_' || c == ' ')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let n = seen.entry(slug.clone()).or_default();
        out.insert(if *n == 0 {
            slug.clone()
        } else {
            format!("{slug}-{n}")
        });
        *n += 1;
    }
    out
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
