//! The Registry HTTP API v2 protocol core.
//!
//! Nothing in here knows about Leptos, sessions or HTML: it speaks the
//! protocol (auth challenges, paging, media types, digests) and returns plain
//! data, so it can be tested against a real registry on its own.

pub mod auth;
mod auth_flow;
pub mod blob_stream;
mod blobs;
pub mod bounded_read;
pub mod call_metrics;
pub mod client;
pub mod content_cache;
pub mod deletes;
pub mod digest;
pub mod error;
pub mod error_code;
pub mod events;
#[cfg(test)]
mod fixture_tests;
pub mod listing;
pub mod manifest;
pub mod manifests;
pub mod media_types;
pub mod names;
pub mod origin;
pub mod paging;
pub mod referrers;
pub mod request_id;
pub mod schema1;
pub mod scope;
pub mod signatures;
pub mod token;
pub mod transport;

pub use auth::{Challenge, Credentials};
pub use client::{Ping, Probe, RegistryClient};
pub use digest::Digest;
pub use error::RegistryError;
pub use error_code::ErrorCode;
pub use listing::{NameList, PageProbe};
pub use manifests::{FetchedManifest, ManifestHead};
pub use names::{NameError, Reference, RepositoryName, Tag};
pub use origin::TrustedOrigins;
pub use transport::{build_http, TransportOptions};
