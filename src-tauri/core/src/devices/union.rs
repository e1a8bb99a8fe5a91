//! Time at the screen across devices: the union of their spans, not the sum. An hour at the
//! laptop and the desktop at once is one hour.

use chrono::{DateTime, Utc};

/// The union of `spans` (`start`, `end`): sorted, with overlapping and touching spans merged
/// into one. Spans that do not last (`end <= start`) add nothing and are dropped.
pub fn union_spans(spans: impl IntoIterator<Item = (DateTime<Utc>, DateTime<Utc>)>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut spans: Vec<_> = spans.into_iter().filter(|(start, end)| end > start).collect();
    spans.sort_unstable();
    let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;
    use proptest::prelude::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + TimeDelta::minutes(minute)
    }

    fn spans(list: &[(i64, i64)]) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        list.iter().map(|&(s, e)| (at(s), at(e))).collect()
    }

    #[test]
    fn overlapping_and_touching_spans_merge_and_gaps_stay() {
        assert_eq!(union_spans(spans(&[])), spans(&[]));
        // The laptop 9:00-10:00, the desktop 9:30-11:00 and 11:00-11:30, the laptop again at 12.
        assert_eq!(union_spans(spans(&[(720, 750), (540, 600), (570, 660), (660, 690)])), spans(&[(540, 690), (720, 750)]));
        // One inside another; the same span from two copies; empty and backwards ones.
        assert_eq!(union_spans(spans(&[(0, 100), (10, 20), (0, 100), (50, 50), (90, 80)])), spans(&[(0, 100)]));
        assert_eq!(union_spans(spans(&[(5, 6), (1, 2), (3, 4)])), spans(&[(1, 2), (3, 4), (5, 6)]));
    }

    proptest! {
        /// The union covers exactly the minutes some span covers, in sorted spans that neither
        /// overlap nor touch.
        #[test]
        fn the_union_covers_what_the_spans_cover(list in proptest::collection::vec((0i64..200, 0i64..40), 0..30)) {
            let input: Vec<(i64, i64)> = list.iter().map(|&(s, len)| (s, s + len)).collect();
            let union = union_spans(spans(&input));
            for pair in union.windows(2) {
                prop_assert!(pair[0].1 < pair[1].0);
            }
            for minute in 0..240 {
                let covered = |list: &[(DateTime<Utc>, DateTime<Utc>)]| list.iter().any(|&(s, e)| s <= at(minute) && at(minute) < e);
                prop_assert_eq!(covered(&union), covered(&spans(&input)), "minute {}", minute);
            }
        }
    }
}
