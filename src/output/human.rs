//! `human`: miette's graphical reports — source snippet, a label at the
//! span, the rule id and the suggestion as help — then a one-line total.

use crate::diagnostic::{Position, Severity};
use crate::lint::Finding;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

/// The file's text under its name, borrowed (miette's `NamedSource` would
/// need an owned copy of every file), with where its lines start.
///
/// miette's own `read_span` for text walks from the start of the file to the
/// span on every call, so a file with many findings rendered in quadratic
/// time (50,000 findings in a 1.3 MB file: 177 s). Each call now hands
/// miette only the text from a few lines before the span.
struct Named<'a> {
    name: &'a str,
    text: &'a str,
    /// Offsets where lines start, with line breaks as miette counts them
    /// (`\n`, `\r\n`, or a lone `\r`).
    starts: Vec<usize>,
    /// The file's 0-based line number of `text`'s first line (an excerpt
    /// of a long line starts further down the file).
    first_line: usize,
}

impl<'a> Named<'a> {
    fn new(name: &'a str, text: &'a str) -> Named<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\n' || *b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        Named {
            name,
            text,
            starts,
            first_line: 0,
        }
    }

    /// 0-based index of the line holding `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1)
    }

    /// Byte range of 0-based `line`, without its line ending.
    fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.starts[line];
        let mut end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') && line + 1 < self.starts.len() {
            end -= 1;
        }
        if end > start && matches!(bytes.get(end - 1), Some(b'\r')) && line + 1 < self.starts.len()
        {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The snippet to show for `span` when it, or a line of context around
    /// it, is longer than [`LONG_LINE`]: those lines cut to a window around
    /// the span (marked with `…`), as a new text that starts at the span's
    /// previous line. Returns the excerpt, the span in it, and the file's
    /// line number of its first line. `None` when every line is short.
    ///
    /// miette prints each line of a snippet whole and pads the label to its
    /// column with a width that must fit in 16 bits: a finding past column
    /// 65,535 made it panic, and a finding on a 1 MB line printed 1 MB.
    fn excerpt(
        &self,
        span: &std::ops::Range<usize>,
    ) -> Option<(String, std::ops::Range<usize>, usize)> {
        let line = self.line_of(span.start);
        let first = line.saturating_sub(CONTEXT_LINES);
        let last = (line + CONTEXT_LINES).min(self.starts.len() - 1);
        if (first..=last).all(|l| self.line_range(l).len() <= LONG_LINE) {
            return None;
        }
        let floor = |mut i: usize| {
            while !self.text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let ceil = |mut i: usize| {
            while !self.text.is_char_boundary(i) {
                i += 1;
            }
            i
        };
        let mut out = String::new();
        let mut label = 0..0;
        for l in first..=last {
            let range = self.line_range(l);
            let (from, to) = if l == line {
                let from = floor(range.start.max(span.start.saturating_sub(SIDE)));
                let end = ceil(
                    span.end
                        .min(range.end)
                        .min(span.start + 2 * SIDE)
                        .max(span.start),
                );
                (from, ceil(range.end.min(end + SIDE)))
            } else {
                (range.start, ceil(range.end.min(range.start + 2 * SIDE)))
            };
            if from > range.start {
                out.push('…');
            }
            if l == line {
                // A span that starts in the line ending points at the end
                // of the shown text.
                let shift = out.len();
                let at = |o: usize| o.clamp(from, to) - from + shift;
                label = at(span.start)..at(span.end);
            }
            out.push_str(&self.text[from..to]);
            if to < range.end {
                out.push('…');
            }
            out.push('\n');
        }
        Some((out, label, first + self.first_line))
    }
}

/// Lines of context around a snippet's span.
const CONTEXT_LINES: usize = 1;

/// Lines longer than this (in bytes) are cut around the span in snippets.
const LONG_LINE: usize = 1000;

/// How much of a long line (in bytes) a snippet shows beside its span.
const SIDE: usize = 120;

/// A span over more lines than this is labelled on its first line only, so
/// one finding over a huge table cannot print the whole table.
const MAX_LABEL_LINES: usize = 8;

impl SourceCode for Named<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        // Start one line earlier than the context needs: miette then sees
        // the same lines before the span as it would from the file's start.
        let line = self.starts.partition_point(|s| *s <= span.offset()) - 1;
        let first_line = line.saturating_sub(context_lines_before + 1);
        let window_start = self.starts[first_line];
        let window = &self.text.as_bytes()[window_start..];
        let inner_span = SourceSpan::new((span.offset() - window_start).into(), span.len());
        let inner = window.read_span(&inner_span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + window_start).into(),
                inner.span().len(),
            ),
            inner.line() + first_line + self.first_line,
            inner.column(),
            inner.line_count() + first_line + self.first_line,
        )))
    }
}

/// The source as one finding sees it: miette reads the line and column of
/// the report's header from the label's own span, and counts that column in
/// bytes; this answers with the finding's position (columns in characters,
/// as everywhere else in pmlint's output).
struct Located<'a> {
    source: &'a Named<'a>,
    label: SourceSpan,
    start: Position,
}

impl SourceCode for Located<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner = self
            .source
            .read_span(span, context_lines_before, context_lines_after)?;
        if *span != self.label || context_lines_before != 0 {
            return Ok(inner);
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.source.name.to_string(),
            inner.data(),
            *inner.span(),
            self.start.line.saturating_sub(1),
            self.start.column.saturating_sub(1),
            inner.line_count(),
        )))
    }
}

/// One finding as a miette diagnostic over the file's text.
struct Report<'a> {
    finding: &'a Finding,
    source: Located<'a>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Report<'_> {}

