//! Mergeable counts behind every report figure. A `Tally` holds, for a group of complete
//! respondents, exactly the sums the report needs (counts and moments), so reports can be
//! computed from rollups kept per survey version and day, instead of rescanning a million
//! score rows: adding a respondent, removing one (a deleted response) and merging two
//! tallies are all cheap and exact.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::report::{day_of, SENSITIVITY_THRESHOLDS};
use super::scoring::{BondClass, ContactFit, NpsClass, RespondentScores, ANNUAL_CONTACTS};
use super::stats::Moments;

/// Thresholds a tally counts bonds at: the survey's own, then the sensitivity ones.
pub fn thresholds(t: f64) -> [f64; 3] {
    let [low, high] = SENSITIVITY_THRESHOLDS;
    [t, low, high]
}

/// Headline counts at one threshold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HeadlineCounts {
    pub scored: u64,
    pub values_bonded: u64,
    pub contact_bonded: u64,
    /// values_only, both, contact_only, neither (the report's class order).
    pub classes: [u64; 4],
    pub values_led: u64,
    pub contact_led: u64,
    pub tied: u64,
}

/// Ratings of one stated value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ValueCounts {
    pub importance: MomentSums,
    pub perception: MomentSums,
    /// Perception ≥ 5.
    pub perceived: u64,
    /// Respondents who rated both importance and perception, and those of them sharing it.
    pub both: u64,
    pub shared: u64,
}

/// `Moments` in a form that survives JSON (and subtraction).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MomentSums {
    pub n: u64,
    pub sum: f64,
    pub sum_sq: f64,
}

impl MomentSums {
    fn add(&mut self, x: f64, sign: i64) {
        self.n = self.n.wrapping_add_signed(sign);
        self.sum += sign as f64 * x;
        self.sum_sq += sign as f64 * x * x;
    }

    fn merge(&mut self, o: &MomentSums) {
        self.n += o.n;
        self.sum += o.sum;
        self.sum_sq += o.sum_sq;
    }

    pub fn moments(&self) -> Moments {
        Moments {
            n: self.n,
            sum: self.sum,
            sum_sq: self.sum_sq,
        }
    }
}

/// Outcomes of one group (all respondents, or one bond class).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OutcomeCounts {
    pub nps_n: u64,
    pub promoters: u64,
    pub detractors: u64,
    pub advocacy_yes: u64,
    pub advocacy_n: u64,
    pub voice: MomentSums,
    pub story_yes: u64,
    pub story_n: u64,
}

/// Sums for Cronbach's α over complete cases of a fixed item set.
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
    fn add(&mut self, ratings: &[Option<u8>], sign: i64) {
        let Some(values) = ratings
            .iter()
            .map(|r| r.map(f64::from))
            .collect::<Option<Vec<f64>>>()
        else {
            return;
        };
        if values.is_empty() {
            return;
        }
        if self.items == 0 && self.n == 0 {
            self.items = values.len();
            self.item_sum = vec![0.0; values.len()];
            self.item_sum_sq = vec![0.0; values.len()];
        }
        // Another version's item set cannot be mixed into one α.
        if values.len() != self.items {
            return;
        }
        let s = sign as f64;
        self.n = self.n.wrapping_add_signed(sign);
        for (i, v) in values.iter().enumerate() {
            self.item_sum[i] += s * v;
            self.item_sum_sq[i] += s * v * v;
        }
        let total: f64 = values.iter().sum();
        self.total_sum += s * total;
        self.total_sum_sq += s * total * total;
    }

    fn merge(&mut self, o: &AlphaSums) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 && self.items != o.items {
            *self = o.clone();
            return;
        }
        if self.items != o.items {
            // Keep the larger sample's item set (α is per item set).
            if o.n > self.n {
                *self = o.clone();
            }
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

/// Every count a report needs about a group of complete respondents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tally {
    /// The bond threshold t the counts were made at (set by the first respondent).
    #[serde(default)]
    pub threshold: f64,
    pub responses: u64,
    /// At `thresholds(t)`.
    pub headline: [HeadlineCounts; 3],
    /// yes, no (the rest of `responses` is missing).
    pub relationship: [u64; 2],
    /// Reason counts among "yes", in `report::REASONS` order; the rest of yes is missing.
    pub reasons: [u64; 5],
    pub values: BTreeMap<String, ValueCounts>,
    pub alignment: MomentSums,
    pub alignment_bins: [u64; 10],
    /// Contact fit (over, matched, under) per bond class at t (class order, then
    /// insufficient last).
    pub fit: [[u64; 3]; 5],
    /// Per actual contact level: scored, values-bonded, contact-bonded (at t).
    pub levels: [[u64; 3]; 7],
    /// Estimated yearly contacts per bond class at t (class order).
    pub annual: [MomentSums; 4],
    /// All respondents, then the bond classes at t.
    pub outcomes: [OutcomeCounts; 5],
    pub values_alpha: AlphaSums,
    pub contact_alpha: AlphaSums,
}

