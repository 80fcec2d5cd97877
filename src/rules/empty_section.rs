use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// TODO
    ///
    /// ## Why is this bad?
    /// TODO
    ///
    /// ## Example
    /// TODO
    ///
    /// ## Use instead
    /// TODO
    RULE {
        id: "empty-section",
        default: Error,
        summary: "a section has no content besides sub-headings, comments and placeholders",
        draft_relaxed: true,
        options: [],
        check: Some(check),
    }
}

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
