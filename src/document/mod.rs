//! The parsed post-mortem. A file is parsed once into a `Document`; every
//! rule reads it and none parses Markdown or YAML again.

pub mod action_items;
pub mod frontmatter;
pub mod markdown;
pub mod root_causes;
pub mod timeline;

use crate::config::Settings;
use crate::diagnostic::{LineIndex, Span};
pub use action_items::{ActionItem, Field};
pub use frontmatter::{FmValue, FrontMatter, FrontMatterBlock};
pub use markdown::{Cell, Comment, Heading, ListItem, Markdown, Row, Table, TextRun, BOUNDARY};
pub use root_causes::RootCause;
pub use timeline::{Timeline, TimelineRow};

/// A top-level section of the post-mortem.
#[derive(Debug, Clone)]
pub struct Section {
    /// Index into `Document::md.headings`.
    pub heading: usize,
    /// Index into `Settings::sections` when the heading names a configured
    /// section.
    pub kind: Option<usize>,
    /// From the heading to the next heading of the same or a higher level.
    pub span: Span,
    /// The part after the heading line.
    pub body: Span,
}

pub struct Document<'a> {
    pub text: &'a str,
    pub lines: LineIndex,
    /// First byte after a BOM.
    pub content_start: usize,
    pub front_matter: FrontMatter<'a>,
    /// First byte after the front matter.
    pub body_start: usize,
    pub md: Markdown<'a>,
    /// The level of the headings that are sections (usually 2).
    pub section_level: u8,
    pub sections: Vec<Section>,
    pub timeline: Option<Timeline<'a>>,
    pub root_causes: Vec<RootCause>,
    pub action_items: Vec<ActionItem<'a>>,
    /// Configured section index per `Role` (copied from the settings: an
    /// array, as a clone of their list was an allocation per document).
    pub roles: [Option<usize>; Role::ALL.len()],
    /// Per heading of `md.headings`: its normalised text
    /// ([`normalize_heading`]), computed once.
    pub heading_keys: HeadingKeys,
    /// Per heading of `md.headings`: the configured section it names
    /// ([`Settings::match_heading`]), computed once.
    pub heading_kinds: Vec<Option<usize>>,
}

impl<'a> Document<'a> {
    pub fn parse(text: &'a str, settings: &Settings) -> Document<'a> {
        let content_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let located = frontmatter::locate(text, content_start);
        let md = markdown::parse(text, located.body_start);
        let lines = LineIndex::new(text);
        let mut heading_keys = HeadingKeys {
            text: String::with_capacity(md.headings.iter().map(|h| h.text.len()).sum()),
            ends: Vec::with_capacity(md.headings.len()),
        };
        let mut heading_kinds = Vec::with_capacity(md.headings.len());
        // Each heading is normalised into this buffer, kept for all of them
        // (a key is at most as long as its heading, but for a few
        // lower-case letters that take more bytes).
        let mut key =
            String::with_capacity(md.headings.iter().map(|h| h.text.len()).max().unwrap_or(0));
        for h in &md.headings {
            let (main, paren) = split_paren(&h.text);
            normalize_words_into(main, &mut key);
            heading_keys.text.push_str(&key);
            heading_keys.ends.push(heading_keys.text.len());
            let main = heading_keys.get(heading_keys.len() - 1).unwrap_or_default();
            let paren = paren.map(|p| {
                normalize_words_into(p, &mut key);
                key.as_str()
            });
            heading_kinds.push(settings.match_keys(main, paren.filter(|p| !p.is_empty())));
        }
        let (section_level, sections) = find_sections(&md, &heading_kinds, text.len());
        let mut doc = Document {
            text,
            lines,
            content_start,
            front_matter: located.front_matter,
            body_start: located.body_start,
            md,
            section_level,
            sections,
            timeline: None,
            root_causes: Vec::new(),
            action_items: Vec::new(),
            roles: std::array::from_fn(|i| settings.roles.get(i).copied().flatten()),
            heading_keys,
            heading_kinds,
        };
        doc.timeline = timeline::extract(&doc);
        doc.root_causes = root_causes::extract(&doc);
        doc.action_items = action_items::extract(&doc);
        doc
    }

    /// The valid front matter, if any.
    pub fn fm(&self) -> Option<&FrontMatterBlock<'a>> {
        match &self.front_matter {
            FrontMatter::Valid(b) => Some(b),
            _ => None,
        }
    }

