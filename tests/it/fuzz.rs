//! Property tests over everything that parses untrusted input: survey JSON import,
//! response CSV import and survey form posts. Whatever comes in, nothing panics.

use proptest::prelude::*;
use valuebond::domain::answer::Answer;
use valuebond::domain::flow::parse_page_post;
use valuebond::domain::responses_csv::{header, import, parse_records};
use valuebond::domain::{AnswerSet, SurveyDefinition};

const DEMO: &str = include_str!("../../src/demo/terra-bond.json");

fn demo() -> SurveyDefinition {
    SurveyDefinition::parse(DEMO).unwrap()
}

/// Strings that look like what the parsers expect, and plenty that do not.
fn field_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,3}",
        Just("dk".to_string()),
        Just("yes".to_string()),
        "[a-z_]{1,12}",
        "\\PC{0,40}",
        ".{0,300}",
    ]
}

/// A JSON value to put somewhere in a survey definition.
fn json_leaf() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "\\PC{0,20}".prop_map(serde_json::Value::from),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
    ]
}

/// Replaces the `n`-th leaf (in document order) of `v` by `leaf`; returns the leaves left.
fn replace_leaf(v: &mut serde_json::Value, n: &mut usize, leaf: &serde_json::Value) {
    match v {
        serde_json::Value::Array(items) => items.iter_mut().for_each(|i| replace_leaf(i, n, leaf)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|i| replace_leaf(i, n, leaf)),
        other => {
            if *n == 0 {
                *other = leaf.clone();
            }
            *n = n.wrapping_sub(1);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn survey_json_never_panics(text in ".{0,2000}") {
        let _ = SurveyDefinition::parse(&text);
    }

    #[test]
    fn mutated_surveys_are_accepted_or_explained(mutations in proptest::collection::vec((0usize..400, json_leaf()), 1..6)) {
        let mut json: serde_json::Value = serde_json::from_str(DEMO).unwrap();
        for (mut at, leaf) in mutations {
            replace_leaf(&mut json, &mut at, &leaf);
        }
        match SurveyDefinition::parse(&json.to_string()) {
            Ok(def) => { let _ = def.validate(); }
            Err(errors) => prop_assert!(!errors.0.is_empty(), "a refusal names its problems"),
        }
    }

    #[test]
    fn csv_text_never_panics(text in "(?s).{0,3000}") {
        if let Ok(records) = parse_records(&text) {
            let _ = import(&demo(), &records);
        }
    }

    #[test]
    fn csv_rows_of_the_right_shape_are_validated_without_panic(cells in proptest::collection::vec(field_value(), 0..2000)) {
        let def = demo();
        let columns = header(&def);
        let mut records = vec![columns.clone()];
        for row in cells.chunks(columns.len()) {
            records.push(row.to_vec());
        }
        let _ = import(&def, &records);
    }

    #[test]
    fn form_posts_never_panic(
        page in 0usize..8,
        fields in proptest::collection::vec((prop_oneof!["q\\.[a-z_]{1,14}", "[_a-z.]{0,10}", ".{0,20}"], field_value()), 0..40),
    ) {
        let def = demo();
        let keys: Vec<String> = def.questions().map(|q| format!("q.{}", q.key)).collect();
        // Half of the fields use real question names, so parsing goes past the first check.
        let fields: Vec<(String, String)> = fields
            .into_iter()
            .enumerate()
            .map(|(i, (k, v))| if i % 2 == 0 { (keys[i % keys.len()].clone(), v) } else { (k, v) })
            .collect();
        let _ = parse_page_post(&def, page, &AnswerSet::new(), &fields);
        for q in def.questions() {
            let values: Vec<String> = fields.iter().map(|(_, v)| v.clone()).take(3).collect();
            let _ = Answer::parse(q, &values);
            if let Some(v) = values.first() {
                let _ = Answer::from_stored(q, v);
            }
        }
    }
}
