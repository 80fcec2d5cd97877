//! A fast reader for the common front matter: flat `key: value` lines whose
//! values are plain or simply quoted scalars, or flow lists of them. It
//! gives exactly the value serde_yaml gives, or `None` whenever anything
//! lies outside that subset (anchors, tags, blocks, indented or multi-line
//! values, escapes, comments after values, tabs, duplicate keys, scalars
//! that YAML could read as anything but a string or a simple number…); the
//! caller then parses the block with serde_yaml as before. Refusing is
//! always safe, so every doubt refuses.

use serde_yaml::Number;
use std::borrow::Cow;
use std::collections::HashMap;

/// A value of the subset, as serde_yaml reads it (a string, a number or a
/// list of them), with the text of a string borrowed from the block.
#[derive(Debug, Clone, PartialEq)]
pub enum Flat<'a> {
    Str(Cow<'a, str>),
    Number(Number),
    Seq(Vec<Flat<'a>>),
}

/// A block of the subset: its keys, in order, with their values. A string
/// value is a slice of the block (a copy only for `''` in single quotes),
/// where a `serde_yaml::Mapping` needs a string for every key and value.
#[derive(Debug, Clone, Default)]
pub(crate) struct Block<'a> {
    entries: Vec<(&'a str, Flat<'a>)>,
    /// Key → index into `entries`, once a block has more than [`SCANNED`]
    /// keys: looking each key up in order would be quadratic (a front
    /// matter of 200,000 keys).
    index: Option<HashMap<&'a str, usize>>,
}

/// Blocks of up to this many keys are searched in order.
const SCANNED: usize = 16;

impl<'a> Block<'a> {
    /// The value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Flat<'a>> {
        let at = match &self.index {
            Some(index) => *index.get(key)?,
            None => self.entries.iter().position(|(k, _)| *k == key)?,
        };
        self.entries.get(at).map(|(_, v)| v)
    }

    /// Adds a key; `false` if the block has it already.
    fn insert(&mut self, key: &'a str, value: Flat<'a>) -> bool {
        if self.get(key).is_some() {
            return false;
        }
        self.entries.push((key, value));
        match &mut self.index {
            Some(index) => {
                index.insert(key, self.entries.len() - 1);
            }
            None if self.entries.len() > SCANNED => {
                let index = self
                    .entries
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| (*k, i))
                    .collect();
                self.index = Some(index);
            }
            None => {}
        }
        true
    }

    /// The block as serde_yaml's value: a mapping, or null when empty.
    #[cfg(test)]
    pub(crate) fn to_value(&self) -> serde_yaml::Value {
        use serde_yaml::Value;
        fn value(v: &Flat) -> Value {
            match v {
                Flat::Str(s) => Value::String(s.to_string()),
                Flat::Number(n) => Value::Number(n.clone()),
                Flat::Seq(items) => Value::Sequence(items.iter().map(value).collect()),
            }
        }
        if self.entries.is_empty() {
            return Value::Null;
        }
        Value::Mapping(
            self.entries
                .iter()
                .map(|(k, v)| (Value::String(k.to_string()), value(v)))
                .collect(),
        )
    }
}

/// The block's keys and values, if it is in the subset.
pub(crate) fn parse(yaml: &str) -> Option<Block<'_>> {
    if !all_allowed(yaml) {
        return None;
    }
    let mut block = Block {
        entries: Vec::with_capacity(memchr::memchr_iter(b'\n', yaml.as_bytes()).count() + 1),
        index: None,
    };
    for line in yaml.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.contains('\r') {
            return None;
        }
        if line.bytes().all(|b| b == b' ') || line.starts_with('#') {
            continue;
        }
        let colon = super::find_pair(line, b':', b' ')?;
        let key = &line[..colon];
        let first = key.bytes().next()?;
        if !(first.is_ascii_alphabetic() || first == b'_')
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return None;
        }
        let Flat::Str(Cow::Borrowed(key)) = plain(key)? else {
            return None;
        };
        let value = value(line[colon + 2..].trim_matches(' '))?;
        if !block.insert(key, value) {
            return None;
        }
    }
    // A block of comments and blank lines is YAML's null, which the
    // caller reads as an empty mapping.
    Some(block)
}

