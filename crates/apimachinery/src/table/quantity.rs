//! Resource quantities in canonical form (`1Gi`, `500m`, `1536Mi`, `1k`), as a
//! `resource.Quantity` prints itself: printers show capacities, quota usage and metric
//! values this way whatever spelling the object was written with.

use serde_json::Value;

const NANO: i128 = 1_000_000_000;
/// Quantities are capped at the largest int64 number of units.
const MAX_NANOS: i128 = (i64::MAX as i128) * NANO;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

/// A parsed quantity: its value in nano-units (rounded up, away from zero) and its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Quantity {
    nanos: i128,
    format: Format,
}

/// The canonical text of a quantity value taken from JSON; a string that does not parse
/// is shown as written. Numbers are accepted as the API accepts them.
pub(super) fn canonical(v: &Value) -> String {
    let raw = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return "0".to_string(),
    };
    match parse(&raw) {
        Some(q) => q.to_string(),
        None => raw,
    }
}

/// A `*Quantity` field: `<nil>` when absent, as Go prints a nil quantity pointer.
pub(super) fn canonical_ptr(v: Option<&Value>) -> String {
    match v {
        Some(v) => canonical(v),
        None => "<nil>".to_string(),
    }
}

/// A `Quantity` field: `0` when absent (the zero quantity).
pub(super) fn canonical_or_zero(v: Option<&Value>) -> String {
    match v {
        Some(v) => canonical(v),
        None => "0".to_string(),
    }
}

/// Splits `[+-]digits[.digits]suffix` into its parts (missing digits read as zero).
fn split(s: &str) -> (bool, &str, &str, &str) {
    let bytes = s.as_bytes();
    let mut pos = 0;
    let mut positive = true;
    match bytes.first() {
        Some(b'-') => {
            positive = false;
            pos = 1;
        }
        Some(b'+') => pos = 1,
        _ => {}
    }
    let int_start = pos;
    while pos < bytes.len() && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    let whole = &s[int_start..pos];
    let mut fraction = "";
    if pos < bytes.len() && bytes[pos] == b'.' {
        pos += 1;
        let frac_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        fraction = &s[frac_start..pos];
    }
    (positive, whole, fraction, &s[pos..])
}

/// (base, exponent, format) for a suffix.
fn suffix(s: &str) -> Option<(u32, i32, Format)> {
    let decimal = |e| Some((10, e, Format::DecimalSi));
    let binary = |e| Some((2, e, Format::BinarySi));
    match s {
        "" => decimal(0),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ => {
            let rest = s.strip_prefix('e').or_else(|| s.strip_prefix('E'))?;
            let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let e: i32 = rest.parse().ok()?;
            Some((10, e, Format::DecimalExponent))
        }
    }
}

fn parse(s: &str) -> Option<Quantity> {
    let (positive, whole, fraction, suffix_text) = split(s);
    let (base, exponent, mut format) = suffix(suffix_text)?;
    // The digits as an integer numerator over 10^len(fraction), in exact big-ish arithmetic:
    // the value in nano-units is digits * base^exponent * 10^9 / 10^len(fraction).
    let digits = format!("{whole}{fraction}");
    let digits = digits.trim_start_matches('0');
    // More than 38 significant digits cannot be represented; anything that large is capped.
    if digits.len() > 36 {
        return Some(Quantity { nanos: if positive { MAX_NANOS } else { -MAX_NANOS }, format });
    }
    let numerator: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
    // The power of ten to multiply by.
    let mut scale: i32 = 9i32.saturating_sub(i32::try_from(fraction.len()).unwrap_or(i32::MAX));
    let mut value = numerator;
    if base == 10 {
        scale = scale.saturating_add(exponent);
    } else {
        value = value.checked_mul(1i128.checked_shl(exponent as u32)?).unwrap_or(i128::MAX);
    }
    let nanos = if value == 0 {
        0
    } else if scale >= 0 {
        let mut v = value;
        for _ in 0..scale {
            v = v.checked_mul(10).unwrap_or(i128::MAX);
            if v > MAX_NANOS {
                break;
            }
        }
        v
    } else {
        // Round up any remainder below a nano-unit.
        let mut v = value;
        let mut rounded = false;
        for _ in 0..(-scale) {
            if v % 10 != 0 {
                rounded = true;
            }
            v /= 10;
            if v == 0 {
                break;
            }
        }
        if rounded || (v == 0 && value != 0) {
            v += 1;
        }
        v
    };
    let nanos = nanos.min(MAX_NANOS);
    if format == Format::BinarySi && nanos > 0 && nanos < NANO {
        format = Format::DecimalSi;
    }
    Some(Quantity { nanos: if positive { nanos } else { -nanos }, format })
}

