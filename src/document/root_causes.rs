//! Root causes in the root-cause section: list items labelled
//! `**Root Cause N:**` (or `Primary root cause:` …) and sub-headings
//! `### Root Cause 1: …`, each with its "Why" entries: `*Why:*` bullets
//! nested beneath it, or written as siblings right after it (up to the next
//! labelled item). `Contributing Factors` is never a root cause.

use super::{with_heading_key, Document, ListItem, Role};
use crate::diagnostic::Span;

#[derive(Debug, Clone)]
pub struct RootCause {
    /// The label (or heading) that introduces it.
    pub span: Span,
    /// Its text without the label.
    pub text: String,
    /// Where that text is written (empty when there is none).
    pub text_span: Span,
    /// The whole extent: the item with its nested list, or the sub-section.
    pub extent: Span,
    /// Number of "Why" entries beneath it.
    pub whys: usize,
    /// The text span of each "Why" entry.
    pub why_spans: Vec<Span>,
}

pub(crate) fn is_root_cause_label(label: &str) -> bool {
    with_heading_key(label, |n| {
        if n.contains("contributing") || n.starts_with("root cause analysis") {
            return false;
        }
        n == "root cause"
            || n.starts_with("root cause ")
            || n.ends_with(" root cause")
            || n == "cause"
            || n.starts_with("cause ")
    })
}

/// A label such as `Contributing Factors`.
pub(crate) fn is_contributing_label(label: &str) -> bool {
    with_heading_key(label, |n| n.starts_with("contributing"))
}

fn is_why(item: &ListItem) -> bool {
    if let Some((l, _)) = &item.label {
        if with_heading_key(l, |n| n == "why" || n.starts_with("why ") || n == "because") {
            return true;
        }
    }
    // Compared ignoring ASCII case, as the text lower-cased would be,
    // without lower-casing all of it.
    let t = item.text.trim_start();
    let starts = |p: &str| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    t.eq_ignore_ascii_case("why")
        || ["why:", "why?", "why -", "why —", "why "]
            .into_iter()
            .any(starts)
}

pub fn extract(doc: &Document) -> Vec<RootCause> {
    let Some(si) = doc.role_section(Role::RootCause) else {
        return Vec::new();
    };
    let body = doc.sections[si].body.clone();
    // Room for every list item of the file: one allocation, where collecting
    // the filter grew the list a few times per section.
    let mut items: Vec<(usize, &ListItem)> = Vec::with_capacity(doc.md.items.len());
    items.extend(doc.items_in(&body));
    let mut causes = Vec::new();
    for (k, (index, item)) in items.iter().enumerate() {
        let Some((label, label_span)) = &item.label else {
            continue;
        };
        if !is_root_cause_label(label) {
            continue;
        }
        // Descendants follow the item and lie inside its span.
        let mut why_spans: Vec<Span> = items[k + 1..]
            .iter()
            .take_while(|(_, it)| it.span.start < item.span.end)
            .filter(|(i, it)| is_descendant(doc, *i, *index) && is_why(it))
            .map(|(_, it)| why_text(it))
            .collect();
        // Why bullets written as siblings after it, up to the next label.
        for (_, sib) in items[k + 1..]
            .iter()
            .filter(|(_, s)| s.parent == item.parent)
        {
            if !is_why(sib) {
                break;
            }
            why_spans.push(why_text(sib));
        }
        let text_span = label_span.end.min(item.text_span.end)..item.text_span.end;
        causes.push(RootCause {
            span: label_span.clone(),
            text: item
                .text
                .split_once(':')
                .map(|(_, r)| r.trim())
                .unwrap_or("")
                .to_string(),
            text_span,
            extent: item.span.clone(),
            whys: why_spans.len(),
            why_spans,
        });
    }
    // Sub-headings "### Root Cause 1: …" with Why items until the next one.
    let subs: Vec<_> = doc
        .headings_in(&body)
        .filter(|(_, h)| h.level > doc.section_level)
        .collect();
    for (k, (_, h)) in subs.iter().enumerate() {
        let title = h.text.split([':', '—', '–']).next().unwrap_or("");
        if !is_root_cause_label(title) {
            continue;
        }
        let end = subs[k + 1..]
            .iter()
            .find(|(_, o)| o.level <= h.level)
            .map(|(_, o)| o.span.start)
            .unwrap_or(body.end);
        let span = h.span.end..end;
        let why_spans: Vec<Span> = doc
            .items_in(&span)
            .filter(|(_, it)| is_why(it))
            .map(|(_, it)| why_text(it))
            .collect();
        let text = h
            .text
            .split_once([':', '—', '–'])
            .map(|(_, r)| r.trim())
            .unwrap_or("")
            .to_string();
        causes.push(RootCause {
            span: h.span.clone(),
            text_span: if text.is_empty() {
                // The sub-section's prose names it.
                span.clone()
            } else {
                h.text_span.clone()
            },
            text,
            extent: h.span.start..end,
            whys: why_spans.len(),
            why_spans,
        });
    }
    causes.sort_by_key(|c| c.span.start);
    causes
}

