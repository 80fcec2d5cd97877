use super::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a file that pmlint cannot read as a Markdown document: bytes
    /// that are not valid UTF-8 (reported at the first bad byte, with its
    /// value), a binary file (one with a NUL byte near the start), a file
    /// larger than `max_file_size` (default `10MB`, rejected by its size
    /// before it is read), or a file that cannot be read at all.
    ///
    /// A binary file found while walking a directory is skipped (`--verbose`
    /// says so); one named on the command line is reported. The other files
    /// of the run are linted as usual.
    ///
    /// ## Why is this bad?
    /// A post-mortem that is not UTF-8 text shows mangled characters on
    /// GitHub and in every tool that reads it, and none of the other rules
    /// can check it: an unreadable review is an unchecked review. Files that
    /// an editor saved as Latin-1 or Windows-1252 are the usual cause.
    ///
    /// ## Example
    /// A file saved as Latin-1, where `é` is the single byte `0xE9`:
    ///
    /// ```text
    /// title: Caf\xE9 checkout outage
    /// ```
    ///
    /// ## Use instead
    /// Save the file as UTF-8 (most editors: "Save with encoding" → UTF-8;
    /// or `iconv -f latin1 -t utf-8 in.md > out.md`):
    ///
    /// ```text
    /// title: Café checkout outage
    /// ```
    ///
    /// Keep logs, dumps and screenshots out of the post-mortem itself: link
    /// them from the References section.
    RULE {
        id: "file-encoding",
        default: Error,
        summary: "the file is not valid UTF-8, is binary, or exceeds `max_file_size`",
        draft_relaxed: false,
        options: [],
        check: None,
    }
}
