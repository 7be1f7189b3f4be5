//! The rows of a repository's tag table, written straight into one string.
//!
//! A repository can hold thousands of tags, and each row is about twenty
//! elements. Built as views, every row allocates its elements, attributes
//! and hydration markers one by one, which made the rows most of a
//! 2,000-tag page's server time. The rows are plain server HTML (no island
//! reads them as state: the copy buttons and tick boxes are found in the
//! DOM), so the table takes them as one string. Every piece of registry
//! data goes through `text` or `attr`, which escape it.

use std::sync::Arc;

use crate::components::CopyWords;
use crate::format;
use crate::i18n::Fmt;
use crate::model::TagRow;
use crate::pull_command::Puller;
use crate::t;

/// Platforms named in a row before the rest fold into "+N more".
pub const PLATFORMS_SHOWN: usize = 4;

/// What every row of one table shares: its words in the reader's language
/// (looked up once for the whole table) and the page's facts.
pub struct RowContext {
    pub fmt: &'static Fmt,
    pub copy: CopyWords,
    /// `<base>/r/<repo>/-/tag/`: a tag's link is this plus the tag.
    pub tag_href: String,
    /// `docker pull <host>/<repo>:`
    pub pull_prefix: String,
    /// For charts and artifacts, which docker cannot pull.
    host: String,
    repo: String,
    pub now: i64,
    /// Show the pull columns.
    pub pulls: bool,
    tag: Arc<str>,
    digest: Arc<str>,
    size: Arc<str>,
    created: Arc<str>,
    last_pulled: Arc<str>,
    pulls_30d: Arc<str>,
    platforms: Arc<str>,
    pull: Arc<str>,
    missing: Arc<str>,
    missing_title: Arc<str>,
    attested: Arc<str>,
    attested_title: Arc<str>,
    artifact_title: Arc<str>,
    legacy: Arc<str>,
    legacy_title: Arc<str>,
    signed: Arc<str>,
    has: Arc<str>,
    cosign_tag_for: Arc<str>,
    same_digest: Arc<str>,
    same_digest_title: Arc<str>,
    none_seen: Arc<str>,
    none_seen_title: Arc<str>,
    protected: Arc<str>,
    /// "Select {tag}", cut at the tag.
    select: (String, String),
}

impl RowContext {
    /// In the current request's language.
    pub fn current(repo: &str, host: &str, now: i64, pulls: bool) -> Self {
        let select = t!("tags-select", tag = "\u{0}");
        let (before, after) = select.split_once('\u{0}').unwrap_or((&select, ""));
        RowContext {
            fmt: Fmt::current(),
            copy: CopyWords::current(),
            tag_href: crate::routes::href(&crate::routes::tag_path(repo, "")),
            pull_prefix: format!("docker pull {host}/{repo}:"),
            host: host.to_string(),
            repo: repo.to_string(),
            now,
            pulls,
            tag: t!("col-tag").into(),
            digest: t!("col-digest").into(),
            size: t!("col-size").into(),
            created: t!("col-created").into(),
            last_pulled: t!("col-last-pulled").into(),
            pulls_30d: t!("col-pulls-30d").into(),
            platforms: t!("col-platforms").into(),
            pull: t!("col-pull").into(),
            missing: t!("badge-missing").into(),
            missing_title: t!("badge-missing-title").into(),
            attested: t!("badge-attested").into(),
            attested_title: t!("badge-attested-title").into(),
            artifact_title: t!("badge-artifact-title").into(),
            legacy: t!("badge-legacy").into(),
            legacy_title: t!("badge-legacy-title").into(),
            signed: t!("badge-signed").into(),
            has: t!("badge-has").into(),
            cosign_tag_for: t!("tags-cosign-tag-for").into(),
            same_digest: t!("tags-same-digest").into(),
            same_digest_title: t!("tags-same-digest-title").into(),
            none_seen: t!("tags-none-seen").into(),
            none_seen_title: t!("tags-none-seen-title").into(),
            protected: t!("tags-protected").into(),
            select: (before.to_string(), after.to_string()),
        }
    }
}

/// Whether `s` needs escaping at all: almost nothing in a row does (tags,
/// digests, platforms), and copying it whole is several times faster than
/// the escaper's character-by-character walk.
fn plain(s: &str) -> bool {
    !s.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"'))
}

