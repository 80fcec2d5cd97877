//! The hidden marker at the end of every issue pmlint writes:
//!
//! ```text
//! <!-- pmlint:item key="INC-2025-07-18-001/PM-AI-001" hash="3f0a9c1e22b7d804" v="1" -->
//! ```
//!
//! plus `refused="LOGIN"` once GitHub refused to assign the owner. The key
//! says which action item the issue tracks. The hash records the values
//! pmlint last wrote, so that a later run can tell which side changed a
//! field: it packs one short fingerprint per field into 64 bits (title 16
//! bits, body 20, assignees 12, labels 12, state 4). A fingerprint is
//! FNV-1a over the field's canonical text, folded to its width — stable
//! across releases and platforms, unlike `std`'s hasher. Each field's
//! width makes an undetected change of that field a 1-in-65,536 (title) to
//! 1-in-4,096 (assignees, labels) event; state is stored exactly.

use super::key::{self, IssueKey};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

pub const VERSION: u32 = 1;

/// What pmlint last wrote, field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldHashes {
    pub title: u16,
    /// 20 bits.
    pub body: u32,
    /// 12 bits.
    pub assignees: u16,
    /// 12 bits.
    pub labels: u16,
    /// 4 bits: a [`StateCode`].
    pub state: u8,
}

impl FieldHashes {
    pub fn to_u64(self) -> u64 {
        (u64::from(self.title) << 48)
            | (u64::from(self.body & 0xF_FFFF) << 28)
            | (u64::from(self.assignees & 0xFFF) << 16)
            | (u64::from(self.labels & 0xFFF) << 4)
            | u64::from(self.state & 0xF)
    }

    pub fn from_u64(v: u64) -> FieldHashes {
        FieldHashes {
            title: (v >> 48) as u16,
            body: ((v >> 28) & 0xF_FFFF) as u32,
            assignees: ((v >> 16) & 0xFFF) as u16,
            labels: ((v >> 4) & 0xFFF) as u16,
            state: (v & 0xF) as u8,
        }
    }

    pub fn to_hex(self) -> String {
        format!("{:016x}", self.to_u64())
    }

    pub fn from_hex(s: &str) -> Option<FieldHashes> {
        if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u64::from_str_radix(s, 16).ok().map(FieldHashes::from_u64)
    }
}

/// FNV-1a, 64 bits.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The fingerprint of one field's canonical text, `bits` wide. The field's
/// name is hashed first, so equal texts of different fields differ.
pub fn fingerprint(field: &str, text: &str, bits: u32) -> u64 {
    let mut input = Vec::with_capacity(field.len() + 1 + text.len());
    input.extend_from_slice(field.as_bytes());
    input.push(0);
    input.extend_from_slice(text.as_bytes());
    let h = fnv1a(&input);
    // Fold the high half in: FNV's low bits alone mix less well.
    let folded = h ^ (h >> 32) ^ (h >> 48);
    folded & ((1u64 << bits) - 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub key: IssueKey,
    /// `None` when the marker has no readable hash (written by hand, or by
    /// a future version): every field then counts as unknown.
    pub hashes: Option<FieldHashes>,
    /// Logins GitHub refused as assignees; not retried while the owner
    /// stays the same.
    pub refused: Vec<String>,
}

impl Marker {
    pub fn render(&self) -> String {
        let mut s = format!("<!-- pmlint:item key=\"{}\"", self.key.encode());
        if let Some(h) = self.hashes {
            s.push_str(&format!(" hash=\"{}\"", h.to_hex()));
        }
        s.push_str(&format!(" v=\"{VERSION}\""));
        if !self.refused.is_empty() {
            s.push_str(&format!(
                " refused=\"{}\"",
                key::encode(&self.refused.join(","))
            ));
        }
        s.push_str(" -->");
        s
    }
}

/// `<!-- pmlint:item … -->`, tolerant of case, spacing and attribute order.
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<!--[ \t\r\n]*pmlint:item\b(.*?)-->").expect("static regex")
});
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)([a-z][a-z0-9_-]*)[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')"#)
        .expect("static regex")
});

