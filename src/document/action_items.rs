//! Action items: rows of a table whose header maps to ID / Description /
//! Owner / Target Date / Status, or list items such as
//! `- [ ] PM-AI-005: Add alert on X — owner: @alice, due: 2025-08-01`.
//!
//! Tables are read inside the Action Items section; when it holds none, an
//! unmistakable action table (ID, Owner and Target Date or Status columns)
//! anywhere in the body counts. List items count inside the section: every
//! task-list item, and a plain bullet that opens with an ID
//! (`- PM-AI-001: …`) or carries an `owner:`/`due:`/`status:` field. A
//! nested bullet that only holds fields (`  - owner: @alice`) adds them to
//! the item above it.

use super::{with_header_key, Document, ListItem, Role, Table};
use crate::diagnostic::Span;
use regex::{CaptureLocations, Regex};
use std::borrow::Cow;
use std::sync::LazyLock;

/// A value of an action item, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<'a> {
    /// Plain text: markup stripped (`**PM-AI-001**` and
    /// `[PM-AI-001](https://…/issues/42)` both read `PM-AI-001`), trimmed.
    /// Shares the table cell's text (see [`super::Cell`]).
    pub text: Cow<'a, str>,
    /// Where the value is written in the file.
    pub span: Span,
}

impl Field<'_> {
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// Where an action item was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A row of `Document::md.tables[table]`.
    Table { table: usize },
    /// A (task-)list item.
    List,
}

#[derive(Debug, Clone)]
pub struct ActionItem<'a> {
    /// The row or list item.
    pub span: Span,
    /// Where findings about the item as a whole point: the table row, or the
    /// list item's own text (its first line).
    pub anchor: Span,
    pub source: Source,
    /// For tables, `None` means the table has no such column (or the row is
    /// short of cells); a present but empty cell is a blank `Field`.
    pub id: Option<Field<'a>>,
    pub description: Option<Field<'a>>,
    pub owner: Option<Field<'a>>,
    pub due: Option<Field<'a>>,
    pub status: Option<Field<'a>>,
    /// For task-list items: whether the box is ticked (ticked means Done).
    pub checked: Option<bool>,
    /// The ID cell's span even when empty (tables), for write-back.
    pub id_cell: Option<Span>,
}

impl<'a> ActionItem<'a> {
    /// How messages name the item: its ID, else the start of its
    /// description, else "an action item".
    pub fn name(&self) -> Cow<'_, str> {
        if let Some(id) = self.id.as_ref().filter(|f| !f.is_blank()) {
            return Cow::Borrowed(&id.text);
        }
        match self.description.as_ref().filter(|f| !f.is_blank()) {
            Some(d) => {
                let mut short: String = d.text.chars().take(40).collect();
                if short.len() < d.text.len() {
                    short.push('…');
                }
                Cow::Owned(format!("the action item \"{short}\""))
            }
            None => Cow::Borrowed("an action item"),
        }
    }

    /// The table's columns, for table items.
    pub fn table<'d>(&self, doc: &'d Document<'a>) -> Option<&'d Table<'a>> {
        match self.source {
            Source::Table { table } => doc.md.tables.get(table),
            Source::List => None,
        }
    }
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
    /// Inside the Action Items section: an ID or description column and one
    /// more action column.
    fn is_action_table(&self) -> bool {
        let others = [self.owner, self.due, self.status]
            .iter()
            .filter(|c| c.is_some())
            .count();
        (self.id.is_some() && (self.description.is_some() || others > 0))
            || (self.description.is_some() && others > 0)
    }

    /// Outside it: nothing else has an ID, an owner and a date or status.
    fn is_unmistakable(&self) -> bool {
        self.id.is_some() && self.owner.is_some() && (self.due.is_some() || self.status.is_some())
    }
}

