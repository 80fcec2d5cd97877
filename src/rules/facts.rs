//! Facts about the incident computed once per document and shared by the
//! rules that need them: the parsed start, end and review date from the
//! front matter, and the timeline's rows placed on the time axis.

use crate::config::Settings;
use crate::diagnostic::Span;
use crate::document::{timeline::header_zone_text, Document};
use crate::time::{split_date, Stamp, TimeError, Zone, ZoneRules};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// A front-matter time stamp: parsed, or why not.
#[derive(Debug, Clone)]
pub struct Parsed<'a, T> {
    pub value: Result<T, TimeError>,
    pub span: crate::diagnostic::Span,
    /// The value as the front matter gives it, borrowed from the document
    /// when it is (only messages use it).
    pub raw: Cow<'a, str>,
}

#[derive(Debug, Clone, Default)]
pub struct Incident<'a> {
    pub start: Option<Parsed<'a, Stamp>>,
    pub end: Option<Parsed<'a, Stamp>>,
    pub review_date: Option<Parsed<'a, NaiveDate>>,
    /// One entry per timeline row, in table order.
    pub timeline: Vec<RowTime>,
}

/// A timeline row's time cell, placed on the time axis.
#[derive(Debug, Clone)]
pub struct RowTime {
    /// Index into `Timeline::rows`.
    pub row: usize,
    /// The time cell.
    pub span: Span,
    pub value: Result<RowInstant, TimeError>,
}

