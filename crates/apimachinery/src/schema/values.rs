//! Text forms of the specially-encoded meta types, as Go prints and parses them:
//! `metav1.Time` (RFC 3339 seconds), `metav1.MicroTime` (RFC 3339 microseconds)
//! and `metav1.Duration` (Go duration text); `resource.Quantity` is [`crate::quantity`].

const SECS_PER_DAY: i64 = 86_400;

/// Seconds between 0001-01-01T00:00:00Z (Go's zero time) and the Unix epoch.
pub const GO_ZERO_TIME_UNIX: i64 = -62_135_596_800;

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let s = b.get(at..at + n)?;
    s.iter().try_fold(0i64, |acc, c| c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0')))
}

/// How many fraction digits a layout demands.
#[derive(Clone, Copy)]
enum Fraction {
    /// `time.RFC3339`: any number of digits, or none.
    Optional,
    /// `RFC3339Micro`: exactly six.
    Micro,
}

fn parse_time(s: &str, fraction: Fraction) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(10) != Some(&b'T') {
        return None;
    }
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut at = 19;
    let mut nanos: u32 = 0;
    if b.get(at) == Some(&b'.') {
        let start = at + 1;
        let mut end = start;
        while b.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        let count = end - start;
        match fraction {
            Fraction::Micro if count != 6 => return None,
            Fraction::Optional if count == 0 => return None,
            _ => {}
        }
        // Digits past nanoseconds are dropped, as Go does.
        for i in 0..9 {
            let d = if i < count { u32::from(b[start + i] - b'0') } else { 0 };
            nanos = nanos * 10 + d;
        }
        at = end;
    } else if matches!(fraction, Fraction::Micro) {
        return None;
    }
    let offset = match b.get(at..)? {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = digits(&[*h1, *h2], 0, 2)?;
            let m = digits(&[*m1, *m2], 0, 2)?;
            if h > 23 || m > 59 {
                return None;
            }
            let off = h * 3600 + m * 60;
            if *sign == b'-' {
                -off
            } else {
                off
            }
        }
        _ => return None,
    };
    let secs = days_from_civil(year, month, day) * SECS_PER_DAY + hour * 3600 + minute * 60 + second - offset;
    Some((secs, nanos))
}

/// Reads an RFC 3339 timestamp as Go's `time.Parse(time.RFC3339, ..)` does: seconds since
/// the epoch and the (possibly present) nanoseconds.
pub fn parse_rfc3339(s: &str) -> Option<(i64, u32)> {
    parse_time(s, Fraction::Optional)
}

/// Reads a `MicroTime` (`2006-01-02T15:04:05.000000Z07:00`, exactly six fraction digits).
pub fn parse_rfc3339_micro(s: &str) -> Option<(i64, u32)> {
    parse_time(s, Fraction::Micro)
}

