//! Lists: the catalog and a repository's tags, followed page by page over
//! `Link` (within the registry's origin), and one-page probes. Every name
//! listed goes through the same parser as a name a user types.

use reqwest::{header, Method};
use serde::Deserialize;
use url::Url;

use super::auth::Credentials;
use super::bounded_read::{read_limited, MAX_LIST_PAGE_BYTES};
use super::client::RegistryClient;
use super::error::{check, RegistryError};
use super::error_code::ErrorCode;
use super::names::{NameError, RepositoryName, Tag};
use super::paging::next_link;
use super::scope::Scope;

/// A hard stop for `Link` loops from a broken registry.
const MAX_PAGES: usize = 10_000;

/// One page of a list, for probing how a registry pages.
#[derive(Debug, Clone)]
pub struct PageProbe {
    pub entries: usize,
    pub has_next: bool,
    /// The first name on the page, if any (unchecked: only a parsed name
    /// can be used in a call).
    pub first: Option<String>,
}

/// Names a registry listed, sorted into those that parse and those Berth
/// refuses (shown to nobody as links, counted and logged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameList<T> {
    pub names: Vec<T>,
    pub rejected: Vec<String>,
}

impl<T> Default for NameList<T> {
    fn default() -> Self {
        Self {
            names: Vec::new(),
            rejected: Vec::new(),
        }
    }
}

impl<T> NameList<T> {
    fn sort_out(all: Vec<String>, parse: fn(&str) -> Result<T, NameError>) -> Self {
        let mut out = Self::default();
        for raw in all {
            match parse(&raw) {
                Ok(name) => out.names.push(name),
                Err(_) => out.rejected.push(raw),
            }
        }
        if !out.rejected.is_empty() {
            tracing::warn!(
                count = out.rejected.len(),
                first = ?out.rejected.first().map(|n| n.chars().take(80).collect::<String>()),
                "the registry listed names that are not valid; they are skipped"
            );
        }
        out
    }
}

#[derive(Deserialize)]
struct CatalogPage {
    #[serde(default)]
    repositories: Vec<String>,
}

#[derive(Deserialize)]
struct TagsPage {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

pub(crate) fn parse_catalog(body: &[u8]) -> Result<Vec<String>, RegistryError> {
    serde_json::from_slice::<CatalogPage>(body)
        .map(|p| p.repositories)
        .map_err(|e| RegistryError::Protocol(format!("catalog is not JSON: {e}")))
}

pub(crate) fn parse_tags(body: &[u8]) -> Result<Vec<String>, RegistryError> {
    serde_json::from_slice::<TagsPage>(body)
        .map(|p| p.tags.unwrap_or_default())
        .map_err(|e| RegistryError::Protocol(format!("tag list is not JSON: {e}")))
}

impl RegistryClient {
    /// Every repository whose name is valid; see [`Self::catalog_checked`].
    pub async fn catalog(&self, creds: &Credentials) -> Result<Vec<RepositoryName>, RegistryError> {
        Ok(self.catalog_checked(creds).await?.names)
    }

    /// Every tag whose name is valid; see [`Self::tags_checked`].
    pub async fn tags(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
    ) -> Result<Vec<Tag>, RegistryError> {
        Ok(self.tags_checked(creds, repo).await?.names)
    }

    /// Every repository, following `Link` to the end. Asks for 1,000 per
    /// page (registry:2's default cap); a registry with a lower cap refuses
    /// that with `PAGINATION_NUMBER_INVALID`, and then gets its own default.
    pub async fn catalog_checked(
        &self,
        creds: &Credentials,
    ) -> Result<NameList<RepositoryName>, RegistryError> {
        let all = match self.catalog_from(creds, "/v2/_catalog?n=1000").await {
            Err(RegistryError::Status {
                code: ErrorCode::PaginationNumberInvalid,
                ..
            }) => self.catalog_from(creds, "/v2/_catalog").await,
            other => other,
        }?;
        Ok(NameList::sort_out(all, RepositoryName::parse))
    }

