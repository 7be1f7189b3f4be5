//! Charts drawn by the server as SVG: no script, so they show with
//! JavaScript off and cost the browser nothing to load. The numbers they
//! draw are always also in a table beside them (screen readers read that).

use leptos::prelude::*;

use crate::i18n::Fmt;

/// One bar: a label (linked) and two stacked parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub href: String,
    /// The first, darker part (e.g. exclusive bytes).
    pub first: u64,
    /// The second part (e.g. shared bytes).
    pub second: u64,
}

const BAR_WIDTH: f64 = 760.0;
const LABEL_WIDTH: f64 = 240.0;
const VALUE_WIDTH: f64 = 90.0;
const ROW: f64 = 24.0;

/// Widths of a bar's two parts, scaled so the largest bar fills the room.
fn bar_widths(bar: &Bar, max: u64) -> (f64, f64) {
    if max == 0 {
        return (0.0, 0.0);
    }
    let room = BAR_WIDTH - LABEL_WIDTH - VALUE_WIDTH - 8.0;
    let scale = room / max as f64;
    (bar.first as f64 * scale, bar.second as f64 * scale)
}

/// Horizontal stacked bars, one row per entry.
#[component]
pub fn BarChart(
    bars: Vec<Bar>,
    /// What the chart shows, for assistive technology.
    title: String,
    first_class: &'static str,
    second_class: &'static str,
) -> impl IntoView {
    let fmt = Fmt::current();
    let max = bars.iter().map(|b| b.first + b.second).max().unwrap_or(0);
    let height = (bars.len() as f64 * ROW).max(ROW);
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = i as f64 * ROW;
            let (w1, w2) = bar_widths(&bar, max);
            let total = fmt.size(bar.first + bar.second);
            let label = crate::format::cut(&bar.label, 34);
            let tip = format!(
                "{}: {} ({} + {})",
                bar.label,
                total,
                fmt.size(bar.first),
                fmt.size(bar.second)
            );
            view! {
                <a href=bar.href>
                    <title>{tip}</title>
                    <text x=LABEL_WIDTH - 6.0 y=y + 16.0 text-anchor="end" class="chart-label">{label}</text>
                    <rect x=LABEL_WIDTH y=y + 4.0 width=format!("{w1:.1}") height=ROW - 8.0 class=first_class></rect>
                    <rect x=format!("{:.1}", LABEL_WIDTH + w1) y=y + 4.0 width=format!("{w2:.1}") height=ROW - 8.0 class=second_class></rect>
                    <text x=format!("{:.1}", LABEL_WIDTH + w1 + w2 + 6.0) y=y + 16.0 class="chart-value">{total}</text>
                </a>
            }
        })
        .collect_view();
    view! {
        // A group, not an image: each bar is a link of its own.
        <svg class="chart bars" viewBox=format!("0 0 {BAR_WIDTH} {height}") role="group" aria-label=title
            preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
            {rows}
        </svg>
    }
}

const LINE_WIDTH: f64 = 760.0;
const LINE_HEIGHT: f64 = 220.0;
const PAD_LEFT: f64 = 80.0;
const PAD_RIGHT: f64 = 16.0;
const PAD_TOP: f64 = 12.0;
const PAD_BOTTOM: f64 = 28.0;

/// The path of a cumulative total as steps: it holds its value until the
/// next point, and runs on to `end`.
fn step_path(points: &[(i64, u64)], end: i64) -> String {
    let Some(&(first, _)) = points.first() else {
        return String::new();
    };
    let end = end.max(points.last().map_or(first, |p| p.0));
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let span = (end - first).max(1) as f64;
    let x = |t: i64| PAD_LEFT + (t - first) as f64 / span * (LINE_WIDTH - PAD_LEFT - PAD_RIGHT);
    let y = |b: u64| PAD_TOP + (1.0 - b as f64 / max as f64) * (LINE_HEIGHT - PAD_TOP - PAD_BOTTOM);
    let mut d = format!("M{:.1},{:.1}", x(first), y(0));
    let mut last = 0;
    for &(t, b) in points {
        d.push_str(&format!(
            " L{:.1},{:.1} L{:.1},{:.1}",
            x(t),
            y(last),
            x(t),
            y(b)
        ));
        last = b;
    }
    d.push_str(&format!(" L{:.1},{:.1}", x(end), y(last)));
    d
}

/// A total over time, as steps, with its largest value and its first and
/// last dates on the axes. `points` are (Unix ms, bytes), oldest first.
#[component]
pub fn GrowthChart(points: Vec<(i64, u64)>, now_ms: i64, title: String) -> impl IntoView {
    let fmt = Fmt::current();
    let path = step_path(&points, now_ms);
    let max = points.iter().map(|p| p.1).max().unwrap_or(0);
    let first = points.first().map_or(now_ms, |p| p.0);
    let bottom = LINE_HEIGHT - PAD_BOTTOM;
    view! {
        <svg class="chart line" viewBox=format!("0 0 {LINE_WIDTH} {LINE_HEIGHT}") role="img" aria-label=title
            preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
            <line x1=PAD_LEFT y1=PAD_TOP x2=PAD_LEFT y2=bottom class="chart-axis"></line>
            <line x1=PAD_LEFT y1=bottom x2=LINE_WIDTH - PAD_RIGHT y2=bottom class="chart-axis"></line>
            <text x=PAD_LEFT - 6.0 y=PAD_TOP + 10.0 text-anchor="end" class="chart-label">{fmt.size(max)}</text>
            <text x=PAD_LEFT - 6.0 y=bottom text-anchor="end" class="chart-label">"0"</text>
            <text x=PAD_LEFT y=LINE_HEIGHT - 8.0 class="chart-label">{fmt.date(first / 1000)}</text>
            <text x=LINE_WIDTH - PAD_RIGHT y=LINE_HEIGHT - 8.0 text-anchor="end" class="chart-label">{fmt.date(now_ms.max(first) / 1000)}</text>
            <path d=path class="chart-line"></path>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest() {
        let bar = |a, b| Bar {
            label: "x".into(),
            href: "/".into(),
            first: a,
            second: b,
        };
        let room = BAR_WIDTH - LABEL_WIDTH - VALUE_WIDTH - 8.0;
        let (a, b) = bar_widths(&bar(300, 100), 400);
        assert!((a - room * 0.75).abs() < 1e-9 && (b - room * 0.25).abs() < 1e-9);
        assert_eq!(bar_widths(&bar(0, 0), 0), (0.0, 0.0));
    }

    #[test]
    fn the_growth_line_steps_up_and_runs_to_now() {
        let d = step_path(&[(0, 0), (50, 10), (100, 20)], 200);
        let first = d.split(' ').next().unwrap();
        assert_eq!(
            first,
            format!("M{:.1},{:.1}", PAD_LEFT, LINE_HEIGHT - PAD_BOTTOM)
        );
        // Ends at the right edge at the top (the largest value).
        assert!(
            d.ends_with(&format!("L{:.1},{:.1}", LINE_WIDTH - PAD_RIGHT, PAD_TOP)),
            "{d}"
        );
        assert_eq!(step_path(&[], 5), "");
    }
}
