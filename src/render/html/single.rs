//! One file to e-mail: a copy's page with its stylesheet, scripts (search
//! index included) and images inside it, so it works opened on its own,
//! offline, with the checklist and the request form. Its policy allows
//! exactly the inlined scripts and styles, by hash, and nothing remote.
//!
//! Links to the other outputs (the report, the PDFs, other versions and
//! copies) would break once the file travels alone: they point at the
//! published site when `site_url` says where that is, and otherwise lose
//! their target, leaving the name as plain text.

use std::borrow::Cow;
use std::collections::BTreeMap;

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;

/// The single-file name of a copy's page: `index.html` →
/// `playbook-single.html`, `production.html` → `production-single.html`.
pub fn file_for(page: &str) -> String {
    match page {
        "index.html" => "playbook-single.html".into(),
        other => format!("{}-single.html", other.trim_end_matches(".html")),
    }
}

/// A version folder's files by path relative to its pages.
pub type Files<'a> = BTreeMap<&'a str, &'a [u8]>;

/// Where the single file's links to the other outputs go: the published
/// output root (`site_url`, ending in `/`) and the version's folder in it.
pub struct Published<'a> {
    pub site_url: &'a str,
    pub folder: &'a str,
}

/// `html` with the files it links inlined, and its links to other files
/// pointed at `published` or dropped.
pub fn inline(
    html: &str,
    files: &Files,
    published: Option<&Published>,
) -> Result<String, Diagnostic> {
    let mut out = String::with_capacity(html.len() * 2);
    let mut scripts = Vec::new();
    let mut styles = Vec::new();
    let mut rest = html;
    // Only `<link`, `<script`, `<img`, `<meta` and `<a` tags change; the
    // text between them is copied in one piece.
    let mut tags = Tags::new(html);
    while let Some(at) = tags.next(html.len() - rest.len()) {
        let at = at - (html.len() - rest.len());
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        if tag.starts_with("<link ") && tag.contains("rel=\"stylesheet\"") {
            let css = text(files, attr(tag, "href"))?;
            if holds(&css, "</style") {
                return Err(Diagnostic::error(
                    "the theme's stylesheet holds `</style`, so it cannot be put inside the single-file page",
                ));
            }
            styles.push(hash(&css));
            out.push_str("<style>");
            out.push_str(&css);
            out.push_str("</style>");
            rest = &rest[end..];
        } else if tag.starts_with("<link ") && tag.contains("rel=\"icon\"") {
            // The icon travels inside the file too, or it is left out:
            // a page e-mailed alone has nothing beside it to link.
            if let Some((href, bytes)) =
                attr(tag, "href").and_then(|href| Some((href, *files.get(&*unescape(href))?)))
            {
                out.push_str(&tag.replacen(
                    &format!("href=\"{href}\""),
                    &format!("href=\"{}\"", data_url(&unescape(href), bytes)),
                    1,
                ));
            }
            rest = &rest[end..];
        } else if tag.starts_with("<script ") && tag.contains(" src=\"") {
            let close = rest
                .find("</script>")
                .map_or(rest.len(), |c| c + "</script>".len());
            let src = attr(tag, "src").map(unescape);
            // The version list lives outside the folder; the single file
            // keeps the list its page was built with.
            if let Some(src) = src.filter(|s| !s.starts_with("../")) {
                let js = text(files, Some(&src))?;
                if holds(&js, "</script") {
                    return Err(Diagnostic::error(format!(
                        "`{src}` holds `</script`, so it cannot be put inside the single-file page"
                    )));
                }
                scripts.push(hash(&js));
                out.push_str("<script>");
                out.push_str(&js);
                out.push_str("</script>");
            }
            rest = &rest[close..];
        } else if tag.starts_with("<img ") {
            match attr(tag, "src").and_then(|src| Some((src, *files.get(src)?))) {
                Some((src, bytes)) => {
                    out.push_str(&tag.replacen(
                        &format!("src=\"{src}\""),
                        &format!("src=\"{}\"", data_url(src, bytes)),
                        1,
                    ));
                }
                None => out.push_str(tag),
            }
            rest = &rest[end..];
        } else if tag.starts_with("<a ") {
            out.push_str(&link(tag, published));
            rest = &rest[end..];
        } else if tag.starts_with("<meta http-equiv=\"Content-Security-Policy\"") {
            // Filled in once every inlined part is known; then where the
            // other outputs are, for book.js (search results in them).
            out.push_str("\u{0}CSP\u{0}");
            let site = published.map(|p| site_link(p, "")).unwrap_or_default();
            crate::render::escape::open_tag(
                &mut out,
                "meta",
                &[("name", "upbook-site"), ("content", &site)],
            );
            rest = &rest[end..];
        } else {
            out.push_str(tag);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    let list = |hashes: &[String]| {
        hashes
            .iter()
            .map(|h| format!("'sha256-{h}'"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let policy = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; form-action 'none'\">",
        list(&scripts),
        list(&styles)
    );
    // In place: a copy of the whole page would double what it touches.
    if let Some(at) = out.find("\u{0}CSP\u{0}") {
        out.replace_range(at..at + "\u{0}CSP\u{0}".len(), &policy);
    }
    Ok(out)
}

/// An `<a>` tag as the single file keeps it: a link inside the page
/// (`#step-3`) or to the web (`https:`, `mailto:`) as it was; a link to
/// another output at the published site, or without its target.
fn link<'t>(tag: &'t str, published: Option<&Published>) -> Cow<'t, str> {
    let Some(href) = attr(tag, "href") else {
        return Cow::Borrowed(tag);
    };
    let target = unescape(href);
    let outside = target.starts_with('#')
        || target
            .find(':')
            .is_some_and(|colon| target.find(['/', '?', '#']).is_none_or(|d| colon < d));
    if outside {
        return Cow::Borrowed(tag);
    }
    let old = format!(" href=\"{href}\"");
    Cow::Owned(match published {
        Some(p) => tag.replacen(
            &old,
            &format!(
                " href=\"{}\"",
                crate::render::escape::escape(&site_link(p, &target))
            ),
            1,
        ),
        None => tag.replacen(&old, "", 1),
    })
}

/// `target`, relative to the version's folder, on the published site.
fn site_link(published: &Published, target: &str) -> String {
    let root = published.site_url.trim_end_matches('/');
    match target.strip_prefix("../") {
        Some(above) => format!("{root}/{above}"),
        None => format!("{root}/{}/{target}", published.folder),
    }
}

/// The tags that may need inlining, found in order: each kind's next
/// start is searched for with a vectorised substring search and kept
/// until passed, so text between them is never looked at byte by byte.
struct Tags<'h> {
    html: &'h [u8],
    finders: Vec<memchr::memmem::Finder<'static>>,
    /// Each kind's next start at or after the last position asked for,
    /// or `None` once there is no more.
    next: Vec<Option<usize>>,
}

impl<'h> Tags<'h> {
    const KINDS: [&'static str; 5] = ["<link ", "<script ", "<img ", "<meta ", "<a "];

    fn new(html: &'h str) -> Tags<'h> {
        let finders: Vec<_> = Self::KINDS
            .iter()
            .map(|kind| memchr::memmem::Finder::new(kind.as_bytes()).into_owned())
            .collect();
        let next = finders.iter().map(|f| f.find(html.as_bytes())).collect();
        Tags {
            html: html.as_bytes(),
            finders,
            next,
        }
    }

    /// Where the first tag at or after `from` starts.
    fn next(&mut self, from: usize) -> Option<usize> {
        for (finder, next) in self.finders.iter().zip(&mut self.next) {
            if next.is_some_and(|at| at < from) {
                *next = finder.find(&self.html[from..]).map(|at| from + at);
            }
        }
        self.next.iter().flatten().min().copied()
    }
}

fn attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut from = 0;
    while let Some(at) = tag[from..].find(name).map(|at| from + at) {
        let value = at + name.len() + 2;
        if tag[..at].ends_with(' ') && tag[at + name.len()..].starts_with("=\"") {
            let len = tag[value..].find('"')?;
            return Some(&tag[value..value + len]);
        }
        from = at + name.len();
    }
    None
}

/// A file the page links, borrowed: the search index is as large as the
/// playbook's text.
fn text<'f>(files: &Files<'f>, path: Option<&str>) -> Result<Cow<'f, str>, Diagnostic> {
    let path = path.unwrap_or_default();
    let path = unescape(path);
    // Checked as UTF-8 first: that pass is several times faster than
    // the lossy one, and the files are the build's own text.
    files
        .get(&*path)
        .map(|b| match std::str::from_utf8(b) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(b),
        })
        .ok_or_else(|| {
            Diagnostic::error(format!(
                "the single-file page needs `{path}`, which the build did not write"
            ))
        })
}

