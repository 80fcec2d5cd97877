//! `sarif`: SARIF 2.1.0 for GitHub code scanning and SARIF viewers.
//!
//! One run. `tool.driver.rules` lists every built-in rule and the run's
//! custom rules, whether or not they reported anything, with their
//! documentation and help page. Results point at repository-relative URIs
//! under `%SRCROOT%` (the repository root, given in `originalUriBaseIds`);
//! a file outside the repository gets an absolute `file:` URI.
//!
//! Columns are UTF-16 code units (`columnKind: utf16CodeUnits`, SARIF's
//! default and what GitHub and editors count); pmlint's own columns count
//! code points, so the two differ after characters outside the Basic
//! Multilingual Plane (emoji). A byte-order mark is not a column.
//! `partialFingerprints.primaryLocationLineHash` comes from content (see
//! [`super::anchor`]), so alerts survive edits above them.

use super::{anchor::Anchor, RepoPath, RunReport};
use crate::diagnostic::Severity;
use crate::rules::custom::CustomRule;
use serde::Serialize;
use std::collections::HashMap;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// GitHub code scanning truncates longer full descriptions.
const FULL_DESCRIPTION_MAX: usize = 1024;

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: [Invocation; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<HashMap<&'static str, BaseId>>,
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    /// Left out when it would only repeat the id (a one-word custom rule
    /// id): SARIF wants the id opaque and the name readable, not the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
}

#[derive(Serialize)]
struct BaseId {
    uri: String,
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    location: ArtifactLocation,
    roles: [&'static str; 1],
    source_language: &'static str,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: Fingerprints,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fingerprints {
    primary_location_line_hash: String,
}

/// Renders the report. `locate` maps a reported path to where it lies
/// relative to the repository root `root` (absolute, `/` separators);
/// `custom` are the run's custom rules.
pub fn render(
    report: &RunReport,
    locate: &dyn Fn(&str) -> RepoPath,
    root: &str,
    custom: &[CustomRule],
) -> String {
    let mut rules: Vec<Descriptor> = crate::rules::all()
        .iter()
        .map(|r| {
            let docs = r.documentation();
            Descriptor {
                id: r.id.to_string(),
                name: rule_name(r.id),
                short_description: Text {
                    text: r.summary.to_string(),
                },
                full_description: Text {
                    text: full_description(&docs),
                },
                help: Help {
                    text: docs.clone(),
                    markdown: docs,
                },
                help_uri: super::rule_help_uri(r.id),
                default_configuration: Configuration {
                    level: level(r.default),
                },
            }
        })
        .collect();
    for c in custom {
        let text = match &c.message {
            Some(m) => format!("{}. Message: {m}", c.summary),
            None => c.summary.clone(),
        };
        rules.push(Descriptor {
            id: c.id.to_string(),
            name: rule_name(&c.id),
            short_description: Text {
                text: truncate(&c.summary, FULL_DESCRIPTION_MAX),
            },
            full_description: Text {
                text: truncate(&text, FULL_DESCRIPTION_MAX),
            },
            help: Help {
                text: text.clone(),
                markdown: text,
            },
            help_uri: super::custom_rules_help_uri(),
            default_configuration: Configuration {
                level: level(c.level),
            },
        });
    }
    let rule_index: HashMap<String, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();

    let mut artifacts = Vec::with_capacity(report.files.len());
    let mut results = Vec::new();
    for file in &report.files {
        let index = artifacts.len();
        let location = artifact_location(&locate(&file.path));
        artifacts.push(Artifact {
            location: location.clone(),
            roles: ["analysisTarget"],
            source_language: "markdown",
        });
        for (f, a) in file.anchored() {
            let Some(&rule_index) = rule_index.get(f.rule.as_str()) else {
                // Every reported rule is registered or configured; a result
                // without its rule would not validate, so it is left out.
                continue;
            };
            let mut message = f.message.clone();
            if let Some(s) = &f.suggestion {
                message.push_str("\nhelp: ");
                message.push_str(s);
            }
            results.push(SarifResult {
                rule_id: f.rule.as_str().to_string(),
                rule_index,
                level: level(f.severity),
                message: Text { text: message },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            index: Some(index),
                            ..location.clone()
                        },
                        region: region(f, &a),
                    },
                }],
                partial_fingerprints: Fingerprints {
                    primary_location_line_hash: a.line_hash(),
                },
            });
        }
    }

    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "pmlint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_HOMEPAGE"),
                    rules,
                },
            },
            invocations: [Invocation {
                execution_successful: true,
            }],
            original_uri_base_ids: Some(HashMap::from([(
                SRCROOT,
                BaseId {
                    uri: directory_uri(root),
                    description: Text {
                        text: "The repository root".into(),
                    },
                },
            )])),
            artifacts,
            results,
            column_kind: "utf16CodeUnits",
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).expect("the log serialises");
    s.push('\n');
    s
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(f: &crate::lint::Finding, a: &Anchor) -> Region {
    Region {
        start_line: f.start.line,
        start_column: a.start_utf16,
        end_line: f.end.line.max(f.start.line),
        end_column: if f.end.line > f.start.line {
            a.end_utf16
        } else {
            a.end_utf16.max(a.start_utf16)
        },
    }
}

