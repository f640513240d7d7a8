//! Upstream rounds every quantity of a resource list up to milli precision when it
//! defaults an object (`100u` of CPU becomes `1m`), away from zero.

use serde_json::Value;

use crate::schema::values::canonical_quantity;

/// Rounds the quantities of a `map[ResourceName]Quantity` value in place; values that are
/// no quantity are left alone.
pub(super) fn round_up_resource_list(list: &mut Value) {
    let Value::Object(entries) = list else { return };
    for v in entries.values_mut() {
        let text = match v {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            _ => continue,
        };
        if let Some(rounded) = round_up_to_milli(&text) {
            *v = Value::String(rounded);
        }
    }
}

/// The canonical text of `q` rounded up to milli precision, or `None` when `q` needs no
/// rounding (or does not parse).
fn round_up_to_milli(q: &str) -> Option<String> {
    let canonical = canonical_quantity(q).ok()?;
    let (negative, digits) = match canonical.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, canonical.as_str()),
    };
    let end = digits.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(digits.len());
    let (mantissa, suffix) = digits.split_at(end);
    // Digits below a milli, and the suffix the rounded value is written with.
    let (drop, milli_suffix) = match suffix {
        "n" => (6, "m"),
        "u" => (3, "m"),
        _ => match suffix.strip_prefix("e-").and_then(|e| e.parse::<usize>().ok()) {
            Some(exp) if exp > 3 => (exp - 3, "e-3"),
            _ => return None,
        },
    };
    let rounded = ceil_shift(mantissa, drop);
    let sign = if negative { "-" } else { "" };
    canonical_quantity(&format!("{sign}{rounded}{milli_suffix}")).ok()
}

/// `digits / 10^drop`, rounded up when anything nonzero is dropped.
fn ceil_shift(digits: &str, drop: usize) -> String {
    let keep = digits.len().saturating_sub(drop);
    let (high, low) = digits.split_at(keep);
    let mut out: Vec<u8> = if high.is_empty() { vec![b'0'] } else { high.as_bytes().to_vec() };
    if low.bytes().any(|b| b != b'0') {
        let mut i = out.len();
        loop {
            if i == 0 {
                out.insert(0, b'1');
                break;
            }
            i -= 1;
            if out[i] == b'9' {
                out[i] = b'0';
            } else {
                out[i] += 1;
                break;
            }
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::round_up_to_milli;

    #[test]
    fn sub_milli_quantities_round_up_and_others_stay() {
        assert_eq!(round_up_to_milli("100u").as_deref(), Some("1m"));
        assert_eq!(round_up_to_milli("1500u").as_deref(), Some("2m"));
        assert_eq!(round_up_to_milli("999999999n").as_deref(), Some("1"));
        assert_eq!(round_up_to_milli("0.0000001").as_deref(), Some("1m"));
        assert_eq!(round_up_to_milli("-1500u").as_deref(), Some("-2m"));
        assert_eq!(round_up_to_milli("2000u"), None, "2000u is 2m already");
        assert_eq!(round_up_to_milli("100m"), None);
        assert_eq!(round_up_to_milli("1Gi"), None);
        assert_eq!(round_up_to_milli("nonsense"), None);
    }
}