impl Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.rule.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .suggestion
            .as_deref()
            .map(|s| Box::new(s) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label =
            LabeledSpan::new_with_span(Some(self.finding.severity.to_string()), self.source.label);
        Some(Box::new(std::iter::once(label)))
    }
}

/// Renders every finding of one file.
pub fn render_file(path: &str, text: &str, findings: &[Finding], color: bool) -> String {
    if findings.is_empty() {
        return String::new();
    }
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(100);
    let source = Named::new(path, text);
    let mut out = String::new();
    for f in findings {
        // A span over many lines is labelled on its first line.
        let mut span = f.span.start.min(text.len())..f.span.end.min(text.len());
        let first_line = source.line_of(span.start);
        if source.line_of(span.end) > first_line + MAX_LABEL_LINES {
            span.end = source.line_range(first_line).end.max(span.start);
        }
        let excerpt = source.excerpt(&span);
        let excerpt_source;
        let (named, span) = match &excerpt {
            Some((text, label, first_line)) => {
                excerpt_source = Named {
                    first_line: *first_line,
                    ..Named::new(path, text)
                };
                (&excerpt_source, label.clone())
            }
            None => (&source, span),
        };
        let report = Report {
            finding: f,
            source: Located {
                source: named,
                label: SourceSpan::new(span.start.into(), span.len()),
                start: f.start,
            },
        };
        if handler.render_report(&mut out, &report).is_err() {
            // Rendering into a String cannot fail in practice; fall back to
            // the concise line so nothing is lost.
            out.push_str(&format!(
                "{path}:{}:{}: {}[{}] {}\n",
                f.start.line, f.start.column, f.severity, f.rule, f.message
            ));
        }
        out.push('\n');
    }
    out
}

/// Renders findings of a file whose text is not available (unreadable or
/// not UTF-8): one line each.
pub fn render_plain(path: &str, findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {}[{}] {path}:{}:{}: {}\n",
                match f.severity {
                    Severity::Error => "×",
                    Severity::Warning => "⚠",
                    Severity::Info => "☞",
                },
                f.severity,
                f.rule,
                f.start.line,
                f.start.column,
                f.message
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(text: &str, span: std::ops::Range<usize>) -> Finding {
        let idx = crate::diagnostic::LineIndex::new(text);
        Finding {
            rule: crate::diagnostic::RuleId::Builtin("blameless-language"),
            severity: Severity::Error,
            message: "Blaming wording".into(),
            suggestion: None,
            start: idx.position(text, span.start),
            end: idx.position(text, span.end),
            span,
        }
    }

    #[test]
    fn a_finding_far_along_a_one_megabyte_line_is_shown_in_a_window() {
        let text = format!(
            "# T\n\n{} human error {}\nlast\n",
            "x".repeat(700_000),
            "y".repeat(300_000)
        );
        let at = text.find("human error").unwrap();
        let f = finding(&text, at..at + 11);
        let out = render_file("f.md", &text, std::slice::from_ref(&f), false);
        assert!(out.contains("[f.md:3:700002]"), "{out}");
        assert!(
            out.contains("… human error …") || out.contains("x human error y"),
            "{out}"
        );
        assert!(out.contains("3 │ …"), "{out}");
        assert!(out.contains("4 │ last"), "{out}");
        assert!(out.len() < 2_000, "{} bytes", out.len());
    }

    #[test]
    fn a_long_context_line_is_cut_too() {
        let text = format!("{}\nhuman error\n", "z".repeat(70_000));
        let at = text.find("human error").unwrap();
        let out = render_file("f.md", &text, &[finding(&text, at..at + 11)], false);
        assert!(out.contains("1 │ zzz"), "{out}");
        assert!(out.contains("z…\n"), "{out}");
        assert!(out.contains("2 │ human error"), "{out}");
        assert!(out.len() < 2_000, "{} bytes", out.len());
    }

    #[test]
    fn a_span_over_many_lines_is_labelled_on_its_first_line() {
        let text: String = (0..5_000).map(|i| format!("| row {i} |\n")).collect();
        let out = render_file("f.md", &text, &[finding(&text, 0..text.len())], false);
        assert!(out.contains("1 │ | row 0 |"), "{out}");
        assert!(!out.contains("row 4999"), "{out}");
        assert!(out.len() < 2_000, "{} bytes", out.len());
    }

    #[test]
    fn the_header_column_counts_characters_not_bytes() {
        let text = "# 🔍 Résumé: human error\n";
        let at = text.find("human").unwrap();
        let out = render_file("f.md", text, &[finding(text, at..at + 11)], false);
        assert!(out.contains("[f.md:1:13]"), "{out}");
    }

    #[test]
    fn windowed_spans_read_like_miettes_whole_file_spans() {
        let text = "a\r\nbé\rc\n\nline 🔥 five\r\n\r\nseven\nlast";
        let named = Named::new("f.md", text);
        for start in 0..=text.len() {
            for len in [0, 1, 3, 12] {
                let span = SourceSpan::new(start.into(), len);
                for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                    let ours = named.read_span(&span, before, after);
                    let theirs = text.read_span(&span, before, after);
                    match (ours, theirs) {
                        (Ok(o), Ok(t)) => {
                            let ctx = format!("{start} {len} {before} {after}");
                            assert_eq!(o.data(), t.data(), "{ctx}");
                            assert_eq!(o.span(), t.span(), "{ctx}");
                            assert_eq!(o.line(), t.line(), "{ctx}");
                            assert_eq!(o.column(), t.column(), "{ctx}");
                            assert_eq!(o.line_count(), t.line_count(), "{ctx}");
                        }
                        (Err(_), Err(_)) => {}
                        (o, t) => panic!("{start} {len}: {:?} vs {:?}", o.is_ok(), t.is_ok()),
                    }
                }
            }
        }
    }
}
