//! Weighting by raking (`measurement.md`, "Weighting (correcting who answered)"): the
//! weights that bring the answers to up to three `segment` questions to the shares a brand
//! knows from elsewhere (its CRM).
//!
//! Raking works on *cells*, not respondents: a cell is one combination of answers to the
//! weighting questions with its number of respondents. Every respondent of a cell gets the
//! same weight, so the report can keep its rollups per cell and weight them afterwards,
//! without rescanning score rows.
//!
//! Raking is the variant the reference figures (`v2.raking`) compute, options scaled one
//! at a time within a question's step (see `rake`), so the product gives their weights.
//!
//! Pure and without I/O, like the rest of `domain`; the report decides what to show when
//! raking does not converge (the unweighted figures). Weighted figures are the report's
//! own, built from weighted counts (`stats::Count`, `Tally::weighed`).

use crate::domain::{Construct, SurveyDefinition};

/// A weighted margin counts as met when every option's weighted share is this close to
/// its target share.
pub const TOLERANCE: f64 = 1e-6;
/// Raking gives up (and the report shows unweighted figures) after this many rounds.
pub const MAX_ROUNDS: u32 = 100;
/// A brand manager can weight by at most this many questions: more margins need many more
/// respondents per cell before the weights stop swinging.
pub const MAX_QUESTIONS: usize = 3;
/// Target shares must sum to 1 within this (they are normalised percentages).
pub const SHARE_SUM_TOLERANCE: f64 = 1e-9;
/// Entered percentages must sum to 100 within this (two decimals of rounding).
pub const PERCENT_SUM_TOLERANCE: f64 = 0.01;

// ---------------------------------------------------------------------------
// Targets

/// The target shares of one weighting question: one `(option key, share)` per option,
/// shares in [0, 1] summing to 1 (see `validate_margins`). Stored as JSON with the survey.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Margin {
    pub question: String,
    pub targets: Vec<(String, f64)>,
}

impl Margin {
    /// Builds a margin from percentages as a brand manager enters them (30 / 40 / 30).
    /// Each must be in [0, 100] and they must sum to 100 within 0.01; the shares are then
    /// divided by the actual sum, so that 33.33 × 3 gives shares summing to 1 exactly
    /// rather than failing the 1e-9 check of `validate_margins`.
    pub fn from_percentages(
        question: impl Into<String>,
        percentages: Vec<(String, f64)>,
    ) -> Result<Margin, TargetError> {
        let question = question.into();
        if let Some((option, pct)) = percentages
            .iter()
            .find(|(_, pct)| !(0.0..=100.0).contains(pct))
        {
            return Err(TargetError::ShareOutOfRange {
                question,
                option: option.clone(),
                share: pct / 100.0,
            });
        }
        let sum: f64 = percentages.iter().map(|(_, pct)| pct).sum();
        // The 1e-9 absorbs binary rounding: in floating point 33.33 × 3 falls short of
        // 100 by 0.010000000000005.
        if (sum - 100.0).abs() > PERCENT_SUM_TOLERANCE + 1e-9 {
            return Err(TargetError::PercentagesDoNotSumTo100 { question, sum });
        }
        let targets = percentages
            .into_iter()
            .map(|(option, pct)| (option, pct / sum))
            .collect();
        Ok(Margin { question, targets })
    }
}

/// Why a set of target shares cannot be used. The views translate these; the option and
/// question keys let them name what to fix.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TargetError {
    /// More than `MAX_QUESTIONS` weighting questions.
    #[error("{count} weighting questions (at most 3)")]
    TooManyQuestions { count: usize },
    /// The same question has two sets of targets.
    #[error("question {question} has targets twice")]
    RepeatedQuestion { question: String },
    /// No question of the survey has this key.
    #[error("no question {question} in the survey")]
    UnknownQuestion { question: String },
    /// The question exists but is not a `segment` question (only those can be weighted).
    #[error("question {question} is not a segment question")]
    NotASegment { question: String },
    /// A target for an option the question does not have.
    #[error("question {question} has no option {option}")]
    UnknownOption { question: String, option: String },
    /// The same option has two targets.
    #[error("option {option} of {question} has two targets")]
    RepeatedOption { question: String, option: String },
    /// An option of the question has no target (a share of 0 must be entered as 0).
    #[error("option {option} of {question} has no target")]
    MissingOption { question: String, option: String },
    /// A share outside [0, 1] (or not a number); from percentages, the percentage / 100.
    #[error("option {option} of {question} has share {share}, outside [0, 1]")]
    ShareOutOfRange {
        question: String,
        option: String,
        share: f64,
    },
    /// The shares of a question do not sum to 1 (within `SHARE_SUM_TOLERANCE`).
    #[error("the shares of {question} sum to {sum}, not 1")]
    SharesDoNotSumToOne { question: String, sum: f64 },
    /// Entered percentages do not sum to 100 (within `PERCENT_SUM_TOLERANCE`).
    #[error("the percentages of {question} sum to {sum}, not 100")]
    PercentagesDoNotSumTo100 { question: String, sum: f64 },
    /// The form chose no question to weight by (removing the targets is its own action).
    #[error("no weighting question chosen")]
    NoQuestionChosen,
    /// An entered percentage is not a number.
    #[error("option {option} of {question}: not a number")]
    NotANumber { question: String, option: String },
}

