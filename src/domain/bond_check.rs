//! The "Brand Bond Check": every question of the measurement model, written from a brand
//! profile, so an admin can start from a complete survey that the checker passes and then
//! edit it. Wording follows the demo surveys; keys follow the names the demo surveys use.

use std::collections::HashSet;

use super::survey::{is_key, ChoiceOption, DEFAULT_BOND_THRESHOLD, RELATIONSHIP_REASONS};
use super::{
    BrandProfile, Construct, LocalizedText, Page, Question, QuestionKind, ShowIf, StatedValue,
    SurveyDefinition,
};

/// Most questions on one page: a 1–7 scale with "don't know" fills a phone screen, so more
/// than this means long scrolling and more drop-off.
pub const MAX_QUESTIONS_PER_PAGE: usize = 6;

/// Question keys are at most 40 characters; `imp_` / `per_` take 4 of them.
const VALUE_STEM_MAX: usize = 36;

/// Rough pace used for the intro's time estimate (the demo's 26 questions ≈ 5 minutes).
const QUESTIONS_PER_MINUTE: usize = 5;

const RELATIONSHIP_KEY: &str = "relationship";

/// The block's pages, in the order respondents see them: relationship and tenure first
/// (before anything names values or contact, and without presupposing a tie), the reason
/// (shown only to "yes"), the value-congruence block, the contact-bond block, importance of
/// every stated value, then perception of every stated value (asked apart so one rating
/// does not anchor the other), contact frequency with voice, and outcomes last.
///
/// The two bond blocks are parallel: each has the same three statement forms ("… make me
/// feel connected to it", "… make me feel close to it", and one reverse-keyed "… mean
/// little to me"), so neither scale is easier to agree with than the other.
pub fn bond_check_pages(brand: &BrandProfile) -> Vec<Page> {
    let b = brand.name.trim();
    let stems = value_key_stems(brand);
    let mut pages = relationship_pages(b);
    pages.push(value_bond_page(b));
    pages.push(contact_bond_page(b));
    pages.extend(importance_pages(brand, &stems));
    pages.extend(perception_pages(brand, &stems));
    pages.push(contact_page(b));
    pages.push(story_page(b));
    pages
}

/// Whether the respondent has a relationship with the brand, for how long, and why.
fn relationship_pages(b: &str) -> Vec<Page> {
    vec![
        page(
            text(format!("Bạn và {b}"), format!("You and {b}")),
            vec![relationship_question(b), tenure_question(b)],
        ),
        page(
            text(
                format!("Mối quan hệ của bạn với {b}"),
                format!("Your relationship with {b}"),
            ),
            vec![reason_question(b)],
        ),
    ]
}

/// The value bond block (V).
fn value_bond_page(b: &str) -> Page {
    page(
        text(
            format!("Về những điều {b} theo đuổi"),
            format!("About what {b} stands for"),
        ),
        vec![
            measure(
                "vc_connected",
                Construct::ValueCongruence,
                format!("Giá trị của {b} khiến tôi thấy gắn bó với thương hiệu này."),
                format!("{b}'s values make me feel connected to it."),
            ),
            measure(
                "vc_close",
                Construct::ValueCongruence,
                format!("Những điều {b} theo đuổi khiến tôi thấy gần gũi với thương hiệu này."),
                format!("What {b} stands for makes me feel close to it."),
            ),
            reversed(measure(
                "vc_mean_little",
                Construct::ValueCongruence,
                format!("Giá trị của {b} không có nhiều ý nghĩa với tôi."),
                format!("{b}'s values mean little to me."),
            )),
        ],
    )
}

