//! Finding, reading and merging configuration files. Errors point at the
//! line of the configuration file that causes them.

use super::Config;
use miette::{Diagnostic, NamedSource, SourceSpan};
use std::path::{Path, PathBuf};
use thiserror::Error;

pub const CONFIG_NAMES: [&str; 3] = [".pmlint.yml", ".pmlint.yaml", "pmlint.yml"];

/// Lines longer than this (bytes) are not shown in error reports.
const LONG_LINE: usize = 1000;

/// A configuration problem, with the file and line when there is one.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(pmlint::config))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    pub src: Option<NamedSource<String>>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl ConfigError {
    /// An error without a location (e.g. a file that cannot be read).
    pub fn plain(message: impl Into<String>) -> ConfigError {
        ConfigError {
            message: message.into(),
            src: None,
            span: None,
            label: String::new(),
            help: None,
        }
    }

    /// An error at a byte range of the configuration file.
    pub fn at(
        path: &str,
        source: &str,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> ConfigError {
        let start = span.start.min(source.len());
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        if line_end - line_start > LONG_LINE || !source.is_char_boundary(start) {
            // miette prints the whole line and pads its label with a width
            // that must fit in 16 bits (it panicked past column 65,535):
            // a long line is named by its position instead.
            let line = source[..line_start].matches('\n').count() + 1;
            let column = source
                .get(line_start..start)
                .map_or(1, |s| s.chars().count() + 1);
            return ConfigError::plain(format!("{path}:{line}:{column}: {}", message.into()));
        }
        ConfigError {
            message: message.into(),
            src: Some(NamedSource::new(path, source.to_string())),
            span: Some(SourceSpan::from(span.start..span.end.max(span.start))),
            label: label.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> ConfigError {
        self.help = Some(help.into());
        self
    }
}

/// Searches `start` and its parents for a configuration file, stopping at
/// the repository root (a directory holding `.git`).
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        for name in CONFIG_NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// Parses one configuration text. `path` names it in errors.
pub fn parse_config(path: &str, text: &str) -> Result<Config, ConfigError> {
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    // As plain YAML first: a duplicate key (which the typed parse would
    // silently take the last of) and an alias bomb are errors at their line,
    // and the typed parse below can then expand no more than this one did.
    crate::document::frontmatter::parse_bounded(text).map_err(|e| yaml_error(path, text, &e))?;
    serde_yaml::from_str::<Config>(text).map_err(|e| yaml_error(path, text, &e))
}

/// Reads `path` and the files it `extends`, merged in order: each extended
/// file first, then the file itself. Extended files must lie inside `root`.
pub fn load_file(path: &Path, root: &Path) -> Result<Config, ConfigError> {
    let mut value = serde_yaml::Value::Mapping(Default::default());
    let mut seen = Vec::new();
    load_into(path, root, &mut value, &mut seen, 0)?;
    let display = path.display().to_string();
    let text = serde_yaml::to_string(&value).unwrap_or_default();
    // The merged value was validated file by file; a failure here means the
    // merge produced something no file had, which is reported plainly.
    // (Read back from text, like each file: `from_value` would refuse a
    // number where a string is expected, which the files' parse accepts.)
    serde_yaml::from_str::<Config>(&text)
        .map_err(|e| ConfigError::plain(format!("{display}: merged configuration is invalid: {e}")))
}

fn load_into(
    path: &Path,
    root: &Path,
    into: &mut serde_yaml::Value,
    seen: &mut Vec<PathBuf>,
    depth: usize,
) -> Result<(), ConfigError> {
    let display = path.display().to_string();
    if depth > 16 {
        return Err(ConfigError::plain(format!(
            "{display}: `extends` is nested too deeply"
        )));
    }
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if seen.contains(&canonical) {
        return Err(ConfigError::plain(format!(
            "{display}: `extends` forms a cycle"
        )));
    }
    seen.push(canonical);
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::plain(format!("cannot read configuration {display}: {e}")))?;
    // Validate this file on its own first, so that errors point at its lines.
    let config = parse_config(&display, &text)?;
    let base = path.parent().unwrap_or(Path::new("."));
    for ext in &config.extends {
        let target = base.join(ext);
        let span = find_value(&text, ext);
        let inside = match (target.canonicalize(), root.canonicalize()) {
            (Ok(t), Ok(r)) => t.starts_with(r),
            (Err(_), _) => {
                return Err(ConfigError::at(
                    &display,
                    &text,
                    span,
                    format!("extended configuration `{ext}` does not exist"),
                    "not found",
                ))
            }
            _ => false,
        };
        if !inside {
            return Err(ConfigError::at(
                &display,
                &text,
                span,
                format!("extended configuration `{ext}` lies outside the repository"),
                "outside the repository",
            )
            .with_help("`extends` may only name files inside the repository"));
        }
        load_into(&target, root, into, seen, depth + 1)?;
    }
    let own: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_default();
    merge(into, own);
    if let serde_yaml::Value::Mapping(m) = into {
        m.remove("extends");
    }
    Ok(())
}

/// Later values win; mappings under `rules`, `timezone_aliases`, `check` and
/// `sync` merge key by key; lists are replaced.
fn merge(into: &mut serde_yaml::Value, from: serde_yaml::Value) {
    use serde_yaml::Value;
    match (into, from) {
        (Value::Mapping(a), Value::Mapping(b)) => {
            for (k, v) in b {
                match a.get_mut(&k) {
                    Some(existing @ Value::Mapping(_)) if v.is_mapping() => merge(existing, v),
                    _ => {
                        a.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

/// Turns a serde_yaml error into a located report with a suggestion.
fn yaml_error(path: &str, text: &str, e: &serde_yaml::Error) -> ConfigError {
    let raw = e.to_string();
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let span = match e.location() {
        Some(loc) => line_span_at(text, loc.index()),
        None => 0..0,
    };
    let mut err = ConfigError::at(
        path,
        text,
        span,
        format!("invalid configuration: {message}"),
        "here",
    );
    if let Some(field) = between(&message, "unknown field `", "`") {
        let expected: Vec<&str> = message
            .split("expected one of ")
            .nth(1)
            .or_else(|| message.split("expected ").nth(1))
            .map(|list| list.split(", ").map(|s| s.trim_matches('`')).collect())
            .unwrap_or_default();
        if let Some(best) = did_you_mean(field, expected.iter().copied()) {
            err = err.with_help(format!("did you mean `{best}`?"));
        } else if !expected.is_empty() {
            err = err.with_help(format!("expected one of: {}", expected.join(", ")));
        }
        err.label = "unknown key".into();
        // Point at the key itself.
        if let Some(s) = find_key(text, field) {
            err.span = Some(SourceSpan::from(s));
        }
    }
    err
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let end = s[start..].find(close)? + start;
    Some(&s[start..end])
}

/// The span from `index` to the end of its line.
pub(crate) fn line_span_at(text: &str, index: usize) -> std::ops::Range<usize> {
    let index = index.min(text.len());
    let end = text[index..]
        .find('\n')
        .map(|i| index + i)
        .unwrap_or(text.len());
    index..end
}

/// The first `key:` in the text, as a span over the key: at the start of a
/// line (any indentation, list dashes) first, else inside a flow mapping
/// (`{ level: error, min_whys: 3 }`), outside comments.
pub(crate) fn find_key(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    find_block_key(text, key).or_else(|| find_flow_key(text, key))
}

fn find_flow_key(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        // A `#` after a blank starts a comment (quoted `#` is rare in keys).
        let code = match line.find(" #") {
            Some(i) => &line[..i],
            None if line.trim_start().starts_with('#') => "",
            None => line,
        };
        for quoted in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
            if quoted.is_empty() {
                // An empty key matches everywhere, and the search below
                // would never advance past it.
                continue;
            }
            let mut from = 0;
            while let Some(i) = code[from..].find(quoted.as_str()) {
                let at = from + i;
                let before_ok = code[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c == '{' || c == ',' || c.is_whitespace());
                let after_ok = code[at + quoted.len()..].trim_start().starts_with(':');
                if before_ok && after_ok {
                    return Some(pos + at..pos + at + quoted.len());
                }
                from = at + quoted.len();
            }
        }
        pos += line.len();
    }
    None
}

fn find_block_key(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t', '-']).trim_start();
        let indent = line.len() - trimmed.len();
        for quoted in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
            if let Some(rest) = trimmed.strip_prefix(quoted.as_str()) {
                if rest.trim_start().starts_with(':') {
                    return Some(pos + indent..pos + indent + quoted.len());
                }
            }
        }
        pos += line.len();
    }
    None
}

/// The first occurrence of a value in the text, or the start of the file.
pub(crate) fn find_value(text: &str, value: &str) -> std::ops::Range<usize> {
    match text.find(value) {
        Some(i) if !value.is_empty() => i..i + value.len(),
        _ => 0..0,
    }
}

/// The closest candidate by edit distance, if it is close enough to be a
/// plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_l = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (levenshtein(&word_l, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_points_at_its_line_with_a_suggestion() {
        let text = "include: [\"a\"]\ndraft_relaxd: true\n";
        let err = parse_config("cfg.yml", text).unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `draft_relaxed`?"));
        let span = err.span.unwrap();
        assert_eq!(
            &text[span.offset()..span.offset() + span.len()],
            "draft_relaxd"
        );
    }

    #[test]
    fn keys_are_found_in_flow_mappings_too() {
        let text = "# min_whys: in a comment\nrules:\n  root-cause-depth: { level: warning, min_why: 3 }\n";
        let span = find_key(text, "min_why").expect("found");
        assert_eq!(&text[span.clone()], "min_why");
        assert_eq!(span.start, text.find("min_why: 3").expect("present"));
        assert_eq!(find_key(text, "level").map(|s| &text[s]), Some("level"));
        assert_eq!(find_key(text, "whys"), None);
    }

    #[test]
    fn a_duplicate_key_is_an_error_at_its_line_not_a_silent_default() {
        let text = "rules:\n  blameless-language: off\n  blameless-language: warning\n";
        let err = parse_config("cfg.yml", text).unwrap_err();
        assert!(err.message.contains("duplicate entry"), "{}", err.message);
        let span = err.span.expect("located");
        assert_eq!(text[..span.offset()].lines().count(), 2, "points at line 3");
    }

    #[test]
    fn an_alias_bomb_is_a_configuration_error() {
        let files = vec!["a"; 20_000].join(", ");
        let overrides = vec!["{files: *x}"; 20_000].join(", ");
        let text = format!("people: &x [{files}]\noverrides: [{overrides}]\n");
        let err = parse_config("cfg.yml", &text).unwrap_err();
        assert!(err.message.contains("YAML bomb"), "{}", err.message);
    }

    #[test]
    fn a_merged_configuration_reads_scalars_as_each_file_does() {
        // A number in a list of names is accepted file by file; the merged
        // configuration must accept it too (it used to fail, printing the
        // whole merged configuration).
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("base.yml"), "systems: [Patroni, 3]\n").unwrap();
        std::fs::write(
            dir.path().join("main.yml"),
            "extends: [base.yml]\npeople: [x, 3]\n",
        )
        .unwrap();
        let config = load_file(&dir.path().join("main.yml"), dir.path()).unwrap();
        assert_eq!(config.people, ["x", "3"]);
        assert_eq!(config.systems, ["Patroni", "3"]);
    }

    #[test]
    fn an_error_on_a_very_long_line_is_named_by_its_position() {
        let people = vec!["x"; 30_000].join(", ");
        let text = format!("{{people: [{people}], rules: {{nope: off}}}}\n");
        let at = text.find("nope").unwrap();
        let err = ConfigError::at("cfg.yml", &text, at..at + 4, "unknown rule `nope`", "here");
        assert_eq!(
            err.message,
            format!("cfg.yml:1:{}: unknown rule `nope`", at + 1)
        );
        assert!(err.src.is_none());
        // It renders (miette used to panic on the label's padding).
        let mut out = String::new();
        miette::GraphicalReportHandler::new()
            .render_report(&mut out, &err)
            .unwrap();
        assert!(out.len() < 1_000, "{out}");
    }

    #[test]
    fn an_empty_key_is_searched_without_hanging() {
        // `?` alone is a mapping with a null key; the error's key is empty.
        assert_eq!(find_flow_key("{a: 1}\n", ""), None);
        assert_eq!(find_key("\"\": 1\n", ""), Some(0..2));
        assert!(parse_config("cfg.yml", "?").is_err());
        assert!(parse_config("cfg.yml", "? \n: x\n").is_err());
    }

    #[test]
    fn empty_config_is_the_default() {
        assert_eq!(parse_config("c", "").unwrap(), Config::default());
    }

    #[test]
    fn sizes_parse() {
        let c = parse_config("c", "max_file_size: 2MB\n").unwrap();
        assert_eq!(c.max_file_size.0, 2_000_000);
        assert!(parse_config("c", "max_file_size: lots\n").is_err());
    }

    #[test]
    fn edit_distance_suggestions() {
        assert_eq!(
            did_you_mean(
                "blamless-language",
                ["blameless-language", "frontmatter-date"]
            ),
            Some("blameless-language")
        );
        assert_eq!(did_you_mean("zzz", ["blameless-language"]), None);
    }
}
