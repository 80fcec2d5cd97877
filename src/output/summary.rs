//! The Markdown summary (`--summary FILE`, or `$GITHUB_STEP_SUMMARY`):
//! totals, a table of findings per file, and each post-mortem's action
//! items with an overdue flag.

use super::RunReport;
use std::fmt::Write;

/// Renders the summary. An item is flagged overdue when the
/// `action-item-overdue` rule reported it, so the flag follows the rule's
/// logic, levels and suppressions.
pub fn render(report: &RunReport) -> String {
    let mut out = String::from("## pmlint\n\n");
    let _ = writeln!(out, "Found {}.\n", report.totals_line());
    for file in &report.files {
        let r = &file.report;
        let _ = writeln!(out, "### `{}`\n", file.path.replace('`', "'"));
        if r.findings.is_empty() {
            out.push_str("No findings.\n\n");
        } else {
            out.push_str("| Severity | Rule | Line | Message |\n|---|---|---|---|\n");
            for f in &r.findings {
                let _ = writeln!(
                    out,
                    "| {} | `{}` | {} | {} |",
                    f.severity,
                    f.rule,
                    f.start.line,
                    cell(&f.message)
                );
            }
            out.push('\n');
        }
        if !r.action_items.is_empty() {
            out.push_str(
                "| Action item | Owner | Due | Status | Overdue |\n|---|---|---|---|---|\n",
            );
            for item in &r.action_items {
                let overdue = r.findings.iter().any(|f| {
                    f.rule.as_str() == "action-item-overdue"
                        && f.span.start >= item.span.start
                        && f.span.start < item.span.end.max(item.span.start + 1)
                });
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    cell(&item.id),
                    cell(&item.owner),
                    cell(&item.due),
                    cell(&item.status),
                    if overdue { "⚠ overdue" } else { "" }
                );
            }
            out.push('\n');
        }
    }
    out
}

/// Document text inside a table cell: one line, no column breaks, no HTML,
/// and no `@mention` that would notify someone.
fn cell(s: &str) -> String {
    let one_line = s.replace(['\r', '\n'], " ");
    let escaped = one_line
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    // `@name` → `@&#8203;name`: shown the same, pings nobody.
    escaped.replace('@', "@&#8203;")
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_cannot_break_the_table_inject_html_or_mention() {
        assert_eq!(
            cell("a | b\n<img src=x> @alice"),
            "a \\| b &lt;img src=x&gt; @&#8203;alice"
        );
    }
}
