//! Configuration: the schema (`Config`, as users write it), discovery and
//! loading (`load`), and the resolved, compiled form the rules read
//! (`Settings`).

mod load;
pub mod schema;
mod settings;

pub use load::{did_you_mean, discover, load_file, parse_config, ConfigError};
pub use settings::{
    normalize_status, ConfigSource, FileLevels, RuleOptions, SectionSpec, Settings,
};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The configuration file as written (`.pmlint.yml`). Every field has a
/// default; unknown keys are errors.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Globs of what `pmlint check` with no paths lints.
    pub include: Vec<String>,
    /// Globs never linted when walking directories.
    pub exclude: Vec<String>,
    /// Further configuration files merged in order (paths inside the repository).
    pub extends: Vec<String>,
    pub default_timezone: String,
    pub timezone_aliases: BTreeMap<String, String>,
    /// Larger files are rejected by size before reading (`10MB`, `512KB`, bytes).
    pub max_file_size: ByteSize,
    pub draft_relaxed: bool,
    pub statuses: Vec<String>,
    pub action_item_statuses: Vec<String>,
    pub incident_id_pattern: Option<String>,
    pub timeline_slack: String,
    pub sections: Vec<SectionConfig>,
    pub rules: BTreeMap<String, RuleSetting>,
    pub overrides: Vec<Override>,
    pub people: Vec<String>,
    pub systems: Vec<String>,
    pub custom_rules: Vec<CustomRuleConfig>,
    pub check: CheckConfig,
    pub sync: SyncConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SectionConfig {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

/// A rule's setting: a bare level (`warning`, `off`) or a table with a
/// `level` and the rule's options.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum RuleSetting {
    Level(String),
    Table(BTreeMap<String, serde_yaml::Value>),
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Globs of files this override applies to (relative paths).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Statuses this override applies to (case-insensitive).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<String>,
    /// Rule levels (options cannot change per file).
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CustomRuleConfig {
    pub id: String,
    #[serde(default = "warning")]
    pub level: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub kind: CustomKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub swap: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<String>,
    /// Match case exactly (default: case-insensitive).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub case_sensitive: bool,
}

fn warning() -> String {
    "warning".into()
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CustomKind {
    Existence,
    Substitution,
    Required,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CheckConfig {
    pub format: Option<String>,
    pub max_warnings: Option<usize>,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            format: Some("human".into()),
            max_warnings: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SyncConfig {
    pub labels: Vec<String>,
    pub assign_owners: bool,
    pub close_done: bool,
    pub include_drafts: bool,
    pub write_interval_ms: u64,
    pub max_writes: usize,
    pub max_wait: String,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            labels: vec!["postmortem".into(), "action-item".into()],
            assign_owners: true,
            close_done: true,
            include_drafts: false,
            write_interval_ms: 1000,
            max_writes: 100,
            max_wait: "15m".into(),
        }
    }
}

/// A size in bytes, written as a number or with a unit (`10MB`, `512 KiB`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl ByteSize {
    pub fn parse(s: &str) -> Option<ByteSize> {
        let s = s.trim();
        let digits = s
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .count();
        let n: f64 = s[..digits].parse().ok()?;
        let mult: f64 = match s[digits..].trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1.0,
            "kb" | "k" => 1e3,
            "kib" => 1024.0,
            "mb" | "m" => 1e6,
            "mib" => 1024.0 * 1024.0,
            "gb" | "g" => 1e9,
            "gib" => 1024.0 * 1024.0 * 1024.0,
            _ => return None,
        };
        Some(ByteSize((n * mult) as u64))
    }
}

impl Serialize for ByteSize {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let b = self.0;
        if b > 0 && b % 1_000_000 == 0 {
            s.serialize_str(&format!("{}MB", b / 1_000_000))
        } else if b > 0 && b % 1000 == 0 {
            s.serialize_str(&format!("{}KB", b / 1000))
        } else {
            s.serialize_u64(b)
        }
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_yaml::Value::deserialize(d)?;
        let text = match &v {
            serde_yaml::Value::Number(n) => n.to_string(),
            serde_yaml::Value::String(s) => s.clone(),
            _ => String::new(),
        };
        ByteSize::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid size `{text}`: expected bytes or a size like `10MB`"
            ))
        })
    }
}

impl Default for Config {
    fn default() -> Self {
        let section = |name: &str, aliases: &[&str]| SectionConfig {
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            required: true,
        };
        Config {
            include: Vec::new(),
            exclude: Vec::new(),
            extends: Vec::new(),
            default_timezone: "UTC".into(),
            timezone_aliases: BTreeMap::new(),
            max_file_size: ByteSize(10_000_000),
            draft_relaxed: true,
            statuses: vec!["Draft".into(), "Under Review".into(), "Finalised".into()],
            action_item_statuses: vec![
                "Open".into(),
                "In Progress".into(),
                "Blocked".into(),
                "Done".into(),
                "Won't Do".into(),
            ],
            incident_id_pattern: None,
            timeline_slack: "24h".into(),
            sections: vec![
                section(
                    "Incident Summary",
                    &[
                        "Summary",
                        "Overview",
                        "Executive Summary",
                        "Incident Overview",
                    ],
                ),
                section(
                    "Incident Timeline",
                    &[
                        "Timeline",
                        "Timeline of Events",
                        "Detailed Timeline",
                        "Chronology",
                    ],
                ),
                section(
                    "Narrative",
                    &["What Happened", "What Happened?", "Incident Narrative"],
                ),
                section(
                    "Root Cause Analysis",
                    &[
                        "Why Did It Happen?",
                        "Root Causes",
                        "Root Cause",
                        "Contributing Factors and Root Causes",
                        "Root Cause and Contributing Factors",
                        "Causes",
                        "RCA",
                    ],
                ),
                section(
                    "What Went Well",
                    &["What Went Well?", "Went Well", "What Worked Well"],
                ),
                section(
                    "What Could Be Improved",
                    &[
                        "What Could Be Improved?",
                        "What Went Wrong",
                        "Improvements",
                        "What Didn't Go Well",
                        "What Went Poorly",
                    ],
                ),
                section(
                    "Action Items",
                    &[
                        "Follow-ups",
                        "Follow-up Actions",
                        "Corrective Actions",
                        "Follow-up Items",
                        "Remediation Items",
                        "Remediation",
                        "Actions",
                    ],
                ),
                section(
                    "Lessons Learned",
                    &["Lessons", "Learnings", "Key Takeaways", "Takeaways"],
                ),
                section(
                    "Communication Plan",
                    &[
                        "Communication",
                        "Messaging",
                        "Communications",
                        "Stakeholder Communication",
                    ],
                ),
                section(
                    "References",
                    &[
                        "Links",
                        "Supporting Information",
                        "Resources",
                        "Related Links",
                        // Not "Appendix": an appendix of raw logs and graphs
                        // often follows the references, and is not a second
                        // References section (SPEC lists Links and
                        // Supporting Information).
                    ],
                ),
            ],
            rules: BTreeMap::new(),
            overrides: Vec::new(),
            people: Vec::new(),
            systems: Vec::new(),
            custom_rules: Vec::new(),
            check: CheckConfig::default(),
            sync: SyncConfig::default(),
        }
    }
}
