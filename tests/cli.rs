//! Integration tests of the `pmlint` binary: commands, flags, exit codes,
//! output formats, file walking, configuration and suppression comments.
//!
//! Every test runs in its own temporary directory (a copy of the fixtures it
//! needs), always passes `--today`, and needs neither the network nor a
//! particular machine speed.
//!
//! Most rule checks are implemented on other branches. The tests here rely
//! on what the pipeline itself reports — `file-encoding`, `unknown-rule`,
//! `unused-suppression` and custom rules — and pin the run to those rules
//! with `--select` where the merged rules would add findings. Tests that

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const TODAY: &str = "2026-04-01";
/// The rules the pipeline reports, plus the custom rule of `hostnames.yml`.
const PIPELINE: &str =
    "file-encoding,unknown-rule,unused-suppression,no-internal-hostnames,no-todo";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).expect("fixture exists")
}

/// A temporary repository (it holds `.git`, so config discovery stops
/// there) with the named fixtures copied in and `hostnames.yml` as its
/// `.pmlint.yml`.
fn repo(files: &[&str]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    // The custom rules the fixtures' suppression comments name.
    copy(
        &fixtures().join("hostnames.yml"),
        &dir.path().join(".pmlint.yml"),
    );
    for f in files {
        copy(&fixtures().join(f), &dir.path().join(f));
    }
    dir
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("mkdir");
        for e in std::fs::read_dir(from).expect("read dir") {
            let e = e.expect("entry");
            copy(&e.path(), &to.join(e.file_name()));
        }
    } else {
        if let Some(p) = to.parent() {
            std::fs::create_dir_all(p).expect("mkdir");
        }
        std::fs::copy(from, to).expect("copy");
    }
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(name);
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("mkdir");
    }
    std::fs::write(path, contents).expect("write");
}

/// `pmlint` in `dir`, with an environment that does not leak into results.
fn pmlint(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pmlint"));
    c.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_WORKSPACE");
    c
}

/// `pmlint check --today … --config hostnames.yml` plus `args`.
fn check(dir: &Path, args: &[&str]) -> Command {
    let mut c = pmlint(dir);
    c.args(["check", "--today", TODAY]).args(args);
    c
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(out)
                .chars()
                .take(2000)
                .collect::<String>()
        )
    })
}

fn run_json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let out = check(dir, &[&["--format", "json"], args].concat())
        .output()
        .expect("runs");
    (json(&out.stdout), out.status.code().unwrap_or(-1))
}

/// `(file, rule, line, column)` of every diagnostic.
fn findings(v: &Value) -> Vec<(String, String, u64, u64)> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_string(),
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn rules_of(v: &Value) -> Vec<String> {
    findings(v).into_iter().map(|f| f.1).collect()
}

// ---------------------------------------------------------------------------
// Output formats

#[test]
fn json_output_has_the_documented_shape() {
    let dir = repo(&["suppressions.md", "hostnames.yml"]);
    let (v, code) = run_json(
        dir.path(),
        &[
            "--config",
            "hostnames.yml",
            "--select",
            PIPELINE,
            "suppressions.md",
        ],
    );
    assert_eq!(code, 0, "warnings and infos only: exit 0");
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["warnings"], 3);
    assert_eq!(v["summary"]["infos"], 1);
    let first = &v["diagnostics"][0];
    for key in [
        "file",
        "rule",
        "severity",
        "message",
        "suggestion",
        "line",
        "column",
        "end_line",
        "end_column",
        "offset",
        "length",
    ] {
        assert!(first.get(key).is_some(), "missing `{key}` in {first}");
    }
    assert_eq!(
        findings(&v),
        vec![
            ("suppressions.md".into(), "unknown-rule".into(), 16, 31),
            ("suppressions.md".into(), "unused-suppression".into(), 19, 1),
            (
                "suppressions.md".into(),
                "no-internal-hostnames".into(),
                21,
                22
            ),
            (
                "suppressions.md".into(),
                "no-internal-hostnames".into(),
                21,
                47
            ),
        ]
    );
    let out = check(
        dir.path(),
        &["--format", "json", "--select", PIPELINE, "suppressions.md"],
    )
    .output()
    .expect("runs");
    insta::assert_snapshot!("json_suppressions", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn json_offsets_and_columns_point_at_the_flagged_text() {
    let dir = repo(&["suppressions.md", "hostnames.yml"]);
    let (v, _) = run_json(
        dir.path(),
        &[
            "--config",
            "hostnames.yml",
            "--select",
            PIPELINE,
            "suppressions.md",
        ],
    );
    let text = fixture("suppressions.md");
    for d in v["diagnostics"].as_array().expect("array") {
        let offset = d["offset"].as_u64().expect("offset") as usize;
        let length = d["length"].as_u64().expect("length") as usize;
        let flagged = &text[offset..offset + length];
        match d["rule"].as_str() {
            Some("unknown-rule") => assert_eq!(flagged, "blamless-language"),
            Some("no-internal-hostnames") => assert!(flagged.ends_with(".corp.example.com")),
            Some("unused-suppression") => assert!(flagged.starts_with("<!-- pmlint-")),
            other => panic!("unexpected rule {other:?}"),
        }
        // end_column is exclusive and on the same line here.
        assert_eq!(d["line"], d["end_line"]);
        assert_eq!(
            d["end_column"].as_u64().expect("end") - d["column"].as_u64().expect("col"),
            flagged.chars().count() as u64
        );
    }
}

#[test]
fn concise_output_is_one_line_per_finding_then_totals() {
    let dir = repo(&["suppressions.md", "hostnames.yml"]);
    let out = check(
        dir.path(),
        &[
            "--format",
            "concise",
            "--config",
            "hostnames.yml",
            "--select",
            PIPELINE,
            "suppressions.md",
        ],
    )
    .assert()
    .code(0);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "suppressions.md:16:31: warning[unknown-rule] Unknown rule `blamless-language` in suppression comment"
    );
    assert_eq!(
        lines[1],
        "suppressions.md:19:1: info[unused-suppression] Suppression of no-todo suppressed nothing"
    );
    assert!(lines[2].starts_with(
        "suppressions.md:21:22: warning[no-internal-hostnames] Internal hostname 'db1.corp.example.com'"
    ));
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[4], "Found 0 errors, 3 warnings and 1 info in 1 file.");
}

#[test]
fn human_output_shows_snippet_label_rule_and_help() {
    let dir = repo(&["suppressions.md", "hostnames.yml"]);
    let out = check(
        dir.path(),
        &[
            "--color",
            "never",
            "--config",
            "hostnames.yml",
            "--select",
            PIPELINE,
            "suppressions.md",
        ],
    )
    .assert()
    .code(0);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("unknown-rule"));
    assert!(stdout.contains("[suppressions.md:16:31]"));
    assert!(stdout.contains("<!-- pmlint-disable-next-line blamless-language -->"));
    assert!(stdout.contains("help: did you mean `blameless-language`?"));
    assert!(!stdout.contains('\u{1b}'), "no colour with --color never");
    assert!(stdout.ends_with("Found 0 errors, 3 warnings and 1 info in 1 file.\n"));
    insta::assert_snapshot!("human_suppressions", stdout);
}

#[test]
fn no_color_env_and_color_never_disable_escapes_color_always_enables_them() {
    let dir = repo(&["suppressions.md"]);
    let args = ["--select", "unknown-rule", "suppressions.md"];
    let plain = check(dir.path(), &args)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(!plain.stdout.contains(&0x1b));
    let always = check(dir.path(), &[&["--color", "always"][..], &args].concat())
        .output()
        .expect("runs");
    assert!(always.stdout.contains(&0x1b), "--color always colours");
}

#[test]
fn quiet_drops_the_totals_line() {
    let dir = repo(&["suppressions.md"]);
    check(
        dir.path(),
        &[
            "--quiet",
            "--format",
            "concise",
            "--select",
            "unknown-rule",
            "suppressions.md",
        ],
    )
    .assert()
    .code(0)
    .stdout(predicate::str::contains("unknown-rule").and(predicate::str::contains("Found").not()));
}

// ---------------------------------------------------------------------------
// Exit codes

#[test]
fn exit_0_when_nothing_is_found() {
    let dir = repo(&["suppressions.md"]);
    check(
        dir.path(),
        &["--select", "file-encoding", "suppressions.md"],
    )
    .assert()
    .code(0)
    .stdout(predicate::str::contains(
        "Found 0 errors, 0 warnings and 0 infos in 1 file.",
    ));
}

#[test]
fn exit_1_on_an_error_level_finding_and_0_with_exit_zero() {
    let dir = repo(&["suppressions.md"]);
    let cfg = fixture("hostnames.yml") + "rules:\n  unknown-rule: error\n";
    write(dir.path(), ".pmlint.yml", cfg);
    check(dir.path(), &["--select", "unknown-rule", "suppressions.md"])
        .assert()
        .code(1);
    check(
        dir.path(),
        &["--select", "unknown-rule", "--exit-zero", "suppressions.md"],
    )
    .assert()
    .code(0)
    .stdout(predicate::str::contains("1 error"));
}

