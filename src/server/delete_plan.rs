//! Planning a delete: which digests the chosen tags resolve to (fresh,
//! with `HEAD`), and every other tag that would go with them.

use super::repository_tags::{tag_heads, tags_of};
use super::state::AppState;
use crate::error::AppError;
use crate::model::{DeletePlan, DeleteTarget, DeleteTexts};
use crate::registry::media_types::{kind_of, ManifestKind};
use crate::registry::{Credentials, ManifestHead, RepositoryName, Tag};

/// What deleting `chosen` tags would remove: their digests, and every other
/// tag on those digests.
pub async fn delete_plan(
    state: &AppState,
    creds: &Credentials,
    repo: &str,
    chosen: &[String],
) -> Result<DeletePlan, AppError> {
    let reg = state.registry();
    let repo = &RepositoryName::parse(repo)?;
    if chosen.is_empty() {
        return Err(AppError::BadRequest(crate::t!("delete-pick-one")));
    }
    let chosen = chosen
        .iter()
        .map(|t| Tag::parse(t))
        .collect::<Result<Vec<_>, _>>()?;
    let all: Vec<(Tag, ManifestHead)> =
        tag_heads(reg, creds, repo, tags_of(reg, creds, repo).await?.names).await?;
    let mut targets: Vec<DeleteTarget> = Vec::new();
    for tag in &chosen {
        let head = all
            .iter()
            .find(|(t, _)| t == tag)
            .map(|(_, h)| h.clone())
            .ok_or_else(|| {
                AppError::NotFound(crate::t!(
                    "error-no-such-tag",
                    tag = tag.to_string(),
                    repo = repo.to_string()
                ))
            })?;
        match targets
            .iter_mut()
            .find(|t| head.digest == t.digest.as_str())
        {
            Some(t) => t.chosen_tags.push(tag.to_string()),
            None => targets.push(DeleteTarget {
                is_index: kind_of(&head.media_type) == ManifestKind::Index,
                digest: head.digest.to_string(),
                chosen_tags: vec![tag.to_string()],
                sibling_tags: Vec::new(),
            }),
        }
    }
    for t in &mut targets {
        let mut siblings: Vec<String> = all
            .iter()
            .filter(|(tag, h)| {
                h.digest == t.digest.as_str() && !t.chosen_tags.iter().any(|c| tag == c.as_str())
            })
            .map(|(tag, _)| tag.to_string())
            .collect();
        siblings.sort();
        t.sibling_tags = siblings;
    }
    let going: Vec<String> = targets
        .iter()
        .flat_map(|t| t.chosen_tags.iter().chain(&t.sibling_tags).cloned())
        .collect();
    super::deletion::refuse_protected(state, &going)?;
    let can_remove_tags_only = super::tag_removal::supported(state, creds, repo).await;
    let mut texts = DeleteTexts::for_plan(targets.len(), chosen.len());
    let digests: Vec<String> = targets.iter().map(|t| t.digest.clone()).collect();
    let frees = crate::index::frees::frees(state, repo.as_str(), &digests).await;
    texts.frees = format!("{} {}", frees.text, frees.note)
        .trim_end()
        .to_string();
    Ok(DeletePlan {
        repository: repo.to_string(),
        targets,
        can_remove_tags_only,
        texts,
    })
}