    /// A front-matter value as text with its span.
    pub fn fm_value(&self, key: &str) -> Option<FmValue<'_>> {
        self.fm()?.get(self.text, key)
    }

    /// The document's `status` as written, when the front matter is valid.
    pub fn status(&self) -> Option<String> {
        self.fm_value("status").map(|v| v.text.into_owned())
    }

    /// The first section of configured kind `kind`.
    pub fn section(&self, kind: usize) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == Some(kind))
    }

    /// The first section whose configured name is `name` (as in the config).
    pub fn section_named(&self, settings: &Settings, name: &str) -> Option<&Section> {
        let kind = settings.section_index(name)?;
        self.section(kind)
    }

    pub fn heading_of(&self, section: &Section) -> &Heading<'a> {
        &self.md.headings[section.heading]
    }

    /// Sub-headings (deeper than sections) inside `span`, in order.
    pub fn headings_in(&self, span: &Span) -> impl Iterator<Item = (usize, &Heading<'a>)> + '_ {
        let span = span.clone();
        self.md
            .headings
            .iter()
            .enumerate()
            .filter(move |(_, h)| h.span.start >= span.start && h.span.start < span.end)
    }

    /// The span of the first heading (at any depth) whose normalised text
    /// equals one of `names`, through to the next heading of the same or a
    /// higher level.
    pub fn subsection(&self, names: &[&str]) -> Option<(&Heading<'a>, Span)> {
        let headings = &self.md.headings;
        for (i, (h, n)) in headings.iter().zip(self.heading_keys.iter()).enumerate() {
            if names.contains(&n) {
                let end = headings[i + 1..]
                    .iter()
                    .find(|o| o.level <= h.level)
                    .map(|o| o.span.start)
                    .unwrap_or(self.text.len());
                return Some((h, h.span.end..end));
            }
        }
        None
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset) + 1
    }

    /// Span of the first line of the body (where document-level "missing"
    /// findings point).
    pub fn body_first_line(&self) -> Span {
        let start = self.body_start.min(self.text.len());
        let line = self.lines.line_of(start);
        let range = self.lines.line_range(self.text, line);
        if start >= self.text.len() || range.is_empty() && start == self.text.len() {
            // An empty body: point at the end of the front matter.
            let line = self.lines.line_of(start.saturating_sub(1));
            return self.lines.line_range(self.text, line);
        }
        range
    }

    /// Tables whose start lies inside `span`.
    pub fn tables_in(&self, span: &Span) -> impl Iterator<Item = &Table<'a>> + '_ {
        let span = span.clone();
        self.md
            .tables
            .iter()
            .filter(move |t| t.span.start >= span.start && t.span.start < span.end)
    }

    /// List items whose start lies inside `span`, with their indexes.
    pub fn items_in(&self, span: &Span) -> impl Iterator<Item = (usize, &ListItem<'a>)> + '_ {
        let span = span.clone();
        self.md
            .items
            .iter()
            .enumerate()
            .filter(move |(_, it)| it.span.start >= span.start && it.span.start < span.end)
    }

    /// Text runs inside `span`.
    pub fn texts_in(&self, span: &Span) -> impl Iterator<Item = &TextRun> + '_ {
        let span = span.clone();
        let start = self.md.texts.partition_point(|t| t.span.start < span.start);
        self.md.texts[start..]
            .iter()
            .take_while(move |t| t.span.start < span.end)
    }
}

/// The normalised text of every heading ([`normalize_heading`]), one after
/// the other in one string: a string per heading was a tenth of the
/// allocations of parsing a document.
#[derive(Debug, Clone, Default)]
pub struct HeadingKeys {
    text: String,
    /// Where each key ends in `text`.
    ends: Vec<usize>,
}

impl HeadingKeys {
    /// The key of heading `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => self.ends[before],
            None => 0,
        };
        self.text.get(start..end)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The keys in heading order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.ends.len()).filter_map(|i| self.get(i))
    }
}

/// The part a section plays, whatever the team calls it. The order is that
/// of the template (and of the default `sections`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Summary = 0,
    Timeline,
    Narrative,
    RootCause,
    WentWell,
    Improvements,
    ActionItems,
    Lessons,
    Communication,
    References,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Summary,
        Role::Timeline,
        Role::Narrative,
        Role::RootCause,
        Role::WentWell,
        Role::Improvements,
        Role::ActionItems,
        Role::Lessons,
        Role::Communication,
        Role::References,
    ];
}

/// Which configured section plays each role: the first whose name or an
/// alias is one of the role's default names.
pub fn resolve_roles(sections: &[crate::config::SectionSpec]) -> Vec<Option<usize>> {
    let defaults = crate::config::Config::default().sections;
    Role::ALL
        .iter()
        .map(|role| {
            let d = &defaults[*role as usize];
            let mut keys = vec![normalize_heading(&d.name)];
            keys.extend(d.aliases.iter().map(|a| normalize_heading(a)));
            sections
                .iter()
                .position(|s| s.keys.iter().any(|k| keys.contains(k)))
        })
        .collect()
}

