//! A deterministic generator of realistic post-mortems for benchmarks.
//!
//! `document(seed, index)` builds one review from a seeded PRNG: front
//! matter like the template's, the ten sections, a timeline and an
//! action-item table of 10–40 rows each (3–6 in the shortest drafts), and a
//! narrative that fills the document up to a size drawn from 2 KB to 60 KB
//! (most between 4 and 9 KB, a tail of big reviews; about 7.8 KB on
//! average). About a third of the
//! documents carry defects of the kinds pmlint reports: blaming or
//! counterfactual wording, a person as the subject of a failure, a missing
//! or duplicated section, template placeholders, overdue or vague action
//! items, unparseable or out-of-order times, a bad status, too few "why"
//! levels. Some use CRLF line endings, a BOM, a task-list form of action
//! items, quoted chat, log blocks and non-ASCII names.
//!
//! Each document depends only on `(seed, index)`, so a corpus of 100 is
//! the first 100 files of a corpus of 1,000, and the same seed always
//! gives byte-identical files. Dates lie in 2024–2026; lint with
//! `--today 2026-06-01` for stable overdue findings.
//!
//! This file is shared, through `#[path]`, by the `pmlint-bench` tool
//! (feature `bench-tools`), the `cargo bench` harness and `tests/corpus.rs`.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// SplitMix64: small, fast, and good enough for varied test prose.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next();
        r
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Priya",
    "Marcus",
    "Dana",
    "Jordan",
    "Kim",
    "Aiko",
    "Lars",
    "Fatima",
    "Mateo",
    "Chloé",
    "Oluwaseun",
    "Sven",
    "Mei",
    "Ravi",
    "Ingrid",
    "Tomás",
    "Noor",
    "Elena",
    "Kwame",
    "Hannah",
    "Zoë",
    "Björn",
    "Amara",
    "Yusuf",
    "Sofia",
    "Dmitri",
    "Léa",
    "Arjun",
    "Grace",
    "Mohammed",
];
const LAST: &[&str] = &[
    "Raman", "Lee", "Okafor", "Blake", "Osei", "Tanaka", "Nilsson", "Haddad", "García", "Dubois",
    "Adeyemi", "Larsen", "Chen", "Kumar", "Berg", "Müller", "Rahman", "Popescu", "Mensah",
    "Schmidt", "Novak", "Jensen", "Eze", "Demir", "Rossi", "Ivanov", "Moreau", "Patel", "Kowalski",
    "Ali",
];
const SERVICES: &[&str] = &[
    "payments-api",
    "auth-service",
    "search-indexer",
    "checkout-web",
    "ledger-db",
    "cdn-edge",
    "notifications",
    "billing-worker",
    "inventory-api",
    "session-store",
    "image-resizer",
    "feature-flags",
    "order-router",
    "kafka-cluster",
    "dns-resolver",
    "api-gateway",
    "reporting-etl",
    "mobile-backend",
    "identity-provider",
    "rate-limiter",
];
const COMPONENTS: &[&str] = &[
    "the primary database",
    "the read replicas",
    "the message queue",
    "the load balancer",
    "the connection pool",
    "the cache cluster",
    "the deploy pipeline",
    "the TLS terminator",
    "the job scheduler",
    "the object store",
    "the service mesh",
    "the config service",
    "the DNS zone",
    "the autoscaler",
    "the certificate bundle",
    "the feature flag service",
];
const SYMPTOMS: &[&str] = &[
    "returned 5xx errors",
    "timed out",
    "served stale data",
    "dropped messages",
    "rejected logins",
    "ran out of memory",
    "stopped processing jobs",
    "returned empty results",
    "exhausted its connection pool",
    "lagged behind by hours",
    "failed health checks",
];
const TRIGGERS: &[&str] = &[
    "a configuration change",
    "a certificate rotation",
    "a schema migration",
    "a traffic spike from a marketing campaign",
    "a dependency upgrade",
    "a failover",
    "a disk filling up",
    "an expired credential",
    "a kernel update",
    "a network partition",
    "a cron job running twice",
    "a cache eviction storm",
    "a retry storm",
];
const TZS: &[&str] = &[
    "UTC",
    "UTC",
    "UTC",
    "Z",
    "+02:00",
    "Europe/Berlin",
    "-0500",
    "America/New_York",
];
const SYSTEMS: &[&str] = &[
    "Monitoring System",
    "On-call SRE",
    "Database Team",
    "Failover System",
    "Platform Team",
    "Incident Commander",
    "Support Team",
    "Deploy Bot",
    "Network Team",
    "Alertmanager",
];
const EVENTS: &[&str] = &[
    "Alert for the {svc} error rate above 5% fired and paged the on-call engineer.",
    "On-call SRE acknowledged the page and opened the incident channel.",
    "Dashboards showed p99 latency of {svc} above {n} ms.",
    "Incident commander assigned; status page updated to \"Investigating\".",
    "Traffic to {svc} shifted to the secondary region.",
    "Rollback of the {svc} deploy started.",
    "Rollback completed; error rates began to fall.",
    "{comp} restarted with the previous configuration.",
    "Database Team joined and paused writes from the batch workers.",
    "Support reported {n} customer tickets about failed requests.",
    "Capacity of {comp} raised from {n} to {m} instances.",
    "Root cause narrowed down to {trigger}.",
    "Customer-facing metrics back to normal for 15 minutes.",
    "Incident declared resolved.",
    "Follow-up review scheduled with the owning team.",
    "Canary of the fix deployed to 5% of hosts.",
    "Fix rolled out to all regions.",
    "Queue backlog of {n} messages drained.",
];
const PROSE: &[&str] = &[
    "At {time} the {svc} service {symptom} after {trigger}.",
    "The on-call engineer saw the alert within {n} minutes and opened an incident channel.",
    "Requests that reached {comp} waited for a free connection and timed out after {n} seconds.",
    "Retries from the clients doubled the load on {comp}, which made recovery slower.",
    "The team compared the deploy history with the error graph and found that the errors started {n} minutes after {trigger}.",
    "Because the health check only tested the process and not its dependencies, the load balancer kept sending traffic to failing hosts.",
    "The runbook for {svc} described a restart but not how to drain the queue first, so the responders worked out the order of steps during the incident.",
    "Error rates fell below 1% at {time}, and the team watched the dashboards for another {n} minutes before declaring the incident resolved.",
    "About {n} requests per second were affected at the peak, roughly {m}% of the traffic of {svc}.",
    "The status page was updated every 30 minutes, and support shared the link with the {n} customers who opened tickets.",
    "Logs from {comp} showed `connection refused` errors on {n} of {m} hosts.",
    "The change had passed review and the staging tests; staging had {n} times less data than production, so the slow query did not show there.",
    "The alert threshold of {m}% had been set when {svc} served a tenth of today's traffic and had not been revisited since.",
    "Responders in two time zones handed over at {time}, with a written summary in the incident channel.",
    "A feature flag allowed the team to turn off the new code path without a deploy, which shortened the outage.",
    "The dependency's own status page reported no problem until {n} minutes after our alert fired.",
    "Dashboards for {svc} were split across three tools, which slowed down the first diagnosis.",
    "The capacity plan assumed a {m}% yearly growth, but the campaign brought {n} times the usual traffic in one hour.",
    "Synthetic checks from three regions confirmed the recovery before the incident was closed.",
    "The previous incident with {comp}, about a year earlier, had produced an action item that was still open.",
];
const BLAME: &[&str] = &[
    "The outage was caused by human error during the deploy.",
    "It was a careless mistake that anyone should have caught.",
    "This was clearly operator error and the change was sloppy.",
    "In hindsight, the warning signs were ignored.",
    "The reviewer should have noticed the missing index.",
    "We simply restarted the service and it was obviously fine after that.",
    "If only the team had tested the migration on a copy of production.",
    "It was the fault of the on-call rotation that nobody looked at the dashboard.",
    "The on-call engineer failed to escalate the page in time.",
    "Just a trivial fix was needed, it was easy once we found it.",
];
const PERSON_BLAME: &[&str] = &[
    "{person} missed the alert and the incident grew.",
    "{person} pushed the change without review on a Friday evening.",
    "{person} deployed a broken configuration to all regions at once.",
    "{person} forgot to restore the replication mode after the migration.",
    "{person} ignored the failing canary.",
];
const IMPROVE: &[&str] = &[
    "Replication mode changes reach production without a review of failover safety.",
    "The alert on {svc} fires only after {m}% of requests fail.",
    "The runbook covers only the case of a healthy replica.",
    "Dashboards for {svc} are split across three tools.",
    "Load tests run against a dataset {n} times smaller than production.",
    "Configuration changes to {comp} are applied to every region at once.",
];
const WELL: &[&str] = &[
    "The alert paged the on-call engineer within {n} minutes.",
    "The feature flag turned off the new code path without a deploy.",
    "Support and engineering shared one incident channel from the start.",
    "The write-ahead log archive held every missing transaction.",
    "Handover between time zones was written down and smooth.",
    "The rollback took {n} minutes and needed no manual step.",
];
const ACTIONS: &[&str] = &[
    "Add an alert that pages when {svc} error rate exceeds 2% for 5 minutes",
    "Restore synchronous replication for {comp} and verify it in the failover drill",
    "Extend the runbook for {svc} with recovery steps for a lagging replica",
    "Add a replication settings step to the shared database change checklist",
    "Roll out configuration changes to {comp} one region at a time with a 30 minute bake",
    "Run the load test for {svc} against a production-sized dataset before each release",
    "Move the dashboards for {svc} into one Grafana folder linked from the runbook",
    "Set connection pool limits for {svc} from measured peak traffic plus 50%",
    "Block deploys of {svc} when the canary error rate is above 1%",
    "Rotate the credentials of {comp} automatically 30 days before they expire",
    "Add a dependency health check to the {svc} readiness probe",
    "Publish a quarterly failover drill schedule for {comp}",
];
const VAGUE: &[&str] = &[
    "Investigate {comp}",
    "Improve monitoring",
    "Look into the retries",
    "Be more careful with deploys",
    "Consider a better process",
];
const STATUSES: &[&str] = &["Open", "In Progress", "Blocked", "Done", "Done", "Won't Do"];
const LINKS: &[&str] = &[
    "Incident ticket",
    "Dashboard",
    "Configuration change",
    "Deploy log",
    "Chat transcript",
    "Vendor status page",
];

