//! Label selectors: the `labelSelector` query grammar, `metav1.LabelSelector` objects,
//! and matching against an object's labels.
//!
//! Parsing follows upstream's lexer and recursive-descent parser byte for byte, so the
//! same inputs are accepted, the same canonical string is printed, and a rejected
//! selector carries the same message (`unable to parse requirement: ...`,
//! `found '...', expected: ...`).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;

use serde_json::{Map, Value};

use super::label_parse::parse_requirements;
use super::validation::{aggregate, go_string_slice, invalid_value, label_value_errors, qualified_name_errors};
use crate::gofmt::go_quote;
use crate::status::ApiError;

/// Anything a label selector can be matched against: a key to optional value lookup.
pub trait Labels {
    /// The value of the label `key`, or `None` when the label is absent.
    fn label(&self, key: &str) -> Option<&str>;
}

/// A JSON labels map (`metadata.labels`); a non-string value counts as absent.
impl Labels for Map<String, Value> {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }
}

impl Labels for BTreeMap<String, String> {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl<S: BuildHasher> Labels for HashMap<String, String, S> {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl Labels for [(&str, &str)] {
    fn label(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

/// The labels of a whole object (`metadata.labels`); an object without labels has none.
#[derive(Debug, Clone, Copy)]
pub struct ObjectLabels<'a>(pub &'a Value);

impl Labels for ObjectLabels<'_> {
    fn label(&self, key: &str) -> Option<&str> {
        self.0.get("metadata")?.get("labels")?.get(key)?.as_str()
    }
}

/// A label set with no labels at all.
struct NoLabels;

impl Labels for NoLabels {
    fn label(&self, _key: &str) -> Option<&str> {
        None
    }
}

/// How a requirement relates a label to its values (`selection.Operator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelOperator {
    In,
    NotIn,
    Equals,
    DoubleEquals,
    NotEquals,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

impl LabelOperator {
    /// Upstream's `selection.Operator` spelling (`in`, `notin`, `=`, `==`, `!=`, `exists`, `!`, `gt`, `lt`).
    pub fn as_str(self) -> &'static str {
        match self {
            LabelOperator::In => "in",
            LabelOperator::NotIn => "notin",
            LabelOperator::Equals => "=",
            LabelOperator::DoubleEquals => "==",
            LabelOperator::NotEquals => "!=",
            LabelOperator::Exists => "exists",
            LabelOperator::DoesNotExist => "!",
            LabelOperator::GreaterThan => "gt",
            LabelOperator::LessThan => "lt",
        }
    }
}

/// One `key op values` term of a label selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelRequirement {
    key: String,
    operator: LabelOperator,
    values: Vec<String>,
    /// The single value parsed as an integer, for `>` and `<`.
    bound: Option<i64>,
}

