//! The refusal codes are one list: every code the program can print is in the README's list,
//! and every code the README lists is one the program knows.

use zhitong::i18n::Code;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The README's paragraph of codes, from "Refusals (exit 4)" to the next blank line.
fn listed() -> Vec<String> {
    let text = readme();
    let start = text
        .find("Refusals (exit 4)")
        .expect("the README lists the codes");
    let para = &text[start..];
    let para = &para[..para.find("\n\n").unwrap_or(para.len())];
    para.split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-')
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn every_code_the_program_prints_is_in_the_readme() {
    let listed = listed();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !c.is_internal())
        .map(|c| c.as_str())
        .filter(|c| !listed.iter().any(|l| l == c))
        .collect();
    assert!(missing.is_empty(), "not in the README's list: {missing:?}");
}

#[test]
fn every_code_the_readme_lists_is_one_the_program_knows() {
    let unknown: Vec<String> = listed()
        .into_iter()
        .filter(|w| Code::parse(w).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "the README lists unknown codes: {unknown:?}"
    );
}