/// The form field of an option's target percentage.
pub fn target_field(question: &str, option: &str) -> String {
    format!("target.{question}.{option}")
}

/// The field naming a question to weight by (repeated, one per checked question).
pub const WEIGHT_FIELD: &str = "weight";

/// Reads the targets a brand manager entered (the report's weighting form: the checked
/// questions, and a percentage per option as typed, "30", "33,5" or "12.5 %") and checks
/// them against the survey. Questions are taken in the survey's order.
pub fn margins_from_form(
    survey: &SurveyDefinition,
    fields: &[(String, String)],
) -> Result<Vec<Margin>, TargetError> {
    let chosen: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == WEIGHT_FIELD)
        .map(|(_, v)| v.as_str())
        .collect();
    if chosen.is_empty() {
        return Err(TargetError::NoQuestionChosen);
    }
    let mut margins = Vec::new();
    for key in chosen {
        if margins.iter().any(|m: &Margin| m.question == key) {
            continue;
        }
        let question = survey
            .question(key)
            .ok_or_else(|| TargetError::UnknownQuestion {
                question: key.to_string(),
            })?;
        if question.construct != Some(Construct::Segment) {
            return Err(TargetError::NotASegment {
                question: key.to_string(),
            });
        }
        let mut percentages = Vec::with_capacity(question.options.len());
        for option in &question.options {
            let name = target_field(key, &option.key);
            let entered = fields
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.trim().trim_end_matches('%').trim())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| TargetError::MissingOption {
                    question: key.to_string(),
                    option: option.key.clone(),
                })?;
            let pct: f64 = entered
                .replace(',', ".")
                .parse()
                .ok()
                .filter(|p: &f64| p.is_finite())
                .ok_or_else(|| TargetError::NotANumber {
                    question: key.to_string(),
                    option: option.key.clone(),
                })?;
            percentages.push((option.key.clone(), pct));
        }
        margins.push(Margin::from_percentages(key, percentages)?);
    }
    margins.sort_by_key(|m| {
        survey
            .questions()
            .position(|q| q.key == m.question)
            .unwrap_or(usize::MAX)
    });
    validate_margins(survey, &margins)?;
    Ok(margins)
}

/// Checks targets against the survey before they are stored: at most three distinct
/// `segment` questions, each option of each question with exactly one share in [0, 1], the
/// shares summing to 1. Returns the first problem found.
pub fn validate_margins(survey: &SurveyDefinition, margins: &[Margin]) -> Result<(), TargetError> {
    if margins.len() > MAX_QUESTIONS {
        return Err(TargetError::TooManyQuestions {
            count: margins.len(),
        });
    }
    for (i, margin) in margins.iter().enumerate() {
        let question = || margin.question.clone();
        if margins[..i].iter().any(|m| m.question == margin.question) {
            return Err(TargetError::RepeatedQuestion {
                question: question(),
            });
        }
        let Some(q) = survey.question(&margin.question) else {
            return Err(TargetError::UnknownQuestion {
                question: question(),
            });
        };
        if q.construct != Some(Construct::Segment) {
            return Err(TargetError::NotASegment {
                question: question(),
            });
        }
        let options: Vec<&str> = q.options.iter().map(|o| o.key.as_str()).collect();
        validate_targets(margin, &options)?;
    }
    Ok(())
}

