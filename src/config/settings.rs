//! The resolved configuration: patterns compiled, names normalised, levels
//! looked up per rule. Built once per run and shared by every file.

use super::load::{did_you_mean, find_key, find_value};
use super::{Config, ConfigError, RuleSetting};
use crate::diagnostic::{Level, Severity};
use crate::document::action_items::normalize_status as normalize_action_status;
use crate::document::normalize_heading;
use crate::rules::{self, custom::CustomRule};
use crate::time::{parse_duration, Zone, ZoneRules};
use chrono::Duration;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::Regex;
use std::borrow::Cow;
use std::collections::HashMap;

/// A configured section, with the normalised forms of its name and aliases.
#[derive(Debug, Clone)]
pub struct SectionSpec {
    pub name: String,
    pub keys: Vec<String>,
    pub required: bool,
}

/// Options of individual rules, typed and validated.
#[derive(Debug, Clone)]
pub struct RuleOptions {
    pub min_whys: usize,
    pub min_words: usize,
    pub id_pattern: Regex,
    pub owner_pattern: Option<Regex>,
}

#[derive(Debug, Clone)]
struct CompiledOverride {
    files: Option<GlobSet>,
    status: Vec<String>,
    levels: HashMap<String, Level>,
}

/// Everything the rules and the pipeline need from the configuration.
#[derive(Debug)]
pub struct Settings {
    pub config: Config,
    pub sections: Vec<SectionSpec>,
    /// Configured section index per `document::Role`.
    pub roles: Vec<Option<usize>>,
    pub zones: ZoneRules,
    /// Allowed document statuses, as configured.
    pub statuses: Vec<String>,
    pub action_item_statuses: Vec<String>,
    /// `action_item_statuses` normalised once (see
    /// [`Settings::action_item_status_keys`]), and the list they were
    /// normalised from.
    action_item_status_keys: (Vec<String>, Vec<String>),
    pub incident_id_pattern: Option<Regex>,
    pub timeline_slack: Duration,
    pub options: RuleOptions,
    pub custom: Vec<CustomRule>,
    pub people: Vec<String>,
    pub systems: Vec<String>,
    levels: HashMap<String, Level>,
    overrides: Vec<CompiledOverride>,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

/// Where the configuration came from, to point errors at its lines.
#[derive(Debug, Clone, Default)]
pub struct ConfigSource {
    pub path: String,
    pub text: String,
}

impl Settings {
    /// The built-in defaults.
    pub fn defaults() -> Settings {
        Settings::resolve(Config::default(), None).expect("the built-in configuration is valid")
    }

