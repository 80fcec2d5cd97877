//! YAML front matter: found between `---` lines at the very top, parsed into
//! an untyped YAML value (the template's placeholders are YAML flow
//! sequences, which a typed struct would reject), with the span of every
//! top-level key and value found by scanning the lines.

use crate::diagnostic::Span;
use serde::de::DeserializeSeed;
use std::borrow::Cow;

mod flat;
pub use flat::Flat;
use serde_yaml::Value;

#[derive(Debug, Clone)]
pub enum FrontMatter<'a> {
    /// The file does not start with `---`.
    Missing,
    /// There is a block, but it is not valid YAML or not a mapping.
    Invalid {
        message: String,
        /// Where the problem is (the YAML error's position when known).
        span: Span,
    },
    Valid(FrontMatterBlock<'a>),
}

#[derive(Debug, Clone)]
pub struct FrontMatterBlock<'a> {
    /// The opening `---` line (without its line ending).
    pub open_span: Span,
    values: Values<'a>,
    pub keys: Vec<KeyEntry<'a>>,
}

/// The block's values: read in place by the flat reader (most front
/// matter), or by serde_yaml.
#[derive(Debug, Clone)]
enum Values<'a> {
    Flat(flat::Block<'a>),
    Yaml(serde_yaml::Mapping),
}

/// A front-matter value as parsed: by the flat reader or by serde_yaml
/// ([`FrontMatterBlock::raw`]). Either reads the same text as the same
/// value; the flat one borrows its strings from the file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawValue<'s> {
    Flat(&'s Flat<'s>),
    Yaml(&'s Value),
}

/// A key as written in the file (inside its quotes, if quoted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key<'a>(&'a str);

impl<'a> Key<'a> {
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

impl std::ops::Deref for Key<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        self.0
    }
}

impl PartialEq<str> for Key<'_> {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Key<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl std::fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

#[derive(Debug, Clone)]
pub struct KeyEntry<'a> {
    /// A slice of the file: a string per key was a tenth of the
    /// allocations of parsing a document.
    pub key: Key<'a>,
    /// The key's line, from the key to the end of the line.
    pub line_span: Span,
    pub key_span: Span,
    /// The value as written on the key's line, trimmed (may be empty when
    /// the value is a block on the following lines).
    pub value_span: Span,
}

/// A front-matter value as text, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct FmValue<'s> {
    /// The value rendered as text: scalars as written by YAML, sequences
    /// joined with ", ". Borrowed from the parsed value when it is a string.
    pub text: Cow<'s, str>,
    /// The raw source text of the value on its line.
    pub raw: &'s str,
    pub span: Span,
    /// Whether YAML read it as a sequence.
    pub is_sequence: bool,
}

/// Result of locating the block: where it is and where the body starts.
pub struct Located<'a> {
    pub front_matter: FrontMatter<'a>,
    pub body_start: usize,
}

/// Finds and parses the front matter. `content_start` skips a BOM.
pub fn locate(text: &str, content_start: usize) -> Located<'_> {
    let Some((open_end, first_line_end)) = opening_line(text, content_start) else {
        return Located {
            front_matter: FrontMatter::Missing,
            body_start: content_start,
        };
    };
    let open_span = content_start..open_end;
    // Look for the closing `---` or `...` line.
    let mut pos = first_line_end;
    let yaml_start = first_line_end;
    let bytes = text.as_bytes();
    while pos < text.len() {
        let line_end = memchr::memchr(b'\n', &bytes[pos..])
            .map(|i| pos + i + 1)
            .unwrap_or(text.len());
        // Only a line that starts with either marker can be one once its
        // end is trimmed.
        let head = &bytes[pos..line_end.min(pos + 3)];
        if head != b"---" && head != b"..." {
            pos = line_end;
            continue;
        }
        let line = text[pos..line_end].trim_end_matches(['\n', '\r']);
        if line.trim_end() == "---" || line.trim_end() == "..." {
            let yaml = &text[yaml_start..pos];
            return Located {
                front_matter: parse_yaml(text, yaml_start, yaml, open_span),
                body_start: line_end,
            };
        }
        pos = line_end;
    }
    Located {
        front_matter: FrontMatter::Invalid {
            message: "front matter is not closed: no `---` line ends it".into(),
            span: open_span,
        },
        body_start: text.len(),
    }
}

