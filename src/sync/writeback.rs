//! `--write-back`: each synced item's ID becomes a link to its issue,
//! `[PM-AI-001](https://github.com/o/r/issues/42)`. Only the bytes of the
//! ID change; markup around it (`**…**`, a code span) stays, line endings
//! and a BOM stay, and a cell that already links the right issue is left
//! as it is.

use super::documents::IdAnchor;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\(([^()\s]*)\)").expect("static regex"));

/// One replacement: bytes `range` of the text become `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    range: Range<usize>,
    with: String,
}

/// The edit that links `anchor`'s ID to `url`, if one is needed.
fn edit_for(text: &str, anchor: &IdAnchor, url: &str) -> Option<Edit> {
    let span = anchor.span.clone();
    let region = text.get(span.clone())?;
    let id = anchor.id.as_str();
    if anchor.list {
        // The ID text itself; a link around it reads `[ID](url)`.
        let before = text.get(..span.start)?;
        let after = text.get(span.end..)?;
        if before.ends_with('[') {
            if let Some(rest) = after.strip_prefix("](") {
                let end = rest.find(')')?;
                let current = &rest[..end];
                let start = span.end + 2;
                return (current != url).then(|| Edit {
                    range: start..start + end,
                    with: url.to_string(),
                });
            }
        }
        if region != id {
            return None;
        }
        return Some(Edit {
            range: span,
            with: format!("[{id}]({url})"),
        });
    }
    // A table cell: an existing link on the ID gets the new target.
    for c in LINK.captures_iter(region) {
        let shown = c[1].trim_matches(|ch: char| matches!(ch, '*' | '_' | '`' | ' '));
        if shown == id {
            let target = c.get(2)?;
            if target.as_str() == url {
                return None;
            }
            return Some(Edit {
                range: span.start + target.start()..span.start + target.end(),
                with: url.to_string(),
            });
        }
    }
    // A code span is linked whole: [`PM-AI-001`](url).
    let code = format!("`{id}`");
    if let Some(i) = region.find(&code) {
        return Some(Edit {
            range: span.start + i..span.start + i + code.len(),
            with: format!("[{code}]({url})"),
        });
    }
    let i = region.find(id)?;
    Some(Edit {
        range: span.start + i..span.start + i + id.len(),
        with: format!("[{id}]({url})"),
    })
}

/// The text with every anchor's ID linked to its URL; `None` when nothing
/// changes.
pub fn link_ids(text: &str, links: &[(&IdAnchor, &str)]) -> Option<String> {
    let mut edits: Vec<Edit> = links
        .iter()
        .filter_map(|(a, url)| edit_for(text, a, url))
        .collect();
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| e.range.start);
    // Overlapping edits cannot come from distinct items; keep the first.
    edits.dedup_by(|b, a| b.range.start < a.range.end);
    let mut out = String::with_capacity(text.len() + edits.len() * 48);
    let mut at = 0;
    for e in &edits {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.with);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::documents::{items_of, ItemRules};
    use super::*;
    use crate::config::Settings;

    fn anchors(text: &str) -> Vec<IdAnchor> {
        let rules = ItemRules {
            labels: vec!["postmortem".into()],
            assign_owners: true,
            close_done: true,
            include_drafts: false,
            repo: "acme/ops".into(),
        };
        items_of(text, "pm.md", "pm.md", &Settings::defaults(), &rules).anchors
    }

    fn link_all(text: &str, url: impl Fn(usize) -> String) -> Option<String> {
        let a = anchors(text);
        let urls: Vec<String> = (0..a.len()).map(url).collect();
        let pairs: Vec<(&IdAnchor, &str)> = a.iter().zip(urls.iter().map(String::as_str)).collect();
        link_ids(text, &pairs)
    }

    const DOC: &str = "---\nstatus: Finalised\nincident_id: INC-1\n---\n## Action Items\n\n| ID | Description | Owner | Target Date | Status |\n|---|---|---|---|---|\n| PM-AI-001 | Add a login alert | @alice | 2025-08-01 | Open |\n| **PM-AI-002** | Write a runbook | @bob | 2025-08-02 | Open |\n| `PM-AI-003` | Drop the flag | @carol | 2025-08-03 | Open |\n";

    fn url(n: usize) -> String {
        format!("https://github.com/acme/ops/issues/{}", n + 40)
    }

    #[test]
    fn only_the_id_bytes_change() {
        let out = link_all(DOC, url).expect("changed");
        let expected = DOC
            .replace(
                "| PM-AI-001 |",
                "| [PM-AI-001](https://github.com/acme/ops/issues/40) |",
            )
            .replace(
                "| **PM-AI-002** |",
                "| **[PM-AI-002](https://github.com/acme/ops/issues/41)** |",
            )
            .replace(
                "| `PM-AI-003` |",
                "| [`PM-AI-003`](https://github.com/acme/ops/issues/42) |",
            );
        assert_eq!(out, expected);
        // Linked already: nothing to do, and the document still reads the
        // same items.
        assert_eq!(link_all(&out, url), None);
        assert_eq!(anchors(&out).len(), 3);
    }

    #[test]
    fn a_link_to_another_issue_is_updated_in_place() {
        let once = link_all(DOC, url).unwrap();
        let moved = link_all(&once, |n| {
            format!("https://github.com/acme/ops/issues/{}", n + 90)
        })
        .unwrap();
        assert_eq!(
            moved,
            DOC.replace(
                "| PM-AI-001 |",
                "| [PM-AI-001](https://github.com/acme/ops/issues/90) |"
            )
            .replace(
                "| **PM-AI-002** |",
                "| **[PM-AI-002](https://github.com/acme/ops/issues/91)** |"
            )
            .replace(
                "| `PM-AI-003` |",
                "| [`PM-AI-003`](https://github.com/acme/ops/issues/92) |"
            )
        );
    }

    #[test]
    fn crlf_and_bom_files_keep_every_other_byte() {
        let crlf = format!("\u{feff}{}", DOC.replace('\n', "\r\n"));
        let out = link_all(&crlf, url).unwrap();
        let expected = format!(
            "\u{feff}{}",
            link_all(DOC, url).unwrap().replace('\n', "\r\n")
        );
        assert_eq!(out.as_bytes(), expected.as_bytes());
    }

    #[test]
    fn task_list_ids_are_linked_too() {
        let text = "---\nstatus: Finalised\nincident_id: INC-1\n---\n## Action Items\n\n- [ ] PM-AI-005: Add an alert — owner: @alice, due: 2025-08-01\n";
        let out = link_all(text, url).unwrap();
        assert_eq!(
            out,
            text.replace(
                "PM-AI-005:",
                "[PM-AI-005](https://github.com/acme/ops/issues/40):"
            )
        );
        assert_eq!(link_all(&out, url), None);
        let moved = link_all(&out, |_| "https://github.com/acme/ops/issues/7".into()).unwrap();
        assert!(moved.contains("[PM-AI-005](https://github.com/acme/ops/issues/7): Add"));
    }
}
