//! Custom rules from the configuration (`custom_rules`), modelled on Vale's
//! `existence`, `substitution` and a `required` kind. Data only: a pattern
//! is a regular expression, nothing is executed.
//!
//! `existence` and `substitution` scan prose (like the built-in language
//! rules: not code, URLs, comments, block quotes or front matter);
//! `required` searches the raw text of its scope, link targets included, so
//! that "the References link the dashboard" can be checked.

use super::Ctx;
use crate::config::{ConfigError, CustomKind, CustomRuleConfig};
use crate::diagnostic::{Diagnostic, RuleId, Severity, Span};
use crate::language::phrase_regex;
use regex::Regex;
use std::sync::Arc;

#[derive(Debug)]
pub struct CustomRule {
    pub id: Arc<str>,
    pub level: Severity,
    pub kind: CustomKind,
    pub message: Option<String>,
    pattern: Option<Regex>,
    /// Substitution pairs: what to look for → what to write instead.
    swaps: Vec<(Regex, String)>,
    /// Section names the rule is scoped to (empty: the whole body).
    pub sections: Vec<String>,
    /// What the rule checks, in one line, from its configuration (for the
    /// rule lists of report formats).
    pub summary: String,
}

/// Validates and compiles the configured custom rules.
pub fn compile(
    configs: &[CustomRuleConfig],
    path: &str,
    text: &str,
) -> Result<Vec<CustomRule>, ConfigError> {
    let at = |needle: &str, message: String, label: &str| {
        if text.is_empty() {
            ConfigError::plain(format!("{path}: {message}"))
        } else {
            let span = match text.find(needle) {
                Some(i) if !needle.is_empty() => i..i + needle.len(),
                _ => 0..0,
            };
            ConfigError::at(path, text, span, message, label)
        }
    };
    let mut out: Vec<CustomRule> = Vec::new();
    for c in configs {
        if c.id.is_empty()
            || !c
                .id
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        {
            return Err(at(
                &c.id,
                format!(
                    "custom rule id `{}` must be kebab-case letters, digits and `-`",
                    c.id
                ),
                "bad id",
            ));
        }
        if super::find(&c.id).is_some() || out.iter().any(|o| *o.id == *c.id) {
            return Err(at(
                &c.id,
                format!("custom rule id `{}` is already taken", c.id),
                "duplicate id",
            ));
        }
        let level = match crate::diagnostic::Level::parse(&c.level) {
            Some(crate::diagnostic::Level::On(s)) => s,
            _ => {
                return Err(at(
                    &c.level,
                    format!(
                        "custom rule `{}`: level must be error, warning or info",
                        c.id
                    ),
                    "bad level",
                ))
            }
        };
        let flags = if c.case_sensitive { "" } else { "(?i)" };
        let pattern = match (&c.pattern, c.kind) {
            (Some(p), _) => Some(Regex::new(&format!("{flags}{p}")).map_err(|e| {
                at(
                    p,
                    format!("custom rule `{}`: invalid regular expression: {e}", c.id),
                    "invalid regex",
                )
            })?),
            (None, CustomKind::Existence | CustomKind::Required) => {
                return Err(at(
                    &c.id,
                    format!("custom rule `{}` needs a `pattern`", c.id),
                    "no pattern",
                ));
            }
            (None, CustomKind::Substitution) => None,
        };
        let mut swaps = Vec::new();
        if c.kind == CustomKind::Substitution {
            if c.swap.is_empty() {
                return Err(at(
                    &c.id,
                    format!("custom rule `{}` of kind substitution needs `swap`", c.id),
                    "no swap",
                ));
            }
            for (from, to) in &c.swap {
                let mut re = phrase_regex(from);
                if c.case_sensitive {
                    re = re.trim_start_matches("(?i)").to_string();
                }
                let r = Regex::new(&re).map_err(|e| {
                    at(
                        from,
                        format!("custom rule `{}`: invalid swap pattern `{from}`: {e}", c.id),
                        "invalid regex",
                    )
                })?;
                swaps.push((r, to.clone()));
            }
        }
        let what = match c.kind {
            CustomKind::Existence => format!(
                "flags text matching `{}`",
                c.pattern.as_deref().unwrap_or_default()
            ),
            CustomKind::Required => format!(
                "requires text matching `{}`",
                c.pattern.as_deref().unwrap_or_default()
            ),
            CustomKind::Substitution => {
                let pairs: Vec<String> = c
                    .swap
                    .iter()
                    .map(|(from, to)| format!("\"{from}\" → \"{to}\""))
                    .collect();
                format!("suggests replacements: {}", pairs.join(", "))
            }
        };
        let scope = if c.sections.is_empty() {
            String::new()
        } else {
            format!(" in the sections {}", c.sections.join(", "))
        };
        out.push(CustomRule {
            summary: format!("Custom rule from the configuration: {what}{scope}"),
            id: Arc::from(c.id.as_str()),
            level,
            kind: c.kind,
            message: c.message.clone(),
            pattern,
            swaps,
            sections: c.sections.clone(),
        });
    }
    Ok(out)
}