/// Whether the text at `content_start` opens a front-matter block: exactly
/// when [`locate`] does not report it `Missing`, without parsing the YAML.
pub fn opens_front_matter(text: &str, content_start: usize) -> bool {
    opening_line(text, content_start).is_some()
}

/// If the text at `start` is a `---` line, returns (end of `---`, start of
/// the next line).
fn opening_line(text: &str, start: usize) -> Option<(usize, usize)> {
    let rest = &text[start..];
    let line_end = rest.find('\n').map(|i| i + 1).unwrap_or(rest.len());
    let line = rest[..line_end].trim_end_matches(['\n', '\r']);
    (line.trim_end() == "---" && line_end > 3 || line == "---" && line_end == 3)
        .then_some((start + 3, start + line_end))
}

/// How deep flow collections (`[`, `{`) may nest. serde_yaml refuses more
/// than 128 levels anyway, but only after libyaml's scanner has read the
/// whole block, and that scanner is quadratic in the nesting depth (200 KB
/// of `[` took 26 s): deeper blocks are rejected before parsing.
const MAX_FLOW_DEPTH: usize = 128;

/// The offset in `yaml` of the first `[`/`{` nested deeper than `limit`,
/// counting brackets outside quoted scalars and comments. Brackets inside a
/// plain scalar are counted too, which can only over-count; no real front
/// matter comes near the limit.
fn too_deep_flow(yaml: &str, limit: usize) -> Option<usize> {
    let bytes = yaml.as_bytes();
    let mut depth = 0usize;
    // Before the line of the first bracket the depth is 0, where quotes
    // open nothing and a comment ends with its line: the scan starts there.
    let first = memchr::memchr2(b'[', b'{', bytes)?;
    let mut i = memchr::memrchr(b'\n', &bytes[..first]).map_or(0, |nl| nl + 1);
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            // Quotes only open a scalar inside a flow collection (elsewhere
            // `it's` is plain text).
            q @ (b'"' | b'\'') if depth > 0 => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    if q == b'"' && bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn parse_yaml<'a>(
    text: &'a str,
    yaml_start: usize,
    yaml: &'a str,
    open_span: Span,
) -> FrontMatter<'a> {
    if let Some(at) = too_deep_flow(yaml, MAX_FLOW_DEPTH) {
        let at = yaml_start + at;
        return FrontMatter::Invalid {
            message: format!(
                "front matter is not valid YAML: lists or mappings nested more than {MAX_FLOW_DEPTH} levels deep"
            ),
            span: at..at + 1,
        };
    }
    // Most front matter is flat `key: value` lines: read those directly,
    // and everything else with serde_yaml.
    if let Some(block) = flat::parse(yaml) {
        return FrontMatter::Valid(FrontMatterBlock {
            open_span,
            values: Values::Flat(block),
            keys: scan_keys(text, yaml_start, yaml),
        });
    }
    let value: Value = match parse_bounded(yaml) {
        Ok(v) => v,
        Err(e) => {
            let message = e.to_string();
            // Some errors (control characters) carry a dummy location (line
            // 1, column 1) and the real one only as " at position N" (a byte
            // offset in the block) in the message.
            let position = message.rfind(" at position ").and_then(|i| {
                message[i + " at position ".len()..]
                    .split(|c: char| !c.is_ascii_digit())
                    .next()?
                    .parse::<usize>()
                    .ok()
            });
            let index = position.or_else(|| e.location().map(|loc| loc.index()));
            let span = match index {
                Some(index) => {
                    let mut at = (yaml_start + index).min(text.len());
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    let end = text[at..]
                        .find(['\n', '\r'])
                        .map(|i| at + i)
                        .unwrap_or(text.len());
                    at..end.max(at)
                }
                None => open_span.clone(),
            };
            // serde_yaml appends " at line L column C" or " at position N"
            // relative to the block; the report carries the file position
            // instead (and CRLF files then get the same message).
            let message = match message
                .find(" at line ")
                .or_else(|| message.find(" at position "))
            {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            // serde_yaml's words for its limits, said so a reader knows
            // what to change.
            let message = match message.as_str() {
                "recursion limit exceeded" => {
                    "lists or mappings nested more than 128 levels deep".to_string()
                }
                "repetition limit exceeded" => {
                    "aliases (`*name`) repeat their anchors too often (a YAML bomb?)".to_string()
                }
                _ => message,
            };
            return FrontMatter::Invalid {
                message: format!("front matter is not valid YAML: {message}"),
                span,
            };
        }
    };
    let mapping = match value {
        Value::Mapping(m) => m,
        // An empty block is an empty mapping.
        Value::Null => serde_yaml::Mapping::new(),
        other => {
            return FrontMatter::Invalid {
                message: format!(
                    "front matter must be a mapping of keys to values, found {}",
                    kind_name(&other)
                ),
                span: open_span,
            }
        }
    };
    FrontMatter::Valid(FrontMatterBlock {
        open_span,
        values: Values::Yaml(mapping),
        keys: scan_keys(text, yaml_start, yaml),
    })
}

