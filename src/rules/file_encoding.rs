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
        id: "file-encoding",
        default: Error,
        summary: "the file is not valid UTF-8, is binary, or exceeds `max_file_size`",
        draft_relaxed: false,
        options: [],
        check: None,
    }
}
