//! Mergeable counts behind every report figure. A `Tally` holds, for a group of complete
//! respondents, exactly the sums the report needs (counts and moments), so reports can be
//! computed from rollups kept per survey version and day, instead of rescanning a million
//! score rows: adding a respondent, removing one (a deleted response) and merging two
//! tallies are all cheap and exact.
//!
//! Nothing in a tally depends on the bond threshold t: respondents with both scores are
//! counted per pair of half-point grades of V and C (`scoring::half_points`), with whatever
//! a bond class is cross-tabulated with (contact fit, contact level, outcomes). A report
//! classifies those cells at its own t (`Tally::at`), so rollups of versions with
//! different thresholds merge into figures at one t, identical to a direct count.
//!
//! Here: `Tally` (adding, removing, merging, classifying at t) and the rollup keys; its
//! parts are in `counts`, `cells` (the bond cells) and `alpha` (Cronbach's α sums).

mod alpha;
mod cells;
mod counts;
mod profiles;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::flow::BlockOrder;
use super::quality::QualityFlags;
use super::scoring::{
    threshold_half_points, BondClass, ContactFit, RespondentScores, ANNUAL_CONTACTS,
};
use super::stats::Count;

pub use alpha::AlphaSums;
pub use cells::{cell_key, BondCell, CellKey};
pub use counts::{HeadlineCounts, MomentSums, OutcomeCounts, ValueCounts};
pub use profiles::{
    parse_profile_cut, profile_cut, profile_keys, profile_text, BucketKind, BucketRange, Profile,
    ReportCover, PROFILE_MARK,
};

use cells::cell_grades;

/// A count would go below zero: a respondent was removed from a tally they are not in.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a report tally would go below zero (removing a respondent it does not hold)")]
pub struct TallyUnderflow;

fn bump(counter: &mut Count, sign: i64) -> Result<(), TallyUnderflow> {
    *counter = counter.bumped(sign).ok_or(TallyUnderflow)?;
    Ok(())
}

/// Every count a report needs about a group of complete respondents. Stored tallies
/// (rollups) count respondents; a report may weigh them (`Tally::weighed`), its counts then
/// carry the weights (`Count`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tally {
    pub responses: Count,
    /// Respondents with both V and C, per half-point cell of (V, C).
    pub bonds: BTreeMap<CellKey, BondCell>,
    /// Respondents with both scores per (V, C) cell, for each block order (values first,
    /// contact first): the headline by order, at any threshold.
    pub bonds_by_order: [BTreeMap<CellKey, Count>; 2],
    /// Contact fit (over, matched, under) of respondents without both scores (their class
    /// is "insufficient" at every threshold).
    pub insufficient_fit: [Count; 3],
    /// yes, no (the rest of `responses` is missing).
    pub relationship: [Count; 2],
    /// Reason counts among "yes", in `report::REASONS` order; the rest of yes is missing.
    pub reasons: [Count; 5],
    pub values: BTreeMap<String, ValueCounts>,
    /// For each pair of stated values "a|b" (a < b) rated on perception by the same
    /// respondents: [both rated, only a perceived, only b perceived]. The paired tests of
    /// net perception (a value against the placebo) and of perceived ranks use them.
    pub perceived_pairs: BTreeMap<String, [Count; 3]>,
    pub alignment: MomentSums,
    pub alignment_bins: [Count; 10],
    /// Outcomes of all respondents (by class: in `bonds`).
    pub outcomes: OutcomeCounts,
    /// Cronbach's α sums of one version's items; meaningful in a rollup (one version), not
    /// in a tally merged across versions (reports use `report::ReliabilitySums`).
    pub values_alpha: AlphaSums,
    pub contact_alpha: AlphaSums,
}

/// A tally's bond figures at one threshold: the counts per bond class.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AtThreshold {
    pub headline: HeadlineCounts,
    /// Contact fit (over, matched, under) per class (class order, then insufficient last).
    pub fit: [[Count; 3]; 5],
    /// Per actual contact level: scored, values-bonded, contact-bonded.
    pub levels: [[Count; 3]; 7],
    /// Estimated yearly contacts per bond class (class order).
    pub annual: [MomentSums; 4],
    /// All respondents, then the bond classes (class order).
    pub outcomes: [OutcomeCounts; 5],
}

