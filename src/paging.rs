//! Cutting a long table into pages of `BERTH_MAX_ROWS` rows, on the server,
//! so a 50,000-tag repository never renders (or hydrates) 50,000 rows.

use serde::{Deserialize, Serialize};

/// Which rows of a longer list a page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    /// 1-based.
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
    /// Rows in the whole list (after any filter).
    pub total: usize,
}

impl Paging {
    /// The page `asked` of `total` rows, `per_page` at a time; a page past
    /// the end (or 0) is clamped to the nearest real one.
    pub fn new(total: usize, per_page: usize, asked: usize) -> Self {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        Self {
            page: asked.clamp(1, pages),
            pages,
            per_page,
            total,
        }
    }

    /// The index range of this page's rows in the whole list.
    pub fn range(&self) -> std::ops::Range<usize> {
        let start = (self.page - 1) * self.per_page;
        start.min(self.total)..(start + self.per_page).min(self.total)
    }

    /// More than one page: the page must say so and offer the others.
    pub fn is_paged(&self) -> bool {
        self.pages > 1
    }

    /// "Rows 5,001–10,000 of 12,345", 1-based and inclusive.
    pub fn describe(&self, noun: &str) -> String {
        let r = self.range();
        format!(
            "{noun} {}–{} of {}",
            crate::format::count(r.start + 1),
            crate::format::count(r.end),
            crate::format::count(self.total)
        )
    }
}

/// A `page` query value; anything unreadable is page 1.
pub fn page_from_query(q: Option<&str>) -> usize {
    q.and_then(|p| p.trim().parse().ok()).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_every_row_once() {
        let p = Paging::new(12_345, 5_000, 1);
        assert_eq!((p.pages, p.range()), (3, 0..5_000));
        assert_eq!(Paging::new(12_345, 5_000, 3).range(), 10_000..12_345);
        assert!(p.is_paged());
        assert!(!Paging::new(5_000, 5_000, 1).is_paged());
    }

    #[test]
    fn out_of_range_pages_are_clamped() {
        assert_eq!(Paging::new(10, 4, 0).page, 1);
        assert_eq!(Paging::new(10, 4, 99).page, 3);
        assert_eq!(
            Paging::new(0, 4, 7),
            Paging {
                page: 1,
                pages: 1,
                per_page: 4,
                total: 0
            }
        );
        assert_eq!(Paging::new(0, 4, 1).range(), 0..0);
        assert_eq!(Paging::new(3, 0, 1).per_page, 1);
    }

    #[test]
    fn describes_the_rows_shown() {
        assert_eq!(
            Paging::new(12_345, 5_000, 2).describe("Tags"),
            "Tags 5,001–10,000 of 12,345"
        );
    }

    #[test]
    fn bad_page_values_mean_the_first() {
        assert_eq!(page_from_query(Some("3")), 3);
        assert_eq!(page_from_query(Some("-1")), 1);
        assert_eq!(page_from_query(Some("x")), 1);
        assert_eq!(page_from_query(None), 1);
    }
}
