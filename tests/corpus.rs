//! The benchmark corpus generator (`benches/support/corpus.rs`): the same
//! seed gives byte-identical documents, and the documents look like real
//! reviews to pmlint (its clean ones lint without errors, its planted
//! defects are found).

#[path = "../benches/support/corpus.rs"]
mod corpus;

use assert_cmd::Command;

#[test]
fn the_same_seed_gives_a_byte_identical_corpus() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let bytes_a = corpus::write_corpus(a.path(), 7, 40).unwrap();
    let bytes_b = corpus::write_corpus(b.path(), 7, 40).unwrap();
    assert_eq!(bytes_a, bytes_b);
    let mut files = 0;
    for i in 0..40 {
        let doc = corpus::document(7, i);
        let on_disk_a = std::fs::read(a.path().join(&doc.path)).unwrap();
        let on_disk_b = std::fs::read(b.path().join(&doc.path)).unwrap();
        assert_eq!(on_disk_a, doc.bytes);
        assert_eq!(on_disk_b, doc.bytes);
        files += 1;
    }
    assert_eq!(files, 40);
    // Another seed gives other documents; a smaller corpus is a prefix.
    assert_ne!(corpus::document(8, 0).bytes, corpus::document(7, 0).bytes);
    assert_eq!(corpus::document(7, 3), corpus::document(7, 3));
}

#[test]
fn documents_have_the_sizes_and_tables_of_real_reviews() {
    let docs: Vec<_> = (0..300).map(|i| corpus::document(42, i)).collect();
    let sizes: Vec<usize> = docs.iter().map(|d| d.bytes.len()).collect();
    let total: usize = sizes.iter().sum();
    assert!(
        sizes.iter().all(|s| (2_000..=64_000).contains(s)),
        "{sizes:?}"
    );
    let mean = total / docs.len();
    assert!((6_000..=10_000).contains(&mean), "mean size {mean}");
    assert!(sizes.iter().any(|s| *s > 20_000), "no large review");
    assert!(sizes.iter().any(|s| *s < 4_000), "no short draft");
    let mut big_tables = 0;
    for d in &docs {
        let text = String::from_utf8(d.bytes.clone()).unwrap();
        let rows = text.lines().filter(|l| l.starts_with("| **PM-AI-")).count();
        if (10..=40).contains(&rows) {
            big_tables += 1;
        }
        assert!(rows <= 40, "{}", d.path.display());
    }
    assert!(
        big_tables > 200,
        "{big_tables} action-item tables of 10–40 rows"
    );
    let defective = docs.iter().filter(|d| !d.defects.is_empty()).count();
    assert!((50..=150).contains(&defective), "{defective} defective");
}

#[test]
fn pmlint_finds_the_planted_defects_and_nothing_wrong_in_clean_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let docs: Vec<_> = (0..60).map(|i| corpus::document(3, i)).collect();
    corpus::write_corpus(dir.path(), 3, 60).unwrap();
    let out = Command::cargo_bin("pmlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--today", "2026-06-01", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "planted errors fail the run");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 60);
    let diags = report["diagnostics"].as_array().unwrap();
    let (mut clean, mut planted) = (0, 0);
    for d in &docs {
        let file = format!("{}", d.path.display());
        let errors: Vec<&str> = diags
            .iter()
            .filter(|x| x["file"] == file.as_str() && x["severity"] == "error")
            .map(|x| x["rule"].as_str().unwrap())
            .collect();
        if d.defects.is_empty() {
            assert!(errors.is_empty(), "{file} is clean but has {errors:?}");
            clean += 1;
        }
        for rule in &d.defects {
            if rule.contains('-') {
                assert!(
                    diags
                        .iter()
                        .any(|x| x["file"] == file.as_str() && x["rule"] == *rule),
                    "{file}: planted {rule} not found"
                );
                planted += 1;
            }
        }
    }
    assert!(
        clean > 20 && planted > 10,
        "{clean} clean, {planted} defects"
    );
}
