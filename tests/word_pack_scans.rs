//! The word packs are matched with one shared automaton when many files are
//! checked and with one automaton per pack for a few small files
//! (`language::Scan`). Both must report the same findings: the same file
//! checked alone and among many gives the same diagnostics.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// Prose that trips every language rule, several times, with near-misses.
const LANGUAGE: &str = "---\ntitle: Cache stampede\nauthor: Sam Lee\nstatus: Draft\n---\n\n\
## 2. Incident Timeline\n\n| Time | Event Description | Responsible Party |\n|---|---|---|\n\
| 10:00 | Alert fired | Monitoring System |\n| 10:05 | Acknowledged | Jane Doe |\n\n\
## 3. What Happened?\n\nJane missed the page. It was obviously human error, and the on-call \
engineer should have known better; the human error rate of the form is a metric. We simply \
restarted it. Priya pushed the change to production without review, which was careless. \
If only we had checked. It was just a typo, clearly, not the operator's fault tolerance.\n\n\
## 4. Why Did It Happen? (Root Cause Analysis)\n\nBob forgot to renew the certificate. The \
job failed to run. @jdoe accidentally deleted the index and never verified the backup.\n";

fn diagnostics(dir: &Path, args: &[&str]) -> Vec<Value> {
    let out = Command::cargo_bin("pmlint")
        .unwrap()
        .current_dir(dir)
        .args([
            "check",
            "--format",
            "json",
            "--today",
            "2026-06-01",
            "-j",
            "2",
        ])
        .args(args)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .clone()
}

#[test]
fn a_file_alone_and_among_many_gets_the_same_language_findings() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names = Vec::new();
    for entry in std::fs::read_dir(root.join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            std::fs::copy(&path, dir.path().join(&name)).unwrap();
            names.push(name);
        }
    }
    for i in 0..4 {
        let name = format!("2026-04-0{i}-language.md");
        std::fs::write(
            dir.path().join(&name),
            LANGUAGE.replace("Jane", &format!("Jane{i}")),
        )
        .unwrap();
        names.push(name);
    }
    assert!(names.len() > 4, "more files than the few-files threshold");
    let all = diagnostics(dir.path(), &["."]);
    let language = |d: &&&Value| {
        matches!(
            d["rule"].as_str(),
            Some(
                "blameless-language"
                    | "counterfactual-language"
                    | "minimizing-language"
                    | "individual-blamed"
            )
        )
    };
    let mut found = 0;
    for name in &names {
        let alone = diagnostics(dir.path(), &[name]);
        let among: Vec<&Value> = all
            .iter()
            .filter(|d| {
                d["file"]
                    .as_str()
                    .is_some_and(|f| f.ends_with(name.as_str()))
            })
            .collect();
        let alone: Vec<&Value> = alone.iter().collect();
        let strip = |v: &[&Value]| -> Vec<Value> {
            v.iter()
                .map(|d| {
                    let mut d = (*d).clone();
                    d.as_object_mut().unwrap().remove("file");
                    d
                })
                .collect()
        };
        assert_eq!(strip(&alone), strip(&among), "{name}");
        found += alone.iter().filter(language).count();
    }
    assert!(
        found >= 30,
        "the files hold many language findings ({found})"
    );
}
