//! `resource.Quantity` as validation needs it: parsing (upstream's grammar, rounded up to
//! nano units), comparison, and the canonical form upstream prints in messages
//! (`500m`, `1Gi`, `2k`, `1e3`).

use serde_json::Value;

/// Upstream's parse error text.
pub(super) const FORMAT_ERROR: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// How a quantity was written, which decides how it prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    DecimalExponent,
    BinarySi,
    DecimalSi,
}

/// A quantity held as a count of nano units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Quantity {
    nanos: i128,
    format: Format,
}

const NANO: i128 = 1_000_000_000;
/// Values beyond this many nano units are refused rather than risk overflow.
const LIMIT: i128 = 10i128.pow(36);

impl Quantity {
    /// Parses upstream's quantity syntax.
    pub fn parse(s: &str) -> Result<Quantity, ()> {
        let s = s.trim();
        if s.is_empty() {
            return Err(());
        }
        let bytes = s.as_bytes();
        let mut pos = 0;
        let mut negative = false;
        if bytes[0] == b'+' || bytes[0] == b'-' {
            negative = bytes[0] == b'-';
            pos = 1;
        }
        let num_start = pos;
        let mut seen_dot = false;
        let mut digits = 0;
        while pos < bytes.len() && (bytes[pos].is_ascii_digit() || bytes[pos] == b'.') {
            if bytes[pos] == b'.' {
                if seen_dot {
                    return Err(());
                }
                seen_dot = true;
            } else {
                digits += 1;
            }
            pos += 1;
        }
        if digits == 0 {
            return Err(());
        }
        let number = &s[num_start..pos];
        let suffix = &s[pos..];
        let (base, exponent, format) = parse_suffix(suffix)?;
        // The mantissa as an integer and its decimal scale.
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        let mut mantissa: i128 = 0;
        for b in int_part.bytes().chain(frac_part.bytes()) {
            mantissa = mantissa.checked_mul(10).and_then(|m| m.checked_add(i128::from(b - b'0'))).ok_or(())?;
            if mantissa > LIMIT {
                return Err(());
            }
        }
        let mut scale = -(i32::try_from(frac_part.len()).map_err(|_| ())?);
        // Apply the suffix: a power of ten adds to the scale, a power of two multiplies.
        if base == 2 {
            let factor = 1i128.checked_shl(u32::try_from(exponent).map_err(|_| ())?).ok_or(())?;
            mantissa = mantissa.checked_mul(factor).ok_or(())?;
        } else {
            scale += exponent;
        }
        // Convert to nano units, rounding up anything finer than a nano.
        let shift = scale + 9;
        let nanos = if shift >= 0 {
            let factor = 10i128.checked_pow(u32::try_from(shift).map_err(|_| ())?).ok_or(())?;
            mantissa.checked_mul(factor).ok_or(())?
        } else {
            let divisor = 10i128.checked_pow(u32::try_from(-shift).map_err(|_| ())?).unwrap_or(i128::MAX);
            let q = mantissa / divisor;
            if mantissa % divisor != 0 {
                q + 1
            } else {
                q
            }
        };
        if nanos > LIMIT {
            return Err(());
        }
        // Upstream rounds negative values away from zero too (toward more negative).
        Ok(Quantity { nanos: if negative { -nanos } else { nanos }, format })
    }

    /// Parses a JSON value holding a quantity (a string, or a number as YAML may give).
    pub fn from_json(v: &Value) -> Result<Quantity, ()> {
        match v {
            Value::String(s) => Quantity::parse(s),
            Value::Number(n) => Quantity::parse(&n.to_string()),
            _ => Err(()),
        }
    }

    pub fn from_int(n: i64) -> Quantity {
        Quantity { nanos: i128::from(n) * NANO, format: Format::DecimalSi }
    }

    pub fn is_negative(&self) -> bool {
        self.nanos < 0
    }

    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    /// -1, 0 or 1.
    pub fn sign(&self) -> i32 {
        match self.nanos {
            n if n < 0 => -1,
            0 => 0,
            _ => 1,
        }
    }

    /// Whether the value is a whole number (`MilliValue() % 1000 == 0`).
    pub fn is_integer(&self) -> bool {
        // Milli-precision first: upstream rounds up to millis before the check.
        let millis = ceil_div(self.nanos, 1_000_000);
        millis % 1000 == 0
    }

