use super::prelude::*;
use crate::document::FrontMatter;

declare_rule! {
    /// ## What it does
    /// Reports a front-matter block that is not valid YAML, is not a mapping
    /// of keys to values, or is never closed by a `---` line. The finding
    /// points at the YAML error's line and column in the file. After it, no
    /// other `frontmatter-*` rule reports on the file.
    ///
    /// ## Why is this bad?
    /// pmlint, static-site generators and the issue sync all read the
    /// metadata from the front matter; a syntax error hides all of it.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// title: Login outage
    /// status: [Draft
    /// ---
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ---
    /// title: Login outage
    /// status: Draft
    /// ---
    /// ```
    RULE {
        id: "frontmatter-invalid",
        default: Error,
        summary: "front matter is not valid YAML or not a mapping",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let FrontMatter::Invalid { message, span } = &ctx.doc.front_matter else {
        return;
    };
    let suggestion = if message.contains("not closed") {
        "end the front matter with a `---` line before the body"
    } else if message.contains("mapping") {
        "write one `key: value` pair per line between the `---` lines"
    } else {
        "fix the YAML syntax; quote values that contain `: `, `#` or start with `[`, `{`, `@` or `*`"
    };
    out.push(
        Diagnostic::new(RULE.id, span.clone(), capitalise(message)).with_suggestion(suggestion),
    );
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{lines, run};

    #[test]
    fn yaml_syntax_error_points_at_its_line_in_the_file() {
        let text = "---\ntitle: ok\nstatus: [unclosed\nauthor: x\n---\nbody\n";
        let d = run(&RULE, text);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.starts_with("Front matter is not valid YAML"),
            "{}",
            d[0].message
        );
        let line = lines(text, &d)[0];
        assert!((3..=5).contains(&line), "line {line}");
    }

    #[test]
    fn a_list_is_not_a_mapping() {
        let text = "---\n- a\n- b\n---\n";
        let d = run(&RULE, text);
        assert_eq!(lines(text, &d), vec![1]);
        assert!(d[0].message.contains("mapping"));
    }

    #[test]
    fn unclosed_front_matter_is_invalid() {
        let d = run(&RULE, "---\ntitle: x\n\n# Body\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].suggestion.as_deref().unwrap().contains("`---`"));
    }

    #[test]
    fn valid_and_missing_front_matter_are_not_invalid() {
        assert!(run(&RULE, "---\ntitle: x\n---\n").is_empty());
        assert!(run(&RULE, "---\n---\n").is_empty());
        assert!(run(&RULE, "# no front matter\n").is_empty());
    }
}
