//! Document blocks to HTML. Text is escaped as it is written; no string
//! from a note reaches the page unescaped.

use std::fmt::Write;

use crate::model::document::{Alignment, Block, Inline, Section, step_anchor};
use crate::render::escape::{open_tag, push_escaped, safe_url};
use crate::render::highlight::Highlighter;
use crate::strings::Strings;

/// Renders a section's blocks. `heading_base` is the level of the
/// section's own heading, so a note's headings nest beneath it;
/// `section_id` keeps footnote anchors unique on the page.
pub fn render(
    section: &Section,
    heading_base: u8,
    highlighter: &Highlighter,
    strings: &Strings,
) -> String {
    let mut out = String::new();
    let ctx = Context {
        heading_base,
        section,
        section_id: &section.id,
        highlighter,
        strings,
    };
    for block in section.blocks.iter() {
        ctx.block(&mut out, block);
    }
    out
}

struct Context<'a> {
    heading_base: u8,
    section: &'a Section,
    section_id: &'a str,
    highlighter: &'a Highlighter,
    strings: &'a Strings,
}

impl Context<'_> {
    fn block(&self, out: &mut String, block: &Block) {
        match block {
            Block::Paragraph { content } => {
                out.push_str("<p>");
                self.inlines(out, content);
                out.push_str("</p>\n");
            }
            Block::Heading { level, id, content } => {
                let h = (self.heading_base + level).min(6);
                let _ = write!(out, "<h{h} id=\"");
                push_escaped(out, id);
                out.push_str("\">");
                self.inlines(out, content);
                out.push_str("<a class=\"anchor\" href=\"#");
                push_escaped(out, id);
                out.push_str("\" aria-label=\"");
                push_escaped(out, self.strings.get("heading_link"));
                let _ = writeln!(out, "\">#</a></h{h}>");
            }
            Block::Steps { steps } => {
                out.push_str("<ol class=\"steps\">\n");
                for step in steps {
                    let n = self.section.step_number(step);
                    let label = self.section.step_label(step);
                    let anchor = step_anchor(&label);
                    let class = if step.no_return {
                        "step no-return"
                    } else {
                        "step"
                    };
                    // The box is the browser checklist's; book.js shows it
                    // and keeps its state. Without scripts the step number
                    // carries an empty box for print.
                    let words = |key| self.strings.with_label(key, &label);
                    let _ = write!(
                        out,
                        "<li class=\"{class}\" id=\"{anchor}\" value=\"{n}\"><a class=\"step-number\" href=\"#{anchor}\" title=\""
                    );
                    push_escaped(out, &words("step_link"));
                    out.push_str("\">");
                    push_escaped(out, &words("step"));
                    let _ = write!(
                        out,
                        "</a><label class=\"step-check\" hidden><input type=\"checkbox\" data-step=\"{label}\"><span class=\"visually-hidden\">"
                    );
                    push_escaped(out, &words("step_done"));
                    out.push_str("</span></label><div class=\"step-body\">");
                    for b in &step.blocks {
                        self.block(out, b);
                    }
                    if step.no_return {
                        out.push_str("<p class=\"no-return-note\"><strong>");
                        push_escaped(out, self.strings.get("no_return"));
                        out.push_str("</strong> ");
                        push_escaped(out, self.strings.get("no_return_after"));
                        out.push_str(" <a href=\"#back-out\">");
                        push_escaped(out, self.strings.get("back_out_plan"));
                        out.push_str("</a>.</p>");
                    }
                    out.push_str("</div></li>\n");
                }
                out.push_str("</ol>\n");
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                let tight = items.iter().all(|i| i.blocks.len() <= 1);
                let class = if tight { " class=\"tight\"" } else { "" };
                match (ordered, start) {
                    (true, 1) => {
                        let _ = write!(out, "<ol{class}>");
                    }
                    (true, n) => {
                        let _ = write!(out, "<ol{class} start=\"{n}\">");
                    }
                    (false, _) => {
                        let _ = write!(out, "<ul{class}>");
                    }
                }
                out.push('\n');
                for item in items {
                    match item.checked {
                        Some(done) => {
                            // Labelled with the task's own words.
                            let label = crate::model::document::plain_text_of(&item.blocks);
                            out.push_str("<li class=\"task\">");
                            let mut attrs =
                                vec![("type", "checkbox"), ("aria-label", label.as_str())];
                            if done {
                                attrs.push(("checked", ""));
                            }
                            attrs.push(("disabled", ""));
                            open_tag(out, "input", &attrs);
                            out.push(' ');
                        }
                        None => out.push_str("<li>"),
                    }
                    for b in &item.blocks {
                        self.block(out, b);
                    }
                    out.push_str("</li>\n");
                }
                out.push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
            }
            Block::Code { language, code } => push_code(
                out,
                language.as_deref(),
                &self.highlighter.highlight(code, language.as_deref()),
            ),
            Block::Table {
                alignments,
                header,
                rows,
                ..
            } => {
                // Focusable, so a table wider than the page scrolls from
                // the keyboard too.
                out.push_str("<div class=\"table-wrap\" tabindex=\"0\"><table>\n<thead><tr>");
                for (i, cell) in header.iter().enumerate() {
                    self.cell(out, "th", alignments.get(i), cell);
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for (i, cell) in row.iter().enumerate() {
                        self.cell(out, "td", alignments.get(i), cell);
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody></table></div>\n");
            }
            Block::Callout {
                kind,
                title,
                id,
                blocks,
            } => {
                let label = kind.label();
                let class = format!("callout callout-{}", label.to_ascii_lowercase());
                let mut attrs = vec![("class", class.as_str()), ("role", "note")];
                if let Some(id) = id {
                    attrs.push(("id", id.as_str()));
                }
                open_tag(out, "aside", &attrs);
                out.push_str("<p class=\"callout-title\">");
                let kind_name = self.strings.name("callout", label);
                push_escaped(out, title.as_deref().unwrap_or(&kind_name));
                out.push_str("</p>\n");
                for b in blocks {
                    self.block(out, b);
                }
                out.push_str("</aside>\n");
            }
            Block::Quote { blocks } => {
                out.push_str("<blockquote>\n");
                for b in blocks {
                    self.block(out, b);
                }
                out.push_str("</blockquote>\n");
            }
            Block::Rule => out.push_str("<hr>\n"),
            // Copies resolve these before rendering; a page that shows the
            // unresolved tree shows everything.
            Block::Only { blocks, .. } | Block::EachHost { blocks, .. } => {
                for b in blocks {
                    self.block(out, b);
                }
            }
            Block::Footnote { label, blocks } => {
                let id = format!("fn-{}-{}", self.section_id, label);
                open_tag(out, "div", &[("class", "footnote"), ("id", &id)]);
                out.push_str("<span class=\"footnote-label\">");
                push_escaped(out, label);
                out.push_str("</span>");
                for b in blocks {
                    self.block(out, b);
                }
                out.push_str("</div>\n");
            }
        }
    }

    fn cell(&self, out: &mut String, tag: &str, align: Option<&Alignment>, content: &[Inline]) {
        let style = match align {
            Some(Alignment::Left) => " class=\"left\"",
            Some(Alignment::Center) => " class=\"center\"",
            Some(Alignment::Right) => " class=\"right\"",
            _ => "",
        };
        let _ = write!(out, "<{tag}{style}>");
        self.inlines(out, content);
        let _ = write!(out, "</{tag}>");
    }

    fn inlines(&self, out: &mut String, content: &[Inline]) {
        for inline in content {
            self.inline(out, inline);
        }
    }

    fn inline(&self, out: &mut String, inline: &Inline) {
        match inline {
            Inline::Text { text } => push_escaped(out, text),
            Inline::Code { code } => {
                out.push_str("<code>");
                push_escaped(out, code);
                out.push_str("</code>");
            }
            Inline::Emphasis { content } => self.wrap(out, "em", content),
            Inline::Strong { content } => self.wrap(out, "strong", content),
            Inline::Strikethrough { content } => self.wrap(out, "del", content),
            Inline::Link {
                url,
                title,
                content,
            } => match safe_url(url) {
                Some(url) => {
                    let mut attrs = vec![("href", url)];
                    if !title.is_empty() {
                        attrs.push(("title", title.as_str()));
                    }
                    open_tag(out, "a", &attrs);
                    self.inlines(out, content);
                    out.push_str("</a>");
                }
                None => self.inlines(out, content),
            },
            Inline::Image { src, alt, title } => {
                let mut attrs = vec![("src", src.as_str()), ("alt", alt.as_str())];
                if !title.is_empty() {
                    attrs.push(("title", title.as_str()));
                }
                attrs.push(("loading", "lazy"));
                open_tag(out, "img", &attrs);
            }
            Inline::FootnoteRef { label } => {
                let id = format!("fn-{}-{}", self.section_id, label);
                out.push_str("<sup class=\"footnote-ref\">");
                open_tag(out, "a", &[("href", &format!("#{id}"))]);
                push_escaped(out, label);
                out.push_str("</a></sup>");
            }
            Inline::SoftBreak => out.push('\n'),
            Inline::LineBreak => out.push_str("<br>\n"),
        }
    }

    fn wrap(&self, out: &mut String, tag: &str, content: &[Inline]) {
        let _ = write!(out, "<{tag}>");
        self.inlines(out, content);
        let _ = write!(out, "</{tag}>");
    }
}

/// A code block as the playbook shows it, for pages that show code
/// outside a note's HTML (the change view's unchanged blocks).
pub fn code_block(highlighter: &Highlighter, code: &str, language: Option<&str>) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    push_code(&mut out, language, &highlighter.highlight(code, language));
    out
}