/// The column slots, for [`columns`] to choose from.
type Slot = fn(&mut ActionColumns) -> &mut Option<usize>;
fn id_slot(c: &mut ActionColumns) -> &mut Option<usize> {
    &mut c.id
}
fn description_slot(c: &mut ActionColumns) -> &mut Option<usize> {
    &mut c.description
}
fn owner_slot(c: &mut ActionColumns) -> &mut Option<usize> {
    &mut c.owner
}
fn due_slot(c: &mut ActionColumns) -> &mut Option<usize> {
    &mut c.due
}
fn status_slot(c: &mut ActionColumns) -> &mut Option<usize> {
    &mut c.status
}

/// Maps a table's header cells to the action-item columns (first match wins
/// for each column; unknown columns are ignored).
pub fn columns(table: &Table) -> ActionColumns {
    let mut c = ActionColumns::default();
    for (i, cell) in table.header.cells.iter().enumerate() {
        let Some(slot_of) = with_header_key(&cell.text, |k| {
            Some::<Slot>(match k {
                "action item id" | "id" | "item id" | "action id" | "ai id" | "ticket" | "key"
                | "ref" | "reference" | "#" => id_slot,
                "description" | "action item" | "action" | "item" | "task" | "action items"
                | "title" | "what" | "summary" | "details" | "follow up" | "remediation" => {
                    description_slot
                }
                "owner" | "owners" | "owner s" | "assignee" | "assignees" | "assigned to"
                | "responsible" | "responsible party" | "dri" | "who" => owner_slot,
                "target date"
                | "due"
                | "due date"
                | "due by"
                | "deadline"
                | "target"
                | "eta"
                | "by when"
                | "when"
                | "target completion date"
                | "completion date"
                | "target completion"
                | "date" => due_slot,
                "status" | "state" | "progress" => status_slot,
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

pub fn extract<'a>(doc: &Document<'a>) -> Vec<ActionItem<'a>> {
    let section = doc
        .role_section(Role::ActionItems)
        .map(|i| doc.sections[i].body.clone());
    let in_section = |t: &Table| {
        section
            .as_ref()
            .is_some_and(|s| t.span.start >= s.start && t.span.start < s.end)
    };
    // Each table's columns, read once from its header.
    let cols: Vec<ActionColumns> = doc.md.tables.iter().map(columns).collect();
    let cols = &cols;
    let in_section_table = |i: usize| in_section(&doc.md.tables[i]) && cols[i].is_action_table();
    // The action tables of the section, or else the unmistakable ones.
    let section_tables = (0..doc.md.tables.len()).any(in_section_table);
    let tables = || {
        (0..doc.md.tables.len()).filter(move |&i| {
            if section_tables {
                in_section_table(i)
            } else {
                cols[i].is_unmistakable()
            }
        })
    };
    // Every row and list item of the section may be an item.
    let mut items = Vec::with_capacity(
        tables()
            .map(|ti| doc.md.tables[ti].rows.len())
            .sum::<usize>()
            + section
                .as_ref()
                .map_or(0, |span| doc.items_in(span).count()),
    );
    for ti in tables() {
        let t = &doc.md.tables[ti];
        let c = &cols[ti];
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
                anchor: row.span.clone(),
                source: Source::Table { table: ti },
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
        list_items(doc, span, &mut items);
    }
    items.sort_by_key(|i| i.span.start);
    items
}

/// The action items written as list items in the section.
fn list_items<'a>(doc: &Document<'a>, span: &Span, out: &mut Vec<ActionItem<'a>>) {
    // md.items index → index into `out` of the action item it became, in
    // the order of md.items.
    let mut made: Vec<(usize, usize)> = Vec::new();
    thread_local! {
        static SLOTS: std::cell::Cell<Option<Slots>> = const { std::cell::Cell::new(None) };
    }
    // The thread's slots, taken for this section and put back after it
    // (missing while the thread is torn down: then new ones).
    let mut slots = SLOTS.try_with(std::cell::Cell::take).ok().flatten();
    for (index, item) in doc.items_in(span) {
        if item.quoted {
            continue;
        }
        let parsed = list_item(doc.text, item, slots.get_or_insert_with(Slots::new));
        let is_item = item.task.is_some()
            || parsed.id.is_some()
            || (parsed.owner.is_some() || parsed.due.is_some() || parsed.status.is_some())
                && parsed.description.as_ref().is_some_and(|d| !d.is_blank());
        let parent = item.parent.and_then(|p| {
            made.binary_search_by_key(&p, |&(index, _)| index)
                .ok()
                .map(|at| made[at].1)
        });
        if let Some(parent) = parent {
            // `  - owner: @alice` under an item adds to it.
            if item.task.is_none() && parsed.id.is_none() {
                let target = &mut out[parent];
                target.owner = target.owner.take().or(parsed.owner);
                target.due = target.due.take().or(parsed.due);
                target.status = target.status.take().or(parsed.status);
                continue;
            }
        }
        if is_item {
            out.push(parsed);
            made.push((index, out.len() - 1));
        }
    }
    if let Some(slots) = slots {
        let _ = SLOTS.try_with(|s| s.set(Some(slots)));
    }
}

static TASK_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\[?([A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*-?[0-9]+)\]?(?:\s*[:—–]|\s+-)\s*")
        .expect("valid regex")
});
static TASK_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[\s,;(—–-])(owners?|assignees?|assigned to|due date|due|target date|target|deadline|eta|status)\s*:\s*([^,;()]*[^,;()\s])",
    )
    .expect("valid regex")
});
/// `due 2025-08-01` / `due by 2025-08-01` without a colon.
static DUE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[\s,;(—–-])due(?:\s+(?:by|on))?\s+([0-9]{4}-[0-9]{2}-[0-9]{2})\b")
        .expect("valid regex")
});
/// A trailing `— @alice, 2025-08-01` or `(@alice, 2025-08-01)`.
static TRAILER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\s[—–-]\s*|\s*\()\s*(@[A-Za-z0-9][A-Za-z0-9._/-]*)(?:\s*[,;]\s*([0-9]{4}-[0-9]{2}-[0-9]{2}))?\s*\)?\s*$")
        .expect("valid regex")
});

