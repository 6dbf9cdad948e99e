//! Syntax highlighting at build time: syntect's grammars find the tokens,
//! and each gets one CSS class (`hl-keyword`, ...), so light, dark and
//! print colours live in the theme's stylesheet and pages need no script.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::escape::push_escaped;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Highlighting with a memory: the same block appears in every
/// environment's copy of the playbook and is highlighted once per build.
/// Below that, lines: a command repeated per host, per environment or per
/// note (`systemctl restart ...`, `done`, `</config>`) is parsed once for
/// each state the grammar is in when it meets it.
#[derive(Default)]
pub struct Highlighter {
    cache: Mutex<HashMap<CodeBlock, Highlighted>>,
}

/// Parsed lines by grammar, then by text. A line's tokens depend on its
/// text and the parser's state before it, and nothing else, so a
/// remembered parse with an equal state before it is the parse. Each
/// thread keeps its own: syntect's states hold Oniguruma regions, which
/// may not cross threads. The memory is bounded by starting over when it
/// is full.
#[derive(Default)]
struct Lines {
    by_grammar: HashMap<usize, HashMap<Box<str>, Vec<ParsedLine>>>,
    count: usize,
}

thread_local! {
    static LINES: RefCell<Lines> = RefCell::default();
}

/// Lines each thread remembers (a few hundred bytes each).
const REMEMBERED_LINES: usize = 100_000;

/// A line's scope changes, each at its byte offset.
type Ops = [(usize, ScopeStackOp)];

struct ParsedLine {
    before: ParseState,
    after: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
}

/// Parses `line` from `state` and hands its scope changes to `apply`,
/// from the memory when the line was met in the same state before
/// (looked up by the text as it is, without a copy). `None` when the
/// grammar fails on it; otherwise what `apply` returned.
fn parse_remembered(
    grammar: usize,
    state: &mut ParseState,
    line: &str,
    apply: &mut dyn FnMut(&Ops) -> bool,
) -> Option<bool> {
    LINES.with_borrow_mut(|lines| {
        if let Some(hit) = lines
            .by_grammar
            .get(&grammar)
            .and_then(|texts| texts.get(line))
            .and_then(|seen| seen.iter().find(|p| p.before == *state))
        {
            state.clone_from(&hit.after);
            return Some(apply(&hit.ops));
        }
        let before = state.clone();
        let ops = state.parse_line(line, &SYNTAXES).ok()?;
        let applied = apply(&ops);
        if lines.count >= REMEMBERED_LINES {
            *lines = Lines::default();
        }
        lines.count += 1;
        lines
            .by_grammar
            .entry(grammar)
            .or_default()
            .entry(line.into())
            .or_default()
            .push(ParsedLine {
                before,
                after: state.clone(),
                ops,
            });
        Some(applied)
    })
}

#[derive(PartialEq, Eq, Hash)]
struct CodeBlock {
    language: Option<String>,
    code: String,
}

struct Highlighted {
    html: Arc<str>,
    /// Asked for since the last `sweep`.
    used: bool,
}

impl Highlighter {
    pub fn highlight(&self, code: &str, language: Option<&str>) -> Arc<str> {
        let key = CodeBlock {
            language: language.map(str::to_string),
            code: code.to_string(),
        };
        if let Some(hit) = self.lock().get_mut(&key) {
            hit.used = true;
            return Arc::clone(&hit.html);
        }
        let html: Arc<str> = highlight_with(code, language, true).into();
        self.lock().insert(
            key,
            Highlighted {
                html: Arc::clone(&html),
                used: true,
            },
        );
        html
    }

