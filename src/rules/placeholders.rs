//! Template placeholders left in the body, found once per document and
//! shared by `template-placeholder` and `empty-section`.

use crate::config::Settings;
use crate::diagnostic::Span;
use crate::document::Document;

#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Spans of placeholder text, in order.
    pub spans: Vec<Span>,
}

impl Found {
    pub fn compute(_doc: &Document, _settings: &Settings) -> Found {
        Found::default()
    }
}