/// `f` of the normalised table header cell `s` ("Time (HH:MM [Timezone])"
/// → "time", "**Action Item ID**" → "action item id"): the heading key, or
/// the lower-cased cell when that is empty.
pub fn with_header_key<R>(s: &str, f: impl Fn(&str) -> R) -> R {
    with_heading_key(s, |main| {
        if main.is_empty() {
            f(&s.trim().to_lowercase())
        } else {
            f(main)
        }
    })
}

/// `f` of [`normalize_heading`]`(s)`, normalised into a buffer the thread
/// keeps: labels and header cells are looked up this way for every
/// document, and a string for each was about 2 % of a large run.
pub fn with_heading_key<R>(s: &str, f: impl Fn(&str) -> R) -> R {
    thread_local! {
        static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    let main = split_paren(s).0;
    // A call from inside `f` finds the buffer taken (as does one while the
    // thread is being torn down): it allocates.
    KEY.try_with(|key| {
        let mut key = key.try_borrow_mut().ok()?;
        normalize_words_into(main, &mut key);
        Some(f(&key))
    })
    .ok()
    .flatten()
    .unwrap_or_else(|| f(&normalize_words(main)))
}

impl Document<'_> {
    /// Index into `sections` of the first section playing `role`.
    pub fn role_section(&self, role: Role) -> Option<usize> {
        let kind = self.roles.get(role as usize).copied().flatten()?;
        self.sections.iter().position(|s| s.kind == Some(kind))
    }
}

impl Settings {
    /// Index of the configured section called `name` (name or alias,
    /// normalised).
    pub fn section_index(&self, name: &str) -> Option<usize> {
        with_heading_key(name, |n| {
            self.sections
                .iter()
                .position(|s| s.keys.iter().any(|k| k == n))
        })
    }

    /// The configured section a heading names, if any.
    pub fn match_heading(&self, heading: &str) -> Option<usize> {
        let (main, paren) = heading_keys_of(heading);
        self.match_keys(&main, paren.as_deref())
    }

    /// [`Settings::match_heading`] on the keys [`heading_keys_of`] gives.
    fn match_keys(&self, main: &str, paren: Option<&str>) -> Option<usize> {
        if main.is_empty() && paren.is_none() {
            return None;
        }
        let named = |key: &str| {
            self.sections
                .iter()
                .position(|s| s.keys.iter().any(|k| k == key))
        };
        named(main).or_else(|| paren.and_then(named))
    }
}

/// Normalises a heading for matching: the number prefix (`4.`, `1.2`),
/// emoji and mis-decoded emoji, case, punctuation and a trailing
/// parenthetical are ignored. "4. Why Did It Happen? (Root Cause Analysis)"
/// → "why did it happen".
pub fn normalize_heading(s: &str) -> String {
    normalize_words(split_paren(s).0)
}

/// The normalised heading and, when it ends in a parenthetical, the
/// normalised parenthetical ("What Happened? (Narrative)" → "what happened",
/// Some("narrative")).
fn heading_keys_of(s: &str) -> (String, Option<String>) {
    let (main, paren) = split_paren(s);
    (
        normalize_words(main),
        paren.map(normalize_words).filter(|p| !p.is_empty()),
    )
}

/// A heading, trimmed, and its closing parenthetical if it ends in one.
fn split_paren(s: &str) -> (&str, Option<&str>) {
    let s = s.trim();
    if !s.ends_with(')') {
        return (s, None);
    }
    match s.rfind('(') {
        Some(open) if open > 0 => (&s[..open], Some(&s[open + 1..s.len() - 1])),
        _ => (s, None),
    }
}

fn normalize_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_words_into(s, &mut out);
    out
}

/// [`normalize_words`] into `out` (cleared first).
fn normalize_words_into(s: &str, out: &mut String) {
    // One pass into one buffer (headings and table headers are normalised
    // for every section lookup, so this runs often): the words are the
    // runs of letters and digits, lower-cased (first char of the lower
    // case), of each blank-separated token that holds an ASCII letter or
    // digit; tokens without one are emoji, mojibake or punctuation.
    out.clear();
    if s.is_ascii() {
        // The same, a word at a time: in ASCII every token without a letter
        // or digit adds nothing, and a blank ends a word as a token end
        // does. Lower-casing all at the end gives the same words.
        for word in s
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if out.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
                // A leading number prefix ("4", "1 2" from "1.2").
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out.make_ascii_lowercase();
        strip_letter_prefix(s, out);
        return;
    }
    normalize_any_words_into(s, out);
}

