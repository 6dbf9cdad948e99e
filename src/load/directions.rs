//! Warnings about bidirectional controls in the files people write. The
//! pages and PDFs isolate them (`crate::bidi`), but a right-to-left
//! override in a note or a customer's name is more often a trick than
//! intent, and the reader of a playbook should hear of it.

use crate::bidi;
use crate::diagnostic::{Diagnostics, SourceFile};

/// Warns at each line of `file` that holds a bidirectional control,
/// naming the first one on the line.
pub fn warn(file: &SourceFile, diags: &mut Diagnostics) {
    if !bidi::has_controls(&file.text) {
        return;
    }
    let mut last_line = 0;
    for (at, c, name) in bidi::controls(&file.text) {
        let (line, _) = file.line_col(at);
        if line == last_line {
            continue;
        }
        last_line = line;
        diags.push(
            file.warning_at(
                at,
                format!(
                    "this line holds a {name} (U+{:04X}), which can make text read in another \
                     order than it is written; the playbook keeps it inside this value",
                    u32::from(c)
                ),
            )
            .with_hint("delete it unless the text is meant to run right to left"),
        );
    }
}
