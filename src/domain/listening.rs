//! "What customers said": the pure rules behind the report's free-text answers. Search
//! and keyword suggestions compare text folded to plain lowercase ASCII words, contact
//! details are masked before any text is shown or exported, and the share of coded
//! answers carrying a code is computed per bond class with Wilson intervals (a base under
//! 30 is suppressed like every other figure).

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::report::CLASSES;
use super::scoring::BondClass;
use super::stats::{shown, Proportion};

/// Longest search string, in characters: a longer one is cut (bounded work per request).
pub const MAX_SEARCH_CHARS: usize = 100;

/// Answers shown per page of the listening section.
pub const PAGE_SIZE: usize = 25;

/// `text` as lowercase ASCII words separated by single spaces. Vietnamese letters lose
/// their tones and marks ("Môi trường" → "moi truong") through `deunicode`'s
/// transliteration tables (from Unidecode) rather than a hand-made table or plain NFD:
/// NFD followed by dropping marks would leave "đ" as it is (it has no decomposition), so
/// "do dac" would not find "đo đạc". Anything that is not a letter or digit separates
/// words, which is what makes word-boundary matching a plain substring test on the result.
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A search of free-text answers: the query folded like the answers, so it ignores case,
/// tones and marks ("moi truong" finds "Môi trường").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Search {
    /// The query as typed (cut to `MAX_SEARCH_CHARS`), to show back in the form.
    pub typed: String,
    folded: String,
}

impl Search {
    /// None for a query with no letter or digit (it would find everything).
    pub fn parse(query: &str) -> Option<Search> {
        let typed: String = query.trim().chars().take(MAX_SEARCH_CHARS).collect();
        let folded = fold(&typed);
        (!folded.is_empty()).then_some(Search { typed, folded })
    }

    /// Whether `text` contains the query (anywhere: "truong" also finds "truongs").
    pub fn matches(&self, text: &str) -> bool {
        fold(text).contains(&self.folded)
    }
}

/// A brand value's keywords (both languages), for suggesting codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueKeywords {
    pub value: String,
    pub keywords: Vec<String>,
}

/// The values whose keywords occur in `text` as whole words (a keyword of several words
/// as that phrase), ignoring case and marks: "sửa" suggests nothing for "sửa chữa" unless
/// "sua" itself is listed, and "repair" does not match "repairs" or "disrepair".
pub fn suggest<'a>(text: &str, values: &'a [ValueKeywords]) -> Vec<&'a str> {
    let padded = format!(" {} ", fold(text));
    values
        .iter()
        .filter(|v| {
            v.keywords.iter().any(|k| {
                let k = fold(k);
                !k.is_empty() && padded.contains(&format!(" {k} "))
            })
        })
        .map(|v| v.value.as_str())
        .collect()
}

/// Keywords as typed in one text field: separated by commas or new lines, blanks dropped,
/// each at most 60 characters, at most 50 of them (bounded work per answer).
pub fn parse_keywords(field: &str) -> Vec<String> {
    field
        .split([',', '\n', ';'])
        .map(|k| k.trim().chars().take(60).collect::<String>())
        .filter(|k| !fold(k).is_empty())
        .take(50)
        .collect()
}

/// What replaces an e-mail address in shown or exported text.
pub const EMAIL_MASK: &str = "•••@•••";
/// What replaces a phone number in shown or exported text.
pub const PHONE_MASK: &str = "••• ••• ••••";

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+").expect("the e-mail pattern is valid")
});

/// Vietnamese phone numbers: mobiles 03x/05x/07x/08x/09x (10 digits) and landlines 02x
/// (11 digits), written 0…, +84… or 0084… (an optional "(0)" after the country code), with
/// single spaces, dots or dashes anywhere between the digits. The number must not be part
/// of a longer run of digits (group 1 keeps the character before it).
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(^|[^\w+])(?:(?:\+|00)84[\s.\-]?(?:\(0\)[\s.\-]?)?|0)(?:[35789]|2[\s.\-]?\d)(?:[\s.\-]?\d){8}\b",
    )
    .expect("the phone pattern is valid")
});

/// `text` with e-mail addresses and phone numbers replaced by `EMAIL_MASK` / `PHONE_MASK`,
/// so that comments cannot be used to contact or identify the people who wrote them.
pub fn mask_contacts(text: &str) -> Cow<'_, str> {
    let emails = EMAIL.replace_all(text, EMAIL_MASK);
    match PHONE.replace_all(&emails, format!("${{1}}{PHONE_MASK}").as_str()) {
        Cow::Borrowed(_) => emails,
        Cow::Owned(masked) => Cow::Owned(masked),
    }
}