    /// Validates and compiles `config`. `source` (the main file's path and
    /// text) lets errors point at the offending line.
    pub fn resolve(config: Config, source: Option<(&str, &str)>) -> Result<Settings, ConfigError> {
        let (path, text) = source.unwrap_or(("<configuration>", ""));
        let err_at_key = |key: &str, message: String, label: &str| match find_key(text, key) {
            Some(span) if !text.is_empty() => ConfigError::at(path, text, span, message, label),
            _ => ConfigError::plain(format!("{path}: {message}")),
        };
        let err_at_value = |value: &str, message: String, label: &str| {
            if text.is_empty() {
                ConfigError::plain(format!("{path}: {message}"))
            } else {
                ConfigError::at(path, text, find_value(text, value), message, label)
            }
        };
        let compile = |pattern: &str, what: &str| {
            Regex::new(pattern).map_err(|e| {
                err_at_value(
                    pattern,
                    format!("invalid regular expression in {what}: {e}"),
                    "invalid regex",
                )
            })
        };

        // Sections.
        let sections: Vec<SectionSpec> = config
            .sections
            .iter()
            .map(|s| {
                let mut keys = vec![normalize_heading(&s.name)];
                keys.extend(s.aliases.iter().map(|a| normalize_heading(a)));
                keys.retain(|k| !k.is_empty());
                keys.dedup();
                SectionSpec {
                    name: s.name.clone(),
                    keys,
                    required: s.required,
                }
            })
            .collect();

        // Time zones.
        let mut zones = ZoneRules::default();
        for (abbr, target) in &config.timezone_aliases {
            let zone = zones.parse_zone(target).map_err(|_| {
                err_at_value(
                    target,
                    format!("`timezone_aliases.{abbr}`: `{target}` is not an offset or IANA zone"),
                    "not a time zone",
                )
            })?;
            zones.aliases.insert(abbr.to_ascii_uppercase(), zone);
        }
        zones.default = zones.parse_zone(&config.default_timezone).map_err(|_| {
            err_at_key(
                "default_timezone",
                format!(
                    "`default_timezone`: `{}` is not UTC, an offset or an IANA zone",
                    config.default_timezone
                ),
                "not a time zone",
            )
        })?;
        if matches!(zones.default, Zone::Fixed(_)) {
            // Fine: UTC or an offset.
        }

        let timeline_slack = parse_duration(&config.timeline_slack).ok_or_else(|| {
            err_at_key(
                "timeline_slack",
                format!(
                    "`timeline_slack`: `{}` is not a duration like `24h`",
                    config.timeline_slack
                ),
                "not a duration",
            )
        })?;
        if let Some(format) = config.check.format.as_deref() {
            const FORMATS: [&str; 8] = [
                "human", "concise", "json", "github", "sarif", "rdjson", "gitlab", "junit",
            ];
            if !FORMATS.contains(&format) {
                let e = err_at_value(
                    format,
                    format!("`check.format`: unknown format `{format}`"),
                    "unknown format",
                );
                return Err(match did_you_mean(format, FORMATS) {
                    Some(best) => e.with_help(format!("did you mean `{best}`?")),
                    None => e.with_help(format!("formats: {}", FORMATS.join(", "))),
                });
            }
        }
        let incident_id_pattern = config
            .incident_id_pattern
            .as_deref()
            .map(|p| compile(p, "`incident_id_pattern`"))
            .transpose()?;

        // Custom rules (their ids join the known ids).
        let custom = rules::custom::compile(&config.custom_rules, path, text)?;
        let custom_ids: Vec<&str> = custom.iter().map(|c| c.id.as_ref()).collect();
        let known = |id: &str| rules::find(id).is_some() || custom_ids.contains(&id);
        let all_ids: Vec<&str> = rules::all()
            .iter()
            .map(|r| r.id)
            .chain(custom_ids.iter().copied())
            .collect();

        let unknown_rule = |id: &str| {
            let mut e = err_at_key(id, format!("unknown rule `{id}`"), "unknown rule");
            if let Some(best) = did_you_mean(id, all_ids.iter().copied()) {
                e = e.with_help(format!("did you mean `{best}`?"));
            } else {
                e = e.with_help("`pmlint rules` lists every rule id");
            }
            e
        };

        // Levels and options.
        let mut levels = HashMap::new();
        let mut options = RuleOptions {
            min_whys: 2,
            min_words: 4,
            id_pattern: Regex::new(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]+$")
                .expect("default id pattern"),
            owner_pattern: None,
        };
        for (id, setting) in &config.rules {
            if !known(id) {
                return Err(unknown_rule(id));
            }
            let allowed: &[&str] = rules::find(id).map(|r| r.options).unwrap_or(&[]);
            let (level, opts) = split_setting(setting);
            if let Some(l) = level {
                let parsed = Level::parse(&l).ok_or_else(|| {
                    err_at_key(id, format!("`{id}`: unknown level `{l}`"), "unknown level")
                        .with_help("levels are error, warning, info and off")
                })?;
                levels.insert(id.clone(), parsed);
            }
            for (key, value) in opts {
                if !allowed.contains(&key.as_str()) {
                    let mut e = err_at_key(
                        &key,
                        format!("rule `{id}` has no option `{key}`"),
                        "unknown option",
                    );
                    e = match did_you_mean(&key, allowed.iter().copied()) {
                        Some(best) => e.with_help(format!("did you mean `{best}`?")),
                        None if allowed.is_empty() => {
                            e.with_help(format!("`{id}` takes no options, only a level"))
                        }
                        None => e.with_help(format!("options of `{id}`: {}", allowed.join(", "))),
                    };
                    return Err(e);
                }
                let as_usize = || {
                    value.as_u64().map(|n| n as usize).ok_or_else(|| {
                        err_at_key(
                            &key,
                            format!("`{id}.{key}` must be a whole number"),
                            "not a number",
                        )
                    })
                };
                let as_str = || {
                    value.as_str().map(str::to_string).ok_or_else(|| {
                        err_at_key(
                            &key,
                            format!("`{id}.{key}` must be a string"),
                            "not a string",
                        )
                    })
                };
                match key.as_str() {
                    "min_whys" => options.min_whys = as_usize()?,
                    "min_words" => options.min_words = as_usize()?,
                    "id_pattern" => {
                        options.id_pattern = compile(&as_str()?, &format!("`{id}.id_pattern`"))?
                    }
                    "owner_pattern" => {
                        options.owner_pattern =
                            Some(compile(&as_str()?, &format!("`{id}.owner_pattern`"))?)
                    }
                    _ => unreachable!("every declared option is handled above"),
                }
            }
        }
        for c in &custom {
            levels.entry(c.id.to_string()).or_insert(Level::On(c.level));
        }

        // Overrides.
        let mut overrides = Vec::new();
        for o in &config.overrides {
            let files = if o.files.is_empty() {
                None
            } else {
                Some(globs(&o.files).map_err(|(g, e)| {
                    err_at_value(g, format!("invalid glob `{g}`: {e}"), "invalid glob")
                })?)
            };
            let mut lv = HashMap::new();
            for (id, setting) in &o.rules {
                if !known(id) {
                    return Err(unknown_rule(id));
                }
                let (level, opts) = split_setting(setting);
                if let Some(k) = opts.keys().next() {
                    return Err(err_at_key(
                        k,
                        format!("overrides can only set levels, not `{id}.{k}`"),
                        "option in override",
                    )
                    .with_help("set rule options under the top-level `rules`"));
                }
                if let Some(l) = level {
                    let parsed = Level::parse(&l).ok_or_else(|| {
                        err_at_key(id, format!("`{id}`: unknown level `{l}`"), "unknown level")
                            .with_help("levels are error, warning, info and off")
                    })?;
                    lv.insert(id.clone(), parsed);
                }
            }
            overrides.push(CompiledOverride {
                files,
                status: o.status.iter().map(|s| normalize_status(s)).collect(),
                levels: lv,
            });
        }

        let include = if config.include.is_empty() {
            None
        } else {
            Some(globs(&config.include).map_err(|(g, e)| {
                err_at_value(g, format!("invalid glob `{g}`: {e}"), "invalid glob")
            })?)
        };
        let exclude = if config.exclude.is_empty() {
            None
        } else {
            Some(globs(&config.exclude).map_err(|(g, e)| {
                err_at_value(g, format!("invalid glob `{g}`: {e}"), "invalid glob")
            })?)
        };

        let roles = crate::document::resolve_roles(&sections);
        Ok(Settings {
            roles,
            statuses: config.statuses.clone(),
            action_item_statuses: config.action_item_statuses.clone(),
            action_item_status_keys: (
                config.action_item_statuses.clone(),
                config
                    .action_item_statuses
                    .iter()
                    .map(|s| normalize_action_status(s))
                    .collect(),
            ),
            people: config.people.clone(),
            systems: config.systems.clone(),
            sections,
            zones,
            incident_id_pattern,
            timeline_slack,
            options,
            custom,
            levels,
            overrides,
            include,
            exclude,
            config,
        })
    }

