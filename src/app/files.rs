//! Which files a `check` run lints: explicit files, walked directories
//! (honouring `.gitignore`), globs, or the configuration's `include`.

use crate::config::Settings;
use crate::output::RepoPath;
use globset::{GlobBuilder, GlobMatcher};
use std::path::{Path, PathBuf};

/// A file to lint and how it was named.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    /// The path as reported (`/` separators, no leading `./`).
    pub display: String,
    pub path: PathBuf,
    /// Named on the command line: linted even if it does not look like a
    /// post-mortem, and a binary file is a finding rather than a skip.
    pub explicit: bool,
}

/// Resolves the command line's paths. Errors name a path that does not
/// exist (exit 2).
pub fn collect(
    paths: &[String],
    settings: &Settings,
    skipped: &mut Vec<String>,
) -> Result<Vec<Target>, String> {
    let mut out = Vec::new();
    if paths.is_empty() {
        walk(Path::new("."), None, settings, &mut out, skipped);
    }
    for p in paths {
        let path = Path::new(p);
        if path.is_file() {
            out.push(Target {
                display: display(path),
                path: path.to_path_buf(),
                explicit: true,
            });
        } else if path.is_dir() {
            walk(path, None, settings, &mut out, skipped);
        } else if p.contains(['*', '?', '[', '{']) {
            let (base, pattern) = glob_parts(p);
            // `*` stays inside one directory, as in a shell; `**` crosses them.
            let glob = GlobBuilder::new(&pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("invalid glob `{p}`: {e}"))?
                .compile_matcher();
            let before = out.len();
            walk(&base, Some(&glob), settings, &mut out, skipped);
            if out.len() == before {
                skipped.push(format!("{p}: no file matches this glob"));
            }
        } else if path.symlink_metadata().is_ok() {
            // It exists but is no readable file or directory: a dangling
            // or looping symbolic link, a FIFO, a socket or a device. It
            // is linted (and reported as unreadable without being opened),
            // so that the other files of the run are still checked.
            out.push(Target {
                display: display(path),
                path: path.to_path_buf(),
                explicit: true,
            });
        } else {
            return Err(format!("{p}: no such file or directory"));
        }
    }
    out.sort();
    // A file both named and found by a walk or glob counts as named (it
    // is linted whatever it looks like).
    out.dedup_by(|later, kept| {
        let same = later.display == kept.display;
        if same {
            kept.explicit |= later.explicit;
        }
        same
    });
    Ok(out)
}

/// Splits a glob into the directory to walk and the pattern to match
/// against the walked paths. Leading components that name an existing
/// directory are taken literally, even with glob characters in their name
/// (`g[1]/*.md` lints `g[1]/pm.md`); an absolute glob walks from its own
/// directory (`/srv/pm/*.md`).
fn glob_parts(pattern: &str) -> (PathBuf, String) {
    let mut pattern = pattern;
    while let Some(rest) = pattern.strip_prefix("./") {
        pattern = rest;
    }
    let parts: Vec<&str> = pattern.split('/').collect();
    let mut base = PathBuf::new();
    let mut literal = String::new();
    let mut i = 0;
    if pattern.starts_with('/') {
        base.push("/");
        literal.push('/');
        i = 1;
    }
    // The last part names files: only the parts before it can be directories.
    while i + 1 < parts.len() {
        let part = parts[i];
        let dir = base.join(part);
        if part.is_empty() || part == "**" || !dir.is_dir() {
            break;
        }
        base = dir;
        literal.push_str(&globset::escape(part));
        literal.push('/');
        i += 1;
    }
    let pattern = format!("{literal}{}", parts[i..].join("/"));
    if base.as_os_str().is_empty() {
        base = PathBuf::from(".");
    }
    (base, pattern)
}

fn walk(
    dir: &Path,
    glob: Option<&GlobMatcher>,
    settings: &Settings,
    out: &mut Vec<Target>,
    skipped: &mut Vec<String>,
) {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                skipped.push(format!("{e}"));
                continue;
            }
        };
        let path = entry.path();
        if entry.path_is_symlink() && glob.is_none_or(|g| g.is_match(display(path))) {
            // Links are not followed while walking: no loops, and nothing
            // outside the tree is read (a pull request could add a link to
            // any file on the runner). Name a link to lint its target.
            if glob.is_some() || is_markdown(path) {
                skipped.push(format!(
                    "{}: a symbolic link (not followed while walking)",
                    display(path)
                ));
            }
            continue;
        }
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let shown = display(path);
        if let Some(g) = glob {
            if !g.is_match(&shown) && !g.is_match(path) {
                continue;
            }
        } else {
            if !is_markdown(path) {
                continue;
            }
            if !settings.included(&shown) {
                skipped.push(format!(
                    "{shown}: not matched by the configuration's `include`"
                ));
                continue;
            }
        }
        if settings.excluded(&shown) {
            skipped.push(format!("{shown}: excluded by the configuration"));
            continue;
        }
        out.push(Target {
            display: shown,
            path: path.to_path_buf(),
            explicit: false,
        });
    }
}

/// Whether a walked file is Markdown by its extension.
fn is_markdown(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("md" | "markdown"))
}

/// A path as reported: `/` separators, no leading `./`.
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

