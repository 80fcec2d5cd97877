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
        id: "action-items-missing",
        default: Error,
        summary: "no action items at all",
        draft_relaxed: true,
        options: [],
        check: Some(check),
    }
}

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