/// Finds values of the plain text in the item's source, in order, so a
/// value that also occurs earlier (an owner named in the description) gets
/// its own span.
struct Locator<'t> {
    src: &'t str,
    base: usize,
}

impl Locator<'_> {
    fn find(&self, value: &str, from: usize) -> Option<Span> {
        let from = from.min(self.src.len());
        let from = (from..=self.src.len())
            .find(|i| self.src.is_char_boundary(*i))
            .unwrap_or(self.src.len());
        self.src[from..]
            .find(value)
            .map(|i| self.base + from + i..self.base + from + i + value.len())
    }
}

/// `part`, a slice of the item's text `whole`, as a field's text: the same
/// slice of the file when `whole` borrows it, else a copy.
fn share<'a>(whole: &Cow<'a, str>, part: &str) -> Cow<'a, str> {
    if let Cow::Borrowed(w) = whole {
        let start = (part.as_ptr() as usize).wrapping_sub(w.as_ptr() as usize);
        if let Some(s) = start
            .checked_add(part.len())
            .and_then(|end| w.get(start..end))
            .filter(|s| s.as_ptr() == part.as_ptr())
        {
            return Cow::Borrowed(s);
        }
    }
    Cow::Owned(part.to_string())
}

/// Capture slots of the list-item patterns, made once per thread: a search
/// with `captures` makes new ones for every item and every match.
struct Slots {
    id: CaptureLocations,
    field: CaptureLocations,
    due: CaptureLocations,
    trailer: CaptureLocations,
}

impl Slots {
    fn new() -> Slots {
        Slots {
            id: TASK_ID.capture_locations(),
            field: TASK_FIELD.capture_locations(),
            due: DUE_WORD.capture_locations(),
            trailer: TRAILER.capture_locations(),
        }
    }
}

/// Group `i` of the last search with `slots` in `hay`.
fn group<'h>(slots: &CaptureLocations, hay: &'h str, i: usize) -> Option<&'h str> {
    let (start, end) = slots.get(i)?;
    hay.get(start..end)
}

