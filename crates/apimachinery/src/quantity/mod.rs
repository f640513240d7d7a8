//! `resource.Quantity` as upstream's `pkg/api/resource` has it: the grammar `ParseQuantity`
//! accepts, the value it keeps (an int64 amount on the fast path, an `inf.Dec` otherwise),
//! and the exact text `String()` prints, which JSON, protobuf, tables and messages carry.

mod big;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

use big::Big;

/// How a quantity was written, which decides how it prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    DecimalExponent,
    BinarySI,
    DecimalSI,
}

/// Upstream's parse errors (`ErrFormatWrong`, `ErrNumeric`, `ErrSuffix`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    FormatWrong,
    Numeric,
    Suffix,
}

impl ParseError {
    pub fn message(self) -> &'static str {
        match self {
            ParseError::FormatWrong => {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            }
            ParseError::Numeric => "unable to parse numeric part of quantity",
            ParseError::Suffix => "unable to parse quantity's suffix",
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for ParseError {}

/// Longer numbers are refused so that hostile input stays cheap (upstream has no bound,
/// but such values are unusable anyway).
const MAX_DIGITS: u64 = 1024;

/// Milli precision, the scale defaulting rounds resource lists to.
pub const MILLI: i64 = -3;

/// A parsed quantity. Equality and order compare values, as upstream's `Cmp` does.
#[derive(Debug, Clone)]
pub struct Quantity {
    negative: bool,
    /// |value| = mantissa × 10^exponent; for an `inf.Dec` this is upstream's unscaled value
    /// and (negated) scale, which its rounding quirks depend on.
    mantissa: Big,
    exponent: i64,
    /// Held as an `inf.Dec` rather than an int64 amount: `Value()` rounds differently.
    dec: bool,
    format: Format,
    /// The caller's spelling, which upstream prints back when it looks canonical already.
    text: Option<Box<str>>,
}

impl Quantity {
    /// `ParseQuantity`: no surrounding whitespace is allowed.
    pub fn parse(s: &str) -> Result<Quantity, ParseError> {
        if s.is_empty() {
            return Err(ParseError::FormatWrong);
        }
        if s == "0" {
            return Ok(Quantity::int(0, 0, Format::DecimalSI));
        }
        let parts = split(s).ok_or(ParseError::FormatWrong)?;
        let (base, exponent, format) = interpret(parts.suffix).ok_or(ParseError::Suffix)?;
        match fast_path(s, &parts, exponent, format)? {
            Some(q) => Ok(q),
            None => slow_path(&parts, base, exponent, format),
        }
    }

    /// The text a JSON quantity carries (Go's decoder takes strings and bare numbers).
    pub fn json_text(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// `UnmarshalJSON`, which trims whitespace; other JSON types (`null` included) are refused.
    pub fn from_json(v: &Value) -> Result<Quantity, ParseError> {
        let text = Quantity::json_text(v).ok_or(ParseError::FormatWrong)?;
        Quantity::parse(text.trim())
    }

    /// `NewQuantity(n, DecimalSI)`.
    pub fn from_int(n: i64) -> Quantity {
        Quantity::int(n, 0, Format::DecimalSI)
    }

    fn int(value: i64, scale: i64, format: Format) -> Quantity {
        Quantity {
            negative: value < 0,
            mantissa: Big::from_u64(value.unsigned_abs()),
            exponent: scale,
            dec: false,
            format,
            text: None,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.mantissa.is_zero()
    }

    pub fn is_negative(&self) -> bool {
        self.negative && !self.is_zero()
    }

    /// -1, 0 or 1.
    pub fn sign(&self) -> i32 {
        match (self.is_zero(), self.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        }
    }

    /// `Value()`: whole units, rounded up.
    pub fn value(&self) -> i64 {
        self.scaled_value(0)
    }

    /// `MilliValue() % 1000 == 0`, upstream's test for a whole number.
    pub fn is_integer(&self) -> bool {
        self.scaled_value(MILLI) % 1000 == 0
    }

    /// The value in nano-units as the nearest `f64`.
    pub fn nanos_f64(&self) -> f64 {
        let sign = if self.negative { "-" } else { "" };
        format!("{sign}{}e{}", self.mantissa.to_decimal(), self.exponent + 9).parse().unwrap_or(0.0)
    }

    /// `RoundUp(scale)`: rounds away from zero to a multiple of 10^scale; false when that
    /// changed the value.
    pub fn round_up(&mut self, scale: i64) -> bool {
        if !self.dec && self.exponent >= scale {
            return true;
        }
        self.text = None;
        if self.exponent >= scale {
            // `inf.Dec` rescales without changing the value.
            let up = (self.exponent - scale) as u64;
            if up <= 2 * MAX_DIGITS {
                self.mantissa.mul_pow10(up);
                self.exponent = scale;
            }
            return true;
        }
        let inexact = self.mantissa.div_pow10((scale - self.exponent) as u64);
        if inexact {
            self.mantissa.add_small(1);
        }
        self.exponent = scale;
        !inexact
    }

    /// `ScaledValue(scale)`: the value in units of 10^scale rounded up, with upstream's int64
    /// arithmetic (wrapping or zero on overflow).
    fn scaled_value(&self, scale: i64) -> i64 {
        let magnitude = self.mantissa.low_u64() as i64;
        let int64 = if self.negative { magnitude.wrapping_neg() } else { magnitude };
        let dif = scale - self.exponent;
        if !self.dec {
            // int64Amount.AsScaledInt64: away from zero; overflow gives 0.
            return if dif > 0 {
                negative_scale_int64(int64, dif)
            } else {
                positive_scale_int64(int64, -dif).unwrap_or(0)
            };
        }
        if self.exponent + 9 > 2 * MAX_DIGITS as i64 {
            // Left unscaled by parse: at upstream's nano scale its low 64 bits are all zero.
            return 0;
        }
        // scaledValue() on the inf.Dec's unscaled value.
        match dif.cmp(&0) {
            Ordering::Equal => int64,
            // int64(math.Pow10(n)) is i64::MIN past 10^18 on amd64.
            Ordering::Less => {
                int64.wrapping_mul(u32::try_from(-dif).ok().and_then(|n| 10i64.checked_pow(n)).unwrap_or(i64::MIN))
            }
            Ordering::Greater if dif < 19 && (self.negative || self.mantissa < Big::from_u64(i64::MAX as u64)) => {
                // Truncating division plus one, which rounds negative values up past ceil.
                let d = 10i64.pow(dif as u32);
                int64 / d + i64::from(int64 % d != 0)
            }
            Ordering::Greater => {
                // Euclidean division (floor), plus one when inexact.
                let mut q = self.mantissa.clone();
                let inexact = q.div_pow10(dif as u64);
                let mut result = q.low_u64() as i64;
                if self.negative {
                    result = result.wrapping_neg().wrapping_sub(i64::from(inexact));
                }
                result.wrapping_add(i64::from(inexact))
            }
        }
    }

    /// The whole units of a BinarySI value, or `None` when it prints as DecimalSI instead
    /// (below 1024 in magnitude, or not whole).
    fn binary_units(&self) -> Option<Big> {
        let mut units = self.mantissa.clone();
        if self.exponent < 0 {
            if units.div_pow10(self.exponent.unsigned_abs()) {
                return None;
            }
        } else if self.exponent as u64 <= 2 * MAX_DIGITS {
            units.mul_pow10(self.exponent as u64);
        } else {
            return None;
        }
        (units >= Big::from_u64(1024)).then_some(units)
    }

    fn cmp_magnitude(&self, other: &Quantity) -> Ordering {
        let (a, b) = (&self.mantissa, &other.mantissa);
        if a.is_zero() || b.is_zero() {
            return a.is_zero().cmp(&b.is_zero()).reverse();
        }
        let order = |q: &Quantity| i128::from(q.exponent) + i128::from(q.mantissa.digits());
        match order(self).cmp(&order(other)) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        // Same order of magnitude, so the exponents differ by less than the digit counts.
        let shift = self.exponent - other.exponent;
        if shift >= 0 {
            let mut a = a.clone();
            a.mul_pow10(shift as u64);
            a.cmp(b)
        } else {
            let mut b = b.clone();
            b.mul_pow10(shift.unsigned_abs());
            a.cmp(&b)
        }
    }
}

/// negativeScaleInt64: divides by 10^scale, rounding away from zero.
fn negative_scale_int64(base: i64, scale: i64) -> i64 {
    let away = if base > 0 { 1 } else { -1 };
    let (mut value, mut fraction) = (base, false);
    for _ in 0..scale {
        fraction |= value % 10 != 0;
        value /= 10;
        if value == 0 {
            return if fraction { away } else { 0 };
        }
    }
    if fraction {
        value + away
    } else {
        value
    }
}

/// positiveScaleInt64: multiplies by 10^scale, `None` on overflow.
fn positive_scale_int64(base: i64, scale: i64) -> Option<i64> {
    if base == 0 {
        return Some(0);
    }
    (0..scale).try_fold(base, |v, _| v.checked_mul(10))
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Quantity) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Quantity) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Quantity) -> Ordering {
        match self.sign().cmp(&other.sign()) {
            Ordering::Equal if self.sign() < 0 => self.cmp_magnitude(other).reverse(),
            Ordering::Equal => self.cmp_magnitude(other),
            unequal => unequal,
        }
    }
}

/// `String()`: the kept spelling, else `CanonicalizeBytes`.
impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(text) = &self.text {
            return f.write_str(text);
        }
        if self.is_zero() {
            return f.write_str("0");
        }
        let sign = if self.negative { "-" } else { "" };
        if self.format == Format::BinarySI {
            if let Some(mut units) = self.binary_units() {
                let mut power = 0;
                while units.rem_small(1024) == 0 {
                    units.div_small(1024);
                    power += 1;
                }
                // Upstream has no suffix past Ei and then prints none.
                let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].get(power).copied().unwrap_or("");
                return write!(f, "{sign}{}{suffix}", units.to_decimal());
            }
        }
        let mut mantissa = self.mantissa.clone();
        let mut exponent = self.exponent + mantissa.strip_tens() as i64;
        while exponent.rem_euclid(3) != 0 {
            mantissa.mul_small(10);
            exponent -= 1;
        }
        let digits = mantissa.to_decimal();
        match self.format {
            Format::DecimalExponent if exponent != 0 => write!(f, "{sign}{digits}e{exponent}"),
            Format::DecimalExponent => write!(f, "{sign}{digits}"),
            // An exponent without a DecimalSI suffix prints with none.
            _ => write!(f, "{sign}{digits}{}", decimal_si_suffix(exponent)),
        }
    }
}