fn artifact_location(path: &RepoPath) -> ArtifactLocation {
    match path {
        RepoPath::Inside(rel) => ArtifactLocation {
            uri: super::encode_path(rel),
            uri_base_id: Some(SRCROOT),
            index: None,
        },
        RepoPath::Outside(abs) => ArtifactLocation {
            uri: file_uri(abs),
            uri_base_id: None,
            index: None,
        },
    }
}

/// `file:` URI of an absolute path (`/x/y`, `C:/x/y`, or a Windows UNC or
/// verbatim path as canonicalisation returns it: `//?/C:/x`, `//server/x`).
fn file_uri(abs: &str) -> String {
    let unc;
    let abs = if let Some(rest) = abs.strip_prefix("//?/UNC/") {
        unc = format!("//{rest}");
        unc.as_str()
    } else {
        abs.strip_prefix("//?/").unwrap_or(abs)
    };
    if let Some(host_and_path) = abs.strip_prefix("//") {
        return format!("file://{}", super::encode_path(host_and_path));
    }
    // A Windows drive (`C:`) keeps its colon; everything else is encoded.
    let (drive, rest) = match abs.as_bytes() {
        [d, b':', ..] if d.is_ascii_alphabetic() => abs.split_at(2),
        _ => ("", abs),
    };
    let slash = if drive.is_empty() && rest.starts_with('/') {
        ""
    } else {
        "/"
    };
    format!("file://{slash}{drive}{}", super::encode_path(rest))
}

/// `file:` URI of a directory, ending in `/` as SARIF requires of a base.
fn directory_uri(abs: &str) -> String {
    let mut uri = file_uri(abs);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The rule's `name`: its id in PascalCase, unless that only repeats it.
fn rule_name(id: &str) -> Option<String> {
    let name = pascal_case(id);
    (!name.eq_ignore_ascii_case(id)).then_some(name)
}

/// `file-encoding` → `FileEncoding`.
fn pascal_case(id: &str) -> String {
    id.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(first) => first.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// The rule's "What it does" paragraphs as plain prose, at most 1,024
/// characters (GitHub's limit).
fn full_description(docs: &str) -> String {
    let mut section = String::new();
    let mut inside = false;
    for line in docs.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            if inside {
                break;
            }
            inside = heading.trim() == "What it does";
            continue;
        }
        if inside {
            section.push_str(line);
            section.push('\n');
        }
    }
    if section.trim().is_empty() {
        section = docs.to_string();
    }
    // Re-flow wrapped lines; keep paragraph breaks.
    let paragraphs: Vec<String> = section
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    truncate(&paragraphs.join("\n\n"), FULL_DESCRIPTION_MAX)
}

