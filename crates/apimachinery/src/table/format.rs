//! Reading served JSON defensively and turning values into the text upstream's
//! printers produce: human durations, label sets, label selectors, container lists.
//!
//! Every reader treats a missing field and a JSON `null` alike, as the Go zero value.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use serde_json::{Map, Value};

use crate::quantity::Quantity;

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const NANOS_PER_MINUTE: i64 = 60 * NANOS_PER_SECOND;
const NANOS_PER_HOUR: i64 = 60 * NANOS_PER_MINUTE;

/// A quantity as printers show it (`Quantity.String()`): text that does not parse is
/// shown as written, any other JSON type as the zero quantity.
pub(super) fn quantity(v: &Value) -> String {
    let Some(text) = Quantity::json_text(v) else { return "0".to_string() };
    let text = text.trim();
    Quantity::parse(text).map_or_else(|_| text.to_string(), |q| q.to_string())
}

/// A `*Quantity` field: `<nil>` when absent, as Go prints a nil quantity pointer.
pub(super) fn quantity_ptr(v: Option<&Value>) -> String {
    v.map_or_else(|| "<nil>".to_string(), quantity)
}

/// A `Quantity` field: `0` when absent (the zero quantity).
pub(super) fn quantity_or_zero(v: Option<&Value>) -> String {
    v.map_or_else(|| "0".to_string(), quantity)
}

/// The value at `path`, or `None` when any step is missing or the value is `null`.
pub(super) fn at<'a>(obj: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = obj;
    for key in path {
        cur = cur.get(key)?;
    }
    if cur.is_null() {
        None
    } else {
        Some(cur)
    }
}

/// Whether `path` holds anything but `null` (a Go pointer or slice that is set).
pub(super) fn has(obj: &Value, path: &[&str]) -> bool {
    at(obj, path).is_some()
}

/// The string at `path`, `""` when absent or not a string.
pub(super) fn text<'a>(obj: &'a Value, path: &[&str]) -> &'a str {
    at(obj, path).and_then(Value::as_str).unwrap_or("")
}

/// The string at `path` when it is set (a Go `*string`).
pub(super) fn opt_text<'a>(obj: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(obj, path).and_then(Value::as_str)
}

fn as_int(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_u64().map(|u| i64::try_from(u).unwrap_or(i64::MAX)))
        .or_else(|| v.as_f64().map(|f| f as i64))
}

/// The integer at `path` when it is set (a Go `*int32`).
pub(super) fn opt_int(obj: &Value, path: &[&str]) -> Option<i64> {
    at(obj, path).and_then(as_int)
}

/// The integer at `path`, `0` when absent.
pub(super) fn int(obj: &Value, path: &[&str]) -> i64 {
    opt_int(obj, path).unwrap_or(0)
}

/// The boolean at `path` when it is set (a Go `*bool`).
pub(super) fn opt_bool(obj: &Value, path: &[&str]) -> Option<bool> {
    at(obj, path).and_then(Value::as_bool)
}

/// The boolean at `path`, `false` when absent.
pub(super) fn flag(obj: &Value, path: &[&str]) -> bool {
    opt_bool(obj, path).unwrap_or(false)
}

/// The array at `path`, empty when absent.
pub(super) fn list<'a>(obj: &'a Value, path: &[&str]) -> &'a [Value] {
    at(obj, path).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// The object at `path` when present.
pub(super) fn map<'a>(obj: &'a Value, path: &[&str]) -> Option<&'a Map<String, Value>> {
    at(obj, path).and_then(Value::as_object)
}

/// How many entries the object (map) at `path` has.
pub(super) fn map_len(obj: &Value, path: &[&str]) -> usize {
    map(obj, path).map_or(0, Map::len)
}

/// `metadata.name`.
pub(super) fn name(obj: &Value) -> &str {
    text(obj, &["metadata", "name"])
}