fn decimal_si_suffix(exponent: i64) -> &'static str {
    match exponent {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        _ => "",
    }
}

/// Upstream's int64 fast path, which keeps the caller's spelling when it looks canonical.
fn fast_path(s: &str, parts: &Parts<'_>, exponent: i32, format: Format) -> Result<Option<Quantity>, ParseError> {
    let (num, denom) = (parts.num, parts.denom);
    let (scale, mantissa, precision) = match format {
        // Binary suffixes have exponents 10..=60, so the shift cannot overflow.
        Format::BinarySI if denom.is_empty() => {
            let shift = (exponent as f32 * 3.0 / 10.0) as i64;
            (0i64, 1i64 << exponent, 15 - num.len() as i64 - shift - 1)
        }
        Format::BinarySI => (0, 1, -1),
        _ => (i64::from(exponent), 1, 18 - (num.len() + denom.len()) as i64),
    };
    let scale = scale - denom.len() as i64;
    if precision < 0 || scale < -9 {
        return Ok(None);
    }
    let shifted = format!("{num}{denom}");
    let value: i64 = shifted.parse().map_err(|_| ParseError::Numeric)?;
    let Some(result) = value.checked_mul(mantissa) else { return Ok(None) };
    let keep = match format {
        Format::BinarySI => exponent % 10 == 0 && value & 0x07 != 0,
        _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
    };
    let mut q = Quantity::int(if parts.positive { result } else { -result }, scale, format);
    if keep {
        q.text = Some(s.into());
    }
    Ok(Some(q))
}

