//! Suppression comments:
//!
//! ```text
//! <!-- pmlint-disable rule-a rule-b -->   … until pmlint-enable (or end of file)
//! <!-- pmlint-enable rule-a -->
//! <!-- pmlint-disable-next-line rule-a --> the next non-blank line only
//! <!-- pmlint-disable-file rule-a -->      the whole file
//! ```
//!
//! Without ids a comment applies to every rule. Ids may be separated by
//! blanks or commas; text after ` -- ` is a free-form reason. An unknown id
//! is reported (`unknown-rule`) and suppresses nothing; a suppression that
//! suppressed nothing is reported (`unused-suppression`).

use crate::config::did_you_mean;
use crate::diagnostic::{Diagnostic, Span};
use crate::document::Document;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Disable,
    Enable,
    NextLine,
    File,
}

#[derive(Debug)]
struct Directive {
    kind: Kind,
    span: Span,
    /// Known ids (empty with `all`).
    ids: Vec<String>,
    /// No ids were written: every rule.
    all: bool,
}

/// One suppression region: lines where a rule (or every rule but
/// `except`) is off, and the comment that made it.
#[derive(Debug)]
struct Region {
    comment: usize,
    /// 1-based inclusive line range.
    first: usize,
    last: usize,
    /// `None`: every rule.
    id: Option<String>,
    except: Vec<String>,
}

/// The suppressions of one document.
#[derive(Debug, Default)]
pub struct Suppressions {
    /// Regions that run to the end of the file (`disable-file`, a `disable`
    /// never closed): few.
    open_ended: Vec<Region>,
    /// Closed regions over several lines (`disable`…`enable`), sorted by
    /// first line, with the running maximum of their last lines, so a lookup
    /// visits only the regions that can cover a line.
    ranged: Vec<Region>,
    ranged_max_last: Vec<usize>,
    /// One-line regions (`disable-next-line`) by their line, so a file with
    /// thousands of them stays linear.
    line_regions: std::collections::HashMap<usize, Vec<Region>>,
    /// Per directive: its span, its ids (empty = all), and whether it was used.
    comments: Vec<(Span, Vec<String>, bool)>,
    /// `unknown-rule` findings from the comments.
    pub unknown: Vec<Diagnostic>,
}

impl Suppressions {
    /// Reads the document's comments. `known` tells whether an id exists;
    /// `all_ids` feeds the "did you mean".
    pub fn parse(doc: &Document, known: &dyn Fn(&str) -> bool, all_ids: &[&str]) -> Suppressions {
        let mut directives = Vec::new();
        let mut unknown = Vec::new();
        for c in &doc.md.comments {
            let body = c.body.as_str();
            let (kind, rest) = if let Some(r) = body.strip_prefix("pmlint-disable-next-line") {
                (Kind::NextLine, r)
            } else if let Some(r) = body.strip_prefix("pmlint-disable-file") {
                (Kind::File, r)
            } else if let Some(r) = body.strip_prefix("pmlint-disable") {
                (Kind::Disable, r)
            } else if let Some(r) = body.strip_prefix("pmlint-enable") {
                (Kind::Enable, r)
            } else {
                continue;
            };
            if !(rest.is_empty() || rest.starts_with(|ch: char| ch.is_whitespace() || ch == ':')) {
                continue; // e.g. `pmlint-disabled`: not a directive
            }
            let rest = rest.trim_start_matches(':');
            let ids_text = rest.split(" -- ").next().unwrap_or("");
            let mut ids = Vec::new();
            let mut written = 0;
            let comment_text = &doc.text[c.span.clone()];
            let mut search_from = 0;
            for id in ids_text
                .split(|ch: char| ch.is_whitespace() || ch == ',')
                .filter(|s| !s.is_empty())
            {
                written += 1;
                if known(id) {
                    ids.push(id.to_string());
                    continue;
                }
                let at = comment_text[search_from..]
                    .find(id)
                    .map(|i| c.span.start + search_from + i)
                    .unwrap_or(c.span.start);
                search_from = (at - c.span.start + id.len()).min(comment_text.len());
                let mut d = Diagnostic::new(
                    "unknown-rule",
                    at..at + id.len(),
                    format!("Unknown rule `{id}` in suppression comment"),
                );
                d = match did_you_mean(id, all_ids.iter().copied()) {
                    Some(best) => d.with_suggestion(format!("did you mean `{best}`?")),
                    None => d.with_suggestion("`pmlint rules` lists every rule id"),
                };
                unknown.push(d);
            }
            // Ids were written but none is known: the comment does nothing.
            if written > 0 && ids.is_empty() {
                continue;
            }
            directives.push(Directive {
                kind,
                span: c.span.clone(),
                ids,
                all: written == 0,
            });
        }
        let (line_regions, regions): (Vec<Region>, Vec<Region>) = regions(doc, &directives)
            .into_iter()
            .partition(|r| r.first == r.last);
        let (open_ended, mut ranged): (Vec<Region>, Vec<Region>) =
            regions.into_iter().partition(|r| r.last == usize::MAX);
        ranged.sort_by_key(|r| r.first);
        let ranged_max_last = ranged
            .iter()
            .scan(0, |max, r| {
                *max = r.last.max(*max);
                Some(*max)
            })
            .collect();
        let mut by_line: std::collections::HashMap<usize, Vec<Region>> = Default::default();
        for r in line_regions {
            by_line.entry(r.first).or_default().push(r);
        }
        Suppressions {
            open_ended,
            ranged,
            ranged_max_last,
            line_regions: by_line,
            comments: directives
                .iter()
                .map(|d| (d.span.clone(), d.ids.clone(), d.kind == Kind::Enable))
                .collect(),
            unknown,
        }
    }

