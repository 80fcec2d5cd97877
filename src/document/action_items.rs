//! Action items: rows of a table whose header maps to ID / Description /
//! Owner / Target Date / Status, or task-list items such as
//! `- [ ] PM-AI-005: Add alert on X — owner: @alice, due: 2025-08-01`.

use super::{header_key, Document, ListItem, Role, Table};
use crate::diagnostic::Span;
use regex::Regex;
use std::sync::LazyLock;

/// A value of an action item, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub text: String,
    pub span: Span,
}

impl Field {
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct ActionItem {
    /// The row or list item.
    pub span: Span,
    pub id: Option<Field>,
    pub description: Option<Field>,
    pub owner: Option<Field>,
    pub due: Option<Field>,
    pub status: Option<Field>,
    /// For task-list items: whether the box is ticked.
    pub checked: Option<bool>,
    /// The ID cell's span even when empty (tables), for write-back.
    pub id_cell: Option<Span>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct ActionColumns {
    pub id: Option<usize>,
    pub description: Option<usize>,
    pub owner: Option<usize>,
    pub due: Option<usize>,
    pub status: Option<usize>,
}

impl ActionColumns {
    fn is_action_table(&self) -> bool {
        (self.id.is_some() || self.description.is_some())
            && (self.owner.is_some()
                || self.due.is_some()
                || self.status.is_some()
                || self.id.is_some())
    }
}

pub fn columns(table: &Table) -> ActionColumns {
    let mut c = ActionColumns::default();
    for (i, cell) in table.header.cells.iter().enumerate() {
        let k = header_key(&cell.text);
        let slot = match k.as_str() {
            "action item id" | "id" | "item id" | "action id" | "ai id" | "ticket" | "key"
            | "ref" | "#" => &mut c.id,
            "description" | "action item" | "action" | "item" | "task" | "action items"
            | "title" | "what" | "summary" => &mut c.description,
            "owner" | "assignee" | "owners" | "assigned to" | "responsible" | "dri" | "who" => {
                &mut c.owner
            }
            "target date"
            | "due"
            | "due date"
            | "deadline"
            | "target"
            | "eta"
            | "by when"
            | "when"
            | "target completion date"
            | "date" => &mut c.due,
            "status" | "state" | "progress" => &mut c.status,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(i);
        }
    }
    c
}

pub fn extract(doc: &Document) -> Vec<ActionItem> {
    let mut items = Vec::new();
    let section = doc
        .role_section(Role::ActionItems)
        .map(|i| doc.sections[i].body.clone());
    let tables: Vec<&Table> = match &section {
        Some(span) => doc
            .tables_in(span)
            .filter(|t| columns(t).is_action_table())
            .collect(),
        None => Vec::new(),
    };
    let tables = if tables.is_empty() {
        // Outside an Action Items section, only unmistakable tables count.
        doc.md
            .tables
            .iter()
            .filter(|t| {
                let c = columns(t);
                c.id.is_some() && c.owner.is_some() && (c.due.is_some() || c.status.is_some())
            })
            .collect()
    } else {
        tables
    };
    for t in tables {
        let c = columns(t);
        for row in &t.rows {
            if row.cells.iter().all(|c| c.text.is_empty()) {
                continue;
            }
            let field = |col: Option<usize>| {
                col.and_then(|i| row.cells.get(i)).map(|cell| Field {
                    text: cell.text.clone(),
                    span: cell.span.clone(),
                })
            };
            items.push(ActionItem {
                span: row.span.clone(),
                id: field(c.id),
                description: field(c.description),
                owner: field(c.owner),
                due: field(c.due),
                status: field(c.status),
                checked: None,
                id_cell: c
                    .id
                    .and_then(|i| row.cells.get(i))
                    .map(|cell| cell.span.clone()),
            });
        }
    }
    if let Some(span) = &section {
        for (_, item) in doc.items_in(span) {
            if item.task.is_some() {
                items.push(task_item(doc.text, item));
            }
        }
    }
    items.sort_by_key(|i| i.span.start);
    items
}

static TASK_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\[?([A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*-?[0-9]+)\]?\s*[:—–]\s*")
        .expect("valid regex")
});
static TASK_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[\s,;(—–-])(owner|assignee|assigned to|due date|due|target date|target|deadline|status)\s*:\s*([^,;()]*[^,;()\s])")
        .expect("valid regex")
});

/// Parses a task-list item. Field spans are found in the item's source text.
fn task_item(text: &str, item: &ListItem) -> ActionItem {
    let src_span = item.text_span.clone();
    let src = &text[src_span.clone()];
    let plain = item.text.as_str();
    let locate = |value: &str, from: usize| -> Span {
        match src[from.min(src.len())..].find(value) {
            Some(i) => src_span.start + from + i..src_span.start + from + i + value.len(),
            None => src_span.clone(),
        }
    };
    let mut rest = plain;
    let mut id = None;
    if let Some(m) = TASK_ID.captures(plain) {
        let v = m.get(1).expect("group 1 exists").as_str();
        id = Some(Field {
            text: v.to_string(),
            span: locate(v, 0),
        });
        rest = &plain[m.get(0).expect("match").end()..];
    }
    let mut owner = None;
    let mut due = None;
    let mut status = None;
    let mut desc_end = rest.len();
    for cap in TASK_FIELD.captures_iter(rest) {
        let whole = cap.get(0).expect("match");
        desc_end = desc_end.min(whole.start());
        let key = cap[1].to_ascii_lowercase();
        let value = cap.get(2).expect("group 2").as_str().trim();
        let f = Some(Field {
            text: value.to_string(),
            span: locate(value, 0),
        });
        match key.as_str() {
            "owner" | "assignee" | "assigned to" => owner = owner.or(f),
            "status" => status = status.or(f),
            _ => due = due.or(f),
        }
    }
    let description = rest[..desc_end]
        .trim()
        .trim_end_matches(['—', '–', '-', ',', ';', '(', ':'])
        .trim();
    let description = Field {
        text: description.to_string(),
        span: if description.is_empty() {
            src_span.clone()
        } else {
            locate(description, 0)
        },
    };
    ActionItem {
        span: item.span.clone(),
        id,
        description: Some(description),
        owner,
        due,
        status,
        checked: item.task,
        id_cell: None,
    }
}
