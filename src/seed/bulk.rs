//! Bulk content for paging tests and the benchmark: many tags in one
//! repository, small images that share their layers.

use futures::stream::{self, StreamExt, TryStreamExt};

use super::images::{ImageFormat, ImageSpec};
use super::pusher::{PushResult, Pusher};

impl Pusher {
    /// Pushes `count` tags `0.0.0` … into `repo`: each a distinct image (its
    /// own config and created date) over two shared layers.
    pub async fn push_many_tags(
        &self,
        repo: &str,
        count: usize,
        concurrency: usize,
    ) -> PushResult<()> {
        let push = |i: usize| async move {
            // Spread dates over ~5 years so date order differs from name order.
            let day = (i * 7919) % 1800;
            let created = date_after_2021(day, i % 24);
            let format = if i.is_multiple_of(2) {
                ImageFormat::Oci
            } else {
                ImageFormat::Docker
            };
            let mut spec = ImageSpec::new(
                format,
                &created,
                &[
                    ("bin/app", "shared application layer"),
                    ("etc/app.conf", "shared = true\n"),
                ],
            );
            spec.labels = vec![("build".into(), i.to_string())];
            let tag = format!("{}.{}.{}", i / 100, (i / 10) % 10, i % 10);
            self.push_image(repo, &tag, &spec).await.map(|_| ())
        };
        if count == 0 {
            return Ok(());
        }
        // The first tag alone uploads the shared layers: registry:2 can fail
        // concurrent uploads of one blob into one repository.
        push(0).await?;
        stream::iter(1..count)
            .map(push)
            .buffer_unordered(concurrency)
            .try_collect::<Vec<()>>()
            .await?;
        Ok(())
    }
}

/// `day` days after 2021-01-01 at `hour`:00 UTC, as RFC 3339.
fn date_after_2021(day: usize, hour: usize) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).expect("valid date");
    let date = start + chrono::Days::new(day as u64);
    format!("{date}T{hour:02}:00:00Z")
}