    /// Whether a finding of `rule` starting on 1-based `line` is suppressed
    /// (and marks the suppression used).
    pub fn suppresses(&mut self, rule: &str, line: usize) -> bool {
        let mut hit = false;
        let one_line = self.line_regions.get(&line).into_iter().flatten();
        // Closed regions starting at or before `line`, walked back while one
        // of them can still reach it.
        let starts_before = self.ranged.partition_point(|r| r.first <= line);
        let reaching = (0..starts_before)
            .rev()
            .take_while(|&i| self.ranged_max_last[i] >= line)
            .map(|i| &self.ranged[i]);
        for r in self.open_ended.iter().chain(one_line).chain(reaching) {
            let covers = match &r.id {
                Some(id) => id == rule,
                None => !r.except.iter().any(|e| e == rule),
            };
            if covers && line >= r.first && line <= r.last {
                self.comments[r.comment].2 = true;
                hit = true;
            }
        }
        hit
    }

    /// `unused-suppression` findings. `enabled` says whether a rule ran;
    /// suppressions of rules that did not run are not reported.
    pub fn unused(&self, enabled: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
        // `enable` comments are marked used from the start: they suppress
        // nothing by design.
        self.comments
            .iter()
            .filter(|(_, ids, used)| !used && (ids.is_empty() || ids.iter().any(|i| enabled(i))))
            .map(|(span, ids, _)| {
                let what = if ids.is_empty() {
                    "every rule".to_string()
                } else {
                    ids.join(", ")
                };
                Diagnostic::new(
                    "unused-suppression",
                    span.clone(),
                    format!("Suppression of {what} suppressed nothing"),
                )
                .with_suggestion("remove the comment")
            })
            .collect()
    }
}

