//! `docs/rules/<id>.md` — the pages the SARIF and rdjson help links point
//! at — are generated from each rule's own documentation (what `pmlint
//! explain` prints). This test fails when a page is stale, missing, or left
//! over from a removed rule; `PMLINT_BLESS=1 cargo test --test rule_docs`
//! rewrites them.

use std::path::{Path, PathBuf};

const REGENERATE: &str = "PMLINT_BLESS=1 cargo test --test rule_docs";

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules")
}

/// The page of a rule: a note that it is generated, then the explanation.
fn page(rule: &pmlint::rules::Rule) -> String {
    format!(
        "<!-- Generated from the documentation of the rule (`pmlint explain {}`); \
         regenerate with `{REGENERATE}`. -->\n\n{}",
        rule.id,
        rule.explanation()
    )
}

#[test]
fn rule_doc_pages_match_the_rules_documentation() {
    let dir = docs_dir();
    let bless = std::env::var_os("PMLINT_BLESS").is_some_and(|v| v == "1");
    if bless {
        std::fs::create_dir_all(&dir).expect("create docs/rules");
    }
    let mut problems = Vec::new();
    for rule in pmlint::rules::all() {
        let path = dir.join(format!("{}.md", rule.id));
        let expected = page(rule);
        match std::fs::read_to_string(&path) {
            Ok(actual) if actual == expected => {}
            found => {
                if bless {
                    pmlint::app::write_atomic(&path, expected.as_bytes()).expect("write page");
                } else {
                    let what = if found.is_ok() { "stale" } else { "missing" };
                    problems.push(format!("docs/rules/{}.md is {what}", rule.id));
                }
            }
        }
    }
    // Pages of rules that no longer exist.
    let known: Vec<String> = pmlint::rules::all()
        .iter()
        .map(|r| format!("{}.md", r.id))
        .collect();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !known.contains(&name) {
            if bless {
                std::fs::remove_file(entry.path()).expect("remove stale page");
            } else {
                problems.push(format!("docs/rules/{name} documents no rule"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nregenerate the pages with: {REGENERATE}",
        problems.join("\n")
    );
}

#[test]
fn every_page_links_from_the_rule_help_uri() {
    for rule in pmlint::rules::all() {
        let uri = pmlint::output::rule_help_uri(rule.id);
        let suffix = format!("/blob/main/docs/rules/{}.md", rule.id);
        assert!(
            uri.starts_with(env!("CARGO_PKG_REPOSITORY")) && uri.ends_with(&suffix),
            "{uri}"
        );
    }
}