struct Doc {
    rng: Rng,
    svc: &'static str,
    comp: &'static str,
    people: Vec<String>,
    handles: Vec<String>,
    start: chrono::NaiveDateTime,
    end: chrono::NaiveDateTime,
    tz: &'static str,
    out: String,
    defects: Vec<&'static str>,
}

impl Doc {
    fn fill(&mut self, template: &str) -> String {
        let n = self.rng.range(2, 90);
        let m = self.rng.range(3, 60);
        let symptom = self.rng.pick(SYMPTOMS);
        let trigger = self.rng.pick(TRIGGERS);
        let person = self.people[(self.rng.next() % self.people.len() as u64) as usize]
            .split(' ')
            .next()
            .unwrap_or("Alex")
            .to_string();
        let minute = self.rng.range(0, 59);
        let time = format!("{:02}:{:02} {}", self.start.format("%H"), minute, self.tz);
        template
            .replace("{svc}", self.svc)
            .replace("{comp}", self.comp)
            .replace("{symptom}", symptom)
            .replace("{trigger}", trigger)
            .replace("{person}", &person)
            .replace("{time}", &time)
            .replace("{n}", &n.to_string())
            .replace("{m}", &m.to_string())
    }

    fn defect(&mut self, name: &'static str, percent: u64) -> bool {
        let hit = self.rng.chance(percent);
        if hit {
            self.defects.push(name);
        }
        hit
    }

