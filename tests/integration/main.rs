//! Integration tests against a real registry:2 (Debian's docker-registry)
//! with images pushed through the Registry API, and Berth served in-process.

mod support;

mod audit_log;
mod auth_matrix;
mod caching;
mod compression;
mod config_and_deploy;
mod content_kinds;
mod deleting;
mod downloads;
mod durable_sessions;
mod errors;
mod fault_proxy;
mod headers;
mod health;
mod hostile_input;
mod hostile_registry;
mod image_files;
mod index_pages;
mod languages;
mod layer_access;
mod layer_budget;
mod layers;
mod login_and_roles;
mod login_throttling;
mod metrics;
mod pages;
mod process;
mod registry_core;
mod registry_events;
mod registry_index;
mod replicas;
mod request_limits;
mod retention;
mod retention_admin;
mod search;
mod storage;
mod token_and_tls;
mod token_auth_pages;
mod untrusted_origins;
