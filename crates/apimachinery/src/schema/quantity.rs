//! `resource.Quantity` text: the grammar upstream accepts and the exact string it prints
//! back (`Quantity.String()` after `ParseQuantity`), which is what JSON and protobuf carry.
//!
//! Values are kept as an unsigned big integer of nano-units plus a sign, which covers every
//! value upstream can hold after its rounding to nano precision.

const FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const NUMERIC: &str = "unable to parse numeric part of quantity";
const SUFFIX: &str = "unable to parse quantity's suffix";

/// Longer numbers are refused so that hostile input stays cheap (upstream has no bound,
/// but such values are unusable anyway).
const MAX_DIGITS: usize = 1024;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    DecimalExponent,
    BinarySI,
    DecimalSI,
}

/// The string Go's `Quantity` prints for `s`, or the parse error upstream reports.
pub fn canonical_quantity(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Err(FORMAT_WRONG.into());
    }
    if s == "0" {
        return Ok("0".into());
    }
    let parts = split(s).ok_or(FORMAT_WRONG)?;
    let (base, exponent, format) = interpret(parts.suffix).ok_or(SUFFIX)?;

    // Upstream's int64 fast path, which sometimes keeps the caller's spelling verbatim.
    let (num, denom) = (parts.num, parts.denom);
    let digits = (num.len() + denom.len()) as i64;
    let (mut scale, mantissa, precision) = match format {
        // Binary suffixes have exponents 10..=60, so the shift cannot overflow.
        Format::BinarySI if exponent >= 0 && denom.is_empty() => {
            let shift = (exponent as f32 * 3.0 / 10.0) as i64;
            (0i64, 1i64 << exponent, 15 - num.len() as i64 - shift - 1)
        }
        Format::BinarySI => (0, 1, -1),
        _ => (i64::from(exponent), 1, 18 - digits),
    };
    if precision >= 0 {
        scale -= denom.len() as i64;
        if scale >= -9 {
            let shifted = format!("{num}{denom}");
            let value: i64 = shifted.parse().map_err(|_| NUMERIC)?;
            if let Some(result) = value.checked_mul(mantissa) {
                let keep = match format {
                    Format::BinarySI => exponent % 10 == 0 && value & 0x07 != 0,
                    _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
                };
                if keep {
                    return Ok(s.to_string());
                }
                let mantissa = Big::from_u64(result.unsigned_abs());
                return Ok(canonical(!parts.positive, mantissa, scale, format));
            }
        }
    }

    // The arbitrary-precision path.
    if digits as usize > MAX_DIGITS {
        return Err(NUMERIC.into());
    }
    if !parts.value.bytes().any(|c| c.is_ascii_digit()) {
        return Err(NUMERIC.into());
    }
    let mut unscaled = Big::from_digits(&format!("{num}{denom}"));
    // value = unscaled * 10^-frac_scale
    let mut frac_scale = denom.len() as i64;
    if base == 10 {
        frac_scale -= i64::from(exponent);
    } else {
        for _ in 0..exponent.max(0) {
            unscaled.mul_small(2);
        }
    }
    if frac_scale <= 9 && format != Format::BinarySI {
        // Already at nano precision or coarser: no rounding, and no need to materialise.
        return Ok(canonical(!parts.positive, unscaled, -frac_scale, format));
    }
    let mut nanos = unscaled;
    if frac_scale > 9 {
        // Round away from zero to nano precision.
        let drop = frac_scale - 9;
        if drop > MAX_DIGITS as i64 + 1 {
            // Below a nano-unit: any non-zero value rounds up to one.
            let nonzero = !nanos.is_zero();
            nanos = Big::from_u64(u64::from(nonzero));
        } else {
            let mut inexact = false;
            for _ in 0..drop {
                inexact |= nanos.div_small(10) != 0;
            }
            if inexact {
                nanos.add_small(1);
            }
        }
    } else {
        // Binary values are at most 2^63 after clamping, so this stays small.
        nanos.mul_pow10((9 - frac_scale) as usize);
    }
    let mut format = format;
    if format == Format::BinarySI {
        let max = Big::from_u128(i64::MAX as u128 * NANO as u128);
        if nanos.cmp(&max) == std::cmp::Ordering::Greater {
            nanos = max;
        }
        if !nanos.is_zero() && nanos.cmp(&Big::from_u64(NANO)) == std::cmp::Ordering::Less {
            format = Format::DecimalSI;
        }
    }
    Ok(canonical(!parts.positive, nanos, -9, format))
}

const NANO: u64 = 1_000_000_000;