    /// The level of `rule` for a file at `path` (relative, `/`-separated)
    /// whose status is `status` (`None` when it has none). Order: the rule's
    /// default, then `rules`, then the Draft relaxation, then `overrides`.
    pub fn level(
        &self,
        rule: &str,
        default: Severity,
        draft_relaxed: bool,
        path: &str,
        status: Option<&str>,
    ) -> Level {
        self.file_levels(path, status)
            .level(rule, default, draft_relaxed)
    }

    /// The levels for one file: the status normalised and the overrides
    /// that apply to the file chosen once, for every rule's
    /// [`FileLevels::level`].
    pub fn file_levels(&self, path: &str, status: Option<&str>) -> FileLevels<'_> {
        let draft =
            status.is_some_and(|s| status_normalizes_to(s, "draft")) && self.config.draft_relaxed;
        let overrides = self
            .overrides
            .iter()
            .filter(|o| {
                o.files.as_ref().is_none_or(|g| g.is_match(path))
                    && (o.status.is_empty()
                        || status
                            .is_some_and(|s| o.status.iter().any(|n| status_normalizes_to(s, n))))
            })
            .map(|o| &o.levels)
            .collect();
        FileLevels {
            settings: self,
            draft,
            overrides,
        }
    }

    /// Whether `path` matches the configured `include` globs (true when none).
    pub fn included(&self, path: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(path))
    }

    pub fn has_include(&self) -> bool {
        self.include.is_some()
    }

    /// Whether `path` matches an `exclude` glob.
    pub fn excluded(&self, path: &str) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// `action_item_statuses`, each normalised
    /// ([`crate::document::action_items::normalize_status`]): computed once
    /// rather than for every document, unless the list was changed since.
    pub fn action_item_status_keys(&self) -> Cow<'_, [String]> {
        let (from, keys) = &self.action_item_status_keys;
        if *from == self.action_item_statuses {
            Cow::Borrowed(keys)
        } else {
            Cow::Owned(
                self.action_item_statuses
                    .iter()
                    .map(|s| normalize_action_status(s))
                    .collect(),
            )
        }
    }

    /// The configured status that `status` names (case-insensitive;
    /// `Finalized` is accepted for `Finalised`).
    pub fn canonical_status(&self, status: &str) -> Option<&str> {
        self.statuses
            .iter()
            .find(|s| same_status(s, status))
            .map(String::as_str)
    }
}

/// The levels of the rules for one file ([`Settings::file_levels`]).
pub struct FileLevels<'a> {
    settings: &'a Settings,
    /// The file is a draft and drafts are relaxed.
    draft: bool,
    /// The level tables of the overrides that apply, in order.
    overrides: Vec<&'a HashMap<String, Level>>,
}

