//! Section HTML, remembered by content. A section renders to the same HTML
//! whenever its blocks, numbers and heading depth are the same, so the
//! environment copies of one build share the work, and `serve` re-renders
//! only the sections a save touched.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::quality::FixedState;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::blocks;
use crate::model::document::{Block, Inline, Section, any_text, has_steps, step_anchor};
use crate::render::highlight::Highlighter;
pub use crate::render::views::Fill;
use crate::render::views::{RenderSection, SearchEntry, SectionView, TocEntry};
use crate::strings::Strings;

#[derive(Default)]
pub struct Sections {
    /// Shared with the change view's `code_block` filter, which shows
    /// unchanged code as the playbook does.
    highlighter: Arc<Highlighter>,
    /// The pages' templates, kept alongside for the same reason.
    compiled: super::compiled::Compiled,
    cache: Mutex<HashMap<u64, Entry>>,
    rendered: AtomicUsize,
}

struct Entry {
    view: SectionView,
    _blocks: Arc<Vec<Block>>,
    /// Read since the last `sweep`.
    used: bool,
}

impl Sections {
    pub(super) fn highlighter(&self) -> Arc<Highlighter> {
        Arc::clone(&self.highlighter)
    }

    pub(super) fn compiled(&self) -> &super::compiled::Compiled {
        &self.compiled
    }

    /// The view of `section` as the copy for `fill` shows it, from the
    /// cache when the same section was rendered with the same values
    /// before. Keys cover everything the HTML depends on (`blocks::render`
    /// reads nothing else). First the blocks are identified by their
    /// shared allocation, which costs nothing to hash: a note that did not
    /// change keeps the same blocks from build to build, and each entry
    /// holds on to its blocks, so an address in the cache cannot be reused
    /// for other content. Failing that, by a hash of the section as this
    /// copy fills it in, which finds text parsed again unchanged (the
    /// process and FAQ text, a note saved without a change) and a section
    /// that reads the same in every copy (most notes use no value that
    /// differs between environments), so the copies of one build render
    /// it once.
    pub fn render(
        &self,
        section: &Section,
        heading_base: u8,
        fill: Fill,
        strings: &Strings,
    ) -> SectionView {
        let by_address = key(0, |h| {
            (Arc::as_ptr(&section.blocks) as usize).hash(h);
            section.id.hash(h);
            section.title.hash(h);
            section.source.hash(h);
            fill.step_offset(section).hash(h);
            heading_base.hash(h);
            fill.values_key().hash(h);
            strings.fingerprint().hash(h);
        });
        if let Some(view) = self.find(by_address) {
            return view;
        }
        let filled = match fill {
            Fill::Done => Cow::Borrowed(section),
            Fill::With { playbook, env, .. } => {
                Cow::Owned(playbook.section_for(section, env, fill.step_offset(section)))
            }
        };
        // Where the steps start matters only to a section that has some:
        // the same note without steps sits at different offsets in copies
        // whose earlier steps repeat per host.
        // Field by field, so a field added to sections is weighed here.
        let by_content = key(1, |h| {
            let offset_matters = has_steps(&filled.blocks);
            let Section {
                id,
                title,
                phase,
                only,
                order,
                source,
                step_offset,
                blocks,
            } = &*filled;
            (id, title, phase, only, order, source, blocks).hash(h);
            offset_matters.then_some(step_offset).hash(h);
            heading_base.hash(h);
            strings.fingerprint().hash(h);
        });
        let pin = || Arc::clone(&section.blocks);
        if let Some(view) = self.find(by_content) {
            self.keep(by_address, &view, pin());
            return view;
        }
        let view = render(&filled, heading_base, &self.highlighter, strings);
        self.rendered.fetch_add(1, Ordering::Relaxed);
        self.keep(by_content, &view, pin());
        self.keep(by_address, &view, pin());
        view
    }

    /// The cache as the views ask it, for pages in `strings`' words.
    pub fn in_words<'a>(&'a self, strings: &'a Strings) -> InWords<'a> {
        InWords {
            sections: self,
            strings,
        }
    }
}

/// [`Sections`] rendering in one table of words.
pub struct InWords<'a> {
    sections: &'a Sections,
    strings: &'a Strings,
}

impl RenderSection for InWords<'_> {
    fn render(&self, section: &Section, heading_base: u8, fill: Fill) -> SectionView {
        self.sections
            .render(section, heading_base, fill, self.strings)
    }
}

impl Sections {
    fn find(&self, key: u64) -> Option<SectionView> {
        let mut cache = self.lock();
        let entry = cache.get_mut(&key)?;
        entry.used = true;
        Some(entry.view.clone())
    }

    fn keep(&self, key: u64, view: &SectionView, blocks: Arc<Vec<Block>>) {
        self.lock().insert(
            key,
            Entry {
                view: view.clone(),
                _blocks: blocks,
                used: true,
            },
        );
    }