/// [`normalize_words_into`] for any text, char by char (`out` empty).
fn normalize_any_words_into(s: &str, out: &mut String) {
    for token in s.split_whitespace() {
        if !token.bytes().any(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let mut word_start: Option<usize> = None;
        for c in token.chars().chain(std::iter::once(' ')) {
            if c.is_alphanumeric() {
                if word_start.is_none() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    word_start = Some(out.len());
                }
                out.push(if c.is_ascii() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_lowercase().next().unwrap_or(c)
                });
            } else if let Some(start) = word_start.take() {
                // Drop a leading number prefix ("4", "1 2" from "1.2").
                if start == 0 && out.bytes().all(|b| b.is_ascii_digit()) {
                    out.clear();
                }
            }
        }
    }
    strip_letter_prefix(s, out);
}

/// Drops an "A. Timeline" style lettered prefix (when more words follow).
fn strip_letter_prefix(s: &str, out: &mut String) {
    if out.as_bytes().get(1) == Some(&b' ') && s.trim_start().get(1..2) == Some(".") {
        out.drain(..2);
    }
}

/// Finds the sections: headings at the level of the first heading that
/// names a configured section (level 2 in the template).
fn find_sections(md: &Markdown, kinds: &[Option<usize>], len: usize) -> (u8, Vec<Section>) {
    let level = md
        .headings
        .iter()
        .zip(kinds)
        .find(|(_, k)| k.is_some())
        .map(|(h, _)| h.level)
        .unwrap_or(2);
    let mut sections = Vec::with_capacity(md.headings.len());
    for (i, h) in md.headings.iter().enumerate() {
        if h.level != level {
            continue;
        }
        let end = md.headings[i + 1..]
            .iter()
            .find(|o| o.level <= level)
            .map(|o| o.span.start)
            .unwrap_or(len);
        sections.push(Section {
            heading: i,
            kind: kinds[i],
            span: h.span.start..end,
            body: h.span.end.min(end)..end,
        });
    }
    (level, sections)
}

/// Strips Markdown emphasis/code markers from a short inline text.
pub fn strip_inline_markup(s: &str) -> &str {
    s.trim()
        .trim_matches(|c| c == '*' || c == '_' || c == '`')
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_normalise_away_numbers_emoji_and_parentheticals() {
        assert_eq!(
            normalize_heading("4. Why Did It Happen? (Root Cause Analysis)"),
            "why did it happen"
        );
        assert_eq!(
            normalize_heading("üîç 1. Incident Summary"),
            "incident summary"
        );
        assert_eq!(normalize_heading("1.2 Incident ID"), "incident id");
        assert_eq!(normalize_heading("🚨 TIMELINE"), "timeline");
        assert_eq!(normalize_heading("Follow-ups"), "follow ups");
    }

    #[test]
    fn ascii_headings_normalise_as_any_text_does() {
        let pieces = [
            "1", "2.", "4", "A.", "a", " ", "  ", "\t", "-", "Title", "ID", "(x)", ".", "?", "#",
            "9x", "x9", "B", "_",
        ];
        let mut seed: u64 = 5;
        for _ in 0..20_000 {
            let count = (crate::rules::test_util::xorshift(&mut seed) >> 61) + 1;
            let s = crate::rules::test_util::random_concat(&pieces, count, &mut seed);
            let mut fast = String::new();
            normalize_words_into(&s, &mut fast);
            let mut any = String::new();
            normalize_any_words_into(&s, &mut any);
            assert_eq!(fast, any, "{s:?}");
        }
    }

    #[test]
    fn headings_match_configured_sections_by_alias_and_parenthetical() {
        let s = Settings::defaults();
        let idx = |n| s.section_index(n).unwrap();
        assert_eq!(
            s.match_heading("3. What Happened? (Narrative)"),
            Some(idx("Narrative"))
        );
        assert_eq!(
            s.match_heading("Root Causes"),
            Some(idx("Root Cause Analysis"))
        );
        assert_eq!(
            s.match_heading("2. Incident Timeline (UTC)"),
            Some(idx("Incident Timeline"))
        );
        assert_eq!(s.match_heading("Appendix: raw logs"), None);
    }

    #[test]
    fn sections_split_at_their_level() {
        let s = Settings::defaults();
        let text = "---\ntitle: t\n---\n# Title\n\n## 1. Incident Summary\n\n### 1.1 Title\n\nx\n\n## 2. Timeline\n\ny\n";
        let doc = Document::parse(text, &s);
        assert_eq!(doc.section_level, 2);
        assert_eq!(doc.sections.len(), 2);
        assert_eq!(doc.sections[0].kind, s.section_index("Incident Summary"));
        assert!(text[doc.sections[0].span.clone()].contains("1.1 Title"));
        assert!(!text[doc.sections[0].span.clone()].contains("2. Timeline"));
    }
}