#[test]
fn exit_2_for_a_missing_path() {
    let dir = repo(&[]);
    check(dir.path(), &["does-not-exist.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "does-not-exist.md: no such file or directory",
        ));
}

#[test]
fn exit_2_for_an_unknown_rule_in_select_with_did_you_mean() {
    let dir = repo(&["suppressions.md"]);
    check(
        dir.path(),
        &["--select", "blamless-language", "suppressions.md"],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "did you mean `blameless-language`?",
    ));
    check(dir.path(), &["--ignore", "no-such-rule", "suppressions.md"])
        .assert()
        .code(2);
}

#[test]
fn exit_2_for_a_config_that_is_not_valid_yaml() {
    let dir = repo(&["suppressions.md"]);
    write(dir.path(), ".pmlint.yml", "rules: [unclosed\n");
    check(dir.path(), &["suppressions.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid configuration"));
}

#[test]
fn exit_2_for_an_unknown_config_key_pointing_at_its_line_with_did_you_mean() {
    let dir = repo(&["suppressions.md"]);
    write(
        dir.path(),
        ".pmlint.yml",
        "default_timezone: UTC\ndraft_relaxd: false\n",
    );
    check(dir.path(), &["--color", "never", "suppressions.md"])
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown field `draft_relaxd`")
                .and(predicate::str::contains("╭─[.pmlint.yml:2:1]"))
                .and(predicate::str::contains("did you mean `draft_relaxed`?")),
        );
}

#[test]
fn exit_2_for_an_unknown_rule_id_in_the_config() {
    let dir = repo(&["suppressions.md"]);
    write(
        dir.path(),
        ".pmlint.yml",
        "rules:\n  blamless-language: off\n",
    );
    check(dir.path(), &["suppressions.md"])
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown rule `blamless-language`")
                .and(predicate::str::contains(".pmlint.yml:2:3"))
                .and(predicate::str::contains("blameless-language")),
        );
}

#[test]
fn exit_2_for_a_missing_explicit_config() {
    let dir = repo(&["suppressions.md"]);
    check(dir.path(), &["--config", "nope.yml", "suppressions.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.yml"));
}

#[test]
fn exit_2_for_a_bad_today() {
    let dir = repo(&["suppressions.md"]);
    pmlint(dir.path())
        .args(["check", "--today", "yesterday", "suppressions.md"])
        .assert()
        .code(2);
}

#[test]
fn max_warnings_fails_only_above_the_limit() {
    let dir = repo(&["suppressions.md", "hostnames.yml"]);
    let args = [
        "--config",
        "hostnames.yml",
        "--select",
        PIPELINE,
        "suppressions.md",
    ];
    // 3 warnings.
    check(dir.path(), &[&["--max-warnings", "3"][..], &args].concat())
        .assert()
        .code(0);
    check(dir.path(), &[&["--max-warnings", "2"][..], &args].concat())
        .assert()
        .code(1);
    check(
        dir.path(),
        &[&["--max-warnings", "0", "--exit-zero"][..], &args].concat(),
    )
    .assert()
    .code(0);
}

#[test]
fn max_warnings_from_the_config() {
    let dir = repo(&["suppressions.md"]);
    write(
        dir.path(),
        ".pmlint.yml",
        fixture("hostnames.yml") + "check:\n  max_warnings: 0\n",
    );
    check(dir.path(), &["--select", "unknown-rule", "suppressions.md"])
        .assert()
        .code(1);
}

// ---------------------------------------------------------------------------
// Selecting rules

#[test]
fn select_and_ignore_choose_rules_and_prefixes() {
    let dir = repo(&["suppressions.md", "hostnames.yml"]);
    let base = ["--config", "hostnames.yml", "suppressions.md"];
    let (v, _) = run_json(
        dir.path(),
        &[&["--select", "unknown-rule"][..], &base].concat(),
    );
    assert_eq!(rules_of(&v), vec!["unknown-rule"]);
    let (v, _) = run_json(
        dir.path(),
        &[
            &["--select", "un*,no-todo", "--ignore", "unknown-rule"][..],
            &base,
        ]
        .concat(),
    );
    assert_eq!(rules_of(&v), vec!["unused-suppression"]);
    // A suppression of a rule that did not run is not "unused".
    let (v, _) = run_json(dir.path(), &[&["--select", "un*"][..], &base].concat());
    assert_eq!(rules_of(&v), vec!["unknown-rule"]);
    let (v, _) = run_json(
        dir.path(),
        &[
            &["--select", "no-internal-hostnames,unknown-rule"][..],
            &base,
        ]
        .concat(),
    );
    assert_eq!(
        rules_of(&v),
        vec![
            "unknown-rule",
            "no-internal-hostnames",
            "no-internal-hostnames"
        ]
    );
}

// ---------------------------------------------------------------------------
// Inputs

#[test]
fn stdin_filename_names_the_document_read_from_stdin() {
    let dir = repo(&[]);
    let (v, code) = {
        let out = check(
            dir.path(),
            &[
                "--format",
                "json",
                "--select",
                "unknown-rule",
                "--stdin-filename",
                "postmortems/from-stdin.md",
            ],
        )
        .write_stdin(fixture("suppressions.md"))
        .output()
        .expect("runs");
        (json(&out.stdout), out.status.code())
    };
    assert_eq!(code, Some(0));
    assert_eq!(
        findings(&v),
        vec![(
            "postmortems/from-stdin.md".into(),
            "unknown-rule".into(),
            16,
            31
        )]
    );
}

