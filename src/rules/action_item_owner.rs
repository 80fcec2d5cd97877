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
        id: "action-item-owner",
        default: Error,
        summary: "an action item has no owner, a placeholder owner, or one not matching `owner_pattern`",
        draft_relaxed: true,
        options: ["owner_pattern"],
        check: Some(check),
    }
}

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
