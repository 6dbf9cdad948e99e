//! PDF layout in a process of its own, so a save can stop it at once.
//!
//! Typst cannot be interrupted halfway through a layout, and a layout of
//! a thousand notes takes seconds; laid out on a thread of `serve`, a
//! stale layout kept a core, memory bandwidth and the allocator busy
//! while the next save's pages were made. A process is stopped by
//! killing it, and shares nothing with the server but a pipe: it loads
//! the project as `build` does (so its PDFs are the bytes `build`
//! writes) and sends each PDF back framed as `PATH LENGTH\n` and the
//! bytes.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::diagnostic::Diagnostic;
use crate::render::Site;
use crate::strings::Strings;

/// The hidden subcommand the server runs its layout process as.
pub const SUBCOMMAND: &str = "__serve-pdfs";

/// What to lay out: the draft's files and those of some releases, as
/// PDFs, Word files or both (the Word files are quick, but they are paper
/// too, and made here so a save never waits for them either).
pub struct Job {
    pub draft: bool,
    pub releases: Vec<String>,
    pub pdf: bool,
    pub docx: bool,
}

/// Starts the layout process for `job` on the project at `root`.
pub(super) fn spawn(root: &Path, job: &Job) -> Result<(Child, ChildStdout), Diagnostic> {
    let exe = std::env::current_exe()
        .map_err(|e| Diagnostic::error(format!("cannot find upbook to lay out PDFs: {e}")))?;
    let mut command = Command::new(exe);
    command.arg(SUBCOMMAND).arg(root);
    if job.draft {
        command.arg("--draft");
    }
    for version in &job.releases {
        command.arg("--release").arg(version);
    }
    if job.pdf {
        command.arg("--pdf");
    }
    if job.docx {
        command.arg("--docx");
    }
    let mut child = command
        // Its end of stdin closes when the server exits however it exits,
        // which tells the process to stop.
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Diagnostic::error(format!("cannot start the PDF layout: {e}")))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| Diagnostic::error("the PDF layout has no output"))?;
    Ok((child, stdout))
}

/// Reads the PDFs of one version at a time from the layout process, each
/// batch handed to `each` as it arrives. Returns at the end of the output.
pub(super) fn read(stdout: ChildStdout, mut each: impl FnMut(Site)) -> std::io::Result<()> {
    let mut input = BufReader::new(stdout);
    let mut site = Site::new();
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let header = line.trim_end();
        // An empty line closes one version's PDFs.
        if header.is_empty() {
            each(std::mem::take(&mut site));
            continue;
        }
        let (path, len) = header
            .rsplit_once(' ')
            .and_then(|(p, l)| Some((p.to_string(), l.parse::<usize>().ok()?)))
            .ok_or_else(|| std::io::Error::other("the PDF layout sent a broken header"))?;
        let mut bytes = vec![0; len];
        input.read_exact(&mut bytes)?;
        site.insert(path, bytes);
    }
}

/// The layout process itself: lays out `job` for the project at `root`
/// and writes the PDFs to `out`. Runs at the lowest priority, and stops
/// when its standard input closes (the server is gone).
pub fn run(root: &Path, job: &Job, out: &mut impl Write) -> Result<(), Diagnostic> {
    std::thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        std::process::exit(0);
    });
    super::pdfs::background();
    let _ = rayon::ThreadPoolBuilder::new()
        .start_handler(|_| super::pdfs::background())
        .build_global();
    let (checked, diags) = crate::project::check(root);
    let Some(checked) = checked else {
        return Err(diags
            .items
            .into_iter()
            .find(Diagnostic::is_error)
            .unwrap_or_else(|| Diagnostic::error("the project does not build")));
    };
    let releases = &checked.releases;
    let mut send = |site: Site| -> Result<(), Diagnostic> {
        let failed = |e: std::io::Error| Diagnostic::error(format!("cannot send a PDF: {e}"));
        for (path, bytes) in &site {
            writeln!(out, "{path} {}", bytes.len()).map_err(failed)?;
            out.write_all(bytes).map_err(failed)?;
        }
        out.write_all(b"\n")
            .and_then(|()| out.flush())
            .map_err(failed)
    };
    if job.draft {
        let draft = &checked.draft;
        let changes = crate::project::changes_since(releases.last(), draft);
        let mut site = Site::new();
        if job.pdf {
            crate::render::pdfs(draft, &checked.theme, "draft", changes.as_ref(), &mut site)?;
        }
        if job.docx {
            let changes = changes.as_ref();
            let strings = Strings::for_theme(&checked.theme, &draft.config.book.language)?;
            let date = draft.date;
            crate::render::docx::files(draft, &strings, "draft", changes, date, &mut site)?;
        }
        send(site)?;
    }
    for (i, release) in releases.iter().enumerate() {
        if !job.releases.contains(&release.version) {
            continue;
        }
        let previous = i.checked_sub(1).map(|p| &releases[p]);
        let changes = crate::project::changes_since(previous, &release.playbook);
        let mut site = Site::new();
        let folder = release.folder();
        if job.pdf {
            let theme = &release.theme;
            crate::render::pdfs(
                &release.playbook,
                theme,
                &folder,
                changes.as_ref(),
                &mut site,
            )?;
        }
        if job.docx {
            let (playbook, date) = (&release.playbook, Some(release.date));
            let strings = Strings::for_theme(&release.theme, &playbook.config.book.language)?;
            let changes = changes.as_ref();
            crate::render::docx::files(playbook, &strings, &folder, changes, date, &mut site)?;
        }
        send(site)?;
    }
    Ok(())
}
