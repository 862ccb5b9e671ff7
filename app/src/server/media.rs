//! Pictures (CAT-1, issue item "Images"): an uploaded or generated picture is
//! decoded once, resized into a few widths and stored as JPEG plus WebP under
//! a content-hash name, so files never change and can be cached for a year.
//! The `image` crate does decoding, resizing and encoding (pure Rust, no C).
use super::entities::media;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, ImageReader};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::path::Path;

/// Stored widths; a picture narrower than one of them is not enlarged.
pub const WIDTHS: [u32; 3] = [320, 640, 1200];
const JPEG_QUALITY: u8 = 82;
/// Refuse pictures beyond this size before decoding them (decompression bombs).
const MAX_PIXELS: u64 = 40_000_000;
pub const MAX_UPLOAD_BYTES: usize = 15 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("the file is larger than 15 MB")]
    TooLarge,
    #[error("the file is not a picture we can read (JPEG, PNG or WebP): {0}")]
    Unreadable(String),
    #[error("the picture is too large ({0}×{1} pixels)")]
    TooManyPixels(u32, u32),
    #[error("the picture could not be stored: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Db(#[from] DbErr),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub key: String,
    pub width: u32,
    pub height: u32,
    pub widths: Vec<u32>,
    pub has_webp: bool,
}

/// Decodes, resizes and writes the copies; blocking (call on a blocking thread).
pub fn process(bytes: &[u8], dir: &Path) -> Result<Stored, MediaError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(MediaError::TooLarge);
    }
    let key = {
        let digest = Sha256::digest(bytes);
        digest[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| MediaError::Unreadable(e.to_string()))?;
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| MediaError::Unreadable(e.to_string()))?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(MediaError::TooManyPixels(w, h));
    }
    let image =
        image::load_from_memory(bytes).map_err(|e| MediaError::Unreadable(e.to_string()))?;
    store_image(&image, &key, dir)
}

/// Writes the resized copies of an already decoded picture.
pub fn store_image(image: &DynamicImage, key: &str, dir: &Path) -> Result<Stored, MediaError> {
    std::fs::create_dir_all(dir)?;
    let (width, height) = image.dimensions();
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
    if widths.len() < WIDTHS.len() {
        widths.push(width.min(WIDTHS[WIDTHS.len() - 1]));
    }
    widths.dedup();
    let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
    let mut copies: Vec<(u32, Vec<u8>, Vec<u8>)> = Vec::new();
    for &w in &widths {
        let h = ((u64::from(height) * u64::from(w)) / u64::from(width)).max(1) as u32;
        let resized = if w == width {
            rgb.clone()
        } else {
            rgb.resize_exact(w, h, FilterType::Triangle)
        };
        let mut jpeg = Vec::new();
        resized
            .write_with_encoder(JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY))
            .map_err(|e| MediaError::Unreadable(e.to_string()))?;
        let mut webp = Vec::new();
        resized
            .write_with_encoder(WebPEncoder::new_lossless(&mut webp))
            .map_err(|e| MediaError::Unreadable(e.to_string()))?;
        copies.push((w, jpeg, webp));
    }
    // The encoder is lossless: worth serving only where it beats the JPEG
    // (drawings, flat colours), not for photographs.
    let has_webp = copies.iter().all(|(_, jpeg, webp)| webp.len() < jpeg.len());
    for (w, jpeg, webp) in &copies {
        write_atomically(&dir.join(format!("{key}-{w}.jpg")), jpeg)?;
        if has_webp {
            write_atomically(&dir.join(format!("{key}-{w}.webp")), webp)?;
        }
    }
    Ok(Stored {
        key: key.to_string(),
        width,
        height,
        widths,
        has_webp,
    })
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    // Unique per writer: two requests may store the same picture at once.
    let tmp = path.with_extension(format!("tmp{:016x}", rand::random::<u64>()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(tmp, path)
}

/// Records a stored picture (once per content hash).
pub async fn record(db: &impl ConnectionTrait, stored: &Stored) -> Result<(), DbErr> {
    if media::Entity::find_by_id(stored.key.clone())
        .one(db)
        .await?
        .is_some()
    {
        return Ok(());
    }
    media::Entity::insert(media::ActiveModel {
        key: Set(stored.key.clone()),
        width: Set(stored.width as i32),
        height: Set(stored.height as i32),
        widths: Set(serde_json::to_string(&stored.widths).unwrap_or_else(|_| "[]".into())),
        has_webp: Set(stored.has_webp),
        created_at: Set(chrono::Utc::now()),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Processes an upload on a blocking thread and records it.
pub async fn store_upload(
    db: &impl ConnectionTrait,
    dir: &Path,
    bytes: Vec<u8>,
) -> Result<Stored, MediaError> {
    let dir = dir.to_path_buf();
    let stored = tokio::task::spawn_blocking(move || process(&bytes, &dir))
        .await
        .map_err(|e| MediaError::Io(std::io::Error::other(e)))??;
    record(db, &stored).await?;
    Ok(stored)
}