/// The `inf.Dec` path: exact, then rounded away from zero to nano precision.
fn slow_path(parts: &Parts<'_>, base: u32, exponent: i32, format: Format) -> Result<Quantity, ParseError> {
    if (parts.num.len() + parts.denom.len()) as u64 > MAX_DIGITS || !parts.value.bytes().any(|c| c.is_ascii_digit()) {
        return Err(ParseError::Numeric);
    }
    let mut mantissa = Big::from_digits(&format!("{}{}", parts.num, parts.denom));
    let mut exp = -(parts.denom.len() as i64);
    if base == 10 {
        exp += i64::from(exponent);
    } else {
        for _ in 0..exponent {
            mantissa.mul_small(2);
        }
    }
    if !mantissa.is_zero() {
        if exp < -9 {
            if mantissa.div_pow10((-9 - exp) as u64) {
                mantissa.add_small(1);
            }
            exp = -9;
        } else if exp + 9 <= 2 * MAX_DIGITS as i64 {
            mantissa.mul_pow10((exp + 9) as u64);
            exp = -9;
        }
        // Beyond that upstream would build a number of billions of digits: keep it unscaled.
    }
    let mut format = format;
    if format == Format::BinarySI {
        // Capped at the largest int64 (exp is -9 here: binary exponents are positive).
        let mut max = Big::from_u64(i64::MAX as u64);
        max.mul_pow10(9);
        if mantissa > max {
            mantissa = Big::from_u64(i64::MAX as u64);
            exp = 0;
        } else if !mantissa.is_zero() && mantissa < Big::from_u64(1_000_000_000) {
            format = Format::DecimalSI;
        }
    }
    let negative = !parts.positive && !mantissa.is_zero();
    Ok(Quantity { negative, mantissa, exponent: exp, dec: true, format, text: None })
}

