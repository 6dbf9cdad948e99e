//! The Typst `World` upbook compiles in: the theme's `.typ` files, the
//! model as `/data.json`, the notes' images and the fonts built into the
//! binary. Nothing else is readable, so a template (or text that somehow
//! became code) cannot reach the file system or the network.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::theme::Theme;

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Parsing the embedded fonts takes a while; do it once per process.
static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

pub struct PdfWorld {
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    /// Theme file names by id, to place template errors.
    pub names: HashMap<FileId, String>,
    today: Option<Datetime>,
}

impl PdfWorld {
    /// `main` names a theme file (`playbook.typ`); `files` are the other
    /// readable files by absolute virtual path (`/data.json`, `/images/..`).
    pub fn new(
        theme: &Theme,
        main: &str,
        files: Vec<(String, Vec<u8>)>,
        today: Option<Datetime>,
    ) -> Option<Self> {
        let mut sources = HashMap::new();
        let mut names = HashMap::new();
        for (name, file) in theme.files.iter().filter(|(n, _)| n.ends_with(".typ")) {
            let id = file_id(&format!("/{name}"))?;
            sources.insert(id, Source::new(id, file.text.clone()));
            names.insert(id, name.clone());
        }
        let files = files
            .into_iter()
            .filter_map(|(path, bytes)| Some((file_id(&path)?, Bytes::new(bytes))))
            .collect();
        Some(PdfWorld {
            main: file_id(&format!("/{main}"))?,
            sources,
            files,
            names,
            today,
        })
    }
}

impl World for PdfWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources
            .get(&id)
            .cloned()
            .ok_or(FileError::AccessDenied)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.text().to_string()));
        }
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}
