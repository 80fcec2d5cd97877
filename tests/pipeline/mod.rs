//! The whole check pipeline over raw bytes, with its invariants asserted:
//! bytes → (encoding check, front matter + Markdown) → every rule →
//! levels and suppressions → findings → every output format.
//!
//! Shared, through `#[path]`, by the fuzz target (`fuzz/fuzz_targets/check.rs`),
//! the replay of its findings (`tests/fuzz_regressions.rs`) and the property
//! test over structured random documents (`tests/properties.rs`), so that all
//! three check exactly the same things. Any violated invariant panics.
//!
//! [`check`] takes a document, [`check_config`] a configuration file.
//! Adding an output format is one line in [`FORMATS`].

// Each user calls a different part of this module.
#![allow(dead_code)]

use chrono::NaiveDate;
use pmlint::config::{parse_config, Settings};
use pmlint::diagnostic::Position;
use pmlint::lint::{self, FileReport, LintOptions};
use pmlint::output::{self, FileResult, RunReport};
use std::sync::OnceLock;

/// The reported path: a colon, a comma, a percent sign and a non-ASCII
/// letter, so the formats' escaping of paths is exercised too.
pub const PATH: &str = "post-mortems/2026-01-01: a, 100% ünïcode.md";

/// A format's renderer over a finished run.
pub type Render = fn(&RunReport, &Settings) -> String;

/// Every report format of the library, by name. The human format is
/// rendered per file while the text is at hand (see [`human`]); these take
/// the finished run.
pub const FORMATS: &[(&str, Render)] = &[
    ("concise", |r, _| output::concise::render(r)),
    ("json", |r, _| output::json::render(r)),
    ("github", |r, _| {
        output::github::render(r, &|p| p.to_string())
    }),
    ("summary", |r, _| output::summary::render(r)),
    ("sarif", |r, s| {
        output::sarif::render(r, &locate, "/repo", &s.custom)
    }),
    ("rdjson", |r, _| output::rdjson::render(r, &locate)),
    ("gitlab", |r, _| output::gitlab::render(r, &locate)),
    ("junit", |r, _| output::junit::render(r)),
];

/// Where the reported path lies for the repository-relative formats.
fn locate(path: &str) -> output::RepoPath {
    output::RepoPath::Inside(path.to_string())
}

/// A configuration that turns on what the defaults leave off: custom rules
/// of each kind, a zone, aliases, an incident-ID pattern, people, stricter
/// levels and overrides by status.
const STRICT: &str = r#"
default_timezone: Europe/Berlin
timezone_aliases: { IST: "+05:30", PT: America/Los_Angeles }
draft_relaxed: false
incident_id_pattern: '^INC-\d{4}-\d{2}-\d{2}-\d{3}$'
timeline_slack: 2h
people: ["Jane Doe", "@jdoe", "Zoë Ñ"]
systems: ["Patroni", "PagerDuty"]
rules:
  minimizing-language: warning
  root-cause-depth: { level: error, min_whys: 2 }
  action-item-vague: { min_words: 6 }
  action-item-owner: { owner_pattern: '^@[A-Za-z0-9-]+$' }
overrides:
  - status: [Finalised]
    rules: { action-item-vague: error, section-order: error }
  - files: ["post-mortems/**"]
    rules: { duplicate-section: info }
custom_rules:
  - id: no-internal-hostnames
    message: "Internal hostname '%s'"
    kind: existence
    pattern: '\b[a-z0-9-]+\.corp\.example\.com\b'
  - id: no-todo
    kind: existence
    level: error
    pattern: '\bTODO\b'
    sections: [Narrative, Timeline]
  - id: say-customer
    kind: substitution
    level: info
    message: "Say '%s' instead of '%s'"
    swap: { "end user": customer, "clients": customers, "é": e }
  - id: need-dashboard-link
    kind: required
    pattern: 'https://grafana\.'
    sections: [References]
  - id: need-ticket
    kind: required
    case_sensitive: true
    pattern: 'JIRA-\d+'
"#;

/// The configurations every input is checked under: the defaults, and
/// [`STRICT`].
pub fn settings() -> &'static [Settings] {
    static SETTINGS: OnceLock<Vec<Settings>> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        let config = parse_config("strict.yml", STRICT).expect("the strict configuration parses");
        let strict = Settings::resolve(config, Some(("strict.yml", STRICT)))
            .expect("the strict configuration is valid");
        vec![Settings::defaults(), strict]
    })
}

/// The date that counts as today: fixed, so runs are reproducible.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, 1).expect("a valid date")
}

/// Runs `bytes` through the whole pipeline under every configuration and
/// asserts every invariant. Panics (with the violated invariant) on a bug.
pub fn check(bytes: &[u8]) {
    for settings in settings() {
        check_with(bytes, settings);
    }
}

