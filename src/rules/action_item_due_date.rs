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
        id: "action-item-due-date",
        default: Error,
        summary: "an action item's target date is missing, malformed, or before the incident",
        draft_relaxed: true,
        options: [],
        check: Some(check),
    }
}

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
