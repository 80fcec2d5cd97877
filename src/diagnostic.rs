//! Diagnostics, severities, byte spans and the line index that turns a byte
//! offset into a 1-based line and column.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;

/// How serious a diagnostic is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// One level lower, with `info` as the floor.
    pub fn lowered(self) -> Severity {
        match self {
            Severity::Error => Severity::Warning,
            Severity::Warning | Severity::Info => Severity::Info,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A configured level: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_ascii_lowercase().as_str() {
            "off" | "false" | "none" | "ignore" => Some(Level::Off),
            "info" | "notice" => Some(Level::On(Severity::Info)),
            "warning" | "warn" => Some(Level::On(Severity::Warning)),
            "error" => Some(Level::On(Severity::Error)),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::On(s) => s.as_str(),
        }
    }
}

/// A byte range in the file as read (BOM included).
pub type Span = Range<usize>;

/// One finding of one rule, before levels and suppressions are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule id (built-in ids are static; custom rules own theirs).
    pub rule: RuleId,
    pub message: String,
    pub suggestion: Option<String>,
    pub span: Span,
    /// Report one level below the rule's resolved level (e.g. an ambiguous
    /// time-zone abbreviation is a `frontmatter-date` warning).
    pub lowered: bool,
}

/// A rule id: built-in ids are `'static`, custom rules' ids come from config.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleId {
    Builtin(&'static str),
    Custom(std::sync::Arc<str>),
}

impl RuleId {
    pub fn as_str(&self) -> &str {
        match self {
            RuleId::Builtin(s) => s,
            RuleId::Custom(s) => s,
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Diagnostic {
    pub fn new(rule: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule: RuleId::Builtin(rule),
            message: message.into(),
            suggestion: None,
            span,
            lowered: false,
        }
    }

    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Diagnostic {
        self.suggestion = Some(suggestion.into());
        self
    }

    pub fn lowered(mut self) -> Diagnostic {
        self.lowered = true;
        self
    }
}

/// A 1-based position: line, and column counted in Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets to lines and columns. Built once per file.
///
/// Lines end at `\n` (a `\r` before it belongs to the line ending, so CRLF
/// files get the same positions as LF files). A UTF-8 byte-order mark at the
/// start of the file is not counted as a column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// Offset of the first byte after the BOM (0 when there is none).
    content_start: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        let content_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        LineIndex {
            starts,
            content_start,
        }
    }

    /// Number of lines (a trailing newline does not start a counted line
    /// unless something follows it).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line number containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where 0-based `line` starts (clamped to the last line).
    pub fn line_start(&self, line: usize) -> usize {
        let start = self.starts[line.min(self.starts.len() - 1)];
        if line == 0 {
            start.max(self.content_start)
        } else {
            start
        }
    }

    /// Byte range of 0-based `line`, without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> Span {
        let start = self.line_start(line);
        let mut end = self
            .starts
            .get(line + 1)
            .map(|s| s - 1)
            .unwrap_or(text.len());
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        start..end.max(start)
    }

    /// 1-based line and column of `offset` in `text`. Offsets inside a
    /// multi-byte character count as that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let column = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or_else(|| {
                // Not on a char boundary: count chars that start before it.
                text.as_bytes()[start..offset]
                    .iter()
                    .filter(|b| (**b as i8) >= -0x40)
                    .count()
            });
        Position {
            line: line + 1,
            column: column + 1,
        }
    }
}

/// Positions of ascending offsets in amortised linear time: each call
/// counts characters from the previous offset when both lie on the same
/// line, so many findings on one very long line stay cheap.
pub struct PositionCursor<'a> {
    index: &'a LineIndex,
    text: &'a str,
    offset: usize,
    line: usize,
    pos: Position,
}

impl<'a> PositionCursor<'a> {
    pub fn new(index: &'a LineIndex, text: &'a str) -> PositionCursor<'a> {
        // Start after the BOM: counting from offset 0 would count the BOM
        // as a column.
        let offset = index.content_start.min(text.len());
        PositionCursor {
            index,
            text,
            offset,
            line: 0,
            pos: index.position(text, offset),
        }
    }

    /// The position of `offset` (which should not be less than the previous
    /// call's; smaller offsets are still right, just not amortised).
    pub fn position(&mut self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.index.line_of(offset);
        let pos = match self.text.get(self.offset..offset) {
            Some(between)
                if line == self.line
                    && offset >= self.offset
                    && self.offset >= self.index.content_start =>
            {
                Position {
                    line: self.pos.line,
                    column: self.pos.column + between.chars().count(),
                }
            }
            _ => self.index.position(self.text, offset),
        };
        self.offset = offset;
        self.line = line;
        self.pos = pos;
        pos
    }

    /// The position of `end`, given the position of a `start` before it.
    pub fn position_after(&self, start: usize, start_pos: Position, end: usize) -> Position {
        let end = end.min(self.text.len());
        match self.text.get(start..end) {
            Some(between) if !between.contains('\n') && start >= self.index.content_start => {
                Position {
                    line: start_pos.line,
                    column: start_pos.column + between.chars().count(),
                }
            }
            _ => self.index.position(self.text, end),
        }
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_unicode_scalars() {
        let text = "ab\nüîç x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(text, x), Position { line: 2, column: 5 });
    }

    #[test]
    fn bom_does_not_shift_columns() {
        let text = "\u{feff}---\ntitle: x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 3), Position { line: 1, column: 1 });
        assert_eq!(idx.position(text, 4), Position { line: 1, column: 2 });
    }

    #[test]
    fn crlf_lines_match_lf_lines() {
        let lf = "a\nbc\nd";
        let crlf = "a\r\nbc\r\nd";
        let (il, ic) = (LineIndex::new(lf), LineIndex::new(crlf));
        assert_eq!(
            il.position(lf, lf.find('d').unwrap()),
            ic.position(crlf, crlf.find('d').unwrap())
        );
        assert_eq!(ic.line_range(crlf, 1), 3..5);
    }

    #[test]
    fn cursor_positions_equal_direct_positions() {
        let text = "é a\nbb ü c\r\nd";
        let idx = LineIndex::new(text);
        let mut cur = PositionCursor::new(&idx, text);
        for offset in [0, 2, 3, 4, 5, 8, 9, 11, 13, 14] {
            if !text.is_char_boundary(offset) {
                continue;
            }
            let p = cur.position(offset);
            assert_eq!(p, idx.position(text, offset), "offset {offset}");
            assert_eq!(
                cur.position_after(offset, p, text.len()),
                idx.position(text, text.len())
            );
        }
    }

    #[test]
    fn cursor_does_not_count_the_bom_as_a_column() {
        let text = "\u{feff}# Title\nx";
        let idx = LineIndex::new(text);
        let mut cur = PositionCursor::new(&idx, text);
        let p = cur.position(3);
        assert_eq!(p, Position { line: 1, column: 1 });
        assert_eq!(
            cur.position_after(3, p, 10),
            Position { line: 1, column: 8 }
        );
        let mut cur = PositionCursor::new(&idx, text);
        let p = cur.position(0);
        assert_eq!(cur.position_after(0, p, 10), idx.position(text, 10));
        assert_eq!(cur.position(5), idx.position(text, 5));
    }

    #[test]
    fn levels_parse_and_lower() {
        assert_eq!(Level::parse("WARN"), Some(Level::On(Severity::Warning)));
        assert_eq!(Level::parse("off"), Some(Level::Off));
        assert_eq!(Level::parse("loud"), None);
        assert_eq!(Severity::Error.lowered(), Severity::Warning);
        assert_eq!(Severity::Info.lowered(), Severity::Info);
    }
}
