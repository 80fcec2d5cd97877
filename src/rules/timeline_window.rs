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
        id: "timeline-window",
        default: Warning,
        summary: "a timeline event lies far outside the incident window",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
