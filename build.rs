//! Links the `pmlint` binary as a position-dependent executable on Linux
//! with glibc.
//!
//! A position-independent executable is relocated by the dynamic loader at
//! every start: about 46,000 relocations (vtables, panic locations, the
//! tables of the regex and YAML crates), which write to some 300 pages
//! before `main` runs. `pmlint --version` took 4.6 ms (445 page faults) as
//! such an executable and takes 2.3 ms (114) linked with `-no-pie`; one
//! file end to end went from 14.0 to 11.4 ms (`hyperfine`, see
//! benches/README.md). The cost is that the binary's own code and data are
//! not placed at a random address (shared libraries, heap and stacks
//! still are), as for Go binaries.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
