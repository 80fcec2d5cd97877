//! The GitHub Action (`action.yml`) run outside GitHub: a simulated runner
//! environment (`GITHUB_*`, `RUNNER_*`, `INPUT_*`, an event payload, output
//! and summary files) over a temporary git repository with a base commit
//! and a head commit, and a local bare repository as `origin`.
//!
//! The environment is hermetic: every inherited `GITHUB_*`, `INPUT_*`,
//! `RUNNER_*` and `GIT_*` variable is removed, `HOME` is a fresh directory
//! with its own git identity. Nothing touches the network. Tests that run
//! the shell parts (`action/install.sh`, the `run:` line of `action.yml`)
//! need bash and are Unix-only; Windows runners run them in Git Bash, but a
//! test process there may find another `bash.exe` first.

mod support;

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

const PMLINT: &str = env!("CARGO_BIN_EXE_pmlint");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A command with the inherited runner, input and git variables removed.
fn hermetic(program: impl AsRef<OsStr>, home: &Path) -> Command {
    let mut c = Command::new(program);
    for (name, _) in std::env::vars_os() {
        let n = name.to_string_lossy();
        if ["GITHUB_", "INPUT_", "RUNNER_", "GIT_", "PMLINT_"]
            .iter()
            .any(|p| n.starts_with(p))
            || n == "NO_COLOR"
            || n == "GH_TOKEN"
            || n == "XDG_CONFIG_HOME"
        {
            c.env_remove(&name);
        }
    }
    c.env("HOME", home)
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0");
    c
}

/// A post-mortem that the walk recognises (front matter at the top), with
/// `body` as its narrative.
fn postmortem(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nstatus: Finalised\n---\n\n# {title}\n\n## Narrative\n\n{body}\n")
}

/// Every built-in rule off; two custom rules whose findings do not depend
/// on the date: `TODO` is an error, an internal hostname a warning.
fn config() -> String {
    let out = Command::new(PMLINT)
        .args(["rules", "--json"])
        .output()
        .expect("pmlint rules runs");
    let rules: Vec<Value> = serde_json::from_slice(&out.stdout).expect("rules JSON");
    let mut s = String::from("rules:\n");
    for r in rules {
        s.push_str(&format!("  {}: off\n", r["id"].as_str().expect("id")));
    }
    s.push_str(
        "custom_rules:\n  - id: no-todo\n    level: error\n    message: \"Unfinished: '%s'\"\n    \
         kind: existence\n    pattern: '\\bTODO\\b'\n  - id: no-internal-hostnames\n    \
         level: warning\n    message: \"Internal hostname '%s'\"\n    kind: existence\n    \
         pattern: '\\b[a-z0-9-]+\\.corp\\.example\\.com\\b'\n",
    );
    s
}

/// The simulated runner over a repository:
/// * base commit: `changed.md` (clean), `unchanged.md` (an error and a
///   warning), `warn-only.md` (a warning), `deleted.md` (an error);
/// * head commit: `changed.md` gains two errors and a warning,
///   `deleted.md` is removed.
///
/// `work` is the clone the action runs in, with `origin` a bare repository
/// holding both commits.
struct Sim {
    dir: TempDir,
    base: String,
    head: String,
}