impl LabelRequirement {
    /// Builds a validated requirement as upstream's `NewRequirement` does; the error is
    /// upstream's message (`key: Invalid value: ...`, `values[0][key]: Invalid value: ...`).
    pub fn new(key: &str, operator: LabelOperator, values: Vec<String>) -> Result<Self, String> {
        let mut errs = Vec::new();
        let key_errs = qualified_name_errors(key);
        if !key_errs.is_empty() {
            errs.push(invalid_value("key", key, &key_errs.join("; ")));
        }
        let mut bound = None;
        match operator {
            LabelOperator::In | LabelOperator::NotIn => {
                if values.is_empty() {
                    errs.push(format!(
                        "values: Invalid value: {}: for 'in', 'notin' operators, values set can't be empty",
                        go_string_slice(&values)
                    ));
                }
            }
            LabelOperator::Equals | LabelOperator::DoubleEquals | LabelOperator::NotEquals => {
                if values.len() != 1 {
                    errs.push(format!(
                        "values: Invalid value: {}: exact-match compatibility requires one single value",
                        go_string_slice(&values)
                    ));
                }
            }
            LabelOperator::Exists | LabelOperator::DoesNotExist => {
                if !values.is_empty() {
                    errs.push(format!(
                        "values: Invalid value: {}: values set must be empty for exists and does not exist",
                        go_string_slice(&values)
                    ));
                }
            }
            LabelOperator::GreaterThan | LabelOperator::LessThan => {
                if values.len() != 1 {
                    errs.push(format!(
                        "values: Invalid value: {}: for 'Gt', 'Lt' operators, exactly one value is required",
                        go_string_slice(&values)
                    ));
                }
                for (i, v) in values.iter().enumerate() {
                    match v.parse::<i64>() {
                        Ok(n) => bound = Some(n),
                        Err(_) => errs.push(invalid_value(
                            &format!("values[{i}]"),
                            v,
                            "for 'Gt', 'Lt' operators, the value must be an integer",
                        )),
                    }
                }
            }
        }
        for (i, v) in values.iter().enumerate() {
            let value_errs = label_value_errors(v);
            if !value_errs.is_empty() {
                errs.push(invalid_value(&format!("values[{i}][{key}]"), v, &value_errs.join("; ")));
            }
        }
        if !errs.is_empty() {
            return Err(aggregate(errs));
        }
        Ok(LabelRequirement { key: key.to_string(), operator, values, bound })
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn operator(&self) -> LabelOperator {
        self.operator
    }

    /// The values in the order given (sorted and deduplicated when parsed from a string).
    pub fn values(&self) -> &[String] {
        &self.values
    }

    fn has_value(&self, value: &str) -> bool {
        self.values.iter().any(|v| v == value)
    }

    /// Whether the labels satisfy this requirement (`notin` and `!=` match objects
    /// without the label; `>`/`<` need an integer label value).
    pub fn matches(&self, labels: &(impl Labels + ?Sized)) -> bool {
        let value = labels.label(&self.key);
        match self.operator {
            LabelOperator::In | LabelOperator::Equals | LabelOperator::DoubleEquals => {
                value.is_some_and(|v| self.has_value(v))
            }
            LabelOperator::NotIn | LabelOperator::NotEquals => value.is_none_or(|v| !self.has_value(v)),
            LabelOperator::Exists => value.is_some(),
            LabelOperator::DoesNotExist => value.is_none(),
            LabelOperator::GreaterThan | LabelOperator::LessThan => {
                let (Some(v), Some(bound)) = (value, self.bound) else {
                    return false;
                };
                match v.parse::<i64>() {
                    Ok(n) if self.operator == LabelOperator::GreaterThan => n > bound,
                    Ok(n) => n < bound,
                    Err(_) => false,
                }
            }
        }
    }
}

impl fmt::Display for LabelRequirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = match self.operator {
            LabelOperator::Exists => return f.write_str(&self.key),
            LabelOperator::DoesNotExist => return write!(f, "!{}", self.key),
            LabelOperator::Equals => "=",
            LabelOperator::DoubleEquals => "==",
            LabelOperator::NotEquals => "!=",
            LabelOperator::In => " in ",
            LabelOperator::NotIn => " notin ",
            LabelOperator::GreaterThan => ">",
            LabelOperator::LessThan => "<",
        };
        let set = matches!(self.operator, LabelOperator::In | LabelOperator::NotIn);
        f.write_str(&self.key)?;
        f.write_str(op)?;
        if set {
            f.write_str("(")?;
        }
        if self.values.windows(2).all(|w| w[0] <= w[1]) {
            f.write_str(&self.values.join(","))?;
        } else {
            let mut sorted: Vec<&str> = self.values.iter().map(String::as_str).collect();
            sorted.sort_unstable();
            f.write_str(&sorted.join(","))?;
        }
        if set {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A parsed label selector: the AND of its requirements, sorted by key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelSelector {
    requirements: Vec<LabelRequirement>,
    /// Upstream's `labels.Nothing()` (a `null` `metav1.LabelSelector`): matches no object.
    nothing: bool,
}

impl LabelSelector {
    /// Parses the `labelSelector` query grammar; a 400 with upstream's message otherwise.
    pub fn parse(s: &str) -> Result<Self, ApiError> {
        let mut requirements = parse_requirements(s).map_err(ApiError::bad_request)?;
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(LabelSelector { requirements, nothing: false })
    }

    /// Converts a `metav1.LabelSelector` object as `LabelSelectorAsSelector` does: `null`
    /// selects nothing, `{}` selects everything, `matchLabels` and `matchExpressions`
    /// (`In`, `NotIn`, `Exists`, `DoesNotExist`) are ANDed.
    pub fn from_label_selector_json(v: &Value) -> Result<Self, ApiError> {
        let obj = match v {
            Value::Null => return Ok(LabelSelector::nothing()),
            Value::Object(obj) => obj,
            other => return Err(unmarshal_error(other, "Go value of type v1.LabelSelector")),
        };
        let mut requirements = Vec::new();
        match obj.get("matchLabels") {
            None | Some(Value::Null) => {}
            Some(Value::Object(labels)) => {
                let mut sorted: Vec<(&String, &Value)> = labels.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(b.0));
                for (k, v) in sorted {
                    let value = json_string(v, "Go struct field LabelSelector.matchLabels of type string")?;
                    let r =
                        LabelRequirement::new(k, LabelOperator::Equals, vec![value]).map_err(ApiError::bad_request)?;
                    requirements.push(r);
                }
            }
            Some(other) => {
                return Err(unmarshal_error(
                    other,
                    "Go struct field LabelSelector.matchLabels of type map[string]string",
                ))
            }
        }
        match obj.get("matchExpressions") {
            None | Some(Value::Null) => {}
            Some(Value::Array(exprs)) => {
                for expr in exprs {
                    requirements.push(requirement_from_expression(expr)?);
                }
            }
            Some(other) => {
                return Err(unmarshal_error(
                    other,
                    "Go struct field LabelSelector.matchExpressions of type []v1.LabelSelectorRequirement",
                ))
            }
        }
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(LabelSelector { requirements, nothing: false })
    }

    /// Upstream's `SelectorFromSet`: one `key=value` per entry, not validated.
    pub fn from_set<K: AsRef<str>, V: AsRef<str>>(set: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut requirements: Vec<LabelRequirement> = set
            .into_iter()
            .map(|(k, v)| LabelRequirement {
                key: k.as_ref().to_string(),
                operator: LabelOperator::Equals,
                values: vec![v.as_ref().to_string()],
                bound: None,
            })
            .collect();
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        LabelSelector { requirements, nothing: false }
    }

    /// Upstream's `ValidatedSelectorFromSet`: like [`LabelSelector::from_set`] but every
    /// key and value is validated (the first failing key, in key order, is reported).
    pub fn from_set_validated<K: AsRef<str>, V: AsRef<str>>(
        set: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Self, ApiError> {
        let mut entries: Vec<(String, String)> =
            set.into_iter().map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string())).collect();
        entries.sort();
        let mut requirements = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            requirements
                .push(LabelRequirement::new(&k, LabelOperator::Equals, vec![v]).map_err(ApiError::bad_request)?);
        }
        Ok(LabelSelector { requirements, nothing: false })
    }

    /// Selects every object.
    pub fn everything() -> Self {
        LabelSelector::default()
    }

    /// Selects no object (upstream's `labels.Nothing()`); prints as the empty string.
    pub fn nothing() -> Self {
        LabelSelector { requirements: Vec::new(), nothing: true }
    }

    /// Whether the selector restricts nothing (the empty string, `{}`).
    pub fn is_empty(&self) -> bool {
        !self.nothing && self.requirements.is_empty()
    }

    /// Whether the selector is upstream's `Nothing()`.
    pub fn matches_nothing(&self) -> bool {
        self.nothing
    }

    pub fn requirements(&self) -> &[LabelRequirement] {
        &self.requirements
    }

    /// Whether every requirement holds for these labels (any [`Labels`], `&dyn Labels` included).
    pub fn matches(&self, labels: &(impl Labels + ?Sized)) -> bool {
        !self.nothing && self.requirements.iter().all(|r| r.matches(labels))
    }

    /// Matches a whole object by its `metadata.labels` (absent labels are no labels).
    pub fn matches_object(&self, obj: &Value) -> bool {
        if self.is_empty() {
            return true;
        }
        match obj.get("metadata").and_then(|m| m.get("labels")).and_then(Value::as_object) {
            Some(labels) => self.matches(labels),
            None => self.matches(&NoLabels),
        }
    }

    /// The single value the selector requires `label` to have (`=`, `==`, or a
    /// one-value `in`), judged by the first requirement on that key.
    pub fn requires_exact_match(&self, label: &str) -> Option<&str> {
        let r = self.requirements.iter().find(|r| r.key == label)?;
        match r.operator {
            LabelOperator::Equals | LabelOperator::DoubleEquals | LabelOperator::In if r.values.len() == 1 => {
                Some(r.values[0].as_str())
            }
            _ => None,
        }
    }
}