#[test]
fn stdin_filename_with_paths_is_a_usage_error() {
    let dir = repo(&["suppressions.md"]);
    check(dir.path(), &["--stdin-filename", "a.md", "suppressions.md"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("name no paths"));
}

#[test]
fn stdin_filename_applies_overrides_for_that_name() {
    let dir = repo(&["hostnames.yml"]);
    let mut cfg = fixture("hostnames.yml");
    cfg.push_str(
        "overrides:\n  - files: [\"legacy/**\"]\n    rules: { no-internal-hostnames: off }\n",
    );
    write(dir.path(), ".pmlint.yml", cfg);
    let text = fixture("suppressions.md");
    let run = |name: &str| {
        let out = check(
            dir.path(),
            &[
                "--format",
                "json",
                "--select",
                "no-internal-hostnames",
                "--stdin-filename",
                name,
            ],
        )
        .write_stdin(text.clone())
        .output()
        .expect("runs");
        json(&out.stdout)["diagnostics"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(99)
    };
    assert_eq!(run("new/a.md"), 2);
    assert_eq!(run("legacy/a.md"), 0);
}

#[test]
fn empty_file_is_linted_without_a_crash() {
    let dir = repo(&[]);
    write(dir.path(), "empty.md", "");
    let (v, code) = run_json(
        dir.path(),
        &[
            "--select",
            PIPELINE.split_once(",no-").map(|p| p.0).unwrap_or(PIPELINE),
            "empty.md",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["files"], 1);
    assert!(rules_of(&v).is_empty());
}

#[test]
fn named_binary_file_is_a_file_encoding_error() {
    let dir = repo(&[]);
    write(dir.path(), "image.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let (v, code) = run_json(dir.path(), &["image.md"]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&v), vec!["file-encoding"]);
    assert_eq!(v["diagnostics"][0]["severity"], "error");
    assert!(v["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("Binary"));
}

#[test]
fn walked_binary_file_is_skipped_with_a_reason_under_verbose() {
    let dir = repo(&["suppressions.md"]);
    write(dir.path(), "docs/image.md", b"GIF89a\0\0\0\0");
    let out = check(
        dir.path(),
        &[
            "--verbose",
            "--format",
            "json",
            "--select",
            "file-encoding",
            ".",
        ],
    )
    .output()
    .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out.stdout)["summary"]["files"], 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("docs/image.md: binary file"), "{stderr}");
}

#[test]
fn invalid_utf8_is_reported_at_the_first_bad_byte_and_other_files_still_linted() {
    let dir = repo(&["suppressions.md"]);
    let mut bytes = b"---\ntitle: Caf".to_vec();
    bytes.push(0xE9); // Latin-1 "é"
    bytes.extend_from_slice(b"\nstatus: Draft\n---\n\n## Incident Summary\n");
    write(dir.path(), "latin1.md", &bytes);
    let (v, code) = run_json(
        dir.path(),
        &[
            "--select",
            "file-encoding,unknown-rule",
            "latin1.md",
            "suppressions.md",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&v),
        vec![
            ("latin1.md".into(), "file-encoding".into(), 2, 11),
            ("suppressions.md".into(), "unknown-rule".into(), 16, 31),
        ]
    );
    let d = &v["diagnostics"][0];
    assert_eq!(d["offset"], 14);
    assert!(d["message"].as_str().unwrap_or_default().contains("0xE9"));
}

#[test]
fn file_over_max_file_size_is_rejected_by_size() {
    let dir = repo(&["suppressions.md"]);
    write(dir.path(), ".pmlint.yml", "max_file_size: 100\n");
    let (v, code) = run_json(
        dir.path(),
        &["--select", "file-encoding", "suppressions.md"],
    );
    assert_eq!(code, 1);
    assert_eq!(rules_of(&v), vec!["file-encoding"]);
    assert!(v["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("max_file_size"));
}

#[test]
fn stdin_over_max_file_size_is_a_file_encoding_error() {
    let dir = repo(&[]);
    write(dir.path(), ".pmlint.yml", "max_file_size: 100\n");
    let out = check(
        dir.path(),
        &[
            "--format",
            "json",
            "--select",
            "file-encoding",
            "--stdin-filename",
            "big.md",
        ],
    )
    .write_stdin(fixture("suppressions.md"))
    .output()
    .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        findings(&json(&out.stdout)),
        vec![("big.md".into(), "file-encoding".into(), 1, 1)]
    );
}

#[test]
fn walking_a_named_directory_reports_files_outside_include_under_verbose() {
    let dir = repo(&["tree"]);
    write(
        dir.path(),
        ".pmlint.yml",
        fixture("hostnames.yml") + "include: [\"tree/sub/**\"]\n",
    );
    let out = check(
        dir.path(),
        &[
            "--verbose",
            "--format",
            "json",
            "--select",
            "no-internal-hostnames",
            "tree",
        ],
    )
    .output()
    .expect("runs");
    assert_eq!(json(&out.stdout)["summary"]["files"], 1);
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("tree/first.md: not matched by the configuration's `include`"));
}

#[test]
fn bom_and_crlf_do_not_shift_lines_or_columns() {
    let dir = repo(&["hostnames.yml"]);
    let lf = fixture("suppressions.md");
    let crlf = lf.replace('\n', "\r\n");
    write(dir.path(), "lf.md", &lf);
    write(dir.path(), "crlf.md", &crlf);
    write(dir.path(), "bom.md", format!("\u{feff}{crlf}"));
    let positions = |name: &str| -> Vec<(String, u64, u64, u64, u64)> {
        let (v, _) = run_json(
            dir.path(),
            &["--config", "hostnames.yml", "--select", PIPELINE, name],
        );
        v["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap_or_default().to_string(),
                    d["line"].as_u64().unwrap_or(0),
                    d["column"].as_u64().unwrap_or(0),
                    d["end_line"].as_u64().unwrap_or(0),
                    d["end_column"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    };
    let expected = positions("lf.md");
    assert_eq!(expected.len(), 4);
    assert_eq!(positions("crlf.md"), expected);
    assert_eq!(positions("bom.md"), expected);
}

// ---------------------------------------------------------------------------
// Walking directories

#[test]
fn walking_honours_gitignore_and_skips_non_postmortems_with_verbose_reasons() {
    let dir = repo(&["tree", "hostnames.yml"]);
    let out = check(
        dir.path(),
        &[
            "--verbose",
            "--format",
            "json",
            "--config",
            "hostnames.yml",
            "--select",
            "no-internal-hostnames",
            "tree",
        ],
    )
    .output()
    .expect("runs");
    let v = json(&out.stdout);
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(
        findings(&v),
        vec![
            (
                "tree/first.md".into(),
                "no-internal-hostnames".into(),
                8,
                40
            ),
            (
                "tree/sub/second.md".into(),
                "no-internal-hostnames".into(),
                8,
                18
            ),
        ]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("tree/README.md: does not look like a post-mortem"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("skipped.md") && !findings(&v).iter().any(|f| f.0.contains("ignored"))
    );
}

#[test]
fn without_verbose_skipped_files_are_not_mentioned() {
    let dir = repo(&["tree"]);
    check(dir.path(), &["--select", "file-encoding", "tree"])
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty());
}

#[test]
fn non_postmortem_markdown_is_linted_when_named() {
    let dir = repo(&["notes.md", "hostnames.yml"]);
    let (v, _) = run_json(
        dir.path(),
        &[
            "--config",
            "hostnames.yml",
            "--select",
            "no-internal-hostnames",
            "notes.md",
        ],
    );
    assert_eq!(
        findings(&v),
        vec![("notes.md".into(), "no-internal-hostnames".into(), 5, 5)]
    );
}

#[test]
fn globs_and_config_include_select_files() {
    let dir = repo(&["tree", "hostnames.yml"]);
    let (v, _) = run_json(
        dir.path(),
        &[
            "--config",
            "hostnames.yml",
            "--select",
            "no-internal-hostnames",
            "tree/**/sec*.md",
        ],
    );
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(findings(&v)[0].0, "tree/sub/second.md");
    // No paths: the config's `include`.
    let mut cfg = fixture("hostnames.yml");
    cfg.push_str("include: [\"tree/sub/**/*.md\"]\n");
    write(dir.path(), ".pmlint.yml", cfg);
    let (v, _) = run_json(dir.path(), &["--select", "no-internal-hostnames"]);
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(findings(&v)[0].0, "tree/sub/second.md");
}

#[test]
fn jobs_1_and_jobs_4_give_byte_identical_json() {
    let dir = repo(&["tree", "suppressions.md", "notes.md", "hostnames.yml"]);
    for i in 0..12 {
        write(
            dir.path(),
            &format!("many/pm-{i:02}.md"),
            fixture("suppressions.md"),
        );
    }
    let run = |jobs: &str| {
        check(
            dir.path(),
            &[
                "--format",
                "json",
                "--config",
                "hostnames.yml",
                "--jobs",
                jobs,
                ".",
            ],
        )
        .output()
        .expect("runs")
        .stdout
    };
    let one = run("1");
    let four = run("4");
    assert!(json(&one)["summary"]["files"].as_u64().unwrap_or(0) >= 14);
    assert_eq!(one, four);
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = repo(&["suppressions.md"]);
    write(dir.path(), "out/report.json", "old contents");
    check(
        dir.path(),
        &[
            "--format",
            "json",
            "--select",
            "unknown-rule",
            "--output",
            "out/report.json",
            "suppressions.md",
        ],
    )
    .assert()
    .code(0)
    .stdout(predicate::str::is_empty());
    let written = std::fs::read(dir.path().join("out/report.json")).expect("written");
    assert_eq!(json(&written)["summary"]["warnings"], 1);
    // Atomic: no temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, vec!["report.json"]);
}

#[test]
fn output_into_a_missing_directory_is_exit_2() {
    let dir = repo(&["suppressions.md"]);
    check(
        dir.path(),
        &["--output", "no/such/dir/report.txt", "suppressions.md"],
    )
    .assert()
    .code(2);
}

// ---------------------------------------------------------------------------
// Configuration

#[test]
fn config_is_discovered_upwards_but_not_beyond_the_repository_root() {
    let outer = tempfile::tempdir().expect("temp dir");
    // A config above the repository must be ignored …
    write(
        outer.path(),
        ".pmlint.yml",
        "rules:\n  unknown-rule: error\n",
    );
    let root = outer.path().join("repo");
    std::fs::create_dir_all(root.join(".git")).expect("mkdir");
    write(&root, "docs/pm/a.md", fixture("suppressions.md"));
    let (v, _) = {
        let out = check(
            &root.join("docs/pm"),
            &["--format", "json", "--select", "unknown-rule", "a.md"],
        )
        .output()
        .expect("runs");
        (json(&out.stdout), ())
    };
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
    // … and one in the repository, above the current directory, is found.
    write(&root, "docs/pmlint.yml", "rules:\n  unknown-rule: info\n");
    let out = check(
        &root.join("docs/pm"),
        &["--format", "json", "--select", "unknown-rule", "a.md"],
    )
    .output()
    .expect("runs");
    assert_eq!(json(&out.stdout)["diagnostics"][0]["severity"], "info");
}

#[test]
fn extends_merges_in_order_and_the_file_itself_wins() {
    let dir = repo(&["suppressions.md", "hostnames.yml"]);
    write(
        dir.path(),
        "config/base.yml",
        "rules:\n  unknown-rule: error\n  unused-suppression: off\n",
    );
    write(
        dir.path(),
        ".pmlint.yml",
        "extends: [\"config/base.yml\", \"hostnames.yml\"]\nrules:\n  unknown-rule: info\n",
    );
    let (v, _) = run_json(dir.path(), &["suppressions.md"]);
    let mut rules = rules_of(&v);
    rules.retain(|r| {
        [
            "unknown-rule",
            "unused-suppression",
            "no-internal-hostnames",
        ]
        .contains(&r.as_str())
    });
    assert_eq!(
        rules,
        vec![
            "unknown-rule",
            "no-internal-hostnames",
            "no-internal-hostnames"
        ]
    );
    let unknown = v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["rule"] == "unknown-rule")
        .expect("unknown-rule reported");
    assert_eq!(unknown["severity"], "info");
}

#[test]
fn extends_refuses_a_path_outside_the_repository() {
    let outer = tempfile::tempdir().expect("temp dir");
    write(outer.path(), "secret.yml", "rules: {}\n");
    let root = outer.path().join("repo");
    std::fs::create_dir_all(root.join(".git")).expect("mkdir");
    write(&root, "a.md", fixture("suppressions.md"));
    write(
        &root,
        ".pmlint.yml",
        "# shared\nextends: [\"../secret.yml\"]\n",
    );
    check(&root, &["a.md"])
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("lies outside the repository")
                .and(predicate::str::contains(".pmlint.yml:2:")),
        );
}

#[test]
fn overrides_by_glob_and_by_status() {
    let dir = repo(&["tree", "hostnames.yml"]);
    let mut cfg = fixture("hostnames.yml");
    cfg.push_str(concat!(
        "overrides:\n",
        "  - files: [\"tree/sub/**\"]\n",
        "    rules: { no-internal-hostnames: info }\n",
        "  - status: [finalised]\n",
        "    rules: { no-internal-hostnames: error }\n",
    ));
    write(dir.path(), ".pmlint.yml", cfg);
    let (v, code) = run_json(dir.path(), &["--select", "no-internal-hostnames", "tree"]);
    let sev: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        sev,
        vec![
            ("tree/first.md".to_string(), "error".to_string()),
            ("tree/sub/second.md".to_string(), "info".to_string()),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn draft_relaxed_lowers_completeness_rules_in_drafts_only() {
    let dir = repo(&["tree"]);
    // tree/sub/second.md lacks most sections; make one copy a Draft.
    let draft = fixture("tree/sub/second.md").replace("Under Review", "Draft");
    write(dir.path(), "draft.md", draft);
    let (v, _) = run_json(dir.path(), &["--select", "required-section", "draft.md"]);
    assert!(!rules_of(&v).is_empty());
    assert!(v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .all(|d| d["severity"] == "warning"));
    let (v, _) = run_json(
        dir.path(),
        &["--select", "required-section", "tree/sub/second.md"],
    );
    assert!(v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .all(|d| d["severity"] == "error"));
    write(dir.path(), ".pmlint.yml", "draft_relaxed: false\n");
    let (v, _) = run_json(dir.path(), &["--select", "required-section", "draft.md"]);
    assert!(v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .all(|d| d["severity"] == "error"));
}

// ---------------------------------------------------------------------------
// Custom rules

#[test]
fn custom_substitution_and_required_rules() {
    let dir = repo(&["suppressions.md"]);
    write(
        dir.path(),
        ".pmlint.yml",
        concat!(
            "custom_rules:\n",
            "  - id: say-replica\n",
            "    kind: substitution\n",
            "    level: info\n",
            "    swap: { \"export job\": \"export worker\" }\n",
            "  - id: need-dashboard-link\n",
            "    kind: required\n",
            "    level: error\n",
            "    pattern: 'https://grafana\\.'\n",
            "    sections: [Incident Summary]\n",
            "    message: \"Link the dashboard that showed the incident\"\n",
        ),
    );
    let (v, code) = run_json(
        dir.path(),
        &[
            "--select",
            "say-replica,need-dashboard-link",
            "suppressions.md",
        ],
    );
    assert_eq!(code, 1);
    let diags = v["diagnostics"].as_array().expect("array");
    assert_eq!(diags.len(), 2, "{v}");
    assert_eq!(diags[0]["rule"], "need-dashboard-link");
    assert_eq!(diags[0]["line"], 12, "points at the section heading");
    assert_eq!(
        diags[0]["message"],
        "Link the dashboard that showed the incident"
    );
    assert_eq!(diags[1]["rule"], "say-replica");
    assert_eq!(diags[1]["severity"], "info");
    assert_eq!(diags[1]["line"], 17);
    assert_eq!(diags[1]["suggestion"], "write \"export worker\"");
}

#[test]
fn custom_rule_with_a_bad_regex_is_a_config_error_at_its_line() {
    let dir = repo(&["suppressions.md"]);
    write(
        dir.path(),
        ".pmlint.yml",
        "custom_rules:\n  - id: broken\n    kind: existence\n    pattern: 'a(b'\n",
    );
    check(dir.path(), &["suppressions.md"])
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("invalid regular expression")
                .and(predicate::str::contains(".pmlint.yml:4:")),
        );
}

#[test]
fn custom_rule_with_an_unknown_field_is_a_config_error() {
    let dir = repo(&["suppressions.md"]);
    write(
        dir.path(),
        ".pmlint.yml",
        "custom_rules:\n  - id: x\n    kind: existence\n    patern: 'abc'\n",
    );
    check(dir.path(), &["suppressions.md"])
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown field `patern`")
                .and(predicate::str::contains("did you mean `pattern`?")),
        );
}

// ---------------------------------------------------------------------------
// Suppression comments end to end

#[test]
fn suppression_comments_silence_findings_and_report_unknown_and_unused() {
    let dir = repo(&["suppressions.md", "hostnames.yml"]);
    let (v, _) = run_json(
        dir.path(),
        &[
            "--config",
            "hostnames.yml",
            "--select",
            PIPELINE,
            "suppressions.md",
        ],
    );
    // Line 24's hostname is suppressed by the comment on line 23, which is
    // therefore not unused.
    let f = findings(&v);
    assert!(!f.iter().any(|x| x.2 == 24));
    assert!(!f.iter().any(|x| x.1 == "unused-suppression" && x.2 == 23));
    let unknown = &v["diagnostics"][0];
    assert_eq!(unknown["rule"], "unknown-rule");
    assert_eq!(unknown["suggestion"], "did you mean `blameless-language`?");
    // A comment whose ids are all unknown is never also unused.
    assert!(!f.iter().any(|x| x.1 == "unused-suppression" && x.2 == 16));
}

#[test]
fn disable_file_silences_a_rule_everywhere() {
    let dir = repo(&["hostnames.yml"]);
    let text = fixture("suppressions.md").replace(
        "<!-- pmlint-disable-file no-todo -->",
        "<!-- pmlint-disable-file no-internal-hostnames -->",
    );
    write(dir.path(), "a.md", text);
    let (v, _) = run_json(
        dir.path(),
        &["--config", "hostnames.yml", "--select", PIPELINE, "a.md"],
    );
    let f = findings(&v);
    assert!(!f.iter().any(|x| x.1 == "no-internal-hostnames"), "{f:?}");
    // Both comments cover line 24's hostname, so both count as used (a
    // comment is unused only when it suppressed nothing at all).
    assert!(!f.iter().any(|x| x.1 == "unused-suppression"), "{f:?}");
}

// ---------------------------------------------------------------------------
// Other commands

#[test]
fn rules_lists_every_rule_with_its_level() {
    let dir = repo(&[]);
    let out = pmlint(dir.path()).arg("rules").assert().code(0);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(stdout.lines().count(), 35);
    assert!(stdout
        .lines()
        .any(|l| l.starts_with("blameless-language") && l.contains("error")));
    let out = pmlint(dir.path())
        .args(["rules", "--json"])
        .output()
        .expect("runs");
    let v = json(&out.stdout);
    assert_eq!(v.as_array().map(Vec::len), Some(35));
    assert_eq!(v[0]["id"], "file-encoding");
}

#[test]
fn readme_rule_table_matches_the_registry() {
    let dir = repo(&[]);
    let out = pmlint(dir.path())
        .args(["rules", "--markdown"])
        .output()
        .expect("runs");
    let table = String::from_utf8_lossy(&out.stdout).to_string();
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let begin = "<!-- rules:begin (generated by `pmlint rules --markdown`) -->\n";
    let start = readme
        .find(begin)
        .expect("README has the rules:begin marker")
        + begin.len();
    let end = readme[start..]
        .find("<!-- rules:end -->")
        .expect("README has the rules:end marker")
        + start;
    assert_eq!(
        &readme[start..end],
        table,
        "README rule table is stale: paste the output of `pmlint rules --markdown`"
    );
}

#[test]
fn explain_prints_the_rule_docs_and_unknown_rule_is_exit_2() {
    let dir = repo(&[]);
    pmlint(dir.path())
        .args(["explain", "file-encoding"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("# file-encoding")
                .and(predicate::str::contains("## What it does"))
                .and(predicate::str::contains("## Use instead"))
                .and(predicate::str::contains("TODO").not()),
        );
    pmlint(dir.path())
        .args(["explain", "unknwn-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `unknown-rule`?"));
}

#[test]
fn config_prints_the_effective_configuration_as_yaml() {
    let dir = repo(&["hostnames.yml"]);
    write(
        dir.path(),
        ".pmlint.yml",
        "draft_relaxed: false\nextends: [hostnames.yml]\n",
    );
    let out = pmlint(dir.path()).arg("config").assert().code(0);
    let yaml: serde_yaml::Value =
        serde_yaml::from_slice(&out.get_output().stdout).expect("valid YAML");
    assert_eq!(yaml["draft_relaxed"], serde_yaml::Value::Bool(false));
    assert_eq!(yaml["default_timezone"].as_str(), Some("UTC"));
    assert_eq!(yaml["sections"].as_sequence().map(Vec::len), Some(10));
    assert_eq!(
        yaml["custom_rules"][0]["id"].as_str(),
        Some("no-internal-hostnames")
    );
    // The printed configuration is itself a valid configuration.
    write(dir.path(), "printed.yml", &out.get_output().stdout);
    pmlint(dir.path())
        .args(["config", "--config", "printed.yml"])
        .assert()
        .code(0);
}

#[test]
fn config_schema_is_valid_json_covering_every_key() {
    let dir = repo(&[]);
    let out = pmlint(dir.path())
        .args(["config", "--schema"])
        .assert()
        .code(0);
    let v = json(&out.get_output().stdout);
    let props = v["properties"].as_object().expect("properties");
    for key in [
        "include",
        "exclude",
        "extends",
        "default_timezone",
        "timezone_aliases",
        "max_file_size",
        "draft_relaxed",
        "statuses",
        "action_item_statuses",
        "incident_id_pattern",
        "timeline_slack",
        "sections",
        "rules",
        "overrides",
        "people",
        "systems",
        "custom_rules",
        "check",
        "sync",
    ] {
        assert!(props.contains_key(key), "schema lacks `{key}`");
    }
}

#[test]
fn new_writes_a_post_mortem_that_check_accepts() {
    let dir = repo(&[]);
    pmlint(dir.path())
        .args(["new", "Checkout latency spike", "--now", "2026-03-14 09:12"])
        .env("USER", "test-author")
        .assert()
        .code(0);
    let path = dir.path().join("2026-03-14-checkout-latency-spike.md");
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(text.starts_with("---\ntitle: \"Checkout latency spike\"\nstatus: Draft\n"));
    assert!(text.contains("incident_start_time: 2026-03-14 09:12 UTC"));
    // Refuses to overwrite without --force.
    pmlint(dir.path())
        .args(["new", "Checkout latency spike", "--now", "2026-03-14 09:12"])
        .assert()
        .code(2);
    // No error, only Draft warnings. (With the stubbed rules of this branch
    // there are no findings at all; once merged, the relaxed completeness
    // rules report warnings and infos.)
    let (v, code) = run_json(dir.path(), &["2026-03-14-checkout-latency-spike.md"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["errors"], 0, "{v}");
}

#[test]
fn new_with_stdout_prints_and_writes_nothing() {
    let dir = repo(&[]);
    pmlint(dir.path())
        .args(["new", "--stdout", "--now", "2026-03-14 09:12"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("status: Draft"));
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != ".git" && e.file_name() != ".pmlint.yml")
        .collect();
    assert!(entries.is_empty());
}

// ---------------------------------------------------------------------------
// The shipped examples (these assertions need the merged rules).

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

#[test]
fn examples_have_no_pipeline_findings_except_the_showcase() {
    let dir = repo(&[]);
    copy(&examples(), &dir.path().join("examples"));
    let (v, _) = run_json(
        dir.path(),
        &[
            "--select",
            "file-encoding,unknown-rule,unused-suppression",
            "examples",
        ],
    );
    assert!(v["summary"]["files"].as_u64().unwrap_or(0) >= 3);
    for f in findings(&v) {
        assert!(f.0.contains("defects"), "unexpected finding {f:?}");
    }
}

#[test]
fn clean_example_has_no_error_and_no_warning() {
    let dir = repo(&[]);
    copy(&examples(), &dir.path().join("examples"));
    let (v, code) = run_json(dir.path(), &["examples/2026-03-14-payments-db-failover.md"]);
    assert_eq!(code, 0);
    assert_eq!(v["diagnostics"], serde_json::json!([]), "{v}");
}

#[test]
fn draft_example_has_no_error() {
    let dir = repo(&[]);
    copy(&examples(), &dir.path().join("examples"));
    let (v, code) = run_json(
        dir.path(),
        &["examples/2026-05-02-search-index-lag-draft.md"],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["errors"], 0, "{v}");
}

#[test]
fn defects_example_shows_off_most_rules() {
    let dir = repo(&[]);
    copy(&examples(), &dir.path().join("examples"));
    let (v, code) = run_json(dir.path(), &["examples/2026-02-09-cdn-outage-defects.md"]);
    assert_eq!(code, 1);
    let mut rules = rules_of(&v);
    rules.sort();
    rules.dedup();
    for expected in [
        "frontmatter-required",
        "frontmatter-status",
        "incident-window",
        "metadata-mismatch",
        "section-order",
        "duplicate-section",
        "empty-section",
        "timeline-window",
        // duration-mismatch is silent while the end precedes the start
        // (incident-window reports that); tests/fixtures/plant plants it.
        "required-section",
        "template-placeholder",
        "timeline-time",
        "timeline-order",
        "impact-unquantified",
        "root-cause-depth",
        "action-item-id",
        "action-item-owner",
        "action-item-due-date",
        "action-item-status",
        "action-item-overdue",
        "action-item-vague",
        "blameless-language",
        "counterfactual-language",
        "minimizing-language",
        "individual-blamed",
        "unknown-rule",
        "unused-suppression",
    ] {
        assert!(
            rules.iter().any(|r| r == expected),
            "{expected} not reported: {rules:?}"
        );
    }
    insta::assert_snapshot!(
        "json_defects_example",
        serde_json::to_string_pretty(&v).unwrap_or_default()
    );
}

#[test]
fn today_decides_which_action_items_are_overdue() {
    let dir = repo(&["overdue.md"]);
    let run = |today: &str| {
        let out = pmlint(dir.path())
            .args(["check", "--today", today, "--format", "json"])
            .args(["--select", "action-item-overdue", "overdue.md"])
            .output()
            .expect("runs");
        findings(&json(&out.stdout))
    };
    assert!(run("2026-02-15").is_empty());
    assert_eq!(run("2026-03-01"), vec![]);
    // Only the open item (line 14) is overdue; the Done one never is.
    let late = run("2026-03-02");
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!((late[0].1.as_str(), late[0].2), ("action-item-overdue", 14));
}

#[test]
fn new_post_mortem_gets_only_draft_relaxed_findings() {
    let dir = repo(&[]);
    pmlint(dir.path())
        .args([
            "new",
            "Queue backlog",
            "--now",
            "2026-03-14 09:12",
            "-o",
            "pm.md",
        ])
        .assert()
        .code(0);
    let (v, code) = run_json(dir.path(), &["pm.md"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["errors"], 0);
    assert!(v["summary"]["warnings"].as_u64().unwrap_or(0) > 0, "{v}");
    let out = pmlint(dir.path())
        .args(["rules", "--json"])
        .output()
        .expect("runs");
    let relaxed: Vec<String> = json(&out.stdout)
        .as_array()
        .expect("array")
        .iter()
        .filter(|r| r["draft_relaxed"] == true)
        .filter_map(|r| r["id"].as_str().map(String::from))
        .collect();
    for rule in rules_of(&v) {
        assert!(
            relaxed.contains(&rule),
            "{rule} is not a Draft-relaxed rule"
        );
    }
}

#[test]
fn unknown_rule_option_in_a_flow_mapping_points_at_its_line() {
    let dir = repo(&["suppressions.md"]);
    write(
        dir.path(),
        ".pmlint.yml",
        "rules:\n  blameless-language: error\n  root-cause-depth: { level: warning, min_why: 3 }\n",
    );
    check(dir.path(), &["suppressions.md"])
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("rule `root-cause-depth` has no option `min_why`")
                .and(predicate::str::contains("╭─[.pmlint.yml:3:39]"))
                .and(predicate::str::contains("did you mean `min_whys`?")),
        );
}

#[test]
fn extends_cycle_is_a_config_error() {
    let dir = repo(&["suppressions.md"]);
    write(dir.path(), ".pmlint.yml", "extends: [\"other.yml\"]\n");
    write(dir.path(), "other.yml", "extends: [\".pmlint.yml\"]\n");
    check(dir.path(), &["suppressions.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`extends` forms a cycle"));
}

#[test]
fn github_format_is_the_default_in_actions_with_repo_relative_escaped_paths() {
    let dir = repo(&[]);
    // The document's own text tries to start a second command.
    write(
        dir.path(),
        "docs/a,b%.md",
        "---\ntitle: x\n---\n\nSee db1.corp.example.com%0A::error::pwned\n",
    );
    let out = check(
        &dir.path().join("docs"),
        &["--select", "no-internal-hostnames", "a,b%.md"],
    )
    .env("GITHUB_ACTIONS", "true")
    .env("GITHUB_WORKSPACE", dir.path())
    .output()
    .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "::warning file=docs/a%2Cb%25.md,line=5,endLine=5,col=5,endColumn=25,\
         title=pmlint(no-internal-hostnames)::Internal hostname 'db1.corp.example.com' \
         in a post-mortem that will be shared"
    );
    assert_eq!(lines[1], "Found 0 errors, 1 warning and 0 infos in 1 file.");
    assert!(lines.iter().all(|l| !l.starts_with("::error")));
}

#[test]
fn github_format_escapes_messages_and_notes_annotation_limits() {
    let dir = repo(&[]);
    write(
        dir.path(),
        ".pmlint.yml",
        "custom_rules:\n  - id: pct\n    kind: existence\n    level: info\n    pattern: '\\d+%'\n    message: \"100% sure: '%s'\"\n",
    );
    let body: String = (0..12)
        .map(|i| format!("Load was {i}% higher.\n\n"))
        .collect();
    write(dir.path(), "a.md", format!("---\ntitle: x\n---\n\n{body}"));
    let out = check(
        dir.path(),
        &["--format", "github", "--quiet", "--select", "pct", "a.md"],
    )
    .output()
    .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(stdout.starts_with(
        "::notice file=a.md,line=5,endLine=5,col=10,endColumn=12,title=pmlint(pct)::100%25 sure: '0%25'\n"
    ), "{stdout}");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::notice")).count(),
        12
    );
    assert!(stdout.contains("pmlint: 12 notice annotations; GitHub shows at most 10"));
    assert!(!stdout.contains("Found"), "--quiet");
}

// ---------------------------------------------------------------------------
// Machine formats: sarif, rdjson, gitlab, junit

/// A repository for the machine formats: the suppressions fixture, and a
/// post-mortem in a directory with a space whose name has a comma, with an
/// error-level custom rule that fires twice on identical text.
fn formats_repo() -> TempDir {
    let dir = repo(&["suppressions.md"]);
    let config = std::fs::read_to_string(dir.path().join(".pmlint.yml")).expect("config");
    write(
        dir.path(),
        ".pmlint.yml",
        format!(
            "{config}  - id: no-blame\n    kind: existence\n    level: error\n    pattern: 'careless'\n"
        ),
    );
    write(
        dir.path(),
        "post mortems/b, c.md",
        "---\ntitle: B\n---\n\n# Summary\n\nA careless step. Another careless step 😀 careless.\n\nTODO: more.\n",
    );
    dir
}

const FORMAT_RULES: &str =
    "file-encoding,unknown-rule,unused-suppression,no-internal-hostnames,no-todo,no-blame";

/// `pmlint check --format FORMAT` over the formats repository, run from
/// its root with `GITHUB_WORKSPACE` set there.
fn run_format(dir: &Path, format: &str, paths: &[&str]) -> (String, i32) {
    let out = check(
        dir,
        &[&["--format", format, "--select", FORMAT_RULES], paths].concat(),
    )
    .env("GITHUB_WORKSPACE", dir)
    .output()
    .expect("runs");
    (
        String::from_utf8(out.stdout).expect("UTF-8 output"),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn sarif_output_has_rules_results_locations_and_fingerprints() {
    let dir = formats_repo();
    let (out, code) = run_format(dir.path(), "sarif", &["suppressions.md", "post mortems"]);
    assert_eq!(code, 1, "an error-level finding fails the run");
    let mut v = json(out.as_bytes());
    assert_eq!(v["version"], "2.1.0");
    let run = &mut v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    // Every built-in rule, then the configured custom rules.
    assert_eq!(rules.len(), pmlint::rules::all().len() + 3);
    assert_eq!(rules.last().expect("rule")["id"], "no-blame");
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("root uri")
        .to_string();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    for r in run["results"].as_array().expect("results") {
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
    }
    // The snapshot leaves out the rule catalogue (checked above and in the
    // unit tests) and the temporary directory's name.
    run["tool"]["driver"]["rules"] = Value::String(format!("{} rules", rules.len()));
    run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = Value::String("file:///REPO/".into());
    insta::assert_snapshot!(
        "sarif_formats",
        serde_json::to_string_pretty(&v).expect("serialises")
    );
}

#[test]
fn rdjson_output_has_reviewdogs_shape() {
    let dir = formats_repo();
    let (out, _) = run_format(dir.path(), "rdjson", &["suppressions.md", "post mortems"]);
    let v = json(out.as_bytes());
    assert_eq!(v["source"]["name"], "pmlint");
    assert_eq!(v["severity"], "ERROR");
    for d in v["diagnostics"].as_array().expect("diagnostics") {
        assert!(d["location"]["range"]["start"]["line"].as_u64().is_some());
        assert!(["ERROR", "WARNING", "INFO"].contains(&d["severity"].as_str().unwrap_or("")));
    }
    insta::assert_snapshot!("rdjson_formats", out);
}

#[test]
fn gitlab_output_is_a_code_quality_report_with_unique_fingerprints() {
    let dir = formats_repo();
    let (out, _) = run_format(dir.path(), "gitlab", &["suppressions.md", "post mortems"]);
    let v = json(out.as_bytes());
    let issues = v.as_array().expect("an array of issues");
    let fps: std::collections::HashSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().expect("fingerprint"))
        .collect();
    assert_eq!(fps.len(), issues.len(), "fingerprints are unique");
    for i in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].is_string(), "{key} in {i}");
        }
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&i["severity"].as_str().unwrap_or("")));
        assert!(i["location"]["path"].is_string());
        assert!(i["location"]["lines"]["begin"].as_u64().is_some());
    }
    insta::assert_snapshot!("gitlab_formats", out);
}

