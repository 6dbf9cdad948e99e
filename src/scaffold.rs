//! `upbook init`: a new project with the example engagement.

use std::fs;
use std::path::Path;

use crate::defaults;
use crate::diagnostic::Diagnostic;

/// Writes the example project into `dir`, which must be empty or absent,
/// so an existing project is never overwritten.
pub fn init(dir: &Path) -> Result<usize, Diagnostic> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir)
            .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", dir.display())))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(format!("{} is not empty", dir.display()))
                .with_hint("choose a new folder name; init never overwrites files"));
        }
    }
    let mut written = 0;
    let text = defaults::EXAMPLE
        .iter()
        .chain([&defaults::INIT_REQUESTS])
        .map(|(p, t)| (*p, t.as_bytes()));
    for (relative, bytes) in text.chain(defaults::EXAMPLE_IMAGES.iter().copied()) {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        fs::write(&path, bytes)
            .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))?;
        written += 1;
    }
    fs::write(dir.join(".gitignore"), "/book/\n/.upbook.lock\n")
        .map_err(|e| Diagnostic::error(format!("cannot write .gitignore: {e}")))?;
    Ok(written + 1)
}
