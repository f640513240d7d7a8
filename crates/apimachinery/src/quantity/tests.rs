//! Expected values are what upstream's `resource.Quantity` (apimachinery v0.33) gives.

use serde_json::json;

use super::{ParseError, Quantity, MILLI};

fn canon(s: &str) -> Result<String, ParseError> {
    Quantity::parse(s).map(|q| q.to_string())
}

fn q(s: &str) -> Quantity {
    Quantity::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

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
fn quantities_print_in_upstream_canonical_form() {
    let cases = [
        ("100m", "100m"),
        ("0.5", "500m"),
        ("1Gi", "1Gi"),
        ("1024Mi", "1Gi"),
        ("1.5Gi", "1536Mi"),
        ("2000", "2k"),
        ("1500", "1500"),
        ("1000m", "1"),
        ("1e3", "1e3"),
        ("1.5e3", "1500"),
        ("512", "512"),
        ("0.5Ki", "512"),
        ("-1", "-1"),
        ("0", "0"),
        ("0.0000000001", "1n"),
        ("128974848", "128974848"),
    ];
    for (input, want) in cases {
        assert_eq!(canon(input).as_deref(), Ok(want), "{input}");
    }
}

#[test]
fn upstream_quirks_are_kept() {
    // DecimalSI has no suffix past E (nor below n) and prints the digits alone.
    assert_eq!(canon("1000E").as_deref(), Ok("1"));
    // Decimal values are not capped, and exponents wrap to 32 bits.
    assert_eq!(canon("9e2000000000").as_deref(), Ok("900e1999999998"));
    assert_eq!(canon("1e99999999999").as_deref(), Ok("10e1215752190"));
    // A sign or leading zeros survive on the fast path.
    assert_eq!(canon("+3").as_deref(), Ok("+3"));
    assert_eq!(canon("00100").as_deref(), Ok("00100"));
    // Digits may be missing altogether: the value is zero.
    for zero in ["Gi", ".", "+.", "-", ".Ki"] {
        assert_eq!(canon(zero).as_deref(), Ok("0"), "{zero}");
    }
}

#[test]
fn malformed_quantities_are_rejected() {
    for bad in ["", "abc", "1.2.3", "1Qi", "1 Gi", "--1", "1e", "1..0", "1Gb", "1e+", " 1", "1 "] {
        assert!(canon(bad).is_err(), "{bad}");
    }
    assert_eq!(canon("1Qi"), Err(ParseError::FormatWrong));
    assert_eq!(canon("1ki"), Err(ParseError::Suffix));
    assert_eq!(canon("1e+"), Err(ParseError::Suffix));
    assert_eq!(canon("abc"), Err(ParseError::FormatWrong));
    assert_eq!(canon(".e-10"), Err(ParseError::Numeric));
}

#[test]
fn quantities_compare_by_value() {
    assert!(q("500m") < q("1"));
    assert!(q("1Ki") > q("1k"));
    assert_eq!(q("1Gi"), q("1073741824"));
    assert_eq!(q("1e3"), q("1k"));
    assert!(q("-2") < q("-1.5"));
    assert!(q("-1n") < q("0"));
    assert!(q("1e1000000000") > q("123456789012345678901234567890"));
    assert!(q("1.5") > Quantity::from_int(1));
    assert!(!q("1.5").is_integer());
    assert!(q("2").is_integer());
}

#[test]
fn values_round_like_upstream() {
    // The int64 path rounds away from zero, the inf.Dec path by truncation plus one.
    let cases = [
        ("1.5", 2),
        ("-1.5", -2),
        ("-0.5", -1),
        ("-0.0000000001", 1),
        ("-0.5Ki", -512),
        ("9e2000000000", 0),
        ("10Ei", i64::MAX),
    ];
    for (input, want) in cases {
        assert_eq!(q(input).value(), want, "{input}");
    }
    assert_eq!((q("-1").sign(), q("0").sign(), q("2m").sign()), (-1, 0, 1));
    assert!(q("-0.0000000001").is_negative());
    assert!(q("-0").is_zero() && !q("-0").is_negative());
}

#[test]
fn rounding_up_to_milli_matches_round_up() {
    let cases = [
        ("100u", false, "1m"),
        ("1500u", false, "2m"),
        ("+1500u", false, "2m"),
        ("01500u", false, "2m"),
        ("-1500u", false, "-2m"),
        ("999999999n", false, "1"),
        ("0.0000001", false, "1m"),
        ("1e-7", false, "1e-3"),
        ("2000u", true, "2m"),
        ("100m", true, "100m"),
        ("+1", true, "+1"),
        ("1Gi", true, "1Gi"),
    ];
    for (input, exact, want) in cases {
        let mut v = q(input);
        assert_eq!(v.round_up(MILLI), exact, "{input}");
        assert_eq!(v.to_string(), want, "{input}");
    }
}

#[test]
fn json_values_are_trimmed_strings_or_numbers() {
    assert_eq!(Quantity::from_json(&json!(" 1Gi\n")).map(|q| q.to_string()), Ok("1Gi".to_string()));
    assert_eq!(Quantity::from_json(&json!(2000)).map(|q| q.to_string()), Ok("2k".to_string()));
    assert!(Quantity::from_json(&json!(null)).is_err());
    assert_eq!(Quantity::json_text(&json!(true)), None);
    assert!(q("1").nanos_f64() == 1e9 && q("-5n").nanos_f64() == -5.0);
}
