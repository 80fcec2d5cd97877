use super::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a suppression comment that suppressed nothing in this run:
    /// the rules it names found nothing on the lines it covers. Comments for
    /// rules that did not run (turned `off`, or left out by `--select` /
    /// `--ignore`) are not reported, and neither is a comment that names only
    /// unknown rules (that is `unknown-rule`).
    ///
    /// ## Why is this bad?
    /// Suppressions outlive the text they were written for. A stale one
    /// hides the next real finding on its line, and a reader cannot tell
    /// which exceptions still matter.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- pmlint-disable-next-line counterfactual-language -->
    /// The failover completed in 40 seconds.
    /// ```
    ///
    /// ## Use instead
    /// Remove the comment, or move it to the line it is meant for:
    ///
    /// ```markdown
    /// The failover completed in 40 seconds.
    /// ```
    RULE {
        id: "unused-suppression",
        default: Info,
        summary: "a suppression comment that suppressed nothing",
        draft_relaxed: false,
        options: [],
        check: None,
    }
}
