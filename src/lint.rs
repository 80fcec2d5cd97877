//! Linting one file: bytes → `Document` → rules → levels and suppressions
//! → findings with positions. Pure: no file system, no clock.

use crate::config::Settings;
use crate::diagnostic::{
    Diagnostic, Level, LineIndex, Position, PositionCursor, RuleId, Severity, Span,
};
use crate::document::Document;
use crate::rules::{self, Ctx};
use crate::suppress::Suppressions;
use chrono::NaiveDate;

/// What to run and how.
pub struct LintOptions<'a> {
    pub settings: &'a Settings,
    pub today: NaiveDate,
    /// Only these rules (ids or prefixes such as `action-item-`); `None`: all.
    pub select: Option<Vec<String>>,
    /// Never these rules (ids or prefixes).
    pub ignore: Vec<String>,
    /// Whether [`FileReport::action_items`] is filled (for a Markdown
    /// summary); otherwise it stays empty.
    pub summary: bool,
}

impl LintOptions<'_> {
    /// Whether `--select`/`--ignore` let `id` run.
    pub fn selected(&self, id: &str) -> bool {
        let matches = |pat: &String| {
            pat == id || (pat.ends_with(['-', '*']) && id.starts_with(pat.trim_end_matches('*')))
        };
        self.select.as_ref().is_none_or(|s| s.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }
}

/// A diagnostic with its resolved severity and positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    pub suggestion: Option<String>,
    pub span: Span,
    pub start: Position,
    /// Exclusive end position.
    pub end: Position,
}

/// The result of linting one file.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    pub findings: Vec<Finding>,
    /// The document's status when its front matter is valid.
    pub status: Option<String>,
    /// The document's action items, for the Markdown summary (the document
    /// itself is not kept after it is checked).
    pub action_items: Vec<ItemSummary>,
}

/// An action item as the summary lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemSummary {
    pub id: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    /// The row or list item in the file.
    pub span: Span,
    pub line: usize,
}

impl FileReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Lints raw bytes: checks the encoding first.
pub fn lint_bytes(path: &str, bytes: &[u8], opts: &LintOptions) -> FileReport {
    if let Some(d) = encoding_problem(bytes) {
        return encoding_report(path, bytes, d, opts);
    }
    // `encoding_problem` checked the bytes are UTF-8.
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    lint_text(path, text, opts)
}

/// Whether the bytes look binary (a NUL byte early on, as git judges).
pub fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8000)]).is_some()
}

