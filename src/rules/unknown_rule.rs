use super::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a rule id in a suppression comment (`pmlint-disable`,
    /// `pmlint-enable`, `pmlint-disable-next-line`, `pmlint-disable-file`)
    /// that names no built-in or custom rule, with the closest known id as a
    /// "did you mean". The unknown id suppresses nothing, and a comment whose
    /// ids are all unknown never turns into "disable every rule".
    ///
    /// ## Why is this bad?
    /// A misspelt id silently does not do what its author meant: the finding
    /// they wanted to silence is still reported, and after a rename stale
    /// comments pile up unnoticed.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- pmlint-disable-next-line blamless-language -->
    /// The phrase "human error" is quoted from the customer's ticket.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// <!-- pmlint-disable-next-line blameless-language -->
    /// The phrase "human error" is quoted from the customer's ticket.
    /// ```
    ///
    /// `pmlint rules` lists every rule id.
    RULE {
        id: "unknown-rule",
        default: Warning,
        summary: "a suppression comment names a rule that does not exist",
        draft_relaxed: false,
        options: [],
        check: None,
    }
}
