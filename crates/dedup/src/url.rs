//! URL normalisation: two URLs of the same article map to the same string.

/// Query parameters that only track the reader, never select content.
const TRACKING_PARAMS: [&str; 19] = [
    "fbclid",
    "gclid",
    "dclid",
    "gclsrc",
    "msclkid",
    "yclid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "_ga",
    "_gl",
    "ocid",
    "cmpid",
    "smid",
    "ref",
    "ref_src",
    "amp",
    "output",
    "outputtype",
];

/// Host prefixes that serve the same pages as the bare host.
const HOST_PREFIXES: [&str; 3] = ["www.", "m.", "amp."];

/// Normalises a URL so that the variants of one article compare equal:
///
/// * the scheme is dropped (`http` and `https` are the same page) and a
///   user-info part (`user@`) is removed;
/// * the host is lower-cased, a trailing dot and a leading `www.`, `m.` or
///   `amp.` are removed, and default ports (`:80`, `:443`) are dropped;
/// * the fragment (`#…`) is dropped; path segments that are exactly `amp`
///   (AMP copies: `/amp/`, `/story/amp`) and a trailing `.amp` are removed,
///   as is a trailing slash; the path keeps its case;
/// * query parameters named `utm_*` or listed in the tracking list
///   (`fbclid`, `gclid`, `msclkid`, `mc_cid`, `ref`, `amp`, `outputType`,
///   …, case-insensitive) are removed, empty ones too, and the rest are
///   sorted.
///
/// Returns `host/path?query` (no scheme), or `None` when the string has no
/// host (not an absolute `scheme://host` URL, or an empty one).
pub fn normalize_url(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or("");
    let (authority, path_query) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (authority, None),
    };
    let mut host = host.trim_end_matches('.').to_ascii_lowercase();
    for p in HOST_PREFIXES {
        if host.len() > p.len() && host.starts_with(p) && host[p.len()..].contains('.') {
            host = host[p.len()..].to_string();
            break;
        }
    }
    if host.is_empty() {
        return None;
    }
    let port = port.filter(|p| *p != "80" && *p != "443");
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("amp"))
        .collect();
    let mut path = segments.join("/");
    if let Some(stripped) = path.strip_suffix(".amp") {
        path = stripped.to_string();
    }
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| {
            let key = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            !key.is_empty() && !key.starts_with("utm_") && !TRACKING_PARAMS.contains(&key.as_str())
        })
        .collect();
    params.sort_unstable();
    params.dedup();
    let mut out = host;
    if let Some(p) = port {
        out.push(':');
        out.push_str(p);
    }
    if !path.is_empty() {
        out.push('/');
        out.push_str(&path);
    }
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    Some(out)
}

/// The host part of a [`normalize_url`] result (`bbc.co.uk`).
pub fn normalized_host(normalized: &str) -> &str {
    let end = normalized.find(['/', '?', ':']).unwrap_or(normalized.len());
    &normalized[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_of_one_article_are_equal() {
        let want = Some("example.com/news/story-1?id=7&page=2".to_string());
        for u in [
            "https://www.example.com/news/story-1?page=2&id=7",
            "http://EXAMPLE.com:80/news/story-1/?id=7&page=2&utm_source=tw&utm_medium=x",
            "https://m.example.com/news/story-1?id=7&fbclid=abc&page=2#comments",
            "https://example.com:443/news/amp/story-1?gclid=1&id=7&page=2",
            "https://amp.example.com/news/story-1.amp?id=7&page=2&outputType=amp",
            "  https://user@www.example.com./news/story-1?id=7&&page=2  ",
        ] {
            assert_eq!(normalize_url(u), want, "{u}");
        }
    }

    #[test]
    fn different_articles_stay_different() {
        let a = normalize_url("https://example.com/news/story-1?id=7");
        assert_ne!(a, normalize_url("https://example.com/news/story-1?id=8"));
        assert_ne!(a, normalize_url("https://example.com/news/Story-1?id=7"));
        assert_ne!(a, normalize_url("https://example.org/news/story-1?id=7"));
        assert_ne!(
            a,
            normalize_url("https://example.com:8080/news/story-1?id=7")
        );
        // A bare "m.com" host keeps its name.
        assert_eq!(normalize_url("http://m.com/"), Some("m.com".into()));
    }

    #[test]
    fn non_urls_have_no_normal_form() {
        assert_eq!(normalize_url(""), None);
        assert_eq!(normalize_url("doc-17"), None);
        assert_eq!(normalize_url("https://"), None);
        assert_eq!(normalize_url("://x.com"), None);
    }

    #[test]
    fn host_of_normal_form() {
        assert_eq!(normalized_host("bbc.co.uk/news?x=1"), "bbc.co.uk");
        assert_eq!(normalized_host("bbc.co.uk:8080/a"), "bbc.co.uk");
        assert_eq!(normalized_host("bbc.co.uk"), "bbc.co.uk");
    }
}