    async fn catalog_from(
        &self,
        creds: &Credentials,
        first: &str,
    ) -> Result<Vec<String>, RegistryError> {
        let mut repos = Vec::new();
        self.follow_pages(self.url(first)?, creds, Scope::Catalog, |body| {
            repos.extend(parse_catalog(body)?);
            Ok(())
        })
        .await?;
        Ok(repos)
    }

    /// Every tag of a repository. registry:2 returns all at once; newer
    /// registries page with `Link`, which is followed when present.
    pub async fn tags_checked(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
    ) -> Result<NameList<Tag>, RegistryError> {
        let first = self.url(&format!("/v2/{repo}/tags/list"))?;
        let mut tags = Vec::new();
        self.follow_pages(first, creds, Scope::Pull(repo.as_str()), |body| {
            tags.extend(parse_tags(body)?);
            Ok(())
        })
        .await?;
        Ok(NameList::sort_out(tags, Tag::parse))
    }

    /// One catalog page of at most `n`: how many came back, and whether a
    /// `Link` offers more.
    pub async fn catalog_page(
        &self,
        creds: &Credentials,
        n: usize,
    ) -> Result<PageProbe, RegistryError> {
        let url = self.url(&format!("/v2/_catalog?n={n}"))?;
        self.page_probe(url, creds, Scope::Catalog, parse_catalog)
            .await
    }

    /// One tag-list page of at most `n`.
    pub async fn tags_page(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        n: usize,
    ) -> Result<PageProbe, RegistryError> {
        let url = self.url(&format!("/v2/{repo}/tags/list?n={n}"))?;
        self.page_probe(url, creds, Scope::Pull(repo.as_str()), parse_tags)
            .await
    }

    async fn page_probe(
        &self,
        url: Url,
        creds: &Credentials,
        scope: Scope<'_>,
        parse: fn(&[u8]) -> Result<Vec<String>, RegistryError>,
    ) -> Result<PageProbe, RegistryError> {
        let resp = check(self.call(Method::GET, url, creds, scope, None).await?).await?;
        let has_next = resp.headers().contains_key(header::LINK);
        let body = read_limited(resp, MAX_LIST_PAGE_BYTES, "a list page").await?;
        let names = parse(&body)?;
        Ok(PageProbe {
            entries: names.len(),
            has_next,
            first: names.into_iter().next(),
        })
    }

    async fn follow_pages(
        &self,
        first: Url,
        creds: &Credentials,
        scope: Scope<'_>,
        mut on_page: impl FnMut(&[u8]) -> Result<(), RegistryError>,
    ) -> Result<(), RegistryError> {
        let mut next = Some(first);
        let mut seen = std::collections::HashSet::new();
        while let Some(url) = next.take() {
            if !seen.insert(url.to_string()) || seen.len() > MAX_PAGES {
                return Err(RegistryError::Protocol(
                    "paging does not end (Link loops)".into(),
                ));
            }
            let resp = check(
                self.call(Method::GET, url.clone(), creds, scope, None)
                    .await?,
            )
            .await?;
            next = resp
                .headers()
                .get(header::LINK)
                .and_then(|v| v.to_str().ok())
                .and_then(|link| next_link(link, &url));
            // A page on another server would get the caller's credentials.
            if let Some(n) = &next {
                self.trusted.check_link(n)?;
            }
            let body = read_limited(resp, MAX_LIST_PAGE_BYTES, "a list page").await?;
            on_page(&body)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_names_are_parsed_like_user_input() {
        let l = NameList::sort_out(
            vec!["ok/app".into(), "../etc".into(), "Bad".into(), "x".into()],
            RepositoryName::parse,
        );
        assert_eq!(l.names, ["ok/app", "x"]);
        assert_eq!(l.rejected, ["../etc", "Bad"]);
    }

    #[test]
    fn list_pages_parse_or_fail_clearly() {
        assert_eq!(
            parse_tags(br#"{"name":"a","tags":null}"#).unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(parse_catalog(br#"{"repositories":["a"]}"#).unwrap(), ["a"]);
        assert!(matches!(
            parse_tags(b"<html>"),
            Err(RegistryError::Protocol(_))
        ));
    }
}