#[test]
fn junit_output_is_one_testcase_per_file_and_a_failure_per_error() {
    let dir = formats_repo();
    let (out, code) = run_format(dir.path(), "junit", &["suppressions.md", "post mortems"]);
    assert_eq!(code, 1);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("testsuite");
    assert_eq!(suite.attribute("tests"), Some("2"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 2);
    let failed = cases
        .iter()
        .find(|c| c.attribute("name") == Some("post mortems/b, c.md"))
        .expect("the failing file");
    let failures: Vec<_> = failed
        .children()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 3, "one per error");
    assert_eq!(failures[0].attribute("type"), Some("no-blame"));
    // The warning (no-todo) is listed, but does not fail the test case.
    let system_out = failed
        .children()
        .find(|n| n.has_tag_name("system-out"))
        .and_then(|n| n.text())
        .expect("system-out");
    assert!(system_out.contains("warning[no-todo]"), "{system_out}");
    insta::assert_snapshot!("junit_formats", out);
}

#[test]
fn check_format_in_the_config_selects_the_machine_formats() {
    let dir = formats_repo();
    let config = std::fs::read_to_string(dir.path().join(".pmlint.yml")).expect("config");
    for (format, starts) in [
        ("sarif", "{\n  \"$schema\""),
        ("rdjson", "{\n  \"source\""),
        ("gitlab", "[\n  {"),
        ("junit", "<?xml"),
    ] {
        write(
            dir.path(),
            ".pmlint.yml",
            format!("check:\n  format: {format}\n{config}"),
        );
        let out = check(dir.path(), &["--select", FORMAT_RULES, "post mortems"])
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.starts_with(starts), "{format}: {stdout}");
    }
}

