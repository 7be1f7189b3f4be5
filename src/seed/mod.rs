//! Pushing images through the Registry API itself (blob upload, then
//! manifest put), with no docker engine. Used by the demo and the tests.

pub mod artifacts;
pub mod bulk;
pub mod demo;
pub mod images;
pub mod pusher;
pub mod real_data;

pub use artifacts::AttestedIndex;
pub use images::{ImageFormat, ImageSpec};
pub use pusher::{PushedImage, Pusher};
