//! The draft's changes against the last release, drawn again after every
//! save from what the save changed: the release's main copy is made once,
//! a section whose note did not change is not filled again, and two
//! sections already compared are not compared again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::changes::Changes;
use crate::model::Playbook;
use crate::model::document::SharedBlocks;
use crate::model::release::Release;

#[derive(Default)]
pub(super) struct DraftChanges {
    /// The last release's main copy, by digest.
    last_release: Option<(String, Playbook)>,
    /// The draft's sections as its main copy shows them, by the address
    /// of their unfilled blocks (kept alive here) and the values filled in.
    filled: HashMap<(usize, u64), Filled>,
    /// Whether two sections' blocks are equal, by the addresses of both
    /// (kept alive here).
    equal: HashMap<(usize, usize), Equal>,
}

struct Filled {
    _source: SharedBlocks,
    title: String,
    blocks: SharedBlocks,
    used: bool,
}

struct Equal {
    _pair: (SharedBlocks, SharedBlocks),
    same: bool,
    used: bool,
}

impl DraftChanges {
    /// What changed from `last` to `draft`. What this save did not use is
    /// forgotten, so the memory follows the notes as they are.
    pub(super) fn since(&mut self, last: &Release, draft: &Playbook) -> Changes {
        if self
            .last_release
            .as_ref()
            .is_none_or(|(digest, _)| *digest != last.digest)
        {
            self.last_release = Some((last.digest.clone(), last.playbook.reference()));
        }
        let new = reference_of(draft, &mut self.filled);
        let (_, old) = self.last_release.as_ref().expect("just set");
        // Asked from every core: the answers are kept behind a lock.
        let equal = Mutex::new(std::mem::take(&mut self.equal));
        let changes = crate::changes::compare_with(old, &new, &|a, b| {
            let key = (Arc::as_ptr(a) as usize, Arc::as_ptr(b) as usize);
            if let Some(known) = lock(&equal).get_mut(&key) {
                known.used = true;
                return known.same;
            }
            let same = Arc::ptr_eq(a, b) || a == b;
            lock(&equal).insert(
                key,
                Equal {
                    _pair: (Arc::clone(a), Arc::clone(b)),
                    same,
                    used: true,
                },
            );
            same
        });
        self.equal = equal.into_inner().unwrap_or_else(PoisonError::into_inner);
        self.filled.retain(|_, f| std::mem::take(&mut f.used));
        self.equal.retain(|_, e| std::mem::take(&mut e.used));
        changes
    }
}

/// The draft's main copy, as `Playbook::reference` makes it, with each
/// section filled in once and then taken from `filled` while its note
/// does not change.
fn reference_of(draft: &Playbook, filled: &mut HashMap<(usize, u64), Filled>) -> Playbook {
    let env = draft.engagement.reference_environment();
    let values = draft.values_key(env);
    let mut copy = draft.clone();
    copy.environment = env.map(|e| e.name.clone());
    for section in copy.keep_shown(env) {
        let key = (Arc::as_ptr(&section.blocks) as usize, values);
        let entry = filled.entry(key).or_insert_with(|| {
            // Only the filled title and blocks are kept: `number_steps`
            // below places every section's steps.
            let done = draft.section_for(section, env, 0);
            Filled {
                _source: Arc::clone(&section.blocks),
                title: done.title,
                blocks: done.blocks,
                used: false,
            }
        });
        entry.used = true;
        section.title = entry.title.clone();
        section.blocks = Arc::clone(&entry.blocks);
    }
    copy.number_steps();
    copy
}

/// A lock that a panic on another thread does not poison for good: what
/// it guards is a cache, and a half-made entry is only missing.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_remembered_main_copy_is_the_main_copy() {
        let tmp = tempfile::TempDir::new().unwrap();
        let root = tmp.path().join("acme");
        crate::scaffold::init(&root).unwrap();
        let (checked, diags) = crate::project::check(&root);
        let draft = checked.unwrap_or_else(|| panic!("{:?}", diags.items)).draft;
        let expected = serde_json::to_string(&draft.reference()).unwrap();
        let mut filled = HashMap::new();
        for round in 0..2 {
            let made = serde_json::to_string(&reference_of(&draft, &mut filled)).unwrap();
            assert!(made == expected, "round {round} differs");
        }
        assert!(!filled.is_empty());
    }
}
