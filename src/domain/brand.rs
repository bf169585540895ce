//! A brand's profile: its mission and the values it says it stands for.

use serde::{Deserialize, Serialize};

use super::LocalizedText;

/// The most stated values a brand may declare (`measurement.md`).
pub const MAX_STATED_VALUES: usize = 12;

/// A brand as authored by an admin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrandProfile {
    /// URL-safe identifier, unique per instance.
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub mission: LocalizedText,
    pub values: Vec<StatedValue>,
}

/// One value the brand claims (or, if `placebo`, one it never claimed: the guessing baseline).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatedValue {
    pub key: String,
    pub label: LocalizedText,
    #[serde(default)]
    pub description: LocalizedText,
    /// Declared importance b_v > 0; normalised over non-placebo values for scoring.
    pub weight: f64,
    #[serde(default)]
    pub placebo: bool,
}

impl BrandProfile {
    pub fn value(&self, key: &str) -> Option<&StatedValue> {
        self.values.iter().find(|v| v.key == key)
    }

    /// Weights of the non-placebo values, normalised to sum to 1.
    pub fn normalized_weights(&self) -> Vec<(&str, f64)> {
        let total: f64 = self
            .values
            .iter()
            .filter(|v| !v.placebo)
            .map(|v| v.weight)
            .sum();
        self.values
            .iter()
            .filter(|v| !v.placebo)
            .map(|v| {
                (
                    v.key.as_str(),
                    if total > 0.0 { v.weight / total } else { 0.0 },
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(key: &str, weight: f64, placebo: bool) -> StatedValue {
        StatedValue {
            key: key.into(),
            label: LocalizedText::new(key, key),
            description: LocalizedText::default(),
            weight,
            placebo,
        }
    }

    #[test]
    fn weights_are_normalised_over_non_placebo_values() {
        let brand = BrandProfile {
            slug: "b".into(),
            name: "B".into(),
            mission: LocalizedText::default(),
            values: vec![
                value("a", 3.0, false),
                value("b", 1.0, false),
                value("p", 5.0, true),
            ],
        };
        let w = brand.normalized_weights();
        assert_eq!(w, vec![("a", 0.75), ("b", 0.25)]);
    }
}
