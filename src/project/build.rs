//! `upbook build`: check the project, render every version and write it
//! into the output folder in one swap.

use std::path::{Path, PathBuf};

use super::check::{Checked, check_with};
use crate::diagnostic::Diagnostics;
use crate::load;
use crate::model::config::Format;
use crate::render::html::sections::Sections;
use crate::{output, render};

pub struct BuildOptions {
    /// Output folder; `None` means the project's configured one (`book/`).
    pub out: Option<PathBuf>,
    /// Formats to write; empty means those `book.toml` lists.
    pub formats: Vec<Format>,
}

pub struct BuildSummary {
    pub out: PathBuf,
    pub files: usize,
    pub diagnostics: Diagnostics,
}

/// Builds a project into its output folder. On any error the previous
/// output is left exactly as it was.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    // The check compiles the theme's templates; rendering uses them.
    let sections = Sections::default();
    let (checked, mut diags) = check_with(root, &mut load::Cache::once(), &sections);
    let Some(Checked {
        draft: playbook,
        theme,
        releases,
    }) = checked
    else {
        return Err(diags);
    };
    let formats = if options.formats.is_empty() {
        playbook.config.output.formats.clone()
    } else {
        options.formats.clone()
    };
    let chosen = match &options.out {
        Some(out) => output::Chosen::Flag(out),
        None => output::Chosen::Config(&playbook.config.output.dir),
    };
    let out = match output::output_folder(root, &chosen) {
        Ok(out) => out,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let changes = super::changes_by_version(&playbook, &releases);
    let site = match render::site(&playbook, &theme, &releases, &changes, &formats, &sections) {
        Ok(site) => site,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let files = site.len();
    // Rendering needs no lock; swapping the output in does, and is when
    // a killed build's leftovers can be tidied without racing a live one.
    let written = super::lock::lock(root).and_then(|lock| {
        lock.tidy(root, Some(&out));
        output::write(&out, &site)
    });
    // Freeing the pages and the model's many small allocations takes
    // longer than writing the pages; the answer need not wait for it.
    rayon::spawn(move || drop((site, playbook, theme, releases, changes)));
    if let Err(d) = written {
        diags.push(d);
        return Err(diags);
    }
    Ok(BuildSummary {
        out,
        files,
        diagnostics: diags,
    })
}

/// `upbook clean`: removes the output folder, as `mdbook clean` does, and
/// only when it is one a build wrote (the same rules as `build`, and
/// never a folder that is merely empty of upbook's files). Returns the
/// folder removed, or none when there was nothing to remove.
pub fn clean(root: &Path, out: Option<&Path>) -> Result<Option<PathBuf>, Diagnostics> {
    let config = crate::diagnostic::SourceFile::read(root, Path::new("book.toml"))
        .and_then(|file| crate::load::config::parse(&file))
        .map_err(Diagnostics::from)?;
    let chosen = match out {
        Some(out) => output::Chosen::Flag(out),
        None => output::Chosen::Config(&config.output.dir),
    };
    let out = output::output_folder_for(root, &chosen, output::Purpose::Remove)
        .map_err(Diagnostics::from)?;
    let lock = super::lock::lock(root).map_err(Diagnostics::from)?;
    lock.tidy(root, Some(&out));
    if !out.exists() {
        return Ok(None);
    }
    output::remove(&out).map_err(Diagnostics::from)?;
    Ok(Some(out))
}
