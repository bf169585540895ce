//! The statistics the reports use, exactly as `measurement.md` specifies them.
//!
//! Pure functions over counts and ratings; no I/O and no allocation beyond what a
//! table needs. Every figure in `tests/data/stats_vectors.json` (computed with
//! SciPy/statsmodels) is reproduced by the unit tests below to 1e-4 or better.
//!
//! The distributions behind the tests (χ², binomial, Student's t, and the log binomial
//! coefficients of Fisher's test) come from `statrs`.

use serde::Serialize;
use statrs::distribution::{Binomial, ChiSquared, ContinuousCDF, DiscreteCDF, StudentsT};
use statrs::function::factorial::ln_binomial;

mod count;
mod figures;

pub use count::Count;
pub use figures::{
    nps, Mean, MeanFigures, Moments, Nps, NpsFigures, Proportion, ProportionFigures, Shown,
};

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Bases below this are suppressed ("too few responses"); see `measurement.md`.
pub const MIN_BASE: u64 = 30;
/// Bases below this are shown with a "low base" flag.
pub const LOW_BASE: u64 = 100;

/// How much a figure can be trusted given its base n.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// n < 30: the figure is not shown (and small groups cannot identify people).
    Suppressed,
    /// 30 ≤ n < 100: shown with a warning.
    Low,
    Ok,
}

impl Base {
    pub fn of(n: u64) -> Base {
        if n < MIN_BASE {
            Base::Suppressed
        } else if n < LOW_BASE {
            Base::Low
        } else {
            Base::Ok
        }
    }
}

/// A closed interval [lo, hi].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

/// Whether a figure on base `n` may be shown or exported (n ≥ 30); tests use it for
/// every base they rest on.
pub fn shown(n: u64) -> bool {
    Base::of(n) != Base::Suppressed
}

/// Wilson score interval for x successes in n trials (95%). None when n = 0.
pub fn wilson(x: u64, n: u64) -> Option<Interval> {
    if n == 0 {
        return None;
    }
    wilson_score(x as f64 / n as f64, n as f64)
}

/// Wilson's score interval (95%) for a share `p` on a size `n` that may be fractional: a
/// weighted share on Kish's n_eff (`weighting`), or x / n (`wilson`). None unless n > 0
/// and p is a share.
pub fn wilson_score(p: f64, n: f64) -> Option<Interval> {
    if n <= 0.0 || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At p = 0 and p = 1 (x = 0, x = n: exact in floating point) the score interval's end
    // is exactly 0 or 1; floating point would leave it a hair inside.
    Some(Interval {
        lo: if p == 0.0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        hi: if p == 1.0 {
            1.0
        } else {
            (centre + half).min(1.0)
        },
    })
}

/// A z statistic with its two-sided p value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ZTest {
    pub z: f64,
    pub p: f64,
}

impl ZTest {
    fn of(z: f64) -> ZTest {
        ZTest {
            z,
            p: normal_two_sided_p(z),
        }
    }
}

/// One-sample score test of x/n against a benchmark share p0 (0 < p0 < 1); weighted, of
/// the weighted share on n_eff.
pub fn score_test(x: impl Into<Count>, n: impl Into<Count>, p0: f64) -> Option<ZTest> {
    let n: Count = n.into();
    let p = x.into().share_of(n)?;
    if !(p0 > 0.0 && p0 < 1.0) {
        return None;
    }
    Some(ZTest::of((p - p0) / (p0 * (1.0 - p0) / n.n_eff()).sqrt()))
}

/// Difference of two independent proportions p1 − p2.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TwoProportions {
    pub diff: f64,
    /// Newcombe's hybrid score interval (method 10).
    pub ci: Interval,
    /// Pooled two-proportion z test; None when the pooled share is 0 or 1.
    pub test: Option<ZTest>,
}

