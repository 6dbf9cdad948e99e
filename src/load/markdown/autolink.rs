//! GitHub's extended autolinks: a bare `https://…`, `www.…` or e-mail
//! address in a note's text becomes a link, once, here, so every backend
//! (HTML, PDF, Word) gets the same links. The renderers' link allowlist
//! (`render::escape::safe_url`) still decides what is written.
//!
//! A `{{ name }}` standing alone whose value is a link in every copy
//! (`{{ env.admin_url }}`) becomes a link too: its target and text are
//! the reference, which each copy fills in like any other.

use linkify::{LinkFinder, LinkKind};

use crate::model::document::Inline;
use crate::model::variables::{Scope, spans};

/// Turns the bare links in `content`'s text into links. Text inside a
/// link stays as it is (a link in a link means nothing); code is never
/// text here, so commands are left alone.
pub(super) fn apply(content: &mut Vec<Inline>, scope: &Scope) {
    let finder = Finder {
        links: finder(),
        scope,
    };
    link_in(content, &finder);
}

struct Finder<'s> {
    links: LinkFinder,
    scope: &'s Scope,
}

fn finder() -> LinkFinder {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url, LinkKind::Email]);
    finder.url_must_have_scheme(false);
    finder
}

fn link_in(content: &mut Vec<Inline>, finder: &Finder) {
    let mut out = Vec::with_capacity(content.len());
    for inline in content.drain(..) {
        match inline {
            Inline::Text { text } => split(&text, finder, &mut out),
            Inline::Emphasis { mut content } => {
                link_in(&mut content, finder);
                out.push(Inline::Emphasis { content });
            }
            Inline::Strong { mut content } => {
                link_in(&mut content, finder);
                out.push(Inline::Strong { content });
            }
            Inline::Strikethrough { mut content } => {
                link_in(&mut content, finder);
                out.push(Inline::Strikethrough { content });
            }
            other => out.push(other),
        }
    }
    *content = out;
}

/// `text` as text and links, in order.
fn split(text: &str, finder: &Finder, out: &mut Vec<Inline>) {
    let mut rest = 0;
    for (open, close, name) in spans(text) {
        let Some(url) = reference_target(text, open, close, name, finder) else {
            continue;
        };
        split_plain(&text[rest..open], &finder.links, out);
        out.push(Inline::Link {
            url,
            title: String::new(),
            content: vec![Inline::Text {
                text: text[open..close].to_string(),
            }],
        });
        rest = close;
    }
    split_plain(&text[rest..], &finder.links, out);
}

/// Where `{{ name }}` (at `open..close` in `text`) links to, when it
/// stands as a word of its own and every value it takes is one whole link
/// of the same kind; the target keeps the reference, to be filled in.
fn reference_target(
    text: &str,
    open: usize,
    close: usize,
    name: &str,
    finder: &Finder,
) -> Option<String> {
    let before = text[..open].chars().next_back();
    let after = text[close..].chars().next();
    let apart = |c: Option<char>, ok: &str| c.is_none_or(|c| c.is_whitespace() || ok.contains(c));
    if !apart(before, "(") || !apart(after, ".,;:!?)") {
        return None;
    }
    let values = finder.scope.values_of(name);
    let mut targets = values.iter().map(|value| {
        let mut found = finder.links.links(value);
        let link = found
            .next()
            .filter(|l| l.start() == 0 && l.end() == value.len())?;
        let url = target(link.as_str(), link.kind(), "")?;
        // The scheme the target adds (`mailto:`, `http://`), if any.
        Some(url[..url.len() - value.len()].to_string())
    });
    let first = targets.next()??;
    if !targets.all(|t| t.as_deref() == Some(first.as_str())) {
        return None;
    }
    Some(format!("{first}{}", &text[open..close]))
}

