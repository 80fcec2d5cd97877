//! The incident timeline: a table `Time | Event Description | Responsible
//! Party` (with header aliases) in the Timeline section.

use super::{header_key, Cell, Document, Role, Row};
use crate::diagnostic::Span;

#[derive(Debug, Clone)]
pub struct Timeline {
    /// Index into `Document::sections` of the section holding the table.
    pub section: Option<usize>,
    pub table_span: Span,
    pub rows: Vec<TimelineRow>,
}

#[derive(Debug, Clone)]
pub struct TimelineRow {
    pub span: Span,
    pub time: Cell,
    pub event: Option<Cell>,
    pub party: Option<Cell>,
}

/// Which column of a header row holds what.
#[derive(Debug, Default, Clone, Copy)]
pub struct TimelineColumns {
    pub time: Option<usize>,
    pub event: Option<usize>,
    pub party: Option<usize>,
}

pub fn columns(header: &Row) -> TimelineColumns {
    let mut c = TimelineColumns::default();
    for (i, cell) in header.cells.iter().enumerate() {
        let k = header_key(&cell.text);
        let slot = match k.as_str() {
            "time" | "timestamp" | "time utc" | "when" | "date time" | "datetime"
            | "date and time" | "time and date" | "date" | "time date" | "local time" => {
                &mut c.time
            }
            "event description" | "event" | "events" | "description" | "what happened"
            | "details" | "activity" | "action" | "event details" | "summary" => &mut c.event,
            "responsible party" | "owner" | "actor" | "who" | "by" | "person" | "responder"
            | "party" | "responsible" | "performed by" | "source" => &mut c.party,
            _ if k.starts_with("time ") || k.starts_with("timestamp") => &mut c.time,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(i);
        }
    }
    c
}

pub fn extract(doc: &Document) -> Option<Timeline> {
    let section = doc.role_section(Role::Timeline);
    let in_section = section.and_then(|si| {
        let span = doc.sections[si].body.clone();
        doc.tables_in(&span)
            .find(|t| columns(&t.header).time.is_some())
    });
    let table = in_section.or_else(|| {
        doc.md.tables.iter().find(|t| {
            let c = columns(&t.header);
            c.time.is_some() && c.event.is_some()
        })
    })?;
    let cols = columns(&table.header);
    let time_col = cols.time?;
    let section = doc
        .sections
        .iter()
        .position(|s| s.span.start <= table.span.start && table.span.start < s.span.end);
    let rows = table
        .rows
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.text.is_empty()))
        .map(|r| TimelineRow {
            span: r.span.clone(),
            time: r.cells.get(time_col).cloned().unwrap_or(Cell {
                text: String::new(),
                span: r.span.start..r.span.start,
            }),
            event: cols.event.and_then(|i| r.cells.get(i).cloned()),
            party: cols.party.and_then(|i| r.cells.get(i).cloned()),
        })
        .collect();
    Some(Timeline {
        section,
        table_span: table.span.clone(),
        rows,
    })
}
