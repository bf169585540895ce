//! A count of respondents that may be weighted (`measurement.md`, "Weighting"): how many
//! respondents (suppression and flags use this), their total weight, and the sum of their
//! squared weights (for Kish's effective size n_eff = (Σw)² / Σw²). An unweighted count is
//! one where every weight is 1, so the total and the squares equal n: every figure built
//! from counts is then exactly the unweighted one, and one code path serves both.
//!
//! Stored rollups hold unweighted counts only and serialise a count as its n; weighted
//! counts exist in memory, while a report multiplies per-cell tallies by their weights.

use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Count {
    /// Respondents, unweighted.
    pub n: u64,
    /// Σw over them.
    pub total: f64,
    /// Σw² over them.
    pub squares: f64,
}

impl Count {
    /// `n` respondents of weight 1.
    pub fn of(n: u64) -> Count {
        Count {
            n,
            total: n as f64,
            squares: n as f64,
        }
    }

    /// `n` respondents of weight `weight` each.
    pub fn weighed(n: u64, weight: f64) -> Count {
        Count {
            n,
            total: n as f64 * weight,
            squares: n as f64 * weight * weight,
        }
    }

    /// These respondents counted again, each with weight `weight` times their own.
    pub fn times(self, weight: f64) -> Count {
        Count {
            n: self.n,
            total: self.total * weight,
            squares: self.squares * weight * weight,
        }
    }

    /// Whether any weight differs from 1. Σw = Σw² = n holds exactly when every weight is
    /// 1 (Σ(w − 1)² = Σw² − 2Σw + n), so an unweighted count is never taken for weighted.
    pub fn is_weighted(self) -> bool {
        let n = self.n as f64;
        self.total != n || self.squares != n
    }

    /// Kish's effective size (Σw)² / Σw²: n when unweighted; 0 without weight.
    pub fn n_eff(self) -> f64 {
        if self.squares > 0.0 {
            self.total * self.total / self.squares
        } else {
            0.0
        }
    }

    /// The share of `base` these respondents make up, by weight; None on an empty base.
    pub fn share_of(self, base: Count) -> Option<f64> {
        (base.total > 0.0).then(|| self.total / base.total)
    }

    /// These respondents as a count on the scale of `base`'s effective size: p · n_eff of
    /// the base. The tests of weighted figures run on such effective counts
    /// ("tests on weighted shares use n_eff"); unweighted, it is exactly n.
    pub fn effective_in(self, base: Count) -> f64 {
        if base.total > 0.0 {
            self.total * (base.n_eff() / base.total)
        } else {
            0.0
        }
    }

    /// `sign` = 1 adds one respondent of weight 1, −1 removes one (None below zero).
    pub(crate) fn bumped(self, sign: i64) -> Option<Count> {
        let n = self.n.checked_add_signed(sign)?;
        Some(Count {
            n,
            total: self.total + sign as f64,
            squares: self.squares + sign as f64,
        })
    }
}

impl From<u64> for Count {
    fn from(n: u64) -> Count {
        Count::of(n)
    }
}

impl Add for Count {
    type Output = Count;

    fn add(self, o: Count) -> Count {
        Count {
            n: self.n + o.n,
            total: self.total + o.total,
            squares: self.squares + o.squares,
        }
    }
}

/// Respondents of `self` who are not in `o` (a group's complement): `o` must be part of
/// `self`.
impl Sub for Count {
    type Output = Count;

    fn sub(self, o: Count) -> Count {
        debug_assert!(o.n <= self.n);
        Count {
            n: self.n - o.n,
            total: self.total - o.total,
            squares: self.squares - o.squares,
        }
    }
}

impl AddAssign for Count {
    fn add_assign(&mut self, o: Count) {
        *self = *self + o;
    }
}

impl Sum for Count {
    fn sum<I: Iterator<Item = Count>>(iter: I) -> Count {
        iter.fold(Count::default(), Add::add)
    }
}

impl<'a> Sum<&'a Count> for Count {
    fn sum<I: Iterator<Item = &'a Count>>(iter: I) -> Count {
        iter.copied().sum()
    }
}

/// Stored as its n: only unweighted counts are stored (rollups), and their JSON stays the
/// plain integers it always was.
impl Serialize for Count {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        debug_assert!(!self.is_weighted(), "a weighted count is never stored");
        serializer.serialize_u64(self.n)
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Count, D::Error> {
        u64::deserialize(deserializer).map(Count::of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unweighted_count_is_its_n_everywhere() {
        let c = Count::of(37);
        assert!(!c.is_weighted());
        assert_eq!(c.n_eff(), 37.0);
        assert_eq!(Count::of(5).effective_in(c), 5.0);
        assert_eq!(serde_json::to_string(&c).unwrap(), "37");
        assert_eq!(serde_json::from_str::<Count>("37").unwrap(), c);
        assert_eq!(c.bumped(-1), Some(Count::of(36)));
        assert_eq!(Count::of(0).bumped(-1), None);
    }

    #[test]
    fn weights_give_kish_effective_size() {
        // Two respondents of weight 1 and two of weight 3: Σw = 8, Σw² = 20, n_eff = 3.2.
        let c = Count::weighed(2, 1.0) + Count::weighed(2, 3.0);
        assert!(c.is_weighted());
        assert_eq!((c.n, c.total, c.squares), (4, 8.0, 20.0));
        assert!((c.n_eff() - 3.2).abs() < 1e-12);
        let part = Count::weighed(2, 3.0);
        assert_eq!(part.share_of(c), Some(0.75));
        assert!((part.effective_in(c) - 0.75 * 3.2).abs() < 1e-12);
        assert_eq!(Count::of(3).times(2.0), Count::weighed(3, 2.0));
    }
}