/// The rollup rows (day, group) a respondent completed at `completed_at` is counted in:
/// everyone (`""`) and each segment group they chose (`"question:option"`), so a report cut
/// to one group reads only its rollups. Sorted, so transactions lock rows in one order.
pub fn rollup_keys(completed_at: i64, s: &RespondentScores) -> Vec<(i64, String)> {
    let day = day_of(completed_at);
    let mut keys: Vec<(i64, String)> = std::iter::once(String::new())
        .chain(s.segments.iter().map(|(k, o)| format!("{k}:{o}")))
        .map(|cut| (day, cut))
        .collect();
    keys.sort();
    keys
}

/// Position of a bond class in the report's order (insufficient last).
pub fn class_index(class: BondClass) -> usize {
    match class {
        BondClass::ValuesOnly => 0,
        BondClass::Both => 1,
        BondClass::ContactOnly => 2,
        BondClass::Neither => 3,
        BondClass::Insufficient => 4,
    }
}

fn bump(counter: &mut u64, sign: i64) {
    *counter = counter.wrapping_add_signed(sign);
}

impl Tally {
    /// Counts one respondent in (`sign` = 1) or out (`sign` = −1).
    pub fn apply(&mut self, s: &RespondentScores, t: f64, sign: i64) {
        if self.responses == 0 {
            self.threshold = t;
        }
        bump(&mut self.responses, sign);
        for (h, threshold) in self.headline.iter_mut().zip(thresholds(t)) {
            let Some((v, c)) = s.values_bond.zip(s.contact_bond) else {
                continue;
            };
            bump(&mut h.scored, sign);
            if v >= threshold {
                bump(&mut h.values_bonded, sign);
            }
            if c >= threshold {
                bump(&mut h.contact_bonded, sign);
            }
            let class = BondClass::classify(Some(v), Some(c), threshold);
            bump(&mut h.classes[class_index(class)], sign);
            if v >= threshold || c >= threshold {
                match v.partial_cmp(&c) {
                    Some(std::cmp::Ordering::Greater) => bump(&mut h.values_led, sign),
                    Some(std::cmp::Ordering::Less) => bump(&mut h.contact_led, sign),
                    _ => bump(&mut h.tied, sign),
                }
            }
        }
        match s.relationship.as_deref() {
            Some("yes") => {
                bump(&mut self.relationship[0], sign);
                if let Some(i) = s
                    .relationship_reason
                    .as_deref()
                    .and_then(|r| super::report::REASONS.iter().position(|x| *x == r))
                {
                    bump(&mut self.reasons[i], sign);
                }
            }
            Some("no") => bump(&mut self.relationship[1], sign),
            _ => {}
        }
        for (key, &i) in &s.importance {
            self.values
                .entry(key.clone())
                .or_default()
                .importance
                .add(f64::from(i), sign);
        }
        for (key, &p) in &s.perception {
            let v = self.values.entry(key.clone()).or_default();
            v.perception.add(f64::from(p), sign);
            if p >= 5 {
                bump(&mut v.perceived, sign);
            }
            if let Some(&i) = s.importance.get(key) {
                bump(&mut v.both, sign);
                if i >= 6 && p >= 5 {
                    bump(&mut v.shared, sign);
                }
            }
        }
        if let Some(a) = s.alignment {
            self.alignment.add(a, sign);
            bump(
                &mut self.alignment_bins[((a * 10.0).floor() as usize).min(9)],
                sign,
            );
        }
        let class = class_index(BondClass::classify(s.values_bond, s.contact_bond, t));
        if let Some(fit) = s.contact_fit {
            let f = match fit {
                ContactFit::Over => 0,
                ContactFit::Matched => 1,
                ContactFit::Under => 2,
            };
            bump(&mut self.fit[class][f], sign);
        }
        if let (Some(level), Some((v, c))) = (s.contact_actual, s.values_bond.zip(s.contact_bond)) {
            let row = &mut self.levels[usize::from(level.min(6))];
            bump(&mut row[0], sign);
            if v >= t {
                bump(&mut row[1], sign);
            }
            if c >= t {
                bump(&mut row[2], sign);
            }
        }
        if let (Some(level), true) = (s.contact_actual, class < 4) {
            self.annual[class].add(f64::from(ANNUAL_CONTACTS[usize::from(level.min(6))]), sign);
        }
        for group in [0, class + 1] {
            if group == 5 {
                continue; // insufficient respondents have no class row
            }
            let o = &mut self.outcomes[group];
            if let Some(n) = s.nps_class {
                bump(&mut o.nps_n, sign);
                match n {
                    NpsClass::Promoter => bump(&mut o.promoters, sign),
                    NpsClass::Detractor => bump(&mut o.detractors, sign),
                    NpsClass::Passive => {}
                }
            }
            match s.advocacy.as_deref() {
                Some("yes") => {
                    (
                        bump(&mut o.advocacy_yes, sign),
                        bump(&mut o.advocacy_n, sign),
                    )
                        .1
                }
                Some("no") => bump(&mut o.advocacy_n, sign),
                _ => {}
            }
            if let Some(v) = s.voice {
                o.voice.add(v, sign);
            }
            match s.story_recall.as_deref() {
                Some("yes") => (bump(&mut o.story_yes, sign), bump(&mut o.story_n, sign)).1,
                Some("no") => bump(&mut o.story_n, sign),
                _ => {}
            }
        }
        self.values_alpha.add(&s.congruence_items, sign);
        self.contact_alpha.add(&s.contact_items, sign);
    }

