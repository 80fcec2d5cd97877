//! Dates, times, time zones and durations as post-mortems write them.
//!
//! Time stamps: `YYYY-MM-DD HH:MM`, optional `:SS`, a space or `T` between
//! date and time, then an optional zone with or without a space: `Z`, `UTC`,
//! `GMT`, a numeric offset (`+02:00`, `-0700`, `+05`), `UTC+2`, or an IANA
//! name (`Europe/Berlin`). Abbreviations such as `PST` or `IST` are
//! ambiguous unless the configuration maps them (`timezone_aliases`).

use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Utc,
};
use std::borrow::Cow;
use std::collections::HashMap;

/// A time zone as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    Fixed(FixedOffset),
    Iana(chrono_tz::Tz),
}

impl Zone {
    pub fn utc() -> Zone {
        Zone::Fixed(FixedOffset::east_opt(0).expect("zero offset is valid"))
    }

    /// The UTC instant of a local date-time in this zone. In a DST fold the
    /// earlier instant is taken; a local time in a DST gap does not exist.
    pub fn to_utc(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Zone::Fixed(off) => pick(off.from_local_datetime(&local)),
            Zone::Iana(tz) => pick(tz.from_local_datetime(&local)),
        }
    }
}

impl Zone {
    /// The local date-time of a UTC instant in this zone.
    pub fn local(&self, utc: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Fixed(off) => utc.with_timezone(off).naive_local(),
            Zone::Iana(tz) => utc.with_timezone(tz).naive_local(),
        }
    }
}