/// The fingerprint-bearing field of each finding, in output order.
fn fingerprints(dir: &Path, format: &str) -> Vec<String> {
    let (out, _) = run_format(dir, format, &["post mortems"]);
    let v = json(out.as_bytes());
    match format {
        "sarif" => v["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["partialFingerprints"]["primaryLocationLineHash"].to_string())
            .collect(),
        _ => v
            .as_array()
            .expect("issues")
            .iter()
            .map(|i| i["fingerprint"].to_string())
            .collect(),
    }
}

#[test]
fn fingerprints_survive_lines_added_above_and_tell_identical_findings_apart() {
    let dir = formats_repo();
    let before_sarif = fingerprints(dir.path(), "sarif");
    let before_gitlab = fingerprints(dir.path(), "gitlab");
    let distinct: std::collections::HashSet<&String> = before_sarif.iter().collect();
    assert_eq!(distinct.len(), before_sarif.len(), "{before_sarif:?}");
    assert!(
        before_sarif.len() >= 3,
        "three identical `careless` findings"
    );
    write(
        dir.path(),
        "post mortems/b, c.md",
        "---\ntitle: B\n---\n\n# Summary\n\nA new paragraph.\n\nAnd one more,\nover two lines.\n\nA careless step. Another careless step 😀 careless.\n\nTODO: more.\n",
    );
    assert_eq!(fingerprints(dir.path(), "sarif"), before_sarif);
    assert_eq!(fingerprints(dir.path(), "gitlab"), before_gitlab);
}

/// `(rule, message)` of every finding in a JSON-based format's output.
fn rule_messages(format: &str, v: &Value) -> Vec<(String, String)> {
    let (list, rule, message): (&Value, &[&str], &[&str]) = match format {
        "sarif" => (&v["runs"][0]["results"], &["ruleId"], &["message", "text"]),
        "rdjson" => (&v["diagnostics"], &["code", "value"], &["message"]),
        "gitlab" => (v, &["check_name"], &["description"]),
        _ => (&v["diagnostics"], &["rule"], &["message"]),
    };
    let get = |mut d: &Value, keys: &[&str]| {
        for k in keys {
            d = &d[k];
        }
        d.as_str().unwrap_or_default().to_string()
    };
    list.as_array()
        .expect("a list of findings")
        .iter()
        .map(|d| (get(d, rule), get(d, message)))
        .collect()
}

#[test]
fn machine_formats_stay_well_formed_on_hostile_documents_and_names() {
    let dir = repo(&[]);
    write(
        dir.path(),
        ".pmlint.yml",
        "custom_rules:\n  - id: bad\n    kind: existence\n    level: error\n    pattern: 'x[^\\n]*'\n",
    );
    let hostile = "---\ntitle: \"<a> & 'q' \\\" \\u0001\"\n---\n\n# Summary\n\n\
        x <b>&amp;</b> \"quoted\" ]]> \u{1}\u{8}\u{b}\u{c}\u{1b}[31m \u{fffe}\u{ffff} é 😀 %0A ::error::y\r\n";
    let name = "we\"ird, <name> & 'x' é #1?.md";
    write(dir.path(), &format!("sub dir/{name}"), hostile);
    write(dir.path(), "sub dir/latin1.md", b"# Summary\n\nx caf\xe9\n");
    write(dir.path(), "sub dir/binary.md", b"# Summary\n\nx\0\x01");
    let paths = [
        format!("sub dir/{name}"),
        "sub dir/latin1.md".to_string(),
        "sub dir/binary.md".to_string(),
    ];
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    // HTML tags are masked out of prose; the rest is flagged as written.
    let flagged = "&amp;\u{1}\u{1}\u{1}\u{1} \"quoted\" ]]> \u{1}\u{8}";
    for format in ["sarif", "rdjson", "gitlab", "json"] {
        let out = check(dir.path(), &[&["--format", format], &paths[..]].concat())
            .env("GITHUB_WORKSPACE", dir.path())
            .output()
            .expect("runs");
        let found = rule_messages(format, &json(&out.stdout));
        // Two unreadable files, and the hostile text intact in a message.
        let unreadable = found.iter().filter(|(r, _)| r == "file-encoding").count();
        assert_eq!(unreadable, 2, "{format}: {found:?}");
        assert!(
            found.iter().any(|(r, m)| r == "bad" && m.contains(flagged)),
            "{format}: {found:?}"
        );
    }
    let out = check(dir.path(), &[&["--format", "junit"], &paths[..]].concat())
        .output()
        .expect("runs");
    let xml = String::from_utf8(out.stdout).expect("UTF-8");
    // Document text never starts a line (a workflow command in a CI log).
    assert!(
        xml.lines().all(|l| l.trim_start().starts_with('<')),
        "{xml}"
    );
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert!(
        names.contains(&format!("sub dir/{name}").as_str()),
        "{names:?}"
    );
    let failures: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .map(|n| n.attribute("type").unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        failures.iter().filter(|t| *t == "file-encoding").count(),
        2,
        "{failures:?}"
    );
    // Markup and quotes come back as they were; characters XML cannot
    // carry come back as U+FFFD.
    let message = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .filter_map(|n| n.attribute("message"))
        .find(|m| m.contains("quoted"))
        .expect("the hostile finding");
    assert!(
        message.contains("&amp;\u{fffd}\u{fffd}\u{fffd}\u{fffd} \"quoted\" ]]> \u{fffd}\u{fffd}"),
        "{message:?}"
    );
}

#[test]
fn sarif_paths_are_repository_relative_from_a_subdirectory() {
    let dir = formats_repo();
    let out = check(
        &dir.path().join("post mortems"),
        &["--format", "sarif", "--select", FORMAT_RULES, "b, c.md"],
    )
    .env("GITHUB_WORKSPACE", dir.path())
    .output()
    .expect("runs");
    let v = json(&out.stdout);
    let loc = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], "post%20mortems/b%2C%20c.md");
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");
    let (rd, _) = {
        let out = check(
            &dir.path().join("post mortems"),
            &["--format", "rdjson", "--select", FORMAT_RULES, "b, c.md"],
        )
        .env("GITHUB_WORKSPACE", dir.path())
        .output()
        .expect("runs");
        (json(&out.stdout), 0)
    };
    assert_eq!(
        rd["diagnostics"][0]["location"]["path"],
        "post mortems/b, c.md"
    );
}

