#!/usr/bin/env bash
# Installs the pmlint binary for the GitHub Action (action.yml) and writes
# its path to the step output `bin`.
#
# INPUT_VERSION (the action's `version` input):
#   empty    the release matching the action's own ref: a tag like v1.2.3 is
#            used as it is; a major/minor tag (v1, v1.2) or a commit id uses
#            the version in the action's Cargo.toml; a branch builds from
#            source (its code may not be released yet)
#   vX.Y.Z   that release's asset
#   source   `cargo install --locked --path` on the action's own source
#   path     the `pmlint` already on PATH; an error when there is none
#
# A release asset is `pmlint-<target>.tar.gz` (`.zip` on Windows) next to
# `<asset>.sha256`, as .github/workflows/release.yml publishes them. It is
# installed only when its SHA-256 matches; a mismatch is an error (never
# silently replaced by a build). When there is no asset for this runner or
# tag, or it cannot be downloaded, the action builds from source.
#
# Reads: INPUT_VERSION, PMLINT_ACTION_REF (github.action_ref),
# GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT,
# PMLINT_DOWNLOAD_URL (default https://github.com/pmlint/pmlint/releases/download,
# e.g. a mirror for GitHub Enterprise Server).
set -euo pipefail

download_url="${PMLINT_DOWNLOAD_URL:-https://github.com/pmlint/pmlint/releases/download}"
action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
temp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
exe=pmlint
if [[ "${RUNNER_OS:-}" == Windows ]]; then
  exe=pmlint.exe
  # Git Bash: work with POSIX paths; MSYS converts them back for cargo.
  if command -v cygpath >/dev/null 2>&1; then
    temp="$(cygpath -u "$temp")"
    action_path="$(cygpath -u "$action_path")"
  fi
fi

# Workflow commands take escaped data: nothing echoed can start a command.
escape() {
  local s="${1//%/%25}"
  s="${s//$'\r'/%0D}"
  printf '%s' "${s//$'\n'/%0A}"
}
fail() {
  echo "::error title=pmlint install::$(escape "$1")"
  exit 1
}
note() { echo "pmlint install: $1"; }

# Writes the step output `bin` (multi-line syntax, random delimiter) after
# checking that the binary runs.
emit() {
  local bin="$1" version
  if ! version="$("$bin" --version 2>&1)"; then
    fail "$bin does not run: $version"
  fi
  if ! "$bin" help action >/dev/null 2>&1; then
    fail "$bin ($version) has no 'action' subcommand: it is older than this action. Install the version of pmlint that matches the action, or leave 'version' empty."
  fi
  note "using $bin ($version)"
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    local delimiter="pmlint_${RANDOM}${RANDOM}${RANDOM}${RANDOM}"
    printf 'bin<<%s\n%s\n%s\n' "$delimiter" "$bin" "$delimiter" >>"$GITHUB_OUTPUT"
  else
    echo "bin=$bin"
  fi
  exit 0
}

# The release target for this runner, or nothing.
target() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-gnu ;;
    Linux/ARM64) echo aarch64-unknown-linux-gnu ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
  esac
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    return 1
  fi
}

build_from_source() {
  note "building pmlint from the action's source ($action_path)"
  if ! command -v cargo >/dev/null 2>&1; then
    fail "cannot build pmlint from source: cargo is not installed on this runner. Add a Rust toolchain step before this action, install pmlint yourself and set 'version: path', or use a released version."
  fi
  local root="$temp/pmlint-source"
  cargo install --locked --path "$action_path" --root "$root" \
    || fail "cargo install of pmlint from $action_path failed (see the log above)"
  emit "$root/bin/$exe"
}