/// A timestamp (`metav1.Time` or `MicroTime`); `None` for absent, unparsable or the zero time.
pub(super) fn time(obj: &Value, path: &[&str]) -> Option<DateTime<Utc>> {
    let raw = opt_text(obj, path)?;
    let parsed = DateTime::parse_from_rfc3339(raw).ok()?.with_timezone(&Utc);
    if is_zero_time(&parsed) {
        None
    } else {
        Some(parsed)
    }
}

/// A timestamp as Go holds it: absent or unparsable is the zero time, 0001-01-01T00:00:00Z.
pub(super) fn time_or_zero(obj: &Value, path: &[&str]) -> DateTime<Utc> {
    time(obj, path).unwrap_or_else(zero_time)
}

fn zero_time() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(1, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn is_zero_time(t: &DateTime<Utc>) -> bool {
    t.year() == 1
        && t.month() == 1
        && t.day() == 1
        && t.hour() == 0
        && t.minute() == 0
        && t.second() == 0
        && t.nanosecond() == 0
}

/// `metadata.creationTimestamp` as the Age column shows it.
pub(super) fn age(obj: &Value, now: DateTime<Utc>) -> String {
    since(time(obj, &["metadata", "creationTimestamp"]), now)
}

/// Elapsed time since `t`, or `<unknown>` when `t` is the zero time.
pub(super) fn since(t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match t {
        Some(t) => human_duration(now.signed_duration_since(t)),
        None => "<unknown>".to_string(),
    }
}

/// Nanoseconds, saturating as Go's `time.Duration` does.
fn nanos(d: Duration) -> i64 {
    d.num_nanoseconds().unwrap_or(if d < Duration::zero() { i64::MIN } else { i64::MAX })
}

/// A duration with two or three significant figures: `45s`, `2m3s`, `15m`, `3h4m`,
/// `20h`, `3d5h`, `40d`, `2y30d`, `9y`. Up to a second in the future counts as `0s`;
/// further ahead is `<invalid>`.
pub fn human_duration(d: Duration) -> String {
    let d = nanos(d);
    let seconds = d / NANOS_PER_SECOND;
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = d / NANOS_PER_MINUTE;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 { format!("{minutes}m") } else { format!("{minutes}m{s}s") };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = d / NANOS_PER_HOUR;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 { format!("{hours}h") } else { format!("{hours}h{m}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        let days = hours / 24;
        return if h == 0 { format!("{days}d") } else { format!("{days}d{h}h") };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let years = hours / 24 / 365;
        let days = (hours / 24) % 365;
        return if days == 0 { format!("{years}y") } else { format!("{years}y{days}d") };
    }
    format!("{}y", hours / 24 / 365)
}

/// A duration in its single largest unit: `45s`, `5m`, `3h`, `12d`, `2y`.
pub fn short_human_duration(d: Duration) -> String {
    let d = nanos(d);
    let seconds = d / NANOS_PER_SECOND;
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 60 {
        return format!("{seconds}s");
    }
    let minutes = d / NANOS_PER_MINUTE;
    if minutes < 60 {
        return format!("{minutes}m");
    }
    let hours = d / NANOS_PER_HOUR;
    if hours < 24 {
        return format!("{hours}h");
    }
    if hours < 24 * 365 {
        return format!("{}d", hours / 24);
    }
    format!("{}y", hours / 24 / 365)
}

/// The creation time as the default table's `Created At` shows it (RFC 3339, UTC, whole seconds).
pub(super) fn created_at(obj: &Value) -> String {
    match time(obj, &["metadata", "creationTimestamp"]) {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => "0001-01-01T00:00:00Z".to_string(),
    }
}

/// A label map as `k=v,k2=v2` (the `k=v` pairs sorted as strings), `<none>` when empty.
pub(super) fn format_labels(labels: Option<&Map<String, Value>>) -> String {
    let mut pairs: Vec<String> =
        labels.into_iter().flatten().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or(""))).collect();
    if pairs.is_empty() {
        return "<none>".to_string();
    }
    pairs.sort();
    pairs.join(",")
}

/// Why a label selector could not be turned into requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct InvalidSelector;

