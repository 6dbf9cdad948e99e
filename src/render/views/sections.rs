//! The playbook's sections as templates see them: each phase with its
//! sections, then the back-out plan, known issues and appendix, each
//! section's body rendered by the backend that asks.

use rayon::prelude::*;
use serde::Serialize;

use super::Fill;
use crate::model::document::Section;
use crate::model::engagement::Environment;
use crate::model::{PARTS, Part, Playbook};

#[derive(Serialize)]
pub struct PhaseView {
    pub id: String,
    pub title: String,
    pub milestone: String,
    pub owner: String,
    pub sections: Vec<SectionView>,
}

#[derive(Clone, Serialize)]
pub struct SectionView {
    pub id: String,
    pub title: String,
    pub source: String,
    /// Shared, not copied, by every page that shows the section: it is
    /// most of a page's bytes.
    pub html: minijinja::Value,
    /// The first and last step's labels (`3`, `B1`).
    pub steps: Option<(String, String)>,
    pub toc: Vec<TocEntry>,
    /// What search finds in this section, the section and each step, as
    /// the index's JSON entries (comma-separated). Made and cached with
    /// the HTML, so every copy that shows the section, and every `serve`
    /// rebuild, reuses the serialised text.
    #[serde(skip)]
    pub search: std::sync::Arc<str>,
}

/// One place search can jump to: a section or a step.
#[derive(Clone, Debug, Serialize)]
pub struct SearchEntry {
    /// `#step-12`, `#back-up-the-configuration`.
    pub href: String,
    /// `Step 12`, or the section's title.
    pub title: String,
    /// The section a step is in, for the result list.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub section: String,
    /// The start of the text, shown under the result.
    pub text: String,
    /// The whole text, lowercase, in order (so a phrase can be found):
    /// what is searched.
    pub words: String,
}

#[derive(Clone, Serialize)]
pub struct TocEntry {
    pub id: String,
    pub title: String,
}

/// Renders one section's body for a page; the HTML backend's section
/// cache is one. Views ask through this so they need no backend.
pub trait RenderSection: Sync {
    fn render(&self, section: &Section, heading_base: u8, fill: Fill) -> SectionView;
}

/// The parts of a copy that hold sections, in page order.
#[derive(Default)]
pub(super) struct Parts {
    pub phases: Vec<PhaseView>,
    pub back_out: Vec<SectionView>,
    pub known_issues: Vec<SectionView>,
    pub appendix: Vec<SectionView>,
}

/// Renders every section `fill`'s copy shows. Rendering is the expensive
/// part of a page (highlighting dominates a large build), so all of a
/// copy's sections go to every core as one batch. Copies are rendered one
/// after another, so those after the first find the sections that read
/// the same in every copy in the cache.
/// `copy_of` is the environment whose copy this is, if any: a customer's
/// copy titles its phases for its own run.
pub(super) fn parts<'p>(
    playbook: &'p Playbook,
    fill: Fill,
    copy_of: Option<&Environment>,
    render: &dyn RenderSection,
) -> Parts {
    let shown = |sections: &'p [Section]| -> Vec<&'p Section> {
        sections.iter().filter(|s| fill.shows(s)).collect()
    };
    // Each part's shown sections (a list per phase), in the order of
    // `PARTS`.
    let shown_parts = PARTS.map(|part| {
        let (phases, list) = playbook.part(part);
        let lists: Vec<Vec<&Section>> = match part {
            Part::Phases => phases.iter().map(|ph| shown(&ph.sections)).collect(),
            _ => vec![shown(list)],
        };
        (part, lists)
    });
    // Phase sections sit a level deeper, under their phase's heading.
    let jobs: Vec<(&Section, u8)> = shown_parts
        .iter()
        .flat_map(|(part, lists)| {
            let base = if *part == Part::Phases { 4 } else { 3 };
            lists.iter().flatten().map(move |s| (*s, base))
        })
        .collect();
    let mut views = jobs
        .par_iter()
        .map(|(s, base)| render.render(s, *base, fill))
        .collect::<Vec<_>>()
        .into_iter();
    let mut next = |count: usize| views.by_ref().take(count).collect::<Vec<_>>();
    let mut parts = Parts::default();
    for (part, lists) in &shown_parts {
        match part {
            Part::Phases => {
                parts.phases = playbook
                    .phases
                    .iter()
                    .zip(lists)
                    .filter(|(_, shown)| !shown.is_empty())
                    .map(|(ph, shown)| PhaseView {
                        id: format!("phase-{}", ph.activity),
                        title: playbook.phase_title(&ph.activity, &ph.title, copy_of),
                        milestone: ph.milestone.clone(),
                        owner: ph.owner.clone(),
                        sections: next(shown.len()),
                    })
                    .collect()
            }
            Part::BackOut => parts.back_out = next(lists[0].len()),
            Part::KnownIssues => parts.known_issues = next(lists[0].len()),
            Part::Appendix => parts.appendix = next(lists[0].len()),
        }
    }
    parts
}
