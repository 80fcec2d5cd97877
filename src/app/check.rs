//! `pmlint check`.

use super::files::{self, Target};
use super::{load_settings, write_atomic, EXIT_FAILURES, EXIT_OK, EXIT_USAGE};
use crate::cli::{CheckArgs, ColorChoice, Format};
use crate::diagnostic::Severity;
use crate::lint::{self, FileReport, LintOptions};
use crate::output::{self, FileResult, RunReport};
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};

/// Up to this many files to check, each at most [`SMALL_FILE`] bytes, are
/// "a few small files" for the word packs.
const FEW_FILES: usize = 4;
const SMALL_FILE: u64 = 256 * 1024;

/// Chooses how the word packs are matched and starts building the rules'
/// automata on the pool, while the files are read.
fn warm_up(pool: &rayon::ThreadPool, opts: &LintOptions, few_small_files: bool) {
    crate::language::set_scan(if few_small_files {
        crate::language::Scan::Separate
    } else {
        crate::language::Scan::Shared
    });
    crate::rules::warm_up(pool, &|id| opts.selected(id));
}

pub fn run(args: CheckArgs) -> miette::Result<i32> {
    let settings = load_settings(args.config.as_deref())?;
    let today = match &args.today {
        Some(t) => crate::time::parse_date(t)
            .ok_or_else(|| miette::miette!("--today: `{t}` is not a date like 2025-07-18"))?,
        None => chrono::Local::now().date_naive(),
    };
    for id in args.select.iter().flatten().chain(args.ignore.iter()) {
        let prefix = id.ends_with(['-', '*']);
        let known = crate::rules::find(id).is_some()
            || settings.custom.iter().any(|c| &*c.id == id.as_str())
            || prefix
                && crate::rules::all()
                    .iter()
                    .any(|r| r.id.starts_with(id.trim_end_matches('*')));
        if !known {
            let ids: Vec<&str> = crate::rules::all().iter().map(|r| r.id).collect();
            let hint = crate::config::did_you_mean(id, ids.iter().copied())
                .map(|b| format!(" (did you mean `{b}`?)"))
                .unwrap_or_default();
            eprintln!("error: unknown rule `{id}` in --select/--ignore{hint}");
            return Ok(EXIT_USAGE);
        }
    }
    let format = match args.format {
        Some(f) => f,
        None if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") => Format::Github,
        // The configuration has checked the name.
        None => settings
            .config
            .check
            .format
            .as_deref()
            .and_then(|name| <Format as clap::ValueEnum>::from_str(name, false).ok())
            .unwrap_or(Format::Human),
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && args.output.is_none()
                && std::io::stdout().is_terminal()
        }
    };
    let opts = LintOptions {
        settings: &settings,
        today,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        // Action items are kept only for a Markdown summary.
        summary: args.summary.is_some()
            || std::env::var_os("GITHUB_STEP_SUMMARY").is_some_and(|v| !v.is_empty()),
    };
    let needs = Needs {
        human: format == Format::Human,
        color,
        anchors: matches!(format, Format::Sarif | Format::Rdjson | Format::Gitlab),
    };
    let mut skipped = Vec::new();

    if args.stdin_filename.is_some() && !args.paths.is_empty() {
        eprintln!(
            "error: --stdin-filename reads one document from standard input; name no paths with it"
        );
        return Ok(EXIT_USAGE);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .start_handler(super::worker_started)
        .build()
        .map_err(|e| miette::miette!("cannot start worker threads: {e}"))?;
    let results: Vec<FileResult> = if let Some(name) = &args.stdin_filename {
        warm_up(&pool, &opts, true);
        let mut bytes = Vec::new();
        let max = settings.config.max_file_size.0;
        // Read at most one byte past the limit: a larger input is refused
        // like a larger file, without holding all of it.
        if let Err(e) = std::io::stdin()
            .take(max.saturating_add(1))
            .read_to_end(&mut bytes)
        {
            eprintln!("error: cannot read standard input: {e}");
            return Ok(EXIT_USAGE);
        }
        let input = if bytes.len() as u64 > max {
            Err(format!(
                "Standard input is over the {max} byte limit (`max_file_size`)"
            ))
        } else {
            Ok(bytes)
        };
        vec![lint_one(
            &files::display(std::path::Path::new(name)),
            input,
            true,
            &opts,
            needs,
        )
        .unwrap_or_else(|skip| {
            skipped.push(skip);
            FileResult {
                path: name.clone(),
                report: FileReport::default(),
                human: None,
                anchors: Vec::new(),
            }
        })]
    } else {
        let paths = if args.paths.is_empty() && settings.has_include() {
            settings.config.include.clone()
        } else {
            args.paths.clone()
        };
        let mut targets = match files::collect(&paths, &settings, &mut skipped) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(EXIT_USAGE);
            }
        };
        if let Some(git_ref) = &args.changed_since {
            match files::changed_since(git_ref) {
                Ok(changed) => targets.retain(|t| {
                    let keep = changed.contains(&files::canonical(&t.path));
                    if !keep {
                        skipped.push(format!("{}: unchanged since {git_ref}", t.display));
                    }
                    keep
                }),
                Err(e) => {
                    eprintln!("error: --changed-since {git_ref}: {e}");
                    return Ok(EXIT_USAGE);
                }
            }
        }
        // A few small files: the word packs' separate automata warm up
        // faster than their shared one (see `language::Scan`).
        let few_small_files = targets.len() <= FEW_FILES
            && targets
                .iter()
                .all(|t| std::fs::metadata(&t.path).is_ok_and(|m| m.len() <= SMALL_FILE));
        warm_up(&pool, &opts, few_small_files);
        let max = settings.config.max_file_size.0;
        // Each document is dropped once checked, and its action items are
        // kept only for a Markdown summary.
        let keep_items = opts.summary;
        // Without a Markdown summary, `json`, `human` and `concise` are
        // written file by file as the files are checked, so memory stays
        // flat however many files and findings there are. (The GitHub
        // Actions wrapping of text on standard output needs the whole text
        // for its token, and the other formats nest results inside
        // per-run structures: those keep the run's results.)
        let in_actions = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
        let streams = !keep_items
            && match format {
                Format::Json => true,
                Format::Human | Format::Concise => !(in_actions && args.output.is_none()),
                _ => false,
            };
        if streams {
            let streamed = stream(
                &targets,
                max,
                &pool,
                &opts,
                needs,
                format,
                args.quiet,
                args.output.as_deref(),
                &mut skipped,
            );
            if args.verbose {
                for s in &skipped {
                    eprintln!("skipped {s}");
                }
            }
            let totals = match streamed {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {e}");
                    return Ok(EXIT_USAGE);
                }
            };
            let max_warnings = args.max_warnings.or(settings.config.check.max_warnings);
            return Ok(exit_code(
                totals.errors,
                totals.warnings,
                max_warnings,
                args.exit_zero,
            ));
        }
        let outcomes: Vec<Result<FileResult, String>> = pool.install(|| {
            targets
                .par_iter()
                .map(|t| {
                    let mut r = lint_one(&t.display, read(t, max), t.explicit, &opts, needs);
                    if let (Ok(r), false) = (&mut r, keep_items) {
                        r.report.action_items = Vec::new();
                    }
                    r
                })
                .collect()
        });
        outcomes
            .into_iter()
            .filter_map(|o| o.map_err(|s| skipped.push(s)).ok())
            .collect()
    };

    let report = RunReport { files: results };
    if args.verbose {
        for s in &skipped {
            eprintln!("skipped {s}");
        }
    }
    let rendered = match format {
        Format::Json => output::json::render(&report),
        Format::Github => {
            let root = files::RepoBase::discover();
            let mut s = output::github::render(&report, &|p| root.rebase(p));
            if !args.quiet {
                s.push_str(&format!("Found {}.\n", report.totals_line()));
            }
            s
        }
        Format::Sarif => {
            let root = files::RepoBase::discover();
            output::sarif::render(&report, &|p| root.locate(p), &root.root(), &settings.custom)
        }
        Format::Rdjson => {
            let root = files::RepoBase::discover();
            output::rdjson::render(&report, &|p| root.locate(p))
        }
        Format::Gitlab => {
            let root = files::RepoBase::discover();
            output::gitlab::render(&report, &|p| root.locate(p))
        }
        Format::Junit => output::junit::render(&report),
        Format::Concise => {
            let mut s = output::concise::render(&report);
            if !args.quiet {
                s.push_str(&format!("Found {}.\n", report.totals_line()));
            }
            s
        }
        _ => {
            let mut s: String = report
                .files
                .iter()
                .filter_map(|f| f.human.as_deref())
                .collect();
            if !args.quiet {
                s.push_str(&format!("Found {}.\n", report.totals_line()));
            }
            s
        }
    };
    // Inside GitHub Actions, text formats echo document text and file names
    // into the log, where a line starting with `::` would be a workflow
    // command: stop command processing around them.
    let in_actions = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let rendered =
        if in_actions && args.output.is_none() && matches!(format, Format::Human | Format::Concise)
        {
            stop_commands(&rendered)
        } else {
            rendered
        };
    match &args.output {
        Some(path) => {
            if let Err(e) = write_atomic(path, rendered.as_bytes()) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return Ok(EXIT_USAGE);
            }
        }
        None => super::print_stdout(&rendered),
    }

    // The Markdown summary: `--summary FILE` (written atomically), else
    // appended to `$GITHUB_STEP_SUMMARY`, which other steps share.
    let summary_env = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty());
    if let Some(path) = &args.summary {
        if let Err(e) = write_atomic(path, output::summary::render(&report).as_bytes()) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return Ok(EXIT_USAGE);
        }
    } else if let Some(path) = summary_env {
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(output::summary::render(&report).as_bytes()));
        if let Err(e) = appended {
            eprintln!(
                "error: cannot write the step summary {}: {e}",
                std::path::Path::new(&path).display()
            );
            return Ok(EXIT_USAGE);
        }
    }

    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let max_warnings = args.max_warnings.or(settings.config.check.max_warnings);
    Ok(exit_code(errors, warnings, max_warnings, args.exit_zero))
}