/// Whether every character of `s` is one libyaml reads as printable and
/// not as a line break, or a line feed or carriage return (checked by
/// line); tabs are left to serde_yaml. Read from the UTF-8 bytes: a
/// char-by-char decode was most of the time of reading a front matter with
/// a name like `Léa` in it.
fn all_allowed(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' | b'\r' | b' '..=b'~' => i += 1,
            0..=0x7f => return false,
            // U+0080–U+009F (C1 controls) are `C2 80`–`C2 9F`.
            0xc2 if b.get(i + 1).is_some_and(|&n| n < 0xa0) => return false,
            // U+2028 and U+2029 are `E2 80 A8` and `E2 80 A9`.
            0xe2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xa8 | 0xa9)) => {
                return false
            }
            // U+FEFF, U+FFFE and U+FFFF are `EF BB BF`, `EF BF BE` and
            // `EF BF BF`.
            0xef if matches!(
                (b.get(i + 1), b.get(i + 2)),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ) =>
            {
                return false
            }
            // Any other lead or continuation byte is part of an allowed
            // character.
            _ => i += 1,
        }
    }
    true
}

/// [`all_allowed`] for one char, as libyaml's definitions say it: the
/// tests' oracle.
#[cfg(test)]
fn allowed(c: char) -> bool {
    matches!(c, '\n' | '\r' | ' '..='~')
        || c >= '\u{a0}'
            && !matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
}

/// A value on a key's line (trimmed, not empty).
fn value(v: &str) -> Option<Flat<'_>> {
    if let Some(inner) = v.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        if inner.bytes().all(|b| b == b' ') {
            return Some(Flat::Seq(Vec::new()));
        }
        let mut items = Vec::new();
        for item in inner.split(',') {
            let item = item.trim_matches(' ');
            if item.is_empty()
                || item.starts_with('[')
                || item.contains([':', '#', '[', ']', '{', '}'])
            {
                return None;
            }
            items.push(scalar(item)?);
        }
        return Some(Flat::Seq(items));
    }
    if super::find_pair(v, b' ', b'#').is_some() || v.ends_with(':') {
        return None;
    }
    scalar(v)
}

/// A quoted or plain scalar filling all of `s`.
fn scalar(s: &str) -> Option<Flat<'_>> {
    if let Some(inner) = s.strip_prefix('"') {
        let inner = inner.strip_suffix('"')?;
        if inner.contains(['"', '\\']) {
            return None;
        }
        return Some(Flat::Str(Cow::Borrowed(inner)));
    }
    if let Some(inner) = s.strip_prefix('\'') {
        let inner = inner.strip_suffix('\'')?;
        if !inner.contains('\'') {
            return Some(Flat::Str(Cow::Borrowed(inner)));
        }
        // Inside, a quote is written twice.
        if inner.replace("''", "").contains('\'') {
            return None;
        }
        return Some(Flat::Str(Cow::Owned(inner.replace("''", "'"))));
    }
    if super::find_pair(s, b':', b' ').is_some() {
        return None;
    }
    plain(s)
}

/// Words YAML 1.1 or 1.2 reads as null, booleans or special floats (any
/// case): left to serde_yaml.
const SPECIAL: &[&str] = &[
    "null", "true", "false", "y", "n", "yes", "no", "on", "off", "inf", "infinity", "nan",
];

/// A plain scalar: a string, or a simple decimal number.
fn plain(s: &str) -> Option<Flat<'_>> {
    let b = s.as_bytes();
    let first = *b.first()?;
    if first.is_ascii_digit() {
        return number_or_text(s);
    }
    // Indicators (`-`, `?`, `&`, `*`, `!`, `|`, `>`, `%`, `@`, `` ` ``,
    // `~`, …) and signs or dots that may start a number are left alone.
    if !(first.is_ascii_alphabetic() || matches!(first, b'_' | b'(' | b'/' | b'$') || first >= 0x80)
    {
        return None;
    }
    if s.len() <= 8 && SPECIAL.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return None;
    }
    Some(Flat::Str(Cow::Borrowed(s)))
}

