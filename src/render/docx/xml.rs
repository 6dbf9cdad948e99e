//! The one way the Word backend writes markup: elements and text through
//! `quick-xml`, which escapes every attribute value and text node, so
//! customer text is never pasted into the XML.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// An XML part being written (`word/document.xml`, `docProps/core.xml`).
pub struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    /// A part that starts with the XML declaration Word writes.
    pub fn new() -> Xml {
        let mut xml = Xml {
            writer: Writer::new(Vec::with_capacity(16 * 1024)),
        };
        xml.event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )));
        xml
    }

    /// Writing into memory cannot fail; the `Result` is the writer's, for
    /// files and sockets.
    fn event(&mut self, event: Event<'_>) {
        let _ = self.writer.write_event(event);
    }

    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Start(element(name, attrs)));
    }

    pub fn close(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Empty(element(name, attrs)));
    }

    /// `<name attrs>text</name>`.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(name, attrs);
        self.text(text);
        self.close(name);
    }

    /// Text, escaped, without the characters XML 1.0 cannot carry at all
    /// (control characters other than tab and line feed).
    pub fn text(&mut self, text: &str) {
        if text.chars().any(forbidden) {
            let kept: String = text.chars().filter(|c| !forbidden(*c)).collect();
            self.event(Event::Text(BytesText::new(&kept)));
        } else {
            self.event(Event::Text(BytesText::new(text)));
        }
    }

    pub fn finish(self) -> Vec<u8> {
        self.writer.into_inner()
    }
}

fn element<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
    let mut start = BytesStart::new(name);
    for (key, value) in attrs {
        if value.chars().any(forbidden) {
            let kept: String = value.chars().filter(|c| !forbidden(*c)).collect();
            start.push_attribute((*key, kept.as_str()));
        } else {
            start.push_attribute((*key, *value));
        }
    }
    start
}

fn forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::Xml;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut xml = Xml::new();
        xml.leaf("w:t", &[("a", "\"<&>'")], "a < b & ]]> \u{1} c");
        let out = String::from_utf8(xml.finish()).unwrap();
        assert!(
            out.ends_with("<w:t a=\"&quot;&lt;&amp;&gt;&apos;\">a &lt; b &amp; ]]&gt;  c</w:t>"),
            "{out}"
        );
    }
}
