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
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
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

impl Kind {
    /// What the front matter holds, for the error when it does not.
    fn front_matter(&self) -> &'static str {
        match self {
            Kind::Note => {
                "front matter with `title`, `phase` and optionally `id`, `order` and `only`"
            }
            Kind::Process => "front matter with `title` and optionally `id`",
        }
    }
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
    let head = Head {
        file: &file,
        lines: split.yaml_line_offset,
    };
    let fm: FrontMatter = diags.take(yaml::parse(
        &file,
        split.yaml,
        head.lines,
        kind.front_matter(),
    ))?;
    // The front matter's rules, in the order it is written.
    let title = head.title(&fm.title, diags)?;
    let (id, id_at) = head.section_id(&fm, &title, diags)?;
    let phase_at = fm.phase.as_ref().map_or((1, 1), |p| head.at(p));
    let phase = head.phase(&kind, fm.phase.as_ref(), diags)?;
    let only = head.only(&fm.only, scope, diags);

    let ctx = MarkdownContext {
        file: &file,
        body_offset: split.body_offset,
        project_root: root,
        section_id: &id,
        lists_are_steps: matches!(kind, Kind::Note),
        scope,
    };
    let (mut blocks, steps) = body(&ctx, split.body, &only, assets, diags);
    let no_return_at = head.point_of_no_return(fm.point_of_no_return.as_ref(), steps, diags);
    if let Some(mark) = no_return_at.and(fm.point_of_no_return.as_ref()) {
        mark_no_return(&mut blocks, mark.value);
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

/// The note's text as blocks, its steps numbered, and how many steps
/// it has.
fn body(
    ctx: &MarkdownContext,
    text: &str,
    only: &[String],
    assets: &mut BTreeMap<String, Asset>,
    diags: &mut Diagnostics,
) -> (Vec<Block>, u32) {
    let pieces = divs::split(ctx.file, text, ctx.body_offset, diags);
    let (mut blocks, _) = Body {
        ctx,
        scope: ctx.scope,
        assets,
        diags,
        too_heavy: false,
    }
    .blocks(&pieces, false, &within(ctx.scope, only));
    let mut steps = 0;
    number_steps(&mut blocks, &mut steps);
    (blocks, steps)
}

/// A note's front matter, as the YAML after its first `---`: positions
/// in it are shifted by the lines before it.
struct Head<'a> {
    file: &'a SourceFile,
    lines: usize,
}

impl Head<'_> {
    fn at<T>(&self, value: &Spanned<T>) -> (usize, usize) {
        yaml::shifted(value, self.lines)
    }

    fn error<T>(&self, value: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        self.file.error(self.at(value), message)
    }

    fn title(&self, title: &Spanned<String>, diags: &mut Diagnostics) -> Option<String> {
        let trimmed = title.value.trim().to_string();
        if trimmed.is_empty() {
            diags.push(self.error(title, "the title is empty"));
            return None;
        }
        Some(trimmed)
    }

    /// The id as written, or the title's slug; either must be a slug.
    fn section_id(
        &self,
        fm: &FrontMatter,
        title: &str,
        diags: &mut Diagnostics,
    ) -> Option<(String, (usize, usize))> {
        let (id, id_at) = match &fm.id {
            Some(id) => (id.value.trim().to_string(), self.at(id)),
            None => (slugify(title), self.at(&fm.title)),
        };
        if id.is_empty() || id != slugify(&id) {
            let at = fm.id.as_ref().unwrap_or(&fm.title);
            diags.push(
                self.error(at, format!("`{id}` cannot be a section id"))
                    .with_hint("ids are lowercase words joined by `-`, e.g. `backup-config`"),
            );
            return None;
        }
        Some((id, id_at))
    }

    /// A note names its phase; process text has none. `None` when a
    /// note lacks it.
    fn phase(
        &self,
        kind: &Kind,
        phase: Option<&Spanned<String>>,
        diags: &mut Diagnostics,
    ) -> Option<Option<String>> {
        if let (Kind::Note, None) = (kind, phase) {
            diags.push(
                self.file
                    .error_at(0, "the front matter has no `phase`")
                    .with_hint("name the process activity this note belongs to, e.g. `phase: backup-configuration`"),
            );
            return None;
        }
        Some(phase.map(|p| p.value.trim().to_string()))
    }

    /// The environments `only` names, each one that exists.
    fn only(
        &self,
        selectors: &[Spanned<String>],
        scope: &Scope,
        diags: &mut Diagnostics,
    ) -> Vec<String> {
        let mut only = Vec::new();
        for selector in selectors {
            match scope.check_only(&selector.value) {
                Ok(_) => only.push(selector.value.trim().to_string()),
                Err(unknown) => {
                    let mut d = self.error(selector, unknown.message);
                    if let Some(hint) = unknown.hint {
                        d = d.with_hint(hint);
                    }
                    diags.push(d);
                }
            }
        }
        only
    }

    /// Where the point of no return is written, when it names one of the
    /// note's `steps`.
    fn point_of_no_return(
        &self,
        mark: Option<&Spanned<u32>>,
        steps: u32,
        diags: &mut Diagnostics,
    ) -> Option<(usize, usize)> {
        let mark = mark?;
        if mark.value == 0 || mark.value > steps {
            let message = format!("this note has no step {} (it has {steps})", mark.value);
            diags.push(self.error(mark, message));
            return None;
        }
        Some(self.at(mark))
    }
}