    pub fn add(&mut self, s: &RespondentScores, t: f64) {
        self.apply(s, t, 1);
    }

    pub fn merge(&mut self, o: &Tally) {
        if self.responses == 0 {
            self.threshold = o.threshold;
        }
        self.responses += o.responses;
        for (a, b) in self.headline.iter_mut().zip(&o.headline) {
            a.scored += b.scored;
            a.values_bonded += b.values_bonded;
            a.contact_bonded += b.contact_bonded;
            for i in 0..4 {
                a.classes[i] += b.classes[i];
            }
            a.values_led += b.values_led;
            a.contact_led += b.contact_led;
            a.tied += b.tied;
        }
        for i in 0..2 {
            self.relationship[i] += o.relationship[i];
        }
        for i in 0..5 {
            self.reasons[i] += o.reasons[i];
        }
        for (key, v) in &o.values {
            let mine = self.values.entry(key.clone()).or_default();
            mine.importance.merge(&v.importance);
            mine.perception.merge(&v.perception);
            mine.perceived += v.perceived;
            mine.both += v.both;
            mine.shared += v.shared;
        }
        self.alignment.merge(&o.alignment);
        for i in 0..10 {
            self.alignment_bins[i] += o.alignment_bins[i];
        }
        for c in 0..5 {
            for f in 0..3 {
                self.fit[c][f] += o.fit[c][f];
            }
        }
        for l in 0..7 {
            for k in 0..3 {
                self.levels[l][k] += o.levels[l][k];
            }
        }
        for c in 0..4 {
            self.annual[c].merge(&o.annual[c]);
        }
        for (a, b) in self.outcomes.iter_mut().zip(&o.outcomes) {
            a.nps_n += b.nps_n;
            a.promoters += b.promoters;
            a.detractors += b.detractors;
            a.advocacy_yes += b.advocacy_yes;
            a.advocacy_n += b.advocacy_n;
            a.voice.merge(&b.voice);
            a.story_yes += b.story_yes;
            a.story_n += b.story_n;
        }
        self.values_alpha.merge(&o.values_alpha);
        self.contact_alpha.merge(&o.contact_alpha);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::population::Population;
    use crate::domain::scoring::score_respondent;
    use crate::domain::survey::tests::demo;

    fn scores(n: usize, seed: u64) -> Vec<RespondentScores> {
        let def = demo();
        let mut p = Population::new(seed);
        (0..n)
            .map(|_| score_respondent(&def, &p.respondent(&def)))
            .collect()
    }

    #[test]
    fn merging_equals_counting_together_and_removal_undoes_adding() {
        let all = scores(300, 9);
        let mut together = Tally::default();
        all.iter().for_each(|s| together.add(s, 5.0));
        let (mut a, mut b) = (Tally::default(), Tally::default());
        all[..120].iter().for_each(|s| a.add(s, 5.0));
        all[120..].iter().for_each(|s| b.add(s, 5.0));
        a.merge(&b);
        assert_eq!(a.responses, together.responses);
        assert_eq!(a.headline, together.headline);
        assert_eq!(a.fit, together.fit);
        assert_eq!(a.outcomes[1].promoters, together.outcomes[1].promoters);
        assert!(
            (a.values_alpha.alpha().unwrap() - together.values_alpha.alpha().unwrap()).abs() < 1e-9
        );

        let mut removed = together.clone();
        for s in &all[200..] {
            removed.apply(s, 5.0, -1);
        }
        let mut first = Tally::default();
        all[..200].iter().for_each(|s| first.add(s, 5.0));
        assert_eq!(removed.headline, first.headline);
        assert_eq!(removed.relationship, first.relationship);
        assert_eq!(removed.values_alpha.n, first.values_alpha.n);
        assert!((removed.alignment.sum - first.alignment.sum).abs() < 1e-6);
    }

    #[test]
    fn alpha_from_sums_matches_the_reference() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/stats_vectors.json")).unwrap();
        let mut sums = AlphaSums::default();
        for row in v["cronbach_alpha"]["items"].as_array().unwrap() {
            let r: Vec<Option<u8>> = row
                .as_array()
                .unwrap()
                .iter()
                .map(|x| Some(x.as_u64().unwrap() as u8))
                .collect();
            sums.add(&r, 1);
        }
        assert!(
            (sums.alpha().unwrap() - v["cronbach_alpha"]["alpha"].as_f64().unwrap()).abs() < 1e-4
        );
        // Incomplete cases are left out.
        sums.add(&[Some(1), None, Some(2)], 1);
        assert_eq!(sums.n, 8);
    }

    #[test]
    fn a_tally_survives_json() {
        let mut t = Tally::default();
        scores(20, 1).iter().for_each(|s| t.add(s, 5.0));
        let back: Tally = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }
}
