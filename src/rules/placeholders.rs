//! Template placeholders, found once per document and shared by
//! `template-placeholder`, `empty-section`, `root-cause-missing` and the
//! front-matter rules.
//!
//! The shared API: [`Found::compute`] (placeholder spans in the body),
//! [`is_placeholder_value`] (a front-matter or cell value that is still the
//! template's), and [`has_sentence`] (whether a span holds real content).

use super::Ctx;
use crate::config::Settings;
use crate::diagnostic::Span;
use crate::document::{Document, BOUNDARY};

#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Spans of placeholder text in the body, in order.
    pub spans: Vec<Span>,
}

impl Found {
    pub fn compute(doc: &Document, _settings: &Settings) -> Found {
        let mask = &doc.md.mask;
        let mut spans = Vec::new();
        // Bracketed text that is not a link (links are masked out) nor a
        // task box.
        let mut i = doc.body_start;
        while i < mask.len() {
            if mask[i] == b'[' {
                if let Some(close) = mask[i + 1..]
                    .iter()
                    .position(|b| *b == b']' || *b == BOUNDARY || *b == b'\n')
                {
                    let end = i + 1 + close;
                    if mask[end] == b']' {
                        let inner = &mask[i + 1..end];
                        if inner.iter().any(|b| b.is_ascii_alphabetic()) {
                            spans.push(i..end + 1);
                        }
                        i = end + 1;
                        continue;
                    }
                }
            }
            i += 1;
        }
        spans.sort_by_key(|s| s.start);
        Found { spans }
    }

    /// Whether `offset` lies inside a placeholder.
    pub fn covers(&self, span: &Span) -> bool {
        let i = self.spans.partition_point(|s| s.end <= span.start);
        self.spans
            .get(i)
            .is_some_and(|s| s.start <= span.start && span.end <= s.end)
    }
}

/// Whether a value (front matter, table cell) is still the template's
/// placeholder: a bracketed instruction, `YYYY-MM-DD`/`HH:MM`, or empty.
pub fn is_placeholder_value(raw: &str) -> bool {
    let t = raw.trim();
    if t.is_empty() {
        return true;
    }
    if t.contains("YYYY-MM-DD") || t.contains("HH:MM") {
        return true;
    }
    if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        let lower = inner.trim().to_ascii_lowercase();
        return lower.starts_with("e.g")
            || [
                "name or role",
                "list of",
                "incident id",
                "timezone",
                "date of",
                "describe",
                "title",
            ]
            .iter()
            .any(|p| lower.contains(p));
    }
    false
}

/// Whether `span` holds at least some real prose: text outside headings,
/// table header rows and placeholders, with a letter or digit in it.
pub fn has_sentence(ctx: &Ctx<'_>, span: &Span) -> bool {
    let found = ctx.placeholders();
    ctx.doc.texts_in(span).any(|t| {
        !t.flags.heading
            && !t.flags.table_head
            && !found.covers(&t.span)
            && ctx.doc.text[t.span.clone()]
                .chars()
                .any(char::is_alphanumeric)
    })
}
