//! The one progress bar of `batch` and `corpus`: the same template, and a rate and ETA
//! computed here from the elapsed time, so that neither shows an absurd first frame
//! (one draft in a few microseconds is not 45,208.2352/s).

use std::time::Duration;

use indicatif::{HumanCount, ProgressBar, ProgressState, ProgressStyle};

/// The template both commands draw.
pub const TEMPLATE: &str = "[{bar:40}] {human_pos}/{human_len} drafts  {rate}  ETA {eta}  {msg}";

/// No rate (nor ETA) is shown before this much time has passed: before it, one or two
/// drafts say nothing about the speed.
pub const SETTLE: Duration = Duration::from_secs(1);

/// A progress bar over `len` drafts, `done` of them already written before this run (a
/// resumed corpus): they count in the position but not in the rate. Hidden with `quiet`;
/// indicatif draws nothing when stderr is not a terminal.
pub fn bar(len: u64, done: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len).with_style(style(done));
    bar.set_position(done);
    bar.reset_elapsed();
    bar
}

/// The style: [`TEMPLATE`] with the `rate` and `eta` keys of [`rate`] and [`eta`].
pub fn style(done: u64) -> ProgressStyle {
    ProgressStyle::with_template(TEMPLATE)
        .map(|style| {
            style
                .progress_chars("=> ")
                .with_key(
                    "rate",
                    move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let made = state.pos().saturating_sub(done);
                        let _ = w.write_str(&rate(made, state.elapsed()));
                    },
                )
                .with_key(
                    "eta",
                    move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let made = state.pos().saturating_sub(done);
                        let left = state.len().unwrap_or(0).saturating_sub(state.pos());
                        let _ = w.write_str(&eta(made, left, state.elapsed()));
                    },
                )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// `made` drafts in `elapsed`, as a whole number with thousands separators:
/// `1,234 drafts/s`; `… drafts/s` until [`SETTLE`] has passed and one draft is made.
pub fn rate(made: u64, elapsed: Duration) -> String {
    match per_sec(made, elapsed) {
        Some(rate) => format!("{} drafts/s", HumanCount(rate.round() as u64)),
        None => "… drafts/s".to_string(),
    }
}

/// The time the `left` drafts will take at the rate so far, as `1h02m03s`, `2m03s` or
/// `3s`; `…` while there is no rate yet.
pub fn eta(made: u64, left: u64, elapsed: Duration) -> String {
    let Some(rate) = per_sec(made, elapsed) else {
        return "…".to_string();
    };
    let secs = (left as f64 / rate).ceil() as u64;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}h{m:02}m{s:02}s")
    } else if m > 0 {
        format!("{m}m{s:02}s")
    } else {
        format!("{s}s")
    }
}

fn per_sec(made: u64, elapsed: Duration) -> Option<f64> {
    (elapsed >= SETTLE && made > 0).then(|| made as f64 / elapsed.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_a_whole_number_and_waits_for_a_second() {
        assert_eq!(rate(1, Duration::from_micros(22)), "… drafts/s");
        assert_eq!(rate(0, Duration::from_secs(5)), "… drafts/s");
        assert_eq!(rate(45_208, Duration::from_secs(1)), "45,208 drafts/s");
        assert_eq!(rate(10, Duration::from_millis(3_000)), "3 drafts/s");
        assert_eq!(
            rate(1_234_567, Duration::from_secs(1)),
            "1,234,567 drafts/s"
        );
        assert_eq!(eta(1, 10, Duration::from_millis(10)), "…");
        assert_eq!(eta(10, 25, Duration::from_secs(2)), "5s");
        assert_eq!(eta(1, 3_725, Duration::from_secs(1)), "1h02m05s");
        assert_eq!(eta(1, 125, Duration::from_secs(1)), "2m05s");
    }
}