/// A `file-encoding` finding for bytes that are binary or not UTF-8.
fn encoding_problem(bytes: &[u8]) -> Option<Diagnostic> {
    if looks_binary(bytes) {
        let at = bytes.iter().position(|b| *b == 0).unwrap_or(0);
        return Some(Diagnostic::new(
            "file-encoding",
            at..at + 1,
            "Binary file: this is not a Markdown document",
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => None,
        Err(e) => {
            let at = e.valid_up_to();
            let len = e.error_len().unwrap_or(bytes.len() - at).max(1);
            Some(
                Diagnostic::new(
                    "file-encoding",
                    at..(at + len).min(bytes.len()),
                    format!("Invalid UTF-8: byte 0x{:02X} at offset {at}", bytes[at]),
                )
                .with_suggestion("save the file as UTF-8"),
            )
        }
    }
}

fn encoding_report(path: &str, bytes: &[u8], d: Diagnostic, opts: &LintOptions) -> FileReport {
    let rule = rules::find("file-encoding").expect("file-encoding is registered");
    let level = opts
        .settings
        .level(rule.id, rule.default, rule.draft_relaxed, path, None);
    let Level::On(severity) = level else {
        return FileReport::default();
    };
    if !opts.selected(rule.id) {
        return FileReport::default();
    }
    // Positions count what precedes the span as `lint_text` would: a lone
    // `\r` ends a line, and a run of invalid bytes before it (a NUL after
    // Latin-1 text, say) is one column, as a decoder shows it.
    let prefix = String::from_utf8_lossy(&bytes[..d.span.start]);
    let prefix = if has_lone_cr(&prefix) {
        std::borrow::Cow::Owned(lone_cr_to_lf(&prefix))
    } else {
        prefix
    };
    let idx = LineIndex::new(&prefix);
    let start = idx.position(&prefix, prefix.len());
    let end = Position {
        line: start.line,
        column: start.column + 1,
    };
    FileReport {
        findings: vec![Finding {
            rule: d.rule,
            severity,
            message: d.message,
            suggestion: d.suggestion,
            span: d.span,
            start,
            end,
        }],
        status: None,
        action_items: Vec::new(),
    }
}

/// A `file-encoding` report for a file that could not be read or is too big.
pub fn file_problem(path: &str, message: String, opts: &LintOptions) -> FileReport {
    let rule = rules::find("file-encoding").expect("file-encoding is registered");
    match opts
        .settings
        .level(rule.id, rule.default, rule.draft_relaxed, path, None)
    {
        Level::On(severity) if opts.selected(rule.id) => FileReport {
            findings: vec![Finding {
                rule: RuleId::Builtin(rule.id),
                severity,
                message,
                suggestion: None,
                span: 0..0,
                start: Position { line: 1, column: 1 },
                end: Position { line: 1, column: 1 },
            }],
            status: None,
            action_items: Vec::new(),
        },
        _ => FileReport::default(),
    }
}

/// Lints a decoded document.
pub fn lint_text(path: &str, text: &str, opts: &LintOptions) -> FileReport {
    // A lone `\r` ends a line in CommonMark (and in editors): read it as
    // `\n`. The replacement has the same length, so every offset is still
    // an offset into the file as read.
    let normalized;
    let text = if has_lone_cr(text) {
        normalized = lone_cr_to_lf(text);
        normalized.as_str()
    } else {
        text
    };
    let settings = opts.settings;
    let doc = Document::parse(text, settings);
    let status = doc.status();
    let levels = settings.file_levels(path, status.as_deref());
    let level_of = |id: &str, default: Severity, relaxed: bool| {
        if !opts.selected(id) {
            return Level::Off;
        }
        levels.level(id, default, relaxed)
    };
    let ctx = Ctx::new(&doc, settings, opts.today, path);

    let mut raw: Vec<(Diagnostic, Severity)> = Vec::new();
    let mut buf = Vec::new();
    for rule in rules::all() {
        let Some(check) = rule.check else { continue };
        let Level::On(sev) = level_of(rule.id, rule.default, rule.draft_relaxed) else {
            continue;
        };
        buf.clear();
        check(&ctx, &mut buf);
        raw.extend(buf.drain(..).map(|d| (d, sev)));
    }
    for custom in &settings.custom {
        let Level::On(sev) = level_of(&custom.id, custom.level, false) else {
            continue;
        };
        buf.clear();
        custom.check(&ctx, &mut buf);
        raw.extend(buf.drain(..).map(|d| (d, sev)));
    }

    // Suppression comments.
    let all_ids: Vec<&str> = rules::all()
        .iter()
        .map(|r| r.id)
        .chain(settings.custom.iter().map(|c| c.id.as_ref()))
        .collect();
    let known = |id: &str| all_ids.contains(&id);
    let mut sup = Suppressions::parse(&doc, &known, &all_ids);
    let mut kept: Vec<(Diagnostic, Severity)> = Vec::with_capacity(raw.len());
    for (d, sev) in raw {
        let line = doc.line_of(d.span.start);
        if !sup.suppresses(d.rule.as_str(), line) {
            kept.push((d, sev));
        }
    }
    let enabled = |id: &str| {
        rules::find(id)
            .map(|r| level_of(r.id, r.default, r.draft_relaxed) != Level::Off)
            .or_else(|| {
                settings
                    .custom
                    .iter()
                    .find(|c| &*c.id == id)
                    .map(|c| level_of(id, c.level, false) != Level::Off)
            })
            .unwrap_or(false)
    };
    // `unknown-rule` findings first: a comment that silences one of them has
    // suppressed something, which `unused` must then know.
    for id in ["unknown-rule", "unused-suppression"] {
        let diags = if id == "unknown-rule" {
            std::mem::take(&mut sup.unknown)
        } else {
            sup.unused(&enabled)
        };
        let rule = rules::find(id).expect("suppression rules are registered");
        if let Level::On(sev) = level_of(rule.id, rule.default, rule.draft_relaxed) {
            for d in diags {
                let line = doc.line_of(d.span.start);
                if !sup.suppresses(id, line) {
                    kept.push((d, sev));
                }
            }
        }
    }

    // Positions in offset order, so the cursor counts each line once.
    for (d, _) in &mut kept {
        d.span = clamp_span(text, d.span.clone());
    }
    kept.sort_by_key(|(d, _)| d.span.start);
    let mut cursor = PositionCursor::new(&doc.lines, text);
    let mut findings: Vec<Finding> = kept
        .into_iter()
        .map(|(d, sev)| {
            let severity = if d.lowered { sev.lowered() } else { sev };
            let span = d.span;
            let start = cursor.position(span.start);
            Finding {
                start,
                end: cursor.position_after(span.start, start, span.end),
                rule: d.rule,
                severity,
                message: d.message,
                suggestion: d.suggestion,
                span,
            }
        })
        .collect();
    // Stable: findings of one rule at one place keep the order the rule
    // reported them in (missing sections in configured order, say).
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule.as_str()).cmp(&(
            b.span.start,
            b.span.end,
            b.rule.as_str(),
        ))
    });
    // The same finding twice (rule, span and message): duplicates share
    // the sort key, so each is compared only with its run of equal keys.
    let mut run_start = 0;
    let mut deduped: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        if deduped.last().is_some_and(|l| {
            (l.span.start, l.span.end, l.rule.as_str())
                != (f.span.start, f.span.end, f.rule.as_str())
        }) {
            run_start = deduped.len();
        }
        if !deduped[run_start..].iter().any(|k| k.message == f.message) {
            deduped.push(f);
        }
    }
    let findings = deduped;
    let field = |f: &Option<crate::document::action_items::Field>| {
        f.as_ref().map(|f| f.text.to_string()).unwrap_or_default()
    };
    let action_items = if !opts.summary {
        Vec::new()
    } else {
        doc.action_items
            .iter()
            .map(|item| ItemSummary {
                id: field(&item.id),
                owner: field(&item.owner),
                due: field(&item.due),
                status: match item.checked {
                    Some(true) if item.status.is_none() => "Done".into(),
                    Some(false) if item.status.is_none() => "Open".into(),
                    _ => field(&item.status),
                },
                span: item.span.clone(),
                line: doc.line_of(item.span.start),
            })
            .collect()
    };
    FileReport {
        findings,
        status,
        action_items,
    }
}