fn decimal_suffix(exponent: i32, format: Format) -> String {
    if format == Format::DecimalExponent {
        return if exponent == 0 { String::new() } else { format!("e{exponent}") };
    }
    match exponent {
        -9 => "n".into(),
        -6 => "u".into(),
        -3 => "m".into(),
        0 => String::new(),
        3 => "k".into(),
        6 => "M".into(),
        9 => "G".into(),
        12 => "T".into(),
        15 => "P".into(),
        18 => "E".into(),
        e => format!("e{e}"),
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.nanos == 0 {
            return f.write_str("0");
        }
        let mut format = self.format;
        if format == Format::BinarySi && (self.nanos.abs() < 1024 * NANO || self.nanos % NANO != 0) {
            format = Format::DecimalSi;
        }
        if format == Format::BinarySi {
            let mut units = self.nanos / NANO;
            let mut exponent = 0;
            while units % 1024 == 0 && exponent < 6 {
                units /= 1024;
                exponent += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][exponent];
            return write!(f, "{units}{suffix}");
        }
        let mut mantissa = self.nanos;
        let mut exponent: i32 = -9;
        while mantissa % 10 == 0 {
            mantissa /= 10;
            exponent += 1;
        }
        while exponent.rem_euclid(3) != 0 {
            mantissa *= 10;
            exponent -= 1;
        }
        write!(f, "{mantissa}{}", decimal_suffix(exponent, format))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn c(s: &str) -> String {
        canonical(&json!(s))
    }

    #[test]
    fn canonical_spellings_are_kept() {
        for s in ["1Gi", "500m", "100Mi", "2", "1k", "10G", "0", "1536Mi", "1e3", "250u", "5n"] {
            assert_eq!(c(s), s, "{s}");
        }
    }

    #[test]
    fn other_spellings_are_canonicalized() {
        assert_eq!(c("1024Mi"), "1Gi");
        assert_eq!(c("1000m"), "1");
        assert_eq!(c("1500m"), "1500m");
        assert_eq!(c("0.5"), "500m");
        assert_eq!(c("1.5Gi"), "1536Mi");
        assert_eq!(c("1.5Ki"), "1536");
        assert_eq!(c("1000"), "1k");
        assert_eq!(c("1500"), "1500");
        assert_eq!(c("0.1"), "100m");
        assert_eq!(c("512Ki"), "512Ki");
        assert_eq!(c("0.5Ki"), "512");
        assert_eq!(c("0.0000000001"), "1n");
        assert_eq!(c("+3"), "3");
        assert_eq!(c("-2Gi"), "-2Gi");
        assert_eq!(c("00100"), "100");
        assert_eq!(c("2000000"), "2M");
    }

    #[test]
    fn numbers_and_garbage_are_handled() {
        assert_eq!(canonical(&json!(3)), "3");
        assert_eq!(canonical(&json!(2000)), "2k");
        assert_eq!(c("banana"), "banana");
        assert_eq!(c("0e2000000000"), "0");
        assert_eq!(c("1e-2000000000"), "1e-9");
        assert_eq!(c("9e2000000000"), "9223372036854775807");
        assert_eq!(c("1e99999999999"), "1e99999999999");
        assert_eq!(canonical_ptr(None), "<nil>");
        assert_eq!(canonical_or_zero(None), "0");
    }
}
