//! Typed names for tests that call `RegistryClient` directly. A test's
//! names are known good, so a bad one is a bug in the test: it panics.

use berth::registry::{Digest, Reference, RepositoryName};

pub fn repo(s: impl AsRef<str>) -> RepositoryName {
    RepositoryName::parse(s.as_ref()).expect("a valid repository name in the test")
}

pub fn reference(s: impl AsRef<str>) -> Reference {
    Reference::parse(s.as_ref()).expect("a valid tag or digest in the test")
}

pub fn digest(s: impl AsRef<str>) -> Digest {
    Digest::parse(s.as_ref()).expect("a valid digest in the test")
}
