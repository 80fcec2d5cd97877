//! The commands: reading files, running the library, writing output,
//! mapping outcomes to exit codes. All I/O lives here.

mod action;
pub(crate) mod check;
pub(crate) mod files;
mod info;
mod new;
mod sync;

use crate::cli::{Cli, Command};
use crate::config::{self, ConfigError, Settings};
use std::path::{Path, PathBuf};

/// Exit codes (public interface).
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILURES: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// Runs a parsed command line and returns the exit code.
/// What each worker thread of a check runs first (see
/// [`on_worker_start`]).
static WORKER_START: std::sync::OnceLock<fn(usize)> = std::sync::OnceLock::new();

/// Sets a function that every worker thread of `pmlint check` runs when it
/// starts, with the worker's index (0, 1, …), before any file is checked
/// (the binary uses it to tune the allocator for the thread). The first
/// setting in a process stands.
pub fn on_worker_start(f: fn(usize)) {
    let _ = WORKER_START.set(f);
}

/// Runs the function set with [`on_worker_start`], if any.
pub(crate) fn worker_started(index: usize) {
    if let Some(f) = WORKER_START.get() {
        f(index);
    }
}

pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules(args) => info::rules(&args),
        Command::Explain { rule } => info::explain(&rule),
        Command::Config(args) => info::config(&args),
        Command::New(args) => new::run(&args),
        Command::Sync(args) => sync::run(args),
        Command::Action => action::run(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e:?}");
            EXIT_USAGE
        }
    }
}

/// Writes `text` to standard output. A closed pipe (`pmlint rules | head`)
/// ends the output quietly: it is not an error of the command, and
/// `println!` would panic on it.
pub(crate) fn print_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

/// The repository root: the nearest ancestor of `start` holding `.git`,
/// else `start`.
pub fn repo_root(start: &Path) -> PathBuf {
    let mut dir = Some(start);
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    start.to_path_buf()
}

/// Loads the configuration: `--config`, else one discovered from the
/// current directory upwards, else the defaults.
pub fn load_settings(explicit: Option<&Path>) -> Result<Settings, miette::Report> {
    let cwd = std::env::current_dir()
        .map_err(|e| miette::miette!("cannot read the current directory: {e}"))?;
    let root = repo_root(&cwd);
    let path = match explicit {
        Some(p) => {
            if !p.is_file() {
                return Err(miette::Report::new(ConfigError::plain(format!(
                    "configuration file {} does not exist",
                    p.display()
                ))));
            }
            Some(p.to_path_buf())
        }
        None => config::discover(&cwd),
    };
    let Some(path) = path else {
        return Ok(Settings::defaults());
    };
    // Reports name a discovered file relative to the current directory,
    // as they name the linted files.
    let path = match path.strip_prefix(&cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => path,
    };
    // An explicitly named file may lie anywhere; what it extends must lie
    // inside the repository (or next to the file when it is outside).
    let root = if path
        .canonicalize()
        .is_ok_and(|p| p.starts_with(root.canonicalize().unwrap_or(root.clone())))
    {
        root
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or(root)
    };
    let cfg = config::load_file(&path, &root).map_err(miette::Report::new)?;
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let display = path.display().to_string();
    Settings::resolve(cfg, Some((&display, &text))).map_err(miette::Report::new)
}

/// Writes `contents` to `path` atomically: a temporary file in the same
/// directory, then a rename.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.pmlint-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
