//! The single Markdown pass: pulldown-cmark's offset iterator turned into
//! flat, span-carrying structures (headings, tables, list items, comments,
//! text runs) plus the *prose mask* the language rules scan.
//!
//! The mask is a copy of the file with the same byte length in which every
//! byte that is not scannable prose is replaced: inline markup (emphasis
//! delimiters, link brackets and destinations, soft breaks) by a space, and
//! everything else (code, HTML, block quotes, front matter, table pipes,
//! block boundaries) by `\x01`, which no pattern matches and which ends a
//! sentence. Byte offsets into the mask are byte offsets into the file.

use crate::diagnostic::Span;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;

/// Replaces non-prose bytes in the mask. Never matched by `\s` or `\w`.
pub const BOUNDARY: u8 = 0x01;

#[derive(Debug, Clone)]
pub struct Heading<'a> {
    pub level: u8,
    /// The whole heading, `#` markers included.
    pub span: Span,
    /// Plain text (markup stripped); borrowed from the file when written
    /// as one piece, as [`Cell::text`].
    pub text: Cow<'a, str>,
    /// From the first to the last byte of its text.
    pub text_span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct Cell<'a> {
    /// Plain text: emphasis, links and code markup removed, trimmed. Borrowed
    /// from the file when the cell is one piece of text as written (most
    /// cells): a table of 40 rows is not 200 allocations.
    pub text: Cow<'a, str>,
    /// The cell's content in the file, surrounding blanks and pipes trimmed.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub span: Span,
    pub cells: Vec<Cell<'a>>,
}

#[derive(Debug, Clone)]
pub struct Table<'a> {
    pub span: Span,
    pub header: Row<'a>,
    pub rows: Vec<Row<'a>>,
}

#[derive(Debug, Clone)]
pub struct ListItem<'a> {
    pub span: Span,
    /// Index of the enclosing list item, if nested.
    pub parent: Option<usize>,
    /// Nesting depth: 0 for a top-level item.
    pub depth: usize,
    /// `Some(checked)` for a task-list item.
    pub task: Option<bool>,
    /// Plain text of the item's own paragraphs (not of nested lists);
    /// borrowed from the file when written as one piece, as [`Cell::text`].
    pub text: Cow<'a, str>,
    /// From the first to the last byte of that text (empty at `span.start`
    /// when the item has no text of its own).
    pub text_span: Span,
    /// A leading bold or italic label ending in a colon (`**Root Cause 1:**`,
    /// `*Why:*`), without the colon, and its span.
    pub label: Option<(String, Span)>,
    /// Whether the item sits inside a block quote.
    pub quoted: bool,
}

#[derive(Debug, Clone)]
pub struct Comment {
    /// The whole `<!-- … -->`.
    pub span: Span,
    /// The text between the delimiters, trimmed.
    pub body: String,
}

/// Where a piece of text sits; used to decide what counts as content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextFlags {
    pub heading: bool,
    pub table_head: bool,
    pub table_cell: bool,
    /// Inside `**…**` / `*…*`.
    pub emphasis: bool,
    pub code: bool,
    pub quote: bool,
    pub link: bool,
}

#[derive(Debug, Clone)]
pub struct TextRun {
    pub span: Span,
    pub flags: TextFlags,
}

#[derive(Debug, Default)]
pub struct Markdown<'a> {
    pub headings: Vec<Heading<'a>>,
    pub tables: Vec<Table<'a>>,
    pub items: Vec<ListItem<'a>>,
    pub comments: Vec<Comment>,
    pub texts: Vec<TextRun>,
    pub mask: Vec<u8>,
}

/// The plain text of one element, gathered from its events. While it is a
/// single piece that pulldown-cmark hands out as a slice of the file, it
/// stays that slice; a second piece, or one that is not the file's bytes
/// (an entity, an escape), makes it a copy. Blanks pushed at its end are
/// counted and written only when more text follows: the text is trimmed
/// when done, so a lone piece followed by a paragraph end stays borrowed.
#[derive(Default)]
struct Pieces<'a> {
    piece: Option<&'a str>,
    buf: String,
    spaces: usize,
}

impl<'a> Pieces<'a> {
    fn clear(&mut self) {
        self.piece = None;
        self.buf.clear();
        self.spaces = 0;
    }

