//! Property test: structured random post-mortems never make the pipeline
//! panic, every diagnostic's span lies inside the file and on character
//! boundaries with matching lines and columns, and every output format
//! stays well formed (the invariants of `tests/pipeline/mod.rs`, shared with
//! the fuzz target).
//!
//! The generator writes documents the way people do — front matter with
//! good, bad and hostile YAML, numbered sections with emoji and aliases,
//! timeline and action-item tables, nested lists and block quotes, code,
//! HTML comments and suppression directives — then varies line endings
//! (LF, CRLF, lone CR, mixed), adds a BOM, non-ASCII text and the odd
//! invalid byte. It complements the fragment-based unit tests in
//! `src/lint.rs`, which compare positions across line-ending variants.
//!
//! `PMLINT_FUZZ_ITERS=20000 PMLINT_FUZZ_SEED=7 cargo test --test properties`
//! searches longer or elsewhere; a failure prints the seed and the document.

mod pipeline;

/// xorshift64*: deterministic, no dependency, the same failure every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const KEYS: &[&str] = &[
    "title",
    "status",
    "date",
    "incident_start_time",
    "incident_end_time",
    "incident_duration",
    "author",
    "reviewers",
    "version",
    "incident_id",
    "severity",
    "services",
    "Title",
    "status ",
    "\"date\"",
    "x-custom",
];

const VALUES: &[&str] = &[
    "Database failover 🔥",
    "Draft",
    "Finalised",
    "Finalized",
    "Under Review",
    "[Draft / Under Review / Finalised]",
    "2026-01-01",
    "2026-02-30",
    "2026-01-01 10:00",
    "2026-01-01 10:00 UTC",
    "2026-01-01 23:59 +05:30",
    "2026-01-02 01:15 Europe/Berlin",
    "2026-01-01 10:00 PST",
    "2026-01-01 10:00 IST",
    "2026-01-01T10:00:00Z",
    "10:00",
    "2 hours 30 minutes",
    "2h30m",
    "90 minutes",
    "[e.g., 2 hours 30 minutes]",
    "[Name or Role of Post-Mortem Lead]",
    "@alice, Priya Shah, Zoë Ñ",
    "[\"@bob\", 'Jane Doe']",
    "INC-2026-01-01-001",
    "INC-1",
    "SEV1",
    "~",
    "null",
    "''",
    "\"\"",
    "1.0",
    "12345678901234567890123",
    "-.inf",
    "!!binary aGVsbG8=",
    "&anchor value",
    "*anchor",
    "*undefined",
    "{a: 1, b: [2, 3]}",
    "[[[[[[[[[[]]]]]]]]]]",
    "|\n  multi\n  line ü\n",
    ">-\n  folded\n\n  text\n",
    "\"unterminated",
    "'quote '' inside'",
    "value: with: colons",
    "\t tab",
    "事故 😀 Ã¼Ã”",
    "\"\\u0000 escaped nul\"",
    "\"\\uD800 lone surrogate\"",
    "<<: *anchor",
];

const SECTIONS: &[&str] = &[
    "Incident Summary",
    "Summary",
    "Overview",
    "Incident Timeline",
    "Timeline",
    "What Happened? (Narrative)",
    "Narrative",
    "Why Did It Happen? (Root Cause Analysis)",
    "Root Cause Analysis",
    "Root Causes",
    "What Went Well?",
    "What Could Be Improved?",
    "Action Items",
    "Follow-ups",
    "Lessons Learned",
    "Communication Plan",
    "References",
    "Links",
    "Title",
    "Incident ID",
    "Date and Time",
    "Services/Components Affected",
    "Impact",
    "Appendix",
    "",
];

const DECORATIONS: &[&str] = &[
    "",
    "",
    "1. ",
    "7. ",
    "1.3 ",
    "üîç ",
    "🔍 ",
    "🔥🔥 ",
    "**",
    "`",
    "[",
    "\\",
];

