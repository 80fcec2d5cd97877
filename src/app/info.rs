//! `pmlint rules`, `pmlint explain`, `pmlint config`.

use super::{load_settings, print_stdout, EXIT_OK, EXIT_USAGE};
use crate::cli::{ConfigArgs, RulesArgs};
use crate::rules;

pub fn rules(args: &RulesArgs) -> miette::Result<i32> {
    if args.json {
        let list: Vec<serde_json::Value> = rules::all()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "default": r.default.as_str(),
                    "summary": r.summary,
                    "draft_relaxed": r.draft_relaxed,
                    "options": r.options,
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&list).unwrap_or_default();
        text.push('\n');
        print_stdout(&text);
        return Ok(EXIT_OK);
    }
    if args.markdown {
        print_stdout(&markdown_table());
        return Ok(EXIT_OK);
    }
    let width = rules::all().iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut text = String::new();
    for r in rules::all() {
        text.push_str(&format!(
            "{:width$}  {:7}  {}\n",
            r.id,
            r.default.as_str(),
            r.summary
        ));
    }
    print_stdout(&text);
    Ok(EXIT_OK)
}

/// The rule table in Markdown, as the README carries it between its
/// `<!-- rules:begin -->` and `<!-- rules:end -->` markers.
pub fn markdown_table() -> String {
    let mut s = String::from("| id | default | checks |\n|---|---|---|\n");
    for r in rules::all() {
        let relaxed = if r.draft_relaxed {
            " (relaxed in Draft)"
        } else {
            ""
        };
        s.push_str(&format!(
            "| `{}` | {}{} | {} |\n",
            r.id,
            r.default.as_str(),
            relaxed,
            r.summary.replace('|', "\\|")
        ));
    }
    s
}

pub fn explain(id: &str) -> miette::Result<i32> {
    match rules::find(id) {
        Some(r) => {
            print_stdout(&r.explanation());
            Ok(EXIT_OK)
        }
        None => {
            let ids: Vec<&str> = rules::all().iter().map(|r| r.id).collect();
            let hint = crate::config::did_you_mean(id, ids.iter().copied())
                .map(|b| format!("; did you mean `{b}`?"))
                .unwrap_or_else(|| "; `pmlint rules` lists every rule".into());
            eprintln!("error: unknown rule `{id}`{hint}");
            Ok(EXIT_USAGE)
        }
    }
}

pub fn config(args: &ConfigArgs) -> miette::Result<i32> {
    if args.schema {
        print_stdout(&format!("{}\n", crate::config::schema::json_schema()));
        return Ok(EXIT_OK);
    }
    let settings = load_settings(args.config.as_deref())?;
    let yaml = serde_yaml::to_string(&settings.config)
        .map_err(|e| miette::miette!("cannot print the configuration: {e}"))?;
    print_stdout(&yaml);
    Ok(EXIT_OK)
}