/// Text content, escaped.
fn text(out: &mut String, s: &str) {
    if plain(s) {
        out.push_str(s);
    } else {
        html_escape::encode_text_to_string(s, out);
    }
}

/// An attribute value (always written in double quotes), escaped.
fn attr(out: &mut String, s: &str) {
    if plain(s) {
        out.push_str(s);
    } else {
        html_escape::encode_double_quoted_attribute_to_string(s, out);
    }
}

/// A name that may wrap after its separators (see `format::name_parts`).
fn name(out: &mut String, s: &str) {
    for (i, part) in format::name_parts(s).into_iter().enumerate() {
        if i > 0 {
            out.push_str("<wbr>");
        }
        text(out, part);
    }
}

/// Where a row's platforms fold: after `PLATFORMS_SHOWN`, unless only one
/// more would be hidden.
fn fold_at(platforms: usize) -> usize {
    if platforms > PLATFORMS_SHOWN + 1 {
        PLATFORMS_SHOWN
    } else {
        platforms
    }
}

/// Opens the fold: `<details>` whose summary says how many more.
fn more(out: &mut String, n: usize) {
    out.push_str("<details class=\"more-platforms\"><summary>");
    text(out, &crate::t!("tags-more-platforms", n = n));
    out.push_str("</summary>");
}

/// `<td data-label="…"` plus an optional class; the caller closes the tag.
fn open_cell(out: &mut String, label: &str, class: &str) {
    out.push_str("<td data-label=\"");
    attr(out, label);
    out.push('"');
    if !class.is_empty() {
        out.push_str(" class=\"");
        out.push_str(class);
        out.push('"');
    }
}

/// `<span class="badge {class}" title="…">…</span>`
fn badge(out: &mut String, class: &str, title: &str, label: &str) {
    out.push_str("<span class=\"badge ");
    out.push_str(class);
    out.push_str("\" title=\"");
    attr(out, title);
    out.push_str("\">");
    text(out, label);
    out.push_str("</span>");
}

/// The table's rows, appended to `out`.
pub fn write_rows(out: &mut String, rows: &[TagRow], cx: &RowContext) {
    // About 700 bytes a row; one allocation instead of a dozen regrowths.
    out.reserve(rows.len() * 800);
    for row in rows {
        write_row(out, row, cx);
    }
}

