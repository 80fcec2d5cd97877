//! Hostile input through the binary (SPEC section 7): each test puts one
//! kind of bad file beside an ordinary post-mortem with one known defect,
//! and checks that the bad file gets a clear diagnostic or error, that the
//! ordinary file is still linted (its defect is reported at its place), and
//! that the exit code is right.
//!
//! Big inputs are built to be cheap: the 100 MB file is sparse (never
//! written), deep nesting is written on one line, and the 100,000-row table
//! has short rows. Nothing depends on the machine's speed.
//!
//! `tests/cli.rs` already covers the plain cases — a named binary file, an
//! empty file, invalid UTF-8 named on the command line, a small
//! `max_file_size`, BOM and CRLF positions for the pipeline's own rules —
//! and is not repeated here.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

const TODAY: &str = "2026-04-01";

/// The defect planted in every ordinary post-mortem.
const DEFECT: &str = "The outage was human error.";

fn example() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/2026-03-14-payments-db-failover.md");
    std::fs::read_to_string(path).expect("the clean example exists")
}

/// The clean example with `extra` at the top of its Narrative section.
fn postmortem_with(extra: &str) -> String {
    let anchor = "## 3. What Happened? (Narrative)\n\n";
    let text = example();
    assert!(text.contains(anchor));
    text.replacen(anchor, &format!("{anchor}{extra}\n\n"), 1)
}

/// The clean example with `extra` inserted as the last front-matter lines.
fn postmortem_with_front_matter(extra: &str) -> String {
    let anchor = "services: [payments-api, payments-db]\n";
    let text = example();
    assert!(text.contains(anchor));
    text.replacen(anchor, &format!("{anchor}{extra}"), 1)
}

/// The ordinary post-mortem: clean but for [`DEFECT`].
fn defective() -> String {
    postmortem_with(DEFECT)
}

/// 1-based line and column (in characters) of the first `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).expect("needle in text");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line as u64, column as u64)
}

/// A temporary repository (`.git` stops configuration discovery) holding
/// `defect.md`.
fn repo() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    write(dir.path(), "defect.md", defective());
    dir
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, contents).expect("write");
}

fn pmlint(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pmlint"));
    c.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_WORKSPACE")
        .args(["check", "--today", TODAY]);
    c
}

/// The result of one run.
struct Run {
    code: i32,
    json: Value,
    stderr: String,
}