/// Weighted shares are compared on their effective sizes (Wilson's intervals on n_eff, and
/// the pooled share of the effective counts).
pub fn two_proportions(
    (x1, n1): (Count, Count),
    (x2, n2): (Count, Count),
) -> Option<TwoProportions> {
    let (p1, p2) = (x1.share_of(n1)?, x2.share_of(n2)?);
    let (e1, e2) = (n1.n_eff(), n2.n_eff());
    let (w1, w2) = (wilson_score(p1, e1)?, wilson_score(p2, e2)?);
    let diff = p1 - p2;
    let ci = Interval {
        lo: diff - ((p1 - w1.lo).powi(2) + (w2.hi - p2).powi(2)).sqrt(),
        hi: diff + ((w1.hi - p1).powi(2) + (p2 - w2.lo).powi(2)).sqrt(),
    };
    let pooled = (x1.effective_in(n1) + x2.effective_in(n2)) / (e1 + e2);
    let se = (pooled * (1.0 - pooled) * (1.0 / e1 + 1.0 / e2)).sqrt();
    let test = (se > 0.0).then(|| ZTest::of(diff / se));
    Some(TwoProportions { diff, ci, test })
}

/// Paired comparison of two yes/no outcomes on the same respondents, e.g.
/// values-bonded vs contact-bonded. `b` = first only, `c` = second only.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct McNemar {
    pub diff: f64,
    /// Wald interval with SE = √((b+c) − (b−c)²/n)/n.
    pub ci: Interval,
    /// χ² without continuity correction; None when there are no discordant pairs.
    pub chi2: Option<f64>,
    pub p: f64,
    /// True when the p value is the exact binomial one (fewer than 25 discordant pairs).
    pub exact: bool,
}

/// Weighted: on the effective counts (the discordant weights scaled to n_eff), and never
/// the exact test (it needs whole counts).
pub fn mcnemar(b: impl Into<Count>, c: impl Into<Count>, n: impl Into<Count>) -> Option<McNemar> {
    let (b, c, n): (Count, Count, Count) = (b.into(), c.into(), n.into());
    if n.n == 0 || b.n + c.n > n.n {
        return None;
    }
    let (bf, cf, nf) = (b.effective_in(n), c.effective_in(n), n.n_eff());
    let diff = (bf - cf) / nf;
    let se = ((bf + cf) - (bf - cf).powi(2) / nf).max(0.0).sqrt() / nf;
    // A difference of two proportions lies in [−1, 1]; so does its interval.
    let ci = Interval {
        lo: (diff - Z95 * se).max(-1.0),
        hi: (diff + Z95 * se).min(1.0),
    };
    let discordant = b.n + c.n;
    let chi2 = (discordant > 0).then(|| (bf - cf).powi(2) / (bf + cf));
    let exact = discordant < 25 && ![b, c, n].iter().any(|k| k.is_weighted());
    let p = if exact {
        // Two-sided exact binomial test of b against Binomial(b+c, 1/2).
        (2.0 * binomial_cdf(b.n.min(c.n), discordant, 0.5)).min(1.0)
    } else {
        chi2_sf(chi2.unwrap_or(0.0), 1.0)
    };
    Some(McNemar {
        diff,
        ci,
        chi2,
        p,
        exact,
    })
}

/// Holm's step-down adjustment of a family of p values (order preserved).
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut adjusted = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * p[i]).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}

// ---------------------------------------------------------------------------
// Tables

/// χ² test of independence on an r×c table of counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChiSquare {
    pub chi2: f64,
    pub dof: u32,
    pub p: f64,
    /// The smallest expected cell count (below 5 the χ² approximation is poor).
    pub min_expected: f64,
}

/// None when the table has fewer than 2 non-empty rows or columns. A weighted table is
/// tested on effective counts: every cell scaled by the table's n_eff / Σw.
pub fn chi2_independence<C: Into<Count> + Copy>(table: &[Vec<C>]) -> Option<ChiSquare> {
    let table: Vec<Vec<Count>> = table
        .iter()
        .map(|r| r.iter().map(|&c| c.into()).collect())
        .collect();
    let everyone: Count = table.iter().flatten().sum();
    let effective: Vec<Vec<f64>> = table
        .iter()
        .filter(|r| r.iter().map(|c| c.n).sum::<u64>() > 0)
        .map(|r| r.iter().map(|c| c.effective_in(everyone)).collect())
        .collect();
    let cols = table.first().map_or(0, Vec::len);
    let col_sums: Vec<f64> = (0..cols)
        .map(|j| effective.iter().map(|r| r[j]).sum())
        .collect();
    let live_cols: Vec<usize> = (0..cols).filter(|&j| col_sums[j] > 0.0).collect();
    if effective.len() < 2 || live_cols.len() < 2 {
        return None;
    }
    let total: f64 = col_sums.iter().sum();
    let (mut chi2, mut min_expected) = (0.0, f64::INFINITY);
    for row in &effective {
        let row_sum: f64 = row.iter().sum();
        for &j in &live_cols {
            let expected = row_sum * col_sums[j] / total;
            min_expected = min_expected.min(expected);
            chi2 += (row[j] - expected).powi(2) / expected;
        }
    }
    let dof = ((effective.len() - 1) * (live_cols.len() - 1)) as u32;
    Some(ChiSquare {
        chi2,
        dof,
        p: chi2_sf(chi2, dof as f64),
        min_expected,
    })
}