/// At most `max` bytes (so at most `max` characters), cut on a character
/// boundary with an ellipsis.
fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max - '…'.len_utf8();
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Position, RuleId};
    use crate::lint::{FileReport, Finding};
    use crate::output::FileResult;
    use serde_json::Value;

    fn report(path: &str, text: &str, findings: Vec<Finding>) -> RunReport {
        let anchors = crate::output::anchor::compute(text.as_bytes(), &findings);
        RunReport {
            files: vec![FileResult {
                path: path.into(),
                report: FileReport {
                    findings,
                    ..FileReport::default()
                },
                human: None,
                anchors,
            }],
        }
    }

    fn finding(rule: &'static str, sev: Severity, text: &str, needle: &str) -> Finding {
        let start = text.find(needle).expect("needle");
        let idx = crate::diagnostic::LineIndex::new(text);
        Finding {
            rule: RuleId::Builtin(rule),
            severity: sev,
            message: format!("Found \"{needle}\""),
            suggestion: Some("say it otherwise".into()),
            span: start..start + needle.len(),
            start: idx.position(text, start),
            end: idx.position(text, start + needle.len()),
        }
    }

    fn render_value(r: &RunReport) -> Value {
        let out = render(r, &|p| RepoPath::Inside(p.to_string()), "/repo", &[]);
        serde_json::from_str(&out).expect("valid JSON")
    }

    #[test]
    fn log_has_schema_version_driver_and_every_rule() {
        let v = render_value(&RunReport::default());
        assert_eq!(v["version"], "2.1.0");
        assert!(v["$schema"]
            .as_str()
            .unwrap()
            .ends_with("sarif-schema-2.1.0.json"));
        let run = &v["runs"][0];
        assert_eq!(run["columnKind"], "utf16CodeUnits");
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
        assert_eq!(
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///repo/"
        );
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "pmlint");
        assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), crate::rules::all().len());
        for (r, builtin) in rules.iter().zip(crate::rules::all()) {
            assert_eq!(r["id"], builtin.id);
            assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
            let full = r["fullDescription"]["text"].as_str().unwrap();
            assert!(
                !full.is_empty() && full.chars().count() <= 1024,
                "{}",
                builtin.id
            );
            assert!(!r["help"]["text"].as_str().unwrap().is_empty());
            assert!(r["helpUri"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/docs/rules/{}.md", builtin.id)));
            assert_eq!(r["defaultConfiguration"]["level"], level(builtin.default));
        }
        assert_eq!(rules[0]["name"], "FileEncoding");
    }

    #[test]
    fn results_carry_rule_index_level_location_and_fingerprint() {
        let text = "# T\n\nSo 😀 careless of them.\n";
        let r = report(
            "dir with space/a,b#c.md",
            text,
            vec![finding(
                "blameless-language",
                Severity::Info,
                text,
                "careless",
            )],
        );
        let v = render_value(&r);
        let run = &v["runs"][0];
        let res = &run["results"][0];
        assert_eq!(res["ruleId"], "blameless-language");
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            run["tool"]["driver"]["rules"][idx]["id"],
            "blameless-language"
        );
        assert_eq!(res["level"], "note");
        assert_eq!(
            res["message"]["text"],
            "Found \"careless\"\nhelp: say it otherwise"
        );
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"]["uri"],
            "dir%20with%20space/a%2Cb%23c.md"
        );
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["artifactLocation"]["index"], 0);
        assert_eq!(
            run["artifacts"][0]["location"]["uri"],
            loc["artifactLocation"]["uri"]
        );
        // "So 😀 " is 6 UTF-16 units: "careless" starts at column 7.
        assert_eq!(loc["region"]["startLine"], 3);
        assert_eq!(loc["region"]["startColumn"], 7);
        assert_eq!(loc["region"]["endLine"], 3);
        assert_eq!(loc["region"]["endColumn"], 15);
        let hash = res["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(hash.ends_with(":1") && hash.len() == 18, "{hash}");
    }

    #[test]
    fn fingerprints_do_not_move_with_the_line() {
        let a = "# T\n\ncareless\n";
        let b = "# T\n\nnew\nlines\n\ncareless\n";
        let hash = |text: &str| {
            let v = render_value(&report(
                "p.md",
                text,
                vec![finding(
                    "blameless-language",
                    Severity::Error,
                    text,
                    "careless",
                )],
            ));
            v["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"].clone()
        };
        assert_eq!(hash(a), hash(b));
    }

    #[test]
    fn files_outside_the_repository_get_absolute_file_uris() {
        let r = report("../x y.md", "", Vec::new());
        let out = render(
            &r,
            &|_| RepoPath::Outside("/elsewhere/x y.md".into()),
            "/repo",
            &[],
        );
        let v: Value = serde_json::from_str(&out).unwrap();
        let loc = &v["runs"][0]["artifacts"][0]["location"];
        assert_eq!(loc["uri"], "file:///elsewhere/x%20y.md");
        assert!(loc.get("uriBaseId").is_none());
        assert_eq!(file_uri("C:/a b/c.md"), "file:///C:/a%20b/c.md");
        assert_eq!(file_uri("//?/C:/repo"), "file:///C:/repo");
        assert_eq!(file_uri("//?/UNC/srv/share/a"), "file://srv/share/a");
        assert_eq!(directory_uri("/repo"), "file:///repo/");
    }

    #[test]
    fn relative_uris_cannot_read_as_a_scheme_or_carry_queries() {
        assert_eq!(crate::output::encode_path("c:d?e%f.md"), "c%3Ad%3Fe%25f.md");
        assert_eq!(crate::output::encode_path("é.md"), "%C3%A9.md");
    }

    #[test]
    fn long_descriptions_are_cut_on_a_character_boundary() {
        let long = "é".repeat(600);
        let cut = truncate(&long, 1024);
        assert!(cut.len() <= 1024 && cut.ends_with('…'));
        assert_eq!(truncate("short", 1024), "short");
        let docs = format!("## What it does\n{long}\nwrapped\n\n## Why\nno");
        let full = full_description(&docs);
        assert!(full.len() <= 1024 && full.starts_with('é'));
        assert_eq!(
            full_description("## What it does\nOne\ntwo.\n\nThree.\n## Why\nx"),
            "One two.\n\nThree."
        );
    }

    #[test]
    fn custom_rules_are_listed_after_the_built_in_ones() {
        let configs: Vec<crate::config::CustomRuleConfig> = serde_yaml::from_str(
            "- id: no_todo\n  kind: existence\n  pattern: TODO\n  level: error\n",
        )
        .unwrap();
        let custom = crate::rules::custom::compile(&configs, "c.yml", "").unwrap();
        let text = "TODO\n";
        let mut f = finding("blameless-language", Severity::Error, text, "TODO");
        f.rule = RuleId::Custom("no_todo".into());
        let r = report("p.md", text, vec![f]);
        let out = render(&r, &|p| RepoPath::Inside(p.into()), "/repo", &custom);
        let v: Value = serde_json::from_str(&out).unwrap();
        let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        let last = rules.last().unwrap();
        assert_eq!(last["id"], "no_todo");
        assert_eq!(last["name"], "NoTodo");
        assert_eq!(rule_name("pct"), None);
        assert_eq!(rule_name("no-todo").as_deref(), Some("NoTodo"));
        assert_eq!(last["defaultConfiguration"]["level"], "error");
        assert!(last["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("`TODO`"));
        assert_eq!(
            v["runs"][0]["results"][0]["ruleIndex"].as_u64().unwrap() as usize,
            rules.len() - 1
        );
    }

    #[test]
    fn a_zero_width_finding_has_an_empty_region_not_a_negative_one() {
        let text = "# T\n";
        let f = Finding {
            rule: RuleId::Builtin("file-encoding"),
            severity: Severity::Error,
            message: "cannot read".into(),
            suggestion: None,
            span: 0..0,
            start: Position { line: 1, column: 1 },
            end: Position { line: 1, column: 1 },
        };
        let v = render_value(&report("p.md", text, vec![f]));
        let region = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startColumn"], 1);
        assert_eq!(region["endColumn"], 1);
    }
}
