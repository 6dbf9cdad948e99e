//! The one place text becomes HTML. Everything from a note, the engagement
//! or a change request passes through here.

use std::fmt::Write;

/// Appends `text` with `& < > " '` escaped, safe in element content and
/// in quoted attribute values; a direction override in it ends with it
/// (see `crate::bidi`).
pub fn push_escaped(out: &mut String, text: &str) {
    let text = &*crate::bidi::isolate(text);
    let mut last = 0;
    for (i, c) in text.char_indices() {
        let rep = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// A theme's fixed words (`crate::strings`): `& < > "` escaped, which
/// keeps them safe in element content and in the double-quoted attribute
/// values templates write; an apostrophe stays as it is, as it was when
/// the words were written in the templates themselves.
pub fn escape_words(text: &str) -> String {
    let mut out = escape(text);
    if out.contains("&#39;") {
        out = out.replace("&#39;", "'");
    }
    out
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text);
    out
}

/// A link target is kept only when it cannot run script: relative paths,
/// anchors, http(s) and mailto. `//host/x` is not relative: a browser
/// takes it to another host (so do `/\host` and `\\host`, and tabs or
/// line breaks between the two, which browsers drop), so it goes.
pub fn safe_url(url: &str) -> Option<&str> {
    let trimmed = url.trim();
    let mut start = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    if matches!(
        (start.next(), start.next()),
        (Some('/' | '\\'), Some('/' | '\\'))
    ) {
        return None;
    }
    let scheme_end = trimmed.find(':');
    let first_delim = trimmed.find(['/', '?', '#']);
    match scheme_end {
        Some(i) if first_delim.is_none_or(|d| i < d) => {
            let scheme = trimmed[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto").then_some(trimmed)
        }
        _ => Some(trimmed),
    }
}

/// Writes `<tag attr="value"...>` with every value escaped.
pub fn open_tag(out: &mut String, tag: &str, attrs: &[(&str, &str)]) {
    let _ = write!(out, "<{tag}");
    for (name, value) in attrs {
        let _ = write!(out, " {name}=\"");
        push_escaped(out, value);
        out.push('"');
    }
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }

    #[test]
    fn refuses_script_urls() {
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url(" JavaScript:alert(1)"), None);
        assert_eq!(safe_url("https://example.com"), Some("https://example.com"));
        assert_eq!(safe_url("#backup"), Some("#backup"));
        assert_eq!(safe_url("notes/a.html?x=a:b"), Some("notes/a.html?x=a:b"));
        assert_eq!(safe_url("/notes/a.html"), Some("/notes/a.html"));
        assert_eq!(safe_url("//evil.example/x"), None);
        assert_eq!(safe_url(" /\\evil.example/x"), None);
        assert_eq!(safe_url("\\\\evil.example"), None);
        assert_eq!(safe_url("/\t/evil.example"), None);
    }
}