    fn push(&mut self, t: &CowStr<'a>) {
        if let CowStr::Borrowed(s) = t {
            if self.piece.is_none() && self.buf.is_empty() && self.spaces == 0 {
                self.piece = Some(s);
                return;
            }
        }
        if let Some(p) = self.piece.take() {
            self.buf.push_str(p);
        }
        for _ in 0..std::mem::take(&mut self.spaces) {
            self.buf.push(' ');
        }
        self.buf.push_str(t);
    }

    fn push_space(&mut self) {
        self.spaces += 1;
    }

    /// The text so far, without the blanks not yet written.
    fn text(&self) -> &str {
        self.piece.unwrap_or(&self.buf)
    }

    fn ends_with_space(&self) -> bool {
        self.spaces > 0 || self.text().ends_with(' ')
    }

    fn is_empty(&self) -> bool {
        self.spaces == 0 && self.text().is_empty()
    }

    /// The trimmed text, and the gatherer emptied for the next element.
    fn finish(&mut self) -> Cow<'a, str> {
        let text = match self.piece {
            Some(p) => Cow::Borrowed(p.trim()),
            None => Cow::Owned(self.buf.trim().to_string()),
        };
        self.clear();
        text
    }
}

enum Frame {
    Heading { level: u8, start: usize },
    Table { start: usize },
    Row { start: usize },
    Cell { start: usize },
    Item { index: usize },
    Quote,
    Code,
    Emphasis,
    Link,
    Other,
}

