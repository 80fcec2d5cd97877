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
        id: "action-item-status",
        default: Error,
        summary: "an action item's status is not an allowed status",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
