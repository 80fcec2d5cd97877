//! `pmlint sync`: the command line around [`crate::sync::run`].

use super::load_settings;
use crate::cli::{SyncArgs, SyncFormat};
use crate::sync::{SyncEnv, SyncOptions, SystemClock};
use std::io::Write;

fn flag(on: bool, off: bool) -> Option<bool> {
    match (on, off) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

pub fn run(args: SyncArgs) -> miette::Result<i32> {
    let settings = load_settings(args.config.as_deref())?;
    let opts = SyncOptions {
        paths: args.paths,
        repo: args.repo,
        dry_run: args.dry_run,
        json: args.format == SyncFormat::Json,
        api_url: args.api_url,
        labels: args.labels,
        close_done: flag(args.close_done, args.no_close_done),
        assign_owners: flag(args.assign_owners, args.no_assign_owners),
        max_writes: args.max_writes,
        write_back: args.write_back,
        write_interval_ms: args.write_interval_ms,
        full_scan: args.full_scan,
        max_wait: args.max_wait,
    };
    let env = SyncEnv::from_process();
    let clock = SystemClock::new();
    let out = crate::sync::run(&opts, &settings, &env, &clock);
    // Keys, paths and messages come from documents and from GitHub: inside
    // Actions, no line of them may act as a workflow command.
    let in_actions = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let stdout = if in_actions && !opts.json && !out.stdout.is_empty() {
        super::check::stop_commands(&out.stdout)
    } else {
        out.stdout
    };
    // A closed pipe is not an error of the sync.
    let _ = std::io::stdout().lock().write_all(stdout.as_bytes());
    let _ = std::io::stderr().lock().write_all(out.stderr.as_bytes());
    Ok(out.exit)
}
