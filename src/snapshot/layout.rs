//! How `playbook.json` is laid out: indented down to each block, and each
//! block on one line.
//!
//! Fully indented, a release of 1,000 notes is 25 MB, three fifths of it
//! spaces, and every build and `upbook changes` reads it back: the indentation
//! alone cost a third of the read. One line per block keeps the file
//! readable and its history diffable line by line at 40% of that size.
//! Reading accepts any layout, so releases written before read the same.

use std::io;

use serde::Serialize;
use serde_json::ser::Formatter;

/// Containers this deep or shallower put each value on its own line:
/// the playbook (1), its phases (2), a phase (3), its sections (4), a
/// section (5) and its blocks (6). A block and everything in it is on one
/// line.
const INDENTED_DEPTH: usize = 6;

/// `value` as JSON in the snapshot's layout, ending with a newline.
pub fn to_vec(value: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Layout::default());
    value.serialize(&mut ser)?;
    out.push(b'\n');
    Ok(out)
}

#[derive(Default)]
struct Layout {
    depth: usize,
    /// Whether the container being written has a value yet: an empty one
    /// closes on its own line.
    has_value: bool,
}

impl Layout {
    fn indented(&self) -> bool {
        self.depth <= INDENTED_DEPTH
    }

    fn open<W: ?Sized + io::Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        let indented = self.indented();
        self.depth -= 1;
        if indented && self.has_value {
            self.new_line(out)?;
        }
        out.write_all(bracket)
    }

    fn next<W: ?Sized + io::Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        if self.indented() {
            self.new_line(out)?;
        }
        Ok(())
    }

    fn new_line<W: ?Sized + io::Write>(&self, out: &mut W) -> io::Result<()> {
        out.write_all(b"\n")?;
        for _ in 0..self.depth {
            out.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl Formatter for Layout {
    fn begin_array<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next(out, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next(out, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(if self.indented() { b": " } else { b":" })
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn blocks_are_a_line_each_and_what_is_above_them_is_indented() {
        let playbook = json!({
            "phases": [{"sections": [{"id": "a", "blocks": [
                {"type": "paragraph", "content": [{"type": "text", "text": "One"}]},
                {"type": "rule"},
            ]}]}],
            "empty": [],
        });
        let text = String::from_utf8(super::to_vec(&playbook).unwrap()).unwrap();
        let expected = r#"{
  "empty": [],
  "phases": [
    {
      "sections": [
        {
          "blocks": [
            {"content":[{"text":"One","type":"text"}],"type":"paragraph"},
            {"type":"rule"}
          ],
          "id": "a"
        }
      ]
    }
  ]
}
"#;
        assert_eq!(text, expected);
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, playbook);
    }
}
