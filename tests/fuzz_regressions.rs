//! Replays every input that ever broke the pipeline — kept in
//! `tests/fuzz_regressions/check` (documents) and `…/config`
//! (configuration files) — through the same pipeline and invariants as the
//! fuzz targets (`fuzz/`), plus the seed corpus the targets start from (the
//! shipped examples and the test fixtures). Runs in the normal test suite,
//! without nightly or libFuzzer.

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

/// Runs each file through `check`; a panic names the file.
fn replay(files: &[PathBuf], check: fn(&[u8])) {
    let mut failed = Vec::new();
    for file in files {
        let bytes = std::fs::read(file).expect("readable input");
        if std::panic::catch_unwind(|| check(&bytes)).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(failed.is_empty(), "the pipeline failed on {failed:#?}");
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn fuzz_findings_in_documents_stay_fixed() {
    let inputs = files_below(&root().join("tests/fuzz_regressions/check"));
    assert!(
        !inputs.is_empty(),
        "tests/fuzz_regressions/check holds the findings"
    );
    replay(&inputs, pipeline::check);
}

#[test]
fn fuzz_findings_in_configurations_stay_fixed() {
    let inputs = files_below(&root().join("tests/fuzz_regressions/config"));
    assert!(
        !inputs.is_empty(),
        "tests/fuzz_regressions/config holds the findings"
    );
    replay(&inputs, pipeline::check_config);
}

#[test]
fn the_seed_corpus_passes_the_fuzz_invariants() {
    let mut files = files_below(&root().join("examples"));
    files.extend(
        files_below(&root().join("tests/fixtures"))
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "md")),
    );
    assert!(files.len() >= 10, "{files:?}");
    replay(&files, pipeline::check);
    let configs: Vec<PathBuf> = files_below(&root().join("tests/fixtures"))
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "yml"))
        .collect();
    assert!(!configs.is_empty());
    replay(&configs, pipeline::check_config);
}