    /// The value in whole units, rounded up (upstream's `Value()`).
    pub fn value(&self) -> i128 {
        ceil_div(self.nanos, NANO)
    }

    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    /// The canonical form (`Quantity.String()`).
    pub fn canonical(&self) -> String {
        if self.nanos == 0 {
            return "0".to_string();
        }
        let sign = if self.nanos < 0 { "-" } else { "" };
        let abs = self.nanos.unsigned_abs();
        let mut format = self.format;
        if format == Format::BinarySi {
            if abs < 1024 * NANO.unsigned_abs() || !abs.is_multiple_of(NANO.unsigned_abs()) {
                format = Format::DecimalSi;
            } else {
                let mut units = abs / NANO.unsigned_abs();
                let mut exp = 0;
                while exp < 6 && units.is_multiple_of(1024) {
                    units /= 1024;
                    exp += 1;
                }
                let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][exp];
                return format!("{sign}{units}{suffix}");
            }
        }
        // Decimal: strip trailing zeros, then lower the exponent to a multiple of three.
        let mut mantissa = abs;
        let mut exp: i32 = -9;
        while mantissa.is_multiple_of(10) {
            mantissa /= 10;
            exp += 1;
        }
        match exp.rem_euclid(3) {
            1 => {
                mantissa *= 10;
                exp -= 1;
            }
            2 => {
                mantissa *= 100;
                exp -= 2;
            }
            _ => {}
        }
        let suffix = match format {
            Format::DecimalExponent => {
                if exp == 0 {
                    String::new()
                } else {
                    format!("e{exp}")
                }
            }
            _ => match exp {
                -9 => "n".to_string(),
                -6 => "u".to_string(),
                -3 => "m".to_string(),
                0 => String::new(),
                3 => "k".to_string(),
                6 => "M".to_string(),
                9 => "G".to_string(),
                12 => "T".to_string(),
                15 => "P".to_string(),
                18 => "E".to_string(),
                other => format!("e{other}"),
            },
        };
        format!("{sign}{mantissa}{suffix}")
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.nanos.cmp(&other.nanos))
    }
}

fn ceil_div(n: i128, d: i128) -> i128 {
    let q = n / d;
    if n % d != 0 && n > 0 {
        q + 1
    } else {
        q
    }
}

/// (base, exponent, format) for a suffix.
fn parse_suffix(suffix: &str) -> Result<(u32, i32, Format), ()> {
    let decimal = |e: i32| Ok((10, e, Format::DecimalSi));
    match suffix {
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
        "Ki" => Ok((2, 10, Format::BinarySi)),
        "Mi" => Ok((2, 20, Format::BinarySi)),
        "Gi" => Ok((2, 30, Format::BinarySi)),
        "Ti" => Ok((2, 40, Format::BinarySi)),
        "Pi" => Ok((2, 50, Format::BinarySi)),
        "Ei" => Ok((2, 60, Format::BinarySi)),
        _ => {
            let rest = suffix.strip_prefix('e').or_else(|| suffix.strip_prefix('E')).ok_or(())?;
            let digits = rest.strip_prefix('+').or_else(|| rest.strip_prefix('-')).unwrap_or(rest);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(());
            }
            let e: i32 = rest.parse().map_err(|_| ())?;
            if !(-100..=100).contains(&e) {
                return Err(());
            }
            Ok((10, e, Format::DecimalExponent))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Quantity::parse(s).map(|q| q.canonical()).unwrap_or_else(|_| "ERR".to_string())
    }

    #[test]
    fn quantities_print_in_upstream_canonical_form() {
        assert_eq!(canon("100m"), "100m");
        assert_eq!(canon("0.5"), "500m");
        assert_eq!(canon("1Gi"), "1Gi");
        assert_eq!(canon("1024Mi"), "1Gi");
        assert_eq!(canon("1.5Gi"), "1536Mi");
        assert_eq!(canon("2000"), "2k");
        assert_eq!(canon("1500"), "1500");
        assert_eq!(canon("1000m"), "1");
        assert_eq!(canon("1e3"), "1e3");
        assert_eq!(canon("1.5e3"), "1500");
        assert_eq!(canon("512"), "512");
        assert_eq!(canon("0.5Ki"), "512");
        assert_eq!(canon("-1"), "-1");
        assert_eq!(canon("0"), "0");
        assert_eq!(canon("0.0000000001"), "1n");
        assert_eq!(canon("128974848"), "128974848");
    }

    #[test]
    fn garbage_quantities_do_not_parse() {
        for bad in ["", "abc", "1..0", "1Gb", "--1", "1e", "Gi", "1.2.3", "1e+"] {
            assert!(Quantity::parse(bad).is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn quantities_compare_by_value() {
        let a = Quantity::parse("500m").unwrap_or(Quantity::from_int(0));
        let b = Quantity::parse("1").unwrap_or(Quantity::from_int(0));
        assert!(a < b);
        assert!(Quantity::parse("1Ki").unwrap_or(Quantity::from_int(0)) > Quantity::parse("1k").unwrap_or(b));
        assert!(Quantity::parse("1.5").map(|q| !q.is_integer()).unwrap_or(false));
        assert!(Quantity::parse("2").map(|q| q.is_integer()).unwrap_or(false));
    }
}
