//! Scanners for the words a theme's files write themselves, outside
//! the strings table: an HTML template's text and reader-facing
//! attributes, a Typst template's markup and phrase-like strings, a
//! script's string literals that read as words, a stylesheet's
//! `content:`. `tests/strings.rs` runs them over the built-in theme.

/// `text` with every `open … close` span replaced by `with`.
pub fn without(text: &str, open: &str, close: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        out.push_str(with);
        match rest[start + open.len()..].find(close) {
            Some(end) => rest = &rest[start + open.len() + end + close.len()..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

pub fn has_letters(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
}

/// The text an HTML template writes itself, outside `{{ }}`, `{% %}`
/// and `{# #}`: between its tags, and in the attributes a reader or a
/// screen reader sees (`title`, `aria-label`, `alt`, `placeholder`).
pub fn html_words(template: &str) -> Vec<String> {
    let mut text = without(template, "{#", "#}", " ");
    text = without(&text, "{{", "}}", " ");
    text = without(&text, "{%", "%}", " ");
    // Character references (`&#9776;`, `&amp;`) are signs, not words.
    let mut plain = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find('&') {
        plain.push_str(&rest[..at]);
        let tail = &rest[at..];
        match tail.find(';') {
            Some(end) if end < 10 && !tail[1..end].contains(' ') => rest = &tail[end + 1..],
            _ => {
                plain.push('&');
                rest = &tail[1..];
            }
        }
    }
    plain.push_str(rest);
    let mut found = Vec::new();
    let mut rest = plain.as_str();
    loop {
        let (between, tag) = match rest.find('<') {
            Some(open) => (&rest[..open], Some(&rest[open..])),
            None => (rest, None),
        };
        if has_letters(between) {
            found.push(between.trim().to_string());
        }
        let Some(tag) = tag else { break };
        let end = tag.find('>').unwrap_or(tag.len() - 1);
        let inside = &tag[..end];
        for attribute in [
            "title=\"",
            "aria-label=\"",
            "alt=\"",
            "placeholder=\"",
            "data-draft-mark=\"",
        ] {
            for (at, _) in inside.match_indices(attribute) {
                let value = &inside[at + attribute.len()..];
                let value = &value[..value.find('"').unwrap_or(value.len())];
                if has_letters(value) {
                    found.push(format!("{attribute}{value}\""));
                }
            }
        }
        rest = &tag[end + 1..];
    }
    found
}

/// The words a Typst template sets as markup (`[Planned]`, a line of
/// text), and its string literals that read as a phrase (`"Changes from
/// "`). Code, `#expressions`, labels, comments and raw text are skipped.
struct Typst<'a> {
    chars: Vec<char>,
    at: usize,
    found: Vec<String>,
    /// String literals that are no reader's words (font names).
    allowed: &'a [&'a str],
}

impl Typst<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn line(&self) -> usize {
        self.chars[..self.at.min(self.chars.len())]
            .iter()
            .filter(|c| **c == '\n')
            .count()
            + 1
    }

    fn comment(&mut self) -> bool {
        match (self.peek(0), self.peek(1)) {
            (Some('/'), Some('/')) => {
                while self.peek(0).is_some_and(|c| c != '\n') {
                    self.at += 1;
                }
                true
            }
            (Some('/'), Some('*')) => {
                while self.at < self.chars.len()
                    && !(self.peek(0) == Some('*') && self.peek(1) == Some('/'))
                {
                    self.at += 1;
                }
                self.at += 2;
                true
            }
            _ => false,
        }
    }

    /// Markup up to `close` (`]`) or the end.
    fn markup(&mut self, close: Option<char>) {
        while let Some(c) = self.peek(0) {
            if Some(c) == close {
                self.at += 1;
                return;
            }
            if self.comment() {
                continue;
            }
            match c {
                '\\' => self.at += 2,
                '[' => {
                    self.at += 1;
                    self.markup(Some(']'));
                }
                '#' => {
                    self.at += 1;
                    self.hash();
                }
                '`' => {
                    self.at += 1;
                    while self.peek(0).is_some_and(|c| c != '`') {
                        self.at += 1;
                    }
                    self.at += 1;
                }
                '<' if self.peek(1).is_some_and(|c| c.is_ascii_lowercase()) => {
                    while self.peek(0).is_some_and(|c| c != '>') {
                        self.at += 1;
                    }
                    self.at += 1;
                }
                c if c.is_alphabetic() => {
                    let line = self.line();
                    let start = self.at;
                    while self.peek(0).is_some_and(|c| c.is_alphanumeric()) {
                        self.at += 1;
                    }
                    let word: String = self.chars[start..self.at].iter().collect();
                    self.found.push(format!("line {line}: {word}"));
                }
                _ => self.at += 1,
            }
        }
    }

    /// An embedded expression after `#`.
    fn hash(&mut self) {
        match self.peek(0) {
            Some('{') => {
                self.at += 1;
                return self.code('}');
            }
            Some('(') => {
                self.at += 1;
                return self.code(')');
            }
            _ => {}
        }
        let ident = self.ident();
        match ident.as_str() {
            "if" | "for" | "while" => return self.control(&ident),
            "context" => {
                self.spaces();
                return self.hash();
            }
            "let" | "set" | "show" | "import" | "include" => {
                // To the end of its line, with its blocks.
                while let Some(c) = self.peek(0) {
                    if c == '\n' || matches!(c, ']' | ')' | '}') {
                        return;
                    }
                    self.code_step();
                }
                return;
            }
            _ => {}
        }
        loop {
            match self.peek(0) {
                Some('.') if self.peek(1).is_some_and(|c| c.is_alphabetic()) => {
                    self.at += 1;
                    self.ident();
                }
                Some('(') => {
                    self.at += 1;
                    self.code(')');
                }
                Some('[') => {
                    self.at += 1;
                    self.markup(Some(']'));
                }
                _ => return,
            }
        }
    }

    fn spaces(&mut self) {
        while self.peek(0).is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    /// `if`, `for`, `while`: code up to the body, the body, and for `if`
    /// any `else` and its body.
    fn control(&mut self, keyword: &str) {
        loop {
            while let Some(c) = self.peek(0) {
                match c {
                    '[' => {
                        self.at += 1;
                        self.markup(Some(']'));
                        break;
                    }
                    '{' => {
                        self.at += 1;
                        self.code('}');
                        break;
                    }
                    ']' | ')' | '}' => return,
                    _ => self.code_step(),
                }
            }
            let before = self.at;
            self.spaces();
            let rest: String = self.chars[self.at..].iter().take(5).collect();
            if keyword == "if"
                && rest.starts_with("else")
                && !rest[4..].starts_with(|c: char| c.is_alphanumeric())
            {
                self.at += 4;
            } else {
                self.at = before;
                return;
            }
        }
    }

    fn ident(&mut self) -> String {
        let start = self.at;
        while self
            .peek(0)
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    /// Code up to `close`.
    fn code(&mut self, close: char) {
        while let Some(c) = self.peek(0) {
            if c == close {
                self.at += 1;
                return;
            }
            self.code_step();
        }
    }

    fn code_step(&mut self) {
        if self.comment() {
            return;
        }
        let c = self.peek(0).unwrap_or(' ');
        self.at += 1;
        match c {
            '[' => self.markup(Some(']')),
            '{' => self.code('}'),
            '(' => self.code(')'),
            '"' => {
                let line = self.line();
                let start = self.at;
                while let Some(c) = self.peek(0) {
                    self.at += 1;
                    match c {
                        '\\' => self.at += 1,
                        '"' => break,
                        _ => {}
                    }
                }
                let text: String = self.chars[start..self.at - 1].iter().collect();
                // A theme author's error message is no reader's word.
                let line_start = self.chars[..start]
                    .iter()
                    .rposition(|c| *c == '\n')
                    .map_or(0, |i| i + 1);
                let in_panic = self.chars[line_start..start]
                    .iter()
                    .collect::<String>()
                    .contains("panic(");
                if reads(&text) && !in_panic && !self.allowed.contains(&text.as_str()) {
                    self.found.push(format!("line {line}: \"{text}\""));
                }
            }
            _ => {}
        }
    }
}

/// Whether a string literal reads as words: two words with a space
/// between them ("Changes from "), or one that starts with a capital
/// ("Planned"). Names in code (`"part:before"`, `"version_label"`,
/// `"upbook-theme"`) do neither.
fn reads(literal: &str) -> bool {
    let chars: Vec<char> = literal.chars().collect();
    let phrase = chars.windows(5).any(|w| {
        w[0].is_alphabetic()
            && w[1].is_alphabetic()
            && w[2] == ' '
            && w[3].is_alphabetic()
            && w[4].is_alphabetic()
    });
    let word = chars.first().is_some_and(|c| c.is_uppercase())
        && chars.get(1).is_some_and(|c| c.is_lowercase());
    phrase || word
}

pub fn typst_words(template: &str) -> Vec<String> {
    let mut scan = Typst {
        chars: template.chars().collect(),
        at: 0,
        found: Vec::new(),
        allowed: &[
            "Libertinus Serif",
            "DejaVu Sans Mono",
            "New Computer Modern Sans",
        ],
    };
    scan.markup(None);
    scan.found
}

/// The string literals of a script that a reader could see: any with a
/// word in it, apart from the DOM's own names (selectors, attributes,
/// event and key names, storage keys), which are written as code.
pub fn script_words(script: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in script.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(open) = rest.find('"') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('"') else { break };
            let literal = &after[..close];
            let before = rest[..open].trim_end();
            rest = &after[close + 1..];
            let code_name = [
                "querySelector(",
                "querySelectorAll(",
                "closest(",
                "getAttribute(",
                "setAttribute(",
                "removeAttribute(",
                "hasAttribute(",
                "addEventListener(",
                "createElement(",
                "getElementById(",
                "matchMedia(",
                "ev.key ===",
                "tagName ===",
                "Error(",
            ]
            .iter()
            .any(|call| before.ends_with(call));
            // A word a reader reads starts with a capital or holds a
            // space between words; names in code do neither.
            let style = before.contains(".style.") || literal == "use strict";
            if reads(literal)
                && !code_name
                && !style
                && !literal.starts_with('.')
                && !literal.starts_with('[')
            {
                found.push(format!("line {}: \"{literal}\"", n + 1));
            }
        }
    }
    found
}