# Downloads, verifies and unpacks a release asset; returns non-zero (after
# saying why) when the action should build from source instead.
download() {
  local tag="$1" target ext asset dir expected actual
  target="$(target)"
  if [[ -z "$target" ]]; then
    note "no release asset for ${RUNNER_OS:-an unknown OS}/${RUNNER_ARCH:-an unknown architecture}"
    return 1
  fi
  if ! command -v curl >/dev/null 2>&1; then
    note "curl is not installed, so the release asset cannot be downloaded"
    return 1
  fi
  ext=tar.gz
  if [[ "$target" == *windows* ]]; then ext=zip; fi
  asset="pmlint-$target.$ext"
  dir="$(mktemp -d "$temp/pmlint-install.XXXXXX")"
  note "downloading $download_url/$tag/$asset"
  if ! curl -fsSL --retry 3 --connect-timeout 20 -o "$dir/$asset" "$download_url/$tag/$asset" \
    || ! curl -fsSL --retry 3 --connect-timeout 20 -o "$dir/$asset.sha256" "$download_url/$tag/$asset.sha256"; then
    note "release $tag has no asset $asset (or it could not be downloaded)"
    return 1
  fi
  expected="$(tr -d '\r' <"$dir/$asset.sha256" | awk 'NR == 1 { print tolower($1) }')"
  if [[ ! "$expected" =~ ^[0-9a-f]{64}$ ]]; then
    fail "$asset.sha256 of release $tag does not hold a SHA-256"
  fi
  actual="$(sha256 "$dir/$asset")" || fail "neither sha256sum nor shasum is installed: cannot verify $asset"
  if [[ "$actual" != "$expected" ]]; then
    fail "checksum mismatch for $asset of release $tag: expected $expected, got $actual; refusing to install it"
  fi
  note "SHA-256 verified: $actual"
  mkdir "$dir/unpacked"
  if [[ "$ext" == zip ]]; then
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$dir/$asset" -d "$dir/unpacked"
    else
      7z x -y -bd "-o$dir/unpacked" "$dir/$asset" >/dev/null
    fi
  else
    tar -xzf "$dir/$asset" -C "$dir/unpacked"
  fi
  if [[ ! -f "$dir/unpacked/$exe" ]]; then
    fail "$asset of release $tag holds no $exe"
  fi
  chmod +x "$dir/unpacked/$exe" 2>/dev/null || true
  if ! "$dir/unpacked/$exe" --version >/dev/null 2>&1; then
    note "the $asset binary does not run on this runner"
    return 1
  fi
  emit "$dir/unpacked/$exe"
}

# The version in the action's Cargo.toml (the [package] one comes first).
source_version() {
  sed -n 's/^version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$action_path/Cargo.toml" 2>/dev/null | head -n 1
}

version="${INPUT_VERSION:-}"
version="${version#"${version%%[![:space:]]*}"}"
version="${version%"${version##*[![:space:]]}"}"

case "$version" in
  path)
    bin="$(command -v pmlint || true)"
    if [[ -z "$bin" ]]; then
      fail "version: path, but there is no pmlint on PATH. Install pmlint in an earlier step (e.g. cargo install pmlint), or leave 'version' empty to download the release."
    fi
    emit "$bin"
    ;;
  source)
    build_from_source
    ;;
  "")
    ref="${PMLINT_ACTION_REF:-}"
    if [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]]; then
      tag="$ref"
    elif [[ "$ref" =~ ^v[0-9]+(\.[0-9]+)?$ || "$ref" =~ ^[0-9a-f]{40}$ ]]; then
      tag="v$(source_version)"
    else
      note "the action's ref '${ref:-(none)}' is not a release"
      build_from_source
    fi
    if [[ ! "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
      note "cannot read the action's version from $action_path/Cargo.toml"
      build_from_source
    fi
    download "$tag" || build_from_source
    ;;
  *)
    if [[ ! "$version" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]]; then
      fail "version: '$version' is not a release tag like v1.2.3, 'source' or 'path'"
    fi
    tag="v${version#v}"
    download "$tag" || build_from_source
    ;;
esac