/// Whether `rest[at..]` holds a `:`, which every [`TASK_FIELD`] match
/// does: most list items have no field, and the byte search is far cheaper
/// than the regex search that would find none.
fn has_colon(rest: &str, at: usize) -> bool {
    rest.as_bytes()
        .get(at..)
        .is_some_and(|hay| memchr::memchr(b':', hay).is_some())
}

/// Whether `hay` holds `due` in any ASCII case, which every [`DUE_WORD`]
/// match does (no other letter folds to `d`, `u` or `e`).
fn has_due(hay: &str) -> bool {
    let bytes = hay.as_bytes();
    memchr::memchr2_iter(b'd', b'D', bytes).any(|i| {
        bytes
            .get(i + 1..i + 3)
            .is_some_and(|ue| ue.eq_ignore_ascii_case(b"ue"))
    })
}

/// Parses a list item as an action item. Field spans are found in the
/// item's source text.
fn list_item<'a>(text: &'a str, item: &ListItem<'a>, slots: &mut Slots) -> ActionItem<'a> {
    let src_span = item.text_span.clone();
    let src = text.get(src_span.clone()).unwrap_or("");
    let loc = Locator {
        src,
        base: src_span.start,
    };
    let fallback = src_span.start..src_span.start;
    let plain: &str = &item.text;
    let mut rest = plain;
    let mut cursor = 0usize;
    let mut id = None;
    if let Some(m) = TASK_ID.captures_read(&mut slots.id, plain) {
        let v = group(&slots.id, plain, 1).unwrap_or("");
        let span = loc.find(v, 0).unwrap_or(fallback.clone());
        cursor = span.end - src_span.start;
        id = Some(Field {
            text: share(&item.text, v),
            span,
        });
        rest = &plain[m.end()..];
    }
    let mut owner = None;
    let mut due = None;
    let mut status = None;
    let mut desc_end = rest.len();
    let mut field_cursor = cursor;
    let put = |slot: &mut Option<Field<'a>>, value: &str, cursor: &mut usize| {
        let span = loc.find(value, *cursor).unwrap_or(fallback.clone());
        *cursor = span.end.saturating_sub(src_span.start);
        if slot.is_none() {
            *slot = Some(Field {
                text: share(&item.text, value),
                span,
            });
        }
    };
    // The matches, in order, as `captures_iter` gives them (the pattern
    // never matches empty text).
    let mut at = 0;
    while has_colon(rest, at) {
        let Some(whole) = TASK_FIELD.captures_read_at(&mut slots.field, rest, at) else {
            break;
        };
        if whole.is_empty() {
            break;
        }
        at = whole.end();
        let (Some(key), Some(value)) = (group(&slots.field, rest, 1), group(&slots.field, rest, 2))
        else {
            continue;
        };
        desc_end = desc_end.min(whole.start());
        let value = value.trim();
        // The value follows its key in the source too.
        if let Some(k) = loc.find(key, field_cursor) {
            field_cursor = k.end - src_span.start;
        }
        let is = |k: &str| key.eq_ignore_ascii_case(k);
        if ["owner", "owners", "assignee", "assignees", "assigned to"]
            .into_iter()
            .any(is)
        {
            put(&mut owner, value, &mut field_cursor)
        } else if is("status") {
            put(&mut status, value, &mut field_cursor)
        } else {
            put(&mut due, value, &mut field_cursor)
        }
    }
    if due.is_none() && has_due(rest) {
        if let Some(whole) = DUE_WORD.captures_read(&mut slots.due, rest) {
            if let Some(value) = group(&slots.due, rest, 1) {
                desc_end = desc_end.min(whole.start());
                put(&mut due, value, &mut field_cursor);
            }
        }
    }
    if owner.is_none() {
        let hay = &rest[..desc_end];
        let found = match memchr::memchr(b'@', hay.as_bytes()) {
            Some(_) => TRAILER.captures_read(&mut slots.trailer, hay),
            None => None,
        };
        if let Some(whole) = found {
            if let Some(handle) = group(&slots.trailer, hay, 1) {
                desc_end = whole.start();
                put(&mut owner, handle, &mut field_cursor);
                if let Some(date) = group(&slots.trailer, hay, 2) {
                    put(&mut due, date, &mut field_cursor);
                }
            }
        }
    }
    let description = rest[..desc_end]
        .trim()
        .trim_end_matches(['—', '–', '-', ',', ';', '(', ':'])
        .trim();
    let description = Field {
        text: share(&item.text, description),
        span: if description.is_empty() {
            fallback.clone()
        } else {
            loc.find(description, cursor)
                .or_else(|| loc.find(description, 0))
                .unwrap_or(src_span.clone())
        },
    };
    ActionItem {
        span: item.span.clone(),
        anchor: if src_span.is_empty() {
            item.span.clone()
        } else {
            src_span.clone()
        },
        source: Source::List,
        id,
        description: Some(description),
        owner,
        due,
        status,
        checked: item.task,
        id_cell: None,
    }
}