/// The contact bond block (C), parallel to the value block.
fn contact_bond_page(b: &str) -> Page {
    page(
        text(
            format!("Về tin nhắn và ưu đãi từ {b}"),
            format!("About messages and offers from {b}"),
        ),
        vec![
            measure(
                "cb_connected",
                Construct::ContactBond,
                format!(
                    "Tin nhắn và ưu đãi tôi nhận từ {b} khiến tôi thấy gắn bó với thương hiệu này."
                ),
                format!("The messages and offers I get from {b} make me feel connected to it."),
            ),
            measure(
                "cb_close",
                Construct::ContactBond,
                format!(
                    "Những lần {b} liên lạc với tôi khiến tôi thấy gần gũi với thương hiệu này."
                ),
                format!("Hearing from {b} makes me feel close to it."),
            ),
            reversed(measure(
                "cb_mean_little",
                Construct::ContactBond,
                format!("Tin nhắn và ưu đãi của {b} không có nhiều ý nghĩa với tôi."),
                format!("{b}'s messages and offers mean little to me."),
            )),
        ],
    )
}

/// How important each stated value is to the respondent.
fn importance_pages(brand: &BrandProfile, stems: &[String]) -> Vec<Page> {
    let importance = brand
        .values
        .iter()
        .zip(stems)
        .map(|(v, stem)| {
            let (vi, en) = label_of(v);
            value_question(
                format!("imp_{stem}"),
                Construct::ValueImportance,
                v,
                format!("Đối với bạn, “{vi}” quan trọng đến mức nào?"),
                format!("How important is “{en}” to you personally?"),
            )
        })
        .collect();
    split_into_pages(
        importance,
        text(
            "Điều gì quan trọng với bạn".into(),
            "What matters to you".into(),
        ),
    )
}

/// How well the brand lives up to each stated value (the placebo among them).
fn perception_pages(brand: &BrandProfile, stems: &[String]) -> Vec<Page> {
    let b = brand.name.trim();
    let perception = brand
        .values
        .iter()
        .zip(stems)
        .map(|(v, stem)| {
            let (vi, en) = label_of(v);
            value_question(
                format!("per_{stem}"),
                Construct::ValuePerception,
                v,
                format!("{b} thể hiện “{vi}” tốt đến mức nào?"),
                format!("How well does {b} live up to “{en}”?"),
            )
        })
        .collect();
    // The title must not say "its values": the placebo value is among them.
    split_into_pages(
        perception,
        text(
            format!("Bạn nhìn nhận {b} thế nào"),
            format!("How you see {b}"),
        ),
    )
}

/// How often the brand contacts them, how often they would like it, and being heard.
fn contact_page(b: &str) -> Page {
    page(
        text("Liên lạc và góp ý".into(), "Staying in touch and feedback".into()),
        vec![
            measure(
                "contact_actual",
                Construct::ContactActual,
                format!(
                    "{b} liên lạc với bạn thường xuyên đến mức nào (email, SMS, tin nhắn trong ứng dụng, cuộc gọi)?"
                ),
                format!("How often does {b} contact you (email, SMS, app messages, calls)?"),
            ),
            measure(
                "contact_preferred",
                Construct::ContactPreferred,
                format!(
                    "Bạn muốn {b} liên lạc với bạn thường xuyên đến mức nào (email, SMS, tin nhắn trong ứng dụng, cuộc gọi)?"
                ),
                format!(
                    "How often would you like {b} to contact you (email, SMS, app messages, calls)?"
                ),
            ),
            measure(
                "voice_listens",
                Construct::VoiceHeard,
                format!("{b} lắng nghe khi tôi góp ý."),
                format!("{b} listens when I give feedback."),
            ),
        ],
    )
}

