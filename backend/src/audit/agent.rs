//! The user agent as the log keeps it: a known product and its major
//! version ("Chrome/156", "curl/8"), or "other". A `User-Agent` header is
//! whatever the caller typed, so kept verbatim it could carry a name into
//! the append-only log for ever; a product and version still tell an
//! auditor whether a browser, a script or Probity's own tools made a call.

/// Products worth telling apart, checked in this order: browsers name their
/// ancestors too (Edge says Chrome and Safari; Chrome says Safari), so the
/// most specific comes first.
const PRODUCTS: &[(&str, &str)] = &[
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("HeadlessChrome/", "HeadlessChrome"),
    ("Chrome/", "Chrome"),
    ("CriOS/", "Chrome"),
    ("FxiOS/", "Firefox"),
    ("Version/", "Safari"),
    ("curl/", "curl"),
    ("Wget/", "Wget"),
    ("python-requests/", "python-requests"),
    ("python-httpx/", "python-httpx"),
    ("Python-urllib/", "Python-urllib"),
    ("aiohttp/", "aiohttp"),
    ("PostmanRuntime/", "PostmanRuntime"),
    ("okhttp/", "okhttp"),
    ("Go-http-client/", "Go-http-client"),
    ("Java/", "Java"),
    ("Apache-HttpClient/", "Apache-HttpClient"),
    ("node-fetch/", "node-fetch"),
    ("node/", "node"),
    ("undici", "node"),
    ("axios/", "axios"),
    ("reqwest/", "reqwest"),
    ("schemathesis/", "schemathesis"),
    ("Playwright/", "Playwright"),
    ("probity/", "probity"),
];

pub fn product(user_agent: &str) -> String {
    for (marker, name) in PRODUCTS {
        if let Some(at) = user_agent.find(marker) {
            let rest = &user_agent[at + marker.len()..];
            let major: String = rest
                .chars()
                .take_while(char::is_ascii_digit)
                .take(6)
                .collect();
            return if major.is_empty() {
                (*name).to_owned()
            } else {
                format!("{name}/{major}")
            };
        }
    }
    "other".to_owned()
}

#[cfg(test)]
mod tests {
    use super::product;

    #[test]
    fn browsers_and_tools_keep_their_product_and_major_version_only() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.8078.73 Safari/537.36";
        assert_eq!(product(chrome), "Chrome/156");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91";
        assert_eq!(product(edge), "Edge/120");
        let safari = "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
        assert_eq!(product(safari), "Safari/17");
        assert_eq!(product("curl/8.5.0"), "curl/8");
        assert_eq!(product("probity/import"), "probity");
    }

    #[test]
    fn a_name_typed_into_the_header_is_never_kept() {
        assert_eq!(product("Thorncroft checking whereabouts/1.0"), "other");
        assert_eq!(product("Mozilla/5.0 (Agnieszka Wiśniewska)"), "other");
        assert_eq!(
            product("curl/7.1 (looking up Thorncroft)"),
            "curl/7",
            "only the product and its major version survive"
        );
    }
}