/// A value that stands for "not decided yet": `TBD`, `TODO`, `?`, `-`,
/// `N/A`, `none`, bracketed or angle-bracketed template text.
pub fn is_unset_value(raw: &str) -> bool {
    let t = raw.trim();
    if (t.starts_with('[') && t.ends_with(']')) || (t.starts_with('<') && t.ends_with('>')) {
        return true;
    }
    let marks = |c: char| c == '.' || c == '*' || c == '_';
    if t.is_ascii() {
        // Without allocating: every listed value is at most 10 bytes.
        let t = t.trim_matches(marks);
        let mut buf = [0u8; 10];
        let Some(buf) = buf.get_mut(..t.len()) else {
            return false;
        };
        for (d, b) in buf.iter_mut().zip(t.bytes()) {
            *d = b.to_ascii_lowercase();
        }
        return is_unset_word(std::str::from_utf8(buf).unwrap_or_default());
    }
    // Every listed value has at most 10 chars, and lower-casing a char
    // gives at least one: longer values (names) are not lower-cased.
    if t.trim_matches(marks).chars().nth(10).is_some() {
        return false;
    }
    let lower = t.to_lowercase();
    is_unset_word(lower.trim_matches(marks))
}

/// [`is_unset_value`] for a trimmed, lower-case value.
fn is_unset_word(lower: &str) -> bool {
    matches!(
        lower,
        "" | "tbd"
            | "tbc"
            | "todo"
            | "to do"
            | "?"
            | "??"
            | "???"
            | "-"
            | "--"
            | "—"
            | "–"
            | "n/a"
            | "na"
            | "none"
            | "nobody"
            | "unassigned"
            | "unknown"
            | "tba"
            | "xxx"
            | "owner"
            | "name"
            | "someone"
    )
}

/// A status as compared: lower case, blanks collapsed, typographic
/// apostrophes straightened, leading/trailing emoji and symbols dropped
/// (`✅ Done` → `done`).
pub fn normalize_status(raw: &str) -> String {
    if raw.is_ascii() {
        // The same without the intermediate strings: ASCII needs no
        // apostrophe replacement and lower-cases byte by byte.
        let t = raw.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '\'');
        let mut out = String::with_capacity(t.len());
        for word in t
            .split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty())
        {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        }
        return out;
    }
    let t = raw
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .replace(['’', '‘'], "'");
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// [`normalize_status`] of an ASCII `raw`, written into `buf`; `None`
/// when it does not fit.
fn ascii_status_into<'b>(raw: &str, buf: &'b mut [u8]) -> Option<&'b str> {
    let t = raw.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '\'');
    let mut len = 0;
    for word in t
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if len > 0 {
            *buf.get_mut(len)? = b' ';
            len += 1;
        }
        let to = buf.get_mut(len..len + word.len())?;
        to.copy_from_slice(word.as_bytes());
        to.make_ascii_lowercase();
        len += word.len();
    }
    std::str::from_utf8(buf.get(..len)?).ok()
}