#[test]
fn unknown_check_format_in_the_config_is_an_error_with_did_you_mean() {
    let dir = repo(&["suppressions.md"]);
    write(dir.path(), ".pmlint.yml", "check:\n  format: jsno\n");
    check(dir.path(), &["suppressions.md"])
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown format `jsno`")
                .and(predicate::str::contains("did you mean `json`?")),
        );
    write(dir.path(), ".pmlint.yml", "check:\n  format: concise\n");
    check(
        dir.path(),
        &["--select", "file-encoding", "suppressions.md"],
    )
    .assert()
    .code(0)
    .stdout("Found 0 errors, 0 warnings and 0 infos in 1 file.\n");
}

#[test]
fn summary_file_lists_totals_findings_and_action_items() {
    let dir = repo(&["suppressions.md", "overdue.md"]);
    check(
        dir.path(),
        &[
            "--select",
            PIPELINE,
            "--summary",
            "summary.md",
            "--quiet",
            "suppressions.md",
            "overdue.md",
        ],
    )
    .assert()
    .code(0);
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).expect("written");
    assert!(summary.starts_with("## pmlint\n\nFound 0 errors, 3 warnings and 1 info in 2 files.\n"));
    assert!(summary.contains("### `overdue.md`\n\nNo findings.\n"));
    assert!(summary.contains(
        "| warning | `unknown-rule` | 16 | Unknown rule `blamless-language` in suppression comment |"
    ));
    assert!(summary.contains(
        "| PM-AI-001 | @&#8203;kim-osei | 2026-03-01 | Open |  |\n| PM-AI-002 | @&#8203;kim-osei | 2026-03-01 | Done |  |"
    ), "{summary}");
}