impl Run {
    /// `(rule, line, column)` of `file`'s diagnostics.
    fn of(&self, file: &str) -> Vec<(String, u64, u64)> {
        self.json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["file"] == file)
            .map(|d| {
                (
                    d["rule"].as_str().unwrap_or_default().to_string(),
                    d["line"].as_u64().unwrap_or_default(),
                    d["column"].as_u64().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// The messages of `file`'s diagnostics of `rule`.
    fn messages(&self, file: &str, rule: &str) -> Vec<String> {
        self.json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["file"] == file && d["rule"] == rule)
            .map(|d| d["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// `defect.md` was linted: exactly its planted finding, at its place.
    fn assert_defect_reported(&self) {
        let (line, column) = position_of(&defective(), "human error");
        assert_eq!(
            self.of("defect.md"),
            vec![("blameless-language".to_string(), line, column)],
            "{}",
            self.stderr
        );
    }

    fn files(&self) -> u64 {
        self.json["summary"]["files"].as_u64().unwrap_or_default()
    }
}

/// `pmlint check --format json ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Run {
    let out = pmlint(dir)
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("pmlint runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    Run {
        code: out.status.code().unwrap_or(-1),
        json,
        stderr,
    }
}

// ---------------------------------------------------------------------------
// Encoding

#[test]
fn invalid_utf8_found_while_walking_is_a_file_encoding_error_and_the_walk_goes_on() {
    let dir = repo();
    let mut bytes = b"---\ntitle: Caf".to_vec();
    bytes.push(0xE9); // Latin-1 "é"
    bytes.extend_from_slice(b"\nstatus: Draft\n---\n\n## Incident Summary\n");
    write(dir.path(), "notes/latin1.md", &bytes);
    let r = run(dir.path(), &["."]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.of("notes/latin1.md"),
        vec![("file-encoding".to_string(), 2, 11)]
    );
    assert!(r.messages("notes/latin1.md", "file-encoding")[0].contains("0xE9"));
    r.assert_defect_reported();
    assert_eq!(r.files(), 2);
}

#[test]
fn binary_file_is_skipped_while_walking_and_an_error_when_named() {
    let dir = repo();
    write(
        dir.path(),
        "diagram.md",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0",
    );

    let walked = run(dir.path(), &["--verbose", "."]);
    assert_eq!(walked.code, 1, "the defect still fails the run");
    assert!(walked.of("diagram.md").is_empty());
    assert!(
        walked.stderr.contains("skipped diagram.md: binary file"),
        "{}",
        walked.stderr
    );
    walked.assert_defect_reported();
    assert_eq!(walked.files(), 1);

    let quiet = run(dir.path(), &["."]);
    assert!(!quiet.stderr.contains("diagram.md"), "{}", quiet.stderr);

    let named = run(dir.path(), &["diagram.md", "defect.md"]);
    assert_eq!(named.code, 1);
    assert_eq!(named.of("diagram.md"), vec![("file-encoding".into(), 3, 1)]);
    assert!(named.messages("diagram.md", "file-encoding")[0].starts_with("Binary file"));
    named.assert_defect_reported();
}

#[test]
fn empty_and_blank_files_are_linted_when_named_and_skipped_while_walking() {
    let dir = repo();
    write(dir.path(), "empty.md", "");
    write(dir.path(), "bom-only.md", "\u{feff}");
    write(dir.path(), "blank.md", "\r\n\n \t\n");

    let named = run(
        dir.path(),
        &["empty.md", "bom-only.md", "blank.md", "defect.md"],
    );
    assert_eq!(named.code, 1);
    assert_eq!(named.files(), 4);
    for file in ["empty.md", "bom-only.md"] {
        let found = named.of(file);
        assert!(
            found.iter().any(|f| f.0 == "frontmatter-missing"),
            "{file}: {found:?}"
        );
        assert!(
            found.iter().all(|f| (f.1, f.2) == (1, 1)),
            "{file}: {found:?}"
        );
    }
    let blank = named.of("blank.md");
    assert!(
        blank.iter().any(|f| f.0 == "frontmatter-missing"),
        "{blank:?}"
    );
    assert!(blank.iter().all(|f| f.1 <= 3), "{blank:?}");
    named.assert_defect_reported();

    let walked = run(dir.path(), &["--verbose", "."]);
    assert_eq!(walked.files(), 1);
    assert!(walked
        .stderr
        .contains("skipped empty.md: does not look like a post-mortem"));
    walked.assert_defect_reported();
}

#[test]
fn bom_crlf_and_lone_cr_keep_every_rules_lines_columns_and_offsets() {
    // The defects example triggers most rules: every one of its findings
    // must keep its line and column, and its offset must move by exactly
    // the bytes added before it.
    let lf = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/2026-02-09-cdn-outage-defects.md"),
    )
    .expect("the defects example exists");
    assert!(!lf.contains('\r'));
    let dir = repo();
    let variants = [
        ("lf.md", lf.clone(), 0, 0),
        ("crlf.md", lf.replace('\n', "\r\n"), 0, 1),
        ("bom.md", format!("\u{feff}{lf}"), 3, 0),
        (
            "bom-crlf.md",
            format!("\u{feff}{}", lf.replace('\n', "\r\n")),
            3,
            1,
        ),
        ("cr.md", lf.replace('\n', "\r"), 0, 0),
    ];
    for (name, text, _, _) in &variants {
        write(dir.path(), name, text);
    }
    let names: Vec<&str> = variants.iter().map(|v| v.0).collect();
    let r = run(dir.path(), &[&names[..], &["defect.md"]].concat());
    assert_eq!(r.code, 1);
    r.assert_defect_reported();

    let diags = |file: &str| -> Vec<Value> {
        r.json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["file"] == file)
            .cloned()
            .collect()
    };
    let base = diags("lf.md");
    assert!(base.len() > 20, "{base:?}");
    for (name, _, bom, per_line) in &variants[1..] {
        let other = diags(name);
        assert_eq!(other.len(), base.len(), "{name}");
        for (a, b) in base.iter().zip(&other) {
            for key in [
                "rule",
                "line",
                "column",
                "end_line",
                "end_column",
                "message",
            ] {
                assert_eq!(a[key], b[key], "{name}: {key} of {a} vs {b}");
            }
            let line = a["line"].as_u64().unwrap_or_default();
            let end_line = a["end_line"].as_u64().unwrap_or_default();
            let offset = a["offset"].as_u64().unwrap_or_default();
            let length = a["length"].as_u64().unwrap_or_default();
            // A finding at 1:1 may start before or after the BOM; every
            // other one lies after it.
            let bom = if offset == 0 {
                b["offset"].as_u64().unwrap_or_default()
            } else {
                *bom
            };
            assert_eq!(
                b["offset"].as_u64(),
                Some(offset + bom + per_line * (line - 1)),
                "{name}: offset of {a} vs {b}"
            );
            assert_eq!(
                b["length"].as_u64(),
                Some(length + per_line * (end_line - line)),
                "{name}: length of {a} vs {b}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Size

#[test]
fn a_100_mb_file_is_refused_by_its_size_before_reading_named_or_walked() {
    let dir = repo();
    // Sparse: 100 MB of zero bytes that are never written. Read, it would
    // be reported as binary; refused by its size, it never is.
    let file = std::fs::File::create(dir.path().join("huge.md")).expect("create");
    file.set_len(100 * 1024 * 1024).expect("set_len");
    drop(file);
    let expected = "File is 104857600 bytes, over the 10000000 byte limit (`max_file_size`)";

    for args in [&["huge.md", "defect.md"][..], &["."][..]] {
        let r = run(dir.path(), args);
        assert_eq!(r.code, 1, "{args:?}");
        assert_eq!(r.of("huge.md"), vec![("file-encoding".into(), 1, 1)]);
        assert_eq!(r.messages("huge.md", "file-encoding"), vec![expected]);
        r.assert_defect_reported();
    }
}

#[test]
fn a_file_just_over_a_configured_limit_is_refused_and_one_at_it_is_linted() {
    let dir = repo();
    let size = defective().len();
    write(
        dir.path(),
        ".pmlint.yml",
        format!("max_file_size: {size}\n"),
    );
    write(dir.path(), "bigger.md", format!("{} ", defective()));
    let r = run(dir.path(), &["bigger.md", "defect.md"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.messages("bigger.md", "file-encoding"),
        vec![format!(
            "File is {} bytes, over the {size} byte limit (`max_file_size`)",
            size + 1
        )]
    );
    r.assert_defect_reported();
}

// ---------------------------------------------------------------------------
// Deep and big Markdown

#[test]
fn ten_thousand_levels_of_nested_lists_and_block_quotes() {
    let dir = repo();
    let nestings = [
        ("bullets.md", "- ".repeat(10_000)),
        ("ordered.md", "1. ".repeat(10_000)),
        ("quotes.md", "> ".repeat(10_000)),
        ("tight-quotes.md", ">".repeat(10_000)),
        ("mixed.md", "> - ".repeat(5_000)),
    ];
    for (name, prefix) in &nestings {
        // The wording inside the nesting, and the defect after it: the
        // parse neither stops nor drifts.
        let text = postmortem_with(&format!("{prefix}Step [TBD] was careless.\n\n{DEFECT}"));
        write(dir.path(), name, text);
    }
    let mut args: Vec<&str> = nestings.iter().map(|n| n.0).collect();
    args.push("defect.md");
    let r = run(dir.path(), &args);
    assert_eq!(r.code, 1);
    r.assert_defect_reported();
    for (name, prefix) in &nestings {
        let text = postmortem_with(&format!("{prefix}Step [TBD] was careless.\n\n{DEFECT}"));
        let found = r.of(name);
        let (line, column) = position_of(&text, "human error");
        assert!(
            found.contains(&("blameless-language".into(), line, column)),
            "{name}: {found:?}"
        );
        if !prefix.starts_with('>') {
            // In lists (not quotes) the nested wording is the author's own.
            let (line, column) = position_of(&text, "careless");
            assert!(
                found.contains(&("blameless-language".into(), line, column)),
                "{name}: {found:?}"
            );
        }
    }
}

#[test]
fn a_thousand_lines_each_nested_one_level_deeper() {
    // Nesting over many lines (each line one level deeper) rather than on
    // one line; 1,000 levels keep the file at 1 MB.
    let dir = repo();
    let list: String = (0..1_000)
        .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
        .collect();
    let quotes: String = (1..=1_000)
        .map(|i| format!("{}level {i}\n", "> ".repeat(i)))
        .collect();
    for (name, nesting) in [("list.md", &list), ("quotes.md", &quotes)] {
        write(
            dir.path(),
            name,
            postmortem_with(&format!("{nesting}\n{DEFECT}")),
        );
    }
    let r = run(dir.path(), &["list.md", "quotes.md", "defect.md"]);
    assert_eq!(r.code, 1);
    r.assert_defect_reported();
    for (name, nesting) in [("list.md", &list), ("quotes.md", &quotes)] {
        let text = postmortem_with(&format!("{nesting}\n{DEFECT}"));
        let (line, column) = position_of(&text, "human error");
        assert_eq!(
            r.of(name),
            vec![("blameless-language".into(), line, column)],
            "{name}"
        );
    }
}

#[test]
fn a_100000_row_timeline_table_with_one_bad_time() {
    let dir = repo();
    let last = "| 11:47 | Incident declared resolved after 25 minutes of stable metrics. | On-call SRE |\n";
    let mut rows = String::with_capacity(100_000 * 16);
    for i in 0..100_000 {
        rows.push_str(if i == 77_777 {
            "|25:99|ok|ops|\n"
        } else {
            "|11:47|ok|ops|\n"
        });
    }
    let text = example().replacen(last, &format!("{last}{rows}"), 1);
    write(dir.path(), "table.md", &text);
    let r = run(dir.path(), &["table.md", "defect.md"]);
    assert_eq!(r.code, 1);
    let (line, _) = position_of(&text, "|25:99|");
    assert_eq!(r.of("table.md"), vec![("timeline-time".into(), line, 2)]);
    r.assert_defect_reported();
}

#[test]
fn a_one_megabyte_line_is_reported_at_exact_columns_in_every_format() {
    let dir = repo();
    let line = format!(
        "{} human error {} careless.",
        "x".repeat(700_000),
        "y".repeat(300_000)
    );
    let text = postmortem_with(&line);
    write(dir.path(), "long.md", &text);
    let r = run(dir.path(), &["long.md", "defect.md"]);
    assert_eq!(r.code, 1);
    let (l, c1) = position_of(&text, "human error");
    let (_, c2) = position_of(&text, "careless");
    assert_eq!(c1, 700_002);
    assert_eq!(
        r.of("long.md"),
        vec![
            ("blameless-language".into(), l, c1),
            ("blameless-language".into(), l, c2)
        ]
    );
    r.assert_defect_reported();

    // The human format shows a window of the line, not the megabyte (miette
    // used to panic on a label past column 65,535).
    let out = pmlint(dir.path())
        .args(["--color", "never", "long.md", "defect.md"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains(&format!("[long.md:{l}:{c1}]")), "{human}");
    assert!(human.contains(&format!("[long.md:{l}:{c2}]")), "{human}");
    assert!(human.contains("defect.md"), "{human}");
    assert!(
        human.len() < 20_000,
        "{} bytes of human output",
        human.len()
    );
    for format in ["concise", "github"] {
        let out = pmlint(dir.path())
            .args(["--format", format, "long.md", "defect.md"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.len() < 5_000, "{format}: {} bytes", stdout.len());
    }
}

// ---------------------------------------------------------------------------
// Front matter

#[test]
fn yaml_alias_bombs_are_invalid_front_matter() {
    let dir = repo();
    // Billion laughs: nine levels of nine aliases each.
    let mut laughs = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..9u8 {
        let (name, prev) = ((b'a' + i) as char, (b'a' + i - 1) as char);
        laughs.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
    }
    // Wide: one big anchor, aliased many times (each alias a full copy).
    let wide = format!(
        "x: &x [{}]\ny: [{}]\n",
        vec!["1"; 20_000].join(","),
        vec!["*x"; 20_000].join(",")
    );
    // Merge keys doubling at every level.
    let mut merges = String::from("m0: &m0 {k0: 0}\n");
    for i in 1..40 {
        merges.push_str(&format!(
            "m{i}: &m{i}\n  <<: [*m{}, *m{}]\n  k{i}: {i}\n",
            i - 1,
            i - 1
        ));
    }
    let bombs = [
        ("laughs.md", laughs),
        ("wide.md", wide),
        ("merges.md", merges),
    ];
    for (name, yaml) in &bombs {
        write(dir.path(), name, postmortem_with_front_matter(yaml));
    }
    let r = run(
        dir.path(),
        &["laughs.md", "wide.md", "merges.md", "defect.md"],
    );
    assert_eq!(r.code, 1);
    r.assert_defect_reported();
    for (name, _) in &bombs {
        let messages = r.messages(name, "frontmatter-invalid");
        assert_eq!(messages.len(), 1, "{name}: {:?}", r.of(name));
        assert!(messages[0].contains("aliases"), "{name}: {messages:?}");
        // The body is still checked: the example's sections are all there.
        assert!(
            !r.of(name).iter().any(|f| f.0 == "required-section"),
            "{name}: {:?}",
            r.of(name)
        );
    }
}

#[test]
fn deeply_nested_front_matter_is_invalid_at_its_line() {
    let dir = repo();
    let flow = format!("deep: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let block: String = (0..2_000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let seqs = format!(
        "deep:\n{}",
        (1..=2_000)
            .map(|i| format!("{}-\n", " ".repeat(i)))
            .collect::<String>()
    );
    let cases = [("flow.md", flow), ("block.md", block), ("seqs.md", seqs)];
    for (name, yaml) in &cases {
        write(dir.path(), name, postmortem_with_front_matter(yaml));
    }
    let r = run(dir.path(), &["flow.md", "block.md", "seqs.md", "defect.md"]);
    assert_eq!(r.code, 1);
    r.assert_defect_reported();
    let fm_lines = example()
        .lines()
        .take_while(|l| !l.starts_with("services:"))
        .count() as u64
        + 1;
    for (name, _) in &cases {
        let found: Vec<_> = r
            .of(name)
            .into_iter()
            .filter(|f| f.0 == "frontmatter-invalid")
            .collect();
        assert_eq!(found.len(), 1, "{name}: {:?}", r.of(name));
        assert!(
            found[0].1 > fm_lines,
            "{name}: points into the nesting: {found:?}"
        );
        assert_eq!(
            r.messages(name, "frontmatter-invalid"),
            vec!["Front matter is not valid YAML: lists or mappings nested more than 128 levels deep"],
            "{name}"
        );
    }
}

#[test]
fn huge_front_matter_is_read_and_checked_key_by_key() {
    let dir = repo();
    let mut keys: String = (0..50_000)
        .map(|i| format!("note_{i}: value {i}\n"))
        .collect();
    keys = keys.replacen(
        "note_40000: value 40000\n",
        "note_40000: \"[Insert value here]\"\n",
        1,
    );
    let text = postmortem_with_front_matter(&keys);
    write(dir.path(), "keys.md", &text);
    let value = format!("notes: \"{}\"\n", "lorem ipsum ".repeat(80_000));
    write(dir.path(), "value.md", postmortem_with_front_matter(&value));
    let r = run(dir.path(), &["keys.md", "value.md", "defect.md"]);
    assert_eq!(r.code, 1);
    let (line, column) = position_of(&text, "\"[Insert value here]\"");
    assert_eq!(
        r.of("keys.md"),
        vec![("frontmatter-required".into(), line, column)]
    );
    assert!(r.of("value.md").is_empty(), "{:?}", r.of("value.md"));
    r.assert_defect_reported();
}

#[test]
fn a_hostile_configuration_is_a_located_error_not_a_crash_or_a_silent_default() {
    let dir = repo();
    let people = vec!["x"; 30_000].join(", ");
    let bomb_names = vec!["a"; 20_000].join(", ");
    let bomb_overrides = vec!["{files: *x}"; 20_000].join(", ");
    let cases = [
        // A null key (found by the config fuzz target: it used to hang).
        ("?\n".to_string(), ".pmlint.yml:1:", "unknown field"),
        (
            "rules:\n  blameless-language: off\n  blameless-language: warning\n".to_string(),
            ".pmlint.yml:2:3",
            "duplicate entry with key",
        ),
        (
            format!("{{people: [{people}], rules: {{nope: off}}}}\n"),
            ".pmlint.yml:1:90020: unknown rule `nope`",
            "`pmlint rules` lists every rule id",
        ),
        (
            format!("people: &x [{bomb_names}]\noverrides: [{bomb_overrides}]\n"),
            // At the anchor whose copies overflow.
            ".pmlint.yml:1:",
            "YAML bomb",
        ),
    ];
    for (config, location, message) in &cases {
        write(dir.path(), ".pmlint.yml", config);
        let out = pmlint(dir.path())
            .args(["--color", "never", "defect.md"])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(location), "{location}: {stderr}");
        assert!(stderr.contains(message), "{message}: {stderr}");
        assert!(stderr.len() < 2_000, "{} bytes: {stderr}", stderr.len());
    }
}

// ---------------------------------------------------------------------------
// Links and unreadable files

#[cfg(unix)]
#[test]
fn symlink_loops_are_not_followed_while_walking() {
    use std::os::unix::fs::symlink;
    let dir = repo();
    let root = dir.path();
    write(root, "team/ok.md", defective());
    symlink("..", root.join("team/up")).expect("link");
    symlink(".", root.join("self")).expect("link");
    symlink("a.md", root.join("b.md")).expect("link");
    symlink("b.md", root.join("a.md")).expect("link");
    symlink("gone.md", root.join("dangling.md")).expect("link");
    symlink("team/ok.md", root.join("alias.md")).expect("link");

    let r = run(root, &["--verbose", "."]);
    assert_eq!(r.code, 1);
    assert_eq!(r.files(), 2, "defect.md and team/ok.md, each once");
    r.assert_defect_reported();
    assert_eq!(r.of("team/ok.md").len(), 1);
    for link in ["a.md", "b.md", "dangling.md", "alias.md"] {
        assert!(
            r.stderr.contains(&format!(
                "skipped {link}: a symbolic link (not followed while walking)"
            )),
            "{link}: {}",
            r.stderr
        );
    }

    // Named, a looping link is an unreadable file; the directory loop
    // named as the root is walked once.
    let r = run(root, &["a.md", "self", "defect.md"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.of("a.md"), vec![("file-encoding".into(), 1, 1)]);
    assert!(r.messages("a.md", "file-encoding")[0].starts_with("Cannot read the file: "));
    assert_eq!(r.of("self/team/ok.md").len(), 1, "{}", r.json);
    r.assert_defect_reported();
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_file_encoding_errors_and_the_run_goes_on() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = repo();
    let root = dir.path();
    // Unreadable whoever runs the test (root included): a link to nowhere,
    // and a FIFO (never opened: that would block until a writer came).
    symlink("nowhere.md", root.join("dangling.md")).expect("link");
    let fifo = std::process::Command::new("mkfifo")
        .arg(root.join("fifo.md"))
        .status()
        .is_ok_and(|s| s.success());
    let mut named = vec!["dangling.md", "defect.md"];
    if fifo {
        named.push("fifo.md");
    }
    // Unreadable by permissions: only when the permissions bind us (root
    // reads anything, so the variant is checked only where it can be).
    write(root, "secret.md", defective());
    std::fs::set_permissions(
        root.join("secret.md"),
        std::fs::Permissions::from_mode(0o000),
    )
    .expect("chmod");
    let permissions_bind = std::fs::read(root.join("secret.md")).is_err();
    if permissions_bind {
        named.push("secret.md");
    } else {
        eprintln!("secret.md: chmod 000 does not stop this user (root?); that variant is skipped");
    }

    let r = run(root, &named);
    assert_eq!(r.code, 1);
    r.assert_defect_reported();
    assert_eq!(r.files(), named.len() as u64);
    assert_eq!(
        r.messages("dangling.md", "file-encoding"),
        vec!["Cannot read the file: it is a symbolic link to a missing file (No such file or directory (os error 2))"]
    );
    if fifo {
        assert_eq!(
            r.messages("fifo.md", "file-encoding"),
            vec!["Cannot read the file: not a regular file (a FIFO, socket or device)"]
        );
    }
    if permissions_bind {
        assert_eq!(r.of("secret.md"), vec![("file-encoding".into(), 1, 1)]);
        assert!(r.messages("secret.md", "file-encoding")[0].contains("ermission denied"));
        // Found while walking, it is reported the same way.
        let walked = run(root, &["."]);
        assert_eq!(walked.of("secret.md"), vec![("file-encoding".into(), 1, 1)]);
    }
    // A truly missing path is still a usage error (exit 2).
    pmlint(root)
        .args(["missing.md", "defect.md"])
        .assert()
        .code(2);
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_whose_read_fails_with_an_io_error_is_reported_as_root_too() {
    // `/proc/self/mem` opens, but reading it at offset 0 fails (EIO) for
    // every user: a read error that root cannot bypass.
    use std::os::unix::fs::symlink;
    let dir = repo();
    symlink("/proc/self/mem", dir.path().join("memory.md")).expect("link");
    let r = run(dir.path(), &["memory.md", "defect.md"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.of("memory.md"), vec![("file-encoding".into(), 1, 1)]);
    let message = &r.messages("memory.md", "file-encoding")[0];
    assert!(message.starts_with("Cannot read the file: "), "{message}");
    r.assert_defect_reported();
}

// ---------------------------------------------------------------------------
// Everything at once, in every format

#[test]
fn a_tree_of_hostile_files_in_every_format() {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "bad/latin1.md",
        b"---\ntitle: Caf\xE9\n---\n# Incident Summary\n",
    );
    write(root, "bad/empty.md", "");
    write(
        root,
        "bad/nul.md",
        b"---\ntitle: x\n---\n# Incident Summary\n\0",
    );
    write(
        root,
        "bad/cr.md",
        "---\rtitle: x\r---\r## Timeline\r\r| Time | Event |\r|--|--|\r| 99:99 | x |\r",
    );
    write(
        root,
        "bad/deep.md",
        postmortem_with(&format!("{}x\n\n{DEFECT}", "> - ".repeat(3_000))),
    );
    write(
        root,
        "bad/bomb.md",
        postmortem_with_front_matter("a: &a [x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"),
    );
    write(
        root,
        "bad/unclosed.md",
        "---\ntitle: [x\n\n# Incident Summary\n",
    );
    write(
        root,
        "bad/long.md",
        postmortem_with(&format!("{} careless", "é".repeat(70_000))),
    );
    let summary = root.join("summary.md");
    for format in ["human", "concise", "json", "github"] {
        let out = pmlint(root)
            .args(["--format", format, "--color", "never", "--summary"])
            .arg(&summary)
            .args(["bad", "defect.md", "bad/latin1.md", "bad/nul.md"])
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
        for file in [
            "defect.md",
            "bad/latin1.md",
            "bad/nul.md",
            "bad/cr.md",
            "bad/deep.md",
            "bad/long.md",
        ] {
            assert!(stdout.contains(file), "{format} names {file}:\n{stdout}");
        }
        assert!(stdout.len() < 100_000, "{format}: {} bytes", stdout.len());
        let summary = std::fs::read_to_string(&summary).expect("summary written");
        assert!(summary.contains("`bad/cr.md`"), "{summary}");
    }
}
