//! Every fixed word the Word documents add, in one table, so they can move
//! into the shared table of reader strings at merge. Words the PDF also
//! shows are spelled as its templates spell them.

/// `(key, English)`: looked up with [`word`].
pub const WORDS: &[(&str, &str)] = &[
    ("contents", "Contents"),
    ("before-you-start", "Before you start"),
    ("environments", "Environments"),
    ("environment", "Environment"),
    ("role", "Role"),
    ("upgraded-by", "Upgraded by"),
    ("hosts", "Hosts"),
    ("contacts", "Contacts"),
    ("contact", "Contact"),
    ("e-mail", "E-mail"),
    ("prerequisites", "Prerequisites"),
    ("upgrade-steps", "Upgrade steps"),
    ("back-out-to", "Back out to"),
    ("process-and-faq", "Process and FAQ"),
    ("milestone", "milestone"),
    ("done-by", "in the service, this is done by:"),
    ("managed-upgrade", "Managed Upgrade"),
    ("playbook", "playbook"),
    ("change-record", "change record"),
    (
        "values-for",
        "Values filled in for the {environment} environment",
    ),
    ("document", "Document"),
    ("version", "Version"),
    ("carried-over", "Carried over"),
    ("still-open", "Still open:"),
    ("date", "Date"),
    ("case", "Case"),
    ("draft", "Draft, not released for review"),
    ("final", "{version}, final: accepted by {by}"),
    ("page", "Page"),
    ("of", "of"),
    ("point-of-no-return", "Point of no return."),
    (
        "after-no-return",
        "After this step, going back means the back-out plan.",
    ),
    ("changes-title", "Changes from {from} to {to}"),
    (
        "changes-intro",
        "Each changed section with its changes tracked: accept them all for version {to}, reject them all for version {from}. Change requests are comments on the section they target.",
    ),
    ("no-changes", "No section changed."),
    ("added", "New section."),
    ("removed", "Section removed."),
    ("moved", "Moved within the playbook."),
    ("resolution", "Resolution:"),
    ("status", "Status"),
    ("step", "Step"),
    ("image", "Image:"),
];

/// The English text for `key`; a key missing from the table is a bug the
/// unit test below catches, and shows as the key itself.
pub fn word(key: &'static str) -> &'static str {
    WORDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, v)| v)
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<&str> = super::WORDS.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
    }
}
