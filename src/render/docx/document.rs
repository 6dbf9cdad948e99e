//! The playbook as a Word document, in the order the PDF reads: the
//! front matter (see `front`), the phases with their sections and steps,
//! the back-out plan, known issues and the process appendix.

use super::blocks;
use super::body::{Body, Look, ParaLook};
use super::front::{self, Entry};
use super::words::word;
use crate::model::Playbook;
use crate::model::document::{Block, Section};
use crate::model::docx_names as names;
use crate::render::views;

pub fn write(body: &mut Body<'_>, playbook: &Playbook) {
    let content = views::content(playbook, views::Fill::Done, None, &super::words::strings());
    let copy_of = playbook
        .environment
        .as_deref()
        .and_then(|name| playbook.engagement.environment(name));
    register_anchors(body, playbook);

    front::cover(body, playbook, &content, None);

    let mut entries = vec![Entry {
        level: 1,
        text: word("before-you-start"),
        bookmark: "P_before".into(),
    }];
    entries.push(Entry {
        level: 1,
        text: word("upgrade-steps"),
        bookmark: "P_steps".into(),
    });
    for phase in &playbook.phases {
        entries.push(Entry {
            level: 2,
            text: playbook.phase_title(&phase.activity, &phase.title, copy_of),
            bookmark: names::part_bookmark(&format!("phase-{}", phase.activity)),
        });
        for s in &phase.sections {
            entries.push(section_entry(s, 3));
        }
    }
    let back_out_title = format!("{} {}", &word("back-out-to"), content.facts.current_version);
    if !playbook.back_out.is_empty() {
        entries.push(Entry {
            level: 1,
            text: back_out_title.clone(),
            bookmark: "P_back_out".into(),
        });
        entries.extend(playbook.back_out.iter().map(|s| section_entry(s, 2)));
    }
    entries.extend(playbook.known_issues.iter().map(|s| section_entry(s, 1)));
    if !playbook.appendix.is_empty() {
        entries.push(Entry {
            level: 1,
            text: word("process-and-faq"),
            bookmark: "P_process".into(),
        });
        entries.extend(playbook.appendix.iter().map(|s| section_entry(s, 2)));
    }
    front::contents(body, &entries);

    front::before_you_start(body, &content);

    part(body, "P_steps", &word("upgrade-steps"));
    for phase in &playbook.phases {
        let bookmark =
            body.start_bookmark(names::part_bookmark(&format!("phase-{}", phase.activity)));
        blocks::heading(
            body,
            2,
            &playbook.phase_title(&phase.activity, &phase.title, copy_of),
        );
        body.end_bookmark(bookmark);
        let line = if content.customer_copy {
            format!("{} {}", phase.milestone, &word("milestone"))
        } else {
            format!(
                "{} {} · {} {}",
                phase.milestone,
                &word("milestone"),
                &word("done-by"),
                phase.owner
            )
        };
        body.paragraph(
            ParaLook {
                style: Some("Muted"),
                ..ParaLook::default()
            },
            |b| b.run(&line, Look::default()),
        );
        for s in &phase.sections {
            blocks::section(body, s, 3);
        }
    }
    if !playbook.back_out.is_empty() {
        part(body, "P_back_out", &back_out_title);
        for s in &playbook.back_out {
            blocks::section(body, s, 2);
        }
    }
    for s in &playbook.known_issues {
        blocks::section(body, s, 1);
    }
    if !playbook.appendix.is_empty() {
        part(body, "P_process", &word("process-and-faq"));
        for s in &playbook.appendix {
            blocks::section(body, s, 2);
        }
    }
}

fn section_entry(section: &Section, level: u8) -> Entry {
    Entry {
        level,
        text: section.title.clone(),
        bookmark: names::section_bookmark(&section.id),
    }
}

/// A top-level part's heading with its own bookmark (not a section's:
/// no request targets it).
pub(super) fn part(body: &mut Body<'_>, bookmark: &str, title: &str) {
    let id = body.start_bookmark(bookmark.into());
    blocks::heading(body, 1, title);
    body.end_bookmark(id);
}

/// Every anchor a note may link to, mapped to the bookmark that marks
/// it, so links work in both directions through the document.
fn register_anchors(body: &mut Body<'_>, playbook: &Playbook) {
    let mut add = |anchor: String, bookmark: String| {
        body.anchors.insert(anchor, bookmark);
    };
    for section in playbook.sections() {
        add(section.id.clone(), names::section_bookmark(&section.id));
        for block in section.blocks.iter() {
            match block {
                Block::Heading { id, .. } | Block::Callout { id: Some(id), .. } => {
                    add(id.clone(), names::heading_bookmark(id));
                }
                Block::Steps { steps } => {
                    for step in steps {
                        let label = section.step_label(step);
                        add(
                            crate::model::document::step_anchor(&label),
                            names::step_bookmark(&label),
                        );
                    }
                }
                _ => {}
            }
        }
    }
    for phase in &playbook.phases {
        let anchor = format!("phase-{}", phase.activity);
        add(anchor.clone(), names::part_bookmark(&anchor));
    }
    add("back-out".into(), "P_back_out".into());
    for (anchor, bookmark) in [
        ("scope", "P_before"),
        ("who-does-what", "P_before"),
        ("schedule", "P_before"),
        ("environments", "P_environments"),
        ("prerequisites", "P_prerequisites"),
        ("process-in-detail", "P_process"),
    ] {
        add(anchor.into(), bookmark.into());
    }
}
