//! Go's `%q` string quoting, which upstream's error messages are built with.

mod print_table;

use std::fmt::Write as _;

/// Go's `strconv.Quote` (what `%q` prints for a string).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if c < ' ' || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
pub fn is_print(c: char) -> bool {
    let c = c as u32;
    let table = print_table::PRINTABLE;
    // Ranges are stored flat as (low, high) pairs: an odd count of bounds below `c` means
    // `c` lies inside a range.
    let below = table.partition_point(|&bound| bound < c);
    below % 2 == 1 || table.get(below) == Some(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_values_are_quoted_the_way_go_quotes_strings() {
        assert_eq!(go_quote("plain"), "\"plain\"");
        assert_eq!(go_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(go_quote("\u{b}\u{c}\u{1}\u{7f}"), "\"\\v\\f\\x01\\x7f\"");
        assert_eq!(go_quote("é\u{a0}\u{200b}\u{e000}"), "\"é\\u00a0\\u200b\\ue000\"");
        assert_eq!(go_quote("\u{10ffff}😀"), "\"\\U0010ffff😀\"");
    }

    #[test]
    fn quoting_escapes_like_go() {
        assert_eq!(go_quote("a\"b\\c\n\u{1}\u{e9}\u{200b}\u{7f}"), "\"a\\\"b\\\\c\\n\\x01\u{e9}\\u200b\\x7f\"");
    }

    #[test]
    fn printable_follows_go_unicode_tables() {
        for c in [' ', '~', '¡', 'é', '中', '😀', '\u{1f6dc}', '\u{31350}'] {
            assert!(is_print(c), "{c:?}");
        }
        // Controls, spaces other than U+0020, format, private use, unassigned.
        for c in
            ['\0', '\u{7f}', '\u{85}', '\u{a0}', '\u{ad}', '\u{3000}', '\u{feff}', '\u{e000}', '\u{378}', '\u{10ffff}']
        {
            assert!(!is_print(c), "{c:?}");
        }
        assert_eq!(go_quote("'\u{378}\u{85}"), "\"'\\u0378\\u0085\"");
    }
}