impl Sim {
    fn new() -> Sim {
        let dir = tempfile::tempdir().expect("temp dir");
        let sim = Sim {
            dir,
            base: String::new(),
            head: String::new(),
        };
        for d in ["home", "work", "runner/temp"] {
            std::fs::create_dir_all(sim.path(d)).expect("mkdir");
        }
        std::fs::write(
            sim.path("home/.gitconfig"),
            "[user]\n\tname = Test Runner\n\temail = runner@example.com\n\
             [init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
        )
        .expect("gitconfig");
        let mut sim = sim;
        let work = sim.path("work");
        sim.git(&work, &["init", "-q"]);
        sim.write("work/.pmlint.yml", &config());
        sim.write(
            "work/postmortems/changed.md",
            &postmortem("Changed", "The cache filled up."),
        );
        sim.write(
            "work/postmortems/unchanged.md",
            &postmortem(
                "Unchanged",
                "TODO: write this. The host db1.corp.example.com failed.",
            ),
        );
        sim.write(
            "work/postmortems/warn-only.md",
            &postmortem("Warn only", "The host db2.corp.example.com failed."),
        );
        sim.write(
            "work/postmortems/deleted.md",
            &postmortem("Deleted", "TODO: remove."),
        );
        sim.git(&work, &["add", "-A"]);
        sim.git(&work, &["commit", "-q", "-m", "base"]);
        sim.base = sim.git(&work, &["rev-parse", "HEAD"]);
        sim.write(
            "work/postmortems/changed.md",
            &postmortem(
                "Changed",
                "TODO: the cause.\n\nTODO: the fix. See cache1.corp.example.com.",
            ),
        );
        sim.git(&work, &["rm", "-q", "postmortems/deleted.md"]);
        sim.git(&work, &["commit", "-q", "-am", "head"]);
        sim.head = sim.git(&work, &["rev-parse", "HEAD"]);
        let origin = sim.path("origin.git");
        sim.git(
            sim.dir.path(),
            &["init", "-q", "--bare", &origin.to_string_lossy()],
        );
        sim.git(
            &work,
            &["remote", "add", "origin", &origin.to_string_lossy()],
        );
        sim.git(&work, &["push", "-q", "origin", "main"]);
        sim.event(json!({
            "action": "opened",
            "number": 7,
            "pull_request": {
                "number": 7,
                "base": {"sha": sim.base, "ref": "main", "repo": {"full_name": "o/r"}},
                "head": {"sha": sim.head, "ref": "topic", "repo": {"full_name": "o/r", "fork": false}}
            }
        }));
        sim
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    fn git(&self, cwd: &Path, args: &[&str]) -> String {
        let out = hermetic("git", &self.path("home"))
            .current_dir(cwd)
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn event(&self, payload: Value) {
        self.write("runner/event.json", &payload.to_string());
    }

    /// `program` with the runner's environment for a `pull_request` event,
    /// run in `cwd` (a checkout below the temporary directory).
    fn runner(&self, program: impl AsRef<OsStr>, cwd: &str) -> Command {
        let mut c = hermetic(program, &self.path("home"));
        c.current_dir(self.path(cwd))
            .env("GITHUB_ACTIONS", "true")
            .env("CI", "true")
            .env("GITHUB_EVENT_NAME", "pull_request")
            .env("GITHUB_EVENT_PATH", self.path("runner/event.json"))
            .env("GITHUB_OUTPUT", self.path("runner/output"))
            .env("GITHUB_STEP_SUMMARY", self.path("runner/summary.md"))
            .env("GITHUB_WORKSPACE", self.path(cwd))
            .env("GITHUB_REPOSITORY", "o/r")
            .env("RUNNER_OS", runner_os())
            .env("RUNNER_ARCH", runner_arch())
            .env("RUNNER_TEMP", self.path("runner/temp"))
            .env("INPUT_COMMAND", "check")
            .env("INPUT_PATHS", "")
            .env("INPUT_CONFIG", "")
            .env("INPUT_FAIL_ON", "error")
            .env("INPUT_ONLY_CHANGED", "")
            .env("INPUT_SARIF_FILE", "")
            .env("INPUT_SUMMARY", "true")
            .env("INPUT_DRY_RUN", "false")
            .env("INPUT_GITHUB_TOKEN", "ghs_not_a_real_token")
            .env("INPUT_VERSION", "path");
        c
    }

    /// `pmlint action` in the work tree.
    fn action(&self) -> Command {
        let mut c = self.runner(PMLINT, "work");
        c.arg("action");
        c
    }

    /// The step outputs written so far, parsed from the multi-line syntax.
    fn outputs(&self) -> BTreeMap<String, String> {
        parse_outputs(&std::fs::read_to_string(self.path("runner/output")).unwrap_or_default())
    }

    fn summary(&self) -> String {
        std::fs::read_to_string(self.path("runner/summary.md")).unwrap_or_default()
    }
}

fn runner_os() -> &'static str {
    match std::env::consts::OS {
        "macos" => "macOS",
        "windows" => "Windows",
        _ => "Linux",
    }
}

fn runner_arch() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "ARM64",
        _ => "X64",
    }
}

/// Parses `NAME<<DELIM\nVALUE\nDELIM\n` entries (and plain `NAME=VALUE`),
/// failing the test on anything else.
fn parse_outputs(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delim)) = line.split_once("<<") {
            let mut value = Vec::new();
            loop {
                let l = lines.next().expect("unterminated multi-line output");
                if l == delim {
                    break;
                }
                value.push(l);
            }
            out.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), value.to_string());
        } else {
            panic!("not an output line: {line:?}");
        }
    }
    out
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The files named by `::error`/`::warning`/`::notice` annotations.
fn annotated_files(stdout: &str) -> BTreeSet<String> {
    stdout
        .lines()
        .filter(|l| {
            l.starts_with("::error file=")
                || l.starts_with("::warning file=")
                || l.starts_with("::notice file=")
        })
        .filter_map(|l| l.split("file=").nth(1)?.split(',').next())
        .map(str::to_string)
        .collect()
}