/// A plain scalar starting with a digit: `0`, an integer without a leading
/// zero, a decimal fraction, or text that cannot be a number.
fn number_or_text(s: &str) -> Option<Flat<'_>> {
    let b = s.as_bytes();
    let digits = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
    let int_part = |x: &[u8]| x == b"0" || digits(x) && x[0] != b'0';
    if int_part(b) && b.len() <= 18 {
        return Some(Flat::Number(s.parse::<u64>().ok()?.into()));
    }
    if let Some(dot) = s.find('.') {
        let (i, f) = (&b[..dot], &b[dot + 1..]);
        if int_part(i) && i.len() <= 15 && digits(f) && f.len() <= 15 {
            return Some(Flat::Number(s.parse::<f64>().ok()?.into()));
        }
    }
    // Numbers hold only digits, letters, `.`, `_` and signs, a sign only
    // first or after an exponent's `e`, and no letter but hexadecimal
    // digits and the `x`/`o` of a base prefix: anything else is text.
    let letter = b.iter().any(|c| {
        c.is_ascii_alphabetic() && !c.is_ascii_hexdigit() && !matches!(c, b'x' | b'X' | b'o' | b'O')
    });
    let other = b
        .iter()
        .any(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'+' | b'-')));
    let inner_sign = b
        .iter()
        .enumerate()
        .skip(1)
        .any(|(i, c)| matches!(c, b'+' | b'-') && !matches!(b[i - 1], b'e' | b'E'));
    (letter || other || inner_sign).then_some(Flat::Str(Cow::Borrowed(s)))
}

#[cfg(test)]
mod tests {
    use super::{all_allowed, allowed, parse};