/// Recommending the brand and recalling what it stands for.
fn story_page(b: &str) -> Page {
    page(
        text(
            "Giới thiệu và câu chuyện thương hiệu".into(),
            "Recommending and the story".into(),
        ),
        vec![
            measure(
                "nps",
                Construct::Nps,
                format!("Trên thang điểm từ 0 đến 10, khả năng bạn giới thiệu {b} cho bạn bè hoặc đồng nghiệp là bao nhiêu?"),
                format!("How likely are you to recommend {b} to a friend or colleague?"),
            ),
            measure(
                "advocacy",
                Construct::Advocacy,
                format!("Trong 12 tháng qua, bạn có giới thiệu {b} cho ai không?"),
                format!("In the last 12 months, have you recommended {b} to anyone?"),
            ),
            measure(
                "story_recall",
                Construct::StoryRecall,
                format!("Bạn có biết {b} đại diện cho điều gì không?"),
                format!("Could you say what {b} stands for?"),
            ),
            story_text_question(b),
        ],
    )
}

/// A complete survey definition around the Bond Check pages: the brand as given, an intro
/// in both languages with a time estimate, and the default bond threshold.
pub fn bond_check_survey(
    brand: &BrandProfile,
    slug: &str,
    title: LocalizedText,
) -> SurveyDefinition {
    let pages = bond_check_pages(brand);
    let questions: usize = pages.iter().map(|p| p.questions.len()).sum();
    let minutes = ((questions + QUESTIONS_PER_MINUTE / 2) / QUESTIONS_PER_MINUTE).max(2);
    let b = brand.name.trim();
    SurveyDefinition {
        slug: slug.into(),
        brand: brand.clone(),
        title,
        intro: text(
            format!(
                "Khảo sát ngắn (khoảng {minutes} phút) về cách bạn nhìn nhận {b}. Không có câu trả lời đúng hay sai."
            ),
            format!(
                "A short survey (about {minutes} minutes) about how you see {b}. There are no right or wrong answers."
            ),
        ),
        bond_threshold: DEFAULT_BOND_THRESHOLD,
        time_zone: crate::domain::zone::DEFAULT_ZONE.into(),
        pages,
    }
}

fn relationship_question(b: &str) -> Question {
    measure(
        RELATIONSHIP_KEY,
        Construct::Relationship,
        format!("Bạn có cảm thấy mình có mối quan hệ với {b} không?"),
        format!("Do you feel you have a relationship with {b}?"),
    )
}

/// The model's reason question: every reason option, shown only to those who said "yes"
/// (reasons are counted among "yes" only, and the question presupposes a relationship).
fn reason_question(b: &str) -> Question {
    let mut q = measure(
        "relationship_reason",
        Construct::RelationshipReason,
        format!("Lý do chính khiến bạn có mối quan hệ với {b} là gì?"),
        format!("What is the main reason you have a relationship with {b}?"),
    );
    q.options = RELATIONSHIP_REASONS
        .iter()
        .map(|&reason| {
            let (vi, en) = match reason {
                "shared_values" => (
                    format!("{b} có chung giá trị với tôi"),
                    format!("{b} shares my values"),
                ),
                "frequent_contact" => (
                    format!("{b} thường xuyên liên lạc với tôi"),
                    format!("{b} stays in touch with me often"),
                ),
                "rewards" => (
                    "Ưu đãi và điểm thưởng".into(),
                    "Rewards and discounts".into(),
                ),
                "habit_convenience" => {
                    ("Thói quen, tiện lợi".into(), "Habit or convenience".into())
                }
                // "other"; a reason added to the model later shows here until it gets its
                // own wording (a test checks every option reads differently).
                _ => ("Lý do khác".into(), "Something else".into()),
            };
            option(reason, vi, en)
        })
        .collect();
    q.show_if = Some(ShowIf {
        question: RELATIONSHIP_KEY.into(),
        any_of: vec!["yes".into()],
    });
    q
}

