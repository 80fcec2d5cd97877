//! pmlint: a fast linter for incident post-mortems written in Markdown.
//!
//! Data flows one way: files are read into a [`document::Document`] (parsed
//! once), the [`rules`] turn it into diagnostics, [`lint`] applies levels and
//! suppression comments, and [`output`] formats the report.

// Configuration errors carry their source text for the report; they happen
// at most once per run, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod app;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod language;
pub mod lint;
pub mod output;
pub mod rules;
pub mod suppress;
pub mod sync;
pub mod time;
