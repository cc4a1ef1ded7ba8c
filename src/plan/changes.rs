//! Changes after planning are never silent: what a batch's plan assumed about each employer
//! (where the gate is, how many workers it expects) against the employer as it is now, and
//! employers planned beyond the workers they expect. Pure: the caller reads both sides.

use super::warning::Change;
use super::Warning;
use std::collections::BTreeMap;

/// An employer's gate and expected count, as planned or as it is now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gate {
    pub province: String,
    pub city: String,
    pub address: String,
    pub expected: u32,
}

/// What a batch still under way assumed about one employer it carries, and the employer now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumption {
    pub batch: String,
    pub employer_id: i64,
    pub employer: String,
    pub was: Gate,
    pub now: Gate,
}

/// An employer's expected count and the workers already placed for it (planned, aboard, on
/// the road or arrived).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expectation {
    pub expected: u32,
    pub placed: u32,
}

/// The rule: an employer that gave an expected count has more workers placed than that.
pub fn beyond_expected(expected: u32, placed: u32) -> bool {
    expected > 0 && placed > expected
}

/// What changed between what was planned and now, in the order people read it.
pub fn differences(was: &Gate, now: &Gate) -> Vec<Change> {
    let mut out = Vec::new();
    if (&was.province, &was.city) != (&now.province, &now.city) {
        out.push(Change::City {
            was: format!("{}{}", was.province, was.city),
            now: format!("{}{}", now.province, now.city),
        });
    }
    if was.address != now.address {
        out.push(Change::Address {
            was: was.address.clone(),
            now: now.address.clone(),
        });
    }
    if was.expected != now.expected {
        out.push(Change::Expected {
            was: was.expected,
            now: now.expected,
        });
    }
    out
}

/// Warnings for employers changed since their batch was planned, and for employers placed
/// beyond their expected count once `added` (this plan's new passengers per employer) is
/// written. `names` gives an employer's name.
pub fn warnings(
    assumed: &[Assumption],
    expectations: &BTreeMap<i64, Expectation>,
    added: &BTreeMap<i64, u32>,
    names: impl Fn(i64) -> String,
) -> Vec<Warning> {
    let mut out: Vec<Warning> = assumed
        .iter()
        .filter_map(|a| {
            let changes = differences(&a.was, &a.now);
            (!changes.is_empty()).then(|| Warning::EmployerChanged {
                employer: a.employer.clone(),
                batch: a.batch.clone(),
                changes,
            })
        })
        .collect();
    for (&id, e) in expectations {
        let planned = e.placed + added.get(&id).copied().unwrap_or(0);
        if beyond_expected(e.expected, planned) {
            out.push(Warning::BeyondExpected {
                employer: names(id),
                expected: e.expected,
                planned,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(city: &str, expected: u32) -> Gate {
        Gate {
            province: "浙江省".into(),
            city: city.into(),
            address: "北仑区".into(),
            expected,
        }
    }

    #[test]
    fn a_moved_gate_and_a_plan_past_the_expected_count_are_both_said() {
        let a = Assumption {
            batch: "旬阳-20200221-01".into(),
            employer_id: 1,
            employer: "甲厂".into(),
            was: gate("宁波市", 30),
            now: gate("杭州市", 20),
        };
        let unchanged = Assumption {
            employer_id: 2,
            employer: "乙厂".into(),
            was: gate("宁波市", 10),
            now: gate("宁波市", 10),
            ..a.clone()
        };
        let exp = BTreeMap::from([
            (
                1,
                Expectation {
                    expected: 20,
                    placed: 18,
                },
            ),
            (
                2,
                Expectation {
                    expected: 10,
                    placed: 10,
                },
            ),
            (
                3,
                Expectation {
                    expected: 0,
                    placed: 40,
                },
            ),
        ]);
        let added = BTreeMap::from([(1, 3)]);
        let w = warnings(&[a, unchanged], &exp, &added, |id| format!("厂{id}"));
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w[0].kind(), "employer-changed");
        let text = w[0].text(crate::i18n::Lang::En);
        assert!(text.contains("浙江省宁波市 → 浙江省杭州市"), "{text}");
        assert!(text.contains("expected 30 → 20"), "{text}");
        assert_eq!(
            w[1],
            Warning::BeyondExpected {
                employer: "厂1".into(),
                expected: 20,
                planned: 21
            }
        );
    }
}
