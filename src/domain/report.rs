//! The alignment report (`measurement.md`, "Report figures"), computed from the stored
//! per-respondent scores of complete responses. Pure: the database hands in rows, this
//! module returns every figure with its base and interval; pages and exports render it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::flow::BlockOrder;
use super::scoring::{BondClass, ContactFit, RespondentScores};
use super::stats::{
    chi2_independence, cochran_armitage, fisher_exact, holm, mcnemar, nps, score_test, shown,
    two_proportions, Base, ChiSquare, Interval, McNemar, Mean, Nps, Proportion, ZTest,
};
use super::tally::{
    class_index, AlphaSums, AtThreshold, HeadlineCounts, OutcomeCounts, Tally, ValueCounts,
};
use super::{BrandProfile, Construct, SurveyDefinition};

/// The CEB / HBR 2012 figures the replication is compared with.
pub const CEB_RELATIONSHIP: f64 = 0.23;
pub const CEB_SHARED_VALUES: f64 = 0.64;
pub const CEB_FREQUENT_CONTACT: f64 = 0.13;
/// The headline is repeated at t − 0.5 and t + 0.5 (sensitivity), besides the report's t.
pub const SENSITIVITY_THRESHOLDS: [f64; 2] = [-0.5, 0.5];
/// Cronbach's α below this is flagged.
pub const ALPHA_WARNING: f64 = 0.70;
/// The relationship reasons a survey offers (`measurement.md`).
pub const REASONS: [&str; 5] = [
    "shared_values",
    "frequent_contact",
    "rewards",
    "habit_convenience",
    "other",
];
/// The four bond classes, in report order.
pub const CLASSES: [BondClass; 4] = [
    BondClass::ValuesOnly,
    BondClass::Both,
    BondClass::ContactOnly,
    BondClass::Neither,
];

/// One complete response as the report sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoredResponse {
    pub respondent_id: i64,
    pub version_id: i64,
    pub locale: String,
    /// Completion time, Unix milliseconds.
    pub completed_at: i64,
    pub scores: RespondentScores,
}

/// Respondents who started but did not finish, by the page they stopped on (0-based).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Funnel {
    pub started: u64,
    pub completed: u64,
    pub stopped_on_page: Vec<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Week,
    Month,
}

/// What the report is computed over, besides the rows themselves.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportOptions {
    /// Bond threshold t (the survey's setting).
    pub threshold: f64,
    /// The segment question to compare groups of (section 7), if any.
    pub segment: Option<String>,
    pub period: Period,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub threshold: f64,
    pub responses: u64,
    pub funnel: Funnel,
    pub headline: Headline,
    pub sensitivity: Vec<Sensitivity>,
    /// The headline by block order; None when no respondent was shown a drawn order.
    pub order_effect: Option<OrderEffect>,
    pub ceb: Ceb,
    pub values: ValuesSection,
    pub alignment: AlignmentSection,
    pub contact: ContactSection,
    pub outcomes: Vec<Outcomes>,
    pub segments: Option<SegmentSection>,
    pub trends: Vec<TrendPoint>,
    pub reliability: Reliability,
}