/// The option-level checks of `validate_margins` for one question with these options.
fn validate_targets(margin: &Margin, options: &[&str]) -> Result<(), TargetError> {
    let question = || margin.question.clone();
    for (i, (option, share)) in margin.targets.iter().enumerate() {
        if margin.targets[..i].iter().any(|(o, _)| o == option) {
            return Err(TargetError::RepeatedOption {
                question: question(),
                option: option.clone(),
            });
        }
        if !options.contains(&option.as_str()) {
            return Err(TargetError::UnknownOption {
                question: question(),
                option: option.clone(),
            });
        }
        if !(0.0..=1.0).contains(share) {
            return Err(TargetError::ShareOutOfRange {
                question: question(),
                option: option.clone(),
                share: *share,
            });
        }
    }
    if let Some(missing) = options
        .iter()
        .find(|o| !margin.targets.iter().any(|(t, _)| t == *o))
    {
        return Err(TargetError::MissingOption {
            question: question(),
            option: missing.to_string(),
        });
    }
    let sum: f64 = margin.targets.iter().map(|(_, share)| share).sum();
    if (sum - 1.0).abs() > SHARE_SUM_TOLERANCE {
        return Err(TargetError::SharesDoNotSumToOne {
            question: question(),
            sum,
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Raking

/// Respondents with the same answers to the weighting questions: `answers` has one entry
/// per margin, in the order of the margins (None: no answer to that question).
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub answers: Vec<Option<String>>,
    pub count: u64,
}

/// The result of `rake`: per margin, how many respondents had no answer to its question
/// (the report shows it), and the weights or why there are none.
#[derive(Clone, Debug, PartialEq)]
pub struct Raking {
    pub unanswered: Vec<u64>,
    pub outcome: RakingOutcome,
}

/// How raking ended: with weights, or with the reason the report falls back to unweighted
/// figures.
#[derive(Clone, Debug, PartialEq)]
pub enum RakingOutcome {
    /// Every weighted margin is within `TOLERANCE` of its targets after `rounds` full
    /// rounds. `weights` has one weight per cell, in the order of the cells (a cell
    /// without respondents is never adjusted and keeps 1).
    Converged { weights: Vec<f64>, rounds: u32 },
    /// Not within `TOLERANCE` after `rounds` rounds: `MAX_ROUNDS`, or fewer when a step
    /// found an option with a target above 0 whose respondents all had weight 0 (left so
    /// by a target of 0 on another question), which no further round can change.
    NotConverged { rounds: u32 },
    /// An option has a target above 0 but no respondent answered it: no weight can make
    /// a share of nobody positive, so raking is not attempted.
    EmptyTarget { question: String, option: String },
    /// Respondents answered an option that has no target (e.g. an option added in a later
    /// version): their weight could never be fitted, so raking is not attempted.
    UntargetedAnswer { question: String, option: String },
}

impl Raking {
    /// The weights per cell, when raking converged.
    pub fn weights(&self) -> Option<&[f64]> {
        match &self.outcome {
            RakingOutcome::Converged { weights, .. } => Some(weights),
            _ => None,
        }
    }
}

/// Per cell, per margin: the index of the cell's answer among the margin's targets (None:
/// no answer, or an empty cell).
type Coded = Vec<Vec<Option<usize>>>;

/// Raking (iterative proportional fitting) over the margins, from weight 1 per respondent.
///
/// A round adjusts to each margin in turn, in the order of `margins`. Margin Q's step
/// takes its options one at a time, in the order of its targets: the respondents who
/// answered option o are multiplied by t_o · W_Q / W_o, where W_o is o's weighted count and
/// W_Q the running weighted count of everyone who answered Q (o's share is then exactly
/// t_o, but scaling the next option moves it again, so Q's margin is not exactly met after
/// its step). Respondents without an answer to Q keep their weight (factor 1). The step
/// ends by scaling everyone who answered Q by one common factor, so that W_Q is what it
/// was before the step. After each full round every margin is checked; `rounds` counts
/// the full rounds run, including the one after which the check passed.
///
/// Why this variant: it is what the reference figures compute. Their generator let the
/// total drift (to about 186 of 240) and rescaled all weights to sum to 240 at the end;
/// when everyone answered every question that is the same, since shares ignore a common
/// factor (it meets the vector's weights to 5e-10 after its 10 rounds). Restoring W_Q at
/// each step keeps the rule for respondents without an answer meaningful: a step changes
/// neither their weight nor the total weight of those who answered, so weights sum to the
/// number of respondents in the cells and whoever answered no weighting question keeps 1.
/// The order of options matters within the tolerance (the reference takes the survey's).
/// No trimming.
///
/// The margins are assumed valid (`validate_margins`); targets that do not sum to 1 simply
/// never converge.
pub fn rake(margins: &[Margin], cells: &[Cell]) -> Raking {
    let unanswered = (0..margins.len())
        .map(|q| {
            cells
                .iter()
                .filter(|c| answer(c, q).is_none())
                .map(|c| c.count)
                .sum()
        })
        .collect();
    let outcome = match code_cells(margins, cells) {
        Ok(coded) => fit(margins, cells, &coded),
        Err(outcome) => outcome,
    };
    Raking {
        unanswered,
        outcome,
    }
}

/// The cell's answer to margin `q`'s question (a short `answers` counts as no answer).
fn answer(cell: &Cell, q: usize) -> Option<&str> {
    cell.answers.get(q).and_then(Option::as_deref)
}

/// Codes each cell's answers as target indices, refusing answers without a target and
/// targets above 0 without respondents (both make convergence impossible).
fn code_cells(margins: &[Margin], cells: &[Cell]) -> Result<Coded, RakingOutcome> {
    let mut coded = Vec::with_capacity(cells.len());
    for cell in cells {
        let mut codes = Vec::with_capacity(margins.len());
        for (q, margin) in margins.iter().enumerate() {
            let code = match answer(cell, q) {
                Some(option) if cell.count > 0 => Some(
                    margin
                        .targets
                        .iter()
                        .position(|(o, _)| o == option)
                        .ok_or_else(|| RakingOutcome::UntargetedAnswer {
                            question: margin.question.clone(),
                            option: option.to_string(),
                        })?,
                ),
                _ => None,
            };
            codes.push(code);
        }
        coded.push(codes);
    }
    for (q, margin) in margins.iter().enumerate() {
        for (o, (option, target)) in margin.targets.iter().enumerate() {
            if *target > 0.0 && !coded.iter().any(|codes| codes[q] == Some(o)) {
                return Err(RakingOutcome::EmptyTarget {
                    question: margin.question.clone(),
                    option: option.clone(),
                });
            }
        }
    }
    Ok(coded)
}

/// The rounds of `rake`, on coded cells.
fn fit(margins: &[Margin], cells: &[Cell], coded: &Coded) -> RakingOutcome {
    let mut weights = vec![1.0; cells.len()];
    for round in 1..=MAX_ROUNDS {
        for (q, margin) in margins.iter().enumerate() {
            if !adjust(q, margin, cells, coded, &mut weights) {
                return RakingOutcome::NotConverged { rounds: round };
            }
        }
        if margins_met(margins, cells, coded, &weights) {
            return RakingOutcome::Converged {
                weights,
                rounds: round,
            };
        }
    }
    RakingOutcome::NotConverged { rounds: MAX_ROUNDS }
}

/// The weighted count of each option of margin `q`.
fn option_totals(q: usize, options: usize, cells: &[Cell], coded: &Coded, w: &[f64]) -> Vec<f64> {
    let mut totals = vec![0.0; options];
    for ((cell, codes), weight) in cells.iter().zip(coded).zip(w) {
        if let Some(o) = codes[q] {
            totals[o] += weight * cell.count as f64;
        }
    }
    totals
}

/// One raking step (see `rake`): scales the options of margin `q` one at a time to their
/// target shares of the running total of those who answered `q`, then restores that
/// total. False when an option with a target above 0 has no weight.
fn adjust(q: usize, margin: &Margin, cells: &[Cell], coded: &Coded, weights: &mut [f64]) -> bool {
    let options = margin.targets.len();
    let answered = |w: &[f64]| -> f64 { option_totals(q, options, cells, coded, w).iter().sum() };
    let before = answered(weights);
    for (o, (_, target)) in margin.targets.iter().enumerate() {
        let totals = option_totals(q, options, cells, coded, weights);
        let factor = if totals[o] > 0.0 {
            target * totals.iter().sum::<f64>() / totals[o]
        } else if *target > 0.0 {
            return false;
        } else {
            continue;
        };
        scale(q, Some(o), factor, coded, weights);
    }
    let after = answered(weights);
    if after > 0.0 {
        scale(q, None, before / after, coded, weights);
    }
    true
}

/// Multiplies by `factor` the weights of the cells that answered `option` of margin `q`
/// (None: any option).
fn scale(q: usize, option: Option<usize>, factor: f64, coded: &Coded, weights: &mut [f64]) {
    for (codes, weight) in coded.iter().zip(weights.iter_mut()) {
        if codes[q].is_some() && (option.is_none() || codes[q] == option) {
            *weight *= factor;
        }
    }
}

/// Whether every option's weighted share (among those who answered its question) is
/// within `TOLERANCE` of its target.
fn margins_met(margins: &[Margin], cells: &[Cell], coded: &Coded, weights: &[f64]) -> bool {
    margins.iter().enumerate().all(|(q, margin)| {
        let totals = option_totals(q, margin.targets.len(), cells, coded, weights);
        let answered: f64 = totals.iter().sum();
        answered > 0.0
            && margin
                .targets
                .iter()
                .zip(&totals)
                .all(|((_, target), total)| (total / answered - target).abs() <= TOLERANCE)
    })
}

/// The largest and smallest weight a respondent has.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WeightRange {
    pub largest: f64,
    pub smallest: f64,
}

/// The report shows the weight range, so that a brand manager sees when a few respondents
/// stand for many. Cells without respondents are left out; None when no cell has any.
pub fn weight_range(cells: &[Cell], weights: &[f64]) -> Option<WeightRange> {
    let mut used = cells
        .iter()
        .zip(weights)
        .filter(|(c, _)| c.count > 0)
        .map(|(_, w)| *w);
    let first = used.next()?;
    Some(used.fold(
        WeightRange {
            largest: first,
            smallest: first,
        },
        |r, w| WeightRange {
            largest: r.largest.max(w),
            smallest: r.smallest.min(w),
        },
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::stats::{t_quantile_975, wilson, Base, Count, Moments, Proportion};

    fn margin(question: &str, targets: &[(&str, f64)]) -> Margin {
        Margin {
            question: question.into(),
            targets: targets.iter().map(|(o, t)| (o.to_string(), *t)).collect(),
        }
    }

    fn cell(answers: &[Option<&str>], count: u64) -> Cell {
        Cell {
            answers: answers.iter().map(|a| a.map(str::to_string)).collect(),
            count,
        }
    }

    fn converged(raking: &Raking) -> (&[f64], u32) {
        match &raking.outcome {
            RakingOutcome::Converged { weights, rounds } => (weights, *rounds),
            other => panic!("not converged: {other:?}"),
        }
    }

    /// The weighted share of each option of margin `q` among those who answered it.
    fn weighted_shares(q: usize, m: &Margin, cells: &[Cell], weights: &[f64]) -> Vec<f64> {
        let total = |option: Option<&str>| -> f64 {
            cells
                .iter()
                .zip(weights)
                .filter(|(c, _)| {
                    answer(c, q).is_some() && option.is_none_or(|o| answer(c, q) == Some(o))
                })
                .map(|(c, w)| w * c.count as f64)
                .sum()
        };
        let answered = total(None);
        m.targets
            .iter()
            .map(|(o, _)| total(Some(o)) / answered)
            .collect()
    }

    /// The vector's targets as margins, tenure first, options in the vector's (and the
    /// survey's) order: the order matters within the tolerance, and serde_json's map
    /// would give them sorted.
    fn reference_margins(case: &serde_json::Value) -> Vec<Margin> {
        let order: [(&str, &[&str]); 2] = [
            ("tenure", &["under_1y", "from_1_to_3y", "over_3y"]),
            ("region", &["north", "south"]),
        ];
        order
            .iter()
            .map(|(q, options)| {
                let targets = &case["targets"][q];
                assert_eq!(targets.as_object().unwrap().len(), options.len());
                Margin {
                    question: q.to_string(),
                    targets: options
                        .iter()
                        .map(|o| (o.to_string(), targets[o].as_f64().unwrap()))
                        .collect(),
                }
            })
            .collect()
    }

    /// `v2.raking`: 240 respondents by tenure and region, raked to 30/40/30 and 50/50.
    ///
    /// Every figure the vector gives is met to 1e-6 (its weights are given to 9 decimals,
    /// the derived figures to 6), and it counts 10 rounds, as `rake` does: its generator
    /// scaled one option at a time and rescaled to 240 at the end, which `rake` does at
    /// every step instead (the same weights, as shares ignore a common factor).
    #[test]
    fn raking_reproduces_the_reference_weights_and_weighted_share() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/stats_vectors.json")).unwrap();
        let case = &v["v2"]["raking"];
        let margins = reference_margins(case);
        // (tenure, region) → (respondents, values-bonded among them)
        let mut by_cell: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
        for r in case["respondents"].as_array().unwrap() {
            let key = (
                r["tenure"].as_str().unwrap().to_string(),
                r["region"].as_str().unwrap().to_string(),
            );
            let entry = by_cell.entry(key).or_default();
            entry.0 += 1;
            entry.1 += r["values_bonded"].as_u64().unwrap();
        }
        let cells: Vec<Cell> = by_cell
            .iter()
            .map(|((t, r), (n, _))| cell(&[Some(t), Some(r)], *n))
            .collect();

        let raking = rake(&margins, &cells);
        assert_eq!(raking.unanswered, vec![0, 0]);
        let (weights, rounds) = converged(&raking);
        assert_eq!(rounds, case["rounds"].as_u64().unwrap() as u32);
        let close = |a: f64, b: &serde_json::Value, tol: f64| {
            let b = b.as_f64().unwrap();
            assert!((a - b).abs() < tol, "{a} vs {b}");
        };
        for (((t, r), _), w) in by_cell.iter().zip(weights) {
            close(*w, &case["weight_by_cell"][format!("{t}/{r}")], 1e-6);
        }
        for (q, m) in margins.iter().enumerate() {
            for (share, (_, target)) in weighted_shares(q, m, &cells, weights)
                .iter()
                .zip(&m.targets)
            {
                assert!((share - target).abs() <= TOLERANCE);
            }
        }
        let total: f64 = cells
            .iter()
            .zip(weights)
            .map(|(c, w)| w * c.count as f64)
            .sum();
        close(total, &case["weights_sum_to"], 1e-9);

        let (mut x, mut n) = (Count::default(), Count::default());
        for ((_, (respondents, bonded)), w) in by_cell.iter().zip(weights) {
            x += Count::weighed(*bonded, *w);
            n += Count::weighed(*respondents, *w);
        }
        let unweighted = Proportion::new(Count::of(x.n), Count::of(n.n));
        close(
            unweighted.p.unwrap(),
            &case["values_bonded_unweighted"],
            1e-9,
        );
        let share = Proportion::new(x, n);
        assert_eq!((share.n, share.base), (240, Base::Ok));
        close(share.p.unwrap(), &case["values_bonded_weighted"], 1e-6);
        close(share.n_eff.unwrap(), &case["n_eff"], 1e-6);
        close(share.ci.unwrap().lo, &case["wilson_n_eff"][0], 1e-6);
        close(share.ci.unwrap().hi, &case["wilson_n_eff"][1], 1e-6);
        let range = weight_range(&cells, weights).unwrap();
        close(range.largest, &case["max_weight"], 1e-6);
        close(range.smallest, &case["min_weight"], 1e-6);
    }

    #[test]
    fn respondents_without_an_answer_keep_their_weight_and_are_counted() {
        let margins = [margin("tenure", &[("new", 0.5), ("old", 0.5)])];
        let cells = [
            cell(&[Some("new")], 30),
            cell(&[Some("old")], 10),
            cell(&[None], 20),
        ];
        let raking = rake(&margins, &cells);
        assert_eq!(raking.unanswered, vec![20]);
        let (weights, rounds) = converged(&raking);
        // By hand: the 40 who answered keep their total weight of 40 (W_Q is restored after
        // each step). With a the share of "old" before a round, "new" is scaled to 20, then
        // "old" to half of 20 + 40a, so after the round a' = (1 + 2a) / (3 + 2a). From
        // a = 1/4, a' − 1/2 = −1/u with u' = 4u − 2 from u = 4: 14, 54, 214, …, 873814
        // (deviation 1.1e-6, round 9), 3495254 (within 1e-6, round 10).
        assert_eq!(rounds, 10);
        let u = 3_495_254.0;
        // "new": 40 (1/2 + 1/u) / 30; "old": 40 (1/2 − 1/u) / 10.
        assert!((weights[0] - (2.0 / 3.0 + 4.0 / (3.0 * u))).abs() < 1e-12);
        assert!((weights[1] - (2.0 - 4.0 / u)).abs() < 1e-12);
        assert_eq!(weights[2], 1.0);
    }

    #[test]
    fn two_margins_are_met_among_those_who_answered_each() {
        let margins = [
            margin("tenure", &[("new", 0.3), ("old", 0.7)]),
            margin("region", &[("north", 0.5), ("south", 0.5)]),
        ];
        let cells = [
            cell(&[Some("new"), Some("north")], 10),
            cell(&[Some("new"), Some("south")], 20),
            cell(&[Some("old"), None], 30),
            cell(&[None, Some("north")], 40),
            cell(&[Some("old"), Some("south")], 5),
            cell(&[None, None], 7),
        ];
        let raking = rake(&margins, &cells);
        assert_eq!(raking.unanswered, vec![47, 37]);
        let (weights, _) = converged(&raking);
        for (q, m) in margins.iter().enumerate() {
            for (share, (_, target)) in weighted_shares(q, m, &cells, weights)
                .iter()
                .zip(&m.targets)
            {
                assert!((share - target).abs() <= TOLERANCE, "{share} vs {target}");
            }
        }
        // Nobody who answered neither question is ever adjusted, and as every step keeps
        // the total weight of those who answered it, weights still sum to the 112 in cells.
        assert_eq!(weights[5], 1.0);
        let total: f64 = cells
            .iter()
            .zip(weights)
            .map(|(c, w)| w * c.count as f64)
            .sum();
        assert!((total - 112.0).abs() < 1e-9, "{total}");
    }

    #[test]
    fn contradictory_margins_do_not_converge() {
        // Every new customer is in the north and every old one in the south, so tenure
        // 50/50 and region 20/80 cannot both hold.
        let margins = [
            margin("tenure", &[("new", 0.5), ("old", 0.5)]),
            margin("region", &[("north", 0.2), ("south", 0.8)]),
        ];
        let cells = [
            cell(&[Some("new"), Some("north")], 10),
            cell(&[Some("old"), Some("south")], 10),
        ];
        assert_eq!(
            rake(&margins, &cells).outcome,
            RakingOutcome::NotConverged { rounds: MAX_ROUNDS }
        );
    }

    #[test]
    fn a_target_nobody_answered_is_reported_without_raking() {
        let margins = [margin("tenure", &[("new", 0.5), ("old", 0.5)])];
        let cells = [cell(&[Some("new")], 10), cell(&[Some("old")], 0)];
        assert_eq!(
            rake(&margins, &cells).outcome,
            RakingOutcome::EmptyTarget {
                question: "tenure".into(),
                option: "old".into()
            }
        );
        // A target of 0 needs nobody, and gives whoever answered it weight 0.
        let margins = [margin("tenure", &[("new", 1.0), ("old", 0.0)])];
        let cells = [cell(&[Some("new")], 10), cell(&[Some("old")], 5)];
        let raking = rake(&margins, &cells);
        assert_eq!(converged(&raking).0, &[1.5, 0.0]);
        let range = weight_range(&cells, converged(&raking).0).unwrap();
        assert_eq!((range.largest, range.smallest), (1.5, 0.0));
    }

    #[test]
    fn a_target_left_without_weight_by_a_zero_target_stops_raking() {
        // Tenure "old" at 0 removes every southerner, but region wants half of them.
        let margins = [
            margin("tenure", &[("new", 1.0), ("old", 0.0)]),
            margin("region", &[("north", 0.5), ("south", 0.5)]),
        ];
        let cells = [
            cell(&[Some("new"), Some("north")], 10),
            cell(&[Some("old"), Some("south")], 10),
        ];
        assert_eq!(
            rake(&margins, &cells).outcome,
            RakingOutcome::NotConverged { rounds: 1 }
        );
    }

    #[test]
    fn an_answer_without_a_target_is_reported() {
        let margins = [margin("tenure", &[("new", 0.5), ("old", 0.5)])];
        let cells = [
            cell(&[Some("new")], 10),
            cell(&[Some("old")], 10),
            cell(&[Some("vip")], 3),
        ];
        assert_eq!(
            rake(&margins, &cells).outcome,
            RakingOutcome::UntargetedAnswer {
                question: "tenure".into(),
                option: "vip".into()
            }
        );
    }

    #[test]
    fn equal_weights_give_the_unweighted_figures() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/stats_vectors.json")).unwrap();
        for case in v["wilson_95"].as_array().unwrap() {
            let (x, n) = (case["x"].as_u64().unwrap(), case["n"].as_u64().unwrap());
            let share = Proportion::new(Count::weighed(x, 2.5), Count::weighed(n, 2.5));
            let plain = wilson(x, n).unwrap();
            assert!((share.n_eff.unwrap() - n as f64).abs() < 1e-9);
            let ci = share.ci.unwrap();
            assert!((ci.lo - plain.lo).abs() < 1e-12 && (ci.hi - plain.hi).abs() < 1e-12);
            // The exact ends at x = 0 and x = n survive.
            assert_eq!((x == 0, x == n), (ci.lo == 0.0, ci.hi == 1.0));
        }
        let moments: Moments = [1.0, 4.0, 4.0, 6.0, 7.0, 2.0].into_iter().collect();
        let (weighted, plain) = (moments.times(3.0).mean(), moments.mean());
        assert!((weighted.mean.unwrap() - plain.mean.unwrap()).abs() < 1e-12);
        assert!((weighted.sd.unwrap() - plain.sd.unwrap()).abs() < 1e-12);
        assert!((weighted.ci.unwrap().lo - plain.ci.unwrap().lo).abs() < 1e-9);
        assert!((weighted.ci.unwrap().hi - plain.ci.unwrap().hi).abs() < 1e-9);
        assert_eq!(plain.n_eff, None);
    }

    #[test]
    fn a_weighted_mean_uses_the_effective_size() {
        // Weight 2 on 1, 2, 3 and weight 1 on 4, 5: Σw = 8, Σw² = 14, Σwy = 21, Σwy² = 69.
        let group = |w: f64, ys: &[f64]| ys.iter().copied().collect::<Moments>().times(w);
        let mut sums = group(2.0, &[1.0, 2.0, 3.0]);
        sums.merge(&group(1.0, &[4.0, 5.0]));
        let mean = sums.mean();
        let n_eff = 64.0 / 14.0;
        assert_eq!(mean.n, 5);
        assert!((mean.n_eff.unwrap() - n_eff).abs() < 1e-12);
        assert!((mean.mean.unwrap() - 2.625).abs() < 1e-12);
        // Σw(y − ȳ)² / Σw = 13.875 / 8, times n_eff / (n_eff − 1) = 1.28: s² = 2.22.
        assert!((mean.sd.unwrap() - 2.22_f64.sqrt()).abs() < 1e-12);
        let half = t_quantile_975(n_eff - 1.0) * 2.22_f64.sqrt() / n_eff.sqrt();
        assert!((mean.ci.unwrap().hi - (2.625 + half)).abs() < 1e-12);
        assert_eq!(mean.base, Base::Suppressed);

        // Scaling every weight changes nothing but the sums.
        let mut scaled = group(7.4, &[1.0, 2.0, 3.0]);
        scaled.merge(&group(3.7, &[4.0, 5.0]));
        let scaled = scaled.mean();
        assert!((scaled.n_eff.unwrap() - n_eff).abs() < 1e-12);
        assert!((scaled.ci.unwrap().lo - mean.ci.unwrap().lo).abs() < 1e-12);

        // A single respondent has a mean but no spread.
        let one = group(2.5, &[4.0]).mean();
        assert_eq!((one.mean, one.sd, one.ci), (Some(4.0), None, None));
        assert_eq!(Proportion::new(Count::default(), Count::default()).p, None);
    }

    fn demo() -> SurveyDefinition {
        SurveyDefinition::parse(include_str!("../demo/terra-bond.json")).unwrap()
    }

    fn tenure(shares: &[(&str, f64)]) -> Margin {
        margin("tenure", shares)
    }

    const TENURE: [(&str, f64); 4] = [
        ("not_yet", 0.1),
        ("under_1y", 0.3),
        ("from_1_to_3y", 0.3),
        ("over_3y", 0.3),
    ];

    #[test]
    fn targets_for_segment_questions_are_accepted() {
        let activity = margin(
            "activity",
            &[
                ("rarely", 0.25),
                ("few_times_year", 0.25),
                ("monthly", 0.25),
                ("weekly", 0.25),
            ],
        );
        assert_eq!(
            validate_margins(&demo(), &[tenure(&TENURE), activity]),
            Ok(())
        );
        assert_eq!(validate_margins(&demo(), &[]), Ok(()));
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_form_reads_percentages_as_people_type_them() {
        let fields = form(&[
            ("weight", "activity"),
            ("weight", "tenure"),
            ("target.tenure.not_yet", "10"),
            ("target.tenure.under_1y", " 33,34 "),
            ("target.tenure.from_1_to_3y", "33.33%"),
            ("target.tenure.over_3y", "23.33"),
            ("target.activity.rarely", "25"),
            ("target.activity.few_times_year", "25"),
            ("target.activity.monthly", "25"),
            ("target.activity.weekly", "25"),
            // An unchecked question's boxes are ignored.
            ("target.region.north", "abc"),
        ]);
        let margins = margins_from_form(&demo(), &fields).unwrap();
        // In the survey's order, whatever order the boxes were sent in.
        assert_eq!(margins[0].question, "tenure");
        assert_eq!(margins[1].question, "activity");
        let sum: f64 = margins[0].targets.iter().map(|(_, s)| s).sum();
        assert!((sum - 1.0).abs() < 1e-12);
        assert!((margins[0].targets[1].1 - 0.3334).abs() < 1e-9);
    }

    #[test]
    fn the_form_names_the_first_problem() {
        let problem =
            |pairs: &[(&str, &str)]| margins_from_form(&demo(), &form(pairs)).unwrap_err();
        assert_eq!(problem(&[]), TargetError::NoQuestionChosen);
        let mut tenure = vec![
            ("weight", "tenure"),
            ("target.tenure.not_yet", "10"),
            ("target.tenure.under_1y", "30"),
            ("target.tenure.from_1_to_3y", "30"),
        ];
        assert_eq!(
            problem(&tenure),
            TargetError::MissingOption {
                question: "tenure".into(),
                option: "over_3y".into()
            }
        );
        tenure.push(("target.tenure.over_3y", "ba mươi"));
        assert_eq!(
            problem(&tenure),
            TargetError::NotANumber {
                question: "tenure".into(),
                option: "over_3y".into()
            }
        );
        tenure.pop();
        tenure.push(("target.tenure.over_3y", "40"));
        assert!(matches!(
            problem(&tenure),
            TargetError::PercentagesDoNotSumTo100 { .. }
        ));
        assert!(matches!(
            problem(&[("weight", "nps")]),
            TargetError::NotASegment { .. } | TargetError::UnknownQuestion { .. }
        ));
    }

    #[test]
    fn targets_name_what_is_wrong_with_them() {
        let def = demo();
        let check = |margins: &[Margin]| validate_margins(&def, margins).unwrap_err();
        let q = || "tenure".to_string();
        let o = |o: &str| o.to_string();
        assert_eq!(
            check(&vec![tenure(&TENURE); 4]),
            TargetError::TooManyQuestions { count: 4 }
        );
        assert_eq!(
            check(&[tenure(&TENURE), tenure(&TENURE)]),
            TargetError::RepeatedQuestion { question: q() }
        );
        assert_eq!(
            check(&[margin("colour", &[("red", 1.0)])]),
            TargetError::UnknownQuestion {
                question: o("colour")
            }
        );
        assert_eq!(
            check(&[margin("relationship", &[("yes", 1.0)])]),
            TargetError::NotASegment {
                question: o("relationship")
            }
        );
        let mut shares = TENURE.to_vec();
        shares.push(("forever", 0.0));
        assert_eq!(
            check(&[tenure(&shares)]),
            TargetError::UnknownOption {
                question: q(),
                option: o("forever")
            }
        );
        shares[4] = ("over_3y", 0.0);
        assert_eq!(
            check(&[tenure(&shares)]),
            TargetError::RepeatedOption {
                question: q(),
                option: o("over_3y")
            }
        );
        assert_eq!(
            check(&[tenure(&[
                ("under_1y", 0.4),
                ("from_1_to_3y", 0.3),
                ("over_3y", 0.3)
            ])]),
            TargetError::MissingOption {
                question: q(),
                option: o("not_yet")
            }
        );
        for bad in [-0.1, 1.1, f64::NAN] {
            let mut shares = TENURE.to_vec();
            shares[0].1 = bad;
            assert!(matches!(
                check(&[tenure(&shares)]),
                TargetError::ShareOutOfRange { option, .. } if option == "not_yet"
            ));
        }
        let mut shares = TENURE.to_vec();
        shares[0].1 = 0.05;
        assert!(matches!(
            check(&[tenure(&shares)]),
            TargetError::SharesDoNotSumToOne { sum, .. } if (sum - 0.95).abs() < 1e-12
        ));
    }

    #[test]
    fn percentages_become_shares_summing_to_one() {
        let pct = |p: [f64; 4]| -> Vec<(String, f64)> {
            TENURE
                .iter()
                .zip(p)
                .map(|((o, _), p)| (o.to_string(), p))
                .collect()
        };
        // 33.33 × 3 is within 0.01 of 100, and is normalised to shares summing to 1.
        let margin = Margin::from_percentages("tenure", pct([0.0, 33.33, 33.33, 33.33])).unwrap();
        assert_eq!(
            validate_margins(&demo(), std::slice::from_ref(&margin)),
            Ok(())
        );
        assert!((margin.targets[1].1 - 1.0 / 3.0).abs() < 1e-12);
        assert!(matches!(
            Margin::from_percentages("tenure", pct([0.0, 33.33, 33.33, 33.32])),
            Err(TargetError::PercentagesDoNotSumTo100 { .. })
        ));
        assert!(matches!(
            Margin::from_percentages("tenure", pct([-10.0, 40.0, 40.0, 30.0])),
            Err(TargetError::ShareOutOfRange { share, .. }) if share == -0.1
        ));
    }
}
