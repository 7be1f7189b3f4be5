//! A real token server (Docker token authentication spec) for registries in
//! `auth: token` mode: `GET /token?service=…&scope=…` with optional Basic
//! credentials answers a JWT that registry:2 verifies through its `x5c`
//! chain against `rootcertbundle.pem`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rcgen::{CertificateParams, DnType, KeyPair};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::registry::TokenAuthConfig;

/// Every action on every repository, and the catalog.
pub const ALICE: (&str, &str) = ("alice", "alice-pass");
/// `pull` on every repository, and the catalog.
pub const BOB: (&str, &str) = ("bob", "bob-pass");
/// `pull` and `push` on `team-c/…` only; no catalog.
pub const CAROL: (&str, &str) = ("carol", "carol-pass");
/// The catalog (every name), but `pull` on `team-c/…` only: a registry
/// that lists everything and grants per repository.
pub const DAVE: (&str, &str) = ("dave", "dave-pass");
/// The `service` (token audience) the registry is configured with.
pub const SERVICE: &str = "berth-test-registry";
/// The `iss` of every token; the registry checks it.
pub const ISSUER: &str = "berth-test-token-server";

/// Which token fields the answer carries: the spec allows `token`,
/// `access_token` (OAuth 2) or both, and clients must accept each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenField {
    #[default]
    Both,
    TokenOnly,
    AccessTokenOnly,
}

/// One resource grant, as in the token's `access` claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub actions: Vec<String>,
}

