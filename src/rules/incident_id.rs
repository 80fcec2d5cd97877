use super::placeholders::is_placeholder_value;
use super::prelude::*;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it does
    /// Looks for the incident ID in the front matter's `incident_id`, then in
    /// the "Incident ID" sub-section (1.2: the first token of its first
    /// line), then in an `Incident ID: …` phrase in the body. Reports when
    /// there is none (a placeholder does not count) and, when
    /// `incident_id_pattern` is configured, every ID that does not match it.
    /// A missing ID points at the 1.2 heading when there is one, else at the
    /// opening `---` line, else at the first line of the body.
    ///
    /// ## Why is this bad?
    /// The ID links the review to the incident ticket, and it is the key the
    /// issue sync uses for the action items; without it the file path is used
    /// and renaming the file duplicates every issue.
    ///
    /// ## Example
    /// ```markdown
    /// ### 1.2 Incident ID
    ///
    /// [Unique identifier for the incident, e.g., from your incident management system.]
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ### 1.2 Incident ID
    ///
    /// INC-2025-07-18-001
    /// ```
    RULE {
        id: "incident-id",
        default: Warning,
        summary: "the incident ID is missing or does not match `incident_id_pattern`",
        draft_relaxed: true,
        options: [],
        check: Some(check),
    }
}

/// `Incident ID: INC-123` in prose: the token must contain a digit.
static PROSE_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bincident[ \t]+id\b[ \t]*[:#-]?[ \t*_`]*([A-Za-z0-9][A-Za-z0-9_./#-]*[0-9][A-Za-z0-9_./#-]*)")
        .expect("static regex")
});

/// A link at the start of `s`, `[INC-1](https://…)`: its text, which
/// starts at offset 1. (By hand: the regex `^\[([^\]]+)\]\([^)]*\)`, with
/// its Unicode classes, took a fifth of a one-file run to compile.)
fn leading_link(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('[')?;
    let close = rest.find(']').filter(|&c| c > 0)?;
    rest[close + 1..].strip_prefix('(')?.find(')')?;
    Some(&rest[..close])
}

/// The length of an ordered-list marker at the start of `s`: `1. `,
/// `2) ` (up to nine digits, then blanks).
fn ordered_marker(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=9).contains(&digits) || !matches!(b.get(digits), Some(b'.' | b')')) {
        return None;
    }
    let blanks = b[digits + 1..]
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t'))
        .count();
    (blanks > 0).then_some(digits + 1 + blanks)
}

/// An incident ID found in the document, borrowed from it where it can be.
struct Found<'d> {
    id: Cow<'d, str>,
    span: Span,
}

/// The front matter's `incident_id`, unless it is empty or a placeholder.
fn front_matter_id<'d>(doc: &'d Document<'_>) -> Option<Found<'d>> {
    let v = doc.fm_value("incident_id")?;
    let text = v.text.trim();
    let raw = if v.raw.is_empty() { text } else { v.raw };
    if text.is_empty() || is_placeholder_value(raw) || raw.starts_with('[') {
        return None;
    }
    let id = match v.text {
        Cow::Borrowed(t) => Cow::Borrowed(t.trim()),
        Cow::Owned(ref t) => Cow::Owned(t.trim().to_string()),
    };
    Some(Found { id, span: v.span })
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let from_front_matter = front_matter_id(doc);
    let section = doc.subsection(&["incident id", "incident identifier", "incident number"]);
    let from_section = section
        .as_ref()
        .and_then(|(_, span)| first_token(doc.text, span));
    let from_prose = if from_front_matter.is_none() && from_section.is_none() {
        in_prose(doc)
    } else {
        None
    };
    let mut ids = from_front_matter
        .into_iter()
        .chain(from_section)
        .chain(from_prose)
        .peekable();
    if ids.peek().is_none() {
        let span = match (&section, doc.fm()) {
            (Some((h, _)), _) => h.span.clone(),
            (None, Some(fm)) => fm.open_span.clone(),
            (None, None) => doc.body_first_line(),
        };
        out.push(
            Diagnostic::new(
                RULE.id,
                span,
                "No incident ID in the front matter or section 1.2",
            )
            .with_suggestion(
                "add `incident_id: INC-2025-07-18-001` to the front matter, or write the ID \
                     on the first line of the \"Incident ID\" sub-section",
            ),
        );
        return;
    }
    let Some(pattern) = &ctx.settings.incident_id_pattern else {
        return;
    };
    for f in ids {
        if !pattern.is_match(&f.id) {
            out.push(
                Diagnostic::new(
                    RULE.id,
                    f.span,
                    format!(
                        "Incident ID `{}` does not match `incident_id_pattern` `{}`",
                        f.id,
                        pattern.as_str()
                    ),
                )
                .with_suggestion(format!(
                    "write the ID as your incident system issues it (pattern `{}`)",
                    pattern.as_str()
                )),
            );
        }
    }
}

