//! Offering a file the app fetched (it needs the bearer token and the
//! working context, so a plain link to the API would not do) from a Blob
//! object URL.

use crate::api::{ApiError, Download};

/// A file ready to save: its object URL, name and size. The URL holds the
/// file in memory until revoked.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedFile {
    pub url: String,
    pub filename: String,
    pub size: usize,
}

impl SavedFile {
    pub fn prepare(download: Download) -> Result<Self, ApiError> {
        Ok(Self {
            url: object_url(&download)?,
            size: download.bytes.len(),
            filename: download.filename,
        })
    }

    pub fn revoke(&self) {
        let _ = web_sys::Url::revoke_object_url(&self.url);
    }

    /// What the download link says.
    pub fn label(&self) -> String {
        format!("Download {} ({})", self.filename, size_label(self.size))
    }
}

/// Puts the bytes in a Blob and returns a URL the page can link to.
fn object_url(download: &Download) -> Result<String, ApiError> {
    let failed = |_| ApiError::Network("The browser could not prepare the file.".to_owned());
    let bytes = js_sys::Uint8Array::from(download.bytes.as_slice());
    let parts = js_sys::Array::of1(&bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&download.content_type);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(failed)?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)
}

fn size_label(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} bytes"),
        1024..1_048_576 => format!("{:.1} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}