/// A `metav1.LabelSelector` rendered as a selector string: requirements sorted by key,
/// `k=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`. An absent selector selects nothing and
/// an empty one everything; both render as `""`.
pub(super) fn selector_string(selector: Option<&Value>) -> Result<String, InvalidSelector> {
    let Some(selector) = selector else {
        return Ok(String::new());
    };
    let mut requirements: Vec<(String, String)> = Vec::new();
    if let Some(labels) = map(selector, &["matchLabels"]) {
        for (key, value) in labels {
            let value = value.as_str().ok_or(InvalidSelector)?;
            if key.is_empty() {
                return Err(InvalidSelector);
            }
            requirements.push((key.clone(), format!("{key}={value}")));
        }
    }
    for expr in list(selector, &["matchExpressions"]) {
        let key = text(expr, &["key"]);
        if key.is_empty() {
            return Err(InvalidSelector);
        }
        let mut values = Vec::new();
        for v in list(expr, &["values"]) {
            values.push(v.as_str().ok_or(InvalidSelector)?.to_string());
        }
        values.sort();
        let rendered = match text(expr, &["operator"]) {
            "In" | "NotIn" if values.is_empty() => return Err(InvalidSelector),
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" | "DoesNotExist" if !values.is_empty() => return Err(InvalidSelector),
            "Exists" => key.to_string(),
            "DoesNotExist" => format!("!{key}"),
            _ => return Err(InvalidSelector),
        };
        requirements.push((key.to_string(), rendered));
    }
    requirements.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(requirements.into_iter().map(|(_, r)| r).collect::<Vec<_>>().join(","))
}

/// A label selector for display: `<none>` when it selects everything or nothing,
/// `<error>` when it is malformed.
pub(super) fn format_label_selector(selector: Option<&Value>) -> String {
    match selector_string(selector) {
        Ok(s) if s.is_empty() => "<none>".to_string(),
        Ok(s) => s,
        Err(InvalidSelector) => "<error>".to_string(),
    }
}

/// Container names and images, each comma-joined, as the wide Containers/Images columns show them.
pub(super) fn container_cells(containers: &[Value]) -> (String, String) {
    let names: Vec<&str> = containers.iter().map(|c| text(c, &["name"])).collect();
    let images: Vec<&str> = containers.iter().map(|c| text(c, &["image"])).collect();
    (names.join(","), images.join(","))
}

/// Access modes abbreviated in a fixed order: `RWO,ROX,RWX,RWOP`.
pub(super) fn access_modes(modes: &[Value]) -> String {
    let has = |m: &str| modes.iter().any(|v| v.as_str() == Some(m));
    [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
        .iter()
        .filter(|(full, _)| has(full))
        .map(|(_, short)| *short)
        .collect::<Vec<_>>()
        .join(",")
}

/// Up to three items joined with `,`, then ` + N more...`; `<unset>` when there are none.
pub(super) fn list_with_more(items: Vec<String>, max: usize) -> String {
    let count = items.len();
    let shown = items.into_iter().take(max).collect::<Vec<_>>().join(",");
    if count > max {
        format!("{shown} + {} more...", count - max)
    } else if shown.is_empty() {
        "<unset>".to_string()
    } else {
        shown
    }
}

/// `*bool` as `True`, `False` or `<unset>`.
pub(super) fn bool_ptr(value: Option<bool>) -> String {
    match value {
        Some(true) => "True".to_string(),
        Some(false) => "False".to_string(),
        None => "<unset>".to_string(),
    }
}

/// An `IntOrString` as text (`2`, `50%`).
pub(super) fn int_or_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => as_int(other).unwrap_or(0).to_string(),
    }
}

/// `host:port`, bracketing IPv6 hosts as `net.JoinHostPort` does.
pub(super) fn join_host_port(host: &str, port: i64) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Whether the condition of `kind` in `conditions` has status `True` (first match decides).
pub(super) fn condition_true(conditions: &[Value], kind: &str) -> bool {
    conditions.iter().find(|c| text(c, &["type"]) == kind).is_some_and(|c| text(c, &["status"]) == "True")
}
