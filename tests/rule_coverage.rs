//! Every rule in the registry fires on a fixture that plants it, and the
//! clean example gets no finding at all.

use assert_cmd::Command;
use std::collections::BTreeSet;

fn pmlint() -> Command {
    let mut c = Command::cargo_bin("pmlint").expect("binary builds");
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1");
    c
}

fn rules_fired(paths: &[&str]) -> (BTreeSet<String>, serde_json::Value) {
    let out = pmlint()
        .args(["check", "--format", "json", "--today", "2026-11-29"])
        .args(paths)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    let fired = json["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule id").to_string())
        .collect();
    (fired, json)
}

#[test]
fn every_rule_fires_on_a_fixture_that_plants_it() {
    let out = pmlint().args(["rules", "--json"]).output().expect("runs");
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let all: BTreeSet<String> = rules
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(all.len(), 35, "the catalogue of SPEC section 2");
    let (fired, _) = rules_fired(&[
        "examples/2026-02-09-cdn-outage-defects.md",
        "tests/fixtures/plant/no-front-matter.md",
        "tests/fixtures/plant/invalid-front-matter.md",
        "tests/fixtures/plant/binary.md",
        "tests/fixtures/plant/structure.md",
    ]);
    let missing: Vec<&String> = all.difference(&fired).collect();
    assert!(
        missing.is_empty(),
        "rules that no fixture plants: {missing:?}"
    );
}

#[test]
fn planted_structure_defects_point_at_their_lines() {
    let (_, json) = rules_fired(&["tests/fixtures/plant/structure.md"]);
    let at: BTreeSet<(String, u64)> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_string(),
                d["line"].as_u64().expect("line"),
            )
        })
        .collect();
    for (rule, line) in [
        ("frontmatter-date", 4),
        ("duration-mismatch", 7),
        ("required-section", 13),
        ("section-order", 28),
        ("timeline-missing", 28),
        ("root-cause-missing", 32),
        ("template-placeholder", 34),
        ("empty-section", 36),
        ("action-items-missing", 44),
        ("duplicate-section", 48),
    ] {
        assert!(
            at.contains(&(rule.to_string(), line)),
            "{rule} at line {line}; got {at:?}"
        );
    }
}

#[test]
fn the_clean_example_gets_no_finding() {
    let (fired, json) = rules_fired(&["examples/2026-03-14-payments-db-failover.md"]);
    assert!(fired.is_empty(), "{json:#}");
}

/// Post-mortems written apart from the rule fixtures, in the styles real
/// teams use (renamed and emoji headings, @handles and team handles, extra
/// action-item columns with linked IDs, chat quotes and logs with blame
/// words, a Kubernetes operator as a subject, CRLF with a BOM, IANA zones
/// and offsets), are clean: no error and no warning.
#[test]
fn independently_written_post_mortems_get_no_error_or_warning() {
    let (_, json) = rules_fired(&["tests/fixtures/independent"]);
    assert_eq!(json["summary"]["files"], 4, "{json:#}");
    let loud: Vec<_> = json["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .filter(|d| matches!(d["severity"].as_str(), Some("error" | "warning")))
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}
