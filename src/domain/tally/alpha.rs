//! Cronbach's α from sums: what a tally keeps of one version's bond items, so α can be
//! computed from rollups instead of rows.

use serde::{Deserialize, Serialize};

use super::TallyUnderflow;

/// Sums for Cronbach's α over complete cases of one version's item set. Rollups are kept
/// per version, so one tally never sees two item sets; a report merges the α sums only of
/// versions whose bond items equal the newest selected version's (`report::ReportTallies`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AlphaSums {
    pub items: usize,
    pub n: u64,
    pub item_sum: Vec<f64>,
    pub item_sum_sq: Vec<f64>,
    pub total_sum: f64,
    pub total_sum_sq: f64,
}

impl AlphaSums {
    pub(super) fn add(&mut self, ratings: &[Option<u8>], sign: i64) -> Result<(), TallyUnderflow> {
        let Some(values) = ratings
            .iter()
            .map(|r| r.map(f64::from))
            .collect::<Option<Vec<f64>>>()
        else {
            return Ok(());
        };
        if values.is_empty() {
            return Ok(());
        }
        if self.n == 0 {
            *self = AlphaSums {
                items: values.len(),
                item_sum: vec![0.0; values.len()],
                item_sum_sq: vec![0.0; values.len()],
                ..AlphaSums::default()
            };
        }
        if values.len() != self.items {
            // One version has one item set, and rollups are per version: another item set
            // cannot be mixed into one α.
            return Ok(());
        }
        // Reliability is of the instrument, over the respondents: α sums stay unweighted.
        self.n = self.n.checked_add_signed(sign).ok_or(TallyUnderflow)?;
        let s = sign as f64;
        for (i, v) in values.iter().enumerate() {
            self.item_sum[i] += s * v;
            self.item_sum_sq[i] += s * v * v;
        }
        let total: f64 = values.iter().sum();
        self.total_sum += s * total;
        self.total_sum_sq += s * total * total;
        Ok(())
    }

    /// Adds another group's sums of the same item set (an empty side takes the other's).
    /// Sums of another item set are not added: α is per item set, and a report merges the
    /// α sums of the right versions itself (`report::ReliabilitySums`).
    pub fn merge(&mut self, o: &AlphaSums) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = o.clone();
            return;
        }
        if self.items != o.items {
            return;
        }
        self.n += o.n;
        for i in 0..self.items {
            self.item_sum[i] += o.item_sum[i];
            self.item_sum_sq[i] += o.item_sum_sq[i];
        }
        self.total_sum += o.total_sum;
        self.total_sum_sq += o.total_sum_sq;
    }

    pub fn alpha(&self) -> Option<f64> {
        let (k, n) = (self.items as f64, self.n as f64);
        if self.items < 2 || self.n < 2 {
            return None;
        }
        let var = |sum: f64, sq: f64| (sq - sum * sum / n) / (n - 1.0);
        let items: f64 = (0..self.items)
            .map(|i| var(self.item_sum[i], self.item_sum_sq[i]))
            .sum();
        let total = var(self.total_sum, self.total_sum_sq);
        (total > 1e-12).then(|| k / (k - 1.0) * (1.0 - items / total))
    }
}
#[cfg(test)]
mod tests {
    use super::AlphaSums;
    use crate::domain::tally::tests::vectors;

    #[test]
    fn alpha_from_sums_matches_the_reference() {
        let v = vectors();
        let mut sums = AlphaSums::default();
        for row in v["cronbach_alpha"]["items"].as_array().unwrap() {
            let r: Vec<Option<u8>> = row
                .as_array()
                .unwrap()
                .iter()
                .map(|x| Some(x.as_u64().unwrap() as u8))
                .collect();
            sums.add(&r, 1).unwrap();
        }
        assert!(
            (sums.alpha().unwrap() - v["cronbach_alpha"]["alpha"].as_f64().unwrap()).abs() < 1e-4
        );
        // Incomplete cases are left out.
        sums.add(&[Some(1), None, Some(2)], 1).unwrap();
        assert_eq!(sums.n, 8);
    }

    #[test]
    fn alpha_counts_a_reverse_keyed_item_as_8_minus_x() {
        let v = vectors();
        let case = &v["v2"]["alpha_reverse"];
        let reverse: Vec<bool> = case["reverse"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_bool().unwrap())
            .collect();
        let mut sums = AlphaSums::default();
        for row in case["items"].as_array().unwrap() {
            // What scoring stores for α: the keyed item scores.
            let keyed: Vec<Option<u8>> = row
                .as_array()
                .unwrap()
                .iter()
                .zip(&reverse)
                .map(|(x, r)| {
                    let x = x.as_u64().unwrap() as u8;
                    Some(if *r { 8 - x } else { x })
                })
                .collect();
            sums.add(&keyed, 1).unwrap();
        }
        assert!((sums.alpha().unwrap() - case["alpha"].as_f64().unwrap()).abs() < 1e-6);
    }
}
