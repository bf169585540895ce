//! The counts a tally is made of: headline counts at one threshold, one value's ratings,
//! moment sums, and the outcomes of a group; each adds, removes and merges exactly.

use serde::{Deserialize, Serialize};

use super::{bump, TallyUnderflow};
use crate::domain::scoring::{NpsClass, RespondentScores};
use crate::domain::stats::Moments;

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

impl ValueCounts {
    pub(super) fn is_empty(&self) -> bool {
        self.importance.n == 0 && self.perception.n == 0
    }

    pub(super) fn merge(&mut self, o: &ValueCounts) {
        self.importance.merge(&o.importance);
        self.perception.merge(&o.perception);
        self.perceived += o.perceived;
        self.both += o.both;
        self.shared += o.shared;
    }
}

/// `Moments` in a form that survives JSON (and subtraction).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MomentSums {
    pub n: u64,
    pub sum: f64,
    pub sum_sq: f64,
}

impl MomentSums {
    pub(super) fn add(&mut self, x: f64, sign: i64) -> Result<(), TallyUnderflow> {
        bump(&mut self.n, sign)?;
        self.sum += sign as f64 * x;
        self.sum_sq += sign as f64 * x * x;
        Ok(())
    }

    pub(super) fn add_times(&mut self, x: f64, times: u64) {
        self.n += times;
        self.sum += times as f64 * x;
        self.sum_sq += times as f64 * x * x;
    }

    pub(super) fn merge(&mut self, o: &MomentSums) {
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

impl OutcomeCounts {
    pub(super) fn apply(&mut self, s: &RespondentScores, sign: i64) -> Result<(), TallyUnderflow> {
        if let Some(n) = s.nps_class {
            bump(&mut self.nps_n, sign)?;
            match n {
                NpsClass::Promoter => bump(&mut self.promoters, sign)?,
                NpsClass::Detractor => bump(&mut self.detractors, sign)?,
                NpsClass::Passive => {}
            }
        }
        match s.advocacy.as_deref() {
            Some("yes") => {
                bump(&mut self.advocacy_yes, sign)?;
                bump(&mut self.advocacy_n, sign)?;
            }
            Some("no") => bump(&mut self.advocacy_n, sign)?,
            _ => {}
        }
        if let Some(v) = s.voice {
            self.voice.add(v, sign)?;
        }
        match s.story_recall.as_deref() {
            Some("yes") => {
                bump(&mut self.story_yes, sign)?;
                bump(&mut self.story_n, sign)?;
            }
            Some("no") => bump(&mut self.story_n, sign)?,
            _ => {}
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, o: &OutcomeCounts) {
        self.nps_n += o.nps_n;
        self.promoters += o.promoters;
        self.detractors += o.detractors;
        self.advocacy_yes += o.advocacy_yes;
        self.advocacy_n += o.advocacy_n;
        self.voice.merge(&o.voice);
        self.story_yes += o.story_yes;
        self.story_n += o.story_n;
    }
}
