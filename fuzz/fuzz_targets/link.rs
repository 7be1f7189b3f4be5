//! `Link` headers of paged lists: a next page must stay on the registry.
#![no_main]

use berth::registry::origin::TrustedOrigins;
use berth::registry::paging::next_link;
use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let header = String::from_utf8_lossy(data);
    let base = Url::parse("http://registry.example:5000/v2/_catalog?n=100").unwrap();
    let trusted = TrustedOrigins::new(&base, &[]);
    let Some(next) = next_link(&header, &base) else {
        return;
    };
    if trusted.check_link(&next).is_ok() {
        assert_eq!(next.scheme(), base.scheme(), "next {next}");
        assert_eq!(next.host_str(), base.host_str(), "next {next}");
        assert_eq!(next.port_or_known_default(), base.port_or_known_default(), "next {next}");
        assert!(next.username().is_empty() || next.origin() == base.origin());
    }
});
