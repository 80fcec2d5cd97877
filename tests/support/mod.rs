//! Support code shared by integration tests: `mod support;` in a test crate,
//! then `use support::fake_github::*;`.
//!
//! Each test crate uses only part of this module, so unused items are
//! expected there and must not fail `clippy -D warnings`.
#![allow(dead_code)]

pub mod fake_github;