/// How far aliases may expand a front matter: this many units per byte of
/// YAML, plus [`EXPANSION_SLACK`]. A node is one unit and each byte of a
/// string one more, so a block without aliases never needs more than about
/// two units per byte.
const EXPANSION_PER_BYTE: usize = 4;
const EXPANSION_SLACK: usize = 4096;

/// Parses a YAML block into a value, like `serde_yaml::from_str`, but gives
/// up once aliases have expanded it past a budget proportional to its size.
///
/// serde_yaml refuses nested alias bombs ("billion laughs"), but copies an
/// anchored node for every alias: 125 KB of front matter — one anchored list
/// of 25,000 items and 25,000 aliases to it — would expand to 625 million
/// values and exhaust memory. The budget bounds time and memory by the
/// size of the block.
pub(crate) fn parse_bounded(yaml: &str) -> Result<Value, serde_yaml::Error> {
    let budget = std::cell::Cell::new(
        yaml.len()
            .saturating_mul(EXPANSION_PER_BYTE)
            .saturating_add(EXPANSION_SLACK),
    );
    Bounded(&budget).deserialize(serde_yaml::Deserializer::from_str(yaml))
}

/// Builds a [`Value`] as serde_yaml's own visitor does, spending the budget.
#[derive(Clone, Copy)]
struct Bounded<'b>(&'b std::cell::Cell<usize>);

