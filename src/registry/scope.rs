//! Token scopes (Docker token spec): what a bearer token must grant for a
//! call. `registry:catalog:*` lists repositories, `repository:<name>:pull`
//! reads one, and `repository:<name>:delete` deletes from it.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// `GET /v2/`: no scope, only proof of identity.
    None,
    Catalog,
    Pull(&'a str),
    Delete(&'a str),
}

impl Scope<'_> {
    /// The scope strings to ask the token server for (none for `None`).
    pub fn to_params(self) -> Vec<String> {
        match self {
            Scope::None => Vec::new(),
            Scope::Catalog => vec!["registry:catalog:*".into()],
            Scope::Pull(name) => vec![format!("repository:{name}:pull")],
            Scope::Delete(name) => vec![format!("repository:{name}:delete")],
        }
    }
}

/// A challenge's `scope` value may hold several scopes separated by spaces.
pub fn split_challenge_scope(scope: &str) -> Vec<String> {
    scope.split_whitespace().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_follow_the_token_spec() {
        assert_eq!(Scope::Catalog.to_params(), ["registry:catalog:*"]);
        assert_eq!(
            Scope::Pull("team-a/web").to_params(),
            ["repository:team-a/web:pull"]
        );
        assert_eq!(
            Scope::Delete("team-a/web").to_params(),
            ["repository:team-a/web:delete"]
        );
        assert!(Scope::None.to_params().is_empty());
    }

    #[test]
    fn challenge_scopes_split_on_spaces_only() {
        assert_eq!(
            split_challenge_scope("repository:a/b:pull,push repository:c:pull"),
            ["repository:a/b:pull,push", "repository:c:pull"]
        );
    }
}