/// The rollup rows (day, cut) a respondent completed at `completed_at` is counted in: on
/// the local day in the survey's zone, everyone (`""`) and each segment group they chose
/// (`"question:option"`), so a report cut to one group reads only its rollups; and their
/// profile's rows of that day, week and month (`profiles`), which weighted reports read.
/// Every writer (completion, bulk load, deletion, rebuild) takes its keys from here.
/// Sorted, so transactions lock rows in one order.
pub fn rollup_keys(
    completed_at: i64,
    zone: &super::zone::SurveyZone,
    s: &RespondentScores,
) -> Vec<(i64, String)> {
    let day = zone.day_of(completed_at);
    let flagged = flagged_prefix(s.quality);
    let mut keys: Vec<(i64, String)> = std::iter::once(String::new())
        .chain(s.segments.iter().map(|(k, o)| format!("{k}:{o}")))
        .map(|cut| (day, format!("{flagged}{cut}")))
        .chain(profile_keys(day, s))
        .collect();
    keys.sort();
    keys
}

/// Rollup rows of flagged responses (`quality`) carry the flags before the cut: "!5" for
/// everyone, "!5tenure:under_1y" for a group. A report reads the clean rows ("" and
/// "question:option") as before, and the flagged ones (all sorting between "!" and "\"")
/// to count them and, when asked, to include them. Flagged responses are few, so are these
/// rows.
fn flagged_prefix(quality: QualityFlags) -> String {
    if quality.is_clean() {
        String::new()
    } else {
        format!("!{}", quality.bits())
    }
}