/// [`check`] under one configuration; returns the run for further checks.
pub fn check_with(bytes: &[u8], settings: &Settings) -> RunReport {
    let opts = LintOptions {
        settings,
        today: today(),
        select: None,
        ignore: Vec::new(),
        summary: true,
    };
    let report = lint::lint_bytes(PATH, bytes, &opts);
    assert_findings_exact(bytes, &report, settings);

    // What `pmlint check` does with a file named on the command line:
    // UTF-8 text gets snippets, anything else one plain line per finding.
    let text = std::str::from_utf8(bytes)
        .ok()
        .filter(|_| !lint::looks_binary(bytes));
    let color = bytes.len() % 2 == 1;
    let human = human(text, &report, color);
    for f in &report.findings {
        assert!(
            human.contains(f.rule.as_str()),
            "the human output names `{}`:\n{human}",
            f.rule
        );
    }
    assert_eq!(human.is_empty(), report.findings.is_empty());

    let run = RunReport {
        files: vec![FileResult {
            path: PATH.to_string(),
            anchors: output::anchor::compute(bytes, &report.findings),
            report,
            human: Some(human),
        }],
    };
    for (name, render) in FORMATS {
        let out = render(&run, settings);
        assert_format(name, &out, &run);
    }
    run
}

/// A small post-mortem that reaches most rules, for [`check_config`].
const DEFECTS_EXAMPLE: &[u8] = include_bytes!("../../examples/2026-02-09-cdn-outage-defects.md");

/// Runs `bytes` as a configuration file (`.pmlint.yml`) through parsing,
/// validation and the error report a user would see; an accepted
/// configuration then lints a post-mortem with every invariant of
/// [`check_with`]. A pull request can change the configuration, so it is
/// input like any document.
pub fn check_config(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let settings = match parse_config("fuzz.yml", text) {
        Ok(config) => Settings::resolve(config, Some(("fuzz.yml", text))),
        Err(error) => Err(error),
    };
    match settings {
        Ok(settings) => {
            check_with(DEFECTS_EXAMPLE, &settings);
        }
        Err(error) => {
            let mut out = String::new();
            miette::GraphicalReportHandler::new()
                .render_report(&mut out, &error)
                .expect("the configuration error renders");
            assert!(!out.is_empty());
            assert!(
                out.lines().all(|l| l.chars().count() < 2_000),
                "the report shows no huge line:\n{out}"
            );
        }
    }
}

/// The `human` rendering of one file, as `pmlint check` makes it.
pub fn human(text: Option<&str>, report: &FileReport, color: bool) -> String {
    match text {
        Some(text) => output::human::render_file(PATH, text, &report.findings, color),
        None => output::human::render_plain(PATH, &report.findings),
    }
}

/// Format-specific invariants: the output is well formed, holds every
/// finding, and document text cannot break its structure.
fn assert_format(name: &str, out: &str, run: &RunReport) {
    let n = run.files[0].report.findings.len();
    match name {
        "json" => {
            let v: serde_json::Value = serde_json::from_str(out)
                .unwrap_or_else(|e| panic!("the json output parses ({e}):\n{out}"));
            let diags = v["diagnostics"].as_array().expect("a diagnostics array");
            assert_eq!(diags.len(), n, "json lists every finding");
            for (d, f) in diags.iter().zip(&run.files[0].report.findings) {
                assert_eq!(d["offset"].as_u64(), Some(f.span.start as u64));
                assert_eq!(d["length"].as_u64(), Some(f.span.len() as u64));
                assert_eq!(d["line"].as_u64(), Some(f.start.line as u64));
                assert_eq!(d["message"].as_str(), Some(f.message.as_str()));
            }
        }
        "concise" => {
            // One line per finding, whatever the messages quote.
            assert_eq!(out.lines().count(), n, "concise:\n{out}");
            for (line, f) in out.lines().zip(&run.files[0].report.findings) {
                let prefix = format!("{PATH}:{}:{}: ", f.start.line, f.start.column);
                assert!(line.starts_with(&prefix), "{line:?} starts with {prefix:?}");
            }
        }
        "github" => {
            // One command line per finding (document text is escaped data),
            // then at most one note per level about GitHub's limits.
            let commands = out.lines().filter(|l| l.starts_with("::")).count();
            assert_eq!(commands, n, "github:\n{out}");
            assert!(out.lines().count() <= n + 3, "github:\n{out}");
            for line in out.lines().filter(|l| l.starts_with("::")) {
                let props = line.split("::").nth(1).unwrap_or_default();
                assert!(
                    props.starts_with("error file=")
                        || props.starts_with("warning file=")
                        || props.starts_with("notice file="),
                    "{line:?}"
                );
                assert!(!props.contains(PATH), "the path is escaped: {line:?}");
            }
        }
        "summary" => {
            assert!(out.starts_with("## pmlint\n"), "summary:\n{out}");
            // Every table row has the columns of its header: document text
            // cannot add or remove a cell.
            for line in out.lines().filter(|l| l.starts_with('|')) {
                let cells = line.replace("\\|", "").matches('|').count();
                assert!(cells == 5 || cells == 6, "summary row {line:?}");
            }
        }
        "sarif" => {
            let v: serde_json::Value = serde_json::from_str(out)
                .unwrap_or_else(|e| panic!("the sarif output parses ({e}):\n{out}"));
            assert_eq!(v["version"], "2.1.0");
            let results = v["runs"][0]["results"].as_array().expect("results");
            assert_eq!(results.len(), n, "sarif lists every finding");
            let mut prints = std::collections::HashSet::new();
            for (r, f) in results.iter().zip(&run.files[0].report.findings) {
                assert_eq!(r["ruleId"].as_str(), Some(f.rule.as_str()));
                let region = &r["locations"][0]["physicalLocation"]["region"];
                assert_eq!(region["startLine"].as_u64(), Some(f.start.line as u64));
                let print = r["partialFingerprints"]["primaryLocationLineHash"]
                    .as_str()
                    .expect("a fingerprint");
                assert!(prints.insert(print.to_string()), "unique: {print}");
            }
        }
        "rdjson" => {
            let v: serde_json::Value = serde_json::from_str(out)
                .unwrap_or_else(|e| panic!("the rdjson output parses ({e}):\n{out}"));
            let diags = v["diagnostics"].as_array().expect("diagnostics");
            assert_eq!(diags.len(), n, "rdjson lists every finding");
        }
        "gitlab" => {
            let v: serde_json::Value = serde_json::from_str(out)
                .unwrap_or_else(|e| panic!("the gitlab output parses ({e}):\n{out}"));
            let issues = v.as_array().expect("an array");
            assert_eq!(issues.len(), n, "gitlab lists every finding");
            let prints: std::collections::HashSet<&str> = issues
                .iter()
                .map(|i| i["fingerprint"].as_str().expect("a fingerprint"))
                .collect();
            assert_eq!(prints.len(), n, "gitlab fingerprints are unique");
        }
        "junit" => {
            let doc = roxmltree::Document::parse(out)
                .unwrap_or_else(|e| panic!("the junit output is well formed ({e}):\n{out}"));
            let errors = run.files[0]
                .report
                .findings
                .iter()
                .filter(|f| f.severity == pmlint::diagnostic::Severity::Error)
                .count();
            let failures = doc
                .descendants()
                .filter(|n| n.has_tag_name("failure"))
                .count();
            assert_eq!(failures, errors, "a failure per error:\n{out}");
        }
        _ => assert!(n == 0 || !out.is_empty(), "{name} output is empty"),
    }
}

