//! Turning stored codes and short phrases into text for officers.

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
