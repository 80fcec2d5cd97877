//! Facts about the incident computed once per document and shared by the
//! rules that need them: the parsed start, end and review date.

use crate::config::Settings;
use crate::document::Document;
use crate::time::{Stamp, TimeError};
use chrono::NaiveDate;

/// A front-matter time stamp: parsed, or why not.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    pub value: Result<T, TimeError>,
    pub span: crate::diagnostic::Span,
    pub raw: String,
}

#[derive(Debug, Clone, Default)]
pub struct Incident {
    pub start: Option<Parsed<Stamp>>,
    pub end: Option<Parsed<Stamp>>,
    pub review_date: Option<Parsed<NaiveDate>>,
}

impl Incident {
    pub fn compute(doc: &Document, settings: &Settings) -> Incident {
        let stamp = |key: &str| {
            doc.fm_value(key)
                .filter(|v| !v.text.is_empty())
                .map(|v| Parsed {
                    value: settings.zones.parse_stamp(&v.text),
                    span: v.span,
                    raw: v.text,
                })
        };
        let review_date = doc
            .fm_value("date")
            .filter(|v| !v.text.is_empty())
            .map(|v| Parsed {
                value: crate::time::parse_date(&v.text).ok_or_else(|| {
                    TimeError::Invalid(format!("`{}` is not a date like `2025-07-18`", v.text))
                }),
                span: v.span,
                raw: v.text,
            });
        Incident {
            start: stamp("incident_start_time"),
            end: stamp("incident_end_time"),
            review_date,
        }
    }

    /// The start instant, when it parsed.
    pub fn start_utc(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.start.as_ref()?.value.as_ref().ok().map(|s| s.utc)
    }

    pub fn end_utc(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.end.as_ref()?.value.as_ref().ok().map(|s| s.utc)
    }

    pub fn start_stamp(&self) -> Option<&Stamp> {
        self.start.as_ref()?.value.as_ref().ok()
    }
}
