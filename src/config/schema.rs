//! The JSON Schema of the configuration (`pmlint config --schema`), so that
//! editors complete and validate `.pmlint.yml`.

use serde_json::{json, Value};

fn level() -> Value {
    json!({ "type": "string", "enum": ["error", "warning", "info", "off"] })
}

fn rule_setting(options: &[&str]) -> Value {
    let mut props = serde_json::Map::new();
    props.insert("level".into(), level());
    for o in options {
        let schema = match *o {
            "min_whys" | "min_words" => json!({ "type": "integer", "minimum": 0 }),
            _ => json!({ "type": "string", "format": "regex" }),
        };
        props.insert((*o).into(), schema);
    }
    json!({
        "oneOf": [
            level(),
            { "type": "object", "properties": props, "additionalProperties": false }
        ]
    })
}

/// The schema as a pretty-printed JSON string.
pub fn json_schema() -> String {
    let mut rules = serde_json::Map::new();
    let mut levels_only = serde_json::Map::new();
    for r in crate::rules::all() {
        rules.insert(r.id.into(), rule_setting(r.options));
        levels_only.insert(r.id.into(), rule_setting(&[]));
    }
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "pmlint configuration",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "include": strings.clone(),
            "exclude": strings.clone(),
            "extends": strings.clone(),
            "default_timezone": { "type": "string", "description": "UTC, an offset such as +02:00, or an IANA name" },
            "timezone_aliases": { "type": "object", "additionalProperties": { "type": "string" } },
            "max_file_size": { "type": ["string", "integer"], "description": "bytes, or a size such as 10MB" },
            "draft_relaxed": { "type": "boolean" },
            "statuses": strings.clone(),
            "action_item_statuses": strings.clone(),
            "incident_id_pattern": { "type": ["string", "null"], "format": "regex" },
            "timeline_slack": { "type": "string", "description": "a duration such as 24h" },
            "sections": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name"],
                    "additionalProperties": false,
                    "properties": {
                        "name": { "type": "string" },
                        "aliases": strings.clone(),
                        "required": { "type": "boolean", "default": true }
                    }
                }
            },
            "rules": { "type": "object", "properties": rules, "additionalProperties": { "description": "custom rule level" } },
            "overrides": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "files": strings.clone(),
                        "status": strings.clone(),
                        "rules": { "type": "object", "properties": levels_only }
                    }
                }
            },
            "people": strings.clone(),
            "systems": strings.clone(),
            "custom_rules": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "kind"],
                    "additionalProperties": false,
                    "properties": {
                        "id": { "type": "string", "pattern": "^[A-Za-z0-9_-]+$" },
                        "level": { "type": "string", "enum": ["error", "warning", "info"] },
                        "message": { "type": "string" },
                        "kind": { "type": "string", "enum": ["existence", "substitution", "required"] },
                        "pattern": { "type": "string", "format": "regex" },
                        "swap": { "type": "object", "additionalProperties": { "type": "string" } },
                        "sections": strings.clone(),
                        "case_sensitive": { "type": "boolean" }
                    }
                }
            },
            "check": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "format": { "type": ["string", "null"], "enum": ["human", "concise", "json", "github", "sarif", "rdjson", "gitlab", "junit", null] },
                    "max_warnings": { "type": ["integer", "null"], "minimum": 0 }
                }
            },
            "sync": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "labels": strings,
                    "assign_owners": { "type": "boolean" },
                    "close_done": { "type": "boolean" },
                    "include_drafts": { "type": "boolean" },
                    "write_interval_ms": { "type": "integer", "minimum": 0 },
                    "max_writes": { "type": "integer", "minimum": 0 },
                    "max_wait": { "type": "string" }
                }
            }
        }
    });
    serde_json::to_string_pretty(&schema).expect("the schema serialises")
}