/// The segment question: tenure, with the demo surveys' option keys plus "not yet" so
/// followers who never bought are not mixed into the newest customers.
fn tenure_question(b: &str) -> Question {
    let mut q = measure(
        "tenure",
        Construct::Segment,
        format!("Lần đầu bạn mua sản phẩm của {b} cách đây bao lâu?"),
        format!("How long ago did you first buy from {b}?"),
    );
    q.options = vec![
        option(
            "not_yet",
            format!("Tôi chưa từng mua sản phẩm của {b}"),
            format!("I have never bought from {b}"),
        ),
        option("under_1y", "Dưới 1 năm".into(), "Less than a year".into()),
        option(
            "from_1_to_3y",
            "Từ 1 đến 3 năm".into(),
            "1 to 3 years".into(),
        ),
        option("over_3y", "Hơn 3 năm".into(), "More than 3 years".into()),
    ];
    q
}

/// Optional words behind the story-recall answer: unscored, but what managers read first.
fn story_text_question(b: &str) -> Question {
    Question {
        key: "story_text".into(),
        kind: QuestionKind::ShortText,
        text: text(
            format!("Nếu có, hãy viết ngắn gọn: {b} đại diện cho điều gì?"),
            format!("If so, in a few words: what does {b} stand for?"),
        ),
        help: None,
        required: false,
        construct: None,
        value: None,
        options: Vec::new(),
        show_if: None,
        max_length: None,
        reverse: false,
    }
}

/// A required question measuring `construct`, of the one type that construct takes.
fn measure(key: &str, construct: Construct, vi: String, en: String) -> Question {
    Question {
        key: key.into(),
        kind: construct.required_kind(),
        text: text(vi, en),
        help: None,
        required: true,
        construct: Some(construct),
        value: None,
        options: Vec::new(),
        show_if: None,
        max_length: None,
        reverse: false,
    }
}

/// A bond item worded the opposite way: scored 8 − x.
fn reversed(mut q: Question) -> Question {
    q.reverse = true;
    q
}

fn value_question(
    key: String,
    construct: Construct,
    value: &StatedValue,
    vi: String,
    en: String,
) -> Question {
    let mut q = measure(&key, construct, vi, en);
    q.value = Some(value.key.clone());
    q
}

/// The value's label in each language, borrowing the other language (or the key) when one
/// is empty, so the questions stay readable; the checker reports the missing label itself.
fn label_of(value: &StatedValue) -> (&str, &str) {
    let vi = value.label.vi.trim();
    let en = value.label.en.trim();
    let fallback = if vi.is_empty() { en } else { vi };
    let fallback = if fallback.is_empty() {
        value.key.as_str()
    } else {
        fallback
    };
    (
        if vi.is_empty() { fallback } else { vi },
        if en.is_empty() { fallback } else { en },
    )
}

fn option(key: &str, vi: String, en: String) -> ChoiceOption {
    ChoiceOption {
        key: key.into(),
        text: text(vi, en),
    }
}

fn text(vi: String, en: String) -> LocalizedText {
    LocalizedText::new(vi, en)
}

fn page(title: LocalizedText, questions: Vec<Question>) -> Page {
    Page { title, questions }
}

/// Splits questions into as few pages as fit `MAX_QUESTIONS_PER_PAGE`, evenly (7 → 4 + 3,
/// not 6 + 1), numbering the titles when there is more than one page.
fn split_into_pages(questions: Vec<Question>, title: LocalizedText) -> Vec<Page> {
    if questions.is_empty() {
        return Vec::new();
    }
    let page_count = questions.len().div_ceil(MAX_QUESTIONS_PER_PAGE);
    let per_page = questions.len().div_ceil(page_count);
    let mut pages = Vec::with_capacity(page_count);
    let mut rest = questions.into_iter().peekable();
    while rest.peek().is_some() {
        let number = pages.len() + 1;
        let title = if page_count == 1 {
            title.clone()
        } else {
            text(
                format!("{} ({number}/{page_count})", title.vi),
                format!("{} ({number}/{page_count})", title.en),
            )
        };
        pages.push(page(title, rest.by_ref().take(per_page).collect()));
    }
    pages
}

