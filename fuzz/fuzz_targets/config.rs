//! Fuzz target over configuration files: any bytes as `.pmlint.yml`
//! through parsing, validation (rule ids, levels, options, regular
//! expressions of custom rules, globs) and the error report a user sees;
//! an accepted configuration then lints a post-mortem under the invariants
//! of `tests/pipeline/mod.rs`, which `tests/fuzz_regressions.rs` shares.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/pipeline/mod.rs"]
mod pipeline;

fuzz_target!(|data: &[u8]| {
    pipeline::check_config(data);
});
