use super::prelude::*;
use crate::document::FrontMatter;

declare_rule! {
    /// ## What it does
    /// Reports a post-mortem that does not start with a YAML front-matter
    /// block between `---` lines. The finding points at the first line of the
    /// file. Without front matter no other `frontmatter-*` rule reports.
    ///
    /// ## Why is this bad?
    /// The front matter carries the metadata every other check and the issue
    /// sync rely on: status, review date, incident start and end, author.
    ///
    /// ## Example
    /// ```markdown
    /// # Post-Mortem: Login outage
    ///
    /// ## 1. Incident Summary
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ---
    /// title: Post-Mortem / Incident Review - Login outage
    /// status: Draft
    /// date: 2025-07-21
    /// incident_start_time: 2025-07-18 14:05 UTC
    /// incident_end_time: 2025-07-18 15:52 UTC
    /// author: "@alice"
    /// ---
    ///
    /// # Post-Mortem: Login outage
    /// ```
    RULE {
        id: "frontmatter-missing",
        default: Error,
        summary: "no YAML front matter block at the top",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if matches!(ctx.doc.front_matter, FrontMatter::Missing) {
        out.push(
            Diagnostic::new(
                RULE.id,
                ctx.doc.body_first_line(),
                "No YAML front matter at the top of the file",
            )
            .with_suggestion(
                "start the file with a `---` block holding title, status, date, \
                 incident_start_time, incident_end_time and author, closed by `---`",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{lines, run};

    #[test]
    fn file_without_front_matter_is_reported_at_line_one() {
        let text = "# Title\n\nbody\n";
        let d = run(&RULE, text);
        assert_eq!(lines(text, &d), vec![1]);
        assert_eq!(d[0].message, "No YAML front matter at the top of the file");
    }

    #[test]
    fn empty_file_is_reported() {
        assert_eq!(run(&RULE, "").len(), 1);
    }

    #[test]
    fn front_matter_after_a_bom_is_found() {
        assert!(run(&RULE, "\u{feff}---\r\ntitle: x\r\n---\r\n# T\r\n").is_empty());
    }

    #[test]
    fn invalid_front_matter_is_not_missing() {
        assert!(run(&RULE, "---\ntitle: [unclosed\n---\n").is_empty());
    }

    #[test]
    fn a_later_rule_line_is_not_front_matter() {
        let text = "\n---\ntitle: x\n---\n";
        assert_eq!(run(&RULE, text).len(), 1);
    }
}
