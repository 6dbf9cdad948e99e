//! The Word files' fixed words come from the reader strings table
//! (`themes/default/strings/en.toml`, a theme's own, a language's), as
//! the pages' and PDFs' do. Each document is written on one thread, by
//! builders that hold the body mutably through nested closures; rather
//! than thread the table through every one of them, `docx` sets it for the
//! thread while it writes one document ([`Using`]), and [`word`] reads it.

use std::cell::RefCell;
use std::sync::LazyLock;

use crate::strings::Strings;

/// The Word renderer's name for a word, and its key in the strings table.
const KEYS: &[(&str, &str)] = &[
    ("contents", "word_contents"),
    ("before-you-start", "before_you_start"),
    ("environments", "environments"),
    ("environment", "word_environment"),
    ("role", "word_role"),
    ("upgraded-by", "word_upgraded_by"),
    ("hosts", "word_hosts"),
    ("contacts", "word_contacts"),
    ("contact", "word_contact"),
    ("e-mail", "word_e_mail"),
    ("prerequisites", "prerequisites"),
    ("upgrade-steps", "upgrade_steps"),
    ("back-out-to", "word_back_out_to"),
    ("process-and-faq", "process_and_faq"),
    ("milestone", "word_milestone"),
    ("done-by", "word_done_by"),
    ("managed-upgrade", "word_managed_upgrade"),
    ("playbook", "word_playbook"),
    ("change-record", "word_change_record"),
    ("values-for", "word_values_for"),
    ("document", "word_document"),
    ("version", "word_version"),
    ("carried-over", "word_carried_over"),
    ("still-open", "word_still_open"),
    ("date", "word_date"),
    ("case", "word_case"),
    ("draft", "word_draft"),
    ("final", "word_final"),
    ("page", "word_page"),
    ("of", "word_of"),
    ("point-of-no-return", "no_return"),
    ("after-no-return", "word_after_no_return"),
    ("changes-title", "word_changes_title"),
    ("changes-intro", "word_changes_intro"),
    ("no-changes", "word_no_changes"),
    ("added", "word_added"),
    ("removed", "word_removed"),
    ("moved", "word_moved"),
    ("resolution", "word_resolution"),
    ("status", "word_status"),
    ("step", "word_step"),
    ("image", "word_image"),
];

thread_local! {
    static STRINGS: RefCell<Option<Strings>> = const { RefCell::new(None) };
}

/// The table in use on this thread until dropped.
pub struct Using(Option<Strings>);

impl Using {
    pub fn new(strings: Strings) -> Using {
        Using(STRINGS.with(|s| s.replace(Some(strings))))
    }
}

impl Drop for Using {
    fn drop(&mut self) {
        STRINGS.with(|s| *s.borrow_mut() = self.0.take());
    }
}

/// The text of `name` in the table in use (English when none is set).
pub fn word(name: &str) -> String {
    let key = KEYS
        .iter()
        .find(|(k, _)| *k == name)
        .map_or(name, |(_, key)| key);
    in_use(|strings| strings.get(key).to_string())
}

/// A model value's name in the table in use: see [`Strings::name`].
pub fn name(group: &str, label: &str) -> String {
    in_use(|strings| strings.name(group, label))
}

/// The table in use on this thread (English when none is set).
pub fn strings() -> Strings {
    in_use(Strings::clone)
}

/// `f` of the table in use, borrowed: a table is hundreds of strings, and
/// a document asks it for a word per callout and per request.
fn in_use<R>(f: impl FnOnce(&Strings) -> R) -> R {
    static ENGLISH: LazyLock<Strings> = LazyLock::new(Strings::english);
    STRINGS.with(|s| match &*s.borrow() {
        Some(strings) => f(strings),
        None => f(&ENGLISH),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_in_the_english_table() {
        let english = Strings::english();
        for (name, key) in KEYS {
            assert_ne!(english.get(key), *key, "{name}: no `{key}` in en.toml");
        }
    }

    #[test]
    fn a_table_in_use_is_read_and_the_one_before_comes_back() {
        let english = word("contents");
        assert_eq!(english, "Contents");
        let other = Strings::english().with("word_contents", "Inhalt");
        {
            let _using = Using::new(other);
            assert_eq!(word("contents"), "Inhalt");
        }
        assert_eq!(word("contents"), english);
    }
}