impl RowTime {
    /// The cell's text (markup stripped, trimmed), from `doc`, the
    /// document the row was placed from. Only messages need it, so it is
    /// looked up rather than copied for every row.
    pub fn text<'d>(&self, doc: &'d Document<'_>) -> &'d str {
        doc.timeline
            .as_ref()
            .and_then(|t| t.rows.get(self.row))
            .map_or("", |r| r.time.text.trim())
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowInstant {
    pub utc: DateTime<Utc>,
    pub local: NaiveDateTime,
    /// The cell wrote a full date (`2025-07-18 14:05`).
    pub has_date: bool,
    /// The instant is real: the cell has a date, or the incident start gave
    /// one. Time-only rows of a file without a usable start are placed on a
    /// stand-in date, good for ordering only.
    pub anchored: bool,
}

/// Time-only rows that go backwards by more than this crossed midnight.
const ROLLOVER: i64 = 12 * 3600;

impl<'a> Incident<'a> {
    pub fn compute(doc: &'a Document<'a>, settings: &Settings) -> Incident<'a> {
        let stamp = |key: &str| {
            doc.fm_value(key)
                .filter(|v| !v.text.is_empty())
                .map(|v| Parsed {
                    value: settings.zones.parse_stamp(&v.text),
                    span: v.span,
                    raw: v.text,
                })
        };
        let review_date = doc
            .fm_value("date")
            .filter(|v| !v.text.is_empty())
            .map(|v| Parsed {
                value: crate::time::parse_date(&v.text).ok_or_else(|| {
                    TimeError::Invalid(format!("`{}` is not a date like `2025-07-18`", v.text))
                }),
                span: v.span,
                raw: v.text,
            });
        let mut incident = Incident {
            start: stamp("incident_start_time"),
            end: stamp("incident_end_time"),
            review_date,
            timeline: Vec::new(),
        };
        incident.timeline = place_timeline(doc, settings, incident.start_stamp());
        incident
    }

    /// The start instant, when it parsed.
    pub fn start_utc(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.start.as_ref()?.value.as_ref().ok().map(|s| s.utc)
    }

    pub fn end_utc(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.end.as_ref()?.value.as_ref().ok().map(|s| s.utc)
    }

    pub fn start_stamp(&self) -> Option<&Stamp> {
        self.start.as_ref()?.value.as_ref().ok()
    }

    pub fn end_stamp(&self) -> Option<&Stamp> {
        self.end.as_ref()?.value.as_ref().ok()
    }
}

/// Places every timeline row on the time axis. A time-only row takes the
/// date of the row before it (at first, the incident start's date) and
/// rolls over to the next day when it goes back by more than 12 hours; a
/// row with a full date sets the date for the rows after it. Rows without
/// a zone take the header's (`Time (UTC)`), else the incident start's, else
/// the configured default.
fn place_timeline(doc: &Document, settings: &Settings, start: Option<&Stamp>) -> Vec<RowTime> {
    let Some(timeline) = &doc.timeline else {
        return Vec::new();
    };
    let header_zone = header_zone_text(&timeline.time_header.text)
        .and_then(|z| settings.zones.parse_zone(z).ok());
    let zone = header_zone
        .or(start.map(|s| s.zone))
        .unwrap_or(settings.zones.default);
    // A stand-in date when the start is unknown: only order matters then.
    let stand_in = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    // The start's date as seen in the rows' zone (`Time (UTC)` rows of an
    // incident that started at 01:00 +02:00 are on the day before).
    let mut date = start.map(|s| zone.local(s.utc).date()).unwrap_or(stand_in);
    let mut anchored = start.is_some();
    // The previous instant, for the midnight roll-over; the start counts.
    let mut prev = start.map(|s| s.utc);

    let mut out = Vec::with_capacity(timeline.rows.len());
    for (i, row) in timeline.rows.iter().enumerate() {
        let text = row.time.text.trim();
        let value = place(
            text,
            &settings.zones,
            zone,
            &mut date,
            &mut anchored,
            &mut prev,
        );
        out.push(RowTime {
            row: i,
            span: row.time.span.clone(),
            value,
        });
    }
    out
}

fn place(
    text: &str,
    rules: &ZoneRules,
    zone: Zone,
    date: &mut NaiveDate,
    anchored: &mut bool,
    prev: &mut Option<DateTime<Utc>>,
) -> Result<RowInstant, TimeError> {
    if text.is_empty() {
        return Err(TimeError::Invalid("the time cell is empty".into()));
    }
    let cell = text;
    let text = &*plain_time(text);
    if split_date(text).is_some() || looks_like_date(text) {
        let stamp = rules.parse_stamp_in(text, zone)?;
        *date = zone.local(stamp.utc).date();
        *anchored = true;
        *prev = Some(stamp.utc);
        return Ok(RowInstant {
            utc: stamp.utc,
            local: stamp.local,
            has_date: true,
            anchored: true,
        });
    }
    let (time, written) = rules.parse_time_of_day(text).map_err(|e| match e {
        TimeError::AmbiguousZone(_) => e,
        TimeError::Invalid(_) => TimeError::Invalid(format!(
            "`{cell}` is not a time like `14:05`, `14:05 UTC` or `2025-07-18 14:05`"
        )),
    })?;
    let zone = written.unwrap_or(zone);
    let gap = || TimeError::Invalid(format!("`{cell}` does not exist in that time zone"));
    let mut local = date.and_time(time);
    let mut utc = zone.to_utc(local).ok_or_else(gap)?;
    if let Some(p) = *prev {
        if (p - utc).num_seconds() > ROLLOVER {
            local += Duration::days(1);
            utc = zone.to_utc(local).ok_or_else(gap)?;
            *date = local.date();
        }
    }
    *prev = Some(utc);
    Ok(RowInstant {
        utc,
        local,
        has_date: false,
        anchored: *anchored,
    })
}

/// An approximation mark in front of a time: `~14:05`, `approx. 14:05`.
static APPROX_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:~|≈|ca\.\s*|approx(?:\.|imately)?\s+|about\s+|around\s+)")
        .expect("valid regex")
});
/// An approximation note after a time: `14:05 (approx.)`, `14:05 (est.)`.
static APPROX_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:\((?:approx(?:\.|imately)?|est(?:\.|imated)?|roughly|circa)\)|\*)$")
        .expect("valid regex")
});
/// The end of a range, `14:05–14:30`, `14:05 - 14:30`, `14:05 to 14:30`:
/// the row is placed at its start.
static RANGE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\s*[–—]\s*|\s+-\s+|\s+to\s+)(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}.*$")
        .expect("valid regex")
});
/// A 12-hour time: `2:05 PM`, `11:40am`, `9:15 p.m. UTC`.
static TWELVE_HOUR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d{4}-\d{2}-\d{2}[ T])?(\d{1,2}):(\d{2}(?::\d{2})?)\s*([ap])\.?m\.?(\s.*)?$")
        .expect("valid regex")
});