fn exit_code(errors: usize, warnings: usize, max_warnings: Option<usize>, exit_zero: bool) -> i32 {
    let failed = errors > 0 || max_warnings.is_some_and(|m| warnings > m);
    if failed && !exit_zero {
        EXIT_FAILURES
    } else {
        EXIT_OK
    }
}

/// Where a streamed report goes: standard output, or a temporary file next
/// to `--output` that replaces it once complete (as `write_atomic` does).
enum Dest {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File {
        out: std::io::BufWriter<std::fs::File>,
        tmp: std::path::PathBuf,
        path: std::path::PathBuf,
    },
}

impl Dest {
    fn open(output: Option<&std::path::Path>) -> Result<Dest, String> {
        let Some(path) = output else {
            return Ok(Dest::Stdout(std::io::BufWriter::with_capacity(
                1 << 16,
                std::io::stdout().lock(),
            )));
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.pmlint-{}.tmp", std::process::id()));
        let file = std::fs::File::create(&tmp)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(Dest::File {
            out: std::io::BufWriter::with_capacity(1 << 16, file),
            tmp,
            path: path.to_path_buf(),
        })
    }

    /// Writes `bytes`. On standard output a failure (a closed pipe) ends
    /// the output quietly, as `print_stdout` does; a file's is an error.
    fn write(&mut self, bytes: &[u8], stdout_closed: &mut bool) -> Result<(), String> {
        match self {
            Dest::Stdout(out) => {
                if !*stdout_closed && out.write_all(bytes).is_err() {
                    *stdout_closed = true;
                }
                Ok(())
            }
            Dest::File { out, path, .. } => out
                .write_all(bytes)
                .map_err(|e| format!("cannot write {}: {e}", path.display())),
        }
    }

    /// Completes the output: flushes, and puts a file in place.
    fn finish(self) -> Result<(), String> {
        match self {
            Dest::Stdout(mut out) => {
                let _ = out.flush();
                Ok(())
            }
            Dest::File { out, tmp, path } => {
                let done = out
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .and_then(|f| f.sync_all())
                    .and_then(|()| std::fs::rename(&tmp, &path));
                done.map_err(|e| format!("cannot write {}: {e}", path.display()))
            }
        }
    }

    fn abandon(self) {
        if let Dest::File { tmp, .. } = self {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Where the `json` diagnostics wait while the totals that head the
/// document are not known yet: an anonymous temporary file, else (no
/// writable temporary directory) memory.
enum Spill {
    File(std::io::BufWriter<std::fs::File>),
    Memory(Vec<u8>),
}

impl Spill {
    fn new() -> Spill {
        match tempfile::tempfile() {
            Ok(f) => Spill::File(std::io::BufWriter::with_capacity(1 << 16, f)),
            Err(_) => Spill::Memory(Vec::new()),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        match self {
            Spill::File(f) => f
                .write_all(bytes)
                .map_err(|e| format!("cannot write a temporary file: {e}")),
            Spill::Memory(v) => {
                v.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    /// Copies everything written into `dest`.
    fn copy_to(self, dest: &mut Dest, stdout_closed: &mut bool) -> Result<(), String> {
        use std::io::Seek;
        match self {
            Spill::Memory(v) => dest.write(&v, stdout_closed),
            Spill::File(f) => {
                let mut f = f
                    .into_inner()
                    .map_err(|e| format!("cannot write a temporary file: {}", e.error()))?;
                f.rewind()
                    .map_err(|e| format!("cannot read a temporary file: {e}"))?;
                let mut buf = vec![0u8; 1 << 16];
                loop {
                    let n = f
                        .read(&mut buf)
                        .map_err(|e| format!("cannot read a temporary file: {e}"))?;
                    if n == 0 {
                        return Ok(());
                    }
                    dest.write(&buf[..n], stdout_closed)?;
                }
            }
        }
    }
}

/// Checks `targets` in path order, a batch at a time on the pool, and
/// writes each file's part of the report (`json`, `human` or `concise`)
/// while the next batch is checked: memory holds at most two batches of
/// results, not the run.
/// The output is byte for byte what rendering the whole run would give.
#[allow(clippy::too_many_arguments)]
fn stream(
    targets: &[Target],
    max: u64,
    pool: &rayon::ThreadPool,
    opts: &LintOptions,
    needs: Needs,
    format: Format,
    quiet: bool,
    output: Option<&std::path::Path>,
    skipped: &mut Vec<String>,
) -> Result<output::json::Totals, String> {
    let mut dest = Dest::open(output)?;
    let result = stream_into(
        &mut dest, targets, max, pool, opts, needs, format, quiet, skipped,
    );
    match result {
        Ok(totals) => dest.finish().map(|()| totals),
        Err(e) => {
            dest.abandon();
            Err(e)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn stream_into(
    dest: &mut Dest,
    targets: &[Target],
    max: u64,
    pool: &rayon::ThreadPool,
    opts: &LintOptions,
    needs: Needs,
    format: Format,
    quiet: bool,
    skipped: &mut Vec<String>,
) -> Result<output::json::Totals, String> {
    let json = format == Format::Json;
    let mut spill = json.then(Spill::new);
    let mut stdout_closed = false;
    let mut totals = output::json::Totals::default();
    let mut first = true;
    let mut buf: Vec<u8> = Vec::new();
    // Large enough that the workers rarely wait at a batch's end, small
    // enough that a batch's results stay a few megabytes.
    let batch = (pool.current_num_threads() * 128).max(256);
    let chunks: Vec<&[Target]> = targets.chunks(batch).collect();
    // Each file is checked and its output rendered on the workers; this
    // thread writes batch k while the workers check batch k + 1 (two
    // batches in flight: memory stays bounded, and the workers neither
    // wait for the writing nor idle at a batch's end).
    pool.in_place_scope(|scope| -> Result<(), String> {
        let chunks = &chunks;
        let submit = |k: usize| {
            let chunk: &[Target] = chunks[k];
            let (tx, rx) = std::sync::mpsc::sync_channel(1);
            scope.spawn(move |_| {
                // A file's result is counted, rendered and dropped on the
                // worker that made it: glibc frees a block of another
                // thread's heap under that heap's lock, and the writing
                // thread freeing every finding's strings took a quarter of
                // its time and held up the workers.
                let outcomes: Vec<Result<(output::json::Totals, Vec<u8>), String>> = chunk
                    .par_iter()
                    .map(|t| {
                        let mut r = lint_one(&t.display, read(t, max), t.explicit, opts, needs)?;
                        r.report.action_items = Vec::new();
                        let rendered = render(&mut r, format);
                        let mut counted = output::json::Totals::default();
                        counted.add_file(&r.report.findings);
                        Ok((counted, rendered))
                    })
                    .collect();
                // The receiver is gone only when writing failed.
                let _ = tx.send(outcomes);
            });
            rx
        };
        let mut in_flight = std::collections::VecDeque::new();
        for k in 0..chunks.len() {
            if k == 0 {
                in_flight.push_back(submit(k));
            }
            if k + 1 < chunks.len() {
                in_flight.push_back(submit(k + 1));
            }
            let outcomes = in_flight
                .pop_front()
                .and_then(|rx| rx.recv().ok())
                .ok_or_else(|| "a worker thread stopped unexpectedly".to_string())?;
            buf.clear();
            for outcome in outcomes {
                let (counted, rendered) = match outcome {
                    Ok(f) => f,
                    Err(s) => {
                        skipped.push(s);
                        continue;
                    }
                };
                totals.add(&counted);
                // A JSON file's part starts with the comma that separates
                // it from the diagnostics before; the first goes without.
                if json && first && !rendered.is_empty() {
                    buf.extend_from_slice(&rendered[1..]);
                    first = false;
                } else {
                    buf.extend_from_slice(&rendered);
                }
            }
            match &mut spill {
                Some(s) => s.write(&buf)?,
                None => dest.write(&buf, &mut stdout_closed)?,
            }
        }
        Ok(())
    })?;
    if let Some(spill) = spill {
        let mut head = Vec::new();
        output::json::write_head(&mut head, &totals);
        dest.write(&head, &mut stdout_closed)?;
        spill.copy_to(dest, &mut stdout_closed)?;
        let mut tail = Vec::new();
        output::json::write_tail(&mut tail, first);
        dest.write(&tail, &mut stdout_closed)?;
    } else if !quiet {
        let line = format!("Found {}.\n", output::totals_line(&totals));
        dest.write(line.as_bytes(), &mut stdout_closed)?;
    }
    Ok(totals)
}

/// A file's part of a streamed report: its JSON diagnostics (each after
/// `,\n`), its concise lines or its human rendering.
fn render(file: &mut FileResult, format: Format) -> Vec<u8> {
    match format {
        Format::Json => {
            // Sized up front (the keys and indentation of one pretty-printed
            // diagnostic take about 250 bytes): growing the buffer while
            // writing was 2 % of a large run.
            let size: usize = (file.report.findings.iter())
                .map(|f| {
                    280 + file.path.len()
                        + f.message.len()
                        + f.suggestion.as_ref().map_or(0, |s| s.len())
                })
                .sum();
            let mut out = Vec::with_capacity(size);
            for f in &file.report.findings {
                output::json::write_diagnostic(&mut out, false, &file.path, f);
            }
            out
        }
        Format::Concise => {
            let mut text = String::new();
            output::concise::write_file(&mut text, &file.path, &file.report.findings);
            text.into_bytes()
        }
        _ => file
            .human
            .take()
            .map(String::into_bytes)
            .unwrap_or_default(),
    }
}

/// Reads a target, refusing files over the size limit before reading.
fn read(t: &Target, max: u64) -> Result<Vec<u8>, String> {
    read_limited(&t.path, max)
}

/// Reads a regular file of at most `max` bytes. Anything else is refused
/// with a message for the `file-encoding` finding: a FIFO or device is not
/// even opened (opening a FIFO blocks until someone writes to it), a file
/// over the limit is refused by its size, and a file that grows past the
/// limit while being read is cut off at one byte more and refused too.
fn read_limited(path: &std::path::Path, max: u64) -> Result<Vec<u8>, String> {
    let unreadable = |e: std::io::Error| {
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if link && e.kind() == std::io::ErrorKind::NotFound {
            format!("Cannot read the file: it is a symbolic link to a missing file ({e})")
        } else {
            format!("Cannot read the file: {e}")
        }
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err("Cannot read the file: not a regular file (a FIFO, socket or device)".into());
    }
    if meta.len() > max {
        return Err(format!(
            "File is {} bytes, over the {max} byte limit (`max_file_size`)",
            meta.len()
        ));
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "File grew over the {max} byte limit (`max_file_size`) while it was read"
        ));
    }
    Ok(bytes)
}

/// What the chosen format needs to be made while a file's text is at hand.
#[derive(Clone, Copy)]
struct Needs {
    /// The `human` rendering.
    human: bool,
    color: bool,
    /// Anchors (other columns, fingerprints) for `sarif`, `rdjson`, `gitlab`.
    anchors: bool,
}

impl Needs {
    /// The result of a file whose findings are final: renders what the
    /// format needs from `bytes` (the file as read; empty if unreadable).
    fn result(
        &self,
        path: &str,
        report: FileReport,
        bytes: &[u8],
        text: Option<&str>,
    ) -> FileResult {
        let human = self.human.then(|| match text {
            Some(t) => output::human::render_file(path, t, &report.findings, self.color),
            None => output::human::render_plain(path, &report.findings),
        });
        let anchors = if self.anchors {
            output::anchor::compute(bytes, &report.findings)
        } else {
            Vec::new()
        };
        FileResult {
            path: path.to_string(),
            report,
            human,
            anchors,
        }
    }
}

/// Lints one file. `Err` carries why a walked file was skipped.
fn lint_one(
    path: &str,
    bytes: Result<Vec<u8>, String>,
    explicit: bool,
    opts: &LintOptions,
    needs: Needs,
) -> Result<FileResult, String> {
    let bytes = match bytes {
        Ok(b) => b,
        Err(message) => {
            let report = lint::file_problem(path, message, opts);
            return Ok(needs.result(path, report, &[], None));
        }
    };
    let binary = lint::looks_binary(&bytes);
    if !explicit && binary {
        return Err(format!("{path}: binary file"));
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(_) => {
            let report = lint::lint_bytes(path, &bytes, opts);
            return Ok(needs.result(path, report, &bytes, None));
        }
    };
    if binary {
        let report = lint::lint_bytes(path, &bytes, opts);
        return Ok(needs.result(path, report, &bytes, None));
    }
    if !explicit && !looks_like_postmortem(text, opts) {
        return Err(format!("{path}: does not look like a post-mortem (no front matter with incident keys and fewer than two of the template's sections outside code blocks)"));
    }
    let report = lint::lint_text(path, text, opts);
    Ok(needs.result(path, report, &bytes, Some(text)))
}

/// A cheap test before the full parse, for files found while walking:
/// front matter at the top with an `incident_…` key (the template's
/// `incident_start_time` and friends), front matter and one heading naming a
/// configured section, or two distinct configured section headings. Headings
/// inside fenced code blocks do not count, so documentation that shows a
/// post-mortem in a code block, and a README with one "Summary" heading, are
/// not taken for post-mortems.
pub(crate) fn looks_like_postmortem(text: &str, opts: &LintOptions) -> bool {
    // Lone CR line endings read as LF, as in the lint.
    let normalized;
    let text = if lint::has_lone_cr(text) {
        normalized = lint::lone_cr_to_lf(text);
        normalized.as_str()
    } else {
        text
    };
    let content = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The opening `---` line and the keys' names are enough: the YAML is
    // parsed once, in the lint.
    let mut lines = content.lines();
    let front_matter =
        crate::document::frontmatter::opens_front_matter(text, text.len() - content.len());
    if front_matter {
        lines.next();
        for line in lines.by_ref() {
            let t = line.trim_end();
            if t == "---" || t == "..." {
                break;
            }
            if line.starts_with("incident_") && line.contains(':') {
                return true;
            }
        }
    }
    let needed = if front_matter { 1 } else { 2 };
    let mut seen: Vec<usize> = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    for line in lines {
        let t = line.trim_start_matches(' ');
        let indent = line.len() - t.len();
        let marker = t.bytes().next().filter(|b| matches!(b, b'`' | b'~'));
        if let (Some(b), true) = (marker, indent < 4) {
            let run = t.bytes().take_while(|&c| c == b).count();
            match fence {
                None if run >= 3 && !(b == b'`' && t[run..].contains('`')) => {
                    fence = Some((b, run));
                    continue;
                }
                Some((fb, fr)) if fb == b && run >= fr && t[run..].trim().is_empty() => {
                    fence = None;
                    continue;
                }
                _ => {}
            }
        }
        if fence.is_some() || indent >= 4 || !t.starts_with('#') {
            continue;
        }
        let title = t.trim_start_matches('#');
        if !title.starts_with([' ', '\t']) {
            continue;
        }
        if let Some(i) = opts.settings.match_heading(title.trim()) {
            if !seen.contains(&i) {
                seen.push(i);
                if seen.len() >= needed {
                    return true;
                }
            }
        }
    }
    false
}

/// Wraps `text` in `::stop-commands::TOKEN` … `::TOKEN::`. The token is
/// random per run (the standard library's randomly keyed hasher), so no
/// document can contain the line that resumes command processing.
pub(crate) fn stop_commands(text: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    let token = loop {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        let token = format!("pmlint-{:016x}", h.finish());
        if !text.contains(&token) {
            break token;
        }
    };
    let mut out = String::with_capacity(text.len() + 2 * token.len() + 24);
    out.push_str(&format!("::stop-commands::{token}\n"));
    out.push_str(text);
    if !text.is_empty() && !text.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("::{token}::\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::read_limited;

    #[test]
    fn a_file_at_the_limit_is_read_and_one_byte_more_is_refused_by_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "x".repeat(100)).unwrap();
        assert_eq!(read_limited(&path, 100).unwrap().len(), 100);
        let err = read_limited(&path, 99).unwrap_err();
        assert_eq!(
            err,
            "File is 100 bytes, over the 99 byte limit (`max_file_size`)"
        );
    }

    #[test]
    fn a_huge_sparse_file_is_refused_without_being_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.md");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(1 << 40).unwrap(); // 1 TiB: reading it would never end
        let err = read_limited(&path, 10_000_000).unwrap_err();
        assert!(err.contains("1099511627776 bytes"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_being_opened() {
        // Opening a FIFO for reading blocks until a writer comes: the test
        // would hang if `read_limited` opened it.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fifo.md");
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let err = read_limited(&path, 100).unwrap_err();
        assert!(err.contains("not a regular file"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_symbolic_link_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.md");
        std::os::unix::fs::symlink(dir.path().join("gone.md"), &path).unwrap();
        let err = read_limited(&path, 100).unwrap_err();
        assert!(err.contains("symbolic link to a missing file"), "{err}");
    }
}
