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
/// need an owned copy of every file).
struct Named<'a> {
    name: &'a str,
    text: &'a str,
}

impl SourceCode for Named<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
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
    let source = Named { name: path, text };
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