impl Access {
    pub fn repository(name: &str, actions: &[&str]) -> Access {
        Access {
            kind: "repository".into(),
            name: name.into(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// `registry:catalog:*`, what `GET /v2/_catalog` needs.
    pub fn catalog() -> Access {
        Access {
            kind: "registry".into(),
            name: "catalog".into(),
            actions: vec!["*".into()],
        }
    }

    /// Parses `type:name:action1,action2`; the name is everything between
    /// the first and the last `:`.
    pub fn parse_scope(scope: &str) -> Option<Access> {
        let (kind, rest) = scope.split_once(':')?;
        let (name, actions) = rest.rsplit_once(':')?;
        if kind.is_empty() || name.is_empty() {
            return None;
        }
        Some(Access {
            kind: kind.into(),
            name: name.into(),
            actions: actions
                .split(',')
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect(),
        })
    }
}

/// One call to `/token`, as the tests see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// The Basic username offered, if any (even with a wrong password).
    pub user: Option<String>,
    pub service: Option<String>,
    /// Every `scope` parameter, in order.
    pub scopes: Vec<String>,
    /// The HTTP status answered.
    pub status: u16,
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: u64,
    nbf: u64,
    iat: u64,
    jti: String,
    access: &'a [Access],
}

/// Signs tokens with the token server's key; cheap to clone.
#[derive(Clone)]
pub struct Minter(Arc<Signer>);

struct Signer {
    key: EncodingKey,
    /// Base64 (standard, padded) DER of the signing certificate.
    x5c: String,
    service: String,
    issuer: String,
    next_jti: AtomicU64,
}

impl Minter {
    /// A token for `user` granting exactly `access`, valid for `ttl_secs`.
    pub fn mint_for(&self, user: &str, access: &[Access], ttl_secs: u64) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock")
            .as_secs();
        let mut header = Header::new(Algorithm::ES256);
        header.typ = Some("JWT".into());
        header.x5c = Some(vec![self.0.x5c.clone()]);
        let claims = Claims {
            iss: &self.0.issuer,
            sub: user,
            aud: &self.0.service,
            exp: now + ttl_secs,
            nbf: now,
            iat: now,
            jti: format!(
                "berth-test-{}-{}",
                std::process::id(),
                self.0.next_jti.fetch_add(1, Ordering::SeqCst)
            ),
            access,
        };
        jsonwebtoken::encode(&header, &claims, &self.0.key).expect("sign token")
    }

    /// A five-minute token for `user` granting exactly `access`.
    pub fn mint(&self, user: &str, access: &[Access]) -> String {
        self.mint_for(user, access, 300)
    }

    /// A token for seeding: `pull,push,delete` on each of `repos` (registry
    /// 2.8 matches repository names exactly, so there is no wildcard).
    pub fn push_token(&self, repos: &[&str]) -> String {
        let access: Vec<Access> = repos
            .iter()
            .map(|r| Access::repository(r, &["pull", "push", "delete"]))
            .collect();
        self.mint("berth-test-pusher", &access)
    }
}

struct ServerState {
    minter: Minter,
    field: Mutex<TokenField>,
    /// `None`: the answer has no `expires_in` (the spec then means 60 s).
    expires_in: Mutex<Option<u64>>,
    requests: Mutex<Vec<TokenRequest>>,
}

/// The token server, on `127.0.0.1`, stopped on drop.
pub struct TokenServer {
    /// `http://127.0.0.1:PORT/token`, the realm registries send clients to.
    pub realm: String,
    pub dir: tempfile::TempDir,
    state: Arc<ServerState>,
    task: tokio::task::JoinHandle<()>,
}

impl TokenServer {
    pub async fn start() -> TokenServer {
        let dir = tempfile::tempdir().expect("tempdir");
        // ES256 needs P-256, which is rcgen's default key type.
        let key = KeyPair::generate().expect("signing key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("cert params");
        params
            .distinguished_name
            .push(DnType::CommonName, "berth test token signer");
        let cert = params.self_signed(&key).expect("signing cert");
        std::fs::write(dir.path().join("rootcertbundle.pem"), cert.pem()).expect("write bundle");

        let minter = Minter(Arc::new(Signer {
            key: EncodingKey::from_ec_pem(key.serialize_pem().as_bytes()).expect("EC key"),
            x5c: base64::engine::general_purpose::STANDARD.encode(cert.der()),
            service: SERVICE.into(),
            issuer: ISSUER.into(),
            next_jti: AtomicU64::new(1),
        }));
        let state = Arc::new(ServerState {
            minter,
            field: Mutex::new(TokenField::Both),
            expires_in: Mutex::new(Some(300)),
            requests: Mutex::new(Vec::new()),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind token server");
        let addr = listener.local_addr().expect("addr");
        let app = Router::new()
            .route("/token", get(token))
            .with_state(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("token server");
        });
        TokenServer {
            realm: format!("http://{addr}/token"),
            dir,
            state,
            task,
        }
    }

    /// What a registry needs to trust this server (and a minter for pushes).
    pub fn auth_config(&self) -> TokenAuthConfig {
        TokenAuthConfig {
            realm: self.realm.clone(),
            service: SERVICE.into(),
            issuer: ISSUER.into(),
            rootcertbundle: self.dir.path().join("rootcertbundle.pem"),
            minter: Some(self.minter()),
        }
    }

    pub fn minter(&self) -> Minter {
        self.state.minter.clone()
    }

    pub fn mint(&self, user: &str, access: &[Access]) -> String {
        self.state.minter.mint(user, access)
    }

    pub fn set_token_field(&self, field: TokenField) {
        *self.state.field.lock().unwrap() = field;
    }

    /// `Some(n)`: answer `expires_in: n` and sign tokens for `n` seconds;
    /// `None`: leave `expires_in` out (tokens are signed for 60 s).
    pub fn set_expires_in(&self, secs: Option<u64>) {
        *self.state.expires_in.lock().unwrap() = secs;
    }

    /// Every `/token` call so far, in order.
    pub fn requests(&self) -> Vec<TokenRequest> {
        self.state.requests.lock().unwrap().clone()
    }

    pub fn request_count(&self) -> usize {
        self.state.requests.lock().unwrap().len()
    }

    /// How many calls asked for exactly this scope (among others).
    pub fn requests_for_scope(&self, scope: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.scopes.iter().any(|s| s == scope))
            .count()
    }

    pub fn clear_requests(&self) {
        self.state.requests.lock().unwrap().clear();
    }
}

impl Drop for TokenServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What each test user may do with one resource.
fn rights(user: &str, kind: &str, name: &str) -> &'static [&'static str] {
    match (user, kind) {
        ("alice", "repository") => &["pull", "push", "delete", "*"],
        ("alice" | "bob" | "dave", "registry") if name == "catalog" => &["*"],
        ("bob", "repository") => &["pull"],
        ("carol", "repository") if name.starts_with("team-c/") => &["pull", "push"],
        ("dave", "repository") if name.starts_with("team-c/") => &["pull"],
        _ => &[],
    }
}

fn check_password(user: &str, password: &str) -> bool {
    [ALICE, BOB, CAROL, DAVE].contains(&(user, password))
}

/// `Authorization: Basic …` as (user, password); `Err` when malformed.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, ()> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ())?;
    let (scheme, encoded) = value.split_once(' ').ok_or(())?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(());
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| ())?;
    let decoded = String::from_utf8(decoded).map_err(|_| ())?;
    let (user, password) = decoded.split_once(':').ok_or(())?;
    Ok(Some((user.into(), password.into())))
}

