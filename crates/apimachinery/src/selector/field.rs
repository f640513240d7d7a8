//! Field selectors: the `fieldSelector` query grammar (`field=value`, `field==value`,
//! `field!=value`, comma-separated, with `\` escaping `\`, `,` and `=` in values).
//!
//! As upstream, terms are kept in the byte order of their raw text (so `b=1,a=2` prints
//! as `a=2,b=1`), `==` prints as `=`, and a field absent from an object compares as the
//! empty string.

use std::borrow::Cow;
use std::fmt;

use crate::status::ApiError;

/// How a field is compared to the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldOperator {
    /// `=` or `==`.
    Equals,
    /// `!=`.
    NotEquals,
}

impl FieldOperator {
    /// The operator as the canonical string form prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldOperator::Equals => "=",
            FieldOperator::NotEquals => "!=",
        }
    }
}

/// One `field op value` term; `value` is unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRequirement {
    pub field: String,
    pub operator: FieldOperator,
    pub value: String,
}

impl FieldRequirement {
    /// Whether the field's value (absent = `""`) satisfies the term.
    pub fn matches_value(&self, actual: Option<&str>) -> bool {
        let actual = actual.unwrap_or("");
        match self.operator {
            FieldOperator::Equals => actual == self.value,
            FieldOperator::NotEquals => actual != self.value,
        }
    }
}

impl fmt::Display for FieldRequirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.field, self.operator.as_str(), escape_value(&self.value))
    }
}

/// A parsed field selector: the AND of its terms.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSelector {
    requirements: Vec<FieldRequirement>,
}

impl FieldSelector {
    /// Parses the `fieldSelector` query grammar; a 400 with upstream's message otherwise
    /// (`invalid selector: '...'; can't understand '...'`, or an escaping error).
    pub fn parse(selector: &str) -> Result<Self, ApiError> {
        parse(selector).map_err(ApiError::bad_request)
    }

    /// Selects every object.
    pub fn everything() -> Self {
        FieldSelector::default()
    }

    /// `field=value` for each entry, in the order given (upstream's `SelectorFromSet`).
    pub fn from_set<K: AsRef<str>, V: AsRef<str>>(set: impl IntoIterator<Item = (K, V)>) -> Self {
        let requirements = set
            .into_iter()
            .map(|(k, v)| FieldRequirement {
                field: k.as_ref().to_string(),
                operator: FieldOperator::Equals,
                value: v.as_ref().to_string(),
            })
            .collect();
        FieldSelector { requirements }
    }

    /// `field=value` alone (upstream's `OneTermEqualSelector`), e.g. `metadata.name=web`.
    pub fn one_term_equal(field: &str, value: &str) -> Self {
        FieldSelector::from_set([(field, value)])
    }

    /// Whether the selector restricts nothing.
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// The terms, in canonical order; values are unescaped.
    pub fn requirements(&self) -> &[FieldRequirement] {
        &self.requirements
    }

    /// The value the selector requires `field` to equal (first `=` term on that field),
    /// e.g. `metadata.name` to narrow a read to one key.
    pub fn requires_exact_match(&self, field: &str) -> Option<&str> {
        self.requirements
            .iter()
            .find(|r| r.field == field && r.operator == FieldOperator::Equals)
            .map(|r| r.value.as_str())
    }

    /// Whether every term holds; `fields` returns a field's value, `None` counting as `""`.
    pub fn matches(&self, fields: &dyn Fn(&str) -> Option<String>) -> bool {
        self.requirements.iter().all(|r| r.matches_value(fields(&r.field).as_deref()))
    }

    /// Like [`FieldSelector::matches`], for getters that can lend values without allocating.
    pub fn matches_with<'v>(&self, fields: impl Fn(&str) -> Option<Cow<'v, str>>) -> bool {
        self.requirements.iter().all(|r| r.matches_value(fields(&r.field).as_deref()))
    }

    /// Rewrites every term through `f(field, value) -> (field, value)` as upstream's
    /// `Transform` does (the field-label conversion); a term mapped to two empty strings
    /// is dropped, and the first error aborts.
    pub fn transform<E>(
        &self,
        mut f: impl FnMut(&str, &str) -> Result<(String, String), E>,
    ) -> Result<FieldSelector, E> {
        let mut requirements = Vec::with_capacity(self.requirements.len());
        for r in &self.requirements {
            let (field, value) = f(&r.field, &r.value)?;
            if field.is_empty() && value.is_empty() {
                continue;
            }
            requirements.push(FieldRequirement { field, operator: r.operator, value });
        }
        Ok(FieldSelector { requirements })
    }
}

impl fmt::Display for FieldSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

/// Escapes `\`, `,` and `=` with a backslash so any literal can be a selector value.
pub fn escape_value(s: &str) -> Cow<'_, str> {
    if !s.contains(['\\', ',', '=']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if matches!(c, '\\' | ',' | '=') {
            out.push('\\');
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Reverses [`escape_value`]; upstream's errors for an unknown escape, a trailing `\`,
/// or an unescaped `,` / `=` (printed as its code point number, as Go's `%v` of a rune does).
pub fn unescape_value(s: &str) -> Result<Cow<'_, str>, String> {
    if !s.contains(['\\', ',', '=']) {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut in_slash = false;
    for c in s.chars() {
        if in_slash {
            if !matches!(c, '\\' | ',' | '=') {
                return Err(format!("invalid field selector: invalid escape sequence: \\{c}"));
            }
            out.push(c);
            in_slash = false;
            continue;
        }
        match c {
            '\\' => in_slash = true,
            ',' | '=' => {
                return Err(format!("invalid field selector: unescaped character in value: {}", c as u32));
            }
            c => out.push(c),
        }
    }
    if in_slash {
        return Err("invalid field selector: invalid escape sequence: \\".to_string());
    }
    Ok(Cow::Owned(out))
}

/// The comma-separated terms; an escaped comma stays inside its term, backslash included.
fn split_terms(selector: &str) -> Vec<&str> {
    if selector.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::with_capacity(1);
    let mut start = 0;
    let mut in_slash = false;
    for (i, c) in selector.char_indices() {
        if in_slash {
            in_slash = false;
        } else if c == '\\' {
            in_slash = true;
        } else if c == ',' {
            terms.push(&selector[start..i]);
            start = i + 1;
        }
    }
    terms.push(&selector[start..]);
    terms
}

/// Splits a term at the first operator (`!=`, then `==`, then `=` at each position);
/// the field part knows no escaping.
fn split_term(term: &str) -> Option<(&str, FieldOperator, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for (op, operator) in
            [("!=", FieldOperator::NotEquals), ("==", FieldOperator::Equals), ("=", FieldOperator::Equals)]
        {
            if let Some(rhs) = rest.strip_prefix(op) {
                return Some((&term[..i], operator, rhs));
            }
        }
    }
    None
}

fn parse(selector: &str) -> Result<FieldSelector, String> {
    let mut parts = split_terms(selector);
    parts.sort_unstable();
    let mut requirements = Vec::with_capacity(parts.len());
    for part in parts {
        if part.is_empty() {
            continue;
        }
        let Some((lhs, operator, rhs)) = split_term(part) else {
            return Err(format!("invalid selector: '{selector}'; can't understand '{part}'"));
        };
        let value = unescape_value(rhs)?.into_owned();
        requirements.push(FieldRequirement { field: lhs.to_string(), operator, value });
    }
    Ok(FieldSelector { requirements })
}