/// A path made absolute and canonical where possible, to compare paths
/// named in different ways.
pub fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Runs git and returns its standard output; the error is git's message.
fn git(args: &[&str]) -> Result<String, String> {
    let out = std::process::Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

/// `git rev-parse --show-toplevel`.
fn git_toplevel() -> Result<PathBuf, String> {
    let top = git(&["rev-parse", "--show-toplevel"])?;
    Ok(PathBuf::from(top.trim()))
}

/// The files that differ from `git_ref` (committed or not), via
/// `git diff --name-only`, as canonical paths.
pub fn changed_since(git_ref: &str) -> Result<std::collections::HashSet<PathBuf>, String> {
    if git_ref.starts_with('-') {
        return Err("a git ref cannot start with `-`".into());
    }
    let top = git_toplevel()?;
    // The ref cannot be read as an option (checked above); `--` ends the
    // revisions. `-z`: names unquoted, whatever characters they hold.
    let names = git(&["diff", "--name-only", "-z", "--no-renames", git_ref, "--"])?;
    Ok(names
        .split('\0')
        .filter(|l| !l.is_empty())
        .map(|l| canonical(&top.join(l)))
        .collect())
}

/// Where repository-relative paths (the `github` format) start:
/// `GITHUB_WORKSPACE`, else `git rev-parse --show-toplevel`, else the
/// current directory.
pub struct RepoBase {
    cwd: PathBuf,
    root: PathBuf,
}

impl RepoBase {
    pub fn discover() -> RepoBase {
        let cwd = std::env::current_dir().unwrap_or_default();
        let root = std::env::var_os("GITHUB_WORKSPACE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| git_toplevel().ok())
            .unwrap_or_else(|| cwd.clone());
        RepoBase {
            cwd: canonical(&cwd),
            root: canonical(&root),
        }
    }

    /// A reported path (relative to the current directory, or absolute)
    /// made relative to the repository root; unchanged when it lies outside.
    pub fn rebase(&self, reported: &str) -> String {
        match self.locate(reported) {
            RepoPath::Inside(rel) => rel,
            RepoPath::Outside(_) => reported.to_string(),
        }
    }

    /// A reported path relative to the repository root, or absolute when it
    /// lies outside.
    pub fn locate(&self, reported: &str) -> RepoPath {
        let abs = canonical(&self.cwd.join(Path::new(reported)));
        match abs.strip_prefix(&self.root) {
            Ok(rel) => RepoPath::Inside(display(rel)),
            Err(_) => RepoPath::Outside(without_verbatim(display(&abs))),
        }
    }

    /// The repository root, absolute, with `/` separators.
    pub fn root(&self) -> String {
        without_verbatim(display(&self.root))
    }
}

/// A canonical Windows path without its verbatim prefix (`//?/C:/x` →
/// `C:/x`), as users and other tools write it.
fn without_verbatim(path: String) -> String {
    match path.strip_prefix("//?/") {
        Some(rest) if !rest.starts_with("UNC/") => rest.to_string(),
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lints(paths: &[&str]) -> Vec<String> {
        let settings = Settings::defaults();
        let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        collect(&paths, &settings, &mut Vec::new())
            .unwrap()
            .into_iter()
            .map(|t| t.display)
            .collect()
    }

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::Builder::new()
            .prefix("pmlint-files")
            .tempdir()
            .unwrap();
        for f in ["top.md", "sub/deep.md", "g[1]/pm.md"] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "# x\n").unwrap();
        }
        dir
    }

    #[test]
    fn a_file_named_and_walked_counts_as_named() {
        let dir = tree();
        let root = display(dir.path());
        let top = format!("{root}/top.md");
        for paths in [[root.clone(), top.clone()], [top.clone(), root.clone()]] {
            let targets = collect(&paths, &Settings::defaults(), &mut Vec::new()).unwrap();
            let found: Vec<_> = targets.iter().filter(|t| t.display == top).collect();
            assert_eq!(found.len(), 1, "{targets:?}");
            assert!(found[0].explicit, "{targets:?}");
        }
    }

    #[test]
    fn a_star_glob_stays_in_its_directory() {
        let dir = tree();
        let root = display(dir.path());
        assert_eq!(
            lints(&[&format!("{root}/*.md")]),
            [format!("{root}/top.md")]
        );
        assert_eq!(
            lints(&[&format!("{root}/**/deep.md")]),
            [format!("{root}/sub/deep.md")]
        );
    }

    #[test]
    fn an_absolute_glob_matches_its_files() {
        let dir = tree();
        let root = display(dir.path());
        assert!(root.starts_with('/'));
        assert_eq!(
            lints(&[&format!("{root}/sub/*.md")]),
            [format!("{root}/sub/deep.md")]
        );
    }

    #[test]
    fn a_directory_named_with_glob_characters_is_taken_literally() {
        let dir = tree();
        let root = display(dir.path());
        assert_eq!(
            lints(&[&format!("{root}/g[1]/*.md")]),
            [format!("{root}/g[1]/pm.md")]
        );
        assert_eq!(
            lints(&[&format!("{root}/g[1]")]),
            [format!("{root}/g[1]/pm.md")]
        );
    }
}