fn outputs_of(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn pull_request_annotates_only_the_changed_post_mortem_and_sets_outputs_and_summary() {
    let sim = Sim::new();
    let out = sim.action().output().expect("runs");
    let (stdout, stderr) = text(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "fail-on error, 2 errors\n{stdout}\n{stderr}"
    );
    assert_eq!(
        annotated_files(&stdout),
        BTreeSet::from(["postmortems/changed.md".to_string()]),
        "{stdout}"
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("::error file=postmortems/changed.md,line=10,"))
            .count(),
        1,
        "{stdout}"
    );
    assert!(stdout.contains("title=pmlint(no-todo)::Unfinished: 'TODO'"));
    assert_eq!(
        sim.outputs(),
        outputs_of(&[("errors", "2"), ("warnings", "1"), ("files", "1")])
    );
    let summary = sim.summary();
    assert!(summary.contains("postmortems/changed.md"), "{summary}");
    assert!(!summary.contains("unchanged.md"), "{summary}");
    assert!(!summary.contains("deleted.md"), "{summary}");
    assert!(!stdout.contains("ghs_not_a_real_token") && !stderr.contains("ghs_not_a_real_token"));
}

#[test]
fn fail_on_decides_the_exit_status() {
    let sim = Sim::new();
    let status = |fail_on: &str, paths: &str| {
        sim.action()
            .env("INPUT_FAIL_ON", fail_on)
            .env("INPUT_ONLY_CHANGED", "false")
            .env("INPUT_PATHS", paths)
            .output()
            .expect("runs")
            .status
            .code()
    };
    let errors = "postmortems/unchanged.md";
    let warnings = "postmortems/warn-only.md";
    let clean = "postmortems/no-such-findings.md";
    sim.write(&format!("work/{clean}"), &postmortem("Clean", "All good."));
    assert_eq!(status("error", errors), Some(1));
    assert_eq!(status("warning", errors), Some(1));
    assert_eq!(status("none", errors), Some(0));
    assert_eq!(status("error", warnings), Some(0));
    assert_eq!(status("warning", warnings), Some(1));
    assert_eq!(status("none", warnings), Some(0));
    assert_eq!(status("warning", clean), Some(0));
    // A bad value is a usage error, before anything runs.
    std::fs::remove_file(sim.path("runner/output")).expect("outputs were written");
    let out = sim
        .action()
        .env("INPUT_FAIL_ON", "warnings")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = text(&out);
    assert!(stderr.contains("input `fail-on`: `warnings` is not one of error, warning, none"));
    assert!(
        stdout.starts_with("::error title=pmlint::input `fail-on`"),
        "{stdout}"
    );
    assert!(sim.outputs().is_empty());
}

#[test]
fn fail_on_none_still_sets_the_outputs() {
    let sim = Sim::new();
    let out = sim
        .action()
        .env("INPUT_FAIL_ON", "none")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(sim.outputs()["errors"], "2");
}

#[test]
fn only_changed_false_lints_every_post_mortem() {
    let sim = Sim::new();
    let out = sim
        .action()
        .env("INPUT_ONLY_CHANGED", "false")
        .output()
        .expect("runs");
    let (stdout, _) = text(&out);
    assert_eq!(
        annotated_files(&stdout),
        ["changed", "unchanged", "warn-only"]
            .iter()
            .map(|f| format!("postmortems/{f}.md"))
            .collect(),
    );
    assert_eq!(
        sim.outputs(),
        outputs_of(&[("errors", "3"), ("warnings", "3"), ("files", "3")])
    );
}

#[test]
fn only_changed_is_off_by_default_outside_pull_requests() {
    let sim = Sim::new();
    sim.event(json!({"ref": "refs/heads/main"}));
    let out = sim
        .action()
        .env("GITHUB_EVENT_NAME", "workflow_dispatch")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(sim.outputs()["files"], "3");
    // Asked for explicitly where no base exists: a notice, then every file.
    let out = sim
        .action()
        .env("GITHUB_EVENT_NAME", "workflow_dispatch")
        .env("INPUT_ONLY_CHANGED", "true")
        .output()
        .expect("runs");
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("::notice title=pmlint::only-changed: a `workflow_dispatch` event names no base commit; linting every post-mortem"),
        "{stdout}"
    );
}

#[test]
fn only_changed_on_push_compares_with_the_previous_commit() {
    let sim = Sim::new();
    sim.event(json!({"before": sim.base, "after": sim.head}));
    let out = sim
        .action()
        .env("GITHUB_EVENT_NAME", "push")
        .env("INPUT_ONLY_CHANGED", "true")
        .output()
        .expect("runs");
    assert_eq!(
        annotated_files(&text(&out).0),
        BTreeSet::from(["postmortems/changed.md".to_string()])
    );
}

#[test]
fn config_input_names_the_configuration_file() {
    let sim = Sim::new();
    // The same rules, with TODO lowered to a warning.
    sim.write(
        "work/ci/strict.yml",
        &config().replace("level: error", "level: warning"),
    );
    let out = sim
        .action()
        .env("INPUT_CONFIG", "ci/strict.yml")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert_eq!(
        sim.outputs(),
        outputs_of(&[("errors", "0"), ("warnings", "3"), ("files", "1")])
    );
    let out = sim
        .action()
        .env("INPUT_CONFIG", "ci/missing.yml")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("ci/missing.yml does not exist"));
}

