//! Retention: policies that say which tags to keep, and a plan of what
//! goes, made from fresh registry state and checked before it is applied.
//!
//! - `policy.rs`: policies as written (TOML file or the admin form),
//!   checked into globs, regular expressions and schedules, and protected
//!   tags; `form.rs`: the admin form's fields to and from a policy;
//! - `plan.rs`: the planner, a pure function of the policies and the
//!   registry's tags (tested without a registry, with properties);
//! - `snapshot.rs`: the registry's tags read fresh for the planner;
//! - `run.rs`: a plan from a fresh snapshot, with what it frees;
//! - `apply.rs`: a reviewed plan carried out, audited;
//! - `runs.rs`: dry runs and applies as recorded runs with reports;
//! - `schedule.rs`, `scheduler.rs`: cron schedules, claimed once across
//!   replicas;
//! - `load.rs`, `cli.rs`: where policies come from, and
//!   `berth retention run`.

pub mod apply;
pub mod cli;
pub mod form;
pub mod load;
pub mod plan;
pub mod policy;
pub mod run;
pub mod runs;
pub mod schedule;
pub mod scheduler;
pub mod snapshot;
