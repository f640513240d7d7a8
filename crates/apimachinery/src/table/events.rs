//! Events, served as core/v1 and events.k8s.io/v1 from the same storage.
//!
//! Both print alike; events.k8s.io/v1 names the fields differently (`regarding`, `note`,
//! `deprecatedCount`, `deprecatedFirstTimestamp`, `deprecatedLastTimestamp`,
//! `deprecatedSource`), so each version is read through its own field names.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::format::{at, has, int, name, since, text, time};

/// Where each printed field lives in one API version of Event.
struct Fields {
    involved: &'static str,
    message: &'static str,
    count: &'static str,
    first: &'static str,
    last: &'static str,
    source: &'static str,
}

const CORE: Fields = Fields {
    involved: "involvedObject",
    message: "message",
    count: "count",
    first: "firstTimestamp",
    last: "lastTimestamp",
    source: "source",
};

const EVENTS_V1: Fields = Fields {
    involved: "regarding",
    message: "note",
    count: "deprecatedCount",
    first: "deprecatedFirstTimestamp",
    last: "deprecatedLastTimestamp",
    source: "deprecatedSource",
};

fn first_non_empty<'a>(a: &'a str, b: &'a str) -> &'a str {
    if a.is_empty() {
        b
    } else {
        a
    }
}

/// Last Seen, Type, Reason, Object, Subobject, Source, Message, First Seen, Count, Name.
pub(super) fn event(group: &str, obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let f = if group == "events.k8s.io" { &EVENTS_V1 } else { &CORE };

    let first_seen = match time(obj, &[f.first]) {
        Some(t) => since(Some(t), now),
        None => since(time(obj, &["eventTime"]), now),
    };
    let mut last_seen = match time(obj, &[f.last]) {
        Some(t) => since(Some(t), now),
        None => first_seen.clone(),
    };
    let mut count = int(obj, &[f.count]);
    if has(obj, &["series"]) {
        last_seen = since(time(obj, &["series", "lastObservedTime"]), now);
        count = int(obj, &["series", "count"]);
    } else if count == 0 {
        // Singleton events written through the new API carry no count.
        count = 1;
    }

    let involved = at(obj, &[f.involved]).unwrap_or(&Value::Null);
    let kind = text(involved, &["kind"]).to_lowercase();
    let involved_name = text(involved, &["name"]);
    let target = if involved_name.is_empty() { kind } else { format!("{kind}/{involved_name}") };

    let component = first_non_empty(text(obj, &[f.source, "component"]), text(obj, &["reportingController"]));
    let instance = first_non_empty(text(obj, &[f.source, "host"]), text(obj, &["reportingInstance"]));
    let source = if instance.is_empty() { component.to_string() } else { format!("{component}, {instance}") };

    vec![
        json!(last_seen),
        json!(text(obj, &["type"])),
        json!(text(obj, &["reason"])),
        json!(target),
        json!(text(involved, &["fieldPath"])),
        json!(source),
        json!(text(obj, &[f.message]).trim()),
        json!(first_seen),
        json!(count),
        json!(name(obj)),
    ]
}
