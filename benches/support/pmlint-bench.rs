//! `pmlint-bench`: the tools behind `benches/run.sh` (feature
//! `bench-tools`).
//!
//! * `pmlint-bench gen --seed S --count N --out DIR` writes a corpus of
//!   generated post-mortems (see `corpus.rs`).
//! * `pmlint-bench floor [-j N] PATHS…` is the parse-only floor: it lists
//!   the Markdown files below PATHS, then reads each file and parses it with
//!   pulldown-cmark (the options pmlint uses) on a rayon pool of N threads,
//!   without any rule — what every Markdown linter has to do at least.

#[path = "corpus.rs"]
mod corpus;

use clap::{Parser, Subcommand};
use pulldown_cmark::{Options, Parser as Markdown};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(about = "Corpus generator and parse-only floor for pmlint's benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write COUNT generated post-mortems below DIR.
    Gen {
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long)]
        count: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Read and parse every `.md` file below PATHS, without rules.
    Floor {
        /// Worker threads (default: one per core, like pmlint).
        #[arg(short, long)]
        jobs: Option<usize>,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Gen { seed, count, out } => {
            let bytes = corpus::write_corpus(&out, seed, count)
                .map_err(|e| format!("{}: {e}", out.display()))?;
            println!("{count} files, {bytes} bytes in {}", out.display());
        }
        Command::Floor { jobs, paths } => {
            let started = Instant::now();
            let mut files = Vec::new();
            for p in &paths {
                walk(p, &mut files).map_err(|e| format!("{}: {e}", p.display()))?;
            }
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs.unwrap_or(0))
                .build()
                .map_err(|e| e.to_string())?;
            let (bytes, events) = pool.install(|| {
                files
                    .par_iter()
                    .map(|f| parse(f))
                    .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
            });
            println!(
                "{} files, {bytes} bytes, {events} events in {:.3} s",
                files.len(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}

/// Every `.md` file below `path`, in directory order.
fn walk(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            walk(&entry?.path(), out)?;
        }
    } else if path.extension().is_some_and(|e| e == "md") {
        out.push(path.to_path_buf());
    }
    Ok(())
}

/// Reads and parses one file: its size and the number of events, so that
/// the parse cannot be optimised away. An unreadable or non-UTF-8 file
/// counts as empty.
fn parse(path: &Path) -> (u64, u64) {
    let Ok(bytes) = std::fs::read(path) else {
        return (0, 0);
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return (bytes.len() as u64, 0);
    };
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let events = Markdown::new_ext(text, options).into_offset_iter().count();
    (bytes.len() as u64, events as u64)
}
