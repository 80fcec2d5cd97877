//! Who counts as a person in a document: names from `author`, `reviewers`,
//! the configuration's `people`, and the timeline's Responsible Party
//! entries that look like a person's name (see SPEC "Who is a person").

use crate::config::Settings;
use crate::document::Document;

#[derive(Debug, Clone, Default)]
pub struct People {
    /// Full names as written ("Jane Doe").
    pub names: Vec<String>,
}

impl People {
    pub fn compute(doc: &Document, settings: &Settings) -> People {
        let mut names: Vec<String> = settings.people.clone();
        if let Some(fm) = doc.fm() {
            for key in ["author", "reviewers"] {
                if let Some(v) = fm.raw(key) {
                    names.extend(crate::document::frontmatter::value_list(v));
                }
            }
        }
        names.retain(|n| !n.trim().is_empty());
        names.sort();
        names.dedup();
        People { names }
    }
}