/// `f` of [`normalize_status`]`(raw)`. Statuses are compared for every
/// action item: a short ASCII one (nearly all) is normalised on the stack
/// instead of into a new string.
pub fn with_status_key<R>(raw: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 64];
    if raw.is_ascii() {
        if let Some(key) = ascii_status_into(raw, &mut buf) {
            return f(key);
        }
    }
    f(&normalize_status(raw))
}

/// Whether `normalize_status(raw) == normalized`.
pub fn status_is(raw: &str, normalized: &str) -> bool {
    with_status_key(raw, |key| key == normalized)
}

/// Whether a status means the item is finished (Done or Won't Do).
pub fn is_finished(item: &ActionItem) -> bool {
    if let Some(s) = item.status.as_ref().filter(|f| !f.is_blank()) {
        return with_status_key(&s.text, |key| {
            matches!(key, "done" | "won't do" | "wont do")
        });
    }
    item.checked == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn items(text: &str) -> Vec<ActionItem<'_>> {
        Document::parse(text, &Settings::defaults()).action_items
    }

    fn at<'t>(text: &'t str, f: &Option<Field>) -> &'t str {
        &text[f.as_ref().expect("field").span.clone()]
    }

    #[test]
    fn table_rows_become_items_with_cell_spans() {
        let text = "## Action Items\n\n| Action Item ID | Description | Owner | Target Date | Status |\n|---|---|---|---|---|\n| **PM-AI-001** | Add a test | @alice | 2025-08-01 | Open |\n";
        let it = items(text);
        assert_eq!(it.len(), 1);
        assert_eq!(it[0].id.as_ref().unwrap().text, "PM-AI-001");
        assert_eq!(at(text, &it[0].id), "**PM-AI-001**");
        assert_eq!(at(text, &it[0].due), "2025-08-01");
        assert_eq!(it[0].source, Source::Table { table: 0 });
    }

    #[test]
    fn linked_ids_read_as_the_id() {
        let text = "## Action Items\n\n| ID | Description | Owner |\n|---|---|---|\n| [PM-AI-001](https://github.com/o/r/issues/42) | Add a test | @alice |\n";
        let it = items(text);
        assert_eq!(it[0].id.as_ref().unwrap().text, "PM-AI-001");
    }

    #[test]
    fn extra_columns_and_other_header_names_are_mapped() {
        let text = "## Follow-ups\n\n| Priority | Task | Assignee | Due | Ticket | State |\n|---|---|---|---|---|---|\n| P1 | Add a test for it | @bob | 2025-08-01 | OPS-12 | Done |\n";
        let it = items(text);
        assert_eq!(it.len(), 1);
        assert_eq!(it[0].owner.as_ref().unwrap().text, "@bob");
        assert_eq!(it[0].id.as_ref().unwrap().text, "OPS-12");
        assert_eq!(it[0].status.as_ref().unwrap().text, "Done");
        assert_eq!(
            it[0].description.as_ref().unwrap().text,
            "Add a test for it"
        );
    }

    #[test]
    fn task_list_items_are_parsed_into_fields() {
        let text = "## Action Items\n\n- [ ] PM-AI-005: Add alert on X — owner: @alice, due: 2025-08-01\n- [x] **PM-AI-006**: Write the runbook (owner: @bob, due: 2025-08-02, status: Done)\n";
        let it = items(text);
        assert_eq!(it.len(), 2);
        assert_eq!(at(text, &it[0].id), "PM-AI-005");
        assert_eq!(it[0].description.as_ref().unwrap().text, "Add alert on X");
        assert_eq!(at(text, &it[0].owner), "@alice");
        assert_eq!(at(text, &it[0].due), "2025-08-01");
        assert_eq!(it[0].checked, Some(false));
        assert_eq!(it[1].id.as_ref().unwrap().text, "PM-AI-006");
        assert_eq!(at(text, &it[1].status), "Done");
        assert_eq!(it[1].checked, Some(true));
    }

    #[test]
    fn owner_named_in_the_description_does_not_steal_the_span() {
        let text = "## Action Items\n\n- [ ] PM-AI-1: Pair with @alice on X — owner: @alice, due: 2025-08-01\n";
        let it = items(text);
        let owner = it[0].owner.as_ref().unwrap();
        assert_eq!(&text[owner.span.clone()], "@alice");
        assert!(owner.span.start > text.find("owner:").unwrap());
    }

    #[test]
    fn trailing_handle_and_date_are_owner_and_due() {
        let text = "## Action Items\n\n- [ ] PM-AI-7: Add a canary stage to deploys — @carol, 2025-09-01\n";
        let it = items(text);
        assert_eq!(at(text, &it[0].owner), "@carol");
        assert_eq!(at(text, &it[0].due), "2025-09-01");
        assert_eq!(
            it[0].description.as_ref().unwrap().text,
            "Add a canary stage to deploys"
        );
    }

    #[test]
    fn nested_field_bullets_add_to_their_item() {
        let text = "## Action Items\n\n- [ ] PM-AI-8: Add a canary stage\n  - owner: @dan\n  - due: 2025-09-01\n";
        let it = items(text);
        assert_eq!(it.len(), 1);
        assert_eq!(at(text, &it[0].owner), "@dan");
        assert_eq!(at(text, &it[0].due), "2025-09-01");
    }

    #[test]
    fn plain_bullets_without_id_or_fields_are_not_items() {
        let text = "## Action Items\n\n- We will talk about it\n- PM-AI-9: Add a canary stage\n";
        let it = items(text);
        assert_eq!(it.len(), 1);
        assert_eq!(it[0].id.as_ref().unwrap().text, "PM-AI-9");
        assert_eq!(it[0].checked, None);
    }

    #[test]
    fn statuses_compare_as_normalised() {
        let cases = [
            "Done",
            " done ",
            "✅ Done",
            "DONE!",
            "Won't Do",
            "won't  do",
            "Won’t Do",
            "wont do",
            "'done'",
            "In\u{b}Progress",
            "in progress",
            "In\u{a0}Progress",
            "",
            "--",
            "ΣΑΣ",
            "σας",
        ];
        for a in cases {
            for b in cases {
                let n = normalize_status(b);
                assert_eq!(status_is(a, &n), normalize_status(a) == n, "{a:?} {n:?}");
            }
        }
    }

    #[test]
    fn only_ascii_letters_fold_to_due() {
        let due = Regex::new("(?i)^[due]$").expect("valid regex");
        let mut buf = [0u8; 4];
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            if due.is_match(c.encode_utf8(&mut buf)) {
                assert!("dueDUE".contains(c), "{c:?}");
            }
        }
    }

    #[test]
    fn field_patterns_match_only_what_their_pre_checks_pass() {
        let pieces = [
            "owner",
            "Due",
            "dUe",
            "due",
            " ",
            ":",
            "—",
            "(",
            ",",
            "@al",
            "2025-08-01",
            "x",
            "by",
            "\u{a0}",
            "status",
            "ſtatus",
            "-",
            "é",
        ];
        let mut seed: u64 = 11;
        for _ in 0..20_000 {
            let count = (crate::rules::test_util::xorshift(&mut seed) >> 60) + 1;
            let s = crate::rules::test_util::random_concat(&pieces, count, &mut seed);
            assert!(has_colon(&s, 0) || !TASK_FIELD.is_match(&s), "{s:?}");
            assert!(has_due(&s) || !DUE_WORD.is_match(&s), "{s:?}");
        }
    }

    #[test]
    fn tables_outside_the_section_need_all_key_columns() {
        let text = "## Timeline\n\n| Time | Event | Owner |\n|---|---|---|\n| 10:00 | x | y |\n";
        assert!(items(text).is_empty());
    }
}
