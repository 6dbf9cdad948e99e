//! The format of a release's `playbook.json`, and how a release written
//! in an older format is read.
//!
//! A release is the model as `upbook release` serialised it, so a renamed
//! or retyped field in `model` would make every committed release
//! unreadable. Two things stop that: the file says which format it is in
//! (`"format": N`, its first key; a file without it, such as every release
//! made before the field existed, is format 1), and the committed release
//! under `tests/fixtures/releases/` must read back with every field it
//! holds and render byte for byte (`tests/release_format.rs`). A change
//! that breaks either raises [`CURRENT`] and adds one step to [`STEPS`]
//! that rewrites the JSON of the format before into the new one, with a
//! test that reads a file of the old format.

use serde::Serialize;
use serde_json::Value;

use crate::model::Playbook;

/// The format `upbook release` writes.
pub const CURRENT: u32 = 1;

/// The format of a `playbook.json` that does not say.
pub const FIRST: u32 = 1;

/// Rewrites a release's JSON from one format into the next.
pub type Step = fn(&mut Value) -> Result<(), String>;

/// `STEPS[i]` turns format `FIRST + i` into `FIRST + i + 1`; there is one
/// per format after the first, so `STEPS.len()` is `CURRENT - FIRST`.
/// Empty while the first format is current.
pub const STEPS: &[Step] = &[];

const _: () = assert!(STEPS.len() as u32 == CURRENT - FIRST);

/// The playbook as it is stored: the format first, then its fields.
#[derive(Serialize)]
struct Stored<'a> {
    format: u32,
    #[serde(flatten)]
    playbook: &'a Playbook,
}

/// `playbook` as the current format's `playbook.json`.
pub fn to_vec(playbook: &Playbook) -> serde_json::Result<Vec<u8>> {
    super::layout::to_vec(&Stored {
        format: CURRENT,
        playbook,
    })
}

/// Reads a `playbook.json` of any format up to the current one.
pub fn read(json: &[u8]) -> Result<Playbook, String> {
    let format = leading_format(json).unwrap_or(FIRST);
    if format > CURRENT {
        return Err(format!(
            "it is in format {format}, and this upbook reads formats up to {CURRENT}: \
             the release was made by a newer upbook"
        ));
    }
    if format == CURRENT {
        // The usual case reads straight into the model, with no tree in
        // between: a release of 1,000 notes is 10 MB.
        return serde_json::from_slice(json).map_err(|e| e.to_string());
    }
    let mut value: Value = serde_json::from_slice(json).map_err(|e| e.to_string())?;
    migrate(&mut value, format, STEPS)?;
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// Applies the steps that take `value` from `format` to the newest format
/// `steps` know (`FIRST + steps.len()`), in order.
pub fn migrate(value: &mut Value, format: u32, steps: &[Step]) -> Result<(), String> {
    let from = format.saturating_sub(FIRST) as usize;
    for (i, step) in steps.iter().enumerate().skip(from) {
        let to = FIRST + i as u32 + 1;
        step(value).map_err(|e| format!("moving it to format {to}: {e}"))?;
        if let Some(object) = value.as_object_mut() {
            object.insert("format".into(), Value::from(to));
        }
    }
    Ok(())
}

/// The format a file names as its first key, as [`to_vec`] writes it; `None`
/// when the first key is another (a file of the first format).
fn leading_format(json: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(json.get(..json.len().min(64))?).ok()?;
    let rest = text.trim_start().strip_prefix('{')?.trim_start();
    let rest = rest.strip_prefix("\"format\"")?.trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_format_is_the_first_key_or_the_first_format() {
        assert_eq!(
            leading_format(b"{\n  \"format\": 7,\n  \"config\": {}"),
            Some(7)
        );
        assert_eq!(leading_format(b"{\n  \"config\": {}, \"format\": 7}"), None);
        assert_eq!(leading_format(b"[]"), None);
        let text = String::from_utf8(b"{\"x\":\"\xC3\xA9\"}".repeat(10)).unwrap();
        assert_eq!(leading_format(text.as_bytes()), None);
    }

    #[test]
    fn a_release_from_a_newer_upbook_is_refused_by_name() {
        let json = format!("{{\"format\": {}}}", CURRENT + 1);
        let e = read(json.as_bytes()).unwrap_err();
        assert!(e.contains("made by a newer upbook"), "{e}");
    }

    /// How an incompatible change is carried: a step per format. This one
    /// is an example (format 2 renaming `accepted_by` to `accepted` and
    /// format 3 turning `version` into a number list), run the way
    /// [`read`] runs the real ones.
    #[test]
    fn each_step_takes_a_release_one_format_on() {
        fn rename_accepted(v: &mut Value) -> Result<(), String> {
            let o = v.as_object_mut().ok_or("not an object")?;
            let old = o.remove("accepted_by").ok_or("no accepted_by")?;
            o.insert("accepted".into(), old);
            Ok(())
        }
        fn split_version(v: &mut Value) -> Result<(), String> {
            let text = v["version"].as_str().ok_or("no version")?.to_string();
            let parts: Result<Vec<u64>, _> = text.split('.').map(str::parse).collect();
            v["version"] = json!(parts.map_err(|e| format!("version {text}: {e}"))?);
            Ok(())
        }
        let steps: &[Step] = &[rename_accepted, split_version];
        let first = json!({"version": "1.2", "accepted_by": "Dana"});
        let mut value = first.clone();
        migrate(&mut value, FIRST, steps).unwrap();
        assert_eq!(
            value,
            json!({"format": 3, "version": [1, 2], "accepted": "Dana"})
        );
        // A file already in format 2 takes only the second step.
        let mut second = json!({"format": 2, "version": "2.0", "accepted": null});
        migrate(&mut second, 2, steps).unwrap();
        assert_eq!(
            second,
            json!({"format": 3, "version": [2, 0], "accepted": null})
        );
        // A step that cannot apply says which format it was making.
        let mut bad = json!({"version": "1.x", "accepted_by": null});
        let e = migrate(&mut bad, FIRST, steps).unwrap_err();
        assert!(e.starts_with("moving it to format 3: version 1.x"), "{e}");
    }

    #[test]
    fn the_current_format_is_written_first_and_read_back() {
        let tmp = tempfile::TempDir::new().unwrap();
        let root = tmp.path().join("acme");
        crate::scaffold::init(&root).unwrap();
        let (checked, diags) = crate::project::check(&root);
        let draft = checked.unwrap_or_else(|| panic!("{:?}", diags.items)).draft;
        let json = to_vec(&draft).unwrap();
        assert!(json.starts_with(format!("{{\n  \"format\": {CURRENT},\n").as_bytes()));
        let back = read(&json).unwrap();
        assert_eq!(to_vec(&back).unwrap(), json);
    }
}
