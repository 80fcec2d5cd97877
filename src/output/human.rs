//! `human`: miette's graphical reports — source snippet, a label at the
//! span, the rule id and the suggestion as help — then a one-line total.

use crate::diagnostic::Severity;
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
        Named { name, text, starts }
    }
}

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
            inner.line() + first_line,
            inner.column(),
            inner.line_count() + first_line,
        )))
    }
}

/// One finding as a miette diagnostic over the file's text.
struct Report<'a> {
    finding: &'a Finding,
    source: &'a Named<'a>,
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
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = &self.finding.span;
        let label = LabeledSpan::new(
            Some(self.finding.severity.to_string()),
            span.start,
            span.len(),
        );
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
        let report = Report {
            finding: f,
            source: &source,
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