/// The incident ID as declared: the front matter's `incident_id`, else the
/// first token of section 1.2 (not a phrase in the prose). `pmlint sync`
/// keys issues by it.
pub(crate) fn declared(doc: &Document<'_>) -> Option<String> {
    if let Some(f) = front_matter_id(doc) {
        return Some(f.id.into_owned());
    }
    let (_, span) = doc.subsection(&["incident id", "incident identifier", "incident number"])?;
    first_token(doc.text, &span).map(|f| f.id.into_owned())
}

/// The first token of the first line of text in a sub-section body.
fn first_token<'d>(text: &'d str, span: &Span) -> Option<Found<'d>> {
    let body = text.get(span.clone())?;
    let mut offset = span.start;
    for line in body.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("<!--") {
            continue;
        }
        // List markers and emphasis before the ID.
        let lead = line.len()
            - line
                .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '+' | '>'))
                .trim_start_matches("* ")
                .trim_start_matches(['*', '_', '`', ' ', '\t'])
                .len();
        let mut rest = line.get(lead..)?;
        let mut lead = lead;
        if let Some(end) = ordered_marker(rest) {
            lead += end;
            rest = &rest[end..];
        }
        let (token, token_off) = match leading_link(rest) {
            Some(text) => (text, 1),
            None => {
                let mut tokens = rest.split_whitespace();
                let mut token = tokens.next()?;
                // "ID: INC-1" — a label is not the ID.
                if token.ends_with(':') && !token.chars().any(|c| c.is_ascii_digit()) {
                    token = tokens.next().unwrap_or("");
                }
                let off = rest.find(token).unwrap_or(0);
                (token, off)
            }
        };
        let id = token
            .trim_matches(|c: char| matches!(c, '*' | '_' | '`'))
            .trim_end_matches(['.', ',', ';', ':']);
        if id.is_empty() || id.starts_with('[') || is_placeholder_value(trimmed) {
            return None;
        }
        let inner = token.find(id).unwrap_or(0);
        let start = line_start + lead + token_off + inner;
        return Some(Found {
            id: Cow::Borrowed(id),
            span: start..start + id.len(),
        });
    }
    None
}

