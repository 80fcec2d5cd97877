//! Shared by the action-item rules: an action-item table that has no column
//! for a field is one finding on its header row, not one per row.

use crate::diagnostic::Diagnostic;
use crate::document::action_items::{columns, ActionColumns, Source};
use crate::document::{ActionItem, Document};

/// Remembers which tables were already reported by one rule.
#[derive(Default)]
pub(crate) struct MissingColumn {
    reported: Vec<usize>,
}

impl MissingColumn {
    /// When `item` comes from a table without the column that `column`
    /// selects, reports that table once (`Action-item table has no {name}
    /// column`) and returns true: the caller then skips the item.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn check(
        &mut self,
        doc: &Document,
        item: &ActionItem,
        column: fn(&ActionColumns) -> Option<usize>,
        rule: &'static str,
        name: &str,
        suggestion: impl Into<String>,
        out: &mut Vec<Diagnostic>,
    ) -> bool {
        let (Source::Table { table }, Some(t)) = (item.source, item.table(doc)) else {
            return false;
        };
        if column(&columns(t)).is_some() {
            return false;
        }
        if !self.reported.contains(&table) {
            self.reported.push(table);
            out.push(
                Diagnostic::new(
                    rule,
                    t.header.span.clone(),
                    format!("Action-item table has no {name} column"),
                )
                .with_suggestion(suggestion),
            );
        }
        true
    }
}
