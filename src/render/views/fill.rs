//! Which copy a view is made for, and what that copy still needs filled.

use crate::model::Playbook;
use crate::model::copies::StepLayout;
use crate::model::document::Section;
use crate::model::engagement::Environment;

/// Whether a section is still to be made into a copy's section: its
/// `{{ name }}` references filled, content for its environment resolved,
/// its steps numbered in that copy.
#[derive(Clone, Copy)]
pub enum Fill<'a> {
    /// The section comes from a copy that is already made.
    Done,
    /// Fill from `playbook`'s values and `env`'s; `key` is
    /// `playbook.values_key(env)` and `layout` where each section's steps
    /// start in this copy, both computed once per page.
    With {
        playbook: &'a Playbook,
        env: Option<&'a Environment>,
        key: u64,
        layout: &'a StepLayout,
    },
}

impl<'a> Fill<'a> {
    pub fn new(
        playbook: &'a Playbook,
        env: Option<&'a Environment>,
        layout: &'a StepLayout,
    ) -> Fill<'a> {
        Fill::With {
            playbook,
            env,
            key: playbook.values_key(env),
            layout,
        }
    }

    /// The title of `playbook`'s section `id` as this copy shows it.
    pub fn section_title(self, playbook: &Playbook, id: &str) -> Option<String> {
        let section = playbook.sections().find(|s| s.id == id)?;
        Some(match self {
            Fill::With { playbook, env, .. } => playbook.title_for(&section.title, env),
            Fill::Done => section.title.clone(),
        })
    }

    /// Whether this copy shows `section` at all.
    pub fn shows(self, section: &Section) -> bool {
        match self {
            Fill::Done => true,
            Fill::With { layout, .. } => layout.offsets.contains_key(&section.id),
        }
    }

    /// Where `section`'s steps start in this copy.
    pub fn step_offset(self, section: &Section) -> u32 {
        match self {
            Fill::Done => section.step_offset,
            Fill::With { layout, .. } => layout
                .offsets
                .get(&section.id)
                .copied()
                .unwrap_or(section.step_offset),
        }
    }

    pub(crate) fn values_key(self) -> Option<u64> {
        match self {
            Fill::Done => None,
            Fill::With { key, .. } => Some(key),
        }
    }
}