/// The environments a note with `only` reaches (all without it).
fn within<'s>(scope: &'s Scope, only: &[String]) -> Vec<&'s Shape> {
    if only.is_empty() {
        return scope.shapes.iter().collect();
    }
    scope
        .shapes
        .iter()
        .filter(|e| {
            only.iter()
                .any(|o| scope.check_only(o).is_ok_and(|n| n.contains(e)))
        })
        .collect()
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
                Piece::Text { at, text } => (*at, self.text(*at, text, in_host, within, &mut out)),
                Piece::Div {
                    kind: DivKind::Only(only),
                    at,
                    pieces,
                } => (*at, self.only(*at, only, pieces, in_host, within, &mut out)),
                Piece::Div {
                    kind: DivKind::EachHost { role, when_none },
                    at,
                    pieces,
                } => {
                    let host = (role, when_none);
                    (*at, self.each_host(*at, host, pieces, within, &mut out))
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

    /// Markdown as it is, its variables checked; it weighs the same in
    /// every copy it reaches.
    fn text(
        &mut self,
        at: usize,
        text: &str,
        in_host: bool,
        within: &[&Shape],
        out: &mut Vec<Block>,
    ) -> Vec<Weight> {
        let file = self.ctx.file;
        super::variables::check_variables(file, at, text, self.scope, in_host, self.diags);
        let ctx = MarkdownContext {
            body_offset: at,
            ..*self.ctx
        };
        let parsed = markdown::parse(&ctx, text, self.assets, self.diags);
        let one = Weight::of_text(text, &parsed);
        out.extend(parsed);
        (self.scope.shapes.iter())
            .map(|s| {
                if reaches(within, s) {
                    one
                } else {
                    Weight::default()
                }
            })
            .collect()
    }

    /// A block for some environments, each of them one that exists.
    fn only(
        &mut self,
        at: usize,
        only: &[String],
        pieces: &[Piece],
        in_host: bool,
        within: &[&Shape],
        out: &mut Vec<Block>,
    ) -> Vec<Weight> {
        let mut reached: Vec<&Shape> = Vec::new();
        for selector in only {
            match self.scope.check_only(selector) {
                Ok(named) => reached.extend(named),
                Err(unknown) => self.error(at, unknown),
            }
        }
        reached.retain(|e| within.contains(e));
        let (blocks, grown) = self.blocks(pieces, in_host, &reached);
        out.push(Block::Only {
            only: only.to_vec(),
            blocks,
        });
        grown
    }

    /// A block repeated for each host of a role, which every environment
    /// it reaches has (unless it says what to do when one has none).
    fn each_host(
        &mut self,
        at: usize,
        (role, when_none): (&String, &Option<String>),
        pieces: &[Piece],
        within: &[&Shape],
        out: &mut Vec<Block>,
    ) -> Vec<Weight> {
        if when_none.is_none()
            && let Err(unknown) = self.scope.check_host_role(role, within)
        {
            self.error(at, unknown);
        }
        let (blocks, once) = self.blocks(pieces, true, within);
        out.push(Block::EachHost {
            role: role.clone(),
            when_none: when_none.clone(),
            blocks,
        });
        (self.scope.shapes.iter().zip(once))
            .map(|(shape, w)| {
                w.times(shape.host_roles.iter().filter(|r| *r == role).count() as u64)
            })
            .collect()
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
