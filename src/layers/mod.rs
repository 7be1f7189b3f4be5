//! What is inside an image: its layers' files, read from the registry's
//! blobs without unpacking them anywhere.
//!
//! - `inflate.rs`: zlib's inflate, stopping at block ends and resuming
//!   mid-stream (the only unsafe code of layer reading);
//! - `gzip_index.rs`: one pass over a gzip layer that keeps checkpoints,
//!   and reading again from any checkpoint;
//! - `body.rs`: a blob body as a bounded blocking `Read`;
//! - `listing.rs`: a tar stream's entries, with where each one's content
//!   starts;
//! - `merged.rs`: layers applied in order, whiteouts honoured.

pub mod body;
pub mod gzip_index;
pub mod inflate;
pub mod listing;
pub mod merged;
