//! An image's size in pixels, read from its header without decoding it:
//! what `load` checks against the limits and the Word backend sizes
//! embedded images by.

/// Width and height from a PNG's IHDR chunk, which must come first.
pub fn png(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let ihdr = bytes.strip_prefix(SIGNATURE)?.get(4..16)?;
    if &ihdr[..4] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&ihdr[4..8]), be(&ihdr[8..12])))
}

/// Width and height from a JPEG's first start-of-frame segment, walking
/// the segments before it by their lengths.
pub fn jpeg(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    loop {
        // Markers may be padded with any number of 0xFF bytes.
        while *bytes.get(at)? == 0xFF && *bytes.get(at + 1)? == 0xFF {
            at += 1;
        }
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        at += 2;
        // Markers that stand alone, without a length.
        if matches!(marker, 0x01 | 0xD0..=0xD7) {
            continue;
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        // Start of frame: every 0xC0–0xCF but DHT (C4), JPG (C8), DAC (CC).
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let frame = bytes.get(at + 2..at + 7)?;
            let height = u16::from_be_bytes([frame[1], frame[2]]);
            let width = u16::from_be_bytes([frame[3], frame[4]]);
            return Some((u32::from(width), u32::from(height)));
        }
        if length < 2 {
            return None;
        }
        at += length;
    }
}
