//! Naming a record by type, kind and reference, never by its content: the
//! erasure, restriction and retention screens list records this way, since
//! what they say may be the very data being erased or restricted.

use crate::text::code_label;
use leptos::prelude::*;
use shared::links::{RecordKey, RecordType};
use uuid::Uuid;

/// The record's own page.
pub fn record_href(key: RecordKey) -> String {
    let base = match key.record_type {
        RecordType::Person => "people",
        RecordType::Event => "events",
        RecordType::Object => "objects",
        RecordType::Location => "locations",
    };
    format!("/{base}/{}", key.id)
}

/// The first eight characters of an id: enough to tell records apart on a
/// screen; the full id is in the link and the certificate.
pub fn short_id(id: Uuid) -> String {
    id.to_string()[..8].to_owned()
}

/// "Occurrence OCC/000012/26", or "Vehicle (object 1a2b3c4d)" without a
/// reference.
pub fn record_title(key: RecordKey, kind: &str, reference: Option<&str>) -> String {
    let kind = if kind.is_empty() {
        key.record_type.label().to_owned()
    } else {
        code_label(kind)
    };
    match reference.filter(|r| !r.is_empty()) {
        Some(reference) => format!("{kind} {reference}"),
        None => format!(
            "{kind} ({} {})",
            key.record_type.label().to_lowercase(),
            short_id(key.id)
        ),
    }
}

/// The record's title, linked to its page when it still exists.
#[component]
pub fn RecordRef(
    record: RecordKey,
    #[prop(into)] kind: String,
    #[prop(optional, into)] reference: Option<String>,
    /// False once the record is gone (erased): its title alone.
    #[prop(optional)]
    unlinked: bool,
) -> impl IntoView {
    let title = record_title(record, &kind, reference.as_deref());
    if unlinked {
        view! { <span class="record-ref" data-record-id=record.id.to_string()>{title}</span> }
            .into_any()
    } else {
        view! {
            <a class="record-ref" href=record_href(record) data-record-id=record.id.to_string()>
                {title}
            </a>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_named_by_kind_and_reference_or_by_type_and_id() {
        let key = RecordKey {
            record_type: RecordType::Object,
            id: Uuid::nil(),
        };
        assert_eq!(
            record_title(key, "vehicle", None),
            "Vehicle (object 00000000)"
        );
        assert_eq!(
            record_title(key, "stop_search", Some("SS/1/26")),
            "Stop search SS/1/26"
        );
        assert_eq!(record_href(key), format!("/objects/{}", Uuid::nil()));
    }
}