    fn paragraph(&mut self, sentences: u64, blame: bool) -> String {
        let mut p = String::new();
        for i in 0..sentences {
            if i > 0 {
                p.push(' ');
            }
            let s = if blame && i == sentences / 2 {
                if self.rng.chance(50) {
                    self.rng.pick(BLAME)
                } else {
                    self.rng.pick(PERSON_BLAME)
                }
            } else {
                self.rng.pick(PROSE)
            };
            let s = self.fill(s);
            p.push_str(&s);
        }
        p
    }
}

/// How big a document should be, in bytes: a tenth are short drafts of 2–4
/// KB, most 4–6.5 KB (more once the tables are written), some 7–16 KB, a
/// few up to 60 KB.
fn target_size(rng: &mut Rng) -> usize {
    let u = rng.range(0, 99);
    (if u < 10 {
        rng.range(2_000, 4_000)
    } else if u < 85 {
        rng.range(4_000, 6_500)
    } else if u < 97 {
        rng.range(7_000, 16_000)
    } else {
        rng.range(16_000, 60_000)
    }) as usize
}

/// Rows of a timeline or action-item table: 10–40, more in bigger
/// documents; 3–6 in the shortest drafts (under 4 KB), as in real ones.
fn table_rows(rng: &mut Rng, size: usize) -> u64 {
    if size < 4_000 {
        return rng.range(3, 6);
    }
    let most = (10 + (size as u64 - 4_000) / 500).min(40);
    rng.range(10, most)
}