/// The stem of each value's `imp_` / `per_` keys, in value order: unique, and valid keys
/// once prefixed. Value keys that already fit are kept as they are (so `imp_<key>` reads as
/// the value); others are lowercased, non-alphanumerics become `_`, cut to fit and numbered
/// `_2`, `_3`… on a collision.
fn value_key_stems(brand: &BrandProfile) -> Vec<String> {
    let mut stems: Vec<Option<String>> = vec![None; brand.values.len()];
    let mut used: HashSet<String> = HashSet::new();
    // First the keys that fit as they are, so they never lose their name to a sanitised one.
    for (stem, v) in stems.iter_mut().zip(&brand.values) {
        if is_key(&v.key) && v.key.len() <= VALUE_STEM_MAX && used.insert(v.key.clone()) {
            *stem = Some(v.key.clone());
        }
    }
    stems
        .into_iter()
        .zip(&brand.values)
        .map(|(stem, v)| {
            stem.unwrap_or_else(|| {
                let stem = unique_stem(&sanitise(&v.key), &used);
                used.insert(stem.clone());
                stem
            })
        })
        .collect()
}

/// Lowercase a–z0–9 words joined by single `_`; never empty.
fn sanitise(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let trimmed = out.trim_end_matches('_');
    if trimmed.is_empty() {
        "value".into()
    } else {
        trimmed.into()
    }
}

