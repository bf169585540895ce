//! The counts a tally is made of: headline counts at one threshold, one value's ratings,
//! moment sums, and the outcomes of a group; each adds, removes and merges exactly.

use serde::{Deserialize, Serialize};

use super::{bump, TallyUnderflow};
use crate::domain::scoring::{NpsClass, RespondentScores};
use crate::domain::stats::{Count, Moments};

/// Headline counts at one threshold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HeadlineCounts {
    pub scored: Count,
    pub values_bonded: Count,
    pub contact_bonded: Count,
    /// values_only, both, contact_only, neither (the report's class order).
    pub classes: [Count; 4],
    pub values_led: Count,
    pub contact_led: Count,
    pub tied: Count,
}

/// Ratings of one stated value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ValueCounts {
    pub importance: MomentSums,
    pub perception: MomentSums,
    /// Perception ≥ 5.
    pub perceived: Count,
    /// Respondents who rated both importance and perception, and those of them sharing it.
    pub both: Count,
    pub shared: Count,
}

impl ValueCounts {
    pub(super) fn is_empty(&self) -> bool {
        self.importance.n.n == 0 && self.perception.n.n == 0
    }

    pub(super) fn times(&self, w: f64) -> ValueCounts {
        ValueCounts {
            importance: self.importance.times(w),
            perception: self.perception.times(w),
            perceived: self.perceived.times(w),
            both: self.both.times(w),
            shared: self.shared.times(w),
        }
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
    pub n: Count,
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

    /// Adds `times` respondents (their weight) whose value is `x`.
    pub(super) fn add_times(&mut self, x: f64, times: Count) {
        self.n += times;
        self.sum += times.total * x;
        self.sum_sq += times.total * x * x;
    }

    /// The same respondents, each with `w` times their weight (Σw·y scales with w).
    pub(super) fn times(&self, w: f64) -> MomentSums {
        MomentSums {
            n: self.n.times(w),
            sum: self.sum * w,
            sum_sq: self.sum_sq * w,
        }
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
    pub nps_n: Count,
    pub promoters: Count,
    pub detractors: Count,
    pub advocacy_yes: Count,
    pub advocacy_n: Count,
    pub voice: MomentSums,
    pub story_yes: Count,
    pub story_n: Count,
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

    pub(super) fn times(&self, w: f64) -> OutcomeCounts {
        OutcomeCounts {
            nps_n: self.nps_n.times(w),
            promoters: self.promoters.times(w),
            detractors: self.detractors.times(w),
            advocacy_yes: self.advocacy_yes.times(w),
            advocacy_n: self.advocacy_n.times(w),
            voice: self.voice.times(w),
            story_yes: self.story_yes.times(w),
            story_n: self.story_n.times(w),
        }
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
