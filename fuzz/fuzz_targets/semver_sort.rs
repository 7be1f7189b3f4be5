//! The tag-version comparator must be a total order: sorting with an
//! inconsistent comparator may panic (Rust 1.81+) or misorder.
//!
//! Input: NUL-separated tags; the first three are checked pairwise and
//! for transitivity, all of them are sorted.
#![no_main]

use std::cmp::Ordering;

use berth::sort::compare_versions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let pieces: Vec<&str> = s.split('\0').take(64).collect();
    let t = [
        pieces.first().copied().unwrap_or(""),
        pieces.get(1).copied().unwrap_or(""),
        pieces.get(2).copied().unwrap_or(""),
    ];

    for x in t {
        assert_eq!(compare_versions(x, x), Ordering::Equal, "reflexive: {x:?}");
    }
    for x in t {
        for y in t {
            let xy = compare_versions(x, y);
            assert_eq!(xy, compare_versions(y, x).reverse(), "antisymmetry: {x:?} {y:?}");
            assert_eq!(xy == Ordering::Equal, x == y, "equal only when identical: {x:?} {y:?}");
        }
    }
    for x in t {
        for y in t {
            for z in t {
                if compare_versions(x, y) != Ordering::Greater
                    && compare_versions(y, z) != Ordering::Greater
                {
                    assert_ne!(
                        compare_versions(x, z),
                        Ordering::Greater,
                        "transitivity: {x:?} <= {y:?} <= {z:?} but {x:?} > {z:?}"
                    );
                }
            }
        }
    }

    let mut v = pieces.clone();
    v.sort_by(|a, b| compare_versions(a, b));
    assert!(
        v.windows(2).all(|w| compare_versions(w[0], w[1]) != Ordering::Greater),
        "sort_by left an unsorted pair: {v:?}"
    );
});
