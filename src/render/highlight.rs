//! Syntax highlighting at build time, as CSS classes (`hl-keyword`, ...), so
//! light, dark and print colours live in the theme's stylesheet and pages
//! need no JavaScript.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::escape::push_escaped;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The highlighted HTML of `code` (without the `<pre><code>` around it),
/// or plain escaped text when the language is unknown.
pub fn highlight(code: &str, language: Option<&str>) -> String {
    let syntax = language.and_then(|lang| {
        let lang = match lang.to_ascii_lowercase().as_str() {
            "shell" | "console" | "sh" | "zsh" => "bash".to_string(),
            "ps1" | "powershell" => "ps1".to_string(),
            other => other.to_string(),
        };
        SYNTAXES
            .find_syntax_by_token(&lang)
            .or_else(|| SYNTAXES.find_syntax_by_extension(&lang))
    });
    let Some(syntax) = syntax else {
        let mut out = String::with_capacity(code.len());
        push_escaped(&mut out, code);
        return out;
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            let mut out = String::with_capacity(code.len());
            push_escaped(&mut out, code);
            return out;
        }
    }
    generator.finalize()
}

#[cfg(test)]
mod tests {
    use super::highlight;

    #[test]
    fn known_language_gets_classes_and_stays_escaped() {
        let html = highlight("echo \"<b>\" # note\n", Some("bash"));
        assert!(html.contains("hl-comment"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        assert_eq!(highlight("<x>", Some("nope")), "&lt;x&gt;");
    }
}
