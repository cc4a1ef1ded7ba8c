//! Who takes the passengers over at the factory gate (交接): one receiver per employer of the
//! bus (`EMPLOYER=NAME`, a bus may carry two employers to two gates), or one name for all.

use super::say;
use crate::i18n::Lang;
use crate::model::FreeText;
use crate::ops::{OpError, OpResult};
use crate::store::trips::TripInfo;
use crate::store::{reshape as store, Db};
use serde::Serialize;

/// The receivers as typed, checked as free text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Typed {
    /// One name for every employer not named.
    pub default: Option<String>,
    /// (employer as typed, receiver)
    pub named: Vec<(String, String)>,
}

/// One employer's hand-over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receiver {
    pub employer: String,
    pub name: String,
    /// Passengers of that employer handed over.
    pub passengers: u32,
}

/// Reads `EMPLOYER=NAME` (also with a full-width `＝`) and plain `NAME` values; blank values
/// are skipped. Two plain names, an employer named twice or an empty side is a usage error.
pub fn parse(given: &[&str], lang: Lang) -> OpResult<Typed> {
    let mut t = Typed::default();
    for g in given.iter().map(|g| g.trim()).filter(|g| !g.is_empty()) {
        let split = g.split_once('=').or_else(|| g.split_once('＝'));
        let name_of = |n: &str| crate::ops::free_text(lang, FreeText::Receiver, n);
        match split {
            Some((employer, name)) => {
                let employer = employer.trim();
                if employer.is_empty() || name.trim().is_empty() {
                    return Err(OpError::Usage(say!(
                        lang,
                        "--receiver 应写作 企业名=接收人",
                        "--receiver takes EMPLOYER=NAME"
                    )));
                }
                let employer = crate::ops::free_text(lang, FreeText::Name, employer)
                    .map_err(|_| usage_employer(lang))?;
                if t.named.iter().any(|(e, _)| *e == employer) {
                    return Err(OpError::Usage(say!(
                        lang,
                        "--receiver：{} 写了两次",
                        "--receiver: {} is named twice",
                        employer
                    )));
                }
                t.named.push((employer, name_of(name)?));
            }
            None if t.default.is_some() => {
                return Err(OpError::Usage(say!(
                    lang,
                    "只能给一个通用接收人；其他请写作 企业名=接收人",
                    "only one receiver for all; name the others as EMPLOYER=NAME"
                )))
            }
            None => t.default = Some(name_of(g)?),
        }
    }
    Ok(t)
}

fn usage_employer(lang: Lang) -> OpError {
    OpError::Usage(say!(
        lang,
        "--receiver：企业名无效",
        "--receiver: the employer name cannot be read"
    ))
}

/// Gives each employer of the bus its receiver and keeps them; an employer typed that the bus
/// does not carry is a usage error listing the ones it does.
pub fn assign(conn: &Db<'_>, trip: &TripInfo, t: &Typed, lang: Lang) -> OpResult<Vec<Receiver>> {
    let employers = store::trip_employer_counts(conn, trip.trip_id)?;
    for (typed, _) in &t.named {
        if !employers.iter().any(|(_, name, _)| name == typed) {
            let names: Vec<&str> = employers.iter().map(|(_, n, _)| n.as_str()).collect();
            return Err(OpError::Usage(say!(
                lang,
                "--receiver：{} 不在 {} 上（本车企业：{}）",
                "--receiver: {} is not on {} (employers aboard: {})",
                typed,
                trip.plate,
                names.join(lang.pick("、", ", "))
            )));
        }
    }
    let mut out = Vec::new();
    for (id, employer, n) in employers {
        let name = t
            .named
            .iter()
            .find(|(e, _)| *e == employer)
            .map(|(_, r)| r.clone())
            .or_else(|| t.default.clone());
        if let Some(name) = name {
            store::set_receiver(conn, trip.trip_id, id, &name)?;
            out.push(Receiver {
                employer,
                name,
                passengers: n,
            });
        }
    }
    Ok(out)
}

/// The trip's one hand-over line: the receiver when one person took everyone over, else
/// `EMPLOYER：NAME；…`.
pub fn line(handed: &[Receiver], t: &Typed) -> Option<String> {
    let Some(first) = handed.first() else {
        return t.default.clone();
    };
    if handed.iter().all(|r| r.name == first.name) {
        return Some(first.name.clone());
    }
    Some(
        handed
            .iter()
            .map(|r| format!("{}：{}", r.employer, r.name))
            .collect::<Vec<_>>()
            .join("；"),
    )
}

/// The receivers as one line, as they were typed (`甲厂=张三；李四`), for the journal of a pack.
pub fn typed_line(t: &Typed) -> Option<String> {
    let parts: Vec<String> = t
        .named
        .iter()
        .map(|(e, n)| format!("{e}={n}"))
        .chain(t.default.clone())
        .collect();
    (!parts.is_empty()).then(|| parts.join("；"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_for_all_or_one_per_employer() {
        let t = parse(&["甲厂=张三", " 李四 "], Lang::En).unwrap();
        assert_eq!(t.default.as_deref(), Some("李四"));
        assert_eq!(t.named, vec![("甲厂".to_string(), "张三".to_string())]);
        assert!(parse(&["张三", "李四"], Lang::En).is_err());
        assert!(parse(&["甲厂=张三", "甲厂=王五"], Lang::En).is_err());
        assert!(parse(&["=张三"], Lang::En).is_err());
        assert!(parse(&["甲厂＝"], Lang::En).is_err());
        let r = |e: &str, n: &str| Receiver {
            employer: e.into(),
            name: n.into(),
            passengers: 1,
        };
        assert_eq!(
            line(&[r("甲厂", "张三"), r("乙厂", "张三")], &t).as_deref(),
            Some("张三")
        );
        assert_eq!(
            line(&[r("甲厂", "张三"), r("乙厂", "李四")], &t).as_deref(),
            Some("甲厂：张三；乙厂：李四")
        );
    }
}
