//! The incident timeline: a table `Time | Event Description | Responsible
//! Party` (with header aliases) in the Timeline section.

use super::{with_header_key, Cell, Document, Role, Row};
use crate::diagnostic::Span;

#[derive(Debug, Clone)]
pub struct Timeline<'a> {
    /// Index into `Document::sections` of the section holding the table.
    pub section: Option<usize>,
    pub table_span: Span,
    /// The header cell of the time column (`Time (UTC)` names the zone of
    /// rows that write none).
    pub time_header: Cell<'a>,
    pub rows: Vec<TimelineRow<'a>>,
}

#[derive(Debug, Clone)]
pub struct TimelineRow<'a> {
    pub span: Span,
    pub time: Cell<'a>,
    pub event: Option<Cell<'a>>,
    pub party: Option<Cell<'a>>,
}

/// Which column of a header row holds what.
#[derive(Debug, Default, Clone, Copy)]
pub struct TimelineColumns {
    pub time: Option<usize>,
    pub event: Option<usize>,
    pub party: Option<usize>,
}

/// The column slots, for [`columns`] to choose from.
type Slot = fn(&mut TimelineColumns) -> &mut Option<usize>;
fn time_slot(c: &mut TimelineColumns) -> &mut Option<usize> {
    &mut c.time
}
fn event_slot(c: &mut TimelineColumns) -> &mut Option<usize> {
    &mut c.event
}
fn party_slot(c: &mut TimelineColumns) -> &mut Option<usize> {
    &mut c.party
}

pub fn columns(header: &Row) -> TimelineColumns {
    let mut c = TimelineColumns::default();
    for (i, cell) in header.cells.iter().enumerate() {
        let Some(slot_of) = with_header_key(&cell.text, |k| {
            Some::<Slot>(match k {
                "time" | "timestamp" | "time utc" | "when" | "date time" | "datetime"
                | "date and time" | "time and date" | "date" | "time date" | "local time" => {
                    time_slot
                }
                "event description" | "event" | "events" | "description" | "what happened"
                | "details" | "activity" | "action" | "event details" | "summary" => event_slot,
                "responsible party" | "owner" | "actor" | "who" | "by" | "person" | "responder"
                | "party" | "responsible" | "performed by" | "source" => party_slot,
                _ if k.starts_with("time ") || k.starts_with("timestamp") => time_slot,
                _ => return None,
            })
        }) else {
            continue;
        };
        let slot = slot_of(&mut c);
        if slot.is_none() {
            *slot = Some(i);
        }
    }
    c
}

pub fn extract<'a>(doc: &Document<'a>) -> Option<Timeline<'a>> {
    let section = doc.role_section(Role::Timeline);
    let in_section = section.and_then(|si| {
        let span = doc.sections[si].body.clone();
        doc.tables_in(&span)
            .find(|t| columns(&t.header).time.is_some())
    });
    // Without a Timeline section, any table with time and event columns is
    // the timeline; with one, only a table inside it is.
    let table = in_section.or_else(|| {
        if section.is_some() {
            return None;
        }
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
    // Sized for every row at once: collected from the filter, the list grew
    // (and was copied) a few times per table.
    let mut rows = Vec::with_capacity(table.rows.len());
    rows.extend(
        table
            .rows
            .iter()
            .filter(|r| r.cells.iter().any(|c| !c.text.is_empty()))
            .map(|r| TimelineRow {
                span: r.span.clone(),
                time: r.cells.get(time_col).cloned().unwrap_or(Cell {
                    text: "".into(),
                    span: r.span.start..r.span.start,
                }),
                event: cols.event.and_then(|i| r.cells.get(i).cloned()),
                party: cols.party.and_then(|i| r.cells.get(i).cloned()),
            }),
    );
    Some(Timeline {
        section,
        table_span: table.span.clone(),
        time_header: table
            .header
            .cells
            .get(time_col)
            .cloned()
            .unwrap_or_default(),
        rows,
    })
}

/// The zone named by a time header's trailing parenthetical, as written:
/// `Time (UTC)` → `UTC`, `Time (HH:MM [Timezone])` → `HH:MM [Timezone]`.
pub fn header_zone_text(header: &str) -> Option<&str> {
    let h = header.trim();
    let inner = h.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let zone = inner.get(open + 1..)?.trim();
    (!zone.is_empty()).then_some(zone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    #[test]
    fn header_zone_is_the_trailing_parenthetical() {
        assert_eq!(header_zone_text("Time (UTC)"), Some("UTC"));
        assert_eq!(header_zone_text("Time"), None);
        assert_eq!(
            header_zone_text("Time (HH:MM [Timezone])"),
            Some("HH:MM [Timezone]")
        );
    }

    #[test]
    fn timeline_table_is_found_with_header_aliases() {
        let text = "## 2. Timeline\n\n| Timestamp | Event | Who |\n|---|---|---|\n| 14:05 | Alert | Bot |\n|  |  |  |\n";
        let doc = Document::parse(text, &Settings::defaults());
        let t = doc.timeline.expect("timeline");
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].time.text, "14:05");
        assert_eq!(t.time_header.text, "Timestamp");
        assert_eq!(t.rows[0].party.as_ref().map(|c| &*c.text), Some("Bot"));
    }
}
