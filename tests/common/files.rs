//! Copying a folder, shared by the tests (fixtures into a scratch
//! project) and the change view benchmark (a generated project into its own).

use std::fs;
use std::path::Path;

/// Copies the folder `from` to `to`, with everything under it.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("list the folder being copied");
        let target = to.join(entry.path().strip_prefix(from).expect("a path under it"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create a folder");
        } else {
            fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}
