//! Replays every input the fuzz target (`fuzz/`) ever found a bug with —
//! kept in `tests/fuzz_regressions/` — through the same pipeline and
//! invariants as the target, plus the seed corpus the target starts from
//! (the shipped examples and the test fixtures). Runs in the normal test
//! suite, without nightly or libFuzzer.

mod pipeline;

use std::path::{Path, PathBuf};

fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable test directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Runs each file through the pipeline; a panic names the file.
fn replay(files: &[PathBuf]) {
    let mut failed = Vec::new();
    for file in files {
        let bytes = std::fs::read(file).expect("readable input");
        if std::panic::catch_unwind(|| pipeline::check(&bytes)).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(failed.is_empty(), "the pipeline failed on {failed:#?}");
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn fuzz_findings_stay_fixed() {
    let files = files_below(&root().join("tests/fuzz_regressions"));
    // Only inputs live there (and the README saying so).
    let inputs: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    assert!(
        !inputs.is_empty(),
        "tests/fuzz_regressions holds the fuzz findings"
    );
    replay(&inputs);
}

#[test]
fn the_seed_corpus_passes_the_fuzz_invariants() {
    let mut files = files_below(&root().join("examples"));
    files.extend(files_below(&root().join("tests/fixtures")));
    assert!(files.len() >= 10, "{files:?}");
    replay(&files);
}