#[test]
fn step_summary_env_is_appended_to() {
    let dir = repo(&["suppressions.md"]);
    write(dir.path(), "step.md", "earlier step\n");
    for _ in 0..2 {
        check(
            dir.path(),
            &["--select", "file-encoding", "suppressions.md"],
        )
        .env("GITHUB_STEP_SUMMARY", dir.path().join("step.md"))
        .assert()
        .code(0);
    }
    let text = std::fs::read_to_string(dir.path().join("step.md")).expect("written");
    assert!(text.starts_with("earlier step\n## pmlint\n"));
    assert_eq!(text.matches("## pmlint").count(), 2);
}

#[test]
fn summary_flags_overdue_action_items() {
    let dir = repo(&["overdue.md"]);
    check(
        dir.path(),
        &[
            "--summary",
            "s.md",
            "--select",
            "action-item-overdue",
            "overdue.md",
        ],
    )
    .assert()
    .code(0);
    let summary = std::fs::read_to_string(dir.path().join("s.md")).expect("written");
    assert!(summary.contains("| PM-AI-001 | @&#8203;kim-osei | 2026-03-01 | Open | ⚠ overdue |"));
    assert!(summary.contains("| PM-AI-002 | @&#8203;kim-osei | 2026-03-01 | Done |  |"));
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

#[test]
fn changed_since_lints_only_files_that_differ_from_the_ref() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    copy(&fixtures().join("tree"), &root.join("tree"));
    copy(&fixtures().join("hostnames.yml"), &root.join(".pmlint.yml"));
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "base"]);
    write(
        root,
        "tree/sub/second.md",
        fixture("tree/sub/second.md") + "\nAlso db4.corp.example.com.\n",
    );
    let out = check(
        root,
        &[
            "--changed-since",
            "HEAD",
            "--verbose",
            "--format",
            "json",
            "--select",
            "no-internal-hostnames",
            "tree",
        ],
    )
    .output()
    .expect("runs");
    let v = json(&out.stdout);
    assert_eq!(v["summary"]["files"], 1, "{v}");
    assert!(findings(&v).iter().all(|f| f.0 == "tree/sub/second.md"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tree/first.md: unchanged since HEAD"));
    check(root, &["--changed-since", "no-such-ref", "tree"])
        .assert()
        .code(2);
    check(root, &["--changed-since", "--output=x", "tree"])
        .assert()
        .code(2);
}

/// The YAML blocks of the README's "Configuration" and "Custom rules"
/// sections are valid configurations.
#[test]
fn readme_configuration_examples_are_valid() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let mut blocks = Vec::new();
    for section in [
        "\n## Configuration\n",
        "\n## Custom rules\n",
        "\n## Status-aware severity\n",
    ] {
        let at = readme.find(section).expect("section present");
        let rest = &readme[at..];
        let start = rest.find("```yaml\n").expect("yaml block") + "```yaml\n".len();
        let end = rest[start..].find("```").expect("block end") + start;
        blocks.push(rest[start..end].to_string());
    }
    for (i, block) in blocks.iter().enumerate() {
        let dir = repo(&[]);
        // The example extends this file.
        write(dir.path(), "rules/strict.yml", "");
        write(dir.path(), ".pmlint.yml", block);
        let out = pmlint(dir.path()).arg("config").output().expect("runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "README block {i} is not a valid configuration: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn disable_until_enable_and_unknown_ids_in_enable() {
    let dir = repo(&[]);
    write(
        dir.path(),
        "a.md",
        concat!(
            "---\ntitle: x\n---\n\n",
            "<!-- pmlint-disable no-internal-hostnames -- quoted from the ticket -->\n",
            "Seen on a1.corp.example.com.\n\n",
            "Seen on a2.corp.example.com.\n",
            "<!-- pmlint-enable no-internal-hostnames, no-intrenal-hostnames -->\n",
            "Seen on a3.corp.example.com.\n",
        ),
    );
    let (v, _) = run_json(dir.path(), &["--select", PIPELINE, "a.md"]);
    assert_eq!(
        findings(&v),
        vec![
            ("a.md".into(), "unknown-rule".into(), 9, 43),
            ("a.md".into(), "no-internal-hostnames".into(), 10, 9),
        ]
    );
    assert_eq!(
        v["diagnostics"][0]["suggestion"],
        "did you mean `no-internal-hostnames`?"
    );
}

#[test]
fn walked_file_with_lone_cr_line_endings_is_linted() {
    let dir = repo(&[]);
    write(
        dir.path(),
        "docs/old-mac.md",
        "---\rtitle: x\rstatus: Draft\r---\r\r## Incident Summary\r\rIt was human error.\r",
    );
    let (v, _) = run_json(dir.path(), &["--select", "blameless-language", "."]);
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(
        findings(&v),
        vec![("docs/old-mac.md".into(), "blameless-language".into(), 8, 8)]
    );
}

#[test]
fn human_output_inside_actions_stops_workflow_commands_around_document_text() {
    let dir = repo(&[]);
    write(
        dir.path(),
        "a.md",
        "---\ntitle: x\n---\n\n::error file=x::injected human error\n",
    );
    let out = check(
        dir.path(),
        &[
            "--format",
            "human",
            "--color",
            "never",
            "--select",
            "blameless-language",
            "a.md",
        ],
    )
    .env("GITHUB_ACTIONS", "true")
    .output()
    .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let lines: Vec<&str> = stdout.lines().collect();
    let token = lines[0]
        .strip_prefix("::stop-commands::")
        .expect("first line stops commands");
    assert!(token.starts_with("pmlint-") && token.len() > 10, "{token}");
    assert_eq!(lines.last().copied(), Some(format!("::{token}::").as_str()));
    assert_eq!(stdout.matches(token).count(), 2, "{stdout}");
    assert!(
        stdout.contains("::error file=x::injected"),
        "the snippet is inside the region"
    );
}

#[test]
fn walking_takes_only_documents_that_look_like_post_mortems() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Documentation that shows a post-mortem in a code block.
    write(
        dir.path(),
        "docs/howto.md",
        "# How to write a review\n\n```markdown\n## 1. Incident Summary\n## 2. Timeline\n## 4. Root Cause Analysis\n```\n",
    );
    // A README with one heading that happens to name a section.
    write(
        dir.path(),
        "README.md",
        "# Tools\n\n## Summary\n\nScripts.\n",
    );
    // A static-site page: front matter without incident keys, no sections.
    write(
        dir.path(),
        "site/page.md",
        "---\ntitle: About\nlayout: page\n---\n\n# About us\n",
    );
    // A post-mortem without front matter: two of the template's sections.
    write(
        dir.path(),
        "reviews/bare.md",
        "# Outage\n\n## 1. Incident Summary\n\nThe API failed.\n\n## 2. Timeline\n\nNone.\n",
    );
    // A post-mortem whose front matter carries incident keys, no sections.
    write(
        dir.path(),
        "reviews/front.md",
        "---\ntitle: DB outage\nincident_start_time: 2025-07-18 09:00 UTC\n---\n\nText.\n",
    );
    let out = check(dir.path(), &["--format", "json", "--verbose"])
        .output()
        .expect("run");
    let v = json(&out.stdout);
    let mut files: Vec<String> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["file"].as_str().expect("file").to_string())
        .collect();
    files.dedup();
    assert_eq!(files, vec!["reviews/bare.md", "reviews/front.md"]);
    assert_eq!(v["summary"]["files"], 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for skipped in ["docs/howto.md", "README.md", "site/page.md"] {
        assert!(
            stderr.contains(&format!("{skipped}: does not look like a post-mortem")),
            "{skipped}: {stderr}"
        );
    }
}

#[test]
fn a_closed_stdout_pipe_ends_output_quietly_without_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        &["rules", "--json"][..],
        &["rules"],
        &["explain", "blameless-language"],
        &["config", "--schema"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pmlint"))
            .current_dir(dir.path())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // The reader goes away before reading anything, like `| head -0`.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

/// `json`, `human` and `concise` are written file by file while the files
/// are checked (batches of a few hundred); with a Markdown summary the run
/// keeps every result and renders at the end. Both must give the same
/// bytes, exit code and file, across batch boundaries and with skipped
/// files among the checked ones.
#[test]
fn streamed_reports_equal_the_reports_rendered_at_the_end() {
    let dir = repo(&[]);
    let template = fixture("template.md");
    let overdue = fixture("overdue.md");
    let notes = fixture("notes.md");
    for i in 0..600 {
        let (name, text) = match i % 5 {
            0 => (format!("docs/a{i:04}.md"), template.as_str()),
            1 => (format!("docs/b{i:04}.md"), overdue.as_str()),
            2 => (format!("docs/c{i:04}.md"), notes.as_str()),
            3 => (format!("docs/d{i:04}.md"), "---\nincident_id: 1\n---\n"),
            _ => (format!("docs/e{i:04}.md"), "\0binary"),
        };
        write(dir.path(), &name, text);
    }
    for format in ["json", "human", "concise"] {
        for extra in [&[][..], &["--quiet"][..]] {
            let args = [&["--format", format, "--color", "never", "-j", "2"], extra].concat();
            let streamed = check(dir.path(), &[&args[..], &["docs"]].concat())
                .output()
                .expect("runs");
            let kept = check(
                dir.path(),
                &[&args[..], &["--summary", "summary.md", "docs"]].concat(),
            )
            .output()
            .expect("runs");
            assert!(!streamed.stdout.is_empty(), "{format}");
            assert_eq!(
                String::from_utf8_lossy(&streamed.stdout),
                String::from_utf8_lossy(&kept.stdout),
                "{format} {extra:?}"
            );
            assert_eq!(streamed.status.code(), kept.status.code(), "{format}");
            assert_eq!(streamed.status.code(), Some(1), "{format}");
            let to_file = check(
                dir.path(),
                &[&args[..], &["--output", "out/report.txt", "docs"]].concat(),
            )
            .output()
            .expect("runs");
            // The directory does not exist: the report cannot be written.
            assert_eq!(to_file.status.code(), Some(2), "{format}");
            std::fs::create_dir_all(dir.path().join("out")).expect("mkdir");
            let to_file = check(
                dir.path(),
                &[&args[..], &["--output", "out/report.txt", "docs"]].concat(),
            )
            .output()
            .expect("runs");
            assert_eq!(to_file.status.code(), Some(1), "{format}");
            assert!(to_file.stdout.is_empty());
            let written = std::fs::read(dir.path().join("out/report.txt")).expect("written");
            assert_eq!(written, streamed.stdout, "{format} --output");
            let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
                .expect("read dir")
                .map(|e| e.expect("entry").file_name())
                .collect();
            assert_eq!(leftovers.len(), 1, "{leftovers:?}");
            std::fs::remove_dir_all(dir.path().join("out")).expect("rm");
        }
    }
    let v = json(
        &check(dir.path(), &["--format", "json", "docs"])
            .output()
            .expect("runs")
            .stdout,
    );
    assert_eq!(v["summary"]["files"], 360);
}
