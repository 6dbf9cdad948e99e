//! What the loaders accept, read from `src/`: the keys of every struct
//! read with `deny_unknown_fields` (the lists behind "unknown field"
//! errors) and the values of every enum of unit variants.

use std::collections::BTreeMap;

use super::common::read;
use super::root;

/// A struct read with `deny_unknown_fields`: where it is, its keys, and
/// the type each key is read as.
pub struct KnownKeys {
    pub file: String,
    pub name: String,
    pub keys: Vec<String>,
    pub types: Vec<String>,
}

/// Every `#[serde(deny_unknown_fields)]` struct under `src/`, with the
/// keys serde accepts for it (renames applied, skipped fields left out).
pub fn known_keys() -> Vec<KnownKeys> {
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
                    Some(other) => {
                        panic!("{file}: teach tests/docs/source.rs rename_all = {other:?}")
                    }
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

/// The serde enums of unit variants under `src/` (a value such as
/// `role: staging`), by name, with the words each variant is read from.
pub fn value_enums() -> BTreeMap<String, Vec<String>> {
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
