//! Section 5, contact: contact fit by bond class, bond rates by level of actual contact
//! with their trend tests, and estimated yearly contacts per class.

use serde::Serialize;

use super::CLASSES;
use crate::domain::scoring::{BondClass, ContactFit};
use crate::domain::stats::{
    chi2_independence, cochran_armitage, shown, ChiSquare, Count, Mean, Proportion, ZTest,
};
use crate::domain::tally::{class_index, AtThreshold, Tally};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContactSection {
    /// Over-, matched and under-contacted among respondents who answered both questions.
    pub fit: Vec<FitShare>,
    pub fit_missing: u64,
    /// The same, per bond class (rows in `CLASSES` order).
    pub fit_by_class: Vec<ClassFit>,
    /// χ² of bond class × contact fit.
    pub fit_independence: Option<ChiSquare>,
    /// Bond rates at each level of actual contact (0 = never … 6 = daily).
    pub by_level: Vec<LevelBond>,
    /// Scored respondents without an answer to the actual-contact question.
    pub level_missing: u64,
    /// Cochran–Armitage trend of the values-bond rate over contact levels.
    pub values_trend: Option<ZTest>,
    /// Cochran–Armitage trend of the contact-bond rate over contact levels.
    pub contact_trend: Option<ZTest>,
    /// Estimated contacts per year (frequency midpoints), per bond class.
    pub annual_contacts: Vec<ClassMean>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FitShare {
    pub fit: ContactFit,
    pub share: Proportion,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassFit {
    pub class: BondClass,
    pub fit: Vec<FitShare>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LevelBond {
    pub level: u8,
    pub values_bonded: Proportion,
    pub contact_bonded: Proportion,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassMean {
    pub class: BondClass,
    pub mean: Mean,
    /// Respondents of the class without an answer to the actual-contact question.
    pub missing: u64,
}

const FITS: [ContactFit; 3] = [ContactFit::Over, ContactFit::Matched, ContactFit::Under];

fn fit_shares(counts: [Count; 3]) -> Vec<FitShare> {
    let n: Count = counts.iter().sum();
    FITS.iter()
        .zip(counts)
        .map(|(&fit, x)| FitShare {
            fit,
            share: Proportion::new(x, n),
        })
        .collect()
}

pub(super) fn contact_section(t: &Tally, at: &AtThreshold) -> ContactSection {
    let mut all = [Count::default(); 3];
    for class in &at.fit {
        for f in 0..3 {
            all[f] += class[f];
        }
    }
    let answered: Count = all.iter().sum();
    let fit_by_class: Vec<ClassFit> = CLASSES
        .iter()
        .map(|&class| ClassFit {
            class,
            fit: fit_shares(at.fit[class_index(class)]),
        })
        .collect();
    let table: Vec<Vec<Count>> = at.fit[..4].iter().map(|row| row.to_vec()).collect();
    let levels: Vec<LevelBond> = (0u8..7)
        .map(|level| {
            let [n, v, c] = at.levels[usize::from(level)];
            LevelBond {
                level,
                values_bonded: Proportion::new(v, n),
                contact_bonded: Proportion::new(c, n),
            }
        })
        .collect();
    let totals: Vec<Count> = at.levels.iter().map(|l| l[0]).collect();
    let scores: Vec<f64> = (0..7).map(f64::from).collect();
    let trend = |k: usize| {
        let x: Vec<Count> = at.levels.iter().map(|l| l[k]).collect();
        every_base_shown(&totals)
            .then(|| cochran_armitage(&x, &totals, &scores))
            .flatten()
    };
    ContactSection {
        fit: fit_shares(all),
        fit_missing: t.responses.n.saturating_sub(answered.n),
        fit_independence: every_base_shown(
            &table.iter().map(|r| r.iter().sum()).collect::<Vec<Count>>(),
        )
        .then(|| chi2_independence(&table))
        .flatten(),
        fit_by_class,
        values_trend: trend(1),
        contact_trend: trend(2),
        level_missing: at
            .headline
            .scored
            .n
            .saturating_sub(totals.iter().sum::<Count>().n),
        by_level: levels,
        annual_contacts: CLASSES
            .iter()
            .map(|&class| {
                let i = class_index(class);
                ClassMean {
                    class,
                    mean: at.annual[i].moments().mean(),
                    missing: at.headline.classes[i].n.saturating_sub(at.annual[i].n.n),
                }
            })
            .collect(),
    }
}

/// Whether every non-empty base a test rests on is at least 30 (and there is one).
fn every_base_shown(bases: &[Count]) -> bool {
    bases.iter().any(|c| c.n > 0) && bases.iter().all(|c| c.n == 0 || shown(c.n))
}
#[cfg(test)]
mod tests {
    use crate::domain::report::fixtures::{at, options, row};
    use crate::domain::report::{build, Funnel, ScoredResponse};
    use crate::domain::scoring::{BondClass, ContactFit};
    use crate::domain::survey::tests::demo;

    #[test]
    fn contact_levels_feed_the_trend_test() {
        // Values bonding independent of contact; contact bonding rising with it. 40 per
        // level: every base a test rests on is at least 30.
        let mut rows = Vec::new();
        for level in 0u8..7 {
            for i in 0..40 {
                let v = if i % 2 == 0 { 6.0 } else { 3.0 };
                let c = if i < 6 * level as i32 { 6.0 } else { 3.0 };
                let mut s = row(Some(v), Some(c));
                s.contact_actual = Some(level);
                s.contact_preferred = Some(3);
                s.contact_fit = Some(ContactFit::of(level, 3));
                rows.push(at(0, s));
            }
        }
        let contact = build(&demo(), &rows, Funnel::default(), &options()).contact;
        assert!(contact.values_trend.unwrap().z.abs() < 1e-9);
        assert!(contact.contact_trend.unwrap().z > 5.0);
        let fit = |f: ContactFit| contact.fit.iter().find(|s| s.fit == f).unwrap().share.x;
        assert_eq!(
            (
                fit(ContactFit::Over),
                fit(ContactFit::Matched),
                fit(ContactFit::Under)
            ),
            (120, 40, 120)
        );
        assert!(contact.fit_independence.is_some());
        // With 20 per level the tests rest on bases under 30: not shown.
        let few: Vec<ScoredResponse> = rows.iter().step_by(2).cloned().collect();
        let thin = build(&demo(), &few, Funnel::default(), &options()).contact;
        assert!(thin.values_trend.is_none() && thin.contact_trend.is_none());
        // Neither-bonded respondents are the low-contact ones: fewer yearly contacts.
        let yearly = |c: BondClass| {
            contact
                .annual_contacts
                .iter()
                .find(|m| m.class == c)
                .unwrap()
                .mean
                .mean
                .unwrap()
        };
        assert!(yearly(BondClass::Both) > yearly(BondClass::Neither));
    }
}
