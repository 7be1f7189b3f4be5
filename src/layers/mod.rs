//! What is inside an image: its layers' files, read from the registry's
//! blobs without unpacking them anywhere.
//!
//! - `inflate.rs`: zlib's inflate, stopping at block ends and resuming
//!   mid-stream (the only unsafe code of layer reading);
//! - `gzip_index.rs`: one pass over a gzip layer that keeps checkpoints,
//!   and reading again from any checkpoint;
//! - `body.rs`: a blob body as a bounded blocking `Read`;
//! - `budget.rs`: what a first read may spend (listing bytes, entries,
//!   time) and its stop when its request goes away;
//! - `slots.rs`: first reads and downloads at once, in all and per user;
//! - `reader.rs`: who a layer is read for (a task-local);
//! - `cache.rs`: listings and checkpoint indexes on disk, bounded;
//! - `listing.rs`: a tar stream's entries, with where each one's content
//!   starts;
//! - `merged.rs`: layers applied in order, whiteouts honoured;
//! - `read.rs`: a layer from the registry: listed once (shared by
//!   concurrent first looks), one file read from the checkpoint before it;
//! - `preview.rs`: content as text lines or a hex dump, modes as `ls`;
//! - `sizes.rs`: the bytes under each directory;
//! - `changes.rs`: what changed between two filesystems, and line diffs.

pub mod body;
pub mod budget;
pub mod cache;
pub mod changes;
pub mod gzip_index;
pub mod inflate;
pub mod listing;
pub mod merged;
pub mod preview;
pub mod read;
pub mod reader;
pub mod sizes;
pub mod slots;