/// A time cell without what only a reader needs: an approximation mark, the
/// end of a range, a 12-hour clock (`~2:05 PM – 2:30 PM` → `14:05`).
///
/// Each pattern is compiled, and run, only for text that could match it
/// (see [`may_match`]): most cells are a bare `14:05`, and compiling the four
/// patterns was a tenth of the start-up of a one-file run.
fn plain_time(text: &str) -> Cow<'_, str> {
    let mut t = Cow::Borrowed(text);
    for (re, kind) in [
        (&APPROX_BEFORE, Shape::ApproxBefore),
        (&APPROX_AFTER, Shape::ApproxAfter),
        (&RANGE_END, Shape::RangeEnd),
    ] {
        if !may_match(kind, &t) {
            continue;
        }
        if let Cow::Owned(s) = re.replace(&t, "") {
            t = Cow::Owned(s.trim().to_string());
        }
    }
    if !may_match(Shape::TwelveHour, &t) {
        return t;
    }
    let twelve = TWELVE_HOUR.captures(&t).and_then(|c| {
        let hour: u32 = c[2].parse().ok().filter(|h| (1..=12).contains(h))?;
        let pm = c[4].eq_ignore_ascii_case("p");
        let hour = hour % 12 + if pm { 12 } else { 0 };
        Some(format!(
            "{}{hour:02}:{}{}",
            c.get(1).map_or("", |m| m.as_str()),
            &c[3],
            c.get(5).map_or("", |m| m.as_str())
        ))
    });
    match twelve {
        Some(s) => Cow::Owned(s),
        None => t,
    }
}

/// The patterns of [`plain_time`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    ApproxBefore,
    ApproxAfter,
    RangeEnd,
    TwelveHour,
}

/// `false` only when the pattern of `shape` cannot match `t`: a test of
/// what every match needs. None of the letters tested has a non-ASCII case
/// variant (only `k` and `s` do), so comparing ASCII case-insensitively is
/// what `(?i)` does; a byte that is not an ASCII letter or digit stands for
/// any blank `\s` could match. `every_shape_test_admits_every_match` checks
/// it against the patterns.
fn may_match(shape: Shape, t: &str) -> bool {
    let b = t.as_bytes();
    let loose = |i: usize| b.get(i).is_some_and(|c| !c.is_ascii_alphanumeric());
    match shape {
        // `~`, `≈`, `ca.`, `approx…`, `about`, `around` at the start.
        Shape::ApproxBefore => {
            t.starts_with(['~', '≈'])
                || b.first()
                    .is_some_and(|c| matches!(c, b'c' | b'C' | b'a' | b'A'))
        }
        // `(…)` or `*` at the end.
        Shape::ApproxAfter => t.ends_with([')', '*']),
        // A time (`:`) after `–`, `—`, ` - ` or ` to `.
        Shape::RangeEnd => {
            t.contains(':')
                && (t.contains(['–', '—'])
                    || (1..b.len()).any(|i| {
                        loose(i - 1)
                            && (b[i] == b'-' && loose(i + 1)
                                || b[i].eq_ignore_ascii_case(&b't')
                                    && b.get(i + 1).is_some_and(|o| o.eq_ignore_ascii_case(&b'o'))
                                    && loose(i + 2))
                    }))
        }
        // `h:mm` and an `am`/`pm`.
        Shape::TwelveHour => t.contains(':') && t.contains(['m', 'M']),
    }
}