/// `text`, which holds no reference to link, as text and links.
fn split_plain(text: &str, finder: &LinkFinder, out: &mut Vec<Inline>) {
    if text.is_empty() {
        return;
    }
    let mut rest = 0;
    for link in finder.links(text) {
        let Some(url) = target(link.as_str(), link.kind(), &text[link.end()..]) else {
            continue;
        };
        if link.start() > rest {
            out.push(Inline::Text {
                text: text[rest..link.start()].to_string(),
            });
        }
        out.push(Inline::Link {
            url,
            title: String::new(),
            content: vec![Inline::Text {
                text: link.as_str().to_string(),
            }],
        });
        rest = link.end();
    }
    if rest < text.len() {
        out.push(Inline::Text {
            text: text[rest..].to_string(),
        });
    }
}

/// Where a found link goes, as GitHub writes it: `www.` gets `http://`,
/// an address `mailto:`. Nothing for what GitHub would not link (a bare
/// `host.example` without `www.`), nor for a link that runs into a
/// `{{ name }}` still to be filled, which would point somewhere half-made.
fn target(found: &str, kind: &LinkKind, after: &str) -> Option<String> {
    if after.starts_with('{') || found.contains('{') {
        return None;
    }
    match kind {
        LinkKind::Email => Some(format!("mailto:{found}")),
        LinkKind::Url => {
            let lower = found.to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                Some(found.to_string())
            } else if lower.starts_with("www.") {
                Some(format!("http://{found}"))
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linked(text: &str) -> Vec<Inline> {
        let mut content = vec![Inline::Text { text: text.into() }];
        apply(&mut content, &scope());
        content
    }

    fn scope() -> Scope {
        let vars = |url: &str| {
            [("admin_url".to_string(), url.to_string())]
                .into_iter()
                .collect()
        };
        let mut scope = Scope::default();
        scope.environments = vec![
            ("Staging".into(), vars("https://stg.example:8443/admin")),
            ("Production".into(), vars("https://prd.example:8443/admin")),
        ];
        scope.values = [("customer".to_string(), "Acme".to_string())]
            .into_iter()
            .collect();
        scope
    }

    fn link(url: &str, text: &str) -> Inline {
        Inline::Link {
            url: url.into(),
            title: String::new(),
            content: vec![Inline::Text { text: text.into() }],
        }
    }

    #[test]
    fn bare_links_and_addresses_become_links() {
        let got = linked(
            "Open https://kfl-prd-dm01.kestrel.example:8443/admin, or www.example.com; ask dana@example.com.",
        );
        assert_eq!(
            got,
            vec![
                Inline::Text {
                    text: "Open ".into()
                },
                link(
                    "https://kfl-prd-dm01.kestrel.example:8443/admin",
                    "https://kfl-prd-dm01.kestrel.example:8443/admin"
                ),
                Inline::Text {
                    text: ", or ".into()
                },
                link("http://www.example.com", "www.example.com"),
                Inline::Text {
                    text: "; ask ".into()
                },
                link("mailto:dana@example.com", "dana@example.com"),
                Inline::Text { text: ".".into() },
            ]
        );
    }

    #[test]
    fn plain_text_and_host_names_stay_text() {
        let text = "Stop the manager on stg-dm01.kestrel.example and wait.";
        assert_eq!(linked(text), vec![Inline::Text { text: text.into() }]);
    }

    #[test]
    fn a_link_still_to_be_filled_in_stays_text() {
        let text = "Open https://{{ env.dm_host }}:8443/admin now.";
        let got = linked(text);
        assert!(
            got.iter().all(|i| matches!(i, Inline::Text { .. })),
            "{got:?}"
        );
    }

    #[test]
    fn a_reference_whose_values_are_links_links_to_itself() {
        let got = linked("Sign in at {{ env.admin_url }}, as {{ customer }}.");
        assert_eq!(
            got,
            vec![
                Inline::Text {
                    text: "Sign in at ".into()
                },
                link("{{ env.admin_url }}", "{{ env.admin_url }}"),
                Inline::Text {
                    text: ", as {{ customer }}.".into()
                },
            ]
        );
    }

    #[test]
    fn text_inside_a_link_is_not_linked_again() {
        let mut content = vec![Inline::Link {
            url: "https://a.example".into(),
            title: String::new(),
            content: vec![Inline::Text {
                text: "https://b.example".into(),
            }],
        }];
        let before = content.clone();
        apply(&mut content, &scope());
        assert_eq!(content, before);
    }
}
