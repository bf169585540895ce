//! The (V, C) half-point cells respondents with both scores are counted in, keyed so a
//! report can classify them at any threshold, and their compact stored form.

use serde::{Deserialize, Serialize};

use super::counts::{MomentSums, OutcomeCounts};
use super::{bump, fit_index, TallyUnderflow};
use crate::domain::scoring::{half_points, RespondentScores};
use crate::domain::stats::Count;

/// The respondents of one (V, C) half-point cell: everything a figure by bond class needs.
/// Stored as a compact array (`CellWire`): a rollup row holds up to ~170 cells, and every
/// completion and report reads it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "CellWire", into = "CellWire")]
pub struct BondCell {
    pub n: Count,
    /// V > C, C > V, V = C (exact scores, not grades).
    pub order: [Count; 3],
    /// Contact fit: over, matched, under.
    pub fit: [Count; 3],
    /// Actual contact level 0..6.
    pub levels: [Count; 7],
    pub outcomes: OutcomeCounts,
}

/// A `BondCell` as stored: [n, order, fit, levels, [nps n, promoters, detractors,
/// advocacy yes, advocacy n, story yes, story n], [voice n, voice sum, voice sum of squares]].
type CellWire = (
    Count,
    [Count; 3],
    [Count; 3],
    [Count; 7],
    [Count; 7],
    (Count, f64, f64),
);

impl From<BondCell> for CellWire {
    fn from(c: BondCell) -> CellWire {
        let o = c.outcomes;
        (
            c.n,
            c.order,
            c.fit,
            c.levels,
            [
                o.nps_n,
                o.promoters,
                o.detractors,
                o.advocacy_yes,
                o.advocacy_n,
                o.story_yes,
                o.story_n,
            ],
            (o.voice.n, o.voice.sum, o.voice.sum_sq),
        )
    }
}

impl From<CellWire> for BondCell {
    fn from((n, order, fit, levels, counts, voice): CellWire) -> BondCell {
        let [nps_n, promoters, detractors, advocacy_yes, advocacy_n, story_yes, story_n] = counts;
        BondCell {
            n,
            order,
            fit,
            levels,
            outcomes: OutcomeCounts {
                nps_n,
                promoters,
                detractors,
                advocacy_yes,
                advocacy_n,
                voice: MomentSums {
                    n: voice.0,
                    sum: voice.1,
                    sum_sq: voice.2,
                },
                story_yes,
                story_n,
            },
        }
    }
}

/// Key of a bond cell: 100 × half points of V + half points of C ("1008" is V in [5, 5.5),
/// C in [4, 4.5)); a number so that the JSON stays small and readable.
pub type CellKey = u16;

pub fn cell_key(v: f64, c: f64) -> CellKey {
    100 * CellKey::from(half_points(v)) + CellKey::from(half_points(c))
}

pub(super) fn cell_grades(key: CellKey) -> (u8, u8) {
    ((key / 100) as u8, (key % 100) as u8)
}

impl BondCell {
    /// Counts in (`sign` = 1) or out (−1) a respondent whose scores are V = `v`, C = `c`.
    pub(super) fn apply(
        &mut self,
        s: &RespondentScores,
        v: f64,
        c: f64,
        sign: i64,
    ) -> Result<(), TallyUnderflow> {
        bump(&mut self.n, sign)?;
        let order = match v.partial_cmp(&c) {
            Some(std::cmp::Ordering::Greater) => 0,
            Some(std::cmp::Ordering::Less) => 1,
            _ => 2,
        };
        bump(&mut self.order[order], sign)?;
        if let Some(fit) = s.contact_fit {
            bump(&mut self.fit[fit_index(fit)], sign)?;
        }
        if let Some(level) = s.contact_actual {
            bump(&mut self.levels[usize::from(level.min(6))], sign)?;
        }
        self.outcomes.apply(s, sign)
    }

    pub(super) fn times(&self, w: f64) -> BondCell {
        BondCell {
            n: self.n.times(w),
            order: self.order.map(|c| c.times(w)),
            fit: self.fit.map(|c| c.times(w)),
            levels: self.levels.map(|c| c.times(w)),
            outcomes: self.outcomes.times(w),
        }
    }

    pub(super) fn merge(&mut self, o: &BondCell) {
        self.n += o.n;
        for i in 0..3 {
            self.order[i] += o.order[i];
            self.fit[i] += o.fit[i];
        }
        for l in 0..7 {
            self.levels[l] += o.levels[l];
        }
        self.outcomes.merge(&o.outcomes);
    }
}
