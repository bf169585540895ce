//! The figures a report shows (a share, a mean, an NPS), each with its base and 95%
//! interval, built from counts that may be weighted (`Count`): a weighted figure is the
//! weighted estimate with its interval on Kish's n_eff; suppression and the low-base flag
//! use the unweighted n. Unweighted counts give exactly the unweighted figures.

use serde::Serialize;

use super::{t_quantile_975, wilson_score, Base, Count, Interval, Z95};

/// A figure as exported: the figure itself, or only its base n when that is under 30.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Shown<F> {
    Figure(F),
    Suppressed { n: u64, base: Base },
}

impl<F> Shown<F> {
    fn of(n: u64, figure: F) -> Shown<F> {
        match Base::of(n) {
            Base::Suppressed => Shown::Suppressed {
                n,
                base: Base::Suppressed,
            },
            _ => Shown::Figure(figure),
        }
    }
}

/// The effective size to export: only for a weighted figure.
fn effective(n: Count) -> Option<f64> {
    n.is_weighted().then(|| n.n_eff())
}

// ---------------------------------------------------------------------------
// Proportions

/// A share x/n with its Wilson score interval (weighted: Σw·y / Σw with Wilson's interval
/// on n_eff). Under a base of 30 it serialises as its base alone
/// (`{"n": …, "base": "suppressed"}`): suppression is total, so no export carries a count,
/// share or interval of a small group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(into = "Shown<ProportionFigures>")]
pub struct Proportion {
    /// Respondents, unweighted.
    pub x: u64,
    pub n: u64,
    /// None when n = 0.
    pub p: Option<f64>,
    pub ci: Option<Interval>,
    pub base: Base,
    /// Kish's effective size of the base, when the figure is weighted.
    pub n_eff: Option<f64>,
    /// The counts the share was made of, weighted when the report is: the tests comparing
    /// shares use them (on effective counts).
    pub counts: [Count; 2],
}

impl Proportion {
    pub fn new(x: impl Into<Count>, n: impl Into<Count>) -> Proportion {
        let (x, n): (Count, Count) = (x.into(), n.into());
        debug_assert!(x.n <= n.n);
        let p = x.share_of(n);
        Proportion {
            x: x.n,
            n: n.n,
            p,
            ci: p.and_then(|p| wilson_score(p, n.n_eff())),
            base: Base::of(n.n),
            n_eff: effective(n),
            counts: [x, n],
        }
    }
}

#[derive(Serialize)]
pub struct ProportionFigures {
    x: u64,
    n: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    n_eff: Option<f64>,
    p: Option<f64>,
    ci: Option<Interval>,
    base: Base,
}

impl From<Proportion> for Shown<ProportionFigures> {
    fn from(p: Proportion) -> Self {
        Shown::of(
            p.n,
            ProportionFigures {
                x: p.x,
                n: p.n,
                n_eff: p.n_eff,
                p: p.p,
                ci: p.ci,
                base: p.base,
            },
        )
    }
}

// ---------------------------------------------------------------------------
// Means

/// A mean with its t interval (95%); exported as its base alone under n = 30. Weighted:
/// Σw·y / Σw, its sd with n replaced by n_eff and the t interval on n_eff − 1 degrees of
/// freedom.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(into = "Shown<MeanFigures>")]
pub struct Mean {
    pub n: u64,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub ci: Option<Interval>,
    pub base: Base,
    /// Kish's effective size, when the mean is weighted.
    pub n_eff: Option<f64>,
}

/// Running sums, so a mean can be built from rollups without keeping the values: the
/// respondents, Σw·y and Σw·y² (weights 1 unless weighted).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    pub n: Count,
    pub sum: f64,
    pub sum_sq: f64,
}

impl Moments {
    pub fn push(&mut self, x: f64) {
        self.n += Count::of(1);
        self.sum += x;
        self.sum_sq += x * x;
    }