/// `<pre class="code">` around `highlighted` (the highlighter's escaped
/// output for `language`), a line per `<span class="line">`.
fn push_code(out: &mut String, language: Option<&str>, highlighted: &str) {
    out.push_str("<pre class=\"code\" tabindex=\"0\"");
    if let Some(lang) = language {
        out.push_str(" data-lang=\"");
        push_escaped(out, lang);
        out.push('"');
    }
    out.push_str("><code>");
    push_lines(out, highlighted);
    out.push_str("</code></pre>\n");
}

/// Puts each line of highlighted code in a `<span class="line">` of its
/// own, its leading spaces apart from its text, so that print can wrap a
/// long line with a hanging indent past the line's own indent and a
/// continuation rule (a printed command must not look like two). The
/// highlighter's spans never nest, so one open span is all there is to
/// close at a line's end and open again in the line's text.
fn push_lines(out: &mut String, highlighted: &str) {
    let mut open: Option<&str> = None;
    let mut rest = highlighted;
    let mut line_start = true;
    loop {
        if line_start {
            // Tags before the line's first character only change which
            // span is open; its leading spaces need no colour.
            while rest.starts_with('<') {
                let (tag, after) = split_tag(rest);
                open = opened(tag);
                rest = after;
            }
            if rest.is_empty() {
                // Code that ends with a line feed has no line after it.
                return;
            }
            out.push_str("<span class=\"line\">");
            let lead = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            if lead > 0 {
                out.push_str("<span class=\"lead\">");
                out.push_str(&rest[..lead]);
                out.push_str("</span>");
            }
            out.push_str("<span class=\"text\">");
            out.push_str(open.unwrap_or_default());
            rest = &rest[lead..];
            line_start = false;
        }
        let Some(at) = rest.find(['<', '\n']) else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix('\n') {
            // The line feed stays inside its line, so that a line shown
            // as a block in print adds no empty line after it.
            if open.is_some() {
                out.push_str("</span>");
            }
            out.push_str("\n</span></span>");
            rest = after;
            line_start = true;
        } else {
            let (tag, after) = split_tag(rest);
            open = opened(tag);
            out.push_str(tag);
            rest = after;
        }
    }
    if open.is_some() {
        out.push_str("</span>");
    }
    out.push_str("</span></span>");
}