struct Parts<'a> {
    positive: bool,
    /// The signed numeric text before the suffix.
    value: &'a str,
    /// Integer digits without leading zeros ("0" when there are none).
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

/// Splits `[+-]digits[.digits]suffix` the way upstream's `parseQuantityString` does.
fn split(s: &str) -> Option<Parts<'_>> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    if let Some(&c) = b.first() {
        if c == b'-' || c == b'+' {
            positive = c == b'+';
            pos = 1;
        }
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Some(Parts { positive, value: s, num: "0", denom: "", suffix: "" });
    }
    let digits_end = |from: usize| (from..end).find(|&i| !b[i].is_ascii_digit()).unwrap_or(end);
    let i = digits_end(pos);
    if i >= end {
        return Some(Parts { positive, value: s, num: &s[pos..], denom: "", suffix: "" });
    }
    let num = if i == pos { "0" } else { &s[pos..i] };
    pos = i;
    let mut denom = "";
    if b[pos] == b'.' {
        pos += 1;
        let j = digits_end(pos);
        if j >= end {
            return Some(Parts { positive, value: s, num, denom: &s[pos..], suffix: "" });
        }
        denom = &s[pos..j];
        pos = j;
    }
    let value = &s[..pos];
    let suffix_start = pos;
    let letters_end = (pos..end).find(|&i| !b"eEinumkKMGTP".contains(&b[i])).unwrap_or(end);
    if letters_end >= end {
        return Some(Parts { positive, value, num, denom, suffix: &s[suffix_start..] });
    }
    pos = letters_end;
    if b[pos] == b'-' || b[pos] == b'+' {
        pos += 1;
    }
    if digits_end(pos) >= end {
        return Some(Parts { positive, value, num, denom, suffix: &s[suffix_start..] });
    }
    None
}

/// (base, exponent, format) for a suffix.
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let dec = |e| Some((10, e, Format::DecimalSI));
    let bin = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        _ if suffix.len() > 1 && (suffix.starts_with('e') || suffix.starts_with('E')) => {
            let parsed: i64 = suffix[1..].parse().ok()?;
            // Upstream narrows the exponent to 32 bits.
            Some((10, parsed as i32, Format::DecimalExponent))
        }
        _ => None,
    }
}