    pub fn merge(&mut self, other: &Moments) {
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    /// The same respondents, each with `weight` times their weight.
    pub fn times(&self, weight: f64) -> Moments {
        Moments {
            n: self.n.times(weight),
            sum: self.sum * weight,
            sum_sq: self.sum_sq * weight,
        }
    }

    /// The mean with its sd and t interval. The sd is s² = Σw(y − ȳ)² / (Σw − Σw/n_eff),
    /// which is the usual (n − 1) formula when unweighted and, weighted, the weighted
    /// variance times n_eff / (n_eff − 1); the interval is ȳ ± t(n_eff − 1) · s / √n_eff.
    pub fn mean(&self) -> Mean {
        let (total, n_eff) = (self.n.total, self.n.n_eff());
        let mean = (total > 0.0).then(|| self.sum / total);
        let sd = (n_eff > 1.0).then(|| {
            ((self.sum_sq - self.sum * self.sum / total) / (total - total / n_eff))
                .max(0.0)
                .sqrt()
        });
        let ci = match (mean, sd) {
            (Some(m), Some(s)) => {
                let half = t_quantile_975(n_eff - 1.0) * s / n_eff.sqrt();
                Some(Interval {
                    lo: m - half,
                    hi: m + half,
                })
            }
            _ => None,
        };
        Mean {
            n: self.n.n,
            mean,
            sd,
            ci,
            base: Base::of(self.n.n),
            n_eff: effective(self.n),
        }
    }
}

impl FromIterator<f64> for Moments {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut m = Moments::default();
        iter.into_iter().for_each(|x| m.push(x));
        m
    }
}

#[derive(Serialize)]
pub struct MeanFigures {
    n: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    n_eff: Option<f64>,
    mean: Option<f64>,
    sd: Option<f64>,
    ci: Option<Interval>,
    base: Base,
}

impl From<Mean> for Shown<MeanFigures> {
    fn from(m: Mean) -> Self {
        Shown::of(
            m.n,
            MeanFigures {
                n: m.n,
                n_eff: m.n_eff,
                mean: m.mean,
                sd: m.sd,
                ci: m.ci,
                base: m.base,
            },
        )
    }
}

// ---------------------------------------------------------------------------
// Net Promoter Score

/// Net Promoter Score (−100..100) with its interval; exported as its base alone under
/// n = 30.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(into = "Shown<NpsFigures>")]
pub struct Nps {
    pub n: u64,
    pub promoters: u64,
    pub detractors: u64,
    pub score: Option<f64>,
    pub se: Option<f64>,
    pub ci: Option<Interval>,
    pub base: Base,
    /// Kish's effective size, when the score is weighted.
    pub n_eff: Option<f64>,
}

#[derive(Serialize)]
pub struct NpsFigures {
    n: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    n_eff: Option<f64>,
    promoters: u64,
    detractors: u64,
    score: Option<f64>,
    se: Option<f64>,
    ci: Option<Interval>,
    base: Base,
}

impl From<Nps> for Shown<NpsFigures> {
    fn from(v: Nps) -> Self {
        Shown::of(
            v.n,
            NpsFigures {
                n: v.n,
                n_eff: v.n_eff,
                promoters: v.promoters,
                detractors: v.detractors,
                score: v.score,
                se: v.se,
                ci: v.ci,
                base: v.base,
            },
        )
    }
}

/// NPS = 100 · (share of promoters − share of detractors), with the multinomial SE on n
/// (n_eff when weighted).
pub fn nps(promoters: impl Into<Count>, detractors: impl Into<Count>, n: impl Into<Count>) -> Nps {
    let (promoters, detractors, n): (Count, Count, Count) =
        (promoters.into(), detractors.into(), n.into());
    let (score, se) = match promoters.share_of(n).zip(detractors.share_of(n)) {
        None => (None, None),
        Some((pp, pd)) => {
            let se = 100.0 * ((pp + pd - (pp - pd).powi(2)) / n.n_eff()).sqrt();
            (Some(100.0 * (pp - pd)), Some(se))
        }
    };
    let ci = score.zip(se).map(|(s, se)| Interval {
        lo: (s - Z95 * se).max(-100.0),
        hi: (s + Z95 * se).min(100.0),
    });
    Nps {
        n: n.n,
        promoters: promoters.n,
        detractors: detractors.n,
        score,
        se,
        ci,
        base: Base::of(n.n),
        n_eff: effective(n),
    }
}