    #[test]
    fn the_byte_check_agrees_with_the_char_check_on_every_char() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            assert_eq!(all_allowed(&s), allowed(c), "{:?}", c);
        }
    }
    use crate::document::frontmatter::parse_bounded;

    /// Values and keys chosen to sit on every edge of the subset: numbers
    /// in every YAML spelling, the words YAML 1.1 and 1.2 read as null or
    /// booleans, indicators, quotes, comments, flow lists, non-ASCII text
    /// and characters libyaml refuses.
    const VALUES: &[&str] = &[
        "Draft",
        "Resolved",
        "SEV-2",
        "SEV2",
        "sev 1",
        "Post-Mortem: x",
        "\"Post-Mortem: x\"",
        "'it''s'",
        "'it's'",
        "\"a \\\" b\"",
        "\"a\\nb\"",
        "\"\"",
        "''",
        "\"a # b\"",
        "a # b",
        "a#b",
        "a:b",
        "a:",
        "a: b",
        "0",
        "00",
        "007",
        "1",
        "12",
        "-1",
        "+1",
        "1.5",
        "1.30",
        "0.5",
        ".5",
        "1.",
        "1e5",
        "1E5",
        "1e-5",
        "1.5e3",
        "0x1F",
        "0o17",
        "0b101",
        "1_000",
        "123456789012345678",
        "1234567890123456789",
        "12345678901234567890123",
        "1.2.3",
        "2024-01-15",
        "2024-01-15 10:00 UTC",
        "2024-01-15T10:00:00Z",
        "2024-13-45",
        "10:00",
        "1:30",
        "190:20:30",
        "2h30m",
        "2h",
        "45 minutes",
        "1 hour 5 minutes",
        "1st",
        "1d",
        "1e",
        "1x",
        "0x",
        "0xZZ",
        "1-2",
        "1+2",
        "1e+5",
        "inf",
        "Inf",
        ".inf",
        "-.inf",
        "nan",
        ".NaN",
        "infinity",
        "null",
        "Null",
        "NULL",
        "~",
        "true",
        "True",
        "TRUE",
        "false",
        "yes",
        "Yes",
        "no",
        "NO",
        "y",
        "n",
        "on",
        "Off",
        "nothing",
        "trueish",
        "nullable",
        "[]",
        "[ ]",
        "[a]",
        "[a, b]",
        "[a,b]",
        "[ a , b ]",
        "[a,]",
        "[,a]",
        "[1, 2]",
        "[true]",
        "[null]",
        "[a b, c d]",
        "['x', \"y\"]",
        "[\"a, b\"]",
        "[[a]]",
        "[a] # c",
        "[a]]",
        "[{a: b}]",
        "[a: b]",
        "[a#b]",
        "[a\"b]",
        "[List of key reviewers/stakeholders]",
        "[Name or Role of Post-Mortem Lead]",
        "{a: b}",
        "&anchor x",
        "*alias",
        "!tag x",
        "!!str 12",
        "|",
        ">",
        "- a",
        "-",
        "? x",
        "%x",
        "@x",
        "`x`",
        "(x)",
        "/path",
        "$HOME",
        "_x",
        "Ünïcödé",
        "é",
        "日本語",
        "a\u{a0}",
        "\u{a0}a",
        "a\u{85}b",
        "a\u{2028}b",
        "a\u{feff}b",
        "x\u{7f}",
        "a\tb",
        "café 10:00",
        "x  y",
        "x ",
        "\"x\" ",
        "'x'x",
        "\"x\"x",
        "a'b",
        "a\"b",
        "<<",
        "=",
        "...",
        "---",
        "a,b",
        "a]b",
        "a{b",
        "a}b",
    ];

    const KEYS: &[&str] = &[
        "title",
        "status",
        "incident_start_time",
        "incident-id",
        "_k",
        "k2",
        "y",
        "on",
        "null",
        "true",
        "Title",
        "1",
        "01",
        "-k",
        "? k",
        "k k",
        "\"k\"",
        "<<",
        "é",
    ];

    fn check(yaml: &str) -> bool {
        match parse(yaml).map(|block| block.to_value()) {
            Some(fast) => {
                let full = parse_bounded(yaml);
                assert!(
                    matches!(&full, Ok(v) if *v == fast),
                    "{yaml:?}: fast {fast:?}, serde_yaml {full:?}"
                );
                true
            }
            None => false,
        }
    }

    #[test]
    fn every_value_and_key_reads_as_serde_yaml_reads_it() {
        let mut accepted = 0;
        for v in VALUES {
            for k in KEYS {
                for sep in [": ", ":  ", ":"] {
                    accepted += usize::from(check(&format!("{k}{sep}{v}\n")));
                    accepted += usize::from(check(&format!("{k}{sep}{v}")));
                    accepted += usize::from(check(&format!("{k}{sep}{v}\r\n")));
                }
            }
        }
        assert!(accepted > 2000, "the fast path took only {accepted} blocks");
    }

    #[test]
    fn whole_blocks_read_as_serde_yaml_reads_them() {
        // Small deterministic generator: lines drawn from the lists above
        // and from block-level shapes (comments, blank and indented lines,
        // duplicates, list items, document markers).
        const LINES: &[&str] = &[
            "# comment",
            "#",
            "",
            " ",
            "  indented: x",
            " - item",
            "- item",
            "key:",
            "key: ",
            "title: T",
            "title: U",
            "---",
            "...",
            "--- x",
            "%YAML 1.2",
            "a: b\rc: d",
            "  continued",
            "\t",
            "k: v # c",
            "k: 'multi",
            "  line'",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut accepted = 0;
        for _ in 0..20_000 {
            let mut yaml = String::new();
            for _ in 0..next(8) {
                if next(4) == 0 {
                    yaml.push_str(LINES[next(LINES.len())]);
                } else {
                    yaml.push_str(KEYS[next(KEYS.len())]);
                    yaml.push_str(": ");
                    yaml.push_str(VALUES[next(VALUES.len())]);
                }
                yaml.push_str(if next(10) == 0 { "\r\n" } else { "\n" });
            }
            accepted += usize::from(check(&yaml));
        }
        assert!(accepted > 1000, "the fast path took only {accepted} blocks");
    }

    #[test]
    fn the_generated_corpus_front_matter_takes_the_fast_path() {
        let yaml = "title: \"Post-Mortem: Checkout outage\"\nstatus: Final\ndate: 2025-03-02\n\
                    incident_start_time: 2025-02-27 14:05 UTC\nincident_end_time: 2025-02-27 15:40 UTC\n\
                    incident_duration: 1h35m\nauthor: Dana Ito\nreviewers: [Ana Ruiz, Bo Chen]\n\
                    version: 1.2\nincident_id: INC-2041\nseverity: SEV-2\nservices: [checkout, payments]\n";
        assert!(check(yaml));
        assert!(check(
            "reviewers: [List of key reviewers/stakeholders]\nreviewers2: Ana, Bo\n"
        ));
    }
}