#[test]
fn summary_false_writes_no_job_summary() {
    let sim = Sim::new();
    sim.action()
        .env("INPUT_SUMMARY", "false")
        .output()
        .expect("runs");
    assert_eq!(sim.summary(), "");
    assert_eq!(sim.outputs()["files"], "1");
}

#[test]
fn missing_base_commit_is_fetched_from_origin() {
    let sim = Sim::new();
    // A shallow clone holds the head commit only, as `actions/checkout`
    // makes by default.
    let url = format!(
        "file://{}",
        sim.path("origin.git").to_string_lossy().replace('\\', "/")
    );
    let url = if url.starts_with("file:///") {
        url
    } else {
        url.replacen("file://", "file:///", 1)
    };
    sim.git(
        sim.dir.path(),
        &["clone", "-q", "--depth=1", &url, "shallow"],
    );
    let shallow = sim.path("shallow");
    let has_base = || {
        hermetic("git", &sim.path("home"))
            .current_dir(&shallow)
            .args(["cat-file", "-e", &format!("{}^{{commit}}", sim.base)])
            .output()
            .expect("git runs")
            .status
            .success()
    };
    assert!(!has_base(), "the shallow clone must lack the base commit");
    let out = sim
        .runner(PMLINT, "shallow")
        .arg("action")
        .output()
        .expect("runs");
    let (stdout, stderr) = text(&out);
    assert!(has_base(), "{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("fetching the base commit {}", sim.base)));
    assert_eq!(
        annotated_files(&stdout),
        BTreeSet::from(["postmortems/changed.md".to_string()]),
        "{stdout}\n{stderr}"
    );
    assert_eq!(sim.outputs()["files"], "1");
}

#[test]
fn an_unreachable_base_commit_is_a_clear_error() {
    let sim = Sim::new();
    sim.event(json!({"pull_request": {"base": {"sha": "f".repeat(40)}}}));
    let out = sim.action().output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = text(&out);
    assert!(
        stderr.contains("could not be fetched from `origin`; check out with `fetch-depth: 0`"),
        "{stderr}"
    );
    assert!(stdout.contains("::error title=pmlint::only-changed: the base commit ffff"));
    assert!(sim.outputs().is_empty());
}

#[test]
fn hostile_input_values_are_data_never_code() {
    let sim = Sim::new();
    let hostile = [
        "$(touch pwned-1)",
        "`touch pwned-2`",
        "\"; touch pwned-3; \"",
        "'; touch pwned-4; '",
        "--output=pwned-5",
        "-o pwned-6",
    ]
    .join("\n");
    let out = sim
        .action()
        .env("INPUT_PATHS", &hostile)
        .env("INPUT_CONFIG", "$(touch pwned-7)")
        .output()
        .expect("runs");
    let (_, stderr) = text(&out);
    // The first path does not exist: a usage error naming it literally.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("$(touch pwned-7)"), "{stderr}");
    let out = sim
        .action()
        .env("INPUT_PATHS", &hostile)
        .output()
        .expect("runs");
    let (_, stderr) = text(&out);
    assert!(
        stderr.contains("$(touch pwned-1): no such file or directory"),
        "{stderr}"
    );
    // A multi-line sarif-file could forge outputs: refused.
    let out = sim
        .action()
        .env("INPUT_SARIF_FILE", "x.sarif\nerrors=0")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(sim.outputs().is_empty());
    // A base "commit" that is an option is never given to git.
    sim.event(json!({"pull_request": {"base": {"sha": "--upload-pack=touch pwned-8"}}}));
    let out = sim.action().output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).0.contains("is not a commit id"));
    for dir in ["work", "runner/temp", ""] {
        for i in 1..=8 {
            assert!(
                !sim.path(dir).join(format!("pwned-{i}")).exists(),
                "pwned-{i} in {dir:?}"
            );
        }
    }
}

/// The `run:` script and `env` of a step of `action.yml`.
fn action_step(id: &str) -> (String, BTreeMap<String, String>) {
    let yml: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(root().join("action.yml")).expect("read"))
            .expect("action.yml is YAML");
    let step = yml["runs"]["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .find(|s| s["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no step {id}"));
    let env = step["env"]
        .as_mapping()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.as_str().expect("key").to_string(),
                        v.as_str().expect("value").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (step["run"].as_str().expect("run").to_string(), env)
}

#[cfg(unix)]
#[test]
fn hostile_inputs_through_the_run_step_of_action_yml_execute_nothing() {
    let sim = Sim::new();
    let (script, _) = action_step("run");
    let hostile =
        "$(touch pwned-1)\n`touch pwned-2`\n\"; touch pwned-3; \"\npostmortems/changed.md";
    let out = sim
        .runner("bash", "work")
        .args(["-c", &script])
        .env("PMLINT_BIN", PMLINT)
        .env("INPUT_PATHS", hostile)
        .env("INPUT_FAIL_ON", "$(touch pwned-4)")
        .output()
        .expect("bash runs");
    assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));
    let out = sim
        .runner("bash", "work")
        .args(["-c", &script])
        .env("PMLINT_BIN", PMLINT)
        .env("INPUT_PATHS", hostile)
        .output()
        .expect("bash runs");
    assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));
    for i in 1..=4 {
        assert!(!sim.path("work").join(format!("pwned-{i}")).exists());
        assert!(!sim.path("").join(format!("pwned-{i}")).exists());
    }
}