/// `base` cut to `VALUE_STEM_MAX`, or numbered until it is not in `used`. `base` is ASCII
/// (from `sanitise`), so cutting at a byte index is safe.
fn unique_stem(base: &str, used: &HashSet<String>) -> String {
    let cut = |max: usize| {
        base[..base.len().min(max)]
            .trim_end_matches('_')
            .to_string()
    };
    let plain = cut(VALUE_STEM_MAX);
    if !used.contains(&plain) {
        return plain;
    }
    let mut n = 2;
    loop {
        let suffix = format!("_{n}");
        let stem = format!("{}{suffix}", cut(VALUE_STEM_MAX - suffix.len()));
        if !used.contains(&stem) {
            return stem;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checker::check;

    const DEMOS: [&str; 2] = [
        include_str!("../demo/terra-bond.json"),
        include_str!("../demo/moto-freedom.json"),
    ];

    fn demo_brands() -> Vec<BrandProfile> {
        DEMOS
            .iter()
            .map(|json| SurveyDefinition::parse(json).expect("demo is valid").brand)
            .collect()
    }

    fn value(key: &str, en: &str, placebo: bool) -> StatedValue {
        StatedValue {
            key: key.into(),
            label: LocalizedText::new(format!("Giá trị {en}"), en),
            description: LocalizedText::default(),
            weight: 1.0,
            placebo,
        }
    }

    fn brand_with(values: Vec<StatedValue>) -> BrandProfile {
        BrandProfile {
            slug: "song-xanh".into(),
            name: "Sông Xanh".into(),
            mission: LocalizedText::default(),
            values,
        }
    }

    fn survey_of(brand: &BrandProfile) -> SurveyDefinition {
        bond_check_survey(
            brand,
            "bond-check",
            LocalizedText::new(
                format!("Bạn và {}", brand.name),
                format!("You and {}", brand.name),
            ),
        )
    }

    fn keys(def: &SurveyDefinition) -> Vec<&str> {
        def.questions().map(|q| q.key.as_str()).collect()
    }

    fn assert_keys_valid_and_unique(def: &SurveyDefinition) {
        let keys = keys(def);
        let unique: HashSet<&str> = keys.iter().copied().collect();
        assert_eq!(unique.len(), keys.len(), "duplicate keys in {keys:?}");
        for k in keys {
            assert!(is_key(k), "invalid key {k:?}");
        }
    }

    /// Keys of the importance and perception questions of `value`.
    fn pair_of<'d>(def: &'d SurveyDefinition, value: &str) -> (Vec<&'d str>, Vec<&'d str>) {
        let of = |c| {
            def.questions_with(c)
                .filter(|q| q.value.as_deref() == Some(value))
                .map(|q| q.key.as_str())
                .collect()
        };
        (
            of(Construct::ValueImportance),
            of(Construct::ValuePerception),
        )
    }

    #[test]
    fn bond_check_of_each_demo_brand_is_valid_complete_and_passes_the_checker() {
        for brand in demo_brands() {
            let def = survey_of(&brand);
            if let Err(e) = def.validate() {
                panic!("{}: {e}", brand.slug);
            }
            for c in Construct::ALL {
                assert!(
                    def.questions_with(c).count() > 0,
                    "{} lacks {}",
                    brand.slug,
                    c.name()
                );
            }
            assert!(def.questions_with(Construct::ValueCongruence).count() >= 3);
            assert!(def.questions_with(Construct::ContactBond).count() >= 3);
            assert!(brand.values.iter().any(|v| v.placebo));
            for v in &brand.values {
                let (imp, per) = pair_of(&def, &v.key);
                assert_eq!(imp, vec![format!("imp_{}", v.key)], "{}", v.key);
                assert_eq!(per, vec![format!("per_{}", v.key)], "{}", v.key);
            }
            assert_keys_valid_and_unique(&def);
            let findings = check(&def);
            assert!(findings.is_empty(), "{}: {findings:?}", brand.slug);
        }
    }

    #[test]
    fn bond_check_round_trips_through_the_import_format() {
        let brand = &demo_brands()[1];
        let def = survey_of(brand);
        assert_eq!(SurveyDefinition::parse(&def.to_json_pretty()), Ok(def));
    }

    /// The instrument rules of `measurement.md`, checked on the generated block and on both
    /// demo surveys (each is what a new survey starts from).
    fn assert_balanced_instrument(def: &SurveyDefinition) {
        let name = &def.slug;
        let relationship_page = def.position_of("relationship").unwrap().page;
        for construct in [Construct::ValueCongruence, Construct::ContactBond] {
            let items: Vec<&Question> = def.questions_with(construct).collect();
            assert!(items.len() >= 3, "{name}: {construct:?}");
            assert_eq!(
                items.iter().filter(|q| q.reverse).count(),
                1,
                "{name}: one reverse-keyed {construct:?} item"
            );
            for q in &items {
                // Parallel statements: no attribution, asked after the relationship question.
                for word in ["because", "thanks to"] {
                    assert!(
                        !q.text.en.to_lowercase().contains(word),
                        "{name}: {}",
                        q.key
                    );
                }
                assert!(
                    !q.text.vi.split_whitespace().any(|w| w == "vì"),
                    "{name}: {}",
                    q.key
                );
                assert!(
                    def.position_of(&q.key).unwrap().page > relationship_page,
                    "{name}: {}",
                    q.key
                );
            }
        }
        // Nothing before the relationship question presupposes a tie with the brand.
        let before = [&def.intro, &def.title, &def.pages[relationship_page].title];
        for t in before {
            for word in ["ties you", "gắn bó", "gắn bạn"] {
                assert!(
                    !t.en.contains(word) && !t.vi.contains(word),
                    "{name}: {t:?}"
                );
            }
        }
        // The two contact questions ask about the same contacts; voice has its own "never".
        let text_of = |c: Construct| def.questions_with(c).next().unwrap().text.clone();
        for channels in ["email, SMS", "app messages, calls"] {
            assert!(
                text_of(Construct::ContactActual).en.contains(channels),
                "{name}"
            );
            assert!(
                text_of(Construct::ContactPreferred).en.contains(channels),
                "{name}"
            );
        }
        assert!(def
            .questions_with(Construct::VoiceHeard)
            .all(|q| q.offers_never_gave_feedback()));
        // Importance and perception of one value are never on adjacent lines of one page.
        for page in &def.pages {
            for pair in page.questions.windows(2) {
                assert!(
                    !(pair[0].value.is_some() && pair[0].value == pair[1].value),
                    "{name}: {} next to {}",
                    pair[0].key,
                    pair[1].key
                );
            }
        }
        // NPS asks a 0–10 likelihood, not yes or no.
        let nps = text_of(Construct::Nps);
        assert!(nps.en.starts_with("How likely"), "{name}: {}", nps.en);
        assert!(
            nps.vi.contains("0 đến 10") && !nps.vi.ends_with("không?"),
            "{name}: {}",
            nps.vi
        );
    }

    #[test]
    fn the_block_and_the_demo_surveys_follow_the_instrument_rules() {
        for brand in demo_brands() {
            assert_balanced_instrument(&survey_of(&brand));
        }
        for json in DEMOS {
            assert_balanced_instrument(&SurveyDefinition::parse(json).unwrap());
        }
    }

    #[test]
    fn relationship_comes_first_and_the_reason_is_asked_only_after_yes() {
        let def = survey_of(&demo_brands()[0]);
        assert_eq!(def.pages[0].questions[0].key, "relationship");
        assert_eq!(
            def.pages[0].questions[0].construct,
            Some(Construct::Relationship)
        );
        let reason = def
            .questions_with(Construct::RelationshipReason)
            .next()
            .unwrap();
        assert_eq!(
            reason.show_if,
            Some(ShowIf {
                question: "relationship".into(),
                any_of: vec!["yes".into()],
            })
        );
        assert!(def.position_of(&reason.key).unwrap().page > 0);
        let offered: Vec<&str> = reason.options.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(offered, RELATIONSHIP_REASONS);
        for locale in crate::domain::Locale::ALL {
            let texts: HashSet<&str> = reason.options.iter().map(|o| o.text.get(locale)).collect();
            assert_eq!(texts.len(), RELATIONSHIP_REASONS.len(), "{locale:?}");
        }
    }

    #[test]
    fn wording_names_the_brand_and_each_value_in_both_languages() {
        let brand = &demo_brands()[1];
        let def = survey_of(brand);
        assert!(def.intro.vi.contains("Tự Do Motor") && def.intro.en.contains("Tự Do Motor"));
        assert!(def.intro.vi.contains("khoảng 5 phút"), "{}", def.intro.vi);
        let nps = def.question("nps").unwrap();
        assert!(nps.text.vi.contains("Tự Do Motor") && nps.text.en.contains("Tự Do Motor"));
        for v in &brand.values {
            let imp = def.question(&format!("imp_{}", v.key)).unwrap();
            let per = def.question(&format!("per_{}", v.key)).unwrap();
            assert!(imp.text.vi.contains(&v.label.vi) && imp.text.en.contains(&v.label.en));
            assert!(per.text.vi.contains(&v.label.vi) && per.text.en.contains(&v.label.en));
            assert!(per.text.vi.contains("Tự Do Motor"));
        }
        assert_eq!(def.bond_threshold, DEFAULT_BOND_THRESHOLD);
    }

    #[test]
    fn pages_stay_short_enough_for_a_phone_even_with_twelve_values() {
        let values = (1..=12)
            .map(|i| value(&format!("value_{i}"), &format!("Value {i}"), i == 12))
            .collect();
        let def = survey_of(&brand_with(values));
        def.validate().unwrap();
        for p in &def.pages {
            assert!(!p.questions.is_empty());
            assert!(p.questions.len() <= MAX_QUESTIONS_PER_PAGE, "{:?}", p.title);
        }
        assert_eq!(def.questions_with(Construct::ValueImportance).count(), 12);
        assert_eq!(def.questions_with(Construct::ValuePerception).count(), 12);
        assert!(def
            .pages
            .iter()
            .any(|p| p.title.en == "What matters to you (2/2)"));
        assert!(check(&def).is_empty(), "{:?}", check(&def));
    }

    #[test]
    fn value_pages_are_split_evenly() {
        let values = (1..=7)
            .map(|i| value(&format!("v{i}"), &format!("Value {i}"), i == 7))
            .collect();
        let def = survey_of(&brand_with(values));
        let sizes: Vec<usize> = def
            .pages
            .iter()
            .filter(|p| p.title.en.starts_with("What matters to you"))
            .map(|p| p.questions.len())
            .collect();
        assert_eq!(sizes, vec![4, 3]);
    }

    #[test]
    fn long_value_keys_are_cut_to_fit_and_stay_unique() {
        // Valid 40-character keys sharing their first 36 characters collide once cut.
        let long_a = format!("{}_aaa", "x".repeat(36));
        let long_b = format!("{}_bbb", "x".repeat(36));
        let exact = "x".repeat(36);
        let brand = brand_with(vec![
            value(&long_a, "A", false),
            value(&long_b, "B", false),
            value(&exact, "Exact", false),
            value("placebo", "Placebo", true),
        ]);
        let def = survey_of(&brand);
        def.validate().unwrap();
        assert_keys_valid_and_unique(&def);
        // A key that fits keeps its name even though a longer key would cut to it.
        assert_eq!(pair_of(&def, &exact).0, vec![format!("imp_{exact}")]);
        for v in &brand.values {
            let (imp, per) = pair_of(&def, &v.key);
            assert_eq!((imp.len(), per.len()), (1, 1), "{}", v.key);
            assert_eq!(imp[0].strip_prefix("imp_"), per[0].strip_prefix("per_"));
        }
        assert!(check(&def).is_empty(), "{:?}", check(&def));
    }

    #[test]
    fn awkward_value_keys_still_give_valid_unique_question_keys() {
        let brand = brand_with(vec![
            value("Eco-Friendly", "Eco", false),
            value("eco friendly", "Eco too", false),
            value("eco_friendly", "Eco three", false),
            value("Môi trường", "Environment", false),
            value("---", "Nothing", false),
            value(&"Z".repeat(60), "Long", true),
        ]);
        let def = survey_of(&brand);
        assert_keys_valid_and_unique(&def);
        // The valid key keeps its name; the two that sanitise to it are numbered.
        assert_eq!(
            pair_of(&def, "eco_friendly").0,
            vec!["imp_eco_friendly".to_string()]
        );
        assert_eq!(
            pair_of(&def, "Eco-Friendly").0,
            vec!["imp_eco_friendly_2".to_string()]
        );
        assert_eq!(
            pair_of(&def, "eco friendly").0,
            vec!["imp_eco_friendly_3".to_string()]
        );
        assert_eq!(pair_of(&def, "---").1, vec!["per_value".to_string()]);
        // Only the brand's own keys are invalid; the generated questions are not.
        let errors = def.validate().unwrap_err().0;
        assert!(
            errors.iter().all(|e| e.place.starts_with("brand.values[")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_value_without_a_label_in_one_language_borrows_the_other() {
        let mut v = value("craft", "Craftsmanship", false);
        v.label.vi.clear();
        let (vi, en) = label_of(&v);
        assert_eq!((vi, en), ("Craftsmanship", "Craftsmanship"));
        v.label.en.clear();
        assert_eq!(label_of(&v), ("craft", "craft"));
    }

    #[test]
    fn sanitised_stems_are_lowercase_words() {
        assert_eq!(sanitise("Eco--Friendly!"), "eco_friendly");
        assert_eq!(sanitise("__x__"), "x");
        assert_eq!(sanitise("ễ"), "value");
        let used: HashSet<String> = ["abc".to_string(), "abc_2".to_string()].into();
        assert_eq!(unique_stem("abc", &used), "abc_3");
        let long = "a".repeat(50);
        let used: HashSet<String> = ["a".repeat(36)].into();
        let stem = unique_stem(&long, &used);
        assert_eq!(stem.len(), VALUE_STEM_MAX);
        assert!(stem.ends_with("_2"));
    }
}
