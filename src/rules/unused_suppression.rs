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
        id: "unused-suppression",
        default: Info,
        summary: "a suppression comment that suppressed nothing",
        draft_relaxed: false,
        options: [],
        check: None,
    }
}