const WORDS: &[&str] = &[
    "the",
    "database",
    "failover",
    "took",
    "42",
    "minutes",
    "3.5k",
    "requests",
    "failed",
    "12%",
    "$4,000",
    "human error",
    "should have",
    "could have",
    "simply",
    "obviously",
    "careless",
    "Jane Doe",
    "@jdoe",
    "Bob",
    "forgot",
    "Patroni",
    "PagerDuty",
    "[Insert details here]",
    "TBD",
    "TODO",
    "db1.corp.example.com",
    "end user",
    "clients",
    "https://grafana.example.com/d/x",
    "JIRA-12",
    "`code span`",
    "**bold**",
    "_em_",
    "[link](http://x)",
    "[ref]",
    "[^1]",
    "<br>",
    "<!-- inline comment -->",
    "事故",
    "😀",
    "e\u{301}",
    "\u{a0}",
    "\u{200d}",
    "\u{2028}",
    "Ã¼Ã”",
    "\\|",
    "|",
    "&amp;",
    "\t",
];

const CELLS: &[&str] = &[
    "",
    "10:00",
    "23:59 UTC",
    "2026-01-01 10:05",
    "2026-01-01 10:05 PST",
    "25:61",
    "２３:５９",
    "PM-AI-001",
    "**PM-AI-002**",
    "`PM-AI-003`",
    "PM-AI-1",
    "@alice",
    "Jane Doe",
    "TBD",
    "[Owner]",
    "2026-06-30",
    "2026-06-31",
    "2025-01-01",
    "Open",
    "In Progress",
    "Done",
    "Won't Do",
    "Blocked",
    "Someday",
    "Add an alert on replication lag above 30 seconds",
    "Fix it",
    "Bob broke prod",
    "a \\| b",
    "`c | d`",
    "<!-- pmlint-disable-next-line -->",
    "事故 😀",
];

const RULE_IDS: &[&str] = &[
    "blameless-language",
    "counterfactual-language",
    "minimizing-language",
    "action-item-owner",
    "no-todo",
    "say-customer",
    "unknown-rule",
    "unused-suppression",
    "nope",
    "blameless-languag",
    "action-item-",
    "*",
];

struct Gen {
    rng: Rng,
    out: String,
}

