//! Fuzz target over the whole check pipeline: any bytes, as a file named on
//! the command line, through the encoding check, front matter and Markdown
//! parsing, every rule, levels and suppression comments, and every output
//! format, under the default and a strict configuration. The invariants
//! (spans inside the input and on character boundaries, positions that
//! match offsets, well-formed outputs) live in `tests/pipeline/mod.rs`,
//! which `tests/fuzz_regressions.rs` shares to replay findings.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/pipeline/mod.rs"]
mod pipeline;

fuzz_target!(|data: &[u8]| {
    pipeline::check(data);
});