fn format_date_time(secs: i64) -> String {
    let days = secs.div_euclid(SECS_PER_DAY);
    let rem = secs.rem_euclid(SECS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let year = if y < 0 { format!("-{:04}", -y) } else { format!("{y:04}") };
    format!("{year}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// `metav1.Time` as JSON shows it: UTC, whole seconds.
pub fn format_rfc3339(secs: i64) -> String {
    format!("{}Z", format_date_time(secs))
}

/// `metav1.MicroTime` as JSON shows it: UTC, six fraction digits.
pub fn format_rfc3339_micro(secs: i64, nanos: u32) -> String {
    format!("{}.{:06}Z", format_date_time(secs), nanos / 1000)
}

/// Brings (seconds, nanoseconds) into range the way Go's `time.Unix` does.
pub fn normalize_unix(secs: i64, nanos: i64) -> (i64, u32) {
    let total = i128::from(secs) * 1_000_000_000 + i128::from(nanos);
    let s = total.div_euclid(1_000_000_000);
    let n = total.rem_euclid(1_000_000_000);
    (i64::try_from(s).unwrap_or(if s < 0 { i64::MIN } else { i64::MAX }), n as u32)
}

/// Go's `time.Duration.String()`.
pub fn format_duration(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let neg = nanos < 0;
    let u = nanos.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        let (unit, prec) = match u {
            0..=999 => ("ns", 0),
            1_000..=999_999 => ("\u{b5}s", 3),
            _ => ("ms", 6),
        };
        out.push_str(&with_fraction(u, prec));
        out.push_str(unit);
    } else {
        let secs = u / 1_000_000_000;
        let frac = with_fraction(u % 1_000_000_000 + (secs % 60) * 1_000_000_000, 9);
        let minutes = secs / 60;
        if minutes > 0 {
            let hours = minutes / 60;
            if hours > 0 {
                out.push_str(&format!("{hours}h"));
            }
            out.push_str(&format!("{}m", minutes % 60));
        }
        out.push_str(&frac);
        out.push('s');
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

/// `v / 10^prec` with the fraction's trailing zeros (and a bare point) dropped.
fn with_fraction(v: u64, prec: u32) -> String {
    let scale = 10u64.pow(prec);
    let (int, frac) = (v / scale, v % scale);
    if frac == 0 {
        return int.to_string();
    }
    let digits = format!("{frac:0width$}", width = prec as usize);
    format!("{int}.{}", digits.trim_end_matches('0'))
}

/// Go's `time.ParseDuration`, in nanoseconds.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {text:?}");
    let mut s = text.as_bytes();
    let mut neg = false;
    if let Some((&c, rest)) = s.split_first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = rest;
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    const LIMIT: u64 = 1 << 63;
    let mut total: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let mut whole: u64 = 0;
        let mut i = 0;
        while i < s.len() && s[i].is_ascii_digit() {
            if whole > LIMIT / 10 {
                return Err(invalid());
            }
            whole = whole * 10 + u64::from(s[i] - b'0');
            if whole > LIMIT {
                return Err(invalid());
            }
            i += 1;
        }
        let pre = i > 0;
        s = &s[i..];
        let (mut frac, mut scale, mut post) = (0u64, 1f64, false);
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let mut j = 0;
            let mut overflow = false;
            while j < s.len() && s[j].is_ascii_digit() {
                if !overflow {
                    match frac.checked_mul(10).map(|x| x + u64::from(s[j] - b'0')) {
                        Some(y) if frac <= (LIMIT - 1) / 10 && y <= LIMIT => {
                            frac = y;
                            scale *= 10.0;
                        }
                        _ => overflow = true,
                    }
                }
                j += 1;
            }
            post = j > 0;
            s = &s[j..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_len = s.iter().position(|c| *c == b'.' || c.is_ascii_digit()).unwrap_or(s.len());
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {text:?}"));
        }
        let unit: u64 = match &s[..unit_len] {
            b"ns" => 1,
            b"us" | [0xc2, 0xb5, b's'] | [0xce, 0xbc, b's'] => 1_000,
            b"ms" => 1_000_000,
            b"s" => 1_000_000_000,
            b"m" => 60_000_000_000,
            b"h" => 3_600_000_000_000,
            other => {
                return Err(format!("time: unknown unit {:?} in duration {text:?}", String::from_utf8_lossy(other)))
            }
        };
        s = &s[unit_len..];
        if whole > LIMIT / unit {
            return Err(invalid());
        }
        let mut v = whole * unit;
        if frac > 0 {
            // Go computes the fractional part in floating point too.
            v += (frac as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        total += v;
        if total > LIMIT {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((total as i64).wrapping_neg());
    }
    i64::try_from(total).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_through_seconds() {
        let (s, n) = parse_rfc3339("2024-01-02T03:04:05Z").expect("valid");
        assert_eq!((s, n), (1_704_164_645, 0));
        assert_eq!(format_rfc3339(s), "2024-01-02T03:04:05Z");
        assert_eq!(parse_rfc3339("2024-01-02T04:04:05+01:00").map(|t| t.0), Some(s));
        assert_eq!(parse_rfc3339("2024-01-02T03:04:05.5Z"), Some((s, 500_000_000)));
        assert_eq!(format_rfc3339(GO_ZERO_TIME_UNIX), "0001-01-01T00:00:00Z");
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn malformed_times_are_rejected() {
        for bad in ["2024-02-30T00:00:00Z", "2024-01-02 03:04:05Z", "2024-01-02T03:04:05", "24-01-02T03:04:05Z", ""] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn micro_times_need_six_fraction_digits() {
        let t = parse_rfc3339_micro("2024-01-02T03:04:05.123456Z").expect("valid");
        assert_eq!(format_rfc3339_micro(t.0, t.1), "2024-01-02T03:04:05.123456Z");
        assert_eq!(parse_rfc3339_micro("2024-01-02T03:04:05Z"), None);
        assert_eq!(parse_rfc3339_micro("2024-01-02T03:04:05.123Z"), None);
    }

    #[test]
    fn durations_print_like_go() {
        let cases = [
            (0, "0s"),
            (1, "1ns"),
            (1_500, "1.5\u{b5}s"),
            (500_000_000, "500ms"),
            (1_000_000_000, "1s"),
            (90_000_000_000, "1m30s"),
            (3_723_000_000_000, "1h2m3s"),
            (3_600_000_000_000, "1h0m0s"),
            (-1_500_000_000, "-1.5s"),
            (i64::MIN, "-2562047h47m16.854775808s"),
        ];
        for (nanos, text) in cases {
            assert_eq!(format_duration(nanos), text);
            assert_eq!(parse_duration(text), Ok(nanos), "{text}");
        }
    }

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000_000_000));
        assert_eq!(parse_duration("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(parse_duration("+10us"), Ok(10_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("1").is_err());
        assert!(parse_duration("1d").is_err());
        assert!(parse_duration(".s").is_err());
        assert!(parse_duration("9223372036854775808ns").is_err());
    }
}