#[test]
fn action_yml_has_the_specified_interface_and_maps_inputs_through_env_only() {
    let text = std::fs::read_to_string(root().join("action.yml")).expect("read");
    let yml: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    let keys = |v: &serde_yaml::Value| -> BTreeSet<String> {
        v.as_mapping()
            .expect("mapping")
            .keys()
            .map(|k| k.as_str().expect("key").to_string())
            .collect()
    };
    let inputs = [
        "command",
        "paths",
        "config",
        "fail-on",
        "only-changed",
        "sarif-file",
        "summary",
        "dry-run",
        "github-token",
        "version",
    ];
    let outputs = [
        "errors",
        "warnings",
        "files",
        "sarif-file",
        "created",
        "updated",
        "closed",
        "failed",
    ];
    assert_eq!(
        keys(&yml["inputs"]),
        inputs.iter().map(|s| s.to_string()).collect()
    );
    assert_eq!(
        keys(&yml["outputs"]),
        outputs.iter().map(|s| s.to_string()).collect()
    );
    assert_eq!(yml["runs"]["using"].as_str(), Some("composite"));
    assert_eq!(yml["inputs"]["command"]["default"].as_str(), Some("check"));
    assert_eq!(yml["inputs"]["fail-on"]["default"].as_str(), Some("error"));
    assert_eq!(yml["inputs"]["summary"]["default"].as_str(), Some("true"));
    assert_eq!(
        yml["inputs"]["github-token"]["default"].as_str(),
        Some("${{ github.token }}")
    );
    for o in outputs {
        assert_eq!(
            yml["outputs"][o]["value"].as_str(),
            Some(format!("${{{{ steps.run.outputs.{o} }}}}").as_str())
        );
    }
    let (script, env) = action_step("run");
    for i in inputs {
        let var = format!("INPUT_{}", i.to_uppercase().replace('-', "_"));
        assert_eq!(
            env.get(&var),
            Some(&format!("${{{{ inputs.{i} }}}}")),
            "{var}"
        );
    }
    for step in yml["runs"]["steps"].as_sequence().expect("steps") {
        let run = step["run"].as_str().unwrap_or_default();
        assert!(!run.contains("${{"), "an expression in a run script: {run}");
        assert_eq!(step["shell"].as_str(), Some("bash"));
    }
    assert_eq!(script, "\"$PMLINT_BIN\" action");
}

#[test]
fn sync_refuses_pull_request_target_and_pull_requests_from_forks() {
    let sim = Sim::new();
    let out = sim
        .action()
        .env("INPUT_COMMAND", "sync")
        .env("GITHUB_EVENT_NAME", "pull_request_target")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = text(&out);
    assert!(
        stderr.contains("pmlint sync does not run on `pull_request_target`"),
        "{stderr}"
    );
    assert!(stdout.starts_with("::error title=pmlint::"));
    sim.event(json!({"pull_request": {
        "base": {"sha": sim.base, "repo": {"full_name": "o/r"}},
        "head": {"sha": sim.head, "repo": {"full_name": "someone/r", "fork": true}}}}));
    let out = sim
        .action()
        .env("INPUT_COMMAND", "sync")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out)
        .1
        .contains("pmlint sync does not run on a pull request from a fork"));
    assert!(sim.outputs().is_empty());
}

