//! Root causes: list items (or sub-headings) labelled `Root Cause N:` in the
//! root-cause section, each with the number of "Why" levels beneath it.
//! `Contributing Factors` is not a root cause.

use super::{normalize_heading, Document, Role};
use crate::diagnostic::Span;

#[derive(Debug, Clone)]
pub struct RootCause {
    /// The label (or heading) that introduces it.
    pub span: Span,
    /// Its text without the label.
    pub text: String,
    /// Number of "Why" entries beneath it.
    pub whys: usize,
}

fn is_root_cause_label(label: &str) -> bool {
    let n = normalize_heading(label);
    n == "root cause" || n.starts_with("root cause ") || n == "cause" || n.starts_with("cause ")
}

fn is_why(label: Option<&str>, text: &str) -> bool {
    if let Some(l) = label {
        let n = normalize_heading(l);
        if n == "why" || n.starts_with("why ") {
            return true;
        }
    }
    let t = text.trim_start().to_ascii_lowercase();
    t.starts_with("why:")
        || t.starts_with("why?")
        || t.starts_with("why -")
        || t.starts_with("why —")
}

pub fn extract(doc: &Document) -> Vec<RootCause> {
    let Some(si) = doc.role_section(Role::RootCause) else {
        return Vec::new();
    };
    let body = doc.sections[si].body.clone();
    let items: Vec<(usize, &super::ListItem)> = doc.items_in(&body).collect();
    let mut causes = Vec::new();
    // List items labelled "Root Cause …".
    for (index, item) in &items {
        let Some((label, label_span)) = &item.label else {
            continue;
        };
        if !is_root_cause_label(label) {
            continue;
        }
        let whys = items
            .iter()
            .filter(|(i, it)| {
                *i != *index
                    && is_descendant(doc, *i, *index)
                    && is_why(it.label.as_ref().map(|l| l.0.as_str()), &it.text)
            })
            .count();
        let text = item
            .text
            .split_once(':')
            .map(|(_, r)| r.trim())
            .unwrap_or("")
            .to_string();
        causes.push(RootCause {
            span: label_span.clone(),
            text,
            whys,
        });
    }
    // Sub-headings "### Root Cause 1: …" with Why items until the next one.
    let subs: Vec<_> = doc
        .headings_in(&body)
        .filter(|(_, h)| h.level > doc.section_level)
        .collect();
    for (k, (_, h)) in subs.iter().enumerate() {
        let title = h.text.split(':').next().unwrap_or("");
        if !is_root_cause_label(title) {
            continue;
        }
        let end = subs[k + 1..]
            .iter()
            .find(|(_, o)| o.level <= h.level)
            .map(|(_, o)| o.span.start)
            .unwrap_or(body.end);
        let span = h.span.end..end;
        let whys = doc
            .items_in(&span)
            .filter(|(_, it)| is_why(it.label.as_ref().map(|l| l.0.as_str()), &it.text))
            .count();
        causes.push(RootCause {
            span: h.span.clone(),
            text: h
                .text
                .split_once(':')
                .map(|(_, r)| r.trim())
                .unwrap_or("")
                .to_string(),
            whys,
        });
    }
    causes.sort_by_key(|c| c.span.start);
    causes
}

fn is_descendant(doc: &Document, mut item: usize, ancestor: usize) -> bool {
    while let Some(p) = doc.md.items[item].parent {
        if p == ancestor {
            return true;
        }
        item = p;
    }
    false
}