/// Fisher's exact test, two-sided, for [[a, b], [c, d]]: the probability of every
/// table with the same margins that is no more likely than the observed one.
pub fn fisher_exact(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (row1, col1, n) = (a + b, a + c, a + b + c + d);
    let lo = col1.saturating_sub(n - row1);
    let hi = row1.min(col1);
    let log_p =
        |k: u64| ln_binomial(col1, k) + ln_binomial(n - col1, row1 - k) - ln_binomial(n, row1);
    let observed = log_p(a);
    // SciPy's relative tolerance, so tables equal in probability up to rounding count.
    let threshold = observed + (1.0 + 1e-7f64).ln();
    let p: f64 = (lo..=hi)
        .map(log_p)
        .filter(|&lp| lp <= threshold)
        .map(f64::exp)
        .sum();
    p.min(1.0)
}

/// Cochran–Armitage test for a linear trend in proportions across ordered groups;
/// weighted groups count with their effective sizes.
pub fn cochran_armitage<C: Into<Count> + Copy>(
    successes: &[C],
    totals: &[C],
    scores: &[f64],
) -> Option<ZTest> {
    let groups: Vec<(f64, f64)> = successes
        .iter()
        .zip(totals)
        .map(|(&x, &n)| {
            let n: Count = n.into();
            (x.into().effective_in(n), n.n_eff())
        })
        .collect();
    let n: f64 = groups.iter().map(|g| g.1).sum();
    if n == 0.0 {
        return None;
    }
    let p = groups.iter().map(|g| g.0).sum::<f64>() / n;
    let mut t = 0.0;
    let (mut s1, mut s2) = (0.0, 0.0);
    for (&(x, ni), &score) in groups.iter().zip(scores) {
        t += score * (x - ni * p);
        s1 += ni * score;
        s2 += ni * score * score;
    }
    let variance = p * (1.0 - p) * (s2 - s1 * s1 / n);
    (variance > 0.0).then(|| ZTest::of(t / variance.sqrt()))
}

/// Cronbach's α over complete cases: `rows` are respondents, each with one rating per
/// item. None with fewer than 2 items, 2 respondents, or zero total variance.
pub fn cronbach_alpha(rows: &[Vec<f64>]) -> Option<f64> {
    let k = rows.first()?.len();
    if k < 2 || rows.len() < 2 {
        return None;
    }
    let item_variance: f64 = (0..k)
        .map(|j| sample_variance(rows.iter().map(|r| r[j])))
        .sum();
    let total_variance = sample_variance(rows.iter().map(|r| r.iter().sum()));
    (total_variance > 0.0)
        .then(|| k as f64 / (k as f64 - 1.0) * (1.0 - item_variance / total_variance))
}

fn sample_variance(values: impl Iterator<Item = f64>) -> f64 {
    let m: Moments = values.collect();
    m.mean().sd.map_or(0.0, |sd| sd * sd)
}

// ---------------------------------------------------------------------------
// Distributions (statrs). Parameters statrs refuses (never passed here: degrees of
// freedom are positive, p is a probability) give NaN rather than a panic.

/// Two-sided p value of a standard normal statistic.
pub fn normal_two_sided_p(z: f64) -> f64 {
    if !z.is_finite() {
        return 0.0;
    }
    // P(|Z| ≥ |z|) = P(χ²₁ ≥ z²).
    chi2_sf(z * z, 1.0)
}

