//! Section 6, outcomes by bond class: NPS, advocacy, voice and story recall, for all
//! respondents and for each class.

use serde::Serialize;

use super::CLASSES;
use crate::domain::scoring::BondClass;
use crate::domain::stats::{nps, Count, Mean, Nps, Proportion};
use crate::domain::tally::{class_index, AtThreshold, OutcomeCounts};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcomes {
    /// None for all respondents together.
    pub class: Option<BondClass>,
    pub nps: Nps,
    /// Recommended the brand in the last 12 months (yes among yes + no).
    pub advocacy: Proportion,
    pub voice: Mean,
    /// Can name what the brand stands for (yes among yes + no).
    pub story_recall: Proportion,
    /// Respondents in the group, and those of them without an answer for each figure.
    pub respondents: u64,
    pub missing: OutcomeMissing,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct OutcomeMissing {
    pub nps: u64,
    pub advocacy: u64,
    pub voice: u64,
    pub story_recall: u64,
}

fn outcomes(o: &OutcomeCounts, class: Option<BondClass>, respondents: Count) -> Outcomes {
    let respondents = respondents.n;
    Outcomes {
        respondents,
        missing: OutcomeMissing {
            nps: respondents.saturating_sub(o.nps_n.n),
            advocacy: respondents.saturating_sub(o.advocacy_n.n),
            voice: respondents.saturating_sub(o.voice.n.n),
            story_recall: respondents.saturating_sub(o.story_n.n),
        },
        class,
        nps: nps(o.promoters, o.detractors, o.nps_n),
        advocacy: Proportion::new(o.advocacy_yes, o.advocacy_n),
        voice: o.voice.moments().mean(),
        story_recall: Proportion::new(o.story_yes, o.story_n),
    }
}

pub(super) fn outcomes_by_class(at: &AtThreshold, responses: Count) -> Vec<Outcomes> {
    std::iter::once(outcomes(&at.outcomes[0], None, responses))
        .chain(CLASSES.iter().map(|&c| {
            let i = class_index(c);
            outcomes(&at.outcomes[i + 1], Some(c), at.headline.classes[i])
        }))
        .collect()
}