/// `command: sync` end to end: the action runs `pmlint sync` against a
/// GitHub API (the fake server on loopback) with the `github-token` input,
/// and sets the sync outputs; a second run on the same documents writes
/// nothing.
#[test]
fn sync_creates_issues_and_sets_its_outputs() {
    use support::fake_github::FakeGitHub;
    let gh = FakeGitHub::start();
    gh.add_token("ghs_action_sync_token", "pmlint-bot");
    gh.add_repo("o/r");
    gh.add_assignable("o/r", "alice");
    let sim = Sim::new();
    sim.write(
        "work/postmortems/items.md",
        "---\ntitle: Login outage\nstatus: Finalised\nincident_id: INC-7\n---\n\n\
         # Login outage\n\n## Action Items\n\n\
         | ID | Description | Owner | Target Date | Status |\n|---|---|---|---|---|\n\
         | PM-AI-001 | Add an alert on login errors | @alice | 2025-08-01 | Open |\n\
         | PM-AI-002 | Write the rollback runbook | @alice | 2025-08-08 | Done |\n",
    );
    let run = || {
        sim.action()
            .env("INPUT_COMMAND", "sync")
            .env("INPUT_PATHS", "postmortems/items.md")
            .env("INPUT_GITHUB_TOKEN", "ghs_action_sync_token")
            .env("GITHUB_EVENT_NAME", "push")
            .env("GITHUB_API_URL", gh.url())
            .env("GITHUB_SERVER_URL", gh.html_url())
            .env("GITHUB_SHA", &sim.head)
            .output()
            .expect("runs")
    };
    // Tests do not space their writes.
    let config = std::fs::read_to_string(sim.path("work/.pmlint.yml")).expect("config");
    sim.write(
        "work/.pmlint.yml",
        &format!("{config}sync:\n  write_interval_ms: 0\n"),
    );
    std::fs::write(sim.path("runner/output"), "").expect("reset outputs");
    let out = run();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let outputs = sim.outputs();
    assert_eq!(
        outputs.get("created").map(String::as_str),
        Some("2"),
        "{outputs:?}"
    );
    // An item already Done at its first sync counts as created; its issue
    // is created and closed in the same run.
    assert_eq!(
        outputs.get("closed").map(String::as_str),
        Some("0"),
        "{outputs:?}"
    );
    assert_eq!(
        outputs.get("failed").map(String::as_str),
        Some("0"),
        "{outputs:?}"
    );
    let issues = gh.issues("o/r");
    assert_eq!(issues.len(), 2);
    assert!(issues
        .iter()
        .any(|i| i.title.starts_with("PM-AI-002") && i.state == "closed"));
    assert!(
        !text(&out).0.contains("ghs_action_sync_token")
            && !text(&out).1.contains("ghs_action_sync_token")
    );

    gh.clear_requests();
    std::fs::write(sim.path("runner/output"), "").expect("reset outputs");
    let out = run();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let outputs = sim.outputs();
    for name in ["created", "updated", "closed", "failed"] {
        assert_eq!(
            outputs.get(name).map(String::as_str),
            Some("0"),
            "{name}: {outputs:?}"
        );
    }
    assert_eq!(gh.write_count(), 0);
}

#[test]
fn sarif_file_is_written_for_code_scanning() {
    let sim = Sim::new();
    let out = sim
        .action()
        .env("INPUT_SARIF_FILE", "results/pmlint.sarif")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    let sarif: Value = serde_json::from_slice(
        &std::fs::read(sim.path("work/results/pmlint.sarif")).expect("SARIF written"),
    )
    .expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sim.outputs()["sarif-file"], "results/pmlint.sarif");
    assert_eq!(sim.outputs()["errors"], "2");
}