/// One generated post-mortem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Where it goes below the corpus directory (`YYYY/YYYY-MM-DD-slug-NNNNN.md`).
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// The defects planted in it (rule ids, or `language` for blaming,
    /// counterfactual, minimizing or individual-blame wording); empty for a
    /// clean review.
    pub defects: Vec<&'static str>,
}

/// Generates document `index` of the corpus for `seed`.
pub fn document(seed: u64, index: u64) -> Generated {
    let mut rng = Rng::new(seed, index);
    let size = target_size(&mut rng);
    let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date")
        + chrono::Duration::days(rng.range(0, 1000) as i64);
    let start = day
        .and_hms_opt(rng.range(0, 23) as u32, rng.range(0, 59) as u32, 0)
        .expect("valid time");
    let minutes = rng.range(15, 600) as i64;
    let end = start + chrono::Duration::minutes(minutes);
    let n_people = rng.range(3, 6) as usize;
    let people: Vec<String> = (0..n_people)
        .map(|_| format!("{} {}", rng.pick(FIRST), rng.pick(LAST)))
        .collect();
    let handles = people
        .iter()
        .map(|p| format!("@{}", p.to_lowercase().replace(' ', "-")))
        .collect();
    let svc = rng.pick(SERVICES);
    let comp = rng.pick(COMPONENTS);
    let tz = rng.pick(TZS);
    let mut d = Doc {
        rng,
        svc,
        comp,
        people,
        handles,
        start,
        end,
        tz,
        out: String::with_capacity(size + 4096),
        defects: Vec::new(),
    };
    let defective = d.rng.chance(35);
    // The shortest documents are drafts with sections still to be written.
    let short = size < 4_000;
    let symptom = d.rng.pick(SYMPTOMS);
    let trigger = d.rng.pick(TRIGGERS);
    let title = format!("{svc} {symptom} after {trigger}");
    let id = format!("INC-{}-{:03}", start.format("%Y-%m-%d"), index % 1000);
    let review = end.date() + chrono::Duration::days(d.rng.range(1, 14) as i64);

    // Front matter.
    let mut sections_missing: Vec<usize> = Vec::new();
    let no_front_matter = defective && d.rng.chance(4);
    if no_front_matter {
        d.defects.push("frontmatter-missing");
    } else {
        let status = if defective && d.rng.chance(10) {
            d.defects.push("frontmatter-status");
            "Draft / Under Review / Finalised"
        } else if short {
            "Draft"
        } else {
            d.rng.pick(&[
                "Finalised",
                "Finalised",
                "Finalised",
                "Draft",
                "Under Review",
                "Finalized",
            ])
        };
        let duration = {
            let (h, m) = (minutes / 60, minutes % 60);
            let extra = if defective && d.rng.chance(10) {
                d.defects.push("duration-mismatch");
                17
            } else {
                0
            };
            let m = m + extra;
            match d.rng.range(0, 2) {
                0 => format!("{h} hours {m} minutes"),
                1 => format!("{h}h{m}m"),
                _ => format!("{} minutes", h * 60 + m),
            }
        };
        let _ = write!(
            d.out,
            "---\ntitle: \"Post-Mortem: {title}\"\nstatus: {status}\ndate: {}\n\
             incident_start_time: {} {tz}\nincident_end_time: {} {tz}\n\
             incident_duration: {duration}\nauthor: {}\n",
            review.format("%Y-%m-%d"),
            start.format("%Y-%m-%d %H:%M"),
            end.format("%Y-%m-%d %H:%M"),
            d.people[0],
        );
        if defective && d.rng.chance(10) {
            d.defects.push("frontmatter-required");
            d.out
                .push_str("reviewers: [List of key reviewers/stakeholders]\n");
        } else if d.rng.chance(50) {
            let _ = writeln!(d.out, "reviewers: [{}, {}]", d.people[1], d.people[2]);
        } else {
            let _ = writeln!(d.out, "reviewers: {}, {}", d.people[1], d.people[2]);
        }
        let _ = write!(
            d.out,
            "version: 1.{}\nincident_id: {id}\nseverity: SEV-{}\nservices: [{svc}, {}]\n---\n\n",
            d.rng.range(0, 4),
            d.rng.range(1, 4),
            d.rng.pick(SERVICES)
        );
    }
    if defective {
        for s in 1..=10 {
            if d.rng.chance(3) {
                sections_missing.push(s);
                d.defects.push("required-section");
            }
        }
    }
    let heading = if d.rng.chance(20) { "üîç " } else { "" };
    let _ = write!(
        d.out,
        "# {heading}Post-Mortem / Incident Review: {title}\n\n\
         This document reviews incident {id}, which occurred on {}. It is a blameless review: \
         it describes what the system allowed and how the response unfolded, so that the \
         organisation can learn from it.\n\n",
        start.format("%Y-%m-%d")
    );

    // Every section is rendered into its own string, then the sections
    // are written in order (sometimes swapped or duplicated: defects).
    let mut sections: Vec<(usize, String)> = Vec::new();

    // 1. Summary.
    let mut s = String::from("## 1. Incident Summary\n\n### 1.1 Incident Title\n\n");
    let _ = write!(s, "{title}.\n\n### 1.2 Incident ID\n\n");
    if defective && d.rng.chance(8) {
        d.defects.push("template-placeholder");
        s.push_str("[Incident ID, e.g., INC-2025-07-18-001]\n\n");
    } else {
        let _ = write!(s, "{id}\n\n");
    }
    let _ = write!(
        s,
        "### 1.3 Date and Time of Incident\n\n* **Start:** {} {tz}\n* **End:** {} {tz}\n\
         * **Duration:** {} minutes\n\n{}### 1.5 Impact\n\n",
        start.format("%Y-%m-%d %H:%M"),
        end.format("%Y-%m-%d %H:%M"),
        minutes,
        if short {
            String::new()
        } else {
            format!(
                "### 1.4 Services/Components Affected\n\n* {svc}\n* {}\n\n",
                comp.trim_start_matches("the ")
            )
        }
    );
    if defective && d.rng.chance(10) {
        d.defects.push("impact-unquantified");
        s.push_str("Customers were affected for a while and several teams were involved.\n\n");
    } else {
        let (n, m) = (d.rng.range(2, 60), d.rng.range(100, 90_000));
        let _ = write!(
            s,
            "* **Customer Impact:** {n}% of requests to {svc} failed for {minutes} minutes; \
             {m} checkout attempts returned an error.\n\
             * **Business Impact:** an estimated {} EUR of delayed transactions.\n\
             * **Operational Impact:** {} engineers worked on the incident; support received {} tickets.\n\n",
            m * 3,
            d.rng.range(2, 9),
            d.rng.range(5, 400)
        );
    }
    sections.push((1, s));

    // 2. Timeline.
    let rows = table_rows(&mut d.rng, size);
    let mut s = String::from(
        "## 2. Incident Timeline\n\n| Time (UTC) | Event Description | Responsible Party |\n\
         |------------|-------------------|-------------------|\n",
    );
    let bad_time = defective && d.rng.chance(10);
    let out_of_order = defective && d.rng.chance(10);
    if bad_time {
        d.defects.push("timeline-time");
    }
    if out_of_order {
        d.defects.push("timeline-order");
    }
    let mut last_day = start.date();
    for r in 0..rows {
        let at = start + chrono::Duration::minutes(minutes * r as i64 / (rows as i64 - 1).max(1));
        let at = if out_of_order && r == rows / 2 {
            at - chrono::Duration::minutes(minutes / 2 + 5)
        } else {
            at
        };
        let time = if bad_time && r == 2 {
            format!("{}:2x", at.format("%H"))
        } else if at.date() != last_day {
            last_day = at.date();
            at.format("%Y-%m-%d %H:%M").to_string()
        } else {
            at.format("%H:%M").to_string()
        };
        let event = {
            let e = d.rng.pick(EVENTS);
            d.fill(e)
        };
        let who = if d.rng.chance(30) {
            d.people[(d.rng.next() % d.people.len() as u64) as usize].clone()
        } else {
            d.rng.pick(SYSTEMS).to_string()
        };
        let _ = writeln!(s, "| {time} | {event} | {who} |");
    }
    s.push('\n');
    sections.push((2, s));

    // 4. Root causes.
    let mut s = String::from("## 4. Why Did It Happen? (Root Cause Analysis)\n\n");
    let causes = if short { 1 } else { d.rng.range(1, 3) };
    let shallow = defective && d.rng.chance(15);
    if shallow {
        d.defects.push("root-cause-depth");
    }
    for c in 1..=causes {
        let lead = d.rng.pick(PROSE);
        let lead = d.fill(lead);
        let _ = writeln!(s, "* **Root Cause {c}:** {lead}");
        let whys = if shallow && c == 1 {
            1
        } else {
            d.rng.range(2, 3)
        };
        for _ in 0..whys {
            let why = d.rng.pick(PROSE);
            let why = d.fill(why);
            let _ = writeln!(s, "    * *Why:* {why}");
        }
    }
    let _ = write!(
        s,
        "* **Contributing Factors:**\n    * {}\n\n",
        d.fill("Retries from the clients doubled the load on {comp}.")
    );
    sections.push((4, s));

    // 5–6.
    let mut s = String::from("## 5. What Went Well?\n\n");
    for _ in 0..d.rng.range(2, 5) {
        let w = d.rng.pick(WELL);
        let _ = writeln!(s, "* {}", d.fill(w));
    }
    s.push('\n');
    sections.push((5, s));
    let mut s = String::from("## 6. What Could Be Improved?\n\n");
    if short {
        s.push_str("<!-- Collect from the review meeting. -->\n");
    }
    for _ in 0..if short { 0 } else { d.rng.range(2, 5) } {
        let w = d.rng.pick(IMPROVE);
        let _ = writeln!(s, "* {}", d.fill(w));
    }
    s.push('\n');
    sections.push((6, s));

    // 7. Action items.
    let items = table_rows(&mut d.rng, size);
    let task_list = d.rng.chance(10);
    let mut s = String::from("## 7. Action Items\n\n");
    if !task_list {
        s.push_str(
            "| Action Item ID | Description | Owner | Target Date | Status |\n\
             |----------------|-------------|-------|-------------|--------|\n",
        );
    }
    let dup_id = defective && d.rng.chance(10);
    let vague = defective && d.rng.chance(20);
    let bad_owner = defective && d.rng.chance(10);
    let bad_date = defective && d.rng.chance(10);
    for (flag, name) in [
        (dup_id, "action-item-id"),
        (vague, "action-item-vague"),
        (bad_owner, "action-item-owner"),
        (bad_date, "action-item-due-date"),
    ] {
        if flag {
            d.defects.push(name);
        }
    }
    for i in 1..=items {
        let id = if dup_id && i == 2 { 1 } else { i };
        let desc = if vague && i == 1 {
            let v = d.rng.pick(VAGUE);
            d.fill(v)
        } else {
            let a = d.rng.pick(ACTIONS);
            d.fill(a)
        };
        let owner = if bad_owner && i == 1 {
            "TBD".to_string()
        } else if d.rng.chance(70) {
            d.handles[(d.rng.next() % d.handles.len() as u64) as usize].clone()
        } else {
            "@sre-oncall".to_string()
        };
        // Dates from just after the incident to a year later: with
        // `--today 2026-06-01`, open items of older incidents are overdue.
        let due = if bad_date && i == 1 {
            "soon".to_string()
        } else {
            (end.date() + chrono::Duration::days(d.rng.range(7, 365) as i64))
                .format("%Y-%m-%d")
                .to_string()
        };
        let status = d.rng.pick(STATUSES);
        if task_list {
            let done = if status == "Done" { "x" } else { " " };
            let _ = writeln!(
                s,
                "- [{done}] PM-AI-{id:03}: {desc} — owner: {owner}, due: {due}"
            );
        } else {
            let _ = writeln!(
                s,
                "| **PM-AI-{id:03}** | {desc} | {owner} | {due} | {status} |"
            );
        }
    }
    s.push('\n');
    sections.push((7, s));

    // 8–10.
    let mut s = String::from("## 8. Lessons Learned\n\n");
    if short {
        s.push_str("<!-- Draft after the action items are agreed. -->\n\n");
    } else {
        let p = d.paragraph(2, false);
        let _ = write!(
            s,
            "* {p}\n* Metrics without alerts give no protection during an incident.\n\n"
        );
    }
    sections.push((8, s));
    let mut s = String::from("## 9. Communication Plan (Post-Incident)\n\n");
    if defective && d.rng.chance(8) {
        d.defects.push("empty-section");
        s.push_str("<!-- To be agreed with the support team. -->\n\n");
    } else {
        let _ = write!(
            s,
            "* Status page update with the customer-facing summary, published on {}.\n\
             * This review shared with all engineering teams.\n\n",
            review.format("%Y-%m-%d")
        );
    }
    sections.push((9, s));
    let mut s = String::from("## 10. References\n\n");
    for l in 0..if short { 1 } else { d.rng.range(2, 5) } {
        let label = d.rng.pick(LINKS);
        let _ = writeln!(
            s,
            "* {label}: [{id}-{l}](https://tracker.example.com/{svc}/{}/{l})",
            index
        );
    }
    s.push('\n');
    sections.push((10, s));

    // 3. Narrative: the bulk of the size.
    let mut s = String::from("## 3. What Happened? (Narrative)\n\n");
    let blame_paragraphs = if defective { d.rng.range(1, 3) } else { 0 };
    let mut paragraphs = 0u64;
    // Written last, to fill the document up to its target size.
    let others: usize = d.out.len() + sections.iter().map(|(_, s)| s.len()).sum::<usize>();
    let budget = size.saturating_sub(others);
    let mut narrative = 0usize;
    if short {
        s.push_str("<!-- To be written after the interview with the owning team. -->\n\n");
        paragraphs = 2;
    }
    while !short && (narrative < budget || paragraphs < 1) {
        let blame = paragraphs < blame_paragraphs;
        if blame {
            d.defects.push("language");
        }
        let sentences = d.rng.range(2, 7);
        let p = if d.rng.chance(6) {
            let host = d.rng.range(1, 40);
            format!(
                "```text\n{} ERROR {svc}-{host}: upstream {comp} timed out after 3000ms (attempt {}/5)\n\
                 {} WARN  {svc}-{host}: circuit breaker open for {comp}\n```",
                start.format("%Y-%m-%dT%H:%M:%SZ"),
                d.rng.range(1, 5),
                start.format("%Y-%m-%dT%H:%M:%SZ"),
            )
        } else if d.rng.chance(5) {
            let who = d.people[1].clone();
            format!(
                "> **{who}:** is anyone else seeing errors from {svc}?\n> **{}:** yes, since {} — \
                 I think we just broke it, should have waited for the canary",
                d.people[2],
                start.format("%H:%M")
            )
        } else if d.rng.chance(8) {
            let n = d.rng.range(3, 5);
            let mut sub = format!("### 3.{n} Recovery\n\n");
            sub.push_str(&d.paragraph(sentences, blame));
            sub
        } else {
            d.paragraph(sentences, blame)
        };
        narrative += p.len() + 2;
        s.push_str(&p);
        s.push_str("\n\n");
        paragraphs += 1;
    }
    sections.insert(2, (3, s));

    if defective && d.rng.chance(5) {
        d.defects.push("section-order");
        sections.swap(4, 5);
    }
    if defective && d.rng.chance(4) {
        d.defects.push("duplicate-section");
        let copy = sections[9].clone();
        sections.push(copy);
    }
    for (n, text) in &sections {
        if !sections_missing.contains(n) {
            d.out.push_str(text);
        }
    }

    let mut bytes = d.out.into_bytes();
    if d.rng.chance(3) {
        bytes = String::from_utf8(bytes)
            .unwrap_or_default()
            .replace('\n', "\r\n")
            .into_bytes();
    }
    if d.rng.chance(2) {
        bytes.splice(0..0, "\u{feff}".bytes());
    }
    let slug: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|w| !w.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    let path = PathBuf::from(start.format("%Y").to_string())
        .join(format!("{}-{slug}-{index:05}.md", start.format("%Y-%m-%d")));
    let mut defects = d.defects;
    defects.sort_unstable();
    defects.dedup();
    Generated {
        path,
        bytes,
        defects,
    }
}

/// Writes documents `0..count` for `seed` below `dir`; returns the number
/// of bytes written.
pub fn write_corpus(dir: &Path, seed: u64, count: u64) -> std::io::Result<u64> {
    let mut total = 0;
    for i in 0..count {
        let doc = document(seed, i);
        let path = dir.join(&doc.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &doc.bytes)?;
        total += doc.bytes.len() as u64;
    }
    Ok(total)
}
