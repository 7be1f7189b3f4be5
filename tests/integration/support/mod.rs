pub mod berth;
pub mod fake_server;
pub mod fixtures;
pub mod index;
pub mod postgres;
pub mod registry;
pub mod tls;
pub mod token_server;

pub use berth::{get_with_cookie, session_cookie, Browser, TestBerth};
pub use registry::{RegistryOpts, TestRegistry, ADMIN, VIEWER};
pub use tls::TlsFiles;
pub use token_server::{Access, TokenField, TokenServer, ALICE, BOB, CAROL, DAVE};

/// A registry with htpasswd auth, the standard content, and Berth in
/// `registry` auth mode with `admin` as the only admin.
pub struct Env {
    pub registry: TestRegistry,
    pub berth: TestBerth,
    pub content: fixtures::Content,
}

impl Env {
    pub async fn start(delete_enabled: bool, extra: &[&str]) -> Env {
        let registry = TestRegistry::start(RegistryOpts {
            htpasswd: true,
            delete_enabled,
            access_log: true,
            ..Default::default()
        })
        .await;
        let content = fixtures::push_standard(&registry.pusher()).await;
        let mut flags = registry.registry_mode_flags();
        flags.extend_from_slice(extra);
        let berth = TestBerth::start(&flags).await;
        Env {
            registry,
            berth,
            content,
        }
    }

    pub async fn admin(&self) -> Browser {
        let b = self.berth.client();
        assert_eq!(b.login(ADMIN.0, ADMIN.1).await.status, 303);
        b
    }

    pub async fn viewer(&self) -> Browser {
        let b = self.berth.client();
        assert_eq!(b.login(VIEWER.0, VIEWER.1).await.status, 303);
        b
    }
}

/// A plain HTTP client whose calls fail after 20 s instead of hanging.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .expect("client")
}
pub mod typed;
