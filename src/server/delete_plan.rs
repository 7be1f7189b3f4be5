//! Planning a delete: which digests the chosen tags resolve to (fresh,
//! with `HEAD`), and every other tag that would go with them.

use super::inventory::{check_repository, check_tag, tag_heads, tags_of};
use super::state::AppState;
use crate::error::AppError;
use crate::model::{DeletePlan, DeleteTarget};
use crate::registry::media_types::{kind_of, ManifestKind};
use crate::registry::{Credentials, ManifestHead};

/// What deleting `chosen` tags would remove: their digests, and every other
/// tag on those digests.
pub async fn delete_plan(
    state: &AppState,
    creds: &Credentials,
    repo: &str,
    chosen: &[String],
) -> Result<DeletePlan, AppError> {
    let reg = state.registry();
    check_repository(repo)?;
    if chosen.is_empty() {
        return Err(AppError::BadRequest(
            "Pick at least one tag to delete.".into(),
        ));
    }
    for t in chosen {
        check_tag(t)?;
    }
    let all: Vec<(String, ManifestHead)> =
        tag_heads(reg, creds, repo, tags_of(reg, creds, repo).await?.names).await?;
    let mut targets: Vec<DeleteTarget> = Vec::new();
    for tag in chosen {
        let head = all
            .iter()
            .find(|(t, _)| t == tag)
            .map(|(_, h)| h.clone())
            .ok_or_else(|| AppError::NotFound(format!("There is no tag {tag} in {repo}.")))?;
        match targets.iter_mut().find(|t| t.digest == head.digest) {
            Some(t) => t.chosen_tags.push(tag.clone()),
            None => targets.push(DeleteTarget {
                is_index: kind_of(&head.media_type) == ManifestKind::Index,
                digest: head.digest,
                chosen_tags: vec![tag.clone()],
                sibling_tags: Vec::new(),
            }),
        }
    }
    for t in &mut targets {
        let mut siblings: Vec<String> = all
            .iter()
            .filter(|(tag, h)| h.digest == t.digest && !t.chosen_tags.contains(tag))
            .map(|(tag, _)| tag.clone())
            .collect();
        siblings.sort();
        t.sibling_tags = siblings;
    }
    let can_remove_tags_only = super::tag_removal::supported(state, creds, repo).await;
    Ok(DeletePlan {
        repository: repo.to_string(),
        targets,
        can_remove_tags_only,
    })
}
