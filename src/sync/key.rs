//! The identity of an action item across runs: `INCIDENT/ITEM`.
//!
//! INCIDENT is the front matter's `incident_id`, else the first token of
//! section 1.2, else the file's path relative to the repository root; ITEM
//! is the action item's ID. The key is what the issue's marker carries, so
//! it must survive being written into an HTML comment: `"`, `%`, `<`, `>`,
//! runs of two or more `-` (which could close the comment) and control
//! characters are percent-encoded there.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IssueKey(String);

impl IssueKey {
    pub fn new(incident: &str, item: &str) -> IssueKey {
        IssueKey(format!("{incident}/{item}"))
    }

    /// A key as read back from a marker (already decoded).
    pub fn from_decoded(s: String) -> IssueKey {
        IssueKey(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The INCIDENT part (an incident may itself contain `/` when it is a
    /// file path; item IDs never do).
    pub fn incident(&self) -> &str {
        self.0.rsplit_once('/').map_or("", |(i, _)| i)
    }

    /// The form written inside the marker's `key="…"`.
    pub fn encode(&self) -> String {
        encode(&self.0)
    }
}

impl fmt::Display for IssueKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Percent-encodes `"`, `%`, `<`, `>`, control characters and every `-` of
/// a run of two or more.
pub fn encode(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let in_dash_run =
            c == '-' && (chars.get(i + 1) == Some(&'-') || i > 0 && chars.get(i - 1) == Some(&'-'));
        if matches!(c, '"' | '%' | '<' | '>') || c.is_control() || in_dash_run {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes `%XX` sequences; anything that is not a valid sequence (or
/// decodes to invalid UTF-8) is kept as written, so a hand-edited marker
/// never fails to parse.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_join_incident_and_item() {
        let k = IssueKey::new("INC-2025-07-18-001", "PM-AI-001");
        assert_eq!(k.as_str(), "INC-2025-07-18-001/PM-AI-001");
        assert_eq!(k.incident(), "INC-2025-07-18-001");
        let path = IssueKey::new("postmortems/2025/auth.md", "PM-AI-2");
        assert_eq!(path.incident(), "postmortems/2025/auth.md");
    }

    #[test]
    fn marker_unsafe_characters_are_percent_encoded() {
        assert_eq!(
            encode("INC-2025-07-18-001/PM-AI-001"),
            "INC-2025-07-18-001/PM-AI-001"
        );
        assert_eq!(encode(r#"a"b%c<d>e"#), "a%22b%25c%3Cd%3Ee");
        assert_eq!(encode("x--y---z-w"), "x%2D%2Dy%2D%2D%2Dz-w");
        assert_eq!(encode("a\nb"), "a%0Ab");
        // No encoded key can close the comment or end the attribute.
        for raw in ["-->", "--!>", "\"", "a-->b", "<!--"] {
            let e = encode(raw);
            assert!(
                !e.contains("--") && !e.contains('"') && !e.contains('>'),
                "{e}"
            );
        }
    }

    #[test]
    fn decoding_reverses_encoding_and_tolerates_stray_percent_signs() {
        for raw in [
            "INC-1/PM-AI-001",
            r#"we"ird%<key>--x/é-1"#,
            "a\tb/ID-1",
            "---/-",
        ] {
            assert_eq!(decode(&encode(raw)), raw);
        }
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%C3%A9"), "é");
        // Bytes that are not UTF-8 leave the text as written.
        assert_eq!(decode("%FF"), "%FF");
    }
}