/// Whether `text` holds `closing` (`</script`): a vectorised search, as
/// the text may be megabytes of search index.
fn holds(text: &str, closing: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), closing.as_bytes()).is_some()
}

/// Attribute values come HTML-escaped (`assets&#x2f;style.css`). Most
/// (a page's tens of thousands of `#step-12` links) hold no reference
/// and are borrowed as they are.
fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.replace("&#x2f;", "/")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

fn hash(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// `bytes` as a `data:` URL, typed by `path`'s extension.
fn data_url(path: &str, bytes: &[u8]) -> String {
    format!(
        "data:{};base64,{}",
        media_type(path),
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

fn media_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_other_outputs_go_to_the_site_or_lose_their_target() {
        let html = "<meta http-equiv=\"Content-Security-Policy\" content=\"x\"><a href=\"#step-1\">1</a> <a class=\"x\" href=\"report.html\">Report</a> <a href=\"..&#x2f;index.html\">All</a> <a href=\"mailto:a@b.c\">m</a>";
        let alone = inline(html, &Files::new(), None).unwrap();
        assert!(alone.contains("<a href=\"#step-1\">1</a>"), "{alone}");
        assert!(alone.contains("<a class=\"x\">Report</a>"), "{alone}");
        assert!(alone.contains("<a>All</a>"), "{alone}");
        assert!(alone.contains("<a href=\"mailto:a@b.c\">"), "{alone}");
        assert!(
            alone.contains("<meta name=\"upbook-site\" content=\"\">"),
            "{alone}"
        );
        let site = Published {
            site_url: "https://docs.example.com/acme/",
            folder: "v1.0",
        };
        let published = inline(html, &Files::new(), Some(&site)).unwrap();
        assert!(
            published.contains("href=\"https://docs.example.com/acme/v1.0/report.html\""),
            "{published}"
        );
        assert!(
            published.contains("href=\"https://docs.example.com/acme/index.html\""),
            "{published}"
        );
    }

    #[test]
    fn styles_scripts_and_images_go_inside_with_their_hashes() {
        let mut files = Files::new();
        files.insert("assets/style.css", b"p{}".as_slice());
        files.insert("assets/book.js", b"go()".as_slice());
        files.insert("images/a.svg", b"<svg/>".as_slice());
        let html = "<meta http-equiv=\"Content-Security-Policy\" content=\"x\"><link rel=\"stylesheet\" href=\"assets&#x2f;style.css\"><script src=\"../versions.js\" defer></script><script src=\"assets&#x2f;book.js\" defer></script><img src=\"images/a.svg\" alt=\"A\">";
        let out = inline(html, &files, None).unwrap();
        assert!(out.contains("<style>p{}</style>"), "{out}");
        assert!(out.contains("<script>go()</script>"), "{out}");
        assert!(!out.contains("versions.js"), "{out}");
        assert!(
            out.contains("<img src=\"data:image/svg+xml;base64,PHN2Zy8+\" alt=\"A\">"),
            "{out}"
        );
        assert!(
            out.contains(&format!("script-src 'sha256-{}'", hash("go()"))),
            "{out}"
        );
        assert!(
            out.contains(&format!("style-src 'sha256-{}'", hash("p{}"))),
            "{out}"
        );
    }
}