fn split_tag(html: &str) -> (&str, &str) {
    html.split_at(html.find('>').map_or(html.len(), |e| e + 1))
}

/// The span open after `tag`: the tag itself, or none after a close.
fn opened(tag: &str) -> Option<&str> {
    (!tag.starts_with("</")).then_some(tag)
}

#[cfg(test)]
mod tests {
    use super::push_lines;

    #[test]
    fn a_span_across_a_line_end_is_closed_and_opened_again() {
        let mut out = String::new();
        push_lines(
            &mut out,
            "a <span class=\"s\">&quot;x\n  y&quot;</span> b\nc",
        );
        assert_eq!(
            out,
            "<span class=\"line\"><span class=\"text\">a <span class=\"s\">&quot;x</span>\n</span></span>\
             <span class=\"line\"><span class=\"lead\">  </span><span class=\"text\"><span class=\"s\">y&quot;</span> b\n</span></span>\
             <span class=\"line\"><span class=\"text\">c</span></span>"
        );
    }

    #[test]
    fn leading_spaces_inside_a_span_go_before_it() {
        let mut out = String::new();
        push_lines(&mut out, "a\n<span class=\"s\">    b</span>");
        assert_eq!(
            out,
            "<span class=\"line\"><span class=\"text\">a\n</span></span>\
             <span class=\"line\"><span class=\"lead\">    </span><span class=\"text\"><span class=\"s\">b</span></span></span>"
        );
    }
}
