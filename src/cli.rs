//! Command-line definitions (clap). Behaviour lives in `app`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "pmlint",
    version,
    about = "A fast linter for incident post-mortems written in Markdown"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint post-mortems (files, directories or globs).
    Check(CheckArgs),
    /// List every rule: id, default level, summary.
    Rules(RulesArgs),
    /// Show a rule's full documentation with examples.
    Explain {
        /// The rule id, e.g. `blameless-language`.
        rule: String,
    },
    /// Sync action items to GitHub issues (create, update, close, reopen).
    Sync(SyncArgs),
    /// Write a new post-mortem from the template.
    New(NewArgs),
    /// Print the effective configuration (defaults merged) as YAML.
    Config(ConfigArgs),
    /// Run the GitHub Action (`action.yml`): reads its inputs from
    /// `INPUT_*` and the runner's `GITHUB_*` variables.
    #[command(hide = true)]
    Action,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
    Github,
    Sarif,
    Rdjson,
    Gitlab,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories or globs (default: the config's `include`, else
    /// every Markdown file below the current directory that looks like a
    /// post-mortem).
    pub paths: Vec<String>,
    /// Output format (default `human`; `github` when GITHUB_ACTIONS=true).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write a Markdown summary to FILE (default: $GITHUB_STEP_SUMMARY when set).
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Use this configuration file instead of discovering one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The date that counts as today (YYYY-MM-DD), for overdue items.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Only run these rules (comma-separated ids; a trailing `-` or `*` selects a prefix).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Never run these rules (comma-separated ids or prefixes).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Fail when there are more than N warnings.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Exit 0 even when there are errors.
    #[arg(long)]
    pub exit_zero: bool,
    /// Say which files were skipped and why.
    #[arg(long, short)]
    pub verbose: bool,
    /// Only lint files that differ from this git ref.
    #[arg(long, value_name = "GIT_REF")]
    pub changed_since: Option<String>,
    /// Read one document from standard input, reported under NAME.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Number of threads (default: one per core).
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Colour the human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Print only diagnostics, no totals.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print as JSON.
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    /// Print as a Markdown table (the README's rule table).
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The incident's title.
    pub title: Option<String>,
    /// Where to write (default: `YYYY-MM-DD-<slug>.md` in the current directory).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print to standard output instead of writing a file.
    #[arg(long)]
    pub stdout: bool,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
    /// The date and time to use instead of now (`YYYY-MM-DD HH:MM`).
    #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the JSON Schema of the configuration instead.
    #[arg(long)]
    pub schema: bool,
    /// Use this configuration file instead of discovering one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SyncFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Files, directories or globs (default: the config's `include`, else
    /// every post-mortem below the current directory).
    pub paths: Vec<String>,
    /// The repository (default: $GITHUB_REPOSITORY).
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// Use this configuration file instead of discovering one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the plan and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: SyncFormat,
    /// The API base (default: $GITHUB_API_URL, else https://api.github.com;
    /// GitHub Enterprise Server: https://HOST/api/v3).
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// A label for the issues (repeatable; replaces `sync.labels`; the first
    /// is the one pmlint finds its issues by).
    #[arg(long = "label", value_name = "L")]
    pub labels: Vec<String>,
    /// Close issues of Done / Won't Do items (default: `sync.close_done`).
    #[arg(long, overrides_with = "no_close_done")]
    pub close_done: bool,
    /// Leave issue states alone.
    #[arg(long, overrides_with = "close_done")]
    pub no_close_done: bool,
    /// Assign the owner's @login (default: `sync.assign_owners`).
    #[arg(long, overrides_with = "no_assign_owners")]
    pub assign_owners: bool,
    /// Never assign anyone.
    #[arg(long, overrides_with = "assign_owners")]
    pub no_assign_owners: bool,
    /// At most N write requests in this run (default: `sync.max_writes`, 100).
    #[arg(long, value_name = "N")]
    pub max_writes: Option<usize>,
    /// Link each item's ID in the documents to its issue.
    #[arg(long)]
    pub write_back: bool,
    /// Milliseconds between write requests (default: `sync.write_interval_ms`, 1000).
    #[arg(long, value_name = "N")]
    pub write_interval_ms: Option<u64>,
    /// Look for pmlint's issues among all issues, not only the labelled ones.
    #[arg(long)]
    pub full_scan: bool,
    /// Longest total wait for rate limits, e.g. 90s, 15m, 1h (default:
    /// `sync.max_wait`, 15m).
    #[arg(long, value_name = "DURATION")]
    pub max_wait: Option<String>,
}