/// `Incident ID: INC-…` anywhere in the body's prose.
fn in_prose<'d>(doc: &Document<'d>) -> Option<Found<'d>> {
    let body = doc.text.get(doc.body_start..)?;
    let c = PROSE_ID.captures(body)?;
    let m = c.get(1)?;
    let id = m.as_str().trim_end_matches(['.', ',']);
    let start = doc.body_start + m.start();
    Some(Found {
        id: Cow::Borrowed(id),
        span: start..start + id.len(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn link_and_list_marker_by_hand_are_the_regexes() {
        let link = regex::Regex::new(r"^\[([^\]]+)\]\([^)]*\)").unwrap();
        let ordered = regex::Regex::new(r"^[0-9]{1,9}[.)][ \t]+").unwrap();
        let cases = [
            "[INC-1](https://x/1) rest",
            "[INC-1](https://x/1",
            "[](x)",
            "[a]b(x)",
            "[a](x\n)",
            "[a\nb](x)",
            "[a]](x)",
            "[é ✓](ü) ",
            "no link",
            "",
            "1. INC-1",
            "12) INC",
            "123456789. x",
            "1234567890. x",
            "1.INC",
            "1.\t \tx",
            ". x",
            "1x. y",
            "٣. x",
        ];
        for c in cases {
            assert_eq!(
                super::leading_link(c),
                link.captures(c).map(|m| m.get(1).unwrap().as_str()),
                "{c:?}"
            );
            assert_eq!(
                super::ordered_marker(c),
                ordered.find(c).map(|m| m.end()),
                "{c:?}"
            );
        }
    }

    use super::*;
    use crate::config::{Config, Settings};
    use crate::rules::test_util::{flagged, lines, run, run_with};

    const TEMPLATE_12: &str = "---\ntitle: t\n---\n# T\n\n## 1. Incident Summary\n\n### 1.2 Incident ID\n\n[Unique identifier for the incident, e.g., from your incident management system.]\n\n### 1.3 Date\n\nINC-9 is not here\n";

    fn with_pattern() -> Settings {
        let c = Config {
            incident_id_pattern: Some(r"^INC-\d{4}-\d{2}-\d{2}-\d{3}$".into()),
            ..Config::default()
        };
        Settings::resolve(c, None).unwrap()
    }

    #[test]
    fn placeholder_in_1_2_is_missing_and_points_at_the_heading() {
        let d = run(&RULE, TEMPLATE_12);
        assert_eq!(flagged(TEMPLATE_12, &d), vec!["### 1.2 Incident ID"]);
    }

    #[test]
    fn id_on_the_first_line_of_1_2_is_found() {
        for line in [
            "INC-2025-07-18-001",
            "**INC-2025-07-18-001**",
            "- `INC-2025-07-18-001` (PagerDuty)",
            "[INC-2025-07-18-001](https://x.y/1)",
        ] {
            let text = TEMPLATE_12.replace(
                "[Unique identifier for the incident, e.g., from your incident management system.]",
                line,
            );
            let d = run_with(&RULE, &text, &with_pattern());
            assert!(d.is_empty(), "{line}: {d:?}");
        }
    }

    #[test]
    fn front_matter_incident_id_counts() {
        let text = "---\nincident_id: INC-2025-07-18-001\n---\n# T\n";
        assert!(run_with(&RULE, text, &with_pattern()).is_empty());
    }

    #[test]
    fn missing_everywhere_points_at_the_opening_line() {
        let text = "---\ntitle: t\nincident_id: [Incident ID]\n---\n# T\n\nNo id here.\n";
        let d = run(&RULE, text);
        assert_eq!(lines(text, &d), vec![1]);
        let bare = "# T\n\nNothing.\n";
        assert_eq!(lines(bare, &run(&RULE, bare)), vec![1]);
    }

    #[test]
    fn incident_id_phrase_in_the_intro_counts() {
        let text = "---\ntitle: t\n---\n# T\n\nThis reviews Incident ID: INC-2025-07-18-001, which occurred.\n";
        assert!(run_with(&RULE, text, &with_pattern()).is_empty());
        let template = "---\ntitle: t\n---\nAnalysis of Incident ID: [Incident ID, e.g., INC-2025-07-18-001].\n";
        assert_eq!(run(&RULE, template).len(), 1);
    }

    #[test]
    fn ids_not_matching_the_configured_pattern_are_reported() {
        let text = "---\nincident_id: INC-42\n---\n# T\n";
        let d = run_with(&RULE, text, &with_pattern());
        assert_eq!(flagged(text, &d), vec!["INC-42"]);
        // Without a pattern any ID is fine.
        assert!(run(&RULE, text).is_empty());
    }
}