/// The last marker in an issue body (pmlint writes its marker at the end,
/// so a marker pasted above it by hand does not replace it), with its byte
/// range. A marker without a key is not a marker.
pub fn find(body: &str) -> Option<(Marker, Range<usize>)> {
    let mut found = None;
    for m in MARKER.captures_iter(body) {
        let (Some(whole), Some(attrs)) = (m.get(0), m.get(1)) else {
            continue;
        };
        let mut key = None;
        let mut hash = None;
        let mut version = None;
        let mut refused = Vec::new();
        for a in ATTR.captures_iter(attrs.as_str()) {
            let name = a.get(1).map_or("", |g| g.as_str()).to_ascii_lowercase();
            let value = a.get(2).or_else(|| a.get(3)).map_or("", |g| g.as_str());
            match name.as_str() {
                "key" => key = Some(key::decode(value.trim())),
                "hash" => hash = Some(value.trim().to_ascii_lowercase()),
                "v" => version = value.trim().parse::<u32>().ok(),
                "refused" => {
                    refused = key::decode(value)
                        .split(',')
                        .map(|s| s.trim().trim_start_matches('@').to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                }
                _ => {}
            }
        }
        let Some(key) = key.filter(|k| !k.is_empty()) else {
            continue;
        };
        // A hash is only meaningful in the version that wrote it.
        let hashes = match version {
            Some(VERSION) => hash.as_deref().and_then(FieldHashes::from_hex),
            _ => None,
        };
        found = Some((
            Marker {
                key: IssueKey::from_decoded(key),
                hashes,
                refused,
            },
            whole.range(),
        ));
    }
    found
}

/// The body without any pmlint marker.
pub fn strip(body: &str) -> String {
    MARKER.replace_all(body, "").into_owned()
}

/// `body` with its marker replaced by `marker` (or the marker appended).
pub fn replace(body: &str, marker: &Marker) -> String {
    let rendered = marker.render();
    match find(body) {
        Some((_, range)) => {
            let mut out = String::with_capacity(body.len() + 16);
            out.push_str(&body[..range.start]);
            out.push_str(&rendered);
            out.push_str(&body[range.end..]);
            out
        }
        None => {
            let trimmed = body.trim_end();
            if trimmed.is_empty() {
                rendered
            } else {
                format!("{trimmed}\n\n{rendered}\n")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(key: &str) -> Marker {
        Marker {
            key: IssueKey::from_decoded(key.into()),
            hashes: Some(FieldHashes {
                title: 0xabcd,
                body: 0xF_1234,
                assignees: 0xABC,
                labels: 0x123,
                state: 2,
            }),
            refused: Vec::new(),
        }
    }

    #[test]
    fn markers_render_as_specified() {
        let m = marker("INC-2025-07-18-001/PM-AI-001");
        assert_eq!(
            m.render(),
            "<!-- pmlint:item key=\"INC-2025-07-18-001/PM-AI-001\" hash=\"abcdf1234abc1232\" v=\"1\" -->"
        );
        let refused = Marker {
            refused: vec!["alice".into()],
            ..m
        };
        assert!(refused.render().ends_with(" v=\"1\" refused=\"alice\" -->"));
    }

    #[test]
    fn hashes_pack_and_unpack_every_field() {
        let h = marker("k/1").hashes.unwrap();
        assert_eq!(FieldHashes::from_u64(h.to_u64()), h);
        assert_eq!(FieldHashes::from_hex(&h.to_hex()), Some(h));
        assert_eq!(FieldHashes::from_hex("xyz"), None);
        assert_eq!(FieldHashes::from_hex("0123456789abcdeg"), None);
    }

    #[test]
    fn fnv1a_matches_its_published_values() {
        assert_eq!(fnv1a(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn fingerprints_fit_their_width_and_depend_on_the_field() {
        for bits in [4, 12, 16, 20] {
            assert!(fingerprint("title", "x", bits) < 1 << bits);
        }
        assert_ne!(
            fingerprint("title", "same", 16),
            fingerprint("labels", "same", 16)
        );
    }

    #[test]
    fn markers_parse_back_with_their_key_hash_and_refusal() {
        for key in ["INC-1/PM-AI-001", "a\"b<c>d--e%f/ID-1", "docs/pm.md/X-2"] {
            let mut m = marker(key);
            m.refused = vec!["bob".into()];
            let body = format!("Some text\n\n{}\n", m.render());
            let (back, range) = find(&body).expect("marker");
            assert_eq!(back, m);
            assert_eq!(&body[range], m.render());
        }
    }

    #[test]
    fn hand_edited_markers_still_parse() {
        let body = "x\n<!--pmlint:item   v='1'  KEY = \"INC-1/PM-AI-001\"\n hash=\"ABCDF1234ABC1232\"-->\n";
        let (m, _) = find(body).expect("marker");
        assert_eq!(m.key.as_str(), "INC-1/PM-AI-001");
        assert_eq!(m.hashes, marker("k").hashes);
    }

    #[test]
    fn a_marker_without_a_valid_hash_or_version_has_no_hashes() {
        let (m, _) = find("<!-- pmlint:item key=\"K/1\" hash=\"nothex\" v=\"1\" -->").unwrap();
        assert_eq!(m.hashes, None);
        let (m, _) =
            find("<!-- pmlint:item key=\"K/1\" hash=\"abcdf1234abc1232\" v=\"2\" -->").unwrap();
        assert_eq!(m.hashes, None);
        let (m, _) = find("<!-- pmlint:item key=\"K/1\" -->").unwrap();
        assert_eq!(m.key.as_str(), "K/1");
        assert!(find("<!-- pmlint:item hash=\"abcdf1234abc1232\" -->").is_none());
        assert!(find("<!-- pmlint:item key=\"\" -->").is_none());
        assert!(find("<!-- something else key=\"K/1\" -->").is_none());
    }

    #[test]
    fn the_last_marker_wins_and_replace_keeps_everything_else() {
        let body = format!(
            "pasted {}\n\ntext\n\n{}\n",
            marker("OTHER/1").render(),
            marker("MINE/1").render()
        );
        assert_eq!(find(&body).unwrap().0.key.as_str(), "MINE/1");
        let new = Marker {
            hashes: None,
            ..marker("MINE/1")
        };
        let replaced = replace(&body, &new);
        assert!(replaced.starts_with("pasted <!-- pmlint:item key=\"OTHER/1\""));
        assert!(replaced.ends_with(&format!("{}\n", new.render())));
        assert_eq!(
            replace("hello\n\n", &new),
            format!("hello\n\n{}\n", new.render())
        );
        assert_eq!(strip(&body), "pasted \n\ntext\n\n\n");
    }
}