/// Every finding's span lies inside the input, on character boundaries when
/// the input is UTF-8, and its lines and columns are those of its offsets;
/// findings come in offset order; action items point inside the input.
pub fn assert_findings_exact(bytes: &[u8], report: &FileReport, settings: &Settings) {
    let mut previous = 0;
    for f in &report.findings {
        let ctx = || format!("{f:?} in {:?}", String::from_utf8_lossy(bytes));
        assert!(
            f.span.start <= f.span.end && f.span.end <= bytes.len(),
            "span inside the input: {}",
            ctx()
        );
        assert!(f.span.start >= previous, "offset order: {}", ctx());
        previous = f.span.start;
        assert!(!f.message.trim().is_empty(), "a message: {}", ctx());
        let known = pmlint::rules::find(f.rule.as_str()).is_some()
            || settings.custom.iter().any(|c| &*c.id == f.rule.as_str());
        assert!(known, "a registered rule: {}", ctx());
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                assert!(text.is_char_boundary(f.span.start), "{}", ctx());
                assert!(text.is_char_boundary(f.span.end), "{}", ctx());
            }
            Err(_) => assert_eq!(f.rule.as_str(), "file-encoding", "{}", ctx()),
        }
        assert_eq!(
            f.start,
            naive_position(bytes, f.span.start),
            "start of {}",
            ctx()
        );
        assert_eq!(f.end, naive_position(bytes, f.span.end), "end of {}", ctx());
        assert!(f.start <= f.end, "{}", ctx());
    }
    for item in &report.action_items {
        assert!(
            item.span.start <= item.span.end && item.span.end <= bytes.len(),
            "{item:?}"
        );
        assert_eq!(
            item.line,
            naive_position(bytes, item.span.start).line,
            "{item:?}"
        );
    }
}

/// Line and column of byte `offset`, counted the slow, obvious way: lines
/// end at `\n` or a lone `\r`; a BOM at the very start is no column; each
/// maximal run of invalid UTF-8 is one column (as a decoder replaces it
/// with one U+FFFD).
pub fn naive_position(bytes: &[u8], offset: usize) -> Position {
    let mut line = 1;
    let mut line_start = 0;
    for (i, b) in bytes[..offset].iter().enumerate() {
        if *b == b'\n' || *b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            line += 1;
            line_start = i + 1;
        }
    }
    let first = if line_start == 0 && bytes.starts_with("\u{feff}".as_bytes()) {
        3.min(offset)
    } else {
        line_start
    };
    let column = 1 + String::from_utf8_lossy(&bytes[first..offset])
        .chars()
        .count();
    Position { line, column }
}