// ---------------------------------------------------------------------------
// 1. Headline

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Headline {
    /// Respondents with both V and C scored: the base of every share below.
    pub scored: u64,
    /// Complete respondents whose V or C could not be scored.
    pub insufficient: u64,
    pub values_bonded: Proportion,
    pub contact_bonded: Proportion,
    pub classes: Vec<ClassShare>,
    /// Among respondents with any bond: V > C, C > V, V = C.
    pub values_led: Proportion,
    pub contact_led: Proportion,
    pub tied: Proportion,
    /// Values-bonded minus contact-bonded, paired (McNemar).
    pub paired: Option<McNemar>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassShare {
    pub class: BondClass,
    pub share: Proportion,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sensitivity {
    pub threshold: f64,
    pub values_bonded: Proportion,
    pub contact_bonded: Proportion,
}

fn headline(h: &HeadlineCounts, responses: u64) -> Headline {
    let n = h.scored;
    let bonded = h.values_led + h.contact_led + h.tied;
    Headline {
        scored: n,
        insufficient: responses.saturating_sub(n),
        values_bonded: Proportion::new(h.values_bonded, n),
        contact_bonded: Proportion::new(h.contact_bonded, n),
        classes: CLASSES
            .iter()
            .enumerate()
            .map(|(i, &class)| ClassShare {
                class,
                share: Proportion::new(h.classes[i], n),
            })
            .collect(),
        values_led: Proportion::new(h.values_led, bonded),
        contact_led: Proportion::new(h.contact_led, bonded),
        tied: Proportion::new(h.tied, bonded),
        // Suppression is total: no test on a base under 30.
        paired: shown(n)
            .then(|| mcnemar(h.classes[0], h.classes[2], n))
            .flatten(),
    }
}

// ---------------------------------------------------------------------------
// 2. CEB replication

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ceb {
    /// relationship = yes among yes + no ("don't know" and skipped are missing).
    pub relationship: Proportion,
    pub relationship_missing: u64,
    pub relationship_vs_benchmark: Option<ZTest>,
    /// Each reason's share among respondents with a relationship who gave a reason.
    pub reasons: Vec<ReasonShare>,
    pub reasons_missing: u64,
    pub shared_values_vs_benchmark: Option<ZTest>,
    pub frequent_contact_vs_benchmark: Option<ZTest>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReasonShare {
    pub reason: &'static str,
    pub share: Proportion,
}

fn ceb(t: &Tally) -> Ceb {
    let [yes, no] = t.relationship;
    let n = yes + no;
    let with_reason: u64 = t.reasons.iter().sum();
    let reason_count = |r: &str| {
        REASONS
            .iter()
            .position(|x| *x == r)
            .map_or(0, |i| t.reasons[i])
    };
    Ceb {
        relationship: Proportion::new(yes, n),
        relationship_missing: t.responses.saturating_sub(n),
        relationship_vs_benchmark: shown(n)
            .then(|| score_test(yes, n, CEB_RELATIONSHIP))
            .flatten(),
        reasons_missing: yes.saturating_sub(with_reason),
        shared_values_vs_benchmark: shown(with_reason)
            .then(|| {
                score_test(
                    reason_count("shared_values"),
                    with_reason,
                    CEB_SHARED_VALUES,
                )
            })
            .flatten(),
        frequent_contact_vs_benchmark: shown(with_reason)
            .then(|| {
                score_test(
                    reason_count("frequent_contact"),
                    with_reason,
                    CEB_FREQUENT_CONTACT,
                )
            })
            .flatten(),
        reasons: REASONS
            .iter()
            .map(|&reason| ReasonShare {
                reason,
                share: Proportion::new(reason_count(reason), with_reason),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------
// 3. Stated vs perceived values

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValuesSection {
    pub values: Vec<ValueFigures>,
    /// The placebo's perception rate: the share that "perceives" a value never claimed.
    pub guessing_baseline: Option<Proportion>,
    /// Some value the brand declares above another is perceived significantly below it
    /// (paired McNemar, Holm over the pairs shown): the brand says one thing, customers see
    /// another. Never set by a tie in weight or a difference the data do not support.
    pub say_do_gap: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueFigures {
    pub key: String,
    pub placebo: bool,
    /// Declared weight, normalised over non-placebo values (0 for the placebo).
    pub weight: f64,
    /// 1 = the brand's heaviest stated value; equal weights share a rank; None for the placebo.
    pub declared_rank: Option<u32>,
    /// 1 = among the values customers perceive most: 1 + the number of values perceived
    /// significantly more often (paired, Holm-adjusted), so values whose rates do not
    /// differ share a rank. None for the placebo and when the perception base is under 30.
    pub perceived_rank: Option<u32>,
    pub importance: Mean,
    pub perception: Mean,
    /// Perception ≥ 5 among respondents who rated perception.
    pub perceived: Proportion,
    /// Perceived rate minus the placebo's among respondents who rated both (a paired
    /// difference with McNemar's test and interval); None without a placebo or when fewer
    /// than 30 rated both.
    pub net_perception: Option<McNemar>,
    /// Importance ≥ 6 and perception ≥ 5 among respondents who rated both.
    pub shared: Proportion,
    /// Respondents counted in the report without an answer for each figure.
    pub missing: ValueMissing,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ValueMissing {
    pub importance: u64,
    pub perception: u64,
    /// Without both ratings (the shared-value base).
    pub shared: u64,
}

/// Significance level of the paired comparisons behind perceived ranks.
const RANK_ALPHA: f64 = 0.05;

fn values_section(brand: &BrandProfile, t: &Tally) -> ValuesSection {
    let weights: BTreeMap<&str, f64> = brand.normalized_weights().into_iter().collect();
    let empty = ValueCounts::default();
    let mut values: Vec<ValueFigures> = brand
        .values
        .iter()
        .map(|v| {
            let c = t.values.get(&v.key).unwrap_or(&empty);
            ValueFigures {
                key: v.key.clone(),
                placebo: v.placebo,
                weight: weights.get(v.key.as_str()).copied().unwrap_or(0.0),
                declared_rank: None,
                perceived_rank: None,
                importance: c.importance.moments().mean(),
                perception: c.perception.moments().mean(),
                perceived: Proportion::new(c.perceived, c.perception.n),
                net_perception: None,
                shared: Proportion::new(c.shared, c.both),
                missing: ValueMissing {
                    importance: t.responses.saturating_sub(c.importance.n),
                    perception: t.responses.saturating_sub(c.perception.n),
                    shared: t.responses.saturating_sub(c.both),
                },
            }
        })
        .collect();

    // The placebo is the first one customers rated (a brand normally has one).
    let placebo = values.iter().position(|v| v.placebo && v.perceived.n > 0);
    let guessing_baseline = placebo.map(|i| values[i].perceived);
    let real: Vec<usize> = (0..values.len()).filter(|&i| !values[i].placebo).collect();
    // Competition ranks ("1, 1, 3"): values with equal weight share a rank, so a tie is
    // never read as an order the brand did not declare.
    let declared: BTreeMap<usize, u32> = real
        .iter()
        .map(|&i| {
            let heavier = real
                .iter()
                .filter(|&&j| values[j].weight > values[i].weight + 1e-12)
                .count();
            (i, heavier as u32 + 1)
        })
        .collect();

    // Perceived ranks: every pair of shown values is compared (paired McNemar on their
    // perceived rates, among respondents who rated both), Holm-adjusted over those pairs.
    let shown: Vec<usize> = real
        .iter()
        .copied()
        .filter(|&i| values[i].perceived.base != Base::Suppressed)
        .collect();
    let mut pairs: Vec<(usize, usize, McNemar)> = Vec::new();
    for (k, &i) in shown.iter().enumerate() {
        for &j in &shown[k + 1..] {
            let (only_i, only_j, n) = t.perceived_pair(&values[i].key, &values[j].key);
            if Base::of(n) == Base::Suppressed {
                continue;
            }
            if let Some(test) = mcnemar(only_i, only_j, n) {
                pairs.push((i, j, test));
            }
        }
    }
    let adjusted = holm(&pairs.iter().map(|(_, _, m)| m.p).collect::<Vec<_>>());
    // (higher, lower): `higher` is perceived significantly more often than `lower`.
    let above: Vec<(usize, usize)> = pairs
        .iter()
        .zip(adjusted)
        .filter(|(_, p)| *p < RANK_ALPHA)
        .map(|((i, j, m), _)| if m.diff > 0.0 { (*i, *j) } else { (*j, *i) })
        .collect();
    let say_do_gap = above
        .iter()
        .any(|&(higher, lower)| values[lower].weight > values[higher].weight + 1e-12);
    for &i in &real {
        let net = placebo.and_then(|p| {
            let (b, c, n) = t.perceived_pair(&values[i].key, &values[p].key);
            (Base::of(n) != Base::Suppressed)
                .then(|| mcnemar(b, c, n))
                .flatten()
        });
        let v = &mut values[i];
        v.declared_rank = declared.get(&i).copied();
        v.perceived_rank = shown
            .contains(&i)
            .then(|| 1 + above.iter().filter(|&&(_, lower)| lower == i).count() as u32);
        v.net_perception = net;
    }
    ValuesSection {
        values,
        guessing_baseline,
        say_do_gap,
    }
}

// ---------------------------------------------------------------------------
// 4. Alignment index

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlignmentSection {
    pub mean: Mean,
    /// Respondents per tenth of [0, 1] (exact tenths in their own bin; the last includes
    /// 1); None when fewer than 30 have an index.
    pub bins: Option<[u64; 10]>,
    pub missing: u64,
}

fn alignment_section(t: &Tally) -> AlignmentSection {
    AlignmentSection {
        mean: t.alignment.moments().mean(),
        bins: shown(t.alignment.n).then_some(t.alignment_bins),
        missing: t.responses.saturating_sub(t.alignment.n),
    }
}

// ---------------------------------------------------------------------------
// 5. Contact

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

fn fit_shares(counts: [u64; 3]) -> Vec<FitShare> {
    let n = counts.iter().sum();
    FITS.iter()
        .zip(counts)
        .map(|(&fit, x)| FitShare {
            fit,
            share: Proportion::new(x, n),
        })
        .collect()
}

fn contact_section(t: &Tally, at: &AtThreshold) -> ContactSection {
    let mut all = [0u64; 3];
    for class in &at.fit {
        for f in 0..3 {
            all[f] += class[f];
        }
    }
    let answered: u64 = all.iter().sum();
    let fit_by_class: Vec<ClassFit> = CLASSES
        .iter()
        .map(|&class| ClassFit {
            class,
            fit: fit_shares(at.fit[class_index(class)]),
        })
        .collect();
    let table: Vec<Vec<u64>> = at.fit[..4].iter().map(|row| row.to_vec()).collect();
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
    let totals: Vec<u64> = at.levels.iter().map(|l| l[0]).collect();
    let scores: Vec<f64> = (0..7).map(f64::from).collect();
    let trend = |k: usize| {
        let x: Vec<u64> = at.levels.iter().map(|l| l[k]).collect();
        every_base_shown(&totals)
            .then(|| cochran_armitage(&x, &totals, &scores))
            .flatten()
    };
    ContactSection {
        fit: fit_shares(all),
        fit_missing: t.responses.saturating_sub(answered),
        fit_independence: every_base_shown(
            &table.iter().map(|r| r.iter().sum()).collect::<Vec<u64>>(),
        )
        .then(|| chi2_independence(&table))
        .flatten(),
        fit_by_class,
        values_trend: trend(1),
        contact_trend: trend(2),
        level_missing: at.headline.scored.saturating_sub(totals.iter().sum()),
        by_level: levels,
        annual_contacts: CLASSES
            .iter()
            .map(|&class| {
                let i = class_index(class);
                ClassMean {
                    class,
                    mean: at.annual[i].moments().mean(),
                    missing: at.headline.classes[i].saturating_sub(at.annual[i].n),
                }
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------
// 6. Outcomes by bond class

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

fn outcomes(o: &OutcomeCounts, class: Option<BondClass>, respondents: u64) -> Outcomes {
    Outcomes {
        respondents,
        missing: OutcomeMissing {
            nps: respondents.saturating_sub(o.nps_n),
            advocacy: respondents.saturating_sub(o.advocacy_n),
            voice: respondents.saturating_sub(o.voice.n),
            story_recall: respondents.saturating_sub(o.story_n),
        },
        class,
        nps: nps(o.promoters, o.detractors, o.nps_n),
        advocacy: Proportion::new(o.advocacy_yes, o.advocacy_n),
        voice: o.voice.moments().mean(),
        story_recall: Proportion::new(o.story_yes, o.story_n),
    }
}

fn outcomes_by_class(at: &AtThreshold, responses: u64) -> Vec<Outcomes> {
    std::iter::once(outcomes(&at.outcomes[0], None, responses))
        .chain(CLASSES.iter().map(|&c| {
            let i = class_index(c);
            outcomes(&at.outcomes[i + 1], Some(c), at.headline.classes[i])
        }))
        .collect()
}

// ---------------------------------------------------------------------------
// 7. Segments

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SegmentSection {
    pub key: String,
    pub groups: Vec<SegmentGroup>,
    /// Respondents who did not answer the segment question.
    pub missing: u64,
    /// Each group against everyone else who answered, Holm-adjusted over this family of
    /// distinct tests (with two groups, one test per measure).
    pub comparisons: Vec<SegmentComparison>,
    /// Measures no one in any group has: shown as "no events", not tested, not counted.
    pub no_events: Vec<Measure>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SegmentGroup {
    pub option: String,
    pub respondents: u64,
    pub headline: Headline,
    pub relationship: Proportion,
    pub nps: Nps,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    ValuesBonded,
    ContactBonded,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SegmentComparison {
    pub option: String,
    pub measure: Measure,
    /// The group's share minus the rest's, with Newcombe's interval.
    pub diff: f64,
    pub ci: Interval,
    /// Pooled z test, or Fisher's exact test when an expected count is below 5.
    pub p: f64,
    pub fisher: bool,
    pub p_holm: f64,
}

fn segment_section(
    def: &SurveyDefinition,
    key: &str,
    tallies: &BTreeMap<String, Tally>,
    all: &Tally,
    threshold: f64,
) -> Option<SegmentSection> {
    let question = def
        .questions_with(Construct::Segment)
        .find(|q| q.key == key)?;
    let empty = Tally::default();
    let groups: Vec<SegmentGroup> = question
        .options
        .iter()
        .map(|option| {
            let t = tallies.get(&option.key).unwrap_or(&empty);
            SegmentGroup {
                option: option.key.clone(),
                respondents: t.responses,
                headline: headline(&t.at(threshold).headline, t.responses),
                relationship: ceb(t).relationship,
                nps: nps(
                    t.outcomes.promoters,
                    t.outcomes.detractors,
                    t.outcomes.nps_n,
                ),
            }
        })
        .collect();
    let answered: u64 = groups.iter().map(|g| g.respondents).sum();

    let mut comparisons = Vec::new();
    let mut no_events = Vec::new();
    for measure_kind in [Measure::ValuesBonded, Measure::ContactBonded] {
        let bases: Vec<(&SegmentGroup, Proportion)> = groups
            .iter()
            .map(|g| (g, measure(&g.headline, measure_kind)))
            .filter(|(_, p)| p.n > 0)
            .collect();
        let (all_x, all_n) = bases
            .iter()
            .fold((0, 0), |(x, n), (_, p)| (x + p.x, n + p.n));
        if all_x == 0 {
            // No one has this bond in any group: there is nothing to test.
            if bases.len() >= 2 {
                no_events.push(measure_kind);
            }
            continue;
        }
        // With exactly two groups, "B vs the rest" is "A vs the rest" mirrored: one test.
        let compared = if bases.len() == 2 { 1 } else { bases.len() };
        for (g, p) in bases.iter().take(compared) {
            if let Some(c) = compare_with_rest(&g.option, measure_kind, *p, all_x, all_n) {
                comparisons.push(c);
            }
        }
    }
    let adjusted = holm(&comparisons.iter().map(|c| c.p).collect::<Vec<_>>());
    for (c, p) in comparisons.iter_mut().zip(adjusted) {
        c.p_holm = p;
    }
    Some(SegmentSection {
        key: key.to_string(),
        missing: all.responses.saturating_sub(answered),
        groups,
        comparisons,
        no_events,
    })
}

/// One group's share against the rest of those who answered the segment question, if
/// both bases are large enough to be shown.
fn compare_with_rest(
    option: &str,
    measure: Measure,
    p: Proportion,
    all_x: u64,
    all_n: u64,
) -> Option<SegmentComparison> {
    let d = compare_groups(p.x, p.n, all_x - p.x, all_n - p.n)?;
    Some(SegmentComparison {
        option: option.to_string(),
        measure,
        diff: d.diff,
        ci: d.ci,
        p: d.p,
        fisher: d.fisher,
        p_holm: d.p,
    })
}

/// The difference of two independent shares x1/n1 − x2/n2.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GroupDifference {
    pub diff: f64,
    /// Newcombe's hybrid score interval.
    pub ci: Interval,
    /// Pooled z test, or Fisher's exact test when an expected count is below 5.
    pub p: f64,
    pub fisher: bool,
}

/// Compares two independent groups, if both bases are large enough to be shown (small
/// groups are suppressed, so they are not compared either).
fn compare_groups(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<GroupDifference> {
    if !shown(n1) || !shown(n2) {
        return None;
    }
    let diff = two_proportions(x1, n1, x2, n2)?;
    let table = [[x1, n1 - x1], [x2, n2 - x2]];
    let (p, fisher) = match diff.test {
        Some(test) if min_expected_2x2(&table) >= 5.0 => (test.p, false),
        _ => (
            fisher_exact(table[0][0], table[0][1], table[1][0], table[1][1]),
            true,
        ),
    };
    Some(GroupDifference {
        diff: diff.diff,
        ci: diff.ci,
        p,
        fisher,
    })
}

// ---------------------------------------------------------------------------
// Counterbalanced order

/// The headline by the order the bond blocks were shown in. An order effect (p < 0.05 for
/// either bond) means the instrument, not only the customers, moves the headline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrderEffect {
    pub values_first: OrderHeadline,
    pub contact_first: OrderHeadline,
    /// Values first minus contact first, per bond; None when a base is under 30.
    pub values_bonded: Option<GroupDifference>,
    pub contact_bonded: Option<GroupDifference>,
    pub flagged: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrderHeadline {
    pub order: BlockOrder,
    pub values_bonded: Proportion,
    pub contact_bonded: Proportion,
}

/// Significance level at which an order effect is flagged.
const ORDER_EFFECT_ALPHA: f64 = 0.05;

fn order_effect(t: &Tally, threshold: f64) -> Option<OrderEffect> {
    let [first, second] = BlockOrder::BOTH.map(|order| {
        let (n, v, c) = t.bonded_in_order(order, threshold);
        OrderHeadline {
            order,
            values_bonded: Proportion::new(v, n),
            contact_bonded: Proportion::new(c, n),
        }
    });
    if first.values_bonded.n + second.values_bonded.n == 0 {
        return None;
    }
    let differ = |a: &Proportion, b: &Proportion| compare_groups(a.x, a.n, b.x, b.n);
    let values_bonded = differ(&first.values_bonded, &second.values_bonded);
    let contact_bonded = differ(&first.contact_bonded, &second.contact_bonded);
    let flagged = [values_bonded, contact_bonded]
        .iter()
        .flatten()
        .any(|d| d.p < ORDER_EFFECT_ALPHA);
    Some(OrderEffect {
        values_first: first,
        contact_first: second,
        values_bonded,
        contact_bonded,
        flagged,
    })
}

fn measure(h: &Headline, m: Measure) -> Proportion {
    match m {
        Measure::ValuesBonded => h.values_bonded,
        Measure::ContactBonded => h.contact_bonded,
    }
}

/// Whether every non-empty base a test rests on is at least 30 (and there is one).
fn every_base_shown(bases: &[u64]) -> bool {
    bases.iter().any(|&n| n > 0) && bases.iter().all(|&n| n == 0 || shown(n))
}

fn min_expected_2x2(t: &[[u64; 2]; 2]) -> f64 {
    let n = (t[0][0] + t[0][1] + t[1][0] + t[1][1]) as f64;
    let rows = [t[0][0] + t[0][1], t[1][0] + t[1][1]];
    let cols = [t[0][0] + t[1][0], t[0][1] + t[1][1]];
    rows.iter()
        .flat_map(|r| cols.iter().map(move |c| (*r * *c) as f64 / n))
        .fold(f64::INFINITY, f64::min)
}

// ---------------------------------------------------------------------------
// 8. Trends

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendPoint {
    /// First day of the week (Monday) or month, "YYYY-MM-DD", in the survey's time zone.
    pub starts: String,
    pub values_bonded: Proportion,
    pub contact_bonded: Proportion,
    /// Complete responses of the period, and those without both bond scores.
    pub responses: u64,
    pub missing: u64,
}

/// The first day of the week (Monday) or month that `day` falls in.
pub fn period_start(day: i64, period: Period) -> i64 {
    match period {
        // 1970-01-01 was a Thursday: Monday-based weeks start 3 days earlier.
        Period::Week => day - (day + 3).rem_euclid(7),
        Period::Month => {
            let (y, m, _) = civil_from_days(day);
            days_from_civil(y, m, 1)
        }
    }
}

fn trends(days: &BTreeMap<i64, Tally>, period: Period, threshold: f64) -> Vec<TrendPoint> {
    let mut buckets: BTreeMap<i64, Tally> = BTreeMap::new();
    for (&day, tally) in days {
        buckets
            .entry(period_start(day, period))
            .or_default()
            .merge(tally);
    }
    buckets
        .into_iter()
        .map(|(start, t)| {
            let h = headline(&t.at(threshold).headline, t.responses);
            let (y, m, d) = civil_from_days(start);
            TrendPoint {
                starts: format!("{y:04}-{m:02}-{d:02}"),
                values_bonded: h.values_bonded,
                contact_bonded: h.contact_bonded,
                responses: t.responses,
                missing: h.insufficient,
            }
        })
        .collect()
}

/// Milliseconds in a (UTC) day: timestamps are Unix milliseconds, days count from 1970-01-01.
pub const DAY_MS: i64 = 86_400_000;

/// The UTC day number of a Unix-millisecond timestamp.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Day count since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

// ---------------------------------------------------------------------------
// 9. Reliability

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reliability {
    pub values_bond: ScaleReliability,
    pub contact_bond: ScaleReliability,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScaleReliability {
    pub items: usize,
    /// Respondents who answered every item (α uses complete cases).
    pub complete_cases: u64,
    /// Complete cases of versions with other bond items, left out of α.
    pub other_item_set: u64,
    pub alpha: Option<f64>,
    /// α below 0.70.
    pub weak: bool,
}

fn scale_reliability(sums: &AlphaSums, other_item_set: u64) -> ScaleReliability {
    let alpha = shown(sums.n).then(|| sums.alpha()).flatten();
    ScaleReliability {
        items: sums.items,
        complete_cases: sums.n,
        other_item_set,
        alpha,
        weak: alpha.is_some_and(|a| a < ALPHA_WARNING),
    }
}

// ---------------------------------------------------------------------------

/// The tallies a report is computed from: all selected respondents, per completion day,
/// and per option of the compared segment question (if any), plus the reliability sums of
/// the respondents whose version has the report's item set.
#[derive(Clone, Debug, Default)]
pub struct ReportTallies {
    pub all: Tally,
    pub by_day: BTreeMap<i64, Tally>,
    pub by_segment: BTreeMap<String, Tally>,
    pub reliability: ReliabilitySums,
}

/// Cronbach's α sums of one item set, and how many complete cases of other item sets were
/// left out (`measurement.md`, "α per item set").
#[derive(Clone, Debug, Default)]
pub struct ReliabilitySums {
    pub values: AlphaSums,
    pub contact: AlphaSums,
    pub values_other_item_set: u64,
    pub contact_other_item_set: u64,
}

impl ReliabilitySums {
    /// Adds one version's sums: into α if its item set is the report's, else counted aside.
    /// Sums of one item set add up in any order, so the result does not depend on the
    /// order rollups are read in.
    pub fn add(&mut self, tally: &Tally, same_item_set: bool) {
        if same_item_set {
            self.values.merge(&tally.values_alpha);
            self.contact.merge(&tally.contact_alpha);
        } else {
            self.values_other_item_set += tally.values_alpha.n;
            self.contact_other_item_set += tally.contact_alpha.n;
        }
    }
}

/// The bond items of a version, by key and reverse flag, in survey order: α is computed
/// per such set.
pub fn bond_item_set(def: &SurveyDefinition) -> Vec<(Construct, String, bool)> {
    [Construct::ValueCongruence, Construct::ContactBond]
        .into_iter()
        .flat_map(|c| {
            def.questions_with(c)
                .map(move |q| (c, q.key.clone(), q.reverse))
        })
        .collect()
}

impl ReportTallies {
    /// Tallies of score rows (the direct path, used when no rollup fits the filters).
    /// `same_item_set` says which versions have the report's bond items.
    pub fn of_rows(
        rows: &[ScoredResponse],
        segment: Option<&str>,
        zone: &super::zone::SurveyZone,
        same_item_set: impl Fn(i64) -> bool,
    ) -> ReportTallies {
        let mut count = DirectCount::new(segment, zone);
        for r in rows {
            count.add(r);
        }
        count.finish(same_item_set)
    }
}

/// The direct path fed row by row (a page at a time, so memory does not grow with the
/// survey): the same tallies as `ReportTallies::of_rows` of all the rows.
pub struct DirectCount<'a> {
    segment: Option<&'a str>,
    zone: &'a super::zone::SurveyZone,
    tallies: ReportTallies,
    by_version: BTreeMap<i64, Tally>,
}

impl<'a> DirectCount<'a> {
    pub fn new(segment: Option<&'a str>, zone: &'a super::zone::SurveyZone) -> DirectCount<'a> {
        DirectCount {
            segment,
            zone,
            tallies: ReportTallies::default(),
            by_version: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, r: &ScoredResponse) {
        let tallies = &mut self.tallies;
        tallies.all.add(&r.scores);
        let day = self.zone.day_of(r.completed_at);
        tallies.by_day.entry(day).or_default().add(&r.scores);
        self.by_version
            .entry(r.version_id)
            .or_default()
            .add(&r.scores);
        if let Some(option) = self.segment.and_then(|k| r.scores.segments.get(k)) {
            tallies
                .by_segment
                .entry(option.clone())
                .or_default()
                .add(&r.scores);
        }
    }

    pub fn finish(mut self, same_item_set: impl Fn(i64) -> bool) -> ReportTallies {
        for (version, tally) in &self.by_version {
            self.tallies.reliability.add(tally, same_item_set(*version));
        }
        self.tallies
    }
}

/// Computes the whole report from tallies at the report's threshold `options.threshold`
/// (the newest of the selected versions gives the brand profile, segment questions and t).
pub fn build_from(
    def: &SurveyDefinition,
    tallies: &ReportTallies,
    funnel: Funnel,
    options: &ReportOptions,
) -> Report {
    let all = &tallies.all;
    let t = options.threshold;
    let at = all.at(t);
    Report {
        threshold: t,
        responses: all.responses,
        funnel,
        headline: headline(&at.headline, all.responses),
        sensitivity: SENSITIVITY_THRESHOLDS
            .iter()
            .map(|&delta| {
                let threshold = t + delta;
                let h = headline(&all.at(threshold).headline, all.responses);
                Sensitivity {
                    threshold,
                    values_bonded: h.values_bonded,
                    contact_bonded: h.contact_bonded,
                }
            })
            .collect(),
        order_effect: order_effect(all, t),
        ceb: ceb(all),
        values: values_section(&def.brand, all),
        alignment: alignment_section(all),
        contact: contact_section(all, &at),
        outcomes: outcomes_by_class(&at, all.responses),
        segments: options
            .segment
            .as_deref()
            .and_then(|key| segment_section(def, key, &tallies.by_segment, all, t)),
        trends: trends(&tallies.by_day, options.period, t),
        reliability: Reliability {
            values_bond: scale_reliability(
                &tallies.reliability.values,
                tallies.reliability.values_other_item_set,
            ),
            contact_bond: scale_reliability(
                &tallies.reliability.contact,
                tallies.reliability.contact_other_item_set,
            ),
        },
    }
}

/// Computes the whole report from score rows.
pub fn build(
    def: &SurveyDefinition,
    rows: &[ScoredResponse],
    funnel: Funnel,
    options: &ReportOptions,
) -> Report {
    let tallies = ReportTallies::of_rows(rows, options.segment.as_deref(), &def.zone(), |_| true);
    build_from(def, &tallies, funnel, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::tests::demo;

    fn row(v: Option<f64>, c: Option<f64>) -> RespondentScores {
        RespondentScores {
            values_bond: v,
            contact_bond: c,
            bond_class: BondClass::classify(v, c, 5.0),
            alignment: None,
            shared_values: vec![],
            contact_actual: None,
            contact_preferred: None,
            contact_fit: None,
            nps: None,
            nps_class: None,
            relationship: None,
            relationship_reason: None,
            advocacy: None,
            voice: None,
            story_recall: None,
            segments: BTreeMap::new(),
            importance: BTreeMap::new(),
            perception: BTreeMap::new(),
            congruence_items: vec![],
            contact_items: vec![],
            block_order: None,
        }
    }

    fn at(day: i64, scores: RespondentScores) -> ScoredResponse {
        ScoredResponse {
            respondent_id: 0,
            version_id: 1,
            locale: "vi".into(),
            completed_at: day * 86_400_000 + 3_600_000,
            scores,
        }
    }

    fn options() -> ReportOptions {
        ReportOptions {
            threshold: 5.0,
            segment: None,
            period: Period::Month,
        }
    }

    /// The mcnemar vector's population: 300 both, 150 values only, 40 contact only, 510 neither.
    fn mcnemar_population() -> Vec<ScoredResponse> {
        let mut rows = Vec::new();
        for (n, v, c) in [
            (300, 6.0, 6.0),
            (150, 6.0, 3.0),
            (40, 3.0, 6.0),
            (510, 2.0, 2.0),
        ] {
            rows.extend((0..n).map(|i| at(i % 60, row(Some(v), Some(c)))));
        }
        rows.extend((0..7).map(|_| at(0, row(Some(6.0), None))));
        rows
    }

    #[test]
    fn the_headline_reproduces_the_paired_test_and_excludes_insufficient() {
        let report = build(
            &demo(),
            &mcnemar_population(),
            Funnel::default(),
            &options(),
        );
        let h = &report.headline;
        assert_eq!((h.scored, h.insufficient), (1000, 7));
        assert_eq!((h.values_bonded.x, h.contact_bonded.x), (450, 340));
        let paired = h.paired.unwrap();
        assert!((paired.diff - 0.11).abs() < 1e-12);
        assert!((paired.chi2.unwrap() - 63.684211).abs() < 1e-4);
        let class = |c: BondClass| h.classes.iter().find(|s| s.class == c).unwrap().share.x;
        assert_eq!(
            [
                BondClass::ValuesOnly,
                BondClass::Both,
                BondClass::ContactOnly,
                BondClass::Neither
            ]
            .map(class),
            [150, 300, 40, 510]
        );
        // Among the 490 bonded: V > C for values-only, C > V for contact-only, ties for both.
        assert_eq!(
            (h.values_led.x, h.contact_led.x, h.tied.x, h.tied.n),
            (150, 40, 300, 490)
        );
        // Sensitivity: at 5.5 the same (scores are 6 or ≤ 3); at 4.5 too.
        assert!(report.sensitivity.iter().all(|s| s.values_bonded.x == 450));
        assert_eq!(report.responses, 1007);
    }

    #[test]
    fn the_threshold_reclassifies_without_rescoring() {
        let rows = vec![at(0, row(Some(5.0), Some(4.75)))];
        let strict = build(
            &demo(),
            &rows,
            Funnel::default(),
            &ReportOptions {
                threshold: 5.5,
                ..options()
            },
        );
        assert_eq!(strict.headline.values_bonded.x, 0);
        let lenient = build(
            &demo(),
            &rows,
            Funnel::default(),
            &ReportOptions {
                threshold: 4.5,
                ..options()
            },
        );
        assert_eq!(
            (
                lenient.headline.values_bonded.x,
                lenient.headline.contact_bonded.x
            ),
            (1, 1)
        );
        assert_eq!(lenient.headline.values_led.x, 1);
    }

    #[test]
    fn the_ceb_replication_counts_dont_know_as_missing() {
        let mut rows = Vec::new();
        let mut push = |rel: Option<&str>, reason: Option<&str>, n: usize| {
            for _ in 0..n {
                let mut s = row(Some(4.0), Some(4.0));
                s.relationship = rel.map(str::to_string);
                s.relationship_reason = reason.map(str::to_string);
                rows.push(at(0, s));
            }
        };
        push(Some("yes"), Some("shared_values"), 16);
        push(Some("yes"), Some("frequent_contact"), 3);
        push(Some("yes"), Some("rewards"), 4);
        push(Some("yes"), None, 2);
        push(Some("no"), None, 75);
        push(Some("dk"), None, 9);
        push(None, None, 1);
        let ceb = build(&demo(), &rows, Funnel::default(), &options()).ceb;
        assert_eq!(
            (
                ceb.relationship.x,
                ceb.relationship.n,
                ceb.relationship_missing
            ),
            (25, 100, 10)
        );
        let share = |r: &str| ceb.reasons.iter().find(|s| s.reason == r).unwrap().share;
        assert_eq!(
            (share("shared_values").x, share("shared_values").n),
            (16, 23)
        );
        assert_eq!(ceb.reasons_missing, 2);
        let z = ceb.relationship_vs_benchmark.unwrap().z;
        assert!((z - (0.25 - 0.23) / (0.23f64 * 0.77 / 100.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn values_are_ranked_and_netted_against_the_placebo() {
        let def = demo();
        let real: Vec<&str> = def
            .brand
            .values
            .iter()
            .filter(|v| !v.placebo)
            .map(|v| v.key.as_str())
            .collect();
        let placebo = def
            .brand
            .values
            .iter()
            .find(|v| v.placebo)
            .unwrap()
            .key
            .clone();
        let rows: Vec<ScoredResponse> = (0..40)
            .map(|i| {
                let mut s = row(None, None);
                // The first real value is perceived by all, the last by nobody; the placebo by 1 in 4.
                s.perception.insert(real[0].to_string(), 7);
                s.importance.insert(real[0].to_string(), 6);
                s.perception.insert(real[real.len() - 1].to_string(), 2);
                s.perception
                    .insert(placebo.clone(), if i % 4 == 0 { 6 } else { 3 });
                at(0, s)
            })
            .collect();
        let values = build(&def, &rows, Funnel::default(), &options()).values;
        let get = |k: &str| values.values.iter().find(|v| v.key == k).unwrap();
        assert_eq!(values.guessing_baseline.unwrap().x, 10);
        // Net perception is paired: among the 40 who rated both, 30 perceive the first value
        // but not the placebo and none the reverse.
        let net = get(real[0]).net_perception.unwrap();
        assert!((net.diff - 0.75).abs() < 1e-9);
        assert!(net.ci.hi <= 1.0 && net.p < 1e-6);
        assert!((get(real[real.len() - 1]).net_perception.unwrap().diff + 0.25).abs() < 1e-9);
        assert_eq!(get(real[0]).perceived_rank, Some(1));
        assert_eq!(get(real[real.len() - 1]).perceived_rank, Some(2));
        // Values nobody rated have no perceived rank.
        assert_eq!(get(real[1]).perceived_rank, None);
        // The heaviest declared value is perceived most: no say–do gap.
        assert!(!values.say_do_gap);
        assert_eq!(get(real[0]).shared.x, 40);
        assert_eq!(get(&placebo).declared_rank, None);
        // Weights 0.35, 0.25, 0.2, 0.2: the two equal weights share rank 3.
        let mut declared: Vec<u32> = values
            .values
            .iter()
            .filter_map(|v| v.declared_rank)
            .collect();
        declared.sort();
        assert_eq!(declared, [1, 2, 3, 3]);
    }

    /// 400 respondents rating the perception of the demo's four real values; value k is
    /// perceived by `perceived[k]` of them, each value by a different (overlapping) run of
    /// respondents, so pairs disagree in both directions as real answers do.
    fn perceived_population(perceived: [usize; 4]) -> (SurveyDefinition, Vec<ScoredResponse>) {
        let def = demo();
        let real: Vec<String> = def
            .brand
            .values
            .iter()
            .filter(|v| !v.placebo)
            .map(|v| v.key.clone())
            .collect();
        let rows = (0..400)
            .map(|i| {
                let mut s = row(None, None);
                for (k, key) in real.iter().enumerate() {
                    s.perception.insert(
                        key.clone(),
                        if (i + 100 * k) % 400 < perceived[k] {
                            6
                        } else {
                            3
                        },
                    );
                }
                at(0, s)
            })
            .collect();
        (def, rows)
    }

    /// One rank of every non-placebo value, in brand order.
    fn real_ranks(
        values: &ValuesSection,
        rank: impl Fn(&ValueFigures) -> Option<u32>,
    ) -> Vec<Option<u32>> {
        values
            .values
            .iter()
            .filter(|v| !v.placebo)
            .map(rank)
            .collect()
    }

    #[test]
    fn perceived_rates_that_do_not_differ_share_a_rank_and_make_no_gap() {
        // 53%, 54%, 53%, 51%: the data do not support any order.
        let (def, rows) = perceived_population([212, 216, 212, 204]);
        let values = build(&def, &rows, Funnel::default(), &options()).values;
        let ranks = real_ranks(&values, |v| v.perceived_rank);
        assert_eq!(ranks, [Some(1); 4]);
        assert!(!values.say_do_gap);
    }

    #[test]
    fn a_value_declared_higher_but_perceived_significantly_lower_is_a_say_do_gap() {
        // Weights 0.35, 0.25, 0.2, 0.2; the lightest two are perceived far more often.
        let (def, rows) = perceived_population([80, 80, 320, 320]);
        let values = build(&def, &rows, Funnel::default(), &options()).values;
        let ranks = real_ranks(&values, |v| v.perceived_rank);
        assert_eq!(ranks, [Some(3), Some(3), Some(1), Some(1)]);
        assert!(values.say_do_gap);
        // Declared ranks are not changed by perception: equal weights share rank 3.
        let declared = real_ranks(&values, |v| v.declared_rank);
        assert_eq!(declared, [Some(1), Some(2), Some(3), Some(3)]);
    }

    /// The demo survey with its first segment question's options replaced by `groups`.
    fn with_segment_groups(groups: &[&str]) -> (SurveyDefinition, String) {
        let mut def = demo();
        let key = def
            .questions_with(Construct::Segment)
            .next()
            .unwrap()
            .key
            .clone();
        for page in &mut def.pages {
            for q in &mut page.questions {
                if q.key == key {
                    q.options = groups
                        .iter()
                        .map(|g| crate::domain::survey::ChoiceOption {
                            key: g.to_string(),
                            text: crate::domain::LocalizedText::new(*g, *g),
                        })
                        .collect();
                }
            }
        }
        (def, key)
    }

    #[test]
    fn the_holm_family_counts_each_distinct_test_once() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/stats_vectors.json")).unwrap();
        for case in v["v2"]["holm_family"].as_array().unwrap() {
            let values = case["groups"]["values_bonded"].as_object().unwrap();
            let contact = &case["groups"]["contact_bonded"];
            let names: Vec<&str> = values.keys().map(String::as_str).collect();
            // Keep the vector's group order (JSON objects come back sorted).
            let mut order: Vec<&str> = Vec::new();
            for g in case["tests"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|t| t["group"].as_str())
                .chain(names.iter().copied())
            {
                if !order.contains(&g) {
                    order.push(g);
                }
            }
            for n in &names {
                if !order.contains(n) {
                    order.push(n);
                }
            }
            let (def, key) = with_segment_groups(&order);
            let mut rows = Vec::new();
            for g in &order {
                let pair = |m: &serde_json::Value| {
                    (
                        m[0].as_u64().unwrap() as usize,
                        m[1].as_u64().unwrap() as usize,
                    )
                };
                let (xv, n) = pair(&values[*g]);
                let (xc, _) = pair(&contact[*g]);
                for i in 0..n {
                    let mut s = row(
                        Some(if i < xv { 6.0 } else { 3.0 }),
                        Some(if i < xc { 6.0 } else { 3.0 }),
                    );
                    s.segments.insert(key.clone(), g.to_string());
                    rows.push(at(0, s));
                }
            }
            let report = build(
                &def,
                &rows,
                Funnel::default(),
                &ReportOptions {
                    segment: Some(key.clone()),
                    ..options()
                },
            );
            let seg = report.segments.unwrap();
            assert_eq!(
                seg.comparisons.len() as u64,
                case["family_size"].as_u64().unwrap()
            );
            for t in case["tests"].as_array().unwrap() {
                let measure = match t["measure"].as_str().unwrap() {
                    "values_bonded" => Measure::ValuesBonded,
                    _ => Measure::ContactBonded,
                };
                if t["no_events"] == true {
                    assert!(seg.no_events.contains(&measure));
                    assert!(seg.comparisons.iter().all(|c| c.measure != measure));
                    continue;
                }
                let c = seg
                    .comparisons
                    .iter()
                    .find(|c| c.measure == measure && c.option == t["group"].as_str().unwrap())
                    .unwrap();
                let close = |a: f64, b: &serde_json::Value| {
                    assert!((a - b.as_f64().unwrap()).abs() < 1e-6, "{a} vs {b}")
                };
                close(c.diff, &t["diff"]);
                close(c.ci.lo, &t["newcombe_ci"][0]);
                close(c.ci.hi, &t["newcombe_ci"][1]);
                close(c.p, &t["p"]);
                close(c.p_holm, &t["p_holm"]);
                assert_eq!(c.fisher, t["fisher"].as_bool().unwrap());
            }
        }
    }

    #[test]
    fn alpha_of_merged_versions_does_not_depend_on_their_order() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/stats_vectors.json")).unwrap();
        let tally_of = |rows: &[serde_json::Value]| {
            let mut t = Tally::default();
            for r in rows {
                let mut s = row(None, None);
                s.congruence_items = r
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| Some(x.as_u64().unwrap() as u8))
                    .collect();
                t.add(&s);
            }
            t
        };
        let items = v["cronbach_alpha"]["items"].as_array().unwrap();
        let (a, b) = items.split_at(3);
        let other = tally_of(&[serde_json::json!([1, 2]), serde_json::json!([7, 7])]);
        let parts = [(tally_of(a), true), (tally_of(b), true), (other, false)];
        let mut alphas = Vec::new();
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]] {
            let mut sums = ReliabilitySums::default();
            for i in order {
                sums.add(&parts[i].0, parts[i].1);
            }
            assert_eq!(sums.values_other_item_set, 2);
            assert_eq!(sums.values.n, items.len() as u64);
            alphas.push(sums.values.alpha().unwrap());
        }
        assert!(alphas.iter().all(|x| (x - alphas[0]).abs() < 1e-12));
        assert!((alphas[0] - v["cronbach_alpha"]["alpha"].as_f64().unwrap()).abs() < 1e-4);
    }

    #[test]
    fn the_headline_is_shown_by_block_order_with_the_newcombe_difference() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/stats_vectors.json")).unwrap();
        let case = &v["v2"]["wave_share_difference"];
        let pair = |k: &str| {
            (
                case[k][0].as_u64().unwrap() as usize,
                case[k][1].as_u64().unwrap() as usize,
            )
        };
        // Values first: the vector's "second" group; contact first: its "first".
        let mut rows = Vec::new();
        for (order, (x, n)) in [
            (BlockOrder::ValuesFirst, pair("second")),
            (BlockOrder::ContactFirst, pair("first")),
        ] {
            for i in 0..n {
                let mut s = row(Some(if i < x { 6.0 } else { 3.0 }), Some(3.0));
                s.block_order = Some(order);
                rows.push(at(0, s));
            }
        }
        // Respondents without an order (imported) are in the headline, not in the split.
        rows.extend((0..5).map(|_| at(0, row(Some(6.0), Some(6.0)))));
        let report = build(&demo(), &rows, Funnel::default(), &options());
        let effect = report.order_effect.unwrap();
        assert_eq!(
            (
                effect.values_first.values_bonded.x,
                effect.values_first.values_bonded.n
            ),
            (130, 400)
        );
        let d = effect.values_bonded.unwrap();
        let close = |a: f64, b: &serde_json::Value| assert!((a - b.as_f64().unwrap()).abs() < 1e-6);
        close(d.diff, &case["diff"]);
        close(d.ci.lo, &case["newcombe_ci"][0]);
        close(d.ci.hi, &case["newcombe_ci"][1]);
        close(d.p, &case["p"]);
        assert!(!d.fisher && !effect.flagged);
        // Nobody is contact-bonded in either order: the difference is 0, p = 1.
        assert_eq!(effect.contact_bonded.unwrap().diff, 0.0);
        assert_eq!(report.headline.scored, 755);

        // A strong effect is flagged.
        for r in rows.iter_mut().take(300) {
            r.scores.values_bond = Some(6.0);
        }
        let flagged = build(&demo(), &rows, Funnel::default(), &options())
            .order_effect
            .unwrap();
        assert!(flagged.flagged);
        // No drawn order at all: no section.
        let none: Vec<ScoredResponse> = (0..40).map(|_| at(0, row(Some(6.0), Some(3.0)))).collect();
        assert!(build(&demo(), &none, Funnel::default(), &options())
            .order_effect
            .is_none());
    }

    #[test]
    fn every_figure_says_how_many_had_no_answer_for_it() {
        let def = demo();
        let value = def.brand.values[0].key.clone();
        // 40 values-only respondents (V 6, C 3); the first 10 skip NPS and the value's
        // perception, the next 5 have no contact level; 3 more have no C (insufficient).
        let mut rows: Vec<ScoredResponse> = (0..40)
            .map(|i| {
                let mut s = row(Some(6.0), Some(3.0));
                if i >= 10 {
                    s.nps = Some(9);
                    s.nps_class = Some(crate::domain::scoring::NpsClass::Promoter);
                    s.perception.insert(value.clone(), 6);
                }
                s.importance.insert(value.clone(), 7);
                if !(10..15).contains(&i) {
                    s.contact_actual = Some(3);
                }
                at(0, s)
            })
            .collect();
        rows.extend((0..3).map(|_| at(0, row(Some(6.0), None))));
        let r = build(&def, &rows, Funnel::default(), &options());
        let v = r.values.values.iter().find(|v| v.key == value).unwrap();
        assert_eq!(
            (v.missing.importance, v.missing.perception, v.missing.shared),
            (3, 13, 13)
        );
        let all = &r.outcomes[0];
        assert_eq!((all.respondents, all.missing.nps), (43, 13));
        let values_only = r
            .outcomes
            .iter()
            .find(|o| o.class == Some(BondClass::ValuesOnly))
            .unwrap();
        assert_eq!((values_only.respondents, values_only.missing.nps), (40, 10));
        assert_eq!(values_only.missing.advocacy, 40);
        assert_eq!(r.contact.level_missing, 5);
        let annual = r
            .contact
            .annual_contacts
            .iter()
            .find(|m| m.class == BondClass::ValuesOnly)
            .unwrap();
        assert_eq!(annual.missing, 5);
        assert_eq!((r.trends[0].responses, r.trends[0].missing), (43, 3));
    }

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

    #[test]
    fn segments_are_compared_with_holm_and_small_groups_left_out() {
        let def = demo();
        let segment = def.questions_with(Construct::Segment).next().unwrap();
        let options_keys: Vec<String> = segment.options.iter().map(|o| o.key.clone()).collect();
        let mut rows = Vec::new();
        for (g, n, bonded) in [(0usize, 200, 150), (1, 200, 60), (2, 10, 5)] {
            for i in 0..n {
                let v = if i < bonded { 6.0 } else { 3.0 };
                let mut s = row(Some(v), Some(3.0));
                s.segments
                    .insert(segment.key.clone(), options_keys[g].clone());
                rows.push(at(0, s));
            }
        }
        rows.push(at(0, row(Some(6.0), Some(6.0))));
        let report = build(
            &def,
            &rows,
            Funnel::default(),
            &ReportOptions {
                segment: Some(segment.key.clone()),
                ..options()
            },
        );
        let seg = report.segments.unwrap();
        assert_eq!(seg.missing, 1);
        assert_eq!(seg.groups[2].respondents, 10);
        // Two comparable groups × two measures; the 10-respondent group is not compared.
        let values: Vec<&SegmentComparison> = seg
            .comparisons
            .iter()
            .filter(|c| c.measure == Measure::ValuesBonded)
            .collect();
        assert_eq!(values.len(), 2);
        assert!(values.iter().all(|c| c.option != options_keys[2]));
        let first = values.iter().find(|c| c.option == options_keys[0]).unwrap();
        assert!(first.diff > 0.3 && first.p_holm <= 1.0 && first.p_holm >= first.p);
        // No one is contact-bonded in any group: nothing to test, and not in the family.
        assert!(seg
            .comparisons
            .iter()
            .all(|c| c.measure != Measure::ContactBonded));
        assert_eq!(seg.no_events, [Measure::ContactBonded]);
        // An unknown segment key gives no section rather than an empty one.
        let none = build(
            &def,
            &rows,
            Funnel::default(),
            &ReportOptions {
                segment: Some("nope".into()),
                ..options()
            },
        );
        assert!(none.segments.is_none());
    }

    #[test]
    fn trends_bucket_by_week_and_month() {
        // 2026-11-23 is a Monday (day 20415); 2026-11-30 the next.
        let monday = days_from_civil(2026, 11, 23);
        assert_eq!(civil_from_days(monday), (2026, 11, 23));
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(
            days_from_civil(2024, 2, 29) + 1,
            days_from_civil(2024, 3, 1)
        );
        let rows = vec![
            at(monday - 1, row(Some(6.0), Some(6.0))),
            at(monday, row(Some(6.0), Some(3.0))),
            at(monday + 6, row(Some(3.0), Some(3.0))),
            at(monday + 7, row(Some(6.0), Some(3.0))),
        ];
        let weekly = build(
            &demo(),
            &rows,
            Funnel::default(),
            &ReportOptions {
                period: Period::Week,
                ..options()
            },
        )
        .trends;
        let starts: Vec<&str> = weekly.iter().map(|p| p.starts.as_str()).collect();
        assert_eq!(starts, ["2026-11-16", "2026-11-23", "2026-11-30"]);
        assert_eq!(
            (weekly[1].values_bonded.x, weekly[1].values_bonded.n),
            (1, 2)
        );
        let monthly = build(&demo(), &rows, Funnel::default(), &options()).trends;
        assert_eq!(
            monthly
                .iter()
                .map(|p| p.starts.as_str())
                .collect::<Vec<_>>(),
            ["2026-11-01"]
        );
    }

    #[test]
    fn reliability_uses_complete_cases() {
        let v = &serde_json::from_str::<serde_json::Value>(include_str!(
            "../../tests/data/stats_vectors.json"
        ))
        .unwrap()["cronbach_alpha"];
        // The reference rows four times over: α is unchanged by repeating every row, and
        // 32 complete cases reach the base of 30 that α needs to be shown.
        let mut rows: Vec<ScoredResponse> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .cycle()
            .take(4 * v["items"].as_array().unwrap().len())
            .map(|r| {
                let mut s = row(None, None);
                s.congruence_items = r
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| Some(x.as_u64().unwrap() as u8))
                    .collect();
                at(0, s)
            })
            .collect();
        let mut incomplete = row(None, None);
        incomplete.congruence_items = vec![Some(1), None, Some(7)];
        rows.push(at(0, incomplete));
        let r = build(&demo(), &rows, Funnel::default(), &options()).reliability;
        assert_eq!((r.values_bond.items, r.values_bond.complete_cases), (3, 32));
        assert!((r.values_bond.alpha.unwrap() - v["alpha"].as_f64().unwrap()).abs() < 1e-4);
        assert!(!r.values_bond.weak);
        assert_eq!(r.contact_bond.alpha, None);
        // Under 30 complete cases α is not shown.
        let r = build(&demo(), &rows[..8], Funnel::default(), &options()).reliability;
        assert_eq!(
            (r.values_bond.complete_cases, r.values_bond.alpha),
            (8, None)
        );
    }

    #[test]
    fn an_empty_survey_gives_an_empty_report_not_a_panic() {
        let report = build(
            &demo(),
            &[],
            Funnel::default(),
            &ReportOptions {
                segment: Some("x".into()),
                ..options()
            },
        );
        assert_eq!(report.headline.scored, 0);
        assert_eq!(report.headline.values_bonded.p, None);
        assert!(report.headline.paired.is_none());
        assert!(report.trends.is_empty());
        assert_eq!(report.alignment.mean.mean, None);
        assert!(report.outcomes.iter().all(|o| o.nps.score.is_none()));
    }
}