async fn token(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let mut service = None;
    let mut scopes = Vec::new();
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "service" => service = Some(v.into_owned()),
            "scope" => scopes.push(v.into_owned()),
            _ => {}
        }
    }
    let creds = basic_credentials(&headers);
    let offered_user = creds
        .as_ref()
        .ok()
        .and_then(|c| c.as_ref())
        .map(|c| c.0.clone());
    let user = match creds {
        Ok(None) => Some(String::new()),
        Ok(Some((u, p))) if check_password(&u, &p) => Some(u),
        _ => None,
    };
    let log = |status: u16| {
        state.requests.lock().unwrap().push(TokenRequest {
            user: offered_user.clone(),
            service: service.clone(),
            scopes: scopes.clone(),
            status,
        });
    };
    let Some(user) = user else {
        log(401);
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Basic realm=\"berth test token server\"")],
            Json(json!({"errors": [{"code": "UNAUTHORIZED", "message": "authentication required: wrong user name or password"}]})),
        )
            .into_response();
    };
    // Grant the intersection of what was asked and what the user may do;
    // anonymous (empty user) gets a valid token that grants nothing.
    let access: Vec<Access> = scopes
        .iter()
        .filter_map(|s| Access::parse_scope(s))
        .filter_map(|mut a| {
            let allowed = rights(&user, &a.kind, &a.name);
            a.actions.retain(|act| allowed.contains(&act.as_str()));
            (!a.actions.is_empty()).then_some(a)
        })
        .collect();
    let expires_in = *state.expires_in.lock().unwrap();
    let token = state
        .minter
        .mint_for(&user, &access, expires_in.unwrap_or(60));
    let mut body = json!({
        "issued_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    match *state.field.lock().unwrap() {
        TokenField::Both => {
            body["token"] = json!(token);
            body["access_token"] = json!(token);
        }
        TokenField::TokenOnly => body["token"] = json!(token),
        TokenField::AccessTokenOnly => body["access_token"] = json!(token),
    }
    if let Some(secs) = expires_in {
        body["expires_in"] = json!(secs);
    }
    log(200);
    Json(body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_names_keep_slashes_and_colons() {
        let a = Access::parse_scope("repository:team-a/backend/app:pull,push").unwrap();
        assert_eq!(
            a,
            Access::repository("team-a/backend/app", &["pull", "push"])
        );
        let c = Access::parse_scope("registry:catalog:*").unwrap();
        assert_eq!(c, Access::catalog());
        assert!(Access::parse_scope("nonsense").is_none());
    }
}
