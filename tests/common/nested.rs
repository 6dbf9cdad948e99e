//! Notes nested or repeated past any sensible size, for the limits'
//! tests and the fuzz harness: each makes the Markdown body of a note.

/// `depth` block quotes inside each other, written `> > > text`.
pub fn quotes(depth: usize) -> String {
    format!("{}deepest\n", "> ".repeat(depth))
}

/// `depth` bulleted lists inside each other, written `- - - text`.
pub fn lists(depth: usize) -> String {
    format!("{}deepest\n", "- ".repeat(depth))
}

/// `depth` numbered lists inside each other, one level a line, as an
/// editor indents them.
pub fn numbered(depth: usize) -> String {
    (0..depth)
        .map(|level| format!("{}1. level {}\n", "   ".repeat(level), level + 1))
        .collect()
}

/// `depth` callouts inside each other.
pub fn callouts(depth: usize) -> String {
    (0..depth)
        .map(|level| {
            format!(
                "{}[!WARNING]\n{}level {}\n",
                "> ".repeat(level + 1),
                "> ".repeat(level + 1),
                level + 1
            )
        })
        .collect()
}

/// A step holding lists and quotes by turns, `depth` levels below the
/// step's own (a step is an item of a list: `depth + 1` levels in all).
pub fn mixed(depth: usize) -> String {
    let mut out = String::from("1. The step\n");
    let mut indent = String::from("   ");
    for level in 0..depth {
        if level % 2 == 0 {
            out.push_str(&format!("{indent}- level {}\n", level + 1));
            indent.push_str("  ");
        } else {
            out.push_str(&format!("{indent}> level {}\n", level + 1));
            indent.push_str("> ");
        }
    }
    out
}

/// `depth` emphases inside each other: `*a *a … b* b*`.
pub fn emphasis(depth: usize) -> String {
    format!("{}b{}\n", "*a ".repeat(depth), "* b".repeat(depth))
}

/// A link holding `depth - 1` emphases, strongs and strikethroughs
/// inside each other.
pub fn inlines(depth: usize) -> String {
    let (mut open, mut close) = (String::new(), String::new());
    for level in 0..depth {
        // A link holds no link, so only the outermost level is one.
        let (o, c) = match level % 3 {
            _ if level == 0 => ("[", "](#backup-the-configuration)"),
            0 => ("_", "_"),
            1 => ("**", "**"),
            _ => ("~~", "~~"),
        };
        open.push_str(o);
        open.push_str("x ");
        close.insert_str(0, c);
        close.insert_str(0, " y");
    }
    format!("{open}deepest{close}\n")
}

/// `depth` blocks limited to Production inside each other.
pub fn divs(depth: usize) -> String {
    format!(
        "{}For Production only.\n{}",
        "::: {only=\"production\"}\n".repeat(depth),
        ":::\n".repeat(depth)
    )
}

/// `depth` `each-host` blocks inside each other: a step repeated once per
/// host, per host, … (Production has three brokers).
pub fn each_host(depth: usize) -> String {
    format!(
        "{}1. Restart the broker on `{{{{ host.name }}}}`.\n{}",
        "::: {each-host=\"Message broker\"}\n".repeat(depth),
        ":::\n".repeat(depth)
    )
}

/// A note of `title` (id and file name from it) in the test phase.
pub fn note(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nphase: test\norder: 90\n---\n{body}")
}
