//! Section 1, the headline: values- and contact-bonded shares with their paired test, the
//! bond classes, the same shares at t ± 0.5, and the headline by block order.

use serde::Serialize;

use super::compare::{compare_groups, GroupDifference};
use super::CLASSES;
use crate::domain::flow::BlockOrder;
use crate::domain::scoring::BondClass;
use crate::domain::stats::{mcnemar, shown, Count, McNemar, Proportion};
use crate::domain::tally::{HeadlineCounts, Tally};

/// The headline is repeated at t − 0.5 and t + 0.5 (sensitivity), besides the report's t.
pub const SENSITIVITY_THRESHOLDS: [f64; 2] = [-0.5, 0.5];

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

pub(super) fn headline(h: &HeadlineCounts, responses: Count) -> Headline {
    let n = h.scored;
    let bonded = h.values_led + h.contact_led + h.tied;
    Headline {
        scored: n.n,
        insufficient: responses.n.saturating_sub(n.n),
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
        paired: shown(n.n)
            .then(|| mcnemar(h.classes[0], h.classes[2], n))
            .flatten(),
    }
}

pub(super) fn sensitivity(all: &Tally, t: f64) -> Vec<Sensitivity> {
    SENSITIVITY_THRESHOLDS
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
        .collect()
}

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

pub(super) fn order_effect(t: &Tally, threshold: f64) -> Option<OrderEffect> {
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
    let differ = |a: &Proportion, b: &Proportion| compare_groups(a, b);
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
#[cfg(test)]
mod tests {
    use crate::domain::flow::BlockOrder;
    use crate::domain::report::fixtures::{at, options, row};
    use crate::domain::report::{build, Funnel, ReportOptions, ScoredResponse};
    use crate::domain::scoring::BondClass;
    use crate::domain::survey::tests::demo;

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
    fn the_headline_is_shown_by_block_order_with_the_newcombe_difference() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/data/stats_vectors.json")).unwrap();
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
}