/// The words a stylesheet prints itself: `content: "DRAFT"`.
pub fn css_words(css: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in css.lines().enumerate() {
        for (at, _) in line.match_indices("content:") {
            let value = line[at + "content:".len()..]
                .split(';')
                .next()
                .unwrap_or("");
            let quoted: String = value.split('"').skip(1).step_by(2).collect();
            if has_letters(&quoted) {
                found.push(format!("line {}: {}", n + 1, value.trim()));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scanners_find_words_where_they_are() {
        assert_eq!(
            html_words(
                "<p title=\"Hi there\">{{ x }} Summary {% if y %}<b>{{ z }}</b>{% endif %}</p>&#9776;"
            ),
            vec!["title=\"Hi there\"".to_string(), "Summary".to_string()]
        );
        assert!(
            html_words("<a href=\"x\" aria-label=\"{{ strings.y }}\">{{ a }}</a>&amp;").is_empty()
        );
        assert_eq!(
            typst_words(
                "= #fill(\"x\")\n#if a [Planned] else { [#b] }\n// Note\n#text(font: \"DejaVu Sans Mono\")[#c.d]"
            ),
            vec!["line 2: Planned".to_string()]
        );
        assert_eq!(
            css_words(
                ".a::after { content: \"DRAFT\"; }\n.b::before { content: \"\"; }\n.c::after { content: attr(x); }"
            ),
            vec!["line 1: \"DRAFT\"".to_string()]
        );
        assert_eq!(
            typst_words("#let f(x) = \"Changes from \" + x <label>"),
            vec!["line 1: \"Changes from \"".to_string()]
        );
        assert_eq!(
            script_words(
                "a.textContent = \"Saved. Thanks\";\nq.querySelector(\".a b\"); t(\"copy_code\"); if (ev.key === \"Enter\") {}\nb.title = \"Copy\";"
            ),
            vec![
                "line 1: \"Saved. Thanks\"".to_string(),
                "line 3: \"Copy\"".to_string()
            ]
        );
    }
}
