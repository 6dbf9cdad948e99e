//! What a version holds, as the versions page and the version switcher
//! name it: its copies (page, PDF, single file), report and change
//! record. `versions.js` carries the same list to every page when it is
//! viewed, so a release's own bytes never have to change to point at a
//! newer version.

use crate::model::Playbook;
use crate::model::engagement::Environment as Env;
use crate::render::views::{VersionCopy, VersionLink};
use crate::strings::Strings;

use super::single;

/// A version's copies of the playbook: the main copy (`index.html`, for
/// the environment the provider upgraded) first, then one page per
/// environment the customer upgrades (`production.html`).
pub fn copies(playbook: &Playbook) -> Vec<(Option<&Env>, String)> {
    let reference = playbook.engagement.reference_environment();
    let mut copies = vec![(reference, "index.html".to_string())];
    for env in playbook.engagement.own_copy_environments() {
        copies.push((Some(env), format!("{}.html", env.slug)));
    }
    copies
}

/// The PDF beside a copy's page: `index.html` → `playbook.pdf`.
pub fn pdf_for(page: &str) -> String {
    match page {
        "index.html" => "playbook.pdf".into(),
        other => format!("{}.pdf", other.trim_end_matches(".html")),
    }
}

/// The versions page's entries for one version's copies.
pub fn version_copies(playbook: &Playbook, with_pdf: bool, strings: &Strings) -> Vec<VersionCopy> {
    copies(playbook)
        .into_iter()
        .map(|(env, file)| VersionCopy {
            name: env.map_or_else(|| strings.get("playbook").to_string(), |e| e.name.clone()),
            pdf: with_pdf.then(|| pdf_for(&file)),
            single: single::file_for(&file),
            html: file,
        })
        .collect()
}

/// What pages do with the list: the switcher, the way back from the
/// report to the reader's copy, the superseded notice. It travels in
/// `versions.js` rather than the theme, since a release's frozen theme
/// may predate it.
const BEHAVIOUR: &str = include_str!("versions.js");

/// `versions.js` at the output root, newest first: each version's
/// folder, label, whether it is the draft or final, its copies' pages and
/// whether it has a change record. Pages read it when viewed, for the
/// version switcher (the same copy in the other version) and the notice
/// on a superseded version; without script they still link the
/// versions page.
pub fn script(versions: &[VersionLink], strings: &Strings) -> String {
    let list: Vec<serde_json::Value> = versions
        .iter()
        .map(|v| {
            serde_json::json!({
                "label": if v.is_draft { strings.get("draft").to_string() } else { v.label.clone() },
                "folder": v.folder,
                "draft": v.is_draft,
                "final": v.is_final,
                "copies": v.copies.iter().map(|c| c.html.as_str()).collect::<Vec<_>>(),
                "changes": v.has_changes,
            })
        })
        .collect();
    let json = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
    let words = serde_json::json!({
        "final": strings.get("versions_menu_final"),
        "superseded": strings.get("versions_superseded"),
    })
    .to_string();
    // `<` cannot appear in JSON strings here unescaped, but be safe in script.
    format!(
        "window.UPBOOK_VERSIONS = {};\nwindow.UPBOOK_WORDS = {};\n{BEHAVIOUR}",
        json.replace('<', "\\u003c"),
        words.replace('<', "\\u003c")
    )
}