/// Survival function of χ² with `dof` degrees of freedom.
pub fn chi2_sf(x: f64, dof: f64) -> f64 {
    ChiSquared::new(dof).map_or(f64::NAN, |d| d.sf(x))
}

/// P(X ≤ k) for X ~ Binomial(n, p).
pub fn binomial_cdf(k: u64, n: u64, p: f64) -> f64 {
    Binomial::new(p, n).map_or(f64::NAN, |d| d.cdf(k))
}

/// The 97.5% quantile of Student's t with `dof` degrees of freedom.
pub fn t_quantile_975(dof: f64) -> f64 {
    let Ok(t) = StudentsT::new(0.0, 1.0, dof) else {
        return f64::NAN;
    };
    // Bisection on statrs' CDF (monotone; 100 halvings reach machine precision).
    // `StudentsT::inverse_cdf` would be shorter, but it loses digits from about
    // 1e5 degrees of freedom on and does not return at all from about 2e7.
    let (mut lo, mut hi) = (0.0, 1000.0);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if t.cdf(mid) < 0.975 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn vectors() -> Value {
        serde_json::from_str(include_str!("../../../tests/data/stats_vectors.json")).unwrap()
    }

    fn f(v: &Value) -> f64 {
        v.as_f64().unwrap()
    }

    fn u(v: &Value) -> u64 {
        v.as_u64().unwrap()
    }

    #[track_caller]
    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() <= 1e-4 * expected.abs().max(1.0),
            "{actual} != {expected}"
        );
    }

    #[test]
    fn wilson_intervals_match_the_reference() {
        for case in vectors()["wilson_95"].as_array().unwrap() {
            let ci = wilson(u(&case["x"]), u(&case["n"])).unwrap();
            close(ci.lo, f(&case["ci"][0]));
            close(ci.hi, f(&case["ci"][1]));
        }
        assert_eq!(wilson(0, 0), None);
    }

    #[track_caller]
    fn close6(actual: f64, expected: f64) {
        assert!((actual - expected).abs() <= 1e-6, "{actual} != {expected}");
    }

    #[test]
    fn wilson_ends_are_exactly_0_and_1_at_the_edges() {
        for case in vectors()["v2"]["wilson_edges"].as_array().unwrap() {
            let (x, n) = (u(&case["x"]), u(&case["n"]));
            let ci = wilson(x, n).unwrap();
            close6(ci.lo, f(&case["ci"][0]));
            close6(ci.hi, f(&case["ci"][1]));
            if x == n {
                assert_eq!(ci.hi, 1.0);
            }
            if x == 0 {
                assert_eq!(ci.lo, 0.0);
            }
        }
    }

    #[test]
    fn a_paired_difference_matches_the_reference_and_stays_within_minus_1_and_1() {
        for case in vectors()["v2"]["net_perception_paired"].as_array().unwrap() {
            let m = mcnemar(u(&case["b"]), u(&case["c"]), u(&case["n"])).unwrap();
            close6(m.diff, f(&case["diff"]));
            close6(m.ci.lo, f(&case["ci"][0]));
            close6(m.ci.hi, f(&case["ci"][1]));
            assert!(m.ci.lo >= -1.0 && m.ci.hi <= 1.0);
            assert_eq!(m.exact, case["exact"].as_bool().unwrap());
            match case["chi2"].as_f64() {
                Some(chi2) if !m.exact => close6(m.chi2.unwrap(), chi2),
                _ => {}
            }
            assert!((m.p - f(&case["p"])).abs() <= 1e-6 * f(&case["p"]).max(1e-3));
        }
    }

    #[test]
    fn two_proportions_match_the_reference() {
        for case in vectors()["two_proportions"].as_array().unwrap() {
            let count = |k: &str| Count::of(u(&case[k]));
            let r =
                two_proportions((count("x1"), count("n1")), (count("x2"), count("n2"))).unwrap();
            close(r.diff, f(&case["diff"]));
            close(r.ci.lo, f(&case["newcombe_ci"][0]));
            close(r.ci.hi, f(&case["newcombe_ci"][1]));
            let test = r.test.unwrap();
            close(test.z, f(&case["pooled_z"]));
            close(test.p, f(&case["p_two_sided"]));
            close(test.z * test.z, f(&case["chi2_uncorrected"]));
        }
    }

    #[test]
    fn the_benchmark_score_test_matches_the_reference() {
        for case in vectors()["one_sample_vs_benchmark"].as_array().unwrap() {
            let t = score_test(u(&case["x"]), u(&case["n"]), f(&case["p0"])).unwrap();
            close(t.z, f(&case["z"]));
            close(t.p, f(&case["p_two_sided"]));
        }
        assert_eq!(score_test(0, 0, 0.23), None);
        assert_eq!(score_test(5, 10, 0.0), None);
    }

    #[test]
    fn chi_square_matches_the_reference() {
        let v = &vectors()["chi2_rxc"];
        let table: Vec<Vec<u64>> = v["table"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_array().unwrap().iter().map(u).collect())
            .collect();
        let r = chi2_independence(&table).unwrap();
        close(r.chi2, f(&v["chi2"]));
        assert_eq!(r.dof as u64, u(&v["dof"]));
        assert!((r.p - f(&v["p"])).abs() < 1e-12, "{}", r.p);
        // Empty rows and columns drop out instead of dividing by zero.
        let sparse = vec![vec![5, 0, 5], vec![0, 0, 0], vec![5, 0, 10]];
        assert_eq!(chi2_independence(&sparse).unwrap().dof, 1);
        assert_eq!(chi2_independence(&[vec![3, 4]]), None);
        assert_eq!(chi2_independence::<u64>(&[]), None);
    }

    #[test]
    fn fisher_matches_the_reference() {
        let v = &vectors()["fisher_2x2"];
        let t = &v["table"];
        let p = fisher_exact(u(&t[0][0]), u(&t[0][1]), u(&t[1][0]), u(&t[1][1]));
        close(p, f(&v["p_two_sided"]));
        // A perfectly balanced table is as likely as can be.
        close(fisher_exact(2, 2, 2, 2), 1.0);
        // Extreme table: 1 / C(10, 5).
        close(fisher_exact(5, 0, 0, 5), 2.0 / 252.0);
    }

    #[test]
    fn mcnemar_matches_the_reference() {
        let v = &vectors()["mcnemar"];
        let r = mcnemar(u(&v["values_only"]), u(&v["contact_only"]), u(&v["n"])).unwrap();
        close(r.diff, f(&v["diff"]));
        close(r.chi2.unwrap(), f(&v["chi2"]));
        assert!((r.p - f(&v["p"])).abs() < 1e-18, "{}", r.p);
        close(r.ci.lo, f(&v["wald_ci"][0]));
        close(r.ci.hi, f(&v["wald_ci"][1]));
        assert!(!r.exact);
    }

    #[test]
    fn mcnemar_is_exact_for_few_discordant_pairs() {
        // 7 vs 1 discordant: two-sided exact binomial p = 2 · 9/256.
        let r = mcnemar(7, 1, 50).unwrap();
        assert!(r.exact);
        close(r.p, 18.0 / 256.0);
        // No discordant pairs: no difference, p = 1.
        let r = mcnemar(0, 0, 40).unwrap();
        assert_eq!((r.diff, r.chi2, r.p), (0.0, None, 1.0));
        assert_eq!(mcnemar(0, 0, 0), None);
    }

    #[test]
    fn cochran_armitage_matches_the_reference() {
        let v = &vectors()["cochran_armitage"];
        let list = |k: &str| -> Vec<u64> { v[k].as_array().unwrap().iter().map(u).collect() };
        let scores: Vec<f64> = list("scores").into_iter().map(|s| s as f64).collect();
        let t = cochran_armitage(&list("successes"), &list("totals"), &scores).unwrap();
        close(t.z, f(&v["z"]));
        close(t.p, f(&v["p_two_sided"]));
        // All successes (p = 1) or a single level: no trend can be tested.
        assert_eq!(cochran_armitage(&[5, 5], &[5, 5], &[0.0, 1.0]), None);
        assert_eq!(cochran_armitage(&[2], &[5], &[3.0]), None);
        assert_eq!(cochran_armitage::<u64>(&[], &[], &[]), None);
    }

    #[test]
    fn nps_matches_the_reference() {
        let v = &vectors()["nps"];
        let r = nps(u(&v["promoters"]), u(&v["detractors"]), u(&v["n"]));
        close(r.score.unwrap(), f(&v["nps"]));
        close(r.se.unwrap(), f(&v["se"]));
        close(r.ci.unwrap().lo, f(&v["ci95"][0]));
        close(r.ci.unwrap().hi, f(&v["ci95"][1]));
        let empty = nps(0, 0, 0);
        assert_eq!(
            (empty.score, empty.ci, empty.base),
            (None, None, Base::Suppressed)
        );
        // Everyone a promoter: 100 with a zero-width interval that stays in range.
        assert_eq!(nps(40, 0, 40).ci.unwrap().hi, 100.0);
    }

    #[test]
    fn cronbach_alpha_matches_the_reference() {
        let v = &vectors()["cronbach_alpha"];
        let rows: Vec<Vec<f64>> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_array().unwrap().iter().map(f).collect())
            .collect();
        close(cronbach_alpha(&rows).unwrap(), f(&v["alpha"]));
        assert_eq!(cronbach_alpha(&[]), None);
        assert_eq!(cronbach_alpha(&[vec![3.0, 4.0]]), None);
        assert_eq!(cronbach_alpha(&[vec![4.0, 4.0], vec![4.0, 4.0]]), None);
    }

    #[test]
    fn holm_matches_the_reference() {
        let v = &vectors()["holm"];
        let p: Vec<f64> = v["p"].as_array().unwrap().iter().map(f).collect();
        let adjusted = holm(&p);
        for (i, expected) in v["adjusted"].as_array().unwrap().iter().enumerate() {
            close(adjusted[i], f(expected));
            assert_eq!(
                adjusted[i] <= 0.05,
                v["reject_at_0.05"][i].as_bool().unwrap()
            );
        }
        assert!(holm(&[]).is_empty());
        assert_eq!(holm(&[0.6, 0.9]), vec![1.0, 1.0]);
    }

    #[test]
    fn means_carry_a_t_interval() {
        // Known: t(0.975, 9) = 2.262157, t(0.975, 1) = 12.706205.
        close(t_quantile_975(9.0), 2.262157);
        close(t_quantile_975(1.0), 12.706205);
        close(t_quantile_975(1e6), Z95);
        // Where statrs' own inverse would never return.
        close(t_quantile_975(1e8), Z95);
        let m: Moments = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
            .into_iter()
            .collect();
        let mean = m.mean();
        close(mean.mean.unwrap(), 5.0);
        close(mean.sd.unwrap(), 2.138090);
        let half = 2.364624 * 2.138090 / 8f64.sqrt();
        close(mean.ci.unwrap().lo, 5.0 - half);
        assert_eq!(mean.base, Base::Suppressed);
        let single: Moments = [3.0].into_iter().collect();
        assert_eq!((single.mean().mean, single.mean().ci), (Some(3.0), None));
        assert_eq!(Moments::default().mean().mean, None);
    }

    #[test]
    fn moments_merge_like_one_pass() {
        let all: Moments = (1..=10).map(f64::from).collect();
        let mut a: Moments = (1..=4).map(f64::from).collect();
        a.merge(&(5..=10).map(f64::from).collect());
        assert_eq!(a, all);
    }

    #[test]
    fn bases_follow_the_small_base_rules() {
        assert_eq!(Base::of(0), Base::Suppressed);
        assert_eq!(Base::of(29), Base::Suppressed);
        assert_eq!(Base::of(30), Base::Low);
        assert_eq!(Base::of(99), Base::Low);
        assert_eq!(Base::of(100), Base::Ok);
        let p = Proportion::new(0, 0);
        assert_eq!((p.p, p.ci), (None, None));
        let all = Proportion::new(50, 50);
        assert_eq!(all.ci.unwrap().hi, 1.0);
    }

    #[test]
    fn distributions_agree_with_known_values() {
        close(normal_two_sided_p(Z95), 0.05);
        close(normal_two_sided_p(0.0), 1.0);
        close(chi2_sf(3.841459, 1.0), 0.05);
        close(chi2_sf(9.487729, 4.0), 0.05);
        close(binomial_cdf(3, 10, 0.5), 176.0 / 1024.0);
    }
}
