//! Consultant notes and process text: Markdown files with front matter,
//! each becoming one section of the playbook.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::divs::{self, DivKind, Piece};
use super::front_matter;
use super::limits::Weight;
use super::markdown::{self, MarkdownContext};
use super::yaml::{self, Spanned};
use crate::diagnostic::Diagnostics;
use crate::diagnostic::SourceFile;
use crate::model::Asset;
use crate::model::document::{Block, Section};
use crate::model::slug::slugify;
use crate::model::variables::{Scope, Shape, Unknown};

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
    /// Environments (names or roles) whose copies show this note.
    #[serde(default)]
    only: Vec<Spanned<String>>,
    /// The step of this note after which going back means the back-out
    /// plan (its position in the note, from 1).
    #[serde(default)]
    point_of_no_return: Option<Spanned<u32>>,
}

/// Where a section's id and phase were written, for later checks that
/// need the whole playbook (unique ids, known phases).
#[derive(Debug, Clone)]
pub struct SectionOrigin {
    /// Shared: `serve` hands every unchanged note to each rebuild, and
    /// copying 1,000 notes' text each time was on the way to the page.
    pub file: std::sync::Arc<SourceFile>,
    pub id_at: (usize, usize),
    pub phase_at: (usize, usize),
    /// Where `point_of_no_return` is written, when it is.
    pub no_return_at: Option<(usize, usize)>,
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
    super::directions::warn(&file, diags);
    let split = diags.take(front_matter::split(&file))?;
    let what = match kind {
        Kind::Note => "front matter with `title`, `phase` and optionally `id`, `order` and `only`",
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

    let mut only = Vec::new();
    for selector in &fm.only {
        match scope.check_only(&selector.value) {
            Ok(_) => only.push(selector.value.trim().to_string()),
            Err(unknown) => {
                let mut d = yaml::error_at(&file, selector, offset, unknown.message);
                if let Some(hint) = unknown.hint {
                    d = d.with_hint(hint);
                }
                diags.push(d);
            }
        }
    }
    let within: Vec<&Shape> = if only.is_empty() {
        scope.shapes.iter().collect()
    } else {
        scope
            .shapes
            .iter()
            .filter(|e| {
                only.iter()
                    .any(|o| scope.check_only(o).is_ok_and(|n| n.contains(e)))
            })
            .collect()
    };
    let ctx = MarkdownContext {
        file: &file,
        body_offset: split.body_offset,
        project_root: root,
        section_id: &id,
        lists_are_steps: matches!(kind, Kind::Note),
        scope,
    };
    let pieces = divs::split(&file, split.body, split.body_offset, diags);
    let (mut blocks, _) = Body {
        ctx: &ctx,
        scope,
        assets,
        diags,
        too_heavy: false,
    }
    .blocks(&pieces, false, &within);
    let mut steps = 0;
    number_steps(&mut blocks, &mut steps);
    let mut no_return_at = None;
    if let Some(mark) = &fm.point_of_no_return {
        if mark.value == 0 || mark.value > steps {
            diags.push(yaml::error_at(
                &file,
                mark,
                offset,
                format!("this note has no step {} (it has {steps})", mark.value),
            ));
        } else {
            mark_no_return(&mut blocks, mark.value);
            no_return_at = Some(yaml::position(mark, offset));
        }
    }
    let section = Section {
        id,
        title,
        phase,
        only,
        order: fm.order,
        source: file.path.display().to_string(),
        step_offset: 0,
        blocks: std::sync::Arc::new(blocks),
    };
    Some(LoadedSection {
        section,
        origin: SectionOrigin {
            file: std::sync::Arc::new(file),
            id_at,
            phase_at,
            no_return_at,
        },
    })
}

/// Parses a note's pieces: Markdown as it is, divs as the blocks that
/// each copy resolves, checked against the environments they can reach.
struct Body<'a, 'c> {
    ctx: &'c MarkdownContext<'c>,
    scope: &'c Scope,
    assets: &'a mut BTreeMap<String, Asset>,
    diags: &'a mut Diagnostics,
    /// Whether a copy grown past the limits was reported (once a note).
    too_heavy: bool,
}

impl Body<'_, '_> {
    /// The blocks of `pieces`, and what they weigh in each environment's
    /// copy (by the environment's place in `scope.shapes`), counted
    /// without making any copy.
    fn blocks(
        &mut self,
        pieces: &[Piece],
        in_host: bool,
        within: &[&Shape],
    ) -> (Vec<Block>, Vec<Weight>) {
        let mut out = Vec::new();
        let mut weight = vec![Weight::default(); self.scope.shapes.len()];
        for piece in pieces {
            let (at, grown) = match piece {
                Piece::Text { at, text } => {
                    super::variables::check_variables(
                        self.ctx.file,
                        *at,
                        text,
                        self.scope,
                        in_host,
                        self.diags,
                    );
                    let ctx = MarkdownContext {
                        body_offset: *at,
                        ..*self.ctx
                    };
                    let parsed = markdown::parse(&ctx, text, self.assets, self.diags);
                    let one = Weight::of_text(text, &parsed);
                    out.extend(parsed);
                    let grown = (self.scope.shapes.iter())
                        .map(|s| {
                            if reaches(within, s) {
                                one
                            } else {
                                Weight::default()
                            }
                        })
                        .collect();
                    (*at, grown)
                }
                Piece::Div {
                    kind: DivKind::Only(only),
                    at,
                    pieces,
                } => {
                    let mut reached: Vec<&Shape> = Vec::new();
                    for selector in only {
                        match self.scope.check_only(selector) {
                            Ok(named) => reached.extend(named),
                            Err(unknown) => self.error(*at, unknown),
                        }
                    }
                    reached.retain(|e| within.contains(e));
                    let (blocks, grown) = self.blocks(pieces, in_host, &reached);
                    out.push(Block::Only {
                        only: only.clone(),
                        blocks,
                    });
                    (*at, grown)
                }
                Piece::Div {
                    kind: DivKind::EachHost { role, when_none },
                    at,
                    pieces,
                } => {
                    if when_none.is_none()
                        && let Err(unknown) = self.scope.check_host_role(role, within)
                    {
                        self.error(*at, unknown);
                    }
                    let (blocks, once) = self.blocks(pieces, true, within);
                    out.push(Block::EachHost {
                        role: role.clone(),
                        when_none: when_none.clone(),
                        blocks,
                    });
                    let grown = (self.scope.shapes.iter().zip(once))
                        .map(|(shape, w)| {
                            w.times(shape.host_roles.iter().filter(|r| *r == role).count() as u64)
                        })
                        .collect();
                    (*at, grown)
                }
            };
            // Reported where a copy first grows past the limits: inside
            // the innermost block that does it.
            for ((total, more), shape) in weight.iter_mut().zip(grown).zip(&self.scope.shapes) {
                *total = total.add(more);
                if !total.fits() && !std::mem::replace(&mut self.too_heavy, true) {
                    let d = total.too_heavy(self.ctx.file, at, &shape.name);
                    self.diags.push(d);
                }
            }
        }
        (out, weight)
    }