#[test]
fn pre_commit_hook_is_declared_with_the_required_keys() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("read");
    let hooks: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    let hooks = hooks.as_sequence().expect("a list of hooks");
    let hook = hooks
        .iter()
        .find(|h| h["id"].as_str() == Some("pmlint"))
        .expect("a hook with id pmlint");
    for key in ["id", "name", "entry", "language"] {
        assert!(hook[key].as_str().is_some_and(|v| !v.is_empty()), "{key}");
    }
    assert_eq!(hook["entry"].as_str(), Some("pmlint check"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    let types: Vec<&str> = hook["types"]
        .as_sequence()
        .expect("types")
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert_eq!(types, ["markdown"]);
}

#[test]
fn release_targets_match_the_install_script() {
    let release: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(root().join(".github/workflows/release.yml")).expect("read"),
    )
    .expect("YAML");
    let targets: BTreeSet<String> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("a matrix of targets")
        .iter()
        .map(|t| t["target"].as_str().expect("target").to_string())
        .collect();
    let expected: BTreeSet<String> = [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(targets, expected);
    let install = std::fs::read_to_string(root().join("action/install.sh")).expect("read");
    for t in &targets {
        assert!(install.contains(&format!(") echo {t} ;;")), "{t}");
    }
}

// The install script (bash): `version: path`, release assets, checksums.

#[cfg(unix)]
mod install {
    use super::*;

    /// A directory holding only a `pmlint` link to the binary under test.
    fn bin_dir(sim: &Sim) -> PathBuf {
        let dir = sim.path("bin");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let link = dir.join("pmlint");
        if !link.exists() {
            std::os::unix::fs::symlink(PMLINT, &link).expect("symlink");
        }
        dir
    }

    /// Tools the script needs, without any `pmlint` or `cargo`.
    fn system_path() -> String {
        "/usr/bin:/bin".into()
    }

    fn install(sim: &Sim, path: &str) -> Command {
        let mut c = sim.runner("bash", "work");
        c.arg(root().join("action/install.sh"))
            .env("PATH", path)
            .env("GITHUB_ACTION_PATH", root())
            .env("PMLINT_ACTION_REF", "v1");
        c
    }

    #[test]
    fn version_path_uses_the_pmlint_on_path_and_the_action_then_runs_it() {
        let sim = Sim::new();
        let path = format!("{}:{}", bin_dir(&sim).display(), system_path());
        let out = install(&sim, &path).output().expect("bash runs");
        assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
        let bin = sim.outputs()["bin"].clone();
        assert_eq!(bin, bin_dir(&sim).join("pmlint").to_string_lossy());
        std::fs::remove_file(sim.path("runner/output")).expect("rm");
        // The installed binary, as the action's second step runs it.
        let (script, _) = action_step("run");
        let out = sim
            .runner("bash", "work")
            .args(["-c", &script])
            .env("PMLINT_BIN", &bin)
            .env("PATH", &path)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
        assert_eq!(
            sim.outputs(),
            outputs_of(&[("errors", "2"), ("warnings", "1"), ("files", "1")])
        );
    }

    #[test]
    fn version_path_without_pmlint_on_path_fails_clearly() {
        let sim = Sim::new();
        assert!(!Path::new("/usr/bin/pmlint").exists() && !Path::new("/bin/pmlint").exists());
        let out = install(&sim, &system_path()).output().expect("bash runs");
        assert_eq!(out.status.code(), Some(1));
        let (stdout, _) = text(&out);
        assert!(
            stdout.contains(
                "::error title=pmlint install::version: path, but there is no pmlint on PATH."
            ),
            "{stdout}"
        );
        assert!(sim.outputs().is_empty());
    }

    #[test]
    fn version_path_with_a_pmlint_too_old_for_the_action_fails_clearly() {
        let sim = Sim::new();
        let dir = sim.path("old-bin");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let old = dir.join("pmlint");
        std::fs::write(
            &old,
            "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pmlint 0.0.1'; exit 0; fi\nexit 2\n",
        )
        .expect("write");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let path = format!("{}:{}", dir.display(), system_path());
        let out = install(&sim, &path).output().expect("bash runs");
        let (stdout, _) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stdout}");
        assert!(
            stdout.contains(
                "(pmlint 0.0.1) has no 'action' subcommand: it is older than this action."
            ),
            "{stdout}"
        );
        assert!(sim.outputs().is_empty());
    }

    /// A release directory (`file://`) with this host's binary packed as the
    /// Linux x86_64 asset.
    fn release(sim: &Sim, tag: &str, checksum: Option<&str>) -> String {
        let dir = sim.path(&format!("releases/{tag}"));
        let stage = sim.path("stage");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::create_dir_all(&stage).expect("mkdir");
        std::fs::copy(PMLINT, stage.join("pmlint")).expect("copy");
        let asset = "pmlint-x86_64-unknown-linux-gnu.tar.gz";
        let ok = Command::new("tar")
            .arg("-czf")
            .arg(dir.join(asset))
            .arg("-C")
            .arg(&stage)
            .arg("pmlint")
            .status()
            .expect("tar");
        assert!(ok.success());
        // macOS ships `shasum`, Linux `sha256sum`.
        let sum = Command::new("sha256sum")
            .arg(dir.join(asset))
            .output()
            .or_else(|_| {
                Command::new("shasum")
                    .args(["-a", "256"])
                    .arg(dir.join(asset))
                    .output()
            })
            .expect("sha256sum or shasum");
        let real = String::from_utf8_lossy(&sum.stdout)
            .split(' ')
            .next()
            .expect("sum")
            .to_string();
        std::fs::write(
            dir.join(format!("{asset}.sha256")),
            format!("{}  {asset}\n", checksum.unwrap_or(&real)),
        )
        .expect("write");
        format!("file://{}", sim.path("releases").display())
    }

    #[test]
    fn a_release_asset_is_installed_only_when_its_checksum_matches() {
        let sim = Sim::new();
        let url = release(&sim, "v9.8.7", None);
        let out = install(&sim, &system_path())
            .env("INPUT_VERSION", "v9.8.7")
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("PMLINT_DOWNLOAD_URL", &url)
            .output()
            .expect("bash runs");
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
        assert!(stdout.contains("SHA-256 verified"), "{stdout}");
        let bin = PathBuf::from(&sim.outputs()["bin"]);
        assert!(bin.starts_with(sim.path("runner/temp")), "{bin:?}");
        let version = Command::new(&bin).arg("--version").output().expect("runs");
        assert!(String::from_utf8_lossy(&version.stdout).starts_with("pmlint "));

        let sim = Sim::new();
        let url = release(&sim, "v9.8.7", Some(&"0".repeat(64)));
        let out = install(&sim, &system_path())
            .env("INPUT_VERSION", "9.8.7")
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("PMLINT_DOWNLOAD_URL", &url)
            .output()
            .expect("bash runs");
        let (stdout, _) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stdout}");
        assert!(stdout.contains(
            "checksum mismatch for pmlint-x86_64-unknown-linux-gnu.tar.gz of release v9.8.7"
        ));
        assert!(sim.outputs().is_empty());
    }

    #[test]
    fn without_a_release_asset_the_action_builds_from_source_or_says_what_is_missing() {
        let sim = Sim::new();
        let url = release(&sim, "v9.8.7", None);
        // No asset for this tag, and no cargo on PATH to build with.
        let out = install(&sim, &system_path())
            .env("INPUT_VERSION", "v1.0.0")
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("PMLINT_DOWNLOAD_URL", &url)
            .output()
            .expect("bash runs");
        let (stdout, _) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stdout}");
        assert!(
            stdout.contains("release v1.0.0 has no asset pmlint-x86_64-unknown-linux-gnu.tar.gz")
        );
        assert!(
            stdout.contains("cargo is not installed on this runner"),
            "{stdout}"
        );
        // An unknown runner has no asset at all.
        let out = install(&sim, &system_path())
            .env("INPUT_VERSION", "v9.8.7")
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "ARM")
            .env("PMLINT_DOWNLOAD_URL", &url)
            .output()
            .expect("bash runs");
        assert!(text(&out).0.contains("no release asset for Linux/ARM"));
        // A branch ref is not a release: built from source.
        let out = install(&sim, &system_path())
            .env("INPUT_VERSION", "")
            .env("PMLINT_ACTION_REF", "main")
            .output()
            .expect("bash runs");
        assert!(text(&out)
            .0
            .contains("the action's ref 'main' is not a release"));
        // Not a version at all.
        let out = install(&sim, &system_path())
            .env("INPUT_VERSION", "v1/../../x")
            .output()
            .expect("bash runs");
        assert_eq!(out.status.code(), Some(1));
        assert!(text(&out).0.contains("is not a release tag like v1.2.3"));
    }

    #[test]
    fn a_major_version_ref_downloads_the_release_of_the_actions_cargo_version() {
        let sim = Sim::new();
        let version = env!("CARGO_PKG_VERSION");
        let url = release(&sim, &format!("v{version}"), None);
        let out = install(&sim, &system_path())
            .env("INPUT_VERSION", "")
            .env("PMLINT_ACTION_REF", "v1")
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("PMLINT_DOWNLOAD_URL", &url)
            .output()
            .expect("bash runs");
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
        assert!(stdout.contains(&format!(
            "/v{version}/pmlint-x86_64-unknown-linux-gnu.tar.gz"
        )));
    }
}