impl Bounded<'_> {
    fn spend<E: serde::de::Error>(self, units: usize) -> Result<(), E> {
        match self.0.get().checked_sub(units) {
            Some(left) => {
                self.0.set(left);
                Ok(())
            }
            None => Err(E::custom(
                "aliases (`*name`) expand it to many times its size (a YAML bomb?)",
            )),
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Bounded<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Bounded<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Value, E> {
        self.spend(1)?;
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: serde::de::Error>(self, i: i64) -> Result<Value, E> {
        self.spend(1)?;
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Value, E> {
        self.spend(1)?;
        Ok(Value::Number(u.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Value, E> {
        self.spend(1)?;
        Ok(Value::Number(f.into()))
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Value, E> {
        self.spend(1 + s.len())?;
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Value, E> {
        self.spend(1 + s.len())?;
        Ok(Value::String(s))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.spend(1)?;
        Ok(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.spend(1)?;
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.spend(1)?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.spend(1)?;
        let mut mapping = serde_yaml::Mapping::new();
        while let Some(key) = map.next_key_seed(self)? {
            if mapping.contains_key(&key) {
                let which = match &key {
                    Value::Null => "with null key".to_string(),
                    Value::Bool(b) => format!("with key `{b}`"),
                    Value::Number(n) => format!("with key {n}"),
                    Value::String(s) => format!("with key {s:?}"),
                    _ => "in YAML map".to_string(),
                };
                return Err(serde::de::Error::custom(format!("duplicate entry {which}")));
            }
            let value = map.next_value_seed(self)?;
            mapping.insert(key, value);
        }
        Ok(Value::Mapping(mapping))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        self.spend(1)?;
        let (tag, contents): (String, _) = data.variant()?;
        if tag.is_empty() {
            return Err(serde::de::Error::custom("empty YAML tag is not allowed"));
        }
        let value = contents.newtype_variant_seed(self)?;
        Ok(Value::Tagged(Box::new(serde_yaml::value::TaggedValue {
            tag: serde_yaml::value::Tag::new(tag),
            value,
        })))
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Top-level keys: lines starting in column 0 with `key:`.
fn scan_keys<'a>(text: &str, yaml_start: usize, yaml: &'a str) -> Vec<KeyEntry<'a>> {
    // At most one key per line.
    let mut keys = Vec::with_capacity(yaml.bytes().filter(|&b| b == b'\n').count() + 1);
    let mut pos = 0;
    while pos < yaml.len() {
        let line_end = memchr::memchr(b'\n', &yaml.as_bytes()[pos..])
            .map(|i| pos + i)
            .unwrap_or(yaml.len());
        let line = yaml[pos..line_end].trim_end_matches('\r');
        if let Some(entry) = key_of_line(line) {
            let (key, key_len, value_off, value_len) = entry;
            let base = yaml_start + pos;
            keys.push(KeyEntry {
                key: Key(key),
                line_span: base..base + line.len(),
                key_span: base..base + key_len,
                value_span: base + value_off..base + value_off + value_len,
            });
        }
        pos = line_end + 1;
    }
    debug_assert!(keys.iter().all(|k| k.value_span.end <= text.len()));
    keys
}

/// Parses `key: value` at column 0. Returns (key, key byte length, value
/// offset in line, value length).
fn key_of_line(line: &str) -> Option<(&str, usize, usize, usize)> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{') {
        return None;
    }
    let (key, key_len) = if first == '"' || first == '\'' {
        let close = memchr::memchr(first as u8, &line.as_bytes()[1..])? + 1;
        (&line[1..close], close + 1)
    } else {
        let colon = memchr::memchr(b':', line.as_bytes())?;
        (line[..colon].trim_end(), colon)
    };
    let after = line[key_len..].trim_start();
    let colon_at = line.len() - after.len();
    let rest = after.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let value = strip_comment(rest.trim());
    let value_off = colon_at + 1 + (rest.len() - rest.trim_start().len());
    Some((key, key_len, value_off.min(line.len()), value.len()))
}

/// Strips a trailing ` # comment` from an unquoted value.
fn strip_comment(value: &str) -> &str {
    if value.starts_with(['"', '\'']) {
        return value;
    }
    match find_pair(value, b' ', b'#') {
        Some(i) => value[..i].trim_end(),
        None => value,
    }
}

/// The offset of the first `a` directly followed by `b` in `s` (`a`, `b`
/// ASCII): `s.find("ab")` without building a substring searcher, which
/// costs more than these short lines take to scan.
fn find_pair(s: &str, a: u8, b: u8) -> Option<usize> {
    let bytes = s.as_bytes();
    memchr::memchr_iter(a, bytes).find(|&i| bytes.get(i + 1) == Some(&b))
}

impl<'a> FrontMatterBlock<'a> {
    pub fn key(&self, name: &str) -> Option<&KeyEntry<'a>> {
        self.keys.iter().find(|k| k.key == name)
    }

    pub fn has(&self, name: &str) -> bool {
        self.raw(name).is_some()
    }

    pub fn raw(&self, name: &str) -> Option<RawValue<'_>> {
        match &self.values {
            Values::Flat(block) => block.get(name).map(RawValue::Flat),
            Values::Yaml(mapping) => mapping.get(name).map(RawValue::Yaml),
        }
    }

    /// The value of `name` as text with its span, if present.
    pub fn get<'s>(&'s self, text: &'s str, name: &str) -> Option<FmValue<'s>> {
        self.value_at(text, name, self.key(name))
    }

    /// The value of a scanned key, at that key's line. Looping over
    /// [`Self::keys`] with this stays linear, where [`Self::get`] would look
    /// each key up again (a front matter of 200,000 keys took minutes).
    pub fn entry_value<'s>(&'s self, text: &'s str, entry: &KeyEntry) -> Option<FmValue<'s>> {
        self.value_at(text, entry.key.as_str(), Some(entry))
    }

    fn value_at<'s>(
        &'s self,
        text: &'s str,
        name: &str,
        entry: Option<&KeyEntry>,
    ) -> Option<FmValue<'s>> {
        let value = self.raw(name)?;
        let (span, raw) = match entry {
            Some(k) if !k.value_span.is_empty() => {
                (k.value_span.clone(), &text[k.value_span.clone()])
            }
            Some(k) => (k.key_span.clone(), ""),
            None => (self.open_span.clone(), ""),
        };
        Some(FmValue {
            text: value.text(),
            raw,
            span,
            is_sequence: value.is_sequence(),
        })
    }
}

/// Renders a YAML value as the text a reader sees.
pub fn value_text(value: &Value) -> String {
    value_cow(value).into_owned()
}

/// [`value_text`], borrowing a string value instead of copying it.
fn value_cow(value: &Value) -> Cow<'_, str> {
    match value {
        Value::Null | Value::Mapping(_) => Cow::Borrowed(""),
        Value::Bool(b) => Cow::Owned(b.to_string()),
        Value::Number(n) => Cow::Owned(n.to_string()),
        Value::String(s) => Cow::Borrowed(s.trim()),
        Value::Sequence(seq) => join_items(seq.iter().map(value_cow)),
        Value::Tagged(t) => value_cow(&t.value),
    }
}

/// [`value_cow`] of a value the flat reader read.
fn flat_cow<'s>(value: &'s Flat<'_>) -> Cow<'s, str> {
    match value {
        Flat::Str(s) => Cow::Borrowed(s.trim()),
        Flat::Number(n) => Cow::Owned(n.to_string()),
        Flat::Seq(items) => join_items(items.iter().map(flat_cow)),
    }
}

/// The non-empty items joined with ", ": the only one itself when there is
/// one (the template's `[Name or Role]`), else one new string.
fn join_items<'s>(items: impl Iterator<Item = Cow<'s, str>>) -> Cow<'s, str> {
    let mut joined = Cow::Borrowed("");
    for item in items.filter(|s| !s.is_empty()) {
        if joined.is_empty() {
            joined = item;
        } else {
            let j = joined.to_mut();
            j.push_str(", ");
            j.push_str(&item);
        }
    }
    joined
}

impl<'s> RawValue<'s> {
    /// The value as text: [`value_text`], borrowed where it can be.
    pub fn text(self) -> Cow<'s, str> {
        match self {
            RawValue::Flat(v) => flat_cow(v),
            RawValue::Yaml(v) => value_cow(v),
        }
    }

    /// Whether YAML reads it as a sequence.
    pub fn is_sequence(self) -> bool {
        matches!(
            self,
            RawValue::Flat(Flat::Seq(_)) | RawValue::Yaml(Value::Sequence(_))
        )
    }
}