    /// Forgets sections not used since the last sweep, so a long `serve`
    /// session does not keep every version of every note it has seen.
    /// Returns how many sections were rendered (not found) since then.
    pub fn sweep(&self) -> usize {
        self.lock()
            .retain(|_, entry| std::mem::take(&mut entry.used));
        self.highlighter.sweep();
        self.compiled.sweep();
        self.rendered.swap(0, Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Entry>> {
        // A panic while holding the lock cannot leave an entry half
        // written (inserts are single calls), so a poisoned map is usable.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A cache key; `kind` keeps address keys and content keys apart.
fn key(kind: u8, write: impl FnOnce(&mut foldhash::quality::FoldHasher)) -> u64 {
    let mut hasher = FixedState::with_seed(0).build_hasher();
    kind.hash(&mut hasher);
    write(&mut hasher);
    hasher.finish()
}

fn render(
    s: &Section,
    heading_base: u8,
    highlighter: &Highlighter,
    strings: &Strings,
) -> SectionView {
    let mut first = None;
    let mut last = None;
    for b in s.blocks.iter() {
        if let Block::Steps { steps } = b {
            for step in steps {
                first.get_or_insert_with(|| s.step_label(step));
                last = Some(s.step_label(step));
            }
        }
    }
    SectionView {
        search: search_json(&search_entries(s, strings)).into(),
        id: s.id.clone(),
        title: s.title.clone(),
        source: s.source.clone(),
        html: minijinja::Value::from_safe_string(blocks::render(
            s,
            heading_base,
            highlighter,
            strings,
        )),
        steps: first.zip(last),
        toc: s
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading {
                    level: 1,
                    id,
                    content,
                } => Some(TocEntry {
                    id: id.clone(),
                    title: Inline::plain_text(content),
                }),
                _ => None,
            })
            .collect(),
    }
}

/// The section, and each of its steps, as search finds them.
fn search_entries(s: &Section, strings: &Strings) -> Vec<SearchEntry> {
    let mut prose = String::new();
    let mut steps = Vec::new();
    for block in s.blocks.iter() {
        match block {
            Block::Steps { steps: list } => {
                for step in list {
                    let label = s.step_label(step);
                    let mut text = text_of(&step.blocks);
                    if step.no_return {
                        // The note `blocks` writes under the step.
                        text.push(' ');
                        text.push_str(strings.get("no_return"));
                    }
                    steps.push(entry(
                        format!("#{}", step_anchor(&label)),
                        strings.with_label("step", &label),
                        s.title.clone(),
                        &text,
                    ));
                }
            }
            other => {
                prose.push(' ');
                prose.push_str(&text_of(std::slice::from_ref(other)));
            }
        }
    }
    let mut out = vec![entry(
        format!("#{}", s.id),
        s.title.clone(),
        String::new(),
        &squeeze(&prose),
    )];
    out.extend(steps);
    out
}

/// The entries as JSON objects separated by commas, with `<` written as
/// `\u003c`, so the text can sit inside a `<script>` element.
fn search_json(entries: &[SearchEntry]) -> String {
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Strings and plain structs always serialise.
        let _ = serde_json::to_writer(&mut out, entry);
    }
    String::from_utf8(out)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// How long the text shown under a result is.
const SNIPPET: usize = 160;

/// An entry keeps the start of its text to show, and the whole text in
/// lowercase to search: phrases ("point of no return") need the words in
/// their order.
pub(super) fn entry(href: String, title: String, section: String, text: &str) -> SearchEntry {
    let words = text.to_lowercase();
    let snippet = match text.char_indices().nth(SNIPPET) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    };
    SearchEntry {
        href,
        title,
        section,
        text: snippet,
        words,
    }
}

/// All the words of `blocks`, code included: people search for commands.
fn text_of(blocks: &[Block]) -> String {
    let mut out = String::new();
    any_text(blocks, &mut |t| {
        out.push(' ');
        out.push_str(t);
        false
    });
    squeeze(&out)
}

/// Runs of whitespace as one space. Text is mostly words with one space
/// between them, which is kept as it is: only the stretches between runs
/// that change are copied, rather than every byte pushed on its own.
/// (UTF-8 continuation bytes are never ASCII whitespace.)
fn squeeze(text: &str) -> String {
    let text = text.trim();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut kept, mut at) = (0, 0);
    while at < bytes.len() {
        let b = bytes[at];
        let changes = b.is_ascii_whitespace()
            && (b != b' ' || bytes.get(at + 1).is_some_and(u8::is_ascii_whitespace));
        if !changes {
            at += 1;
            continue;
        }
        out.push_str(&text[kept..at]);
        out.push(' ');
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        kept = at;
    }
    out.push_str(&text[kept..]);
    out
}

#[cfg(test)]
mod tests {
    use super::squeeze;

    #[test]
    fn whitespace_runs_become_one_space_and_the_ends_go() {
        assert_eq!(
            squeeze("  one two\n\n three\t\tfour  "),
            "one two three four"
        );
        assert_eq!(squeeze("a \n b\r\nc"), "a b c");
        assert_eq!(squeeze("a\u{a0} b"), "a\u{a0} b", "not ASCII: kept");
        assert_eq!(squeeze("x\u{b}y"), "x\u{b}y");
        assert_eq!(squeeze("\u{a0} é  ü \u{a0}"), "é ü");
        assert_eq!(squeeze(" \n\t "), "");
        assert_eq!(squeeze("single"), "single");
    }
}