/// The share of coded answers carrying one code, in each bond class.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeShare {
    pub code: String,
    /// One share per class of `CLASSES`, in that order; a base under 30 is suppressed.
    pub by_class: Vec<(BondClass, Proportion)>,
}

/// Coded answers counted per bond class: how many were coded at all (the base) and how
/// many carry each code. An answer with several codes counts once for each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CodeCounts {
    pub coded: Vec<(BondClass, u64)>,
    pub with_code: Vec<(String, BondClass, u64)>,
}

/// Each code's share of coded answers by bond class (codes in `codes` order).
pub fn code_shares(counts: &CodeCounts, codes: &[String]) -> Vec<CodeShare> {
    let base = |class: BondClass| {
        counts
            .coded
            .iter()
            .filter(|(c, _)| *c == class)
            .map(|(_, n)| n)
            .sum::<u64>()
    };
    codes
        .iter()
        .map(|code| CodeShare {
            code: code.clone(),
            by_class: CLASSES
                .iter()
                .map(|&class| {
                    let x = counts
                        .with_code
                        .iter()
                        .filter(|(k, c, _)| k == code && *c == class)
                        .map(|(_, _, x)| x)
                        .sum::<u64>();
                    (class, Proportion::new(x, base(class)))
                })
                .collect(),
        })
        .collect()
}

/// How many times as often the first group's coded answers carry a code as the second's
/// ("values-only customers mention repair 3× as often as contact-only ones"): only when
/// both bases may be shown (n ≥ 30) and the second share is above 0, so that no sentence
/// rests on a suppressed base.
pub fn times_as_often(first: &Proportion, second: &Proportion) -> Option<f64> {
    if !shown(first.n) || !shown(second.n) {
        return None;
    }
    let (a, b) = (first.p?, second.p?);
    (b > 0.0).then(|| a / b)
}

/// A code: one of the brand's stated values (`value:<key>`) or a free theme
/// (`theme:<words>`, at most 60 characters).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    Value(String),
    Theme(String),
}

impl Code {
    /// Reads a stored or posted code; None if it is neither form or the theme is blank.
    pub fn parse(s: &str) -> Option<Code> {
        if let Some(key) = s.strip_prefix("value:") {
            let ok = !key.is_empty()
                && key.len() <= 64
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            return ok.then(|| Code::Value(key.to_string()));
        }
        let theme = s.strip_prefix("theme:")?.trim();
        let theme: String = theme.chars().take(60).collect();
        (!fold(&theme).is_empty()).then_some(Code::Theme(theme))
    }

