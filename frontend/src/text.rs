//! Turning stored codes, short phrases and dates into text for officers.

/// "surname exact · date of birth swapped" → "Surname exact · date of birth swapped".
pub fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A code with no label of its own, readable anyway: "in_custody" → "In custody".
pub fn code_label(code: &str) -> String {
    sentence_case(&code.replace('_', " "))
}

/// A day as officers write it: 06/12/2026.
pub fn uk_date(day: chrono::NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// Today as the server counts it (UTC), for the rules that compare dates.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