/// A value as a list of strings: a YAML list, or a comma-separated string.
pub fn value_list(value: RawValue<'_>) -> Vec<String> {
    let mut list = Vec::new();
    for_each_list_item(value, |item| list.push(item.to_string()));
    list
}

/// Calls `f` with each item of [`value_list`], without copying them.
pub fn for_each_list_item(value: RawValue<'_>, mut f: impl FnMut(&str)) {
    match value {
        RawValue::Flat(Flat::Seq(seq)) => seq
            .iter()
            .map(flat_cow)
            .filter(|s| !s.is_empty())
            .for_each(|s| f(&s)),
        RawValue::Yaml(Value::Sequence(seq)) => seq
            .iter()
            .map(value_cow)
            .filter(|s| !s.is_empty())
            .for_each(|s| f(&s)),
        other => other
            .text()
            .split([',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .for_each(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(text: &str) -> (FrontMatterBlock<'_>, usize) {
        let l = locate(text, 0);
        match l.front_matter {
            FrontMatter::Valid(b) => (b, l.body_start),
            other => panic!("expected valid front matter, got {other:?}"),
        }
    }

    fn invalid(text: &str) -> (String, Span) {
        match locate(text, 0).front_matter {
            FrontMatter::Invalid { message, span } => (message, span),
            other => panic!("expected invalid front matter, got {other:?}"),
        }
    }

    #[test]
    fn a_wide_alias_bomb_is_refused_at_the_alias_that_overflows() {
        // One anchored list of 25,000 items and 25,000 aliases to it: within
        // serde_yaml's own alias limit, but 625 million values.
        let items = vec!["1"; 25_000].join(",");
        let aliases = vec!["*x"; 25_000].join(",");
        let text = format!("---\ntitle: T\nx: &x [{items}]\ny: [{aliases}]\n---\n");
        let (message, span) = invalid(&text);
        assert!(message.contains("YAML bomb"), "{message}");
        assert_eq!(text[..span.start].lines().count(), 3, "points into line 4");
    }

    #[test]
    fn a_nested_alias_bomb_is_refused_with_a_clear_message() {
        let mut yaml = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9u8 {
            let (name, prev) = ((b'a' + i) as char, (b'a' + i - 1) as char);
            let refs = vec![format!("*{prev}"); 9].join(", ");
            yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let (message, _) = invalid(&format!("---\n{yaml}---\n"));
        assert!(message.contains("aliases"), "{message}");
    }

    #[test]
    fn ordinary_aliases_and_merge_keys_still_parse() {
        let text = "---\nbase: &b {owner: \"@alice\", tags: [a, b]}\nx: *b\ny:\n  <<: *b\n  extra: 1\n---\n";
        let (fm, _) = valid(text);
        assert_eq!(fm.raw("x"), fm.raw("base"));
    }

    #[test]
    fn the_bounded_parser_reads_yaml_as_serde_yaml_does() {
        for yaml in [
            "",
            "# only a comment\n",
            "title: T\nstatus: Draft\n",
            "a: 1\nb: -2\nc: 1.5\nd: .inf\ne: 0x1F\nf: 12345678901234567890123\n",
            "a: ~\nb: null\nc:\nd: true\ne: 'x'\nf: \"\\u00e9\"\n",
            "a: !custom value\nb: !!str 12\nc: !t [1, 2]\n",
            "a: |\n  block\n  text\nb: >-\n  folded\n",
            "a: [1, [2, [3]], {b: c}]\n? complex\n: key\n",
            "a: 1\na: 2\n",
            "1: x\n1: y\n",
            "- a\n- b\n",
            "just a string",
            "a: 1\n---\nb: 2\n",
            "a: &x 1\nb: *x\nc: *missing\n",
            "a: [1, 2\n",
            "\tbad: tab\n",
        ] {
            let ours = parse_bounded(yaml).map_err(|e| e.to_string());
            let theirs = serde_yaml::from_str::<Value>(yaml).map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{yaml:?}");
        }
    }

    #[test]
    fn template_placeholders_parse_as_sequences() {
        let text = "---\ntitle: T\nauthor: [Name or Role of Post-Mortem Lead]\n---\nbody";
        let (fm, body) = valid(text);
        assert_eq!(&text[body..], "body");
        let a = fm.get(text, "author").unwrap();
        assert!(a.is_sequence);
        assert_eq!(a.raw, "[Name or Role of Post-Mortem Lead]");
        assert_eq!(&text[a.span.clone()], "[Name or Role of Post-Mortem Lead]");
    }

    #[test]
    fn missing_when_no_opening_line() {
        assert!(matches!(
            locate("# Title\n", 0).front_matter,
            FrontMatter::Missing
        ));
        assert!(matches!(
            locate("----\n", 0).front_matter,
            FrontMatter::Missing
        ));
    }

    #[test]
    fn invalid_yaml_points_into_the_file() {
        let text = "---\ntitle: ok\nstatus: [unclosed\n---\n";
        match locate(text, 0).front_matter {
            FrontMatter::Invalid { span, message } => {
                assert!(message.contains("not valid YAML"), "{message}");
                assert!(span.start >= 4, "{span:?}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deeply_nested_flow_collections_are_invalid_not_slow() {
        let deep = format!(
            "---\ntitle: {}{}\n---\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        match locate(&deep, 0).front_matter {
            FrontMatter::Invalid { message, span } => {
                assert!(message.contains("nested more than 128"), "{message}");
                assert_eq!(span.start, 4 + 7 + 128);
            }
            other => panic!("{other:?}"),
        }
        // Brackets in quotes and comments, and nesting within the limit, are fine.
        let ok = format!(
            "---\ntitle: [\"{}\", '{}'] # {}\nreviewers: {}a{}\n---\n",
            "[".repeat(300),
            "{".repeat(300),
            "[".repeat(300),
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(matches!(locate(&ok, 0).front_matter, FrontMatter::Valid(_)));
    }

    #[test]
    fn a_control_character_error_points_at_it_and_does_not_depend_on_line_endings() {
        for nl in ["\n", "\r\n"] {
            let text = format!("---{nl}title: x{nl}bad: a\u{1}b{nl}---{nl}");
            match locate(&text, 0).front_matter {
                FrontMatter::Invalid { message, span } => {
                    assert_eq!(
                        message,
                        "front matter is not valid YAML: control characters are not allowed"
                    );
                    assert_eq!(span.start, text.find('\u{1}').unwrap(), "{nl:?}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_scalar_block_is_not_a_mapping() {
        assert!(matches!(
            locate("---\njust text\n---\n", 0).front_matter,
            FrontMatter::Invalid { .. }
        ));
    }

    #[test]
    fn unclosed_block_is_invalid() {
        assert!(matches!(
            locate("---\ntitle: x\n", 0).front_matter,
            FrontMatter::Invalid { .. }
        ));
    }

    #[test]
    fn crlf_and_bom_keep_value_spans_exact() {
        let text = "\u{feff}---\r\ntitle: Hello # note\r\nstatus: Draft\r\n---\r\n";
        let l = locate(text, 3);
        let FrontMatter::Valid(fm) = l.front_matter else {
            panic!()
        };
        let t = fm.get(text, "title").unwrap();
        assert_eq!(&text[t.span.clone()], "Hello");
        assert_eq!(&text[fm.get(text, "status").unwrap().span], "Draft");
    }

    #[test]
    fn lists_from_sequences_and_strings() {
        let v: Value = serde_yaml::from_str("[a, b]").unwrap();
        assert_eq!(value_list(RawValue::Yaml(&v)), vec!["a", "b"]);
        let v: Value = serde_yaml::from_str("\"a, b\"").unwrap();
        assert_eq!(value_list(RawValue::Yaml(&v)), vec!["a", "b"]);
        for text in [
            "---\nr: [a, b]\ns: \"a, b\"\n---\n",
            "---\nr: [a, '', 1, b ]\ns: a; b,,c\n---\n",
        ] {
            let (fm, _) = valid(text);
            assert!(matches!(fm.raw("r"), Some(RawValue::Flat(_))));
            let yaml = &text[4..text.len() - 4];
            let Value::Mapping(m) = serde_yaml::from_str::<Value>(yaml).unwrap() else {
                panic!()
            };
            for key in ["r", "s"] {
                let flat = fm.raw(key).unwrap();
                let full = RawValue::Yaml(&m[key]);
                assert_eq!(value_list(flat), value_list(full), "{key}");
                assert_eq!(flat.text(), full.text(), "{key}");
                assert_eq!(flat.is_sequence(), full.is_sequence(), "{key}");
            }
        }
    }
}