/// A rollup row's cut split into its flags and the cut proper (`flagged_prefix`).
pub fn split_rollup_cut(cut: &str) -> (QualityFlags, &str) {
    match cut.strip_prefix('!').and_then(|rest| {
        let digit = rest.chars().next()?.to_digit(10)?;
        Some((QualityFlags::from_bits(i64::from(digit)), &rest[1..]))
    }) {
        Some(split) => split,
        None => (QualityFlags::CLEAN, cut),
    }
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

fn order_index(order: BlockOrder) -> usize {
    match order {
        BlockOrder::ValuesFirst => 0,
        BlockOrder::ContactFirst => 1,
    }
}

fn fit_index(fit: ContactFit) -> usize {
    match fit {
        ContactFit::Over => 0,
        ContactFit::Matched => 1,
        ContactFit::Under => 2,
    }
}

impl Tally {
    /// Counts one respondent in (`sign` = 1) or out (`sign` = −1). Removing someone the
    /// tally does not hold is an error, never a wrapped count; the tally is then unchanged
    /// only in the counts before the failing one, so callers drop it (roll back).
    pub fn apply(&mut self, s: &RespondentScores, sign: i64) -> Result<(), TallyUnderflow> {
        bump(&mut self.responses, sign)?;
        match s.values_bond.zip(s.contact_bond) {
            Some((v, c)) => self.apply_bonds(s, v, c, sign)?,
            None => {
                if let Some(fit) = s.contact_fit {
                    bump(&mut self.insufficient_fit[fit_index(fit)], sign)?;
                }
            }
        }
        self.apply_relationship(s, sign)?;
        self.apply_ratings(s, sign)?;
        self.apply_perceived_pairs(s, sign)?;
        if let Some(a) = s.alignment {
            self.alignment.add(a, sign)?;
            bump(&mut self.alignment_bins[alignment_bin(a)], sign)?;
        }
        self.outcomes.apply(s, sign)?;
        self.values_alpha.add(&s.congruence_items, sign)?;
        self.contact_alpha.add(&s.contact_items, sign)?;
        Ok(())
    }

    fn apply_bonds(
        &mut self,
        s: &RespondentScores,
        v: f64,
        c: f64,
        sign: i64,
    ) -> Result<(), TallyUnderflow> {
        let key = cell_key(v, c);
        let cell = self.bonds.entry(key).or_default();
        cell.apply(s, v, c, sign)?;
        if cell.n.n == 0 {
            self.bonds.remove(&key);
        }
        if let Some(order) = s.block_order {
            let by_order = &mut self.bonds_by_order[order_index(order)];
            let n = by_order.entry(key).or_default();
            bump(n, sign)?;
            if n.n == 0 {
                by_order.remove(&key);
            }
        }
        Ok(())
    }

    fn apply_relationship(
        &mut self,
        s: &RespondentScores,
        sign: i64,
    ) -> Result<(), TallyUnderflow> {
        match s.relationship.as_deref() {
            Some("yes") => {
                bump(&mut self.relationship[0], sign)?;
                if let Some(i) = s
                    .relationship_reason
                    .as_deref()
                    .and_then(|r| super::report::REASONS.iter().position(|x| *x == r))
                {
                    bump(&mut self.reasons[i], sign)?;
                }
            }
            Some("no") => bump(&mut self.relationship[1], sign)?,
            _ => {}
        }
        Ok(())
    }

    fn apply_ratings(&mut self, s: &RespondentScores, sign: i64) -> Result<(), TallyUnderflow> {
        for (key, &i) in &s.importance {
            self.values
                .entry(key.clone())
                .or_default()
                .importance
                .add(f64::from(i), sign)?;
        }
        for (key, &p) in &s.perception {
            let v = self.values.entry(key.clone()).or_default();
            v.perception.add(f64::from(p), sign)?;
            if p >= 5 {
                bump(&mut v.perceived, sign)?;
            }
            if let Some(&i) = s.importance.get(key) {
                bump(&mut v.both, sign)?;
                if i >= 6 && p >= 5 {
                    bump(&mut v.shared, sign)?;
                }
            }
        }
        self.values.retain(|_, v| !v.is_empty());
        Ok(())
    }

    fn apply_perceived_pairs(
        &mut self,
        s: &RespondentScores,
        sign: i64,
    ) -> Result<(), TallyUnderflow> {
        let rated: Vec<(&String, bool)> = s.perception.iter().map(|(k, &p)| (k, p >= 5)).collect();
        for (i, &(a, pa)) in rated.iter().enumerate() {
            for &(b, pb) in &rated[i + 1..] {
                // BTreeMap order: a < b, so each pair has one key.
                let pair = self.perceived_pairs.entry(pair_key(a, b)).or_default();
                bump(&mut pair[0], sign)?;
                if pa && !pb {
                    bump(&mut pair[1], sign)?;
                }
                if pb && !pa {
                    bump(&mut pair[2], sign)?;
                }
            }
        }
        self.perceived_pairs.retain(|_, p| p[0].n > 0);
        Ok(())
    }

    /// Counts one respondent in.
    pub fn add(&mut self, s: &RespondentScores) {
        // Only a decrement can fail (an increment past u64::MAX is not a count of people).
        let _ = self.apply(s, 1);
    }

    pub fn merge(&mut self, o: &Tally) {
        self.responses += o.responses;
        for (key, b) in &o.bonds {
            self.bonds.entry(*key).or_default().merge(b);
        }
        for (mine, theirs) in self.bonds_by_order.iter_mut().zip(&o.bonds_by_order) {
            for (key, n) in theirs {
                *mine.entry(*key).or_default() += *n;
            }
        }
        for f in 0..3 {
            self.insufficient_fit[f] += o.insufficient_fit[f];
        }
        for i in 0..2 {
            self.relationship[i] += o.relationship[i];
        }
        for i in 0..5 {
            self.reasons[i] += o.reasons[i];
        }
        for (key, v) in &o.values {
            self.values.entry(key.clone()).or_default().merge(v);
        }
        for (key, p) in &o.perceived_pairs {
            let mine = self.perceived_pairs.entry(key.clone()).or_default();
            for i in 0..3 {
                mine[i] += p[i];
            }
        }
        self.alignment.merge(&o.alignment);
        for i in 0..10 {
            self.alignment_bins[i] += o.alignment_bins[i];
        }
        self.outcomes.merge(&o.outcomes);
        self.values_alpha.merge(&o.values_alpha);
        self.contact_alpha.merge(&o.contact_alpha);
    }

    /// The same respondents, each counted with weight `weight` (a report's weighting cell,
    /// `weighting::rake`): every count carries Σw and Σw², every sum Σw·y. Cronbach's α
    /// sums stay as they are: reliability is of the instrument, over the respondents.
    pub fn weighed(&self, weight: f64) -> Tally {
        Tally {
            responses: self.responses.times(weight),
            bonds: self
                .bonds
                .iter()
                .map(|(k, c)| (*k, c.times(weight)))
                .collect(),
            bonds_by_order: self
                .bonds_by_order
                .clone()
                .map(|m| m.into_iter().map(|(k, c)| (k, c.times(weight))).collect()),
            insufficient_fit: self.insufficient_fit.map(|c| c.times(weight)),
            relationship: self.relationship.map(|c| c.times(weight)),
            reasons: self.reasons.map(|c| c.times(weight)),
            values: self
                .values
                .iter()
                .map(|(k, v)| (k.clone(), v.times(weight)))
                .collect(),
            perceived_pairs: self
                .perceived_pairs
                .iter()
                .map(|(k, p)| (k.clone(), p.map(|c| c.times(weight))))
                .collect(),
            alignment: self.alignment.times(weight),
            alignment_bins: self.alignment_bins.map(|c| c.times(weight)),
            outcomes: self.outcomes.times(weight),
            values_alpha: self.values_alpha.clone(),
            contact_alpha: self.contact_alpha.clone(),
        }
    }

    /// Respondents who rated the perception of both `a` and `b`, and the discordant ones:
    /// (only a perceived, only b perceived, both rated).
    pub fn perceived_pair(&self, a: &str, b: &str) -> (Count, Count, Count) {
        let (first, swapped) = if a < b { (a, false) } else { (b, true) };
        let second = if swapped { a } else { b };
        let [n, only_first, only_second] = self
            .perceived_pairs
            .get(&pair_key(first, second))
            .copied()
            .unwrap_or_default();
        if swapped {
            (only_second, only_first, n)
        } else {
            (only_first, only_second, n)
        }
    }

    /// (scored, values-bonded, contact-bonded) at threshold `t` among the respondents shown
    /// the bond blocks in `order`.
    pub fn bonded_in_order(&self, order: BlockOrder, t: f64) -> (Count, Count, Count) {
        let grade = threshold_half_points(t);
        let mut counts = (Count::default(), Count::default(), Count::default());
        for (&key, &n) in &self.bonds_by_order[order_index(order)] {
            let (gv, gc) = cell_grades(key);
            counts.0 += n;
            if gv >= grade {
                counts.1 += n;
            }
            if gc >= grade {
                counts.2 += n;
            }
        }
        counts
    }

    /// Respondents with both scores.
    pub fn scored(&self) -> Count {
        self.bonds.values().map(|c| c.n).sum()
    }

    /// The bond figures at threshold `t`, from the cells.
    pub fn at(&self, t: f64) -> AtThreshold {
        let grade = threshold_half_points(t);
        let mut at = AtThreshold {
            outcomes: [
                self.outcomes.clone(),
                OutcomeCounts::default(),
                OutcomeCounts::default(),
                OutcomeCounts::default(),
                OutcomeCounts::default(),
            ],
            ..AtThreshold::default()
        };
        at.fit[4] = self.insufficient_fit;
        let h = &mut at.headline;
        for (&key, cell) in &self.bonds {
            let (gv, gc) = cell_grades(key);
            let (v, c) = (gv >= grade, gc >= grade);
            let class = class_index(match (v, c) {
                (true, false) => BondClass::ValuesOnly,
                (false, true) => BondClass::ContactOnly,
                (true, true) => BondClass::Both,
                (false, false) => BondClass::Neither,
            });
            h.scored += cell.n;
            h.classes[class] += cell.n;
            if v {
                h.values_bonded += cell.n;
            }
            if c {
                h.contact_bonded += cell.n;
            }
            if v || c {
                h.values_led += cell.order[0];
                h.contact_led += cell.order[1];
                h.tied += cell.order[2];
            }
            for f in 0..3 {
                at.fit[class][f] += cell.fit[f];
            }
            for (l, &n) in cell.levels.iter().enumerate() {
                let row = &mut at.levels[l];
                row[0] += n;
                if v {
                    row[1] += n;
                }
                if c {
                    row[2] += n;
                }
                at.annual[class].add_times(f64::from(ANNUAL_CONTACTS[l]), n);
            }
            at.outcomes[class + 1].merge(&cell.outcomes);
        }
        at
    }
}

fn pair_key(a: &str, b: &str) -> String {
    format!("{a}|{b}")
}

/// The alignment bin of A: ⌊10·A⌋ with exact tenths in their own bin (A = 0.1 → 1, where
/// 10 × 0.1 in floating point could fall just below 1) and A = 1 in the last bin.
pub fn alignment_bin(a: f64) -> usize {
    let scaled = 10.0 * a;
    let nearest = scaled.round();
    let bin = if (scaled - nearest).abs() < 1e-9 {
        nearest
    } else {
        scaled.floor()
    };
    (bin.max(0.0) as usize).min(9)
}
#[cfg(test)]
mod tests {
    #[test]
    fn flagged_responses_roll_up_under_rows_of_their_own() {
        use crate::domain::quality::Flag;
        let zone = crate::domain::zone::SurveyZone::default();
        let mut s = crate::domain::scoring::score_respondent(
            &crate::domain::survey::tests::demo(),
            &Default::default(),
        );
        s.segments.insert("tenure".into(), "under_1y".into());
        let keys = |s: &RespondentScores| -> Vec<(i64, String)> { rollup_keys(0, &zone, s) };
        let owned = |keys: &[(i64, &str)]| -> Vec<(i64, String)> {
            keys.iter().map(|&(d, c)| (d, c.to_string())).collect()
        };
        // 1970-01-01 (day 0, 07:00 in Hà Nội) was a Thursday: its week starts on day −3.
        // Sorted by day, then cut ('=' sorts before the keys' letters).
        let clean = keys(&s);
        assert_eq!(
            clean,
            owned(&[
                (-3, "=wtenure:under_1y"),
                (0, ""),
                (0, "=dtenure:under_1y"),
                (0, "=mtenure:under_1y"),
                (0, "tenure:under_1y"),
            ])
        );
        s.quality = QualityFlags::CLEAN.with(Flag::Bot).with(Flag::Speeder);
        let flagged = keys(&s);
        assert_eq!(
            flagged,
            owned(&[
                (-3, "!5=wtenure:under_1y"),
                (0, "!5"),
                (0, "!5=dtenure:under_1y"),
                (0, "!5=mtenure:under_1y"),
                (0, "!5tenure:under_1y"),
            ])
        );
        for (key, (_, cut)) in clean.iter().zip(&flagged) {
            assert_eq!(split_rollup_cut(cut), (s.quality, key.1.as_str()));
            assert_eq!(
                split_rollup_cut(&key.1),
                (QualityFlags::CLEAN, key.1.as_str())
            );
            assert!(cut.as_str() >= "!" && cut.as_str() < "\"");
        }
    }

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

    pub(super) fn vectors() -> serde_json::Value {
        serde_json::from_str(include_str!("../../../tests/data/stats_vectors.json")).unwrap()
    }

    #[test]
    fn merging_equals_counting_together_and_removal_undoes_adding() {
        let all = scores(300, 9);
        let mut together = Tally::default();
        all.iter().for_each(|s| together.add(s));
        let (mut a, mut b) = (Tally::default(), Tally::default());
        all[..120].iter().for_each(|s| a.add(s));
        all[120..].iter().for_each(|s| b.add(s));
        a.merge(&b);
        assert_eq!(a.responses, together.responses);
        assert_eq!(a.bonds, together.bonds);
        assert_eq!(a.at(5.0), together.at(5.0));
        assert!(
            (a.values_alpha.alpha().unwrap() - together.values_alpha.alpha().unwrap()).abs() < 1e-9
        );

        let mut removed = together.clone();
        for s in &all[200..] {
            removed.apply(s, -1).unwrap();
        }
        let mut first = Tally::default();
        all[..200].iter().for_each(|s| first.add(s));
        assert_eq!(removed.bonds, first.bonds);
        assert_eq!(removed.at(4.5), first.at(4.5));
        assert_eq!(removed.relationship, first.relationship);
        assert_eq!(removed.values_alpha.n, first.values_alpha.n);
        assert!((removed.alignment.sum - first.alignment.sum).abs() < 1e-6);
    }

    #[test]
    fn removing_a_respondent_the_tally_does_not_hold_is_an_error_not_a_wrap() {
        let all = scores(3, 4);
        let mut t = Tally::default();
        t.add(&all[0]);
        t.apply(&all[0], -1).unwrap();
        assert_eq!(t.apply(&all[1], -1), Err(TallyUnderflow));
    }

    #[test]
    fn the_cells_classify_at_any_threshold_as_a_direct_count_does() {
        let v = vectors();
        let case = &v["v2"]["one_threshold_per_report"];
        let mut tally = Tally::default();
        let mut pairs = Vec::new();
        for r in case["respondents"].as_array().unwrap() {
            // 5.333333 is 16/3: the exact means a survey produces.
            let exact = |x: f64| (x * 3.0).round() / 3.0;
            let (vb, cb) = (
                exact(r["V"].as_f64().unwrap()),
                exact(r["C"].as_f64().unwrap()),
            );
            let mut s = scores(1, 1).remove(0);
            s.values_bond = Some(vb);
            s.contact_bond = Some(cb);
            tally.add(&s);
            pairs.push((vb, cb));
        }
        for (t, expected) in case["at_report_t"].as_object().unwrap() {
            let t: f64 = t.parse().unwrap();
            let at = tally.at(t);
            let direct = |class: BondClass| {
                pairs
                    .iter()
                    .filter(|(v, c)| BondClass::classify(Some(*v), Some(*c), t) == class)
                    .count() as u64
            };
            for (name, class) in [
                ("values_only", BondClass::ValuesOnly),
                ("both", BondClass::Both),
                ("contact_only", BondClass::ContactOnly),
                ("neither", BondClass::Neither),
            ] {
                let want = expected[name].as_u64().unwrap();
                assert_eq!(
                    at.headline.classes[class_index(class)].n,
                    want,
                    "{name} at {t}"
                );
                assert_eq!(direct(class), want, "{name} at {t}, direct");
            }
        }
    }

    #[test]
    fn alignment_bins_put_exact_tenths_in_their_own_bin() {
        let v = vectors();
        for case in v["v2"]["alignment_bins"].as_array().unwrap() {
            let a = case["A"].as_f64().unwrap();
            assert_eq!(alignment_bin(a), case["bin"].as_u64().unwrap() as usize);
        }
        // 0.1 computed the way a mean of weighted products might land just below a tenth.
        assert_eq!(alignment_bin(0.3 - 0.2), 1);
        assert_eq!(alignment_bin(0.7 * 1.0), 7);
        assert_eq!(alignment_bin(0.15), 1);
        assert_eq!(alignment_bin(0.999), 9);
    }

    #[test]
    fn a_rollup_row_stays_small_however_many_respondents_it_counts() {
        let mut t = Tally::default();
        let all = scores(5000, 2);
        for (i, s) in all.iter().enumerate() {
            let mut s = s.clone();
            s.block_order = Some(BlockOrder::of_coin(i % 2 == 0));
            t.add(&s);
        }
        // Every completion and every report reads such rows: ≈ 18 KB with ≈ 160 cells.
        let size = serde_json::to_string(&t).unwrap().len();
        assert!(size < 24 * 1024, "{size} bytes, {} cells", t.bonds.len());
    }

    #[test]
    fn a_tally_survives_json() {
        let mut t = Tally::default();
        scores(20, 1).iter().for_each(|s| t.add(s));
        let back: Tally = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }
}
