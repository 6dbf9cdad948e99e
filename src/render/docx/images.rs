//! A note's image as Word embeds it: PNG and JPEG as they are; SVG drawn
//! to a PNG at twice its size, with the fonts built into upbook only, so
//! the picture is the same on every machine that builds it.

use std::sync::{Arc, OnceLock};

use crate::model::Asset;
use crate::model::image_size;

/// The bytes to embed, their extension and the size to show them at in
/// CSS pixels; `None` for an image Word cannot be given.
pub fn for_word(asset: &Asset) -> Option<(Vec<u8>, &'static str, (u32, u32))> {
    match asset.media_type.as_str() {
        "image/png" => Some((asset.bytes.to_vec(), "png", image_size::png(&asset.bytes)?)),
        "image/jpeg" | "image/jpg" => Some((
            asset.bytes.to_vec(),
            "jpeg",
            image_size::jpeg(&asset.bytes)?,
        )),
        "image/svg+xml" => svg_to_png(&asset.bytes),
        _ => None,
    }
}

fn svg_to_png(bytes: &[u8]) -> Option<(Vec<u8>, &'static str, (u32, u32))> {
    let options = resvg::usvg::Options {
        fontdb: Arc::clone(fonts()),
        font_family: "Libertinus Serif".into(),
        ..resvg::usvg::Options::default()
    };
    let tree = resvg::usvg::Tree::from_data(bytes, &options).ok()?;
    let size = tree.size();
    let (width, height) = (size.width().ceil() as u32, size.height().ceil() as u32);
    // The loader's limits bound the nodes; the drawn size is bounded here.
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > 4_000_000 {
        return None;
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width * 2, height * 2)?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(2.0, 2.0),
        &mut pixmap.as_mut(),
    );
    Some((pixmap.encode_png().ok()?, "png", (width, height)))
}

/// The fonts Typst lays the PDF out with, read once per process.
fn fonts() -> &'static Arc<resvg::usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        for font in typst_assets::fonts() {
            db.load_font_data(font.to_vec());
        }
        db.set_serif_family("Libertinus Serif");
        db.set_sans_serif_family("Libertinus Serif");
        db.set_monospace_family("DejaVu Sans Mono");
        Arc::new(db)
    })
}