impl CustomRule {
    /// Runs the rule on a document.
    pub fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let doc = ctx.doc;
        let scopes: Vec<Span> = if self.sections.is_empty() {
            let whole: Span = doc.body_start..doc.text.len();
            vec![whole]
        } else {
            doc.sections
                .iter()
                .filter(|s| {
                    s.kind.is_some_and(|k| {
                        self.sections
                            .iter()
                            .any(|name| ctx.settings.section_index(name) == Some(k))
                    })
                })
                .map(|s| s.span.clone())
                .collect()
        };
        let mask = std::str::from_utf8(&doc.md.mask).unwrap_or("");
        let id = RuleId::Custom(self.id.clone());
        let mut push = |span: Span, message: String, suggestion: Option<String>| {
            out.push(Diagnostic {
                rule: id.clone(),
                message,
                suggestion,
                span,
                lowered: false,
            });
        };
        match self.kind {
            CustomKind::Existence => {
                let Some(re) = &self.pattern else { return };
                for scope in &scopes {
                    for m in re.find_iter(&mask[scope.clone()]) {
                        if m.as_str().trim().is_empty() {
                            continue;
                        }
                        let span = scope.start + m.start()..scope.start + m.end();
                        let found = crate::language::collapse_blanks(m.as_str());
                        let message = match &self.message {
                            Some(t) => t.replacen("%s", &found, 1),
                            None => format!("\"{found}\" is not allowed here"),
                        };
                        push(span, message, None);
                    }
                }
            }
            CustomKind::Substitution => {
                for scope in &scopes {
                    for (re, to) in &self.swaps {
                        for m in re.find_iter(&mask[scope.clone()]) {
                            let span = scope.start + m.start()..scope.start + m.end();
                            let found = crate::language::collapse_blanks(m.as_str());
                            let message = match &self.message {
                                Some(t) => t.replacen("%s", to, 1).replacen("%s", &found, 1),
                                None => format!("Use \"{to}\" instead of \"{found}\""),
                            };
                            push(span, message, Some(format!("write \"{to}\"")));
                        }
                    }
                }
            }
            CustomKind::Required => {
                let Some(re) = &self.pattern else { return };
                if self.sections.is_empty() {
                    if !re.is_match(&doc.text[doc.body_start.min(doc.text.len())..]) {
                        let message = self.message.clone().unwrap_or_else(|| {
                            format!("Nothing matches the required pattern `{}`", re.as_str())
                        });
                        push(doc.body_first_line(), message, None);
                    }
                    return;
                }
                let matching: Vec<&crate::document::Section> = doc
                    .sections
                    .iter()
                    .filter(|s| {
                        s.kind.is_some_and(|k| {
                            self.sections
                                .iter()
                                .any(|name| ctx.settings.section_index(name) == Some(k))
                        })
                    })
                    .collect();
                for s in matching {
                    if !re.is_match(&doc.text[s.span.clone()]) {
                        let message = self.message.clone().unwrap_or_else(|| {
                            format!("Nothing in this section matches `{}`", re.as_str())
                        });
                        push(doc.md.headings[s.heading].span.clone(), message, None);
                    }
                }
            }
        }
    }
}
