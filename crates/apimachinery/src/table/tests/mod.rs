//! Tests of the printed tables, one file per group of resources. Expected cells are what
//! upstream's printers produce for the same objects.

mod core_v1;
mod events;
mod format;
mod hpa;
mod other;
mod pods;
mod workloads;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::Value;

use super::{cells, columns};

/// The fixed "now" every test ages against.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).single().expect("valid date")
}

/// An RFC 3339 timestamp `seconds` before [`now`].
fn ago(seconds: i64) -> String {
    (now() - Duration::seconds(seconds)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The cells for `obj`, checked to fill exactly the resource's columns.
fn row(group: &str, version: &str, plural: &str, obj: &Value) -> Vec<Value> {
    let row = cells(group, version, plural, obj, now());
    assert_eq!(row.len(), columns(group, version, plural).len(), "{group}/{version} {plural}: one cell per column");
    row
}

/// The column names of a resource.
fn names(group: &str, version: &str, plural: &str) -> Vec<&'static str> {
    columns(group, version, plural).iter().map(|c| c.name).collect()
}

/// The names of the priority-1 (wide) columns.
fn wide_names(group: &str, version: &str, plural: &str) -> Vec<&'static str> {
    columns(group, version, plural).iter().filter(|c| c.priority == 1).map(|c| c.name).collect()
}
