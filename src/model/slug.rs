//! Section ids: what change requests and diffs refer to, so the rule is
//! fixed and simple (lowercase words joined by `-`, punctuation dropped).

pub fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    let mut pending_dash = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' || c == '/' {
            pending_dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn words_joined_punctuation_dropped() {
        assert_eq!(
            slugify("Back up configuration files"),
            "back-up-configuration-files"
        );
        assert_eq!(slugify("Upgrade the PDM (v11.2)!"), "upgrade-the-pdm-v112");
        assert_eq!(slugify("  Re-apply  settings "), "re-apply-settings");
        assert_eq!(slugify("Prüfung & Test"), "prüfung-test");
    }
}
