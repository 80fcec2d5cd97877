//! In-process benchmarks (`cargo bench --bench lint`, divan): linting one
//! generated post-mortem of each size class, the parse-only floor of the
//! same document, and building a word pack (start-up work). Whole-process
//! numbers over corpora of 1 to 10,000 files: `benches/run.sh`.

#[path = "support/corpus.rs"]
mod corpus;

use chrono::NaiveDate;
use pmlint::config::Settings;
use pmlint::lint::{lint_text, LintOptions};
use std::sync::LazyLock;

fn main() {
    divan::main();
}

/// The first document of the seed-42 corpus in each size class.
static DOCS: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(|| {
    let classes: [(&str, std::ops::Range<usize>); 3] = [
        ("short-draft", 2_000..4_000),
        ("typical", 6_000..9_000),
        ("large", 30_000..64_000),
    ];
    classes
        .into_iter()
        .map(|(name, sizes)| {
            let doc = (0..)
                .map(|i| corpus::document(42, i))
                .find(|d| sizes.contains(&d.bytes.len()))
                .expect("the corpus has every size class");
            (name, String::from_utf8(doc.bytes).expect("UTF-8"))
        })
        .collect()
});

fn doc(name: &str) -> &'static str {
    &DOCS
        .iter()
        .find(|(n, _)| *n == name)
        .expect("known class")
        .1
}

const CLASSES: [&str; 3] = ["short-draft", "typical", "large"];

#[divan::bench(args = CLASSES)]
fn lint_document(bencher: divan::Bencher, class: &str) {
    let settings = Settings::defaults();
    let opts = LintOptions {
        settings: &settings,
        today: NaiveDate::from_ymd_opt(2026, 6, 1).expect("valid date"),
        select: None,
        ignore: Vec::new(),
        summary: false,
    };
    let text = doc(class);
    // The first call builds the rules' automata; measure the steady state.
    lint_text("bench.md", text, &opts);
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| lint_text("bench.md", text, &opts));
}

#[divan::bench(args = CLASSES)]
fn parse_only_floor(bencher: divan::Bencher, class: &str) {
    use pulldown_cmark::{Options, Parser};
    let text = doc(class);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| Parser::new_ext(text, options).into_offset_iter().count());
}

/// Loading a pack file: YAML, parsing every pattern, and building an
/// automaton of its own to check it.
#[divan::bench(args = ["blameless", "counterfactual", "individual-blame", "minimizing"])]
fn build_word_pack(bencher: divan::Bencher, pack: &str) {
    let yaml = match pack {
        "blameless" => include_str!("../rules/blameless.yml"),
        "counterfactual" => include_str!("../rules/counterfactual.yml"),
        "individual-blame" => include_str!("../rules/individual-blame.yml"),
        _ => include_str!("../rules/minimizing.yml"),
    };
    bencher.bench(|| pmlint::language::Pack::from_yaml(pack, yaml).expect("valid pack"));
}

/// The one automaton of the four built-in packs (their syntax trees are
/// loaded before timing).
#[divan::bench]
fn build_builtin_matcher(bencher: divan::Bencher) {
    use pmlint::language::{Matcher, BLAMELESS, COUNTERFACTUAL, INDIVIDUAL_BLAME, MINIMIZING};
    let packs = [
        &*BLAMELESS,
        &*COUNTERFACTUAL,
        &*MINIMIZING,
        &*INDIVIDUAL_BLAME,
    ];
    bencher.bench(|| Matcher::new(&packs).expect("built-in packs"));
}
