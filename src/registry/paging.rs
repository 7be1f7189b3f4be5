//! `Link: <…>; rel="next"` paging, used by `_catalog` and (on newer
//! registries) `tags/list`.

use url::Url;

/// Finds the `rel="next"` target in a `Link` header and resolves it against
/// the URL of the page that carried it (registry:2 sends a relative path).
pub fn next_link(link_header: &str, current: &Url) -> Option<Url> {
    for part in split_links(link_header) {
        let part = part.trim();
        let Some(end) = part.find('>') else { continue };
        if !part.starts_with('<') {
            continue;
        }
        let target = &part[1..end];
        let is_next = part[end + 1..].split(';').any(|param| {
            let param = param.trim();
            param
                .strip_prefix("rel=")
                .map(|v| {
                    v.trim_matches('"')
                        .split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
                })
                .unwrap_or(false)
        });
        if is_next {
            return current.join(target).ok();
        }
    }
    None
}

/// Splits a Link header on the commas between links, not those inside `<…>`.
fn split_links(header: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in header.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&header[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("http://reg:5000/v2/_catalog?n=1000").unwrap()
    }

    #[test]
    fn registry2_relative_link() {
        let next = next_link(r#"</v2/_catalog?last=b&n=1000>; rel="next""#, &base()).unwrap();
        assert_eq!(next.as_str(), "http://reg:5000/v2/_catalog?last=b&n=1000");
    }

    #[test]
    fn absolute_link_and_several_rels() {
        let h = r#"<https://other/v2/x/tags/list?last=a,b>; rel="prev", <https://other/v2/x/tags/list?n=2&last=c>; rel="next""#;
        assert_eq!(
            next_link(h, &base()).unwrap().as_str(),
            "https://other/v2/x/tags/list?n=2&last=c"
        );
    }

    #[test]
    fn no_next() {
        assert!(next_link(r#"</v2/_catalog?last=b>; rel="prev""#, &base()).is_none());
        assert!(next_link("garbage", &base()).is_none());
    }
}