/// Whether `text` has a `\r` that is not part of a CRLF pair.
pub(crate) fn has_lone_cr(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'\r', b).any(|i| b.get(i + 1) != Some(&b'\n'))
}

/// `text` with every lone `\r` replaced by `\n` (CRLF pairs kept).
pub(crate) fn lone_cr_to_lf(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    for i in 0..out.len() {
        if out[i] == b'\r' && out.get(i + 1) != Some(&b'\n') {
            out[i] = b'\n';
        }
    }
    // Only ASCII bytes changed, so the text is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Keeps a span inside the text and on character boundaries.
fn clamp_span(text: &str, span: Span) -> Span {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(text: &str) -> FileReport {
        let settings = Box::leak(Box::new(Settings::defaults()));
        let opts = LintOptions {
            settings,
            today: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            select: None,
            ignore: Vec::new(),
            summary: true,
        };
        lint_text("t.md", text, &opts)
    }

    /// Line and column of `offset` counted the slow, obvious way: lines end
    /// at `\n` or a lone `\r`, a leading BOM is not a column.
    fn naive_position(text: &str, offset: usize) -> Position {
        let (mut line, mut column) = (1, 1);
        for (i, ch) in text[..offset].char_indices() {
            let lone_cr = ch == '\r' && text.as_bytes().get(i + 1) != Some(&b'\n');
            if ch == '\n' || lone_cr {
                line += 1;
                column = 1;
            } else if !(i == 0 && ch == '\u{feff}') {
                column += 1;
            }
        }
        Position { line, column }
    }

    fn assert_positions_exact(text: &str, report: &FileReport) {
        for f in &report.findings {
            let ctx = format!("{f:?} in {text:?}");
            assert!(
                f.span.start <= f.span.end && f.span.end <= text.len(),
                "{ctx}"
            );
            assert!(text.is_char_boundary(f.span.start), "{ctx}");
            assert!(text.is_char_boundary(f.span.end), "{ctx}");
            assert_eq!(
                f.start,
                naive_position(text, f.span.start),
                "start of {ctx}"
            );
            assert_eq!(f.end, naive_position(text, f.span.end), "end of {ctx}");
        }
    }

    /// A tiny deterministic generator (xorshift64*), so the property test
    /// needs no dependency and fails the same way every time.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const FRAGMENTS: &[&str] = &[
        "---\n",
        "title: Outage 🔥 é\n",
        "status: Draft\n",
        "status: [Draft / Under Review / Finalised]\n",
        "date: 2026-02-30\n",
        "incident_start_time: 2026-01-01 10:00 PST\n",
        "incident_end_time: 2026-01-01T09:00Z\n",
        "incident_duration: [e.g., 2 hours 30 minutes]\n",
        "author: &a [x, *a]\n",
        "reviewers: @bob, Priya Shah\n",
        "\tbad: : yaml\n",
        "## 1. 🔍 Incident Summary\n",
        "## 2. Incident Timeline\n",
        "## Why Did It Happen? (Root Cause Analysis)\n",
        "## 7. Action Items\n",
        "## 🔥🔥\n",
        "### 1.2 Incident ID\n",
        "Setext heading\n==============\n",
        "Lessons Learned\n---\n",
        "| Time | Event Description | Responsible Party |\n|---|---|---|\n",
        "| 10:00 | Bob broke prod | Bob Smith |\n",
        "| 2026-01-01 23:59 UTC | fix |\n",
        "| ID | Description | Owner | Target Date | Status |\n| --- | --- | --- | --- | --- |\n",
        "| **PM-AI-001** | Add alert | TBD | 2026-06-31 | Blocked | extra |\n",
        "| PM-AI-002 | - [ ] x | @a |\n",
        "- [ ] PM-AI-005: Add alert on X — owner: @alice, due: 2025-08-01\n",
        "- [x] PM-AI-006: done\n",
        "- **Root Cause 1:** the cache\n  - *Why:* because\n",
        "**Contributing Factors:** many\n",
        "> quoted human error by @carol\n",
        "> - > - nested [Insert details here]\n",
        "    indented code: human error\n",
        "```\n<!-- pmlint-disable -->\nhuman error\n```\n",
        "<!-- pmlint-disable-next-line blameless-language -->\n",
        "<!-- pmlint-disable blameless-language, nope -->\n",
        "<!-- pmlint-enable nope -->\n",
        "<!-- pmlint-disable-file -->\n",
        "<!-- PMLINT-DISABLE bogus -->\n",
        "<!-- unclosed comment\n",
        "It was just a simple human error; they should have known better.\n",
        "Impact: several users, 41 lakh requests, 3.5k errors.\n",
        "[a](<b c>) <http://x> [ref] [^1]\n\n[ref]: <x y> \"t\"\n[^1]: footnote: human error\n",
        "事故 😀 Ã¼Ã” mojibake then human error\n",
        "e\u{301}\u{301} combining, then careless\n",
        "\n",
        "\n\n",
        "   \n",
        "- a\n  - b\n    - c\n      - d human error\n",
        "<div>\nhuman error\n</div>\n",
        "YYYY-MM-DD HH:MM [Timezone]\n",
        "\u{0}",
        "\t- tab item\t**Root Cause 2:**\twhy\n",
        "| 😀 Time | Évent | Who 👩‍💻 |\n|:-:|--|--:|\n| ２３:５９ | Ünïcode human error | Zoë Ñ |\n",
        "## Action Items ##\n#\n###### \n",
        "> - [ ] PM-AI-9: quoted task — owner: @x, due: 2020-02-30\n",
        "| <!-- pmlint-disable-next-line --> | a \\| b | `c | d` |\n",
        "NBSP\u{a0}human\u{a0}error, ZWJ \u{200d} LS \u{2028} PS \u{2029} end\n",
        "***\n___\n",
        "1. one\n2) two\n   10. ten human error\n",
        "Incident ID: INC-1\n### 1.3 Date and Time\nStart: 2026-01-01 10:00 UTC\nDuration: 1h 47m\n",
        "[^note]: *Why:* the on-call engineer forgot\n",
        "no newline at end",
    ];

    fn random_document(rng: &mut XorShift) -> String {
        let mut doc = String::new();
        if rng.below(4) == 0 {
            doc.push('\u{feff}');
        }
        for _ in 0..rng.below(25) {
            doc.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]);
        }
        match rng.below(4) {
            0 => doc.replace('\n', "\r\n"),
            1 => doc.replace('\n', "\r"),
            _ => doc,
        }
    }

    #[test]
    fn random_documents_never_panic_and_spans_are_exact() {
        // `PMLINT_FUZZ_ITERS=100000 cargo test random_documents` searches longer.
        let iters = std::env::var("PMLINT_FUZZ_ITERS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(400);
        let seed = std::env::var("PMLINT_FUZZ_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        let mut rng = XorShift(seed);
        for _ in 0..iters {
            let doc = random_document(&mut rng);
            let report = lint(&doc);
            assert_positions_exact(&doc, &report);
        }
    }

    #[test]
    fn crlf_cr_and_bom_variants_give_the_lf_positions() {
        let iters = std::env::var("PMLINT_FUZZ_ITERS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(150);
        let seed = std::env::var("PMLINT_FUZZ_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(7);
        let mut rng = XorShift(seed);
        for _ in 0..iters {
            let lf: String = (0..rng.below(20))
                .map(|_| FRAGMENTS[rng.below(FRAGMENTS.len())])
                .collect();
            let key = |r: &FileReport| -> Vec<_> {
                r.findings
                    .iter()
                    .map(|f| (f.rule.clone(), f.start, f.end, f.message.clone()))
                    .collect()
            };
            let expected = key(&lint(&lf));
            for variant in [
                lf.replace('\n', "\r\n"),
                lf.replace('\n', "\r"),
                format!("\u{feff}{lf}"),
                format!("\u{feff}{}", lf.replace('\n', "\r\n")),
            ] {
                assert_eq!(key(&lint(&variant)), expected, "{variant:?}");
            }
        }
    }

    fn rules_of(r: &FileReport) -> Vec<(&str, usize)> {
        r.findings
            .iter()
            .map(|f| (f.rule.as_str(), f.start.line))
            .filter(|(id, _)| {
                ["blameless-language", "unknown-rule", "unused-suppression"].contains(id)
            })
            .collect()
    }

    #[test]
    fn a_suppression_that_silences_unknown_rule_is_used() {
        let r = lint("# T\n\n<!-- pmlint-disable unknown-rule -->\n<!-- pmlint-disable nope -->\n");
        assert_eq!(rules_of(&r), []);
    }

    #[test]
    fn a_multi_line_suppression_comment_is_a_directive() {
        let r = lint("# T\n\n<!--\n  pmlint-disable-next-line\n  blameless-language\n-->\nIt was human error.\n");
        assert_eq!(rules_of(&r), []);
    }

    #[test]
    fn unknown_ids_are_unknown_rule_only() {
        let r = lint("# T\n\n<!-- pmlint-disable nope -->\nIt was human error.\n<!-- pmlint-enable nope -->\n<!-- pmlint-disable-next-line nope, blameless-language -->\n\nhuman error\nhuman error\n");
        assert_eq!(
            rules_of(&r),
            [
                ("unknown-rule", 3),
                ("blameless-language", 4),
                ("unknown-rule", 5),
                ("unknown-rule", 6),
                ("blameless-language", 9)
            ]
        );
    }

    #[test]
    fn comments_in_code_are_not_directives() {
        let r = lint("# T\n\n```\n<!-- pmlint-disable-file -->\n```\n\n    <!-- pmlint-disable-file -->\n\n`<!-- pmlint-disable-file -->` human error\n");
        assert_eq!(rules_of(&r), [("blameless-language", 9)]);
    }

    fn lint_raw(bytes: &[u8]) -> FileReport {
        let settings = Box::leak(Box::new(Settings::defaults()));
        let opts = LintOptions {
            settings,
            today: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            select: None,
            ignore: Vec::new(),
            summary: true,
        };
        lint_bytes("t.md", bytes, &opts)
    }

    #[test]
    fn an_invalid_byte_after_lone_cr_lines_is_on_its_own_line() {
        let report = lint_raw(b"# T\r\rab\xFFc\r");
        let f = &report.findings[0];
        assert_eq!(f.rule.as_str(), "file-encoding");
        assert_eq!(f.span, 7..8);
        assert_eq!(f.start, Position { line: 3, column: 3 });
        assert_eq!(f.end, Position { line: 3, column: 4 });
    }

    #[test]
    fn a_nul_after_invalid_bytes_is_placed_by_its_lines() {
        // Binary (a NUL) wins over invalid UTF-8 before it; the position
        // still counts every line before the NUL.
        let report = lint_raw(b"caf\xE9\n\n\xFF\xFE\0");
        let f = &report.findings[0];
        assert!(f.message.starts_with("Binary"), "{f:?}");
        assert_eq!(f.span, 8..9);
        assert_eq!(f.start, Position { line: 3, column: 3 });
    }

    #[test]
    fn a_lone_cr_ends_a_line() {
        let text = "---\rtitle: x\r---\r# T\rIt was human error.\r";
        let report = lint(text);
        let f = report
            .findings
            .iter()
            .find(|f| f.rule.as_str() == "blameless-language")
            .expect("human error is found");
        assert_eq!(f.start, Position { line: 5, column: 8 });
        assert!(report
            .findings
            .iter()
            .all(|f| f.rule.as_str() != "frontmatter-missing"));
        assert_positions_exact(text, &report);
    }

    #[test]
    fn a_bom_does_not_shift_findings_on_line_one() {
        let lf = lint("# Notes about human error\n");
        let bom = lint("\u{feff}# Notes about human error\n");
        let pos = |r: &FileReport| {
            r.findings
                .iter()
                .map(|f| (f.start, f.end))
                .collect::<Vec<_>>()
        };
        assert!(!lf.findings.is_empty());
        assert_eq!(pos(&bom), pos(&lf));
    }
}