fn pick<T: TimeZone>(r: LocalResult<DateTime<T>>) -> Option<DateTime<Utc>> {
    match r {
        LocalResult::Single(d) => Some(d.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, _) => Some(a.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// How zones are read: the default for times without one, and the
/// abbreviations the team has declared unambiguous.
#[derive(Debug, Clone)]
pub struct ZoneRules {
    pub default: Zone,
    /// Upper-cased abbreviation → zone.
    pub aliases: HashMap<String, Zone>,
}

impl Default for ZoneRules {
    fn default() -> Self {
        ZoneRules {
            default: Zone::utc(),
            aliases: HashMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TimeError {
    /// An abbreviation such as `PST` that means different offsets in
    /// different places.
    AmbiguousZone(String),
    /// Not a time stamp; the message says what was expected.
    Invalid(String),
}

/// A parsed time stamp.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stamp {
    pub utc: DateTime<Utc>,
    pub local: NaiveDateTime,
    pub zone: Zone,
}

impl ZoneRules {
    /// Parses a zone designation (the text after the time).
    pub fn parse_zone(&self, s: &str) -> Result<Zone, TimeError> {
        let s = s.trim();
        // This runs for every time stamp and timeline row: zones are short
        // and upper-cased on the stack.
        let mut buf = [0u8; 32];
        let upper = ascii_cased(s, &mut buf, true);
        if let Some(z) = self.aliases.get(&*upper) {
            return Ok(*z);
        }
        if matches!(&*upper, "Z" | "UTC" | "GMT" | "UT") {
            return Ok(Zone::utc());
        }
        for prefix in ["UTC", "GMT"] {
            if let Some(rest) = upper.strip_prefix(prefix) {
                if let Some(off) = parse_offset(rest.trim()) {
                    return Ok(Zone::Fixed(off));
                }
            }
        }
        if let Some(off) = parse_offset(s) {
            return Ok(Zone::Fixed(off));
        }
        if s.contains('/') || s.contains('_') {
            if let Ok(tz) = s.parse::<chrono_tz::Tz>() {
                return Ok(Zone::Iana(tz));
            }
            return Err(TimeError::Invalid(format!("unknown time zone `{s}`")));
        }
        if (2..=5).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(TimeError::AmbiguousZone(s.to_string()));
        }
        Err(TimeError::Invalid(format!("unknown time zone `{s}`")))
    }

    /// Parses a full time stamp.
    pub fn parse_stamp(&self, s: &str) -> Result<Stamp, TimeError> {
        self.parse_stamp_in(s, self.default)
    }

    /// [`Self::parse_stamp`] with `default` for a stamp that names no zone
    /// (instead of a copy of these rules with another default).
    pub fn parse_stamp_in(&self, s: &str, default: Zone) -> Result<Stamp, TimeError> {
        let s = s.trim();
        let (date, rest) = split_date(s).ok_or_else(|| {
            TimeError::Invalid(format!(
                "`{s}` is not a time stamp like `2025-07-18 14:05 UTC`"
            ))
        })?;
        let rest = rest
            .strip_prefix(['T', 't', ' '])
            .unwrap_or(rest)
            .trim_start();
        let (time, zone_text) = split_time(rest).ok_or_else(|| {
            TimeError::Invalid(format!("`{s}` has no time `HH:MM` after the date"))
        })?;
        let zone = if zone_text.trim().is_empty() {
            default
        } else {
            self.parse_zone(zone_text)?
        };
        let local = date.and_time(time);
        let utc = zone.to_utc(local).ok_or_else(|| {
            TimeError::Invalid(format!(
                "`{s}` does not exist in that time zone (a DST gap)"
            ))
        })?;
        Ok(Stamp { utc, local, zone })
    }

    /// Parses a time of day with an optional zone (`14:05`, `14:05 UTC`).
    pub fn parse_time_of_day(&self, s: &str) -> Result<(NaiveTime, Option<Zone>), TimeError> {
        let s = s.trim();
        let (time, zone_text) = split_time(s)
            .ok_or_else(|| TimeError::Invalid(format!("`{s}` is not a time like `14:05`")))?;
        let zone = if zone_text.trim().is_empty() {
            None
        } else {
            Some(self.parse_zone(zone_text)?)
        };
        Ok((time, zone))
    }
}

/// `YYYY-MM-DD` at the start of `s`; returns the date and the rest.
pub fn split_date(s: &str) -> Option<(NaiveDate, &str)> {
    let b = s.as_bytes();
    if b.len() < 10
        || !b[..4].iter().all(u8::is_ascii_digit)
        || b[4] != b'-'
        || !b[5..7].iter().all(u8::is_ascii_digit)
        || b[7] != b'-'
        || !b[8..10].iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let date = shaped_date(&b[..10])?;
    Some((date, &s[10..]))
}

/// The date of ten bytes of the shape `YYYY-MM-DD` (checked by the caller),
/// if the day exists: what `NaiveDate::parse_from_str(s, "%Y-%m-%d")` gives
/// for that shape, without parsing the format string on every call.
fn shaped_date(b: &[u8]) -> Option<NaiveDate> {
    let n = |r: std::ops::Range<usize>| {
        b[r].iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
    };
    NaiveDate::from_ymd_opt(n(0..4) as i32, n(5..7), n(8..10))
}

/// Whether `s` has the shape `YYYY-MM-DD` (whether or not the day exists).
pub fn has_date_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// Parses a date `YYYY-MM-DD` (the whole string).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    has_date_shape(s)
        .then(|| shaped_date(s.as_bytes()))
        .flatten()
}

/// `H:MM`/`HH:MM` with optional `:SS` at the start of `s`; returns the time
/// and the rest (the zone text).
fn split_time(s: &str) -> Option<(NaiveTime, &str)> {
    let b = s.as_bytes();
    let hour_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&hour_len) || b.get(hour_len) != Some(&b':') {
        return None;
    }
    let m = &s[hour_len + 1..];
    let mb = m.as_bytes();
    if mb.len() < 2 || !mb[..2].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let hour: u32 = s[..hour_len].parse().ok()?;
    let minute: u32 = m[..2].parse().ok()?;
    let mut rest = &m[2..];
    let mut second = 0;
    if rest.len() >= 3
        && rest.as_bytes()[0] == b':'
        && rest.as_bytes()[1..3].iter().all(u8::is_ascii_digit)
    {
        second = rest[1..3].parse().ok()?;
        rest = &rest[3..];
        // Fractions of a second are accepted and ignored.
        if let Some(frac) = rest.strip_prefix('.') {
            rest = frac.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    // The zone must be separated or be a sign/letter directly after.
    if let Some(c) = rest.chars().next() {
        if c.is_ascii_digit() {
            return None;
        }
    }
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    Some((time, rest))
}

/// `s` with its ASCII letters upper-cased (`upper`) or lower-cased, as
/// `to_ascii_uppercase`/`to_ascii_lowercase` give it, written into `buf`
/// when it fits instead of into a new string.
fn ascii_cased<'b>(s: &str, buf: &'b mut [u8], upper: bool) -> Cow<'b, str> {
    let owned = || {
        Cow::Owned(if upper {
            s.to_ascii_uppercase()
        } else {
            s.to_ascii_lowercase()
        })
    };
    let Some(b) = buf.get_mut(..s.len()) else {
        return owned();
    };
    b.copy_from_slice(s.as_bytes());
    if upper {
        b.make_ascii_uppercase();
    } else {
        b.make_ascii_lowercase();
    }
    // Changing the case of ASCII letters keeps UTF-8 valid.
    match std::str::from_utf8(b) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => owned(),
    }
}

/// `+02:00`, `-0700`, `+05`, `+5:30`.
fn parse_offset(s: &str) -> Option<FixedOffset> {
    let (sign, digits) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' | 0xE2 => (-1, s.trim_start_matches(['-', '\u{2212}'])),
        _ => return None,
    };
    let (h, m) = if let Some((h, m)) = digits.split_once(':') {
        (h, m)
    } else if digits.len() == 4 {
        digits.split_at(2)
    } else {
        (digits, "0")
    };
    if h.is_empty()
        || h.len() > 2
        || m.len() > 2
        || !h.bytes().chain(m.bytes()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Parses a duration as written in prose: `2 hours 30 minutes`, `2h30m`,
/// `2h 30m`, `150 minutes`, `1 day 3 hours`, `1.5 hours`, `90 min`,
/// `01:30` (hours:minutes). Returns `None` when it is not a duration.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    // `HH:MM` or `HH:MM:SS`.
    if let Some((t, rest)) = split_time(s) {
        if rest.trim().is_empty() {
            let secs = t.signed_duration_since(NaiveTime::MIN).num_seconds();
            return Some(Duration::seconds(secs));
        }
    }
    let mut buf = [0u8; 64];
    let lower = ascii_cased(s, &mut buf, false);
    let mut total = 0f64;
    let mut seen = false;
    let mut last_unit = 0f64;
    let mut rest = &*lower;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if let Some(r) = rest.strip_prefix("and ") {
            rest = r;
            continue;
        }
        if rest.is_empty() {
            break;
        }
        // Optional approximation words in front of a number.
        for word in [
            "approximately ",
            "approx. ",
            "approx ",
            "about ",
            "around ",
            "~",
        ] {
            if let Some(r) = rest.strip_prefix(word) {
                rest = r;
            }
        }
        let num_len = rest
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
            .count();
        if num_len == 0 {
            return None;
        }
        let n: f64 = rest[..num_len].parse().ok()?;
        rest = rest[num_len..].trim_start();
        let unit_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        let unit = &rest[..unit_len];
        let secs = match unit {
            "w" | "wk" | "wks" | "week" | "weeks" => 604_800.0,
            "d" | "day" | "days" => 86_400.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3_600.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            // `1h45`, `5m30`: a bare last number counts in the next unit down.
            "" if rest.trim().is_empty() && last_unit == 3_600.0 => 60.0,
            "" if rest.trim().is_empty() && last_unit == 60.0 => 1.0,
            _ => return None,
        };
        last_unit = secs;
        total += n * secs;
        seen = true;
        rest = &rest[unit_len..];
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    // Out-of-range values (`99999999999999 weeks`) are not durations.
    if !seen || !total.is_finite() || total.abs() > 1e15 {
        return None;
    }
    Duration::try_seconds(total.round() as i64)
}

/// Formats a duration for messages: `2h 30m`, `45m`, `1d 3h`.
pub fn format_duration(d: Duration) -> String {
    let mut secs = d.num_seconds();
    let neg = secs < 0;
    secs = secs.abs();
    let (days, hours, mins, s) = (secs / 86_400, secs / 3_600 % 24, secs / 60 % 60, secs % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{days}d"));
    }
    if hours > 0 {
        parts.push(format!("{hours}h"));
    }
    if mins > 0 || parts.is_empty() && s == 0 {
        parts.push(format!("{mins}m"));
    }
    if s > 0 {
        parts.push(format!("{s}s"));
    }
    format!("{}{}", if neg { "-" } else { "" }, parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ZoneRules {
        ZoneRules::default()
    }

    #[test]
    fn stamps_accept_documented_forms() {
        let r = rules();
        let base = r.parse_stamp("2025-07-18 14:05 UTC").unwrap().utc;
        for s in [
            "2025-07-18 14:05",
            "2025-07-18T14:05",
            "2025-07-18 14:05:00",
            "2025-07-18 14:05Z",
            "2025-07-18T14:05:00Z",
            "2025-07-18 16:05 +02:00",
            "2025-07-18 16:05+0200",
            "2025-07-18 16:05 Europe/Berlin",
            "2025-07-18 07:05 -0700",
            "2025-07-18 14:05 GMT",
        ] {
            assert_eq!(r.parse_stamp(s).unwrap().utc, base, "{s}");
        }
    }

    #[test]
    fn abbreviations_are_ambiguous_unless_aliased() {
        let mut r = rules();
        assert_eq!(
            r.parse_stamp("2025-07-18 14:05 IST"),
            Err(TimeError::AmbiguousZone("IST".into()))
        );
        r.aliases.insert(
            "IST".into(),
            Zone::Fixed(FixedOffset::east_opt(5 * 3600 + 1800).unwrap()),
        );
        let s = r.parse_stamp("2025-07-18 19:35 IST").unwrap();
        assert_eq!(s.utc, rules().parse_stamp("2025-07-18 14:05").unwrap().utc);
    }

    #[test]
    fn placeholders_and_garbage_are_invalid() {
        let r = rules();
        assert!(matches!(
            r.parse_stamp("YYYY-MM-DD HH:MM [Timezone]"),
            Err(TimeError::Invalid(_))
        ));
        assert!(matches!(
            r.parse_stamp("2025-07-18 HH:MM"),
            Err(TimeError::Invalid(_))
        ));
        assert!(matches!(
            r.parse_stamp("2025-07-18 14:05 [Timezone]"),
            Err(TimeError::Invalid(_))
        ));
        assert!(matches!(
            r.parse_stamp("2025-13-01 10:00"),
            Err(TimeError::Invalid(_))
        ));
        assert!(matches!(
            r.parse_stamp("2025-07-18 25:00"),
            Err(TimeError::Invalid(_))
        ));
    }

    #[test]
    fn dst_is_counted_in_elapsed_time() {
        let r = rules();
        // Europe/Berlin switched to summer time on 2025-03-30 at 02:00.
        let a = r.parse_stamp("2025-03-30 01:30 Europe/Berlin").unwrap();
        let b = r.parse_stamp("2025-03-30 03:30 Europe/Berlin").unwrap();
        assert_eq!((b.utc - a.utc).num_minutes(), 60);
        assert!(r.parse_stamp("2025-03-30 02:30 Europe/Berlin").is_err());
    }

    #[test]
    fn durations_in_prose() {
        let m = |s: &str| parse_duration(s).map(|d| d.num_minutes());
        assert_eq!(m("2 hours 30 minutes"), Some(150));
        assert_eq!(m("2h30m"), Some(150));
        assert_eq!(m("2h 30m"), Some(150));
        assert_eq!(m("150 minutes"), Some(150));
        assert_eq!(m("1 day 3 hours"), Some(27 * 60));
        assert_eq!(m("1.5 hours"), Some(90));
        assert_eq!(m("1 hour and 47 minutes"), Some(107));
        assert_eq!(m("1h 47m"), Some(107));
        assert_eq!(m("01:30"), Some(90));
        assert_eq!(m("[e.g., 2 hours 30 minutes]"), None);
        assert_eq!(m("a while"), None);
        assert_eq!(m("2 parsecs"), None);
        assert_eq!(m("99999999999999999999999 weeks"), None);
    }

    #[test]
    fn a_bare_last_number_counts_in_the_next_unit_down() {
        let m = |s: &str| parse_duration(s).map(|d| d.num_seconds());
        assert_eq!(m("1h45"), Some(105 * 60));
        assert_eq!(m("2h 5"), Some(125 * 60));
        assert_eq!(m("5m30"), Some(330));
        assert_eq!(m("45"), None);
        assert_eq!(m("1d 3"), None);
        assert_eq!(m("1h45 minutes later 3"), None);
    }

    #[test]
    fn time_of_day_with_zone() {
        let r = rules();
        let (t, z) = r.parse_time_of_day("14:05 UTC").unwrap();
        assert_eq!(t, NaiveTime::from_hms_opt(14, 5, 0).unwrap());
        assert_eq!(z, Some(Zone::utc()));
        assert!(r.parse_time_of_day("HH:MM").is_err());
        assert!(r.parse_time_of_day("9:5").is_err());
    }

    #[test]
    fn dates_parse_as_chrono_parses_them() {
        // Every month and day number, leap and common years, year 0000 and
        // 9999: the hand-written parser agrees with chrono's format parser.
        for year in [0, 1, 1900, 1999, 2000, 2023, 2024, 2100, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let s = format!("{year:04}-{month:02}-{day:02}");
                    let chrono = NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok();
                    assert_eq!(parse_date(&s), chrono, "{s}");
                    let rest = format!("{s}T10:00Z");
                    assert_eq!(split_date(&rest).map(|(d, _)| d), chrono, "{rest}");
                }
            }
        }
        for s in [
            "2024-1-01",
            "2024-01-1",
            "+2024-01-01",
            "2024/01/01",
            "20240101",
            "",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
        assert_eq!(
            parse_date(" 2024-02-29\n"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
    }

    #[test]
    fn formats_durations() {
        assert_eq!(format_duration(Duration::minutes(150)), "2h 30m");
        assert_eq!(format_duration(Duration::minutes(0)), "0m");
        assert_eq!(format_duration(Duration::minutes(-45)), "-45m");
    }
}
