//! `pmlint action` (hidden): the logic of the GitHub Action in `action.yml`.
//!
//! The composite action installs the binary (`action/install.sh`) and then
//! runs `pmlint action`, which reads everything from the environment — the
//! inputs as `INPUT_<NAME>` (upper case, `-` → `_`, mapped explicitly in
//! `action.yml` because composite actions do not get them), and the runner's
//! `GITHUB_*` variables — so the same logic runs and is tested outside
//! GitHub. It is Rust rather than a shell script so that it behaves the same
//! on Linux, macOS and Windows runners, reads JSON without `jq`, and never
//! hands an input to a shell: inputs become argument vectors, nothing else.
//!
//! `check` runs `pmlint check` as child processes of this same binary (each
//! child gets exactly the environment it needs, e.g. no step summary for the
//! JSON run): `--format github` into the log, `--format json` for the
//! counts, and `--format sarif` when a SARIF file is asked for. `sync` runs
//! `pmlint sync --format json` and turns its summary into outputs.

use super::{EXIT_FAILURES, EXIT_OK, EXIT_USAGE};
use crate::output::github::{data, property};
use serde_json::Value;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs the action with the process environment.
pub fn run() -> miette::Result<i32> {
    let env = |name: &str| std::env::var_os(name);
    Ok(match Action::from_env(&env) {
        Ok(action) => action.run(),
        Err(message) => {
            report_error(&message);
            EXIT_USAGE
        }
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subcommand {
    Check,
    Sync,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FailOn {
    Error,
    Warning,
    None,
}

/// The action's inputs, validated.
#[derive(Debug)]
struct Inputs {
    command: Subcommand,
    /// One path or glob per line of the `paths` input.
    paths: Vec<String>,
    config: Option<String>,
    fail_on: FailOn,
    /// `None`: decided by the event (on for pull requests).
    only_changed: Option<bool>,
    sarif_file: Option<String>,
    summary: bool,
    dry_run: bool,
    github_token: Option<OsString>,
}

/// What the runner tells about the run.
#[derive(Debug, Default)]
struct Runner {
    event_name: String,
    event: Value,
    output_file: Option<PathBuf>,
    temp_dir: Option<PathBuf>,
    in_actions: bool,
}

#[derive(Debug)]
struct Action {
    inputs: Inputs,
    runner: Runner,
    exe: PathBuf,
}

type Env<'a> = &'a dyn Fn(&str) -> Option<OsString>;

/// An input's value, trimmed; empty counts as not given.
fn input(env: Env, name: &str) -> Result<Option<String>, String> {
    let var = format!("INPUT_{}", name.to_uppercase().replace('-', "_"));
    match env(&var) {
        None => Ok(None),
        Some(v) => {
            let v = v
                .into_string()
                .map_err(|_| format!("input `{name}` is not valid UTF-8"))?;
            let v = v.trim();
            Ok((!v.is_empty()).then(|| v.to_string()))
        }
    }
}

/// A boolean input, spelled as GitHub's own toolkit accepts them.
fn boolean(env: Env, name: &str) -> Result<Option<bool>, String> {
    match input(env, name)?.as_deref() {
        None => Ok(None),
        Some("true" | "True" | "TRUE") => Ok(Some(true)),
        Some("false" | "False" | "FALSE") => Ok(Some(false)),
        Some(other) => Err(format!(
            "input `{name}`: `{}` is not a boolean (true or false)",
            shorten(other)
        )),
    }
}

/// A value quoted back in an error, kept to one short line.
fn shorten(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(60)
        .collect();
    if s.chars().count() > 60 {
        format!("{one_line}…")
    } else {
        one_line
    }
}

impl Inputs {
    fn from_env(env: Env) -> Result<Inputs, String> {
        let command = match input(env, "command")?.as_deref() {
            None | Some("check") => Subcommand::Check,
            Some("sync") => Subcommand::Sync,
            Some(other) => {
                return Err(format!(
                    "input `command`: `{}` is not one of check, sync",
                    shorten(other)
                ))
            }
        };
        let fail_on = match input(env, "fail-on")?.as_deref() {
            None | Some("error") => FailOn::Error,
            Some("warning") => FailOn::Warning,
            Some("none") => FailOn::None,
            Some(other) => {
                return Err(format!(
                    "input `fail-on`: `{}` is not one of error, warning, none",
                    shorten(other)
                ))
            }
        };
        let paths = input(env, "paths")?
            .map(|p| {
                p.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let only_changed = match input(env, "only-changed")?.as_deref() {
            Some("auto") => None,
            _ => boolean(env, "only-changed")?,
        };
        let sarif_file = input(env, "sarif-file")?;
        if sarif_file
            .as_deref()
            .is_some_and(|f| f.contains(['\n', '\r']))
        {
            return Err("input `sarif-file` must be one line".into());
        }
        let config = input(env, "config")?;
        if config.as_deref().is_some_and(|f| f.contains(['\n', '\r'])) {
            return Err("input `config` must be one line".into());
        }
        Ok(Inputs {
            command,
            paths,
            config,
            fail_on,
            only_changed,
            sarif_file,
            summary: boolean(env, "summary")?.unwrap_or(true),
            dry_run: boolean(env, "dry-run")?.unwrap_or(false),
            github_token: env("INPUT_GITHUB_TOKEN").filter(|t| !t.is_empty()),
        })
    }
}

impl Runner {
    fn from_env(env: Env) -> Result<Runner, String> {
        let text = |name: &str| {
            env(name)
                .map(|v| v.to_string_lossy().into_owned())
                .filter(|v| !v.is_empty())
        };
        let path = |name: &str| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let event = match path("GITHUB_EVENT_PATH") {
            None => Value::Null,
            Some(p) => {
                let bytes = std::fs::read(&p)
                    .map_err(|e| format!("cannot read the event payload {}: {e}", p.display()))?;
                serde_json::from_slice(&bytes)
                    .map_err(|e| format!("the event payload {} is not JSON: {e}", p.display()))?
            }
        };
        Ok(Runner {
            event_name: text("GITHUB_EVENT_NAME").unwrap_or_default(),
            event,
            output_file: path("GITHUB_OUTPUT"),
            temp_dir: path("RUNNER_TEMP"),
            in_actions: text("GITHUB_ACTIONS").as_deref() == Some("true"),
        })
    }

    /// Events where `only-changed` is on by default: pull requests, and
    /// the merge queue (which must judge a pull request as its own check
    /// did, or an old file would block every merge).
    fn is_pull_request(&self) -> bool {
        matches!(
            self.event_name.as_str(),
            "pull_request" | "pull_request_target" | "merge_group"
        )
    }

    /// The commit the changed files are compared with, when `only-changed`
    /// is on: the pull request's base, the merge queue's base, or the
    /// commit before a push.
    /// `Err` says why there is none.
    fn base_commit(&self) -> Result<String, String> {
        let (sha, what) = if self.event["pull_request"].is_object() {
            (
                &self.event["pull_request"]["base"]["sha"],
                "pull_request.base.sha",
            )
        } else if self.event["merge_group"].is_object() {
            (
                &self.event["merge_group"]["base_sha"],
                "merge_group.base_sha",
            )
        } else if self.event_name == "push" {
            (&self.event["before"], "before")
        } else {
            return Err(format!(
                "a `{}` event names no base commit",
                if self.event_name.is_empty() {
                    "(unknown)"
                } else {
                    &self.event_name
                }
            ));
        };
        let sha = sha
            .as_str()
            .ok_or_else(|| format!("the event payload has no `{what}`"))?;
        if !is_commit_id(sha) {
            return Err(format!(
                "`{what}` in the event payload is not a commit id: `{}`",
                shorten(sha)
            ));
        }
        if sha.bytes().all(|b| b == b'0') {
            // A push that created the branch: there is no previous commit.
            return Err("the push created the branch, so there is no previous commit".into());
        }
        Ok(sha.to_string())
    }

    /// Why `sync` must not run for this event, if it must not.
    fn sync_refusal(&self) -> Option<String> {
        const WHY: &str = "a pull request's content is untrusted, and sync writes issues with a \
                           write token; run sync on push to the default branch (see \
                           examples/workflows/sync-issues.yml)";
        if self.event_name == "pull_request_target" {
            return Some(format!(
                "pmlint sync does not run on `pull_request_target`: that event gives a write \
                 token to a workflow about a pull request, possibly from a fork; {WHY}"
            ));
        }
        let pr = &self.event["pull_request"];
        if pr.is_object() {
            let head = pr["head"]["repo"]["full_name"].as_str();
            let base = pr["base"]["repo"]["full_name"].as_str();
            if head.is_none() || head != base || pr["head"]["repo"]["fork"] == Value::Bool(true) {
                return Some(format!(
                    "pmlint sync does not run on a pull request from a fork: {WHY}"
                ));
            }
        }
        let run = &self.event["workflow_run"];
        if run.is_object() {
            let head = run["head_repository"]["full_name"].as_str();
            let base = run["repository"]["full_name"].as_str();
            if head != base {
                return Some(format!(
                    "pmlint sync does not run on a `workflow_run` started from a fork: {WHY}"
                ));
            }
        }
        None
    }
}

/// A full commit id (SHA-1 or SHA-256), so that it can never be read as an
/// option or a revision expression.
fn is_commit_id(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Action {
    fn from_env(env: Env) -> Result<Action, String> {
        let inputs = Inputs::from_env(env)?;
        let runner = Runner::from_env(env)?;
        let exe = std::env::current_exe()
            .map_err(|e| format!("cannot find the pmlint executable: {e}"))?;
        Ok(Action {
            inputs,
            runner,
            exe,
        })
    }

    fn run(&self) -> i32 {
        let result = match self.inputs.command {
            Subcommand::Check => self.check(),
            Subcommand::Sync => self.sync(),
        };
        result.unwrap_or_else(|message| {
            report_error(&message);
            EXIT_USAGE
        })
    }

    /// `pmlint` with the arguments common to check and sync, and an
    /// environment without the action's inputs (the token goes only where
    /// it is needed).
    fn pmlint(&self, subcommand: &str, extra: &[&str]) -> Command {
        let mut c = Command::new(&self.exe);
        c.arg(subcommand);
        c.args(extra);
        if let Some(config) = &self.inputs.config {
            // `--config=VALUE`: a value starting with `-` stays a value.
            c.arg(format!("--config={config}"));
        }
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("INPUT_") {
                c.env_remove(name);
            }
        }
        c
    }

    fn check(&self) -> Result<i32, String> {
        let mut common: Vec<String> = Vec::new();
        if let Some(base) = self.changed_base()? {
            common.push(format!("--changed-since={base}"));
        }
        // After `--`, a path is a path even when it starts with `-`.
        let paths: Vec<&str> = std::iter::once("--")
            .chain(self.inputs.paths.iter().map(String::as_str))
            .collect();
        let common: Vec<&str> = common.iter().map(String::as_str).collect();

        // 1. Annotations into the log, and the job summary.
        let mut github = self.pmlint("check", &["--format", "github"]);
        github.args(&common).args(&paths);
        if !self.inputs.summary {
            github.env_remove("GITHUB_STEP_SUMMARY");
        }
        let status = run_child(&mut github, "pmlint check --format github")?;
        if !(status == EXIT_OK || status == EXIT_FAILURES) {
            return Ok(EXIT_USAGE);
        }

        // 2. The counts.
        let temp = TempDir::new(self.runner.temp_dir.as_deref())
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
        let json_path = temp.path.join("check.json");
        let mut json = self.pmlint("check", &["--format", "json", "--quiet"]);
        json.arg("--output")
            .arg(&json_path)
            .args(&common)
            .args(&paths)
            .env_remove("GITHUB_STEP_SUMMARY");
        let json_status = run_quiet(&mut json, "pmlint check --format json")?;
        if !(json_status == EXIT_OK || json_status == EXIT_FAILURES) {
            return Ok(EXIT_USAGE);
        }
        let report: Value = std::fs::read(&json_path)
            .map_err(|e| format!("cannot read pmlint's JSON report: {e}"))
            .and_then(|b| {
                serde_json::from_slice(&b)
                    .map_err(|e| format!("pmlint's JSON report is not JSON: {e}"))
            })?;
        let count = |key: &str| report["summary"][key].as_u64().unwrap_or(0);
        let (errors, warnings, files) = (count("errors"), count("warnings"), count("files"));
        // Set before the SARIF run, so that they are there even if it fails.
        self.set_outputs(&[
            ("errors", errors.to_string()),
            ("warnings", warnings.to_string()),
            ("files", files.to_string()),
        ])?;

        // 3. SARIF for code scanning.
        if let Some(sarif) = &self.inputs.sarif_file {
            let sarif_path = Path::new(sarif);
            if let Some(dir) = sarif_path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    format!("sarif-file: cannot create directory {}: {e}", dir.display())
                })?;
            }
            let mut cmd = self.pmlint("check", &["--format", "sarif", "--quiet"]);
            cmd.arg("--output")
                .arg(sarif_path)
                .args(&common)
                .args(&paths)
                .env_remove("GITHUB_STEP_SUMMARY");
            let s = run_quiet(&mut cmd, "pmlint check --format sarif")?;
            if !(s == EXIT_OK || s == EXIT_FAILURES) {
                return Ok(EXIT_USAGE);
            }
            self.set_outputs(&[("sarif-file", sarif.clone())])?;
        }

        let failing = match self.inputs.fail_on {
            // The check's own verdict, which also honours `check.max_warnings`.
            FailOn::Error => status == EXIT_FAILURES,
            FailOn::Warning => status == EXIT_FAILURES || errors + warnings > 0,
            FailOn::None => false,
        };
        let verdict = if !failing {
            match self.inputs.fail_on {
                FailOn::None if errors + warnings > 0 => "not failing: fail-on is `none`",
                _ => "passing",
            }
        } else if errors > 0 {
            "failing"
        } else if self.inputs.fail_on == FailOn::Warning {
            "failing: fail-on is `warning`"
        } else {
            "failing: more warnings than `check.max_warnings` allows"
        };
        println!(
            "pmlint: {}, {} in {}; {verdict}",
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(files, "file")
        );
        Ok(if failing { EXIT_FAILURES } else { EXIT_OK })
    }

    /// The commit for `--changed-since`, or `None` to lint every file.
    fn changed_base(&self) -> Result<Option<String>, String> {
        let on = self
            .inputs
            .only_changed
            .unwrap_or_else(|| self.runner.is_pull_request());
        if !on {
            return Ok(None);
        }
        let base = match self.runner.base_commit() {
            Ok(b) => b,
            Err(why) => {
                // Explicitly asked for: say so loudly; the default only
                // applies to pull requests, where a base always exists.
                notice(
                    self.runner.in_actions,
                    &format!("only-changed: {why}; linting every post-mortem"),
                );
                return Ok(None);
            }
        };
        if !has_commit(&base) {
            println!("pmlint: fetching the base commit {base}");
            let fetched = Command::new("git")
                .args(["fetch", "--no-tags", "--depth=1", "origin", &base])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .status();
            if !matches!(fetched, Ok(s) if s.success()) || !has_commit(&base) {
                return Err(format!(
                    "only-changed: the base commit {base} is not in the checkout and could \
                     not be fetched from `origin`; check out with `fetch-depth: 0`, or set \
                     `only-changed: false`"
                ));
            }
        }
        Ok(Some(base))
    }

    fn sync(&self) -> Result<i32, String> {
        if let Some(why) = self.runner.sync_refusal() {
            return Err(why);
        }
        let mut args = vec!["--format", "json"];
        if self.inputs.dry_run {
            args.push("--dry-run");
        }
        let mut cmd = self.pmlint("sync", &args);
        cmd.arg("--").args(&self.inputs.paths);
        if let Some(token) = &self.inputs.github_token {
            cmd.env("GITHUB_TOKEN", token);
        }
        let out = cmd
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run pmlint sync: {e}"))?;
        let status = out.status.code().unwrap_or(EXIT_USAGE);
        if !(status == EXIT_OK || status == EXIT_FAILURES) {
            return Ok(EXIT_USAGE);
        }
        let report: Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| format!("pmlint sync did not print its JSON report: {e}"))?;
        let outputs = sync_outputs(&report);
        print!("{}", self.sync_log(&report));
        self.set_outputs(&outputs)?;
        Ok(status)
    }

    /// The sync report for the log: a line per item that is not unchanged,
    /// inside a stop-commands block (keys and messages come from documents),
    /// then an error annotation per failed item.
    fn sync_log(&self, report: &Value) -> String {
        let mut lines = String::new();
        let items = report["items"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        for item in items {
            let action = item["action"].as_str().unwrap_or("?");
            if action == "unchanged" {
                continue;
            }
            let mut line = format!(
                "{action:<10} {} ({}:{})",
                item["key"].as_str().unwrap_or("?"),
                item["file"].as_str().unwrap_or("?"),
                item["line"].as_u64().unwrap_or(0)
            );
            for (key, label) in [
                ("url", " "),
                ("warning", " warning: "),
                ("error", " error: "),
            ] {
                if let Some(v) = item[key].as_str() {
                    line.push_str(label);
                    line.push_str(v);
                }
            }
            lines.push_str(&line.replace(['\r', '\n'], " "));
            lines.push('\n');
        }
        let n = |key: &str| report["summary"][key].as_u64().unwrap_or(0);
        lines.push_str(&format!(
            "pmlint sync{} for {}: {} created, {} updated, {} reopened, {} closed, {} unchanged, {} skipped, {} failed, {} conflicts, {} orphans, {} writes\n",
            if report["dry_run"] == Value::Bool(true) { " (dry run)" } else { "" },
            report["repo"].as_str().unwrap_or("?"),
            n("create"), n("update"), n("reopen"), n("close"), n("unchanged"),
            n("skipped"), n("failed"), n("conflict"), n("orphan"), n("writes"),
        ));
        let mut out = if self.runner.in_actions {
            super::check::stop_commands(&lines)
        } else {
            lines
        };
        if self.runner.in_actions {
            for item in items.iter().filter(|i| i["action"] == "failed") {
                let mut props = String::new();
                if let Some(file) = item["file"].as_str() {
                    props.push_str(&format!("file={},", property(file)));
                    if let Some(line) = item["line"].as_u64() {
                        props.push_str(&format!("line={line},"));
                    }
                }
                props.push_str(&format!(
                    "title={}",
                    property(&format!(
                        "pmlint sync: {}",
                        item["key"].as_str().unwrap_or("?")
                    ))
                ));
                out.push_str(&format!(
                    "::error {props}::{}\n",
                    data(item["error"].as_str().unwrap_or("the item failed"))
                ));
            }
        }
        out
    }

    /// Appends step outputs to `$GITHUB_OUTPUT`; outside a runner, prints them.
    fn set_outputs(&self, outputs: &[(&str, String)]) -> Result<(), String> {
        let text = outputs_text(outputs);
        match &self.runner.output_file {
            Some(path) => {
                use std::io::Write;
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .and_then(|mut f| f.write_all(text.as_bytes()))
                    .map_err(|e| format!("cannot write the step outputs {}: {e}", path.display()))
            }
            None => {
                for (name, value) in outputs {
                    eprintln!("output {name}: {value}");
                }
                Ok(())
            }
        }
    }
}

/// The step outputs of a sync, from the `summary` of its JSON report.
fn sync_outputs(report: &Value) -> Vec<(&'static str, String)> {
    let n = |key: &str| report["summary"][key].as_u64().unwrap_or(0);
    vec![
        ("created", n("create").to_string()),
        // A reopened issue is an updated one (its state changed).
        ("updated", (n("update") + n("reopen")).to_string()),
        ("closed", n("close").to_string()),
        ("failed", n("failed").to_string()),
    ]
}

fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Step outputs in the multi-line syntax `NAME<<DELIMITER`, with a random
/// delimiter that occurs in no value, so no value can end its own entry
/// and set another output.
fn outputs_text(outputs: &[(&str, String)]) -> String {
    let delimiter = loop {
        let d = format!("pmlint_{}", random_hex());
        if outputs
            .iter()
            .all(|(n, v)| !v.contains(&d) && !n.contains(&d))
        {
            break d;
        }
    };
    outputs
        .iter()
        .map(|(name, value)| format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"))
        .collect()
}

/// 64 random bits as hex (the standard library's randomly keyed hasher).
pub(super) fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    format!("{:016x}", h.finish())
}

/// Whether the commit is in the local repository.
fn has_commit(sha: &str) -> bool {
    Command::new("git")
        .args(["cat-file", "-e", &format!("{sha}^{{commit}}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs a child with the log as its output; returns its exit code.
fn run_child(cmd: &mut Command, what: &str) -> Result<i32, String> {
    cmd.stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))
        .map(|s| s.code().unwrap_or(EXIT_USAGE))
}

/// Runs a child whose standard error is shown only when it fails: the
/// annotated run already showed every message once.
fn run_quiet(cmd: &mut Command, what: &str) -> Result<i32, String> {
    let out = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    let code = out.status.code().unwrap_or(EXIT_USAGE);
    if !(code == EXIT_OK || code == EXIT_FAILURES) {
        eprintln!("error: {what} failed:");
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(code)
}

/// An error of the action itself: an annotation inside Actions (escaped),
/// a plain message on standard error everywhere.
fn report_error(message: &str) {
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        println!("::error title=pmlint::{}", data(message));
    }
    eprintln!("error: {message}");
}

fn notice(in_actions: bool, message: &str) {
    if in_actions {
        println!("::notice title=pmlint::{}", data(message));
    } else {
        eprintln!("note: {message}");
    }
}

/// A private temporary directory, removed when dropped.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new(base: Option<&Path>) -> std::io::Result<TempDir> {
        let base = base
            .map(Path::to_path_buf)
            .unwrap_or_else(std::env::temp_dir);
        let mut attempt = 0;
        loop {
            let path = base.join(format!("pmlint-action-{}", random_hex()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 8 => {
                    attempt += 1
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |name: &str| map.get(name).cloned()
    }

    fn runner(event_name: &str, event: Value) -> Runner {
        Runner {
            event_name: event_name.into(),
            event,
            ..Runner::default()
        }
    }

    #[test]
    fn inputs_default_to_check_fail_on_error_summary_on_and_auto_only_changed() {
        let i = Inputs::from_env(&env_of(&[("INPUT_PATHS", "  ")])).unwrap();
        assert_eq!(i.command, Subcommand::Check);
        assert_eq!(i.fail_on, FailOn::Error);
        assert_eq!(i.only_changed, None);
        assert!(i.summary && !i.dry_run && i.paths.is_empty());
        assert!(i.github_token.is_none());
    }

    #[test]
    fn paths_input_is_one_path_per_line() {
        let env = env_of(&[("INPUT_PATHS", "postmortems/\n\n  docs/a b.md \r\n'$(x)'\n")]);
        let i = Inputs::from_env(&env).unwrap();
        assert_eq!(i.paths, ["postmortems/", "docs/a b.md", "'$(x)'"]);
    }

    #[test]
    fn bad_input_values_are_errors_that_name_the_input() {
        for (name, value, expect) in [
            ("INPUT_COMMAND", "lint", "input `command`"),
            ("INPUT_FAIL_ON", "warnings", "input `fail-on`"),
            ("INPUT_SUMMARY", "yes", "input `summary`"),
            ("INPUT_ONLY_CHANGED", "1", "input `only-changed`"),
            ("INPUT_SARIF_FILE", "a\nb", "input `sarif-file`"),
        ] {
            let err = Inputs::from_env(&env_of(&[(name, value)])).unwrap_err();
            assert!(err.contains(expect), "{err}");
        }
        let i = Inputs::from_env(&env_of(&[
            ("INPUT_ONLY_CHANGED", "auto"),
            ("INPUT_SUMMARY", "False"),
            ("INPUT_DRY_RUN", "TRUE"),
            ("INPUT_FAIL_ON", "none"),
            ("INPUT_COMMAND", "sync"),
        ]))
        .unwrap();
        assert_eq!(i.only_changed, None);
        assert!(!i.summary && i.dry_run);
        assert_eq!((i.command, i.fail_on), (Subcommand::Sync, FailOn::None));
    }

    #[test]
    fn base_commit_comes_from_the_pull_request_or_the_push() {
        let sha = "a".repeat(40);
        let pr = runner(
            "pull_request",
            serde_json::json!({"pull_request": {"base": {"sha": sha}}}),
        );
        assert!(pr.is_pull_request());
        assert_eq!(pr.base_commit().unwrap(), sha);
        let queue = runner(
            "merge_group",
            serde_json::json!({"merge_group": {"base_sha": "c".repeat(40)}}),
        );
        assert!(queue.is_pull_request());
        assert_eq!(queue.base_commit().unwrap(), "c".repeat(40));
        let push = runner("push", serde_json::json!({"before": "b".repeat(64)}));
        assert_eq!(push.base_commit().unwrap(), "b".repeat(64));
        let created = runner("push", serde_json::json!({"before": "0".repeat(40)}));
        assert!(created.base_commit().unwrap_err().contains("created"));
        let hostile = runner(
            "pull_request",
            serde_json::json!({"pull_request": {"base": {"sha": "--upload-pack=touch x"}}}),
        );
        assert!(hostile
            .base_commit()
            .unwrap_err()
            .contains("not a commit id"));
        assert!(runner("schedule", Value::Null).base_commit().is_err());
    }

    #[test]
    fn sync_refuses_pull_request_target_forks_and_fork_workflow_runs() {
        let pr = |head: Value| {
            serde_json::json!({"pull_request": {
                "head": {"repo": head},
                "base": {"repo": {"full_name": "o/r"}}}})
        };
        assert!(runner(
            "pull_request_target",
            pr(serde_json::json!({"full_name": "o/r"}))
        )
        .sync_refusal()
        .unwrap()
        .contains("pull_request_target"));
        let fork = runner(
            "pull_request",
            pr(serde_json::json!({"full_name": "x/r", "fork": true})),
        );
        assert!(fork.sync_refusal().unwrap().contains("fork"));
        let gone = runner("pull_request", pr(Value::Null));
        assert!(gone.sync_refusal().is_some());
        let same = runner(
            "pull_request",
            pr(serde_json::json!({"full_name": "o/r", "fork": false})),
        );
        assert!(same.sync_refusal().is_none());
        let run = runner(
            "workflow_run",
            serde_json::json!({"workflow_run": {
                "head_repository": {"full_name": "x/r"},
                "repository": {"full_name": "o/r"}}}),
        );
        assert!(run.sync_refusal().is_some());
        assert!(runner("push", serde_json::json!({}))
            .sync_refusal()
            .is_none());
    }

    /// A report shaped as SPEC section 5's `pmlint sync --format json`.
    fn sync_report() -> Value {
        serde_json::json!({
            "version": 1, "repo": "o/r", "dry_run": false,
            "items": [
                {"key": "INC-1/PM-AI-001", "file": "pm/a.md", "line": 40, "action": "create",
                 "issue": 12, "url": "https://github.com/o/r/issues/12"},
                {"key": "INC-1/PM-AI-002", "file": "pm/a.md", "line": 41, "action": "unchanged",
                 "issue": 9, "url": "https://github.com/o/r/issues/9"},
                {"key": "INC-1/PM-AI-003", "file": "pm/a,b.md", "line": 42, "action": "failed",
                 "error": "HTTP 502\n::error::forged"}
            ],
            "summary": {"create": 1, "update": 2, "close": 3, "reopen": 1, "unchanged": 1,
                        "conflict": 0, "orphan": 0, "skipped": 0, "failed": 1, "writes": 7}
        })
    }

    #[test]
    fn sync_outputs_count_created_updated_reopened_closed_and_failed() {
        let outputs = sync_outputs(&sync_report());
        let expect: Vec<(&str, String)> = [
            ("created", "1"),
            ("updated", "3"),
            ("closed", "3"),
            ("failed", "1"),
        ]
        .iter()
        .map(|(k, v)| (*k, v.to_string()))
        .collect();
        assert_eq!(outputs, expect);
    }

    #[test]
    fn sync_log_lists_changes_inside_stop_commands_and_annotates_failures_escaped() {
        let action = Action {
            inputs: Inputs::from_env(&env_of(&[])).unwrap(),
            runner: Runner {
                in_actions: true,
                ..Runner::default()
            },
            exe: PathBuf::new(),
        };
        let log = action.sync_log(&sync_report());
        let lines: Vec<&str> = log.lines().collect();
        let token = lines[0]
            .strip_prefix("::stop-commands::")
            .expect("stop-commands first");
        assert!(lines[1].starts_with(
            "create     INC-1/PM-AI-001 (pm/a.md:40) https://github.com/o/r/issues/12"
        ));
        assert!(!log.contains("PM-AI-002"), "unchanged items are not listed");
        assert!(
            lines[2].contains("error: HTTP 502 ::error::forged"),
            "{log}"
        );
        assert!(
            lines[3].starts_with("pmlint sync for o/r: 1 created, 2 updated, 1 reopened, 3 closed")
        );
        assert_eq!(lines[4], format!("::{token}::"));
        assert_eq!(
            lines[5],
            "::error file=pm/a%2Cb.md,line=42,title=pmlint sync%3A INC-1/PM-AI-003::HTTP 502%0A::error::forged"
        );
        assert_eq!(lines.len(), 6);
    }

    #[test]
    fn outputs_use_a_delimiter_no_value_contains() {
        let text = outputs_text(&[
            ("errors", "2".into()),
            ("sarif-file", "x\nwarnings=99\npmlint_".into()),
        ]);
        let first = text.lines().next().unwrap();
        let delimiter = first.strip_prefix("errors<<").unwrap();
        assert!(delimiter.len() > 8);
        assert_eq!(
            text,
            format!(
                "errors<<{delimiter}\n2\n{delimiter}\nsarif-file<<{delimiter}\nx\nwarnings=99\npmlint_\n{delimiter}\n"
            )
        );
    }
}