/// The parts of the root-cause section that are contributing factors (a
/// labelled item with its children, or a sub-heading's sub-section).
pub fn contributing_spans(doc: &Document) -> Vec<Span> {
    let Some(si) = doc.role_section(Role::RootCause) else {
        return Vec::new();
    };
    let body = doc.sections[si].body.clone();
    let mut spans: Vec<Span> = doc
        .items_in(&body)
        .filter(|(_, it)| {
            it.label
                .as_ref()
                .is_some_and(|(l, _)| is_contributing_label(l))
        })
        .map(|(_, it)| it.span.clone())
        .collect();
    let subs: Vec<_> = doc
        .headings_in(&body)
        .filter(|(_, h)| h.level > doc.section_level)
        .collect();
    for (k, (_, h)) in subs.iter().enumerate() {
        if is_contributing_label(&h.text) {
            let end = subs[k + 1..]
                .iter()
                .find(|(_, o)| o.level <= h.level)
                .map(|(_, o)| o.span.start)
                .unwrap_or(body.end);
            spans.push(h.span.start..end);
        }
    }
    spans
}

/// A Why entry's answer: its text after the `*Why:*` label.
fn why_text(item: &ListItem) -> Span {
    match &item.label {
        Some((_, l)) => l.end.min(item.text_span.end)..item.text_span.end,
        None => item.text_span.clone(),
    }
}

fn is_descendant(doc: &Document, mut item: usize, ancestor: usize) -> bool {
    while let Some(p) = doc.md.items.get(item).and_then(|i| i.parent) {
        if p == ancestor {
            return true;
        }
        item = p;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn causes(text: &str) -> Vec<RootCause> {
        Document::parse(text, &Settings::defaults()).root_causes
    }

    #[test]
    fn nested_whys_are_counted() {
        let c = causes("## Root Causes\n\n* **Root Cause 1:** TTL zero\n    * *Why:* a\n    * *Why:* b\n* **Contributing Factors:** x\n    * *Why:* c\n");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].whys, 2);
        assert_eq!(c[0].text, "TTL zero");
    }

    #[test]
    fn sibling_whys_after_a_root_cause_count_for_it() {
        let c = causes("## Root Causes\n\n* **Root Cause 1:** TTL zero\n* *Why:* a\n* *Why:* b\n* **Root Cause 2:** y\n* *Why:* c\n");
        assert_eq!(c.iter().map(|c| c.whys).collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn sub_heading_root_causes_count_their_whys() {
        let c = causes("## Root Cause Analysis\n\n### Root Cause 1 — cache TTL\n\n1. Why did it expire? TTL was zero.\n2. Why? Default config.\n\n### Contributing Factors\n\n- Why: slow alert\n");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].whys, 2);
        assert_eq!(c[0].text, "cache TTL");
    }
}
