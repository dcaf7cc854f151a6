//! Offering a file the app fetched (it needs the bearer token and the
//! working context, so a plain link to the API would not do) from a Blob
//! object URL.

use crate::api::{ApiError, Download};

/// Puts the bytes in a Blob and returns a URL the page can link to. The URL
/// holds the file in memory until revoked.
pub fn object_url(download: &Download) -> Result<String, ApiError> {
    let failed = |_| ApiError::Network("The browser could not prepare the file.".to_owned());
    let bytes = js_sys::Uint8Array::from(download.bytes.as_slice());
    let parts = js_sys::Array::of1(&bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&download.content_type);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(failed)?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)
}

pub fn size_label(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} bytes"),
        1024..1_048_576 => format!("{:.1} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}
