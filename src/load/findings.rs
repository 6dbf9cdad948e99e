//! The run's findings and test results as blocks of the sections they
//! belong to. Placed into the model once, they reach the HTML, the PDF
//! and the change view like any other content, and each environment's
//! copy fills them (variables, its own results column) like a note.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::model::document::{Alignment, Block, CalloutKind, Inline, Section};
use crate::model::run::{Finding, FindingStatus, Run, TestResult};
use crate::model::{KNOWN_ISSUES, Phase};
use crate::strings::Strings;

/// Adds each finding and test table to its sections, and returns the
/// "Known issues" section for findings no section's steps fix (empty
/// when there are none).
/// `upgraded` names the environment the results were recorded in; the
/// words around the findings come from `strings`.
pub fn place(
    run: &Run,
    phases: &mut [Phase],
    upgraded: Option<&str>,
    strings: &Strings,
) -> Vec<Section> {
    let titles: BTreeMap<String, String> = phases
        .iter()
        .flat_map(|p| &p.sections)
        .map(|s| (s.id.clone(), s.title.clone()))
        .collect();
    let mut first: BTreeMap<&str, Vec<Block>> = BTreeMap::new();
    let mut last: BTreeMap<&str, Vec<Block>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for finding in &run.findings {
        match &finding.fixed_in {
            Some(section) => first
                .entry(section.as_str())
                .or_default()
                .push(callout(finding, strings)),
            None => unplaced.push(callout(finding, strings)),
        }
        if finding.fixed_in.as_deref() != Some(finding.found_in.as_str()) {
            last.entry(finding.found_in.as_str())
                .or_default()
                .push(mention(finding, &titles, strings));
        }
    }
    let mut tables: BTreeMap<&str, Vec<&TestResult>> = BTreeMap::new();
    for test in &run.tests {
        tables.entry(test.section.as_str()).or_default().push(test);
    }
    for section in phases.iter_mut().flat_map(|p| &mut p.sections) {
        let before = first.remove(section.id.as_str()).unwrap_or_default();
        let mut after: Vec<Block> = Vec::new();
        if let Some(tests) = tables.remove(section.id.as_str()) {
            let heading = match upgraded {
                Some(env) => strings.fill("results_on", &[("environment", env)]),
                None => strings.get("results").to_string(),
            };
            after.push(Block::Paragraph {
                content: vec![strong(&heading)],
            });
            after.push(table(&tests, strings));
        }
        after.extend(last.remove(section.id.as_str()).unwrap_or_default());
        if before.is_empty() && after.is_empty() {
            continue;
        }
        let blocks = Arc::make_mut(&mut section.blocks);
        blocks.splice(0..0, before);
        blocks.extend(after);
    }
    if unplaced.is_empty() {
        return Vec::new();
    }
    let mut blocks = vec![Block::Paragraph {
        content: text(strings.get("known_issues_intro")),
    }];
    blocks.extend(unplaced);
    vec![Section {
        id: KNOWN_ISSUES.into(),
        title: strings.get("known_issues").into(),
        phase: None,
        only: Vec::new(),
        order: 0,
        source: crate::load::run::RUN.into(),
        step_offset: 0,
        blocks: Arc::new(blocks),
    }]
}

/// The finding whole: what went wrong, why, what fixes it and whether the
/// retest passed.
fn callout(f: &Finding, strings: &Strings) -> Block {
    let mut blocks = Vec::new();
    blocks.extend(labelled(strings.get("finding_cause"), &f.cause));
    let fix = match f.status {
        FindingStatus::Documented => "finding_workaround",
        FindingStatus::Open | FindingStatus::Fixed => "finding_fix",
    };
    blocks.extend(labelled(strings.get(fix), &f.fix));
    let name = |group: &str, label: &str| strings.name(group, label);
    let mut facts = text(&strings.fill(
        "finding_facts",
        &[
            ("component", &name("finding_component", f.component.label())),
            (
                "status",
                &name("finding_status", f.status.label()).to_lowercase(),
            ),
            (
                "retest",
                &name("finding_retest", f.retest.label()).to_lowercase(),
            ),
        ],
    ));
    if f.status == FindingStatus::Documented {
        facts.extend(text(strings.get("finding_documented_only")));
    }
    blocks.push(Block::Paragraph {
        content: vec![Inline::Emphasis { content: facts }],
    });
    Block::Callout {
        kind: match f.status {
            FindingStatus::Open => CalloutKind::Caution,
            FindingStatus::Fixed | FindingStatus::Documented => CalloutKind::Warning,
        },
        title: Some(strings.fill("finding_title", &[("id", &f.id), ("title", &f.title)])),
        id: Some(f.anchor()),
        blocks,
    }
}

/// A pointer from the section where the issue showed to its callout.
fn mention(f: &Finding, titles: &BTreeMap<String, String>, strings: &Strings) -> Block {
    let mut content = text(&strings.fill("finding_showed_up", &[("id", &f.id)]));
    content.push(Inline::Link {
        url: format!("#{}", f.anchor()),
        title: String::new(),
        content: text(&f.title),
    });
    let where_fixed = match f.fixed_in.as_ref().and_then(|id| titles.get(id)) {
        Some(title) => strings.fill("finding_fixed_in", &[("title", title)]),
        None => strings.get("finding_see_known_issues").to_string(),
    };
    content.extend(text(&where_fixed));
    Block::Callout {
        kind: CalloutKind::Note,
        title: Some(strings.fill("finding_mention_title", &[("id", &f.id)])),
        id: None,
        blocks: vec![Block::Paragraph { content }],
    }
}

fn table(tests: &[&TestResult], strings: &Strings) -> Block {
    let header = [
        "column_test",
        "column_expected",
        "column_before",
        "column_after",
        "column_result",
    ]
    .iter()
    .map(|key| text(strings.get(key)))
    .collect();
    let rows = tests
        .iter()
        .map(|t| {
            vec![
                text(&format!("{} {}", t.id, t.name)),
                text(&t.expected),
                text(t.before.as_deref().unwrap_or("—")),
                text(t.after.as_deref().unwrap_or("—")),
                text(&strings.name("test_result", t.result.label())),
            ]
        })
        .collect();
    Block::Table {
        alignments: vec![Alignment::None; 5],
        header,
        rows,
        records: true,
    }
}

/// `blocks` with `label` in bold before the first paragraph's text.
fn labelled(label: &str, blocks: &[Block]) -> Vec<Block> {
    if blocks.is_empty() {
        return Vec::new();
    }
    let mut out = blocks.to_vec();
    match out.first_mut() {
        Some(Block::Paragraph { content }) => content.insert(0, strong(label)),
        _ => out.insert(
            0,
            Block::Paragraph {
                content: vec![strong(label)],
            },
        ),
    }
    out
}

fn text(s: &str) -> Vec<Inline> {
    vec![Inline::Text {
        text: s.to_string(),
    }]
}

fn strong(s: &str) -> Inline {
    Inline::Strong { content: text(s) }
}