/// Prints `mantissa * 10^exponent` the way `Quantity.CanonicalizeBytes` does. Binary
/// values always arrive with `exponent >= -9` and at most 2^63 in magnitude.
fn canonical(negative: bool, mut mantissa: Big, mut exponent: i64, format: Format) -> String {
    if mantissa.is_zero() {
        return "0".into();
    }
    let sign = if negative { "-" } else { "" };
    if format == Format::BinarySI && exponent >= -9 {
        let mut nanos = mantissa.clone();
        nanos.mul_pow10((exponent + 9) as usize);
        if nanos.cmp(&Big::from_u64(1024 * NANO)) != std::cmp::Ordering::Less && nanos.rem_small(NANO as u32) == 0 {
            nanos.div_small(NANO as u32);
            let mut power = 0;
            while power < 6 && nanos.rem_small(1024) == 0 {
                nanos.div_small(1024);
                power += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power];
            return format!("{sign}{}{suffix}", nanos.to_decimal());
        }
    }
    while mantissa.rem_small(10) == 0 {
        mantissa.div_small(10);
        exponent += 1;
    }
    while exponent % 3 != 0 {
        mantissa.mul_small(10);
        exponent -= 1;
    }
    let suffix = match format {
        Format::DecimalExponent if exponent == 0 => String::new(),
        Format::DecimalExponent => format!("e{exponent}"),
        _ => match exponent {
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
        .to_string(),
    };
    format!("{sign}{}{suffix}", mantissa.to_decimal())
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

/// A minimal unsigned big integer (little-endian base-1e9 limbs).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Big(Vec<u32>);

const LIMB: u64 = 1_000_000_000;

impl Big {
    fn from_u64(v: u64) -> Big {
        Big::from_u128(u128::from(v))
    }

    fn from_u128(mut v: u128) -> Big {
        let mut limbs = Vec::new();
        while v > 0 {
            limbs.push((v % u128::from(LIMB)) as u32);
            v /= u128::from(LIMB);
        }
        Big(limbs)
    }

    fn from_digits(digits: &str) -> Big {
        let mut b = Big(Vec::new());
        for c in digits.bytes() {
            b.mul_small(10);
            b.add_small(u32::from(c - b'0'));
        }
        b
    }

    fn is_zero(&self) -> bool {
        self.0.iter().all(|&l| l == 0)
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = (v % LIMB) as u32;
            carry = v / LIMB;
        }
        while carry > 0 {
            self.0.push((carry % LIMB) as u32);
            carry /= LIMB;
        }
    }

    fn mul_pow10(&mut self, n: usize) {
        for _ in 0..n {
            self.mul_small(10);
        }
    }

    fn add_small(&mut self, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.0 {
            if carry == 0 {
                return;
            }
            let v = u64::from(*limb) + carry;
            *limb = (v % LIMB) as u32;
            carry = v / LIMB;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    /// Divides in place and returns the remainder.
    fn div_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for limb in self.0.iter_mut().rev() {
            let v = rem * LIMB + u64::from(*limb);
            *limb = (v / u64::from(d)) as u32;
            rem = v % u64::from(d);
        }
        self.trim();
        rem as u32
    }

    fn rem_small(&self, d: u32) -> u32 {
        self.0.iter().rev().fold(0u64, |rem, &limb| (rem * LIMB + u64::from(limb)) % u64::from(d)) as u32
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        let (mut a, mut b) = (self.clone(), other.clone());
        a.trim();
        b.trim();
        a.0.len().cmp(&b.0.len()).then_with(|| a.0.iter().rev().cmp(b.0.iter().rev()))
    }

    fn to_decimal(&self) -> String {
        let mut limbs = self.0.clone();
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
        let Some((top, rest)) = limbs.split_last() else {
            return "0".into();
        };
        let mut out = top.to_string();
        for limb in rest.iter().rev() {
            out.push_str(&format!("{limb:09}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::canonical_quantity as canon;

    #[test]
    fn canonical_forms_match_upstream() {
        let cases = [
            ("1", "1"),
            ("1000m", "1"),
            ("0.5", "500m"),
            ("100m", "100m"),
            ("1.5", "1500m"),
            ("128Mi", "128Mi"),
            ("1024Ki", "1Mi"),
            ("1.5Gi", "1536Mi"),
            ("0.5Ki", "512"),
            ("1e3", "1e3"),
            ("1000", "1k"),
            ("12e6", "12e6"),
            ("1.0", "1"),
            ("0.0001", "100u"),
            ("0.0000000001", "1n"),
            ("-1.5", "-1500m"),
            ("+1", "+1"),
            ("01Ki", "01Ki"),
            ("0Mi", "0"),
            ("0", "0"),
            ("00", "0"),
            ("123456789012345678901234567890", "123456789012345678901234567890"),
            ("1.23456789012345678901", "1234567891n"),
            ("10Ei", "9223372036854775807"),
            ("2k", "2k"),
            ("2000k", "2M"),
            ("1e1000000000", "10e999999999"),
            ("1e-1000000000", "1e-9"),
            ("5e-10", "1e-9"),
            ("0.0000000005", "1n"),
            ("1.5e21", "1500e18"),
            ("1500E", "1500E"),
            ("-0.5Ki", "-512"),
        ];
        for (input, want) in cases {
            assert_eq!(canon(input).as_deref(), Ok(want), "{input}");
        }
    }

    #[test]
    fn malformed_quantities_are_rejected() {
        for bad in ["", "abc", "1.2.3", "1Qi", "1 Gi", "--1", "1e"] {
            assert!(canon(bad).is_err(), "{bad}");
        }
    }
}