    /// Forgets blocks not asked for since the last sweep: in a long
    /// `serve` session every edit of a code block would otherwise stay.
    pub fn sweep(&self) {
        self.lock()
            .retain(|_, entry| std::mem::take(&mut entry.used));
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<CodeBlock, Highlighted>> {
        // Inserts are single calls, so a poisoned map is still whole.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What a token is, for colouring: the few categories a theme styles.
/// syntect's full scope names (`meta.function-call.arguments.shell`) would
/// triple the page size for colours nobody sets.
const CATEGORIES: &[(&str, &str)] = &[
    ("comment", "hl-comment"),
    ("string", "hl-string"),
    ("constant", "hl-constant"),
    ("keyword", "hl-keyword"),
    ("storage", "hl-keyword"),
    ("entity.name.tag", "hl-tag"),
    ("entity.other.attribute-name", "hl-attr"),
    ("entity.name", "hl-entity"),
    ("variable.function", "hl-entity"),
    ("support", "hl-support"),
    ("variable", "hl-variable"),
    ("punctuation.definition.variable", "hl-variable"),
];

static SELECTORS: LazyLock<Vec<(Scope, &'static str)>> = LazyLock::new(|| {
    CATEGORIES
        .iter()
        .filter_map(|(scope, class)| Scope::new(scope).ok().map(|s| (s, *class)))
        .collect()
});

/// The class a scope names itself, if any.
fn own_class(scope: Scope) -> Option<&'static str> {
    SELECTORS
        .iter()
        .find(|(selector, _)| selector.is_prefix_of(scope))
        .map(|(_, class)| *class)
}

/// The class of the innermost scope that has one, for each depth of the
/// scope stack, kept in step with it: a token's class is then the last
/// entry, where searching the stack for every token cost a tenth of the
/// highlighting.
#[derive(Default)]
struct Classes(Vec<Option<&'static str>>);

impl Classes {
    fn current(&self) -> Option<&'static str> {
        self.0.last().copied().flatten()
    }

    /// Follows `stack`, which `op` has just changed.
    fn follow(&mut self, op: &ScopeStackOp, stack: &ScopeStack) {
        let scopes = stack.as_slice();
        match op {
            ScopeStackOp::Push(scope) if scopes.len() == self.0.len() + 1 => {
                self.0.push(own_class(*scope).or(self.current()));
            }
            ScopeStackOp::Pop(_) | ScopeStackOp::Noop if scopes.len() <= self.0.len() => {
                self.0.truncate(scopes.len());
            }
            // Clearing and restoring move the stack by more than one
            // scope: counted again from the bottom.
            _ => {
                self.0.clear();
                for scope in scopes {
                    let class = own_class(*scope).or(self.current());
                    self.0.push(class);
                }
            }
        }
    }
}

/// The highlighted HTML of `code` (without the `<pre><code>` around it),
/// or plain escaped text when the language is unknown, without the
/// memory: what [`Highlighter::highlight`] must equal.
#[cfg(test)]
fn highlight(code: &str, language: Option<&str>) -> String {
    highlight_with(code, language, false)
}

fn highlight_with(code: &str, language: Option<&str>, remember: bool) -> String {
    let syntax = language.and_then(|lang| {
        let lang = match lang.to_ascii_lowercase().as_str() {
            "shell" | "console" | "sh" | "zsh" => "bash".to_string(),
            other => other.to_string(),
        };
        SYNTAXES
            .find_syntax_by_token(&lang)
            .or_else(|| SYNTAXES.find_syntax_by_extension(&lang))
    });
    let mut out = String::with_capacity(code.len() * 2);
    // A grammar's time grows with the square of a line's length; past the
    // limit (`check` warned) the block is text.
    let syntax = syntax.filter(|_| crate::limits::highlights(code));
    let Some(syntax) = syntax else {
        push_escaped(&mut out, code);
        return out;
    };
    // Grammars live as long as the program, so one's address names it.
    let grammar = std::ptr::from_ref(syntax) as usize;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut classes = Classes::default();
    let mut run = Run::default();
    for line in LinesWithEndings::from(code) {
        let mut apply = |ops: &Ops| {
            let mut pos = 0;
            for (at, op) in ops {
                run.push(&mut out, &line[pos..*at], classes.current());
                pos = *at;
                if stack.apply(op).is_err() {
                    return false;
                }
                classes.follow(op, &stack);
            }
            run.push(&mut out, &line[pos..], classes.current());
            true
        };
        let applied = if remember {
            parse_remembered(grammar, &mut state, line, &mut apply)
        } else {
            state
                .parse_line(line, &SYNTAXES)
                .ok()
                .map(|ops| apply(&ops))
        };
        if applied != Some(true) {
            out.clear();
            push_escaped(&mut out, code);
            return out;
        }
    }
    run.close(&mut out);
    out
}

/// Adjacent tokens of one class share a `<span>`.
#[derive(Default)]
struct Run {
    open: Option<&'static str>,
}

impl Run {
    fn push(&mut self, out: &mut String, text: &str, class: Option<&'static str>) {
        if text.is_empty() {
            return;
        }
        // Whitespace takes no colour, so it never splits a run.
        let class = if text.trim().is_empty() {
            self.open
        } else {
            class
        };
        if class != self.open {
            self.close(out);
            if let Some(class) = class {
                out.push_str("<span class=\"");
                out.push_str(class);
                out.push_str("\">");
            }
            self.open = class;
        }
        push_escaped(out, text);
    }