/// Parses the Markdown in `text[body_start..]`. All spans are offsets into
/// `text`. Bytes before `body_start` are boundary bytes in the mask.
pub fn parse(text: &str, body_start: usize) -> Markdown<'_> {
    let body = &text[body_start..];
    // Sized up front from the file's length, so the lists are not copied
    // as they grow (capped for huge files): real documents have about one
    // text event per 40 bytes, a heading per 500 and a list item per 300.
    let mut md = Markdown {
        mask: vec![BOUNDARY; text.len()],
        texts: Vec::with_capacity((text.len() / 32).min(8192)),
        headings: Vec::with_capacity((text.len() / 512).clamp(4, 1024)),
        items: Vec::with_capacity((text.len() / 256).clamp(4, 2048)),
        tables: Vec::with_capacity(4),
        ..Markdown::default()
    };
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let bytes = text.as_bytes();

    let mut stack: Vec<Frame> = Vec::with_capacity(16);
    // State for the element being built.
    let mut heading_text = Pieces::default();
    let mut heading_text_span: Option<Span> = None;
    let mut cell_text = Pieces::default();
    let mut cur_cells: Vec<Cell> = Vec::new();
    let mut cur_header: Option<Row> = None;
    let mut cur_rows: Vec<Row> = Vec::new();
    // Open list items: index into md.items. Text is added to the innermost
    // item whose own paragraph we are in.
    let mut item_stack: Vec<usize> = Vec::new();
    // The text of each open item, by depth (kept for the next item at
    // that depth).
    let mut item_texts: Vec<Pieces> = Vec::new();
    // Depth of nested lists inside the innermost item (text in a nested list
    // does not belong to the outer item).
    let mut label_pending: Vec<bool> = Vec::new();

    let mut quote_depth = 0usize;
    let mut code_depth = 0usize;
    let mut emphasis_depth = 0usize;
    let mut link_depth = 0usize;
    let mut in_head = false;
    let mut in_cell = false;
    let mut in_heading = false;
    // Start of the HTML block being read: its comments are collected from
    // the whole block, so a comment may span several lines.
    let mut html_block: Option<usize> = None;
    // Emphasis run being collected as a potential item label.
    let mut emphasis_text = String::new();
    let mut emphasis_start = 0usize;

    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = (range.start + body_start)..(range.end + body_start);
        // Inline code is text too (an `Event::Text` rebuilt from it would
        // copy every event once more: that copy was a tenth of this pass).
        let is_code = matches!(event, Event::Code(_));
        match event {
            Event::Start(tag) => {
                match tag {
                    Tag::Heading { level, .. } => {
                        in_heading = true;
                        heading_text.clear();
                        heading_text_span = None;
                        stack.push(Frame::Heading {
                            level: level as u8,
                            start: range.start,
                        });
                    }
                    Tag::Table(_) => stack.push(Frame::Table { start: range.start }),
                    Tag::TableHead => {
                        in_head = true;
                        cur_cells.clear();
                        stack.push(Frame::Row { start: range.start });
                    }
                    Tag::TableRow => {
                        cur_cells.clear();
                        stack.push(Frame::Row { start: range.start });
                    }
                    Tag::TableCell => {
                        in_cell = true;
                        cell_text.clear();
                        stack.push(Frame::Cell { start: range.start });
                    }
                    Tag::Item => {
                        let parent = item_stack.last().copied();
                        match item_texts.get_mut(item_stack.len()) {
                            Some(t) => t.clear(),
                            None => item_texts.push(Pieces::default()),
                        }
                        md.items.push(ListItem {
                            span: range.clone(),
                            parent,
                            depth: item_stack.len(),
                            task: None,
                            text: Cow::Borrowed(""),
                            text_span: range.start..range.start,
                            label: None,
                            quoted: quote_depth > 0,
                        });
                        let index = md.items.len() - 1;
                        item_stack.push(index);
                        label_pending.push(true);
                        stack.push(Frame::Item { index });
                    }
                    Tag::BlockQuote(_) => {
                        quote_depth += 1;
                        stack.push(Frame::Quote);
                    }
                    Tag::CodeBlock(_) => {
                        code_depth += 1;
                        stack.push(Frame::Code);
                    }
                    Tag::Emphasis | Tag::Strong | Tag::Strikethrough => {
                        if emphasis_depth == 0 {
                            emphasis_text.clear();
                            emphasis_start = range.start;
                        }
                        emphasis_depth += 1;
                        if code_depth == 0 && quote_depth == 0 {
                            mask_delimiters(&mut md.mask, bytes, &range);
                        }
                        stack.push(Frame::Emphasis);
                    }
                    Tag::Link { .. } | Tag::Image { .. } => {
                        link_depth += 1;
                        if code_depth == 0 && quote_depth == 0 {
                            mask_link(&mut md.mask, &range);
                        }
                        stack.push(Frame::Link);
                    }
                    Tag::HtmlBlock => {
                        html_block = Some(range.start);
                        stack.push(Frame::Other);
                    }
                    Tag::List(_) => {
                        // A nested list ends the label window of the item.
                        if let Some(p) = label_pending.last_mut() {
                            *p = false;
                        }
                        stack.push(Frame::Other);
                    }
                    _ => stack.push(Frame::Other),
                }
                // Any block-level start in an item other than its first
                // paragraph ends the possibility of a leading label.
            }
            Event::End(end) => {
                let frame = stack.pop();
                match (end, frame) {
                    (TagEnd::Heading(_), Some(Frame::Heading { level, start })) => {
                        in_heading = false;
                        md.headings.push(Heading {
                            level,
                            span: start..trim_end_newline(bytes, range.end),
                            text: heading_text.finish(),
                            text_span: heading_text_span.take().unwrap_or(start..start),
                        });
                    }
                    (TagEnd::TableCell, Some(Frame::Cell { start })) => {
                        in_cell = false;
                        let span = trim_cell(bytes, start..range.end);
                        cur_cells.push(Cell {
                            text: cell_text.finish(),
                            span,
                        });
                        // Pipes and padding between cells end sentences.
                    }
                    (TagEnd::TableHead, Some(Frame::Row { start, .. })) => {
                        in_head = false;
                        cur_header = Some(Row {
                            span: start..trim_end_newline(bytes, range.end),
                            cells: take_sized(&mut cur_cells),
                        });
                    }
                    (TagEnd::TableRow, Some(Frame::Row { start, .. })) => {
                        cur_rows.push(Row {
                            span: start..trim_end_newline(bytes, range.end),
                            cells: take_sized(&mut cur_cells),
                        });
                    }
                    (TagEnd::Table, Some(Frame::Table { start })) => {
                        // One allocation of the final size; the buffer is
                        // kept for the next table.
                        let mut rows = Vec::with_capacity(cur_rows.len());
                        rows.append(&mut cur_rows);
                        md.tables.push(Table {
                            span: start..trim_end_newline(bytes, range.end),
                            header: cur_header.take().unwrap_or(Row {
                                span: start..start,
                                cells: Vec::new(),
                            }),
                            rows,
                        });
                    }
                    (TagEnd::Item, Some(Frame::Item { index })) => {
                        item_stack.pop();
                        label_pending.pop();
                        let item = &mut md.items[index];
                        item.span.end = trim_end_newline(bytes, range.end).max(item.span.start);
                        if let Some(t) = item_texts.get_mut(item_stack.len()) {
                            item.text = t.finish();
                        }
                    }
                    (TagEnd::BlockQuote(_), Some(Frame::Quote)) => quote_depth -= 1,
                    (TagEnd::CodeBlock, Some(Frame::Code)) => code_depth -= 1,
                    (
                        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough,
                        Some(Frame::Emphasis),
                    ) => {
                        emphasis_depth -= 1;
                        if emphasis_depth == 0 {
                            if let (Some(&index), Some(pending)) =
                                (item_stack.last(), label_pending.last_mut())
                            {
                                let item = &mut md.items[index];
                                let label = emphasis_text.trim();
                                let text = item_texts.get(item_stack.len() - 1);
                                // The label must open the item's text.
                                if *pending && text.is_some_and(|t| t.text().trim() == label) {
                                    if let Some(l) = label.strip_suffix(':') {
                                        item.label =
                                            Some((l.trim().to_string(), emphasis_start..range.end));
                                    }
                                }
                                *pending = false;
                            }
                        }
                    }
                    (TagEnd::Link | TagEnd::Image, Some(Frame::Link)) => link_depth -= 1,
                    (TagEnd::HtmlBlock, _) => {
                        if let Some(start) = html_block.take() {
                            collect_comments(start..range.end, bytes, &mut md.comments);
                        }
                    }
                    (TagEnd::Paragraph, _) => {
                        // Text after the first paragraph cannot open a label.
                        if let Some(p) = label_pending.last_mut() {
                            *p = false;
                        }
                        // Separate paragraphs inside an item's own text.
                        if let Some(t) = item_stack
                            .len()
                            .checked_sub(1)
                            .and_then(|d| item_texts.get_mut(d))
                        {
                            if !t.ends_with_space() && !t.is_empty() {
                                t.push_space();
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if code_depth > 0 {
                    continue;
                }
                let flags = TextFlags {
                    heading: in_heading,
                    table_head: in_head,
                    table_cell: in_cell,
                    emphasis: emphasis_depth > 0,
                    code: is_code,
                    quote: quote_depth > 0,
                    link: link_depth > 0,
                };
                if !is_code && quote_depth == 0 {
                    md.mask[range.clone()].copy_from_slice(&bytes[range.clone()]);
                }
                md.texts.push(TextRun {
                    span: range.clone(),
                    flags,
                });
                if in_heading {
                    heading_text.push(&t);
                    heading_text_span = Some(match heading_text_span.take() {
                        Some(s) => s.start..range.end,
                        None => range.clone(),
                    });
                }
                if in_cell {
                    cell_text.push(&t);
                }
                if emphasis_depth > 0 {
                    emphasis_text.push_str(&t);
                }
                if let Some(&index) = item_stack.last() {
                    if let Some(text) = item_texts
                        .get_mut(item_stack.len() - 1)
                        .filter(|_| !in_cell)
                    {
                        let item = &mut md.items[index];
                        if text.text().trim().is_empty() {
                            item.text_span = range.clone();
                        } else {
                            item.text_span.end = range.end;
                        }
                        text.push(&t);
                        if emphasis_depth == 0 {
                            if let Some(p) = label_pending.last_mut() {
                                // Plain text before any emphasis: no label.
                                if !t.trim().is_empty() {
                                    *p = false;
                                }
                            }
                        }
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if code_depth == 0 && quote_depth == 0 {
                    for b in &mut md.mask[range.clone()] {
                        *b = b' ';
                    }
                }
                if in_heading {
                    heading_text.push_space();
                }
                if in_cell {
                    cell_text.push_space();
                }
                if let Some(t) = item_stack
                    .len()
                    .checked_sub(1)
                    .and_then(|d| item_texts.get_mut(d))
                {
                    t.push_space();
                }
            }
            Event::TaskListMarker(checked) => {
                if let Some(&index) = item_stack.last() {
                    md.items[index].task = Some(checked);
                }
            }
            // Inside an HTML block: collected at its end.
            Event::Html(_) if html_block.is_some() => {}
            Event::Html(h) | Event::InlineHtml(h) => {
                collect_comments(range.start..range.start + h.len(), bytes, &mut md.comments);
            }
            Event::FootnoteReference(_)
            | Event::Rule
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => {}
        }
    }
    md
}

/// Takes the cells of a finished row, leaving room for as many in the next
/// (the rows of a table have the same number of cells).
fn take_sized<'a>(cells: &mut Vec<Cell<'a>>) -> Vec<Cell<'a>> {
    let n = cells.len();
    std::mem::replace(cells, Vec::with_capacity(n))
}

/// Emphasis ranges include their delimiters; make them spaces in the mask.
fn mask_delimiters(mask: &mut [u8], bytes: &[u8], range: &Span) {
    let mut i = range.start;
    while i < range.end && matches!(bytes[i], b'*' | b'_' | b'~') {
        mask[i] = b' ';
        i += 1;
    }
    let mut j = range.end;
    while j > i && matches!(bytes[j - 1], b'*' | b'_' | b'~') {
        mask[j - 1] = b' ';
        j -= 1;
    }
}

/// A link's text stays prose (its text events are copied later); its
/// brackets and destination read as spaces so the sentence around the link
/// still reads as one.
fn mask_link(mask: &mut [u8], range: &Span) {
    for b in &mut mask[range.clone()] {
        if *b == BOUNDARY {
            *b = b' ';
        }
    }
}

fn trim_end_newline(bytes: &[u8], mut end: usize) -> usize {
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    end
}

fn trim_cell(bytes: &[u8], span: Span) -> Span {
    let (mut s, mut e) = (span.start, span.end);
    while s < e && matches!(bytes[s], b' ' | b'\t' | b'|' | b'\r' | b'\n') {
        s += 1;
    }
    while e > s && matches!(bytes[e - 1], b' ' | b'\t' | b'|' | b'\r' | b'\n') {
        e -= 1;
    }
    s..e
}

/// Finds every `<!-- … -->` in the source range of HTML (a block may hold
/// several, and one may span lines).
fn collect_comments(range: Span, bytes: &[u8], out: &mut Vec<Comment>) {
    // The event text can differ from the source (indentation is stripped in
    // some containers), so search the source bytes of the event's range.
    let offset = range.start.min(bytes.len());
    let end = range.end.min(bytes.len());
    let src = &bytes[offset..end];
    let mut i = 0;
    while let Some(open) = find(&src[i..], b"<!--") {
        let start = i + open;
        let Some(close) = find(&src[start + 4..], b"-->") else {
            break;
        };
        let body_end = start + 4 + close;
        let body = String::from_utf8_lossy(&src[start + 4..body_end])
            .trim()
            .to_string();
        out.push(Comment {
            span: offset + start..offset + body_end + 3,
            body,
        });
        i = body_end + 3;
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask_str(md: &Markdown) -> String {
        String::from_utf8_lossy(&md.mask).replace('\u{1}', "#")
    }

    #[test]
    fn headings_carry_plain_text_and_spans() {
        let text = "# Title\n\n## 2. **Incident** Timeline\n";
        let md = parse(text, 0);
        assert_eq!(md.headings.len(), 2);
        assert_eq!(md.headings[1].text, "2. Incident Timeline");
        assert_eq!(
            &text[md.headings[1].span.clone()],
            "## 2. **Incident** Timeline"
        );
    }

    #[test]
    fn tables_strip_markup_from_cells() {
        let text = "| ID | Owner |\n|---|---|\n| **PM-AI-001** | `@alice` |\n";
        let md = parse(text, 0);
        let t = &md.tables[0];
        assert_eq!(t.header.cells[0].text, "ID");
        assert_eq!(t.rows[0].cells[0].text, "PM-AI-001");
        assert_eq!(&text[t.rows[0].cells[0].span.clone()], "**PM-AI-001**");
        assert_eq!(t.rows[0].cells[1].text, "@alice");
    }

    #[test]
    fn plain_cells_borrow_the_file_and_others_are_built() {
        let text =
            "| a | b |\n|---|---|\n|  plain text  | **x** y |\n| a &amp; b | `c` |\n| | z\\|w |\n";
        let md = parse(text, 0);
        let cells: Vec<_> = md.tables[0].rows.iter().flat_map(|r| &r.cells).collect();
        let texts: Vec<&str> = cells.iter().map(|c| &*c.text).collect();
        assert_eq!(texts, ["plain text", "x y", "a & b", "c", "", "z|w"]);
        let borrowed: Vec<bool> = cells
            .iter()
            .map(|c| matches!(c.text, Cow::Borrowed(_)))
            .collect();
        assert_eq!(borrowed, [true, false, false, true, false, false]);
        // A borrowed text is the file's own bytes.
        let Cow::Borrowed(plain) = cells[0].text else {
            unreachable!()
        };
        let at = plain.as_ptr() as usize - text.as_ptr() as usize;
        assert_eq!(&text[at..at + plain.len()], "plain text");
    }

    #[test]
    fn headings_and_items_borrow_one_piece_and_join_several() {
        let text = "# Plain title\n\n## A *marked* title\n\n- one piece\n- first line\n  second line\n\n  next paragraph\n- a &amp; b\n";
        let md = parse(text, 0);
        let borrowed = |t: &Cow<str>| matches!(t, Cow::Borrowed(_));
        assert_eq!(md.headings[0].text, "Plain title");
        assert!(borrowed(&md.headings[0].text));
        assert_eq!(md.headings[1].text, "A marked title");
        assert!(!borrowed(&md.headings[1].text));
        let items: Vec<&str> = md.items.iter().map(|i| &*i.text).collect();
        assert_eq!(
            items,
            [
                "one piece",
                "first line second line next paragraph",
                "a & b"
            ]
        );
        assert!(borrowed(&md.items[0].text));
        assert!(!borrowed(&md.items[1].text));
    }

    #[test]
    fn list_items_have_labels_and_parents() {
        let text = "* **Root Cause 1:** cache expiry\n    * *Why:* TTL zero\n";
        let md = parse(text, 0);
        assert_eq!(md.items.len(), 2);
        assert_eq!(md.items[0].label.as_ref().unwrap().0, "Root Cause 1");
        assert_eq!(md.items[0].text, "Root Cause 1: cache expiry");
        assert_eq!(md.items[1].parent, Some(0));
        assert_eq!(md.items[1].label.as_ref().unwrap().0, "Why");
    }

    #[test]
    fn task_items_record_their_box() {
        let md = parse("- [x] done thing\n- [ ] open thing\n", 0);
        assert_eq!(md.items[0].task, Some(true));
        assert_eq!(md.items[1].task, Some(false));
        assert_eq!(md.items[1].text, "open thing");
    }

    #[test]
    fn mask_keeps_prose_and_hides_code_quotes_and_urls() {
        let text = "A human *error* in `code` [link](http://x.y/careless)\n\n> quoted careless\n";
        let md = parse(text, 0);
        let m = mask_str(&md);
        assert!(m.starts_with("A human  error  in "));
        assert!(!m.contains("code"));
        assert!(m.contains("link"));
        assert!(!m.contains("careless"));
        assert_eq!(md.mask.len(), text.len());
    }

    #[test]
    fn a_comment_may_span_lines() {
        let text = "# T\n\n<!--\npmlint-disable-next-line a\n-->\nx <!-- one --> y\n";
        let md = parse(text, 0);
        let bodies: Vec<_> = md.comments.iter().map(|c| c.body.as_str()).collect();
        assert_eq!(bodies, ["pmlint-disable-next-line a", "one"]);
        assert_eq!(
            &text[md.comments[0].span.clone()],
            "<!--\npmlint-disable-next-line a\n-->"
        );
    }

    #[test]
    fn comments_are_collected_with_spans() {
        let text = "para\n\n<!-- pmlint-disable foo -->\n\ntext <!-- inline --> more\n";
        let md = parse(text, 0);
        assert_eq!(md.comments.len(), 2);
        assert_eq!(md.comments[0].body, "pmlint-disable foo");
        assert_eq!(&text[md.comments[1].span.clone()], "<!-- inline -->");
    }
}
