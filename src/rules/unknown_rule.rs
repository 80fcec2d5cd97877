use super::declare_rule;

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
        id: "unknown-rule",
        default: Warning,
        summary: "a suppression comment names a rule that does not exist",
        draft_relaxed: false,
        options: [],
        check: None,
    }
}
