//! Consultant notes and process text: Markdown files with front matter,
//! each becoming one section of the playbook.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::front_matter;
use super::markdown::{self, MarkdownContext};
use super::yaml::{self, Spanned};
use crate::diagnostic::Diagnostics;
use crate::diagnostic::SourceFile;
use crate::model::Asset;
use crate::model::document::Section;
use crate::model::slug::slugify;
use crate::model::variables::Scope;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Spanned<String>,
    #[serde(default)]
    id: Option<Spanned<String>>,
    #[serde(default)]
    phase: Option<Spanned<String>>,
    #[serde(default)]
    order: i64,
}

/// Where a section's id and phase were written, for later checks that
/// need the whole playbook (unique ids, known phases).
#[derive(Debug, Clone)]
pub struct SectionOrigin {
    pub file: SourceFile,
    pub id_at: (usize, usize),
    pub phase_at: (usize, usize),
}

#[derive(Clone)]
pub struct LoadedSection {
    pub section: Section,
    pub origin: SectionOrigin,
}

pub enum Kind {
    /// A note: `phase` is required, ordered lists are steps.
    Note,
    /// Process text: no phase, ordered lists stay lists.
    Process,
}

pub fn load(
    file: SourceFile,
    kind: Kind,
    root: &Path,
    scope: &Scope,
    assets: &mut BTreeMap<String, Asset>,
    diags: &mut Diagnostics,
) -> Option<LoadedSection> {
    let split = diags.take(front_matter::split(&file))?;
    let what = match kind {
        Kind::Note => "front matter with `title`, `phase` and optionally `id` and `order`",
        Kind::Process => "front matter with `title` and optionally `id`",
    };
    let fm: FrontMatter =
        diags.take(yaml::parse(&file, split.yaml, split.yaml_line_offset, what))?;
    let offset = split.yaml_line_offset;
    let title = fm.title.value.trim().to_string();
    if title.is_empty() {
        diags.push(yaml::error_at(
            &file,
            &fm.title,
            offset,
            "the title is empty",
        ));
        return None;
    }
    let (id, id_at) = match &fm.id {
        Some(id) => (id.value.trim().to_string(), yaml::position(id, offset)),
        None => (slugify(&title), yaml::position(&fm.title, offset)),
    };
    if id.is_empty() || id != slugify(&id) {
        let at = fm.id.as_ref().unwrap_or(&fm.title);
        diags.push(
            yaml::error_at(&file, at, offset, format!("`{id}` cannot be a section id"))
                .with_hint("ids are lowercase words joined by `-`, e.g. `backup-config`"),
        );
        return None;
    }
    let phase_at = fm
        .phase
        .as_ref()
        .map_or((1, 1), |p| yaml::position(p, offset));
    let phase = match (&kind, fm.phase) {
        (Kind::Note, None) => {
            diags.push(
                file.error_at(0, "the front matter has no `phase`")
                    .with_hint("name the process activity this note belongs to, e.g. `phase: backup-configuration`"),
            );
            return None;
        }
        (_, phase) => phase.map(|p| p.value.trim().to_string()),
    };

    markdown::check_variables(&file, split.body_offset, split.body, scope, diags);
    let ctx = MarkdownContext {
        file: &file,
        body_offset: split.body_offset,
        project_root: root,
        section_id: &id,
        lists_are_steps: matches!(kind, Kind::Note),
    };
    let mut blocks = markdown::parse(&ctx, split.body, assets, diags);
    let mut number = 0;
    for block in &mut blocks {
        if let crate::model::document::Block::Steps { steps } = block {
            for step in steps {
                number += 1;
                step.number = number;
            }
        }
    }
    let section = Section {
        id,
        title,
        phase,
        order: fm.order,
        source: file.path.display().to_string(),
        step_offset: 0,
        blocks: std::sync::Arc::new(blocks),
    };
    Some(LoadedSection {
        section,
        origin: SectionOrigin {
            file,
            id_at,
            phase_at,
        },
    })
}