fn write_row(out: &mut String, row: &TagRow, cx: &RowContext) {
    let tag = row.tag.as_str();
    out.push_str("<tr data-tag=\"");
    attr(out, tag);
    out.push_str("\">");

    // Ticked boxes go to the delete page or, two of them, to compare.
    {
        out.push_str("<td class=\"select\"><input type=\"checkbox\" name=\"tag\" value=\"");
        attr(out, tag);
        out.push_str("\" aria-label=\"");
        attr(out, &cx.select.0);
        attr(out, tag);
        attr(out, &cx.select.1);
        out.push_str("\"></td>");
    }

    // Tag: link, signatures, tags sharing the digest, what a cosign tag is for.
    open_cell(out, &cx.tag, "tag");
    out.push_str("><a href=\"");
    attr(out, &cx.tag_href);
    attr(out, tag);
    out.push_str("\">");
    name(out, tag);
    out.push_str("</a>");
    if let Some(pattern) = &row.protected {
        out.push_str(" <span class=\"badge protected\" data-testid=\"protected\" title=\"");
        attr(
            out,
            &crate::t!("tags-protected-title", pattern = pattern.clone()),
        );
        out.push_str("\">");
        text(out, &cx.protected);
        out.push_str("</span>");
    }
    if !row.signatures.is_empty() {
        let title = row
            .signatures
            .iter()
            .map(|s| s.tag.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let kinds = row
            .signatures
            .iter()
            .map(|s| s.kind.as_str())
            .collect::<Vec<_>>()
            .join(" · ");
        let label = if row.signatures.iter().any(|s| s.kind == "signature") {
            &cx.signed
        } else {
            &cx.has
        };
        out.push_str("<span class=\"badge signed\" title=\"");
        attr(out, &title);
        out.push_str("\" data-testid=\"signed\">");
        text(out, label);
        out.push_str(": ");
        text(out, &kinds);
        out.push_str("</span>");
    }
    if !row.shares_digest_with.is_empty() {
        out.push_str("<div class=\"shared\" title=\"");
        attr(out, &cx.same_digest_title);
        out.push_str("\">");
        text(out, &cx.same_digest);
        out.push(' ');
        for (i, other) in row.shares_digest_with.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            name(out, other);
        }
        if row.shares_digest_more > 0 {
            // The tag page lists them all.
            out.push_str(" <a href=\"");
            attr(out, &cx.tag_href);
            attr(out, tag);
            out.push_str("#same-digest\" data-testid=\"same-digest-more\">");
            text(
                out,
                &crate::t!("tags-same-digest-more", count = row.shares_digest_more),
            );
            out.push_str("</a>");
        }
        out.push_str("</div>");
    }
    if let Some(d) = &row.signature_of {
        out.push_str("<div class=\"signature-of\">");
        text(out, &cx.cosign_tag_for);
        out.push_str(" <code>");
        text(out, format::short_digest_str(d));
        out.push_str("</code></div>");
    }
    out.push_str("</td>");

    open_cell(out, &cx.digest, "digest");
    out.push_str("><code title=\"");
    attr(out, &row.digest);
    out.push_str("\">");
    text(out, format::short_digest_str(&row.digest));
    out.push_str("</code></td>");

    // Size: the image's, or each platform's for an index (the first few;
    // the rest fold away as in the platforms column).
    open_cell(out, &cx.size, "size");
    out.push('>');
    if row.is_index {
        let fold = fold_at(row.platforms.len());
        for (i, p) in row.platforms.iter().enumerate() {
            if i == fold {
                more(out, row.platforms.len() - fold);
            }
            out.push_str("<div>");
            text(out, &p.platform);
            out.push_str(": ");
            match (p.missing, p.size) {
                (true, _) => text(out, &cx.missing),
                (false, Some(s)) => out.push_str(&cx.fmt.size(s)),
                (false, None) => out.push('?'),
            }
            out.push_str("</div>");
        }
        if fold < row.platforms.len() {
            out.push_str("</details>");
        }
    } else if let Some(s) = row.size {
        out.push_str(&cx.fmt.size(s));
    }
    out.push_str("</td>");

    open_cell(out, &cx.created, "");
    out.push('>');
    if let Some(t) = row.created {
        // The day never breaks inside; the time of day may go below it.
        out.push_str("<time><span class=\"day\">");
        let date = cx.fmt.date(t);
        let (day, rest) = date.split_once(' ').unwrap_or((&date, ""));
        text(out, day);
        out.push_str("</span> ");
        text(out, rest);
        out.push_str("<br><small>");
        text(out, &cx.fmt.relative(cx.now, t));
        out.push_str("</small></time>");
    }
    out.push_str("</td>");

    if cx.pulls {
        open_cell(out, &cx.last_pulled, "pulled");
        out.push_str(" data-testid=\"last-pulled\">");
        match row.last_pulled {
            Some(t) => {
                out.push_str("<time>");
                text(out, &cx.fmt.relative(cx.now, t));
                out.push_str("</time>");
            }
            None => {
                out.push_str("<span class=\"muted\" title=\"");
                attr(out, &cx.none_seen_title);
                out.push_str("\">");
                text(out, &cx.none_seen);
                out.push_str("</span>");
            }
        }
        out.push_str("</td>");
        open_cell(out, &cx.pulls_30d, "num");
        out.push_str(" data-testid=\"pulls-30d\">");
        out.push_str(&cx.fmt.count(row.pulls_30d.unwrap_or(0) as usize));
        out.push_str("</td>");
    }

    // Platforms, with what kind of thing the tag is and any read error.
    open_cell(out, &cx.platforms, "platforms");
    out.push('>');
    if let Some(a) = &row.artifact {
        badge(out, "artifact", &cx.artifact_title, a);
    } else if row.legacy {
        badge(out, "legacy", &cx.legacy_title, &cx.legacy);
    }
    // The first few platforms; the rest fold away (a 12-platform index
    // would make the row a screen tall).
    let fold = fold_at(row.platforms.len());
    for (i, p) in row.platforms.iter().enumerate() {
        if i == fold {
            more(out, row.platforms.len() - fold);
        }
        out.push_str(if p.missing {
            "<span class=\"platform-chip missing\">"
        } else {
            "<span class=\"platform-chip\">"
        });
        text(out, &p.platform);
        if p.attested {
            badge(out, "attested", &cx.attested_title, &cx.attested);
        }
        if p.missing {
            badge(out, "missing", &cx.missing_title, &cx.missing);
        }
        out.push_str("</span>");
    }
    if fold < row.platforms.len() {
        out.push_str("</details>");
    }
    if let Some(e) = &row.error {
        out.push_str("<div class=\"row-error\">");
        text(out, e);
        out.push_str("</div>");
    }
    out.push_str("</td>");

    // The pull command and its copy button (see components/copy_button.rs).
    open_cell(out, &cx.pull, "");
    out.push_str("><span class=\"pull\"><code class=\"pull-cmd\">");
    let puller = if row.signature_of.is_some() {
        Puller::Oras
    } else {
        Puller::of_artifact(row.artifact.as_deref())
    };
    if puller == Puller::Docker {
        text(out, &cx.pull_prefix);
        text(out, tag);
    } else {
        text(out, &puller.by_tag(&cx.host, &cx.repo, tag));
    }
    out.push_str("</code><button type=\"button\" class=\"copy\" title=\"");
    attr(out, &cx.copy.title);
    out.push_str("\">");
    text(out, &cx.copy.label);
    out.push_str("</button></span></td></tr>");
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::model::{PlatformSize, SignatureTag};

    fn cx(pulls: bool) -> RowContext {
        RowContext::current("team/app", "registry.example", 1_800_000_000, pulls)
    }

    #[test]
    fn registry_data_is_escaped_everywhere() {
        let row = TagRow {
            tag: "v1\"><script>".into(),
            digest: "sha256:<b>".into(),
            error: Some("<img src=x onerror=alert(1)>".into()),
            artifact: Some("chart \"<x>\"".into()),
            shares_digest_with: vec!["<i>".into()],
            signatures: vec![SignatureTag {
                tag: "a\"b".into(),
                kind: "<k>".into(),
            }],
            platforms: vec![PlatformSize {
                platform: "<p>".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let mut out = String::new();
        write_rows(&mut out, &[row], &cx(true));
        for bad in [
            "<script>", "<b>", "<img", "<i>", "<k>", "<p>", "<x>", "a\"b", "v1\">",
        ] {
            assert!(!out.contains(bad), "{bad} came through unescaped: {out}");
        }
        assert!(out.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }

    #[test]
    fn a_plain_image_row() {
        let row = TagRow {
            tag: "1.0".into(),
            digest: "sha256:0123456789abcdef".into(),
            size: Some(27_800_000),
            created: Some(1_800_000_000 - 3 * 86_400),
            platforms: vec![PlatformSize {
                platform: "linux/amd64".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let mut out = String::new();
        write_rows(&mut out, std::slice::from_ref(&row), &cx(false));
        assert!(out.starts_with("<tr data-tag=\"1.0\"><td class=\"select\"><input type=\"checkbox\" name=\"tag\" value=\"1.0\" aria-label=\"Select 1.0\"></td><td data-label=\"Tag\" class=\"tag\"><a href=\"/r/team/app/-/tag/1.0\">1.0</a></td>"), "{out}");
        assert!(out.contains("<code title=\"sha256:0123456789abcdef\">0123456789ab</code>"));
        assert!(out.contains("class=\"size\">27.8 MB</td>"));
        assert!(out.contains("<small>3 days ago</small>"));
        assert!(out.contains("docker pull registry.example/team/app:1.0</code>"));
        assert!(!out.contains("last-pulled"));

        let mut out = String::new();
        write_rows(&mut out, &[row], &cx(true));
        assert!(out.contains("aria-label=\"Select 1.0\""), "{out}");
        assert!(out.contains("data-testid=\"pulls-30d\">0</td>"));
    }

    #[test]
    fn an_index_row_lists_each_platform() {
        let row = TagRow {
            tag: "multi".into(),
            digest: "sha256:ff".into(),
            is_index: true,
            platforms: vec![
                PlatformSize {
                    platform: "linux/amd64".into(),
                    size: Some(626),
                    attested: true,
                    missing: false,
                },
                PlatformSize {
                    platform: "linux/arm64".into(),
                    size: None,
                    attested: false,
                    missing: true,
                },
            ],
            ..Default::default()
        };
        let mut out = String::new();
        write_rows(&mut out, &[row], &cx(false));
        assert!(
            out.contains("<div>linux/amd64: 626 B</div><div>linux/arm64: missing</div>"),
            "{out}"
        );
        assert!(out.contains(
            "<span class=\"platform-chip missing\">linux/arm64<span class=\"badge missing\""
        ));
        assert!(out.contains("<span class=\"badge attested\""));
    }
}