    fn close(&mut self, out: &mut String) {
        if self.open.take().is_some() {
            out.push_str("</span>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Highlighter, highlight};

    #[test]
    fn blocks_not_asked_for_since_the_last_sweep_are_forgotten() {
        let h = Highlighter::default();
        let first = h.highlight("ls -l\n", Some("bash"));
        h.highlight("pwd\n", Some("bash"));
        assert_eq!(h.len(), 2);
        h.sweep();
        // Asked for again after the sweep: kept, and the same text.
        assert_eq!(h.highlight("ls -l\n", Some("bash")), first);
        h.sweep();
        assert_eq!(h.len(), 1, "the block edited away is forgotten");
        h.sweep();
        assert_eq!(h.len(), 0);
    }

    #[test]
    fn a_remembered_line_is_parsed_again_in_another_state() {
        // `done` and `echo hi` appear as code and inside a string that
        // spans lines: the memory must not give the string's line the
        // code's tokens, or the other way round.
        let code =
            "for h in a b; do\n  echo hi\ndone\ncat <<'EOF'\n  echo hi\ndone\nEOF\necho hi\n";
        let h = Highlighter::default();
        let once = h.highlight(code, Some("bash"));
        assert_eq!(&*once, highlight(code, Some("bash")));
        // A second block of the same lines, put together another way,
        // from the memory alone.
        let other = "cat <<'EOF'\ndone\nEOF\ndone\n";
        assert_eq!(
            &*h.highlight(other, Some("bash")),
            highlight(other, Some("bash"))
        );
        let states = super::LINES.with_borrow(|lines| {
            lines
                .by_grammar
                .get(&grammar_of("bash"))
                .and_then(|texts| texts.get("done\n"))
                .map_or(0, Vec::len)
        });
        assert!(states >= 2, "`done` as code and as text: {states}");
    }

    /// The classes kept in step with the stack are those a search of the
    /// whole stack finds, after every change, in grammars that push,
    /// pop, clear and restore scopes.
    #[test]
    fn classes_follow_the_scope_stack() {
        use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp};
        let mut cleared = false;
        let samples = [
            (
                "bash",
                "for h in $(cat hosts); do\n  ssh \"$h\" 'echo ${X:-1}' # c\ndone\ncat <<EOF\n$HOME\nEOF\n",
            ),
            ("yaml", "a: {b: [1, \"x\"], c: &d e}\n# c\nf: |\n  text\n"),
            (
                "xml",
                "<?xml version=\"1.0\"?>\n<a b=\"c\"><!-- d --><![CDATA[x]]></a>\n",
            ),
            ("sql", "SELECT a, 'b' FROM t WHERE c = 1; -- d\n"),
            (
                "html",
                "<p class=\"x\">a<script>var b = \"c\";</script><style>p{color:red}</style></p>\n",
            ),
            ("python", "def f(x):\n    return f\"{x!r}\" # c\n"),
        ];
        let search = |stack: &ScopeStack| {
            stack
                .as_slice()
                .iter()
                .rev()
                .find_map(|scope| super::own_class(*scope))
        };
        for (language, code) in samples {
            let syntax = super::SYNTAXES.find_syntax_by_token(language).unwrap();
            let mut state = ParseState::new(syntax);
            let mut stack = ScopeStack::new();
            let mut classes = super::Classes::default();
            for line in syntect::util::LinesWithEndings::from(code) {
                for (_, op) in state.parse_line(line, &super::SYNTAXES).unwrap() {
                    cleared |= matches!(op, ScopeStackOp::Clear(_));
                    stack.apply(&op).unwrap();
                    classes.follow(&op, &stack);
                    assert_eq!(classes.current(), search(&stack), "{language}: {line:?}");
                }
            }
        }
        assert!(cleared, "a grammar cleared scopes, and restored them");
    }

    fn grammar_of(token: &str) -> usize {
        std::ptr::from_ref(super::SYNTAXES.find_syntax_by_token(token).unwrap()) as usize
    }

    #[test]
    fn known_language_gets_classes_and_stays_escaped() {
        let html = highlight("echo \"<b>\" # note\n", Some("bash"));
        assert!(html.contains("hl-comment"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn a_line_too_long_to_highlight_leaves_the_block_as_text() {
        // 100 KB on one line: quadratic highlighting would take minutes.
        let line = "x=\"a\" ".repeat(100_000 / 7);
        let code = format!("echo <ok>\n{line}\n");
        let html = highlight(&code, Some("bash"));
        assert!(!html.contains("<span"), "{}", &html[..200]);
        assert!(html.starts_with("echo &lt;ok&gt;\n"));
        let short = highlight("echo <ok>\n", Some("bash"));
        assert!(short.contains("<span"), "{short}");
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        assert_eq!(highlight("<x>", Some("nope")), "&lt;x&gt;");
    }
}