impl FileLevels<'_> {
    /// The level of `rule`. Order: the rule's default, then `rules`, then
    /// the Draft relaxation, then the overrides.
    pub fn level(&self, rule: &str, default: Severity, draft_relaxed: bool) -> Level {
        let mut level = self
            .settings
            .levels
            .get(rule)
            .copied()
            .unwrap_or(Level::On(default));
        if self.draft && draft_relaxed {
            if let Level::On(s) = level {
                level = Level::On(s.lowered());
            }
        }
        for o in &self.overrides {
            if let Some(l) = o.get(rule) {
                level = *l;
            }
        }
        level
    }
}

/// Lower-cased, blanks collapsed, `finalized` spelled `finalised`.
pub fn normalize_status(s: &str) -> String {
    let lower = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if lower == "finalized" {
        "finalised".into()
    } else {
        lower
    }
}

/// The bytes of [`normalize_status`] of an ASCII `s`, before `finalized`
/// is respelled, without building the string.
fn ascii_status_bytes(s: &str) -> impl Iterator<Item = u8> + Clone + '_ {
    s.split_whitespace().enumerate().flat_map(|(i, word)| {
        (i > 0)
            .then_some(b' ')
            .into_iter()
            .chain(word.bytes().map(|b| b.to_ascii_lowercase()))
    })
}

/// Whether `normalize_status(s) == n`. A document's status is compared
/// with the configured ones for every file: an ASCII status is compared
/// as it is normalised, without a new string.
pub fn status_normalizes_to(s: &str, n: &str) -> bool {
    if !s.is_ascii() {
        return normalize_status(s) == n;
    }
    let bytes = ascii_status_bytes(s);
    if bytes.clone().eq(b"finalized".iter().copied()) {
        n == "finalised"
    } else {
        bytes.eq(n.bytes())
    }
}

/// Whether `normalize_status(a) == normalize_status(b)`, without building
/// either string when both are ASCII.
pub fn same_status(a: &str, b: &str) -> bool {
    if !(a.is_ascii() && b.is_ascii()) {
        return normalize_status(a) == normalize_status(b);
    }
    let finalized = |s| ascii_status_bytes(s).eq(b"finalized".iter().copied());
    match (finalized(a), finalized(b)) {
        (true, true) => true,
        (true, false) => status_normalizes_to(b, "finalised"),
        (false, true) => status_normalizes_to(a, "finalised"),
        (false, false) => ascii_status_bytes(a).eq(ascii_status_bytes(b)),
    }
}

fn split_setting(
    setting: &RuleSetting,
) -> (
    Option<String>,
    std::collections::BTreeMap<String, serde_yaml::Value>,
) {
    match setting {
        RuleSetting::Level(l) => (Some(l.clone()), Default::default()),
        RuleSetting::Table(map) => {
            let mut opts = map.clone();
            let level = opts.remove("level").map(|v| match v {
                serde_yaml::Value::String(s) => s,
                serde_yaml::Value::Bool(false) => "off".into(),
                other => crate::document::frontmatter::value_text(&other),
            });
            (level, opts)
        }
    }
}

/// Compiles configuration globs. As on the command line (and in a shell),
/// `*` stays within one directory; `**` crosses directories.
fn globs(patterns: &[String]) -> Result<GlobSet, (&str, globset::Error)> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let g = GlobBuilder::new(p.trim_start_matches("./"))
            .literal_separator(true)
            .build()
            .map_err(|e| (p.as_str(), e))?;
        b.add(g);
    }
    b.build().map_err(|e| (patterns[0].as_str(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_compare_as_normalised() {
        let cases = [
            "Draft",
            " draft ",
            "DRAFT",
            "Under  Review",
            "under\treview",
            "under\u{b}review",
            "Finalized",
            "FINALISED",
            " finalized ",
            "finalised",
            "finalized x",
            "Final",
            "",
            "   ",
            "Brouillon é",
            "ΣΑΣ",
            "σας",
            "Under\u{a0}Review",
        ];
        for a in cases {
            for b in cases {
                assert_eq!(
                    same_status(a, b),
                    normalize_status(a) == normalize_status(b),
                    "{a:?} {b:?}"
                );
                let n = normalize_status(b);
                assert_eq!(
                    status_normalizes_to(a, &n),
                    normalize_status(a) == n,
                    "{a:?} {n:?}"
                );
            }
        }
    }

    #[test]
    fn config_globs_keep_star_within_a_directory() {
        let set = globs(&["postmortems/*.md".to_string(), "legacy/**".to_string()]).expect("valid");
        assert!(set.is_match("postmortems/a.md"));
        assert!(!set.is_match("postmortems/2025/a.md"));
        assert!(set.is_match("legacy/2019/old.md"));
    }
}