    fn error(&mut self, at: usize, unknown: Unknown) {
        let mut d = self.ctx.file.error_at(at, unknown.message);
        if let Some(hint) = unknown.hint {
            d = d.with_hint(hint);
        }
        self.diags.push(d);
    }
}

/// Whether `shape` is one of the environments `within`.
fn reaches(within: &[&Shape], shape: &Shape) -> bool {
    within.iter().any(|w| std::ptr::eq(*w, shape))
}

/// Marks the step numbered `n` (as written) as the point of no return.
fn mark_no_return(blocks: &mut [Block], n: u32) {
    for block in blocks {
        match block {
            Block::Steps { steps } => {
                for step in steps.iter_mut().filter(|s| s.number == n) {
                    step.no_return = true;
                }
            }
            Block::Only { blocks, .. } | Block::EachHost { blocks, .. } => {
                mark_no_return(blocks, n)
            }
            _ => {}
        }
    }
}

/// Numbers steps in reading order, inside blocks for some environments
/// too; each copy numbers its own again once it has resolved them.
fn number_steps(blocks: &mut [Block], n: &mut u32) {
    for block in blocks {
        match block {
            Block::Steps { steps } => {
                for step in steps {
                    *n += 1;
                    step.number = *n;
                }
            }
            Block::Only { blocks, .. } | Block::EachHost { blocks, .. } => number_steps(blocks, n),
            _ => {}
        }
    }
}
