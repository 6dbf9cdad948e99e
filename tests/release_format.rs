//! Releases outlive the model: a release committed by a customer years ago
//! renders byte for byte with every later upbook. The releases under
//! `tests/fixtures/releases/` were written by `upbook release` and are
//! never rewritten (`tests/fixtures/releases/README.md` says how a new one
//! is added); each `<name>.sha256` records every file of its `book/v1.0/`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/releases")
}

/// `path  sha256` for every file of a built version folder.
fn hashes(dir: &Path) -> BTreeMap<String, String> {
    snapshot_dir(dir)
        .into_iter()
        .map(|(name, bytes)| {
            let hash: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            (name, hash)
        })
        .collect()
}

fn record(name: &str) -> BTreeMap<String, String> {
    read(fixtures().join(format!("{name}.sha256")))
        .lines()
        .map(|l| {
            let (hash, path) = l.split_once("  ").expect("`HASH  PATH` lines");
            (path.to_string(), hash.to_string())
        })
        .collect()
}

#[test]
fn a_release_of_format_1_renders_byte_for_byte() {
    let (_tmp, project) = fixture("releases/format-1");
    upbook().arg("build").arg(&project).assert().success();
    let made = hashes(&project.join("book/v1.0"));
    let recorded = record("format-1");
    let differ: Vec<&String> = recorded
        .keys()
        .chain(made.keys())
        .filter(|k| made.get(*k) != recorded.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "release 1.0 of tests/fixtures/releases/format-1 renders differently: {differ:?}"
    );
    // Building never rewrites a release.
    assert_eq!(
        snapshot_dir(&project.join("releases")),
        snapshot_dir(&fixtures().join("format-1/releases"))
    );
}

/// The stored fields are frozen: every field a committed release holds is
/// read back into the model and written out again the same. A renamed,
/// retyped or dropped field fails here; it needs a new format and a
/// migration step (`src/snapshot/format.rs`), not an edit of this file.
#[test]
fn every_stored_field_survives_reading_and_writing_again() {
    let path = fixtures().join("format-1/releases/1.0/playbook.json");
    let stored: Value = serde_json::from_str(&read(&path)).unwrap();
    let playbook = upbook::snapshot::format::read(read(&path).as_bytes()).unwrap();
    let again: Value =
        serde_json::from_slice(&upbook::snapshot::format::to_vec(&playbook).unwrap()).unwrap();
    if let Some(at) = first_missing(&stored, &again, String::new()) {
        panic!("the model no longer keeps {at} of a format-1 release");
    }
}

/// Where `old` has something `new` does not keep (a key missing, a value
/// changed), as a JSON path; new keys in `new` are fine.
fn first_missing(old: &Value, new: &Value, at: String) -> Option<String> {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => o.iter().find_map(|(k, v)| match n.get(k) {
            Some(w) => first_missing(v, w, format!("{at}.{k}")),
            None => Some(format!("{at}.{k}")),
        }),
        (Value::Array(o), Value::Array(n)) if o.len() == n.len() => o
            .iter()
            .zip(n)
            .enumerate()
            .find_map(|(i, (v, w))| first_missing(v, w, format!("{at}[{i}]"))),
        _ if old == new => None,
        _ => Some(if at.is_empty() { ".".into() } else { at }),
    }
}

/// The root example's release predates the format field: it is read as
/// format 1, builds, and is left as it is.
#[test]
fn a_release_without_a_format_is_the_first_format_and_stays_untouched() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let json = read(root.join("releases/1.0/playbook.json"));
    let stored: Value = serde_json::from_str(&json).unwrap();
    assert!(stored.get("format").is_none());
    assert_eq!(upbook::snapshot::format::FIRST, 1);
    let playbook = upbook::snapshot::format::read(json.as_bytes()).unwrap();
    assert_eq!(playbook.version, "1.0");

    let tmp = tempfile::TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let before = snapshot_dir(&root.join("releases"));
    upbook()
        .arg("build")
        .arg(root)
        .args(["--format", "html", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("v1.0/index.html").is_file());
    assert_eq!(snapshot_dir(&root.join("releases")), before);
}