impl Gen {
    fn sentence(&mut self) -> String {
        let n = 1 + self.rng.below(14);
        (0..n)
            .map(|_| self.rng.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn front_matter(&mut self) {
        self.out.push_str(
            self.rng
                .pick(&["---\n", "---\n", "---  \n", "--- \n", "----\n"]),
        );
        for _ in 0..self.rng.below(14) {
            let key = self.rng.pick(KEYS);
            match self.rng.below(10) {
                0 => {
                    // A list, block style.
                    self.out.push_str(&format!("{key}:\n"));
                    for _ in 0..self.rng.below(4) {
                        let v = self.rng.pick(VALUES);
                        self.out
                            .push_str(&format!("  - {}\n", v.replace('\n', " ")));
                    }
                }
                1 => {
                    // A nested mapping.
                    self.out
                        .push_str(&format!("{key}:\n  inner: {}\n", self.rng.pick(VALUES)));
                }
                2 => {
                    let v = self.rng.pick(VALUES).replace('\n', " ");
                    self.out
                        .push_str(&format!("{key}: &a{} {v}\n", self.rng.below(3)));
                }
                _ => {
                    let v = self.rng.pick(VALUES);
                    self.out.push_str(&format!("{key}: {v}\n"));
                }
            }
        }
        match self.rng.below(8) {
            0 => {}                          // never closed
            1 => self.out.push_str("...\n"), // YAML's document end
            _ => self.out.push_str("---\n"),
        }
    }

    fn heading(&mut self) {
        let title = format!(
            "{}{}{}",
            self.rng.pick(DECORATIONS),
            self.rng.pick(SECTIONS),
            self.rng
                .pick(&["", "", " (optional)", " ##", "  ", "?", " 🔥"])
        );
        let title = match self.rng.below(4) {
            0 => title.to_uppercase(),
            1 => title.to_lowercase(),
            _ => title,
        };
        match self.rng.below(8) {
            0 => self
                .out
                .push_str(&format!("{title}\n{}\n", "=".repeat(1 + self.rng.below(5)))),
            1 => self.out.push_str(&format!("{title}\n---\n")),
            _ => {
                let level = 1 + self.rng.below(3).min(self.rng.below(6));
                let indent = if self.rng.chance(10) { "   " } else { "" };
                self.out
                    .push_str(&format!("{indent}{} {title}\n", "#".repeat(level)));
            }
        }
    }

    fn table(&mut self) {
        let header: &[&str] = match self.rng.below(4) {
            0 => &["Time", "Event Description", "Responsible Party"],
            1 => &[
                "Action Item ID",
                "Description",
                "Owner",
                "Target Date",
                "Status",
            ],
            2 => &["Time (UTC)", "Event", "Who"],
            _ => &["ID", "Description", "Assignee", "Due", "Status", "Notes"],
        };
        let cols = header.len();
        let cells = |g: &mut Gen, n: usize, f: &mut dyn FnMut(&mut Gen) -> String| {
            let row: Vec<String> = (0..n).map(|_| f(g)).collect();
            format!("| {} |\n", row.join(" | "))
        };
        let head = header
            .iter()
            .map(|h| h.to_string())
            .collect::<Vec<_>>()
            .join(" | ");
        self.out.push_str(&format!("| {head} |\n"));
        let delim = self.rng.pick(&["---", ":--", "--:", ":-:", "-"]);
        let line = cells(self, cols, &mut |_| delim.to_string());
        self.out.push_str(&line);
        for _ in 0..self.rng.below(9) {
            // Ragged rows too: fewer or more cells than the header.
            let n = match self.rng.below(6) {
                0 => self.rng.below(cols),
                1 => cols + 1 + self.rng.below(2),
                _ => cols,
            };
            let row = cells(self, n, &mut |g| g.rng.pick(CELLS).to_string());
            self.out.push_str(&row);
        }
    }

    fn list(&mut self, depth: usize) {
        for _ in 0..1 + self.rng.below(4) {
            let indent = "  ".repeat(depth);
            let marker = self
                .rng
                .pick(&["- ", "* ", "+ ", "1. ", "2) ", "- [ ] ", "- [x] "]);
            let body = match self.rng.below(6) {
                0 => format!(
                    "**Root Cause {}:** {}",
                    1 + self.rng.below(3),
                    self.sentence()
                ),
                1 => format!("*Why:* {}", self.sentence()),
                2 => format!(
                    "PM-AI-00{}: {} — owner: {}, due: {}",
                    self.rng.below(9),
                    self.sentence(),
                    self.rng.pick(&["@alice", "TBD", "Jane Doe", ""]),
                    self.rng.pick(&["2026-08-01", "2020-02-30", "soon"])
                ),
                3 => "**Contributing Factors:** many".to_string(),
                _ => self.sentence(),
            };
            self.out.push_str(&format!("{indent}{marker}{body}\n"));
            if depth < 8 && self.rng.chance(3) {
                self.list(depth + 1);
            }
        }
    }

    fn comment(&mut self) {
        let directive = self.rng.pick(&[
            "pmlint-disable",
            "pmlint-enable",
            "pmlint-disable-next-line",
            "pmlint-disable-file",
            "PMLINT-DISABLE",
            "not a directive",
        ]);
        let ids: Vec<&str> = (0..self.rng.below(3))
            .map(|_| self.rng.pick(RULE_IDS))
            .collect();
        let sep = self.rng.pick(&[" ", ", ", ",", "\n  "]);
        let reason = self.rng.pick(&["", " -- quoted from the ticket", " --"]);
        let close = self.rng.pick(&[" -->", "-->", " -->", ""]);
        self.out.push_str(&format!(
            "<!-- {directive} {}{reason}{close}\n",
            ids.join(sep)
        ));
    }

    fn block(&mut self, depth: usize) {
        match self.rng.below(12) {
            0 | 1 => {
                let s = self.sentence();
                self.out.push_str(&format!("{s}\n"));
            }
            2 | 3 => self.table(),
            4 => self.list(0),
            5 if depth < 6 => {
                // A block quote around other blocks.
                let mut inner = Gen {
                    rng: Rng(self.rng.next() | 1),
                    out: String::new(),
                };
                inner.block(depth + 1);
                let marker = self.rng.pick(&["> ", ">", "> > "]);
                for line in inner.out.lines() {
                    self.out.push_str(&format!("{marker}{line}\n"));
                }
                self.rng.0 ^= inner.rng.0;
            }
            6 => self.comment(),
            7 => {
                let fence = self.rng.pick(&["```", "~~~", "````"]);
                let s = self.sentence();
                let close = if self.rng.chance(5) { "" } else { fence };
                self.out.push_str(&format!("{fence}\n{s}\n<!-- pmlint-disable-file -->\n{close}\n"));
            }
            8 => {
                let s = self.sentence();
                self.out.push_str(&format!("    {s}\n"));
            }
            9 => self.out.push_str(self.rng.pick(&["***\n", "<div>\nhuman error\n</div>\n", "[ref]: <x y> \"t\"\n", "[^1]: *Why:* the on-call engineer forgot\n"])),
            10 => self.out.push_str("Start: 2026-01-01 10:00 UTC\nEnd: 2026-01-01 11:47 UTC\nDuration: 1h 47m\nIncident ID: INC-1\n"),
            _ => self.out.push('\n'),
        }
        if !self.rng.chance(4) {
            self.out.push('\n');
        }
    }

    fn document(seed: u64) -> Vec<u8> {
        let mut g = Gen {
            rng: Rng(seed | 1),
            out: String::new(),
        };
        if g.rng.chance(5) {
            g.out.push('\u{feff}');
        }
        if !g.rng.chance(5) {
            g.front_matter();
        }
        for _ in 0..g.rng.below(12) {
            if g.rng.chance(3) {
                g.heading();
            }
            for _ in 0..g.rng.below(4) {
                g.block(0);
            }
        }
        let text = match g.rng.below(6) {
            0 => g.out.replace('\n', "\r\n"),
            1 => g.out.replace('\n', "\r"),
            2 => {
                // Mixed line endings, line by line.
                let mut mixed = String::new();
                for line in g.out.split_inclusive('\n') {
                    let ending = g.rng.pick(&["\n", "\r\n", "\r"]);
                    mixed.push_str(line.strip_suffix('\n').unwrap_or(line));
                    if line.ends_with('\n') {
                        mixed.push_str(ending);
                    }
                }
                mixed
            }
            _ => g.out,
        };
        let mut bytes = text.into_bytes();
        // Now and then, damage a byte: invalid UTF-8, a NUL, a cut in the
        // middle of a character.
        if !bytes.is_empty() && g.rng.chance(25) {
            let at = g.rng.below(bytes.len());
            match g.rng.below(3) {
                0 => bytes[at] = 0xFF,
                1 => bytes[at] = 0,
                _ => bytes.truncate(at),
            }
        }
        bytes
    }
}

#[test]
fn structured_random_documents_keep_every_invariant_in_every_format() {
    let iters = env_or("PMLINT_FUZZ_ITERS", 250);
    let seed = env_or("PMLINT_FUZZ_SEED", 0x5DEE_CE66_D1CE_F00D);
    let mut seeds = Rng(seed | 1);
    for i in 0..iters {
        let doc_seed = seeds.next();
        let bytes = Gen::document(doc_seed);
        let result = std::panic::catch_unwind(|| pipeline::check(&bytes));
        if result.is_err() {
            panic!(
                "document {i} (PMLINT_FUZZ_SEED={seed}, document seed {doc_seed}) broke the pipeline:\n{:?}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }
}

#[test]
fn the_generator_writes_what_it_promises() {
    // The property above is only as good as its documents: over the default
    // run they must hold each feature at least once.
    let mut seeds = Rng(0x5DEE_CE66_D1CE_F00D | 1);
    let docs: Vec<Vec<u8>> = (0..250).map(|_| Gen::document(seeds.next())).collect();
    let has = |needle: &[u8]| {
        docs.iter()
            .any(|d| d.windows(needle.len()).any(|w| w == needle))
    };
    for needle in [
        &b"---\n"[..],
        b"\r\n",
        b"\xef\xbb\xbf",
        b"| Time |",
        b"| Action Item ID |",
        b"> > ",
        b"      - ",
        b"<!-- pmlint-disable-next-line",
        b"**Root Cause",
        b"&a",
        "😀".as_bytes(),
        b"```",
    ] {
        assert!(
            has(needle),
            "no document holds {:?}",
            String::from_utf8_lossy(needle)
        );
    }
    assert!(docs.iter().any(|d| std::str::from_utf8(d).is_err()));
    assert!(docs
        .iter()
        .any(|d| d.contains(&b'\r') && !d.windows(2).any(|w| w == b"\r\n")));
}
