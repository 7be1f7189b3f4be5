//! Application state shared by every handler and server function.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::config::{AuthMode, Settings};
use crate::model::Role;
use crate::registry::{Credentials, RegistryClient};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub shared: Arc<Shared>,
}

pub struct Shared {
    pub settings: Settings,
    pub registry: RegistryClient,
}

impl AppState {
    pub fn new(settings: Settings, leptos_options: LeptosOptions) -> Result<Self, String> {
        // One pooled client with keep-alive for every registry call.
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .pool_idle_timeout(Duration::from_secs(90))
            .user_agent(concat!("berth/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("could not build the HTTP client: {e}"))?;
        let registry = RegistryClient::new(http, settings.registry_url.clone());
        Ok(Self {
            leptos_options,
            shared: Arc::new(Shared { settings, registry }),
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.shared.settings
    }

    pub fn registry(&self) -> &RegistryClient {
        &self.shared.registry
    }

    /// The service account, for htpasswd and none modes.
    pub fn service_credentials(&self) -> Credentials {
        match &self.shared.settings.service_account {
            Some((username, password)) => Credentials::Basic {
                username: username.clone(),
                password: password.clone(),
            },
            None => Credentials::Anonymous,
        }
    }

    pub fn role_of(&self, username: &str) -> Role {
        let s = &self.shared.settings;
        if s.auth == AuthMode::None {
            return Role::Viewer;
        }
        match &s.admins {
            Some(admins) if !admins.iter().any(|a| a == username) => Role::Viewer,
            _ => Role::Admin,
        }
    }
}