    /// How the code is stored and posted.
    pub fn stored(&self) -> String {
        match self {
            Code::Value(k) => format!("value:{k}"),
            Code::Theme(t) => format!("theme:{t}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_tones_marks_and_the_stroke_of_d() {
        assert_eq!(fold("Môi trường"), "moi truong");
        assert_eq!(fold("ĐO ĐẠC, đường!"), "do dac duong");
        assert_eq!(fold("  Sửa   chữa—nhanh… "), "sua chua nhanh");
        assert_eq!(fold("ưu đãi Ơn"), "uu dai on");
        assert_eq!(fold("!!!"), "");
    }

    #[test]
    fn a_search_without_diacritics_finds_the_vietnamese_text() {
        let s = Search::parse("moi truong").unwrap();
        assert!(s.matches("Terra bảo vệ MÔI TRƯỜNG rất tốt"));
        assert!(!s.matches("Terra bảo vệ môi sinh"));
        let d = Search::parse("Đo đạc").unwrap();
        assert!(d.matches("do dac chinh xac"));
        assert!(Search::parse("  ?! ").is_none());
        let long = "a".repeat(500);
        assert_eq!(
            Search::parse(&long).unwrap().typed.chars().count(),
            MAX_SEARCH_CHARS
        );
    }

    fn values() -> Vec<ValueKeywords> {
        vec![
            ValueKeywords {
                value: "repair".into(),
                keywords: vec!["sửa chữa".into(), "repair".into()],
            },
            ValueKeywords {
                value: "environment".into(),
                keywords: vec!["môi trường".into(), "rác".into()],
            },
        ]
    }

    #[test]
    fn suggestions_match_whole_words_without_marks() {
        let v = values();
        assert_eq!(suggest("Họ SUA CHUA áo cho tôi", &v), vec!["repair"]);
        assert_eq!(suggest("free repair, thanks", &v), vec!["repair"]);
        // Not inside longer words.
        assert!(suggest("repairs and disrepair", &v).is_empty());
        assert!(suggest("racing", &v).is_empty(), "rác is not in racing");
        assert_eq!(
            suggest("bảo vệ môi-trường và sửa chữa", &v),
            vec!["repair", "environment"]
        );
        assert_eq!(
            parse_keywords("sửa chữa, repair\n ,;bảo hành"),
            vec!["sửa chữa", "repair", "bảo hành"]
        );
    }

    #[test]
    fn masking_hides_emails_and_vietnamese_phone_numbers() {
        let cases = [
            ("gọi 0912345678 nhé", "gọi ••• ••• •••• nhé"),
            ("0912 345 678", "••• ••• ••••"),
            ("091.234.5678", "••• ••• ••••"),
            ("091-234-5678", "••• ••• ••••"),
            ("+84 912 345 678", "••• ••• ••••"),
            ("+84912345678", "••• ••• ••••"),
            ("0084 (0) 98 765 4321", "••• ••• ••••"),
            ("số 0389999999, 0799999999", "số ••• ••• ••••, ••• ••• ••••"),
            ("bàn 024 3826 1234", "bàn ••• ••• ••••"),
            ("mail an.nguyen+vb@example.com.vn", "mail •••@•••"),
        ];
        for (text, masked) in cases {
            assert_eq!(mask_contacts(text), masked, "{text}");
        }
        // Not phone numbers: too short, too long, another prefix, part of a word or code.
        for text in [
            "012345678",
            "09123456789",
            "0112345678",
            "mã 20912345678",
            "SKU0912345678",
            "giá 1.234.567 đồng",
            "ngày 2026-11-30",
        ] {
            assert_eq!(mask_contacts(text), text, "{text}");
        }
        assert!(matches!(mask_contacts("không có gì"), Cow::Borrowed(_)));
    }

    #[test]
    fn code_shares_are_per_class_with_wilson_and_suppression() {
        let counts = CodeCounts {
            coded: vec![
                (BondClass::ValuesOnly, 40),
                (BondClass::ContactOnly, 50),
                (BondClass::Neither, 10),
            ],
            with_code: vec![
                ("value:repair".into(), BondClass::ValuesOnly, 30),
                ("value:repair".into(), BondClass::ContactOnly, 5),
                ("value:repair".into(), BondClass::Neither, 9),
            ],
        };
        let shares = code_shares(&counts, &["value:repair".into()]);
        let by = |class| {
            shares[0]
                .by_class
                .iter()
                .find(|(c, _)| *c == class)
                .unwrap()
                .1
        };
        let values = by(BondClass::ValuesOnly);
        assert_eq!((values.x, values.n), (30, 40));
        assert!((values.p.unwrap() - 0.75).abs() < 1e-12);
        let ci = values.ci.unwrap();
        // Wilson (95%) for 30 of 40, computed by hand.
        assert!((ci.lo - 0.598060).abs() < 1e-6 && (ci.hi - 0.858129).abs() < 1e-6);
        assert_eq!(by(BondClass::ContactOnly).x, 5);
        // 10 coded answers: suppressed, whatever their share.
        let small = by(BondClass::Neither);
        assert!(!crate::domain::stats::shown(small.n));
        assert_eq!(by(BondClass::Both).n, 0);
    }

    #[test]
    fn times_as_often_needs_two_shown_bases_and_a_second_share() {
        let p = |x: u64, n: u64| Proportion::new(x, n);
        let ratio = times_as_often(&p(30, 40), &p(10, 40)).unwrap();
        assert!((ratio - 3.0).abs() < 1e-12);
        assert_eq!(
            times_as_often(&p(30, 40), &p(1, 29)),
            None,
            "suppressed base"
        );
        assert_eq!(
            times_as_often(&p(3, 29), &p(10, 40)),
            None,
            "suppressed base"
        );
        assert_eq!(
            times_as_often(&p(30, 40), &p(0, 40)),
            None,
            "never mentioned"
        );
    }

    #[test]
    fn codes_are_a_value_key_or_a_non_blank_theme() {
        assert_eq!(
            Code::parse("value:repair"),
            Some(Code::Value("repair".into()))
        );
        assert_eq!(
            Code::parse("theme:  giao hàng chậm "),
            Some(Code::Theme("giao hàng chậm".into()))
        );
        for bad in ["value:", "value:a b", "theme: ?? ", "repair", ""] {
            assert_eq!(Code::parse(bad), None, "{bad}");
        }
        let c = Code::Theme("x".into());
        assert_eq!(Code::parse(&c.stored()), Some(c));
    }
}