fn regions(doc: &Document, directives: &[Directive]) -> Vec<Region> {
    let line = |offset: usize| doc.line_of(offset);
    let last_line = doc.lines.line_count();
    let mut out: Vec<Region> = Vec::new();
    // Indexes of regions opened by `disable` and not yet closed.
    let mut open: Vec<usize> = Vec::new();
    let per_id = |comment: usize, d: &Directive, first: usize, last: usize| -> Vec<Region> {
        if d.all {
            vec![Region {
                comment,
                first,
                last,
                id: None,
                except: Vec::new(),
            }]
        } else {
            d.ids
                .iter()
                .map(|id| Region {
                    comment,
                    first,
                    last,
                    id: Some(id.clone()),
                    except: Vec::new(),
                })
                .collect()
        }
    };
    for (ci, d) in directives.iter().enumerate() {
        let here = line(d.span.start);
        match d.kind {
            Kind::File => out.extend(per_id(ci, d, 1, usize::MAX)),
            Kind::NextLine => {
                let mut target = line(d.span.end.saturating_sub(1)) + 1;
                while target <= last_line {
                    let r = doc.lines.line_range(doc.text, target - 1);
                    if !doc.text[r].trim().is_empty() {
                        break;
                    }
                    target += 1;
                }
                out.extend(per_id(ci, d, target, target));
            }
            Kind::Disable => {
                for r in per_id(ci, d, here, usize::MAX) {
                    out.push(r);
                    open.push(out.len() - 1);
                }
            }
            Kind::Enable => {
                let mut reopened = Vec::new();
                open.retain(|&i| {
                    let r = &mut out[i];
                    let closes = d.all
                        || r.id.is_none()
                        || r.id.as_ref().is_some_and(|id| d.ids.contains(id));
                    if !closes {
                        return true;
                    }
                    r.last = here;
                    if r.id.is_none() && !d.all {
                        // `enable a` inside `disable` (all): every rule but
                        // `a` stays off.
                        let mut except = r.except.clone();
                        except.extend(d.ids.iter().cloned());
                        reopened.push(Region {
                            comment: r.comment,
                            first: here,
                            last: usize::MAX,
                            id: None,
                            except,
                        });
                    }
                    false
                });
                for r in reopened {
                    out.push(r);
                    open.push(out.len() - 1);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn sup(text: &str) -> (Suppressions, Document<'_>) {
        let settings = Box::leak(Box::new(Settings::defaults()));
        let doc = Document::parse(text, settings);
        let ids: Vec<&str> = crate::rules::all().iter().map(|r| r.id).collect();
        let s = Suppressions::parse(&doc, &|id| crate::rules::find(id).is_some(), &ids);
        (s, doc)
    }

    #[test]
    fn disable_next_line_skips_blank_lines() {
        let (mut s, _) =
            sup("a\n\n<!-- pmlint-disable-next-line blameless-language -->\n\nbad line\nother\n");
        assert!(s.suppresses("blameless-language", 5));
        assert!(!s.suppresses("blameless-language", 6));
        assert!(!s.suppresses("minimizing-language", 5));
    }

    #[test]
    fn disable_until_enable() {
        let (mut s, _) = sup("<!-- pmlint-disable blameless-language -->\nx\n<!-- pmlint-enable blameless-language -->\ny\n");
        assert!(s.suppresses("blameless-language", 2));
        assert!(!s.suppresses("blameless-language", 4));
    }

    #[test]
    fn enable_one_rule_inside_disable_all() {
        let (mut s, _) =
            sup("<!-- pmlint-disable -->\nx\n<!-- pmlint-enable blameless-language -->\ny\n");
        assert!(s.suppresses("blameless-language", 2));
        assert!(!s.suppresses("blameless-language", 4));
        assert!(s.suppresses("minimizing-language", 4));
    }

    #[test]
    fn every_kind_of_region_is_found_among_many() {
        let mut text = String::from("<!-- pmlint-disable-file minimizing-language -->\n");
        for _ in 0..50 {
            text.push_str("<!-- pmlint-disable blameless-language -->\nx\n<!-- pmlint-enable blameless-language -->\ny\n<!-- pmlint-disable-next-line individual-blamed -->\nz\n");
        }
        text.push_str("<!-- pmlint-disable -->\nlast\n");
        let (mut s, _) = sup(&text);
        // Block k (0-based) starts on line 2 + 6k.
        for k in 0..50 {
            let first = 2 + 6 * k;
            assert!(s.suppresses("blameless-language", first + 1), "block {k}");
            assert!(!s.suppresses("blameless-language", first + 3), "block {k}");
            assert!(s.suppresses("individual-blamed", first + 5), "block {k}");
            assert!(!s.suppresses("individual-blamed", first + 3), "block {k}");
            assert!(s.suppresses("minimizing-language", first + 3), "block {k}");
        }
        assert!(s.suppresses("individual-blamed", 2 + 6 * 50 + 1));
        assert!(s.unused(&|_| true).is_empty());
    }

    #[test]
    fn unknown_ids_are_reported_and_suppress_nothing() {
        let (mut s, doc) = sup("<!-- pmlint-disable-file blamless-language -->\nx\n");
        assert_eq!(s.unknown.len(), 1);
        assert_eq!(&doc.text[s.unknown[0].span.clone()], "blamless-language");
        assert_eq!(
            s.unknown[0].suggestion.as_deref(),
            Some("did you mean `blameless-language`?")
        );
        assert!(!s.suppresses("blameless-language", 2));
        assert!(s.unused(&|_| true).is_empty());
    }

    #[test]
    fn unused_suppressions_are_reported() {
        let (mut s, _) = sup("<!-- pmlint-disable-file blameless-language -->\n<!-- pmlint-disable-file minimizing-language -->\n");
        assert!(s.suppresses("blameless-language", 9));
        let unused = s.unused(&|_| true);
        assert_eq!(unused.len(), 1);
        assert!(unused[0].message.contains("minimizing-language"));
    }
}