impl fmt::Display for LabelSelector {
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

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn unmarshal_error(v: &Value, target: &str) -> ApiError {
    ApiError::bad_request(format!("json: cannot unmarshal {} into {target}", json_kind(v)))
}

/// A JSON string as Go decodes it into a `string` (`null` is the empty string).
fn json_string(v: &Value, target: &str) -> Result<String, ApiError> {
    match v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        other => Err(unmarshal_error(other, target)),
    }
}

fn requirement_from_expression(expr: &Value) -> Result<LabelRequirement, ApiError> {
    let obj = match expr {
        Value::Null => return Err(ApiError::bad_request("\"\" is not a valid label selector operator")),
        Value::Object(obj) => obj,
        other => {
            return Err(unmarshal_error(
                other,
                "Go struct field LabelSelector.matchExpressions of type v1.LabelSelectorRequirement",
            ))
        }
    };
    let field = |name: &str, ty: &str| -> Result<String, ApiError> {
        match obj.get(name) {
            None => Ok(String::new()),
            Some(v) => json_string(
                v,
                &format!("Go struct field LabelSelectorRequirement.matchExpressions.{name} of type {ty}"),
            ),
        }
    };
    let key = field("key", "string")?;
    let operator = field("operator", "v1.LabelSelectorOperator")?;
    let mut values = Vec::new();
    match obj.get("values") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                values.push(json_string(
                    item,
                    "Go struct field LabelSelectorRequirement.matchExpressions.values of type string",
                )?);
            }
        }
        Some(other) => {
            return Err(unmarshal_error(
                other,
                "Go struct field LabelSelectorRequirement.matchExpressions.values of type []string",
            ))
        }
    }
    let op = match operator.as_str() {
        "In" => LabelOperator::In,
        "NotIn" => LabelOperator::NotIn,
        "Exists" => LabelOperator::Exists,
        "DoesNotExist" => LabelOperator::DoesNotExist,
        _ => {
            return Err(ApiError::bad_request(format!(
                "{} is not a valid label selector operator",
                go_quote(&operator)
            )))
        }
    };
    LabelRequirement::new(&key, op, values).map_err(ApiError::bad_request)
}