#[test]
fn readme_shows_both_example_workflows_as_they_are() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("read");
    for f in ["pr-check.yml", "sync-issues.yml"] {
        let yml = std::fs::read_to_string(root().join("examples/workflows").join(f)).expect("read");
        assert!(
            readme.contains(&format!("```yaml\n{yml}```\n")),
            "README's copy of examples/workflows/{f} is out of date"
        );
    }
}

#[test]
fn example_workflows_use_the_published_action_and_least_privilege() {
    let load = |f: &str| -> serde_yaml::Value {
        serde_yaml::from_str(
            &std::fs::read_to_string(root().join("examples/workflows").join(f)).expect("read"),
        )
        .expect("YAML")
    };
    let uses = |wf: &serde_yaml::Value| -> Vec<String> {
        wf["jobs"]
            .as_mapping()
            .expect("jobs")
            .values()
            .flat_map(|j| j["steps"].as_sequence().cloned().unwrap_or_default())
            .filter_map(|s| s["uses"].as_str().map(str::to_string))
            .collect()
    };
    let pr = load("pr-check.yml");
    assert!(pr["on"]["pull_request"].is_null() && pr["on"].get("pull_request").is_some());
    assert!(pr["on"].get("pull_request_target").is_none());
    assert_eq!(pr["permissions"]["contents"].as_str(), Some("read"));
    assert_eq!(pr["permissions"].as_mapping().map(|m| m.len()), Some(1));
    assert!(uses(&pr).contains(&"pmlint/pmlint@v1".to_string()));
    assert!(uses(&pr)
        .iter()
        .any(|u| u.starts_with("github/codeql-action/upload-sarif@")));
    // Only the job that uploads SARIF may write security events.
    for (name, job) in pr["jobs"].as_mapping().expect("jobs") {
        let writes = job["permissions"]["security-events"].as_str() == Some("write");
        let uploads = job["steps"].as_sequence().expect("steps").iter().any(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.contains("upload-sarif"))
        });
        assert_eq!(writes, uploads, "{name:?}");
        let checkout = job["steps"].as_sequence().expect("steps").iter().find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"))
        });
        if let Some(c) = checkout {
            assert_eq!(c["with"]["fetch-depth"].as_u64(), Some(0));
        }
    }
    let sync = load("sync-issues.yml");
    let on = sync["on"].as_mapping().expect("on");
    assert!(on.keys().all(|k| {
        let k = k.as_str().unwrap_or_default();
        k == "push" || k == "workflow_dispatch"
    }));
    assert_eq!(sync["permissions"]["issues"].as_str(), Some("write"));
    assert!(sync["concurrency"]["group"].as_str().is_some());
    assert!(uses(&sync).contains(&"pmlint/pmlint@v1".to_string()));
}