/// `YYYY-…` or four digits and a dash: meant as a full date.
fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    text.starts_with("YYYY")
        || b.len() >= 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_test_admits_every_match() {
        // The letters the tests compare have no case variant outside ASCII.
        for letter in ['a', 'c', 'm', 'o', 't'] {
            let re = Regex::new(&format!("(?i)^{letter}$")).unwrap();
            let mut buf = [0; 4];
            for c in (0..=0x10ffff).filter_map(char::from_u32) {
                if re.is_match(c.encode_utf8(&mut buf)) {
                    assert!(c.is_ascii(), "{letter} matches {c:?}");
                }
            }
        }
        let pieces = [
            "~",
            "≈",
            "ca.",
            "CA. ",
            "approx",
            "Approximately",
            "about",
            "around ",
            "(approx.)",
            "(est.)",
            "(ESTIMATED)",
            "(roughly)",
            "(circa)",
            "*",
            "–",
            "—",
            "-",
            " - ",
            " to ",
            "TO",
            "to",
            "14:05",
            "2:05",
            "9:15",
            ":",
            "2026-03-14",
            "T",
            " ",
            "\u{a0}",
            "\u{2003}",
            "\t",
            "PM",
            "a.m.",
            "pm",
            "p",
            "m",
            "x",
            "ſ",
            "\u{212a}",
            "(",
            ")",
            "1",
            "12",
            "utc",
        ];
        let shapes = [
            (Shape::ApproxBefore, &*APPROX_BEFORE),
            (Shape::ApproxAfter, &*APPROX_AFTER),
            (Shape::RangeEnd, &*RANGE_END),
            (Shape::TwelveHour, &*TWELVE_HOUR),
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut matched = [0; 4];
        for _ in 0..200_000 {
            crate::rules::test_util::xorshift(&mut x);
            let mut t = String::new();
            let mut r = x;
            for _ in 0..(1 + x % 6) {
                t.push_str(pieces[(r % pieces.len() as u64) as usize]);
                r /= pieces.len() as u64;
            }
            for (i, (shape, re)) in shapes.iter().enumerate() {
                if re.is_match(&t) {
                    matched[i] += 1;
                    assert!(may_match(*shape, &t), "{shape:?} {t:?}");
                }
            }
        }
        assert!(matched.iter().all(|n| *n > 100), "{matched:?}");
        // And the common cell needs none of them.
        for shape in [
            Shape::ApproxBefore,
            Shape::ApproxAfter,
            Shape::RangeEnd,
            Shape::TwelveHour,
        ] {
            assert!(!may_match(shape, "09:12"));
        }
    }

    /// The incident of `text`; the document is leaked so that the
    /// incident, which borrows it, can be returned.
    fn incident(text: &str) -> Incident<'static> {
        let settings = Settings::defaults();
        let text: &'static str = Box::leak(text.to_owned().into_boxed_str());
        let doc: &'static Document<'static> = Box::leak(Box::new(Document::parse(text, &settings)));
        Incident::compute(doc, &settings)
    }

    fn doc_with_rows(start: &str, header: &str, rows: &[&str]) -> String {
        let mut s = format!(
            "---\nincident_start_time: {start}\n---\n## Timeline\n\n| {header} | Event |\n|---|---|\n"
        );
        for r in rows {
            s.push_str(&format!("| {r} | something |\n"));
        }
        s
    }

    fn utc(s: &str) -> DateTime<Utc> {
        ZoneRules::default().parse_stamp(s).unwrap().utc
    }

    #[test]
    fn time_only_rows_take_the_start_date_and_zone() {
        let i = incident(&doc_with_rows(
            "2025-07-18 14:00 +02:00",
            "Time",
            &["14:05", "15:00 UTC"],
        ));
        let t: Vec<_> = i
            .timeline
            .iter()
            .map(|r| r.value.as_ref().unwrap().utc)
            .collect();
        assert_eq!(t, vec![utc("2025-07-18 12:05"), utc("2025-07-18 15:00")]);
    }

    #[test]
    fn rows_roll_over_midnight_when_going_back_more_than_twelve_hours() {
        let i = incident(&doc_with_rows(
            "2025-07-18 23:40 UTC",
            "Time",
            &["23:50", "00:10", "00:05"],
        ));
        let t: Vec<_> = i
            .timeline
            .iter()
            .map(|r| r.value.as_ref().unwrap().utc)
            .collect();
        assert_eq!(t[1], utc("2025-07-19 00:10"));
        // Going back five minutes is not a roll-over.
        assert_eq!(t[2], utc("2025-07-19 00:05"));
    }

    #[test]
    fn a_full_date_row_sets_the_date_for_later_rows() {
        let i = incident(&doc_with_rows(
            "2025-07-18 10:00 UTC",
            "Time",
            &["10:05", "2025-07-20 09:00", "09:30"],
        ));
        let last = i.timeline[2].value.as_ref().unwrap();
        assert_eq!(last.utc, utc("2025-07-20 09:30"));
        assert!(last.anchored && !last.has_date);
    }

    #[test]
    fn header_zone_applies_to_rows_without_one() {
        let i = incident(&doc_with_rows(
            "2025-07-18 10:00 UTC",
            "Time (+02:00)",
            &["12:05"],
        ));
        assert_eq!(
            i.timeline[0].value.as_ref().unwrap().utc,
            utc("2025-07-18 10:05")
        );
    }

    #[test]
    fn start_date_is_read_in_the_rows_zone() {
        // 01:00 +02:00 on the 19th is 23:00 UTC on the 18th.
        let i = incident(&doc_with_rows(
            "2025-07-19 01:00 +02:00",
            "Time (UTC)",
            &["23:05", "00:10"],
        ));
        let t: Vec<_> = i
            .timeline
            .iter()
            .map(|r| r.value.as_ref().unwrap().utc)
            .collect();
        assert_eq!(t, vec![utc("2025-07-18 23:05"), utc("2025-07-19 00:10")]);
    }

    #[test]
    fn without_a_start_time_only_rows_are_not_anchored() {
        let text = "## Timeline\n\n| Time | Event |\n|---|---|\n| 10:00 | x |\n";
        let i = incident(text);
        assert!(!i.timeline[0].value.as_ref().unwrap().anchored);
    }

    #[test]
    fn row_text_is_the_trimmed_time_cell() {
        let text = doc_with_rows(
            "2025-07-18 10:00 UTC",
            "Time",
            &["10:05", " **10:10** ", "`x`", "", "~ 10:20 UTC"],
        );
        let settings = Settings::defaults();
        let doc = Document::parse(&text, &settings);
        let i = Incident::compute(&doc, &settings);
        let rows = &doc.timeline.as_ref().unwrap().rows;
        assert_eq!(i.timeline.len(), rows.len());
        let texts: Vec<_> = i.timeline.iter().map(|r| r.text(&doc)).collect();
        assert_eq!(texts, ["10:05", "10:10", "x", "", "~ 10:20 UTC"]);
    }

    #[test]
    fn ambiguous_start_is_not_used() {
        let i = incident(&doc_with_rows("2025-07-18 10:00 IST", "Time", &["10:05"]));
        assert!(i.start_utc().is_none());
        assert!(!i.timeline[0].value.as_ref().unwrap().anchored);
    }

    #[test]
    fn template_and_garbage_cells_are_errors() {
        let i = incident(&doc_with_rows(
            "2025-07-18 10:00 UTC",
            "Time",
            &["HH:MM", "YYYY-MM-DD HH:MM", "soon", "10:00 PST"],
        ));
        assert!(i.timeline.iter().all(|r| r.value.is_err()));
        assert_eq!(
            i.timeline[3].value,
            Err(TimeError::AmbiguousZone("PST".into()))
        );
    }

    /// A complete post-mortem written independently of the unit tests: none
    /// of the metadata and timeline rules may fire on it, in LF, or in CRLF
    /// with a BOM.
    #[test]
    fn a_complete_post_mortem_passes_every_metadata_and_timeline_rule() {
        const CLEAN: &str = r#"---
title: "Post-Mortem / Incident Review - Login outage"
status: Finalized
date: 2025-07-21
incident_start_time: 2025-07-18T23:40:00+02:00
incident_end_time: 2025-07-19 01:27 Europe/Berlin
incident_duration: 1 hour 47 minutes
author: Priya Raman
reviewers:
  - Bob White
  - Carol King
version: 1.1
incident_id: INC-2025-07-18-001
severity: SEV2
services: [auth, gateway]
---

# 🔍 Post-Mortem / Incident Review: Login outage

This document details the analysis of Incident ID: INC-2025-07-18-001.

## 1. Incident Summary

### 1.1 Incident Title

Login outage after auth deploy

### 1.2 Incident ID

INC-2025-07-18-001

### 1.3 Date and Time of Incident

* **Start:** 2025-07-18 21:40 UTC
* **End:** 2025-07-18 23:27 Z
* **Duration:** 1h 47m

### 1.4 Services/Components Affected

* Auth service

### 1.5 Impact

* **Customer Impact:** roughly 3.5k users could not log in.

## 2. Incident Timeline

| Time (HH:MM CEST) | Event Description | Responsible Party |
|---|---|---|
| 23:40 | Alert fired | Monitoring |
| 23:55 | On-call acknowledged | On-call engineer |
| 00:30 | Rollback started | On-call engineer |
| 01:27 | Resolved | Incident commander |

## 3. What Happened? (Narrative)

The deploy changed validation.
"#;
        let ids = [
            "frontmatter-missing",
            "frontmatter-invalid",
            "frontmatter-required",
            "frontmatter-status",
            "frontmatter-date",
            "incident-window",
            "duration-mismatch",
            "metadata-mismatch",
            "incident-id",
            "timeline-missing",
            "timeline-time",
            "timeline-order",
            "timeline-window",
            "impact-unquantified",
        ];
        let crlf = format!("\u{feff}{}", CLEAN.replace('\n', "\r\n"));
        for text in [CLEAN, crlf.as_str()] {
            for id in ids {
                let rule = crate::rules::find(id).expect("registered");
                let d = crate::rules::test_util::run(rule, text);
                assert!(d.is_empty(), "{id}: {d:?}");
            }
        }
        // Truncated every few characters, the document never makes a rule
        // panic or point outside the text.
        let settings = Settings::defaults();
        for (cut, _) in CLEAN.char_indices().step_by(3) {
            let text = &CLEAN[..cut];
            let doc = Document::parse(text, &settings);
            let today = crate::rules::test_util::today();
            let ctx = crate::rules::Ctx::new(&doc, &settings, today, "t.md");
            for id in ids {
                let mut out = Vec::new();
                if let Some(check) = crate::rules::find(id).and_then(|r| r.check) {
                    check(&ctx, &mut out);
                }
                for d in out {
                    assert!(d.span.end <= text.len(), "{id} at {cut}");
                }
            }
        }
    }
}
