//! The two languages ValueBond speaks, and text authored in both.

use serde::{Deserialize, Serialize};

/// A UI and survey language. Vietnamese is the default: the product's first market.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Vi,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Vi, Locale::En];

    /// The BCP 47 tag, as used in `lang` attributes and cookies.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    /// The language's own name, shown in the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Vi => "Tiếng Việt",
            Locale::En => "English",
        }
    }

    /// Parses "vi", "en", "vi-VN", "en-US"...; anything else is `None`.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "vi" => Some(Locale::Vi),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Picks the preferred supported language from an `Accept-Language` header,
    /// honouring q-values; `None` when it names neither language.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(locale) = pieces.next().and_then(Locale::parse) else {
                continue;
            };
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l)
    }
}

/// A piece of text authored in both languages (survey text is data, not UI strings).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    #[serde(default)]
    pub vi: String,
    #[serde(default)]
    pub en: String,
}

impl LocalizedText {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Vi => &self.vi,
            Locale::En => &self.en,
        }
    }

    /// The languages whose text is missing (empty after trimming).
    pub fn missing(&self) -> Vec<Locale> {
        Locale::ALL
            .into_iter()
            .filter(|l| self.get(*l).trim().is_empty())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.vi.trim().is_empty() && self.en.trim().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_highest_quality_supported_language() {
        assert_eq!(
            Locale::from_accept_language("en-US,en;q=0.9,vi;q=0.8"),
            Some(Locale::En)
        );
        assert_eq!(
            Locale::from_accept_language("fr-FR, vi;q=0.5, en;q=0.4"),
            Some(Locale::Vi)
        );
        assert_eq!(Locale::from_accept_language("vi-VN"), Some(Locale::Vi));
        assert_eq!(Locale::from_accept_language("fr, de"), None);
        assert_eq!(
            Locale::from_accept_language("en;q=0, vi;q=0.1"),
            Some(Locale::Vi)
        );
        assert_eq!(Locale::from_accept_language(""), None);
    }
}
