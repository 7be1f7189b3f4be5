//! Retention: policies that say which tags to keep, and a plan of what
//! goes, made from fresh registry state and checked before it is applied.
//!
//! - `policy.rs`: policies as written (TOML file or the admin form),
//!   checked into globs and regular expressions, and protected tags;
//! - `plan.rs`: the planner, a pure function of the policies and the
//!   registry's tags (tested without a registry, with properties);
//! - `snapshot.rs`: the registry's tags read fresh for the planner;
//! - `run.rs`: a plan from a fresh snapshot, with what it frees;
//! - `apply.rs`: a reviewed plan carried out, audited;
//! - `load.rs`, `cli.rs`: the policy file, and `berth retention run`.

pub mod apply;
pub mod cli;
pub mod load;
pub mod plan;
pub mod policy;
pub mod run;
pub mod snapshot;
