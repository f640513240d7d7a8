use chrono::Duration;
use serde_json::{json, Value};

use super::{ago, names, now, row};
use crate::resource::RESOURCES;
use crate::table::{column_definitions_json, columns, human_duration, short_human_duration};

fn secs(s: i64) -> Duration {
    Duration::seconds(s)
}

fn hours(h: i64) -> Duration {
    Duration::hours(h)
}

#[test]
fn human_duration_keeps_two_or_three_significant_figures() {
    let cases = [
        (secs(0), "0s"),
        (secs(1), "1s"),
        (secs(70), "70s"),
        (secs(119), "119s"),
        (secs(120), "2m"),
        (secs(123), "2m3s"),
        (secs(190), "3m10s"),
        (secs(599), "9m59s"),
        (secs(600), "10m"),
        (secs(60 * 70), "70m"),
        (secs(60 * 179 + 59), "179m"),
        (secs(60 * 180), "3h"),
        (secs(3 * 3600 + 4 * 60 + 5), "3h4m"),
        (hours(7) + secs(59 * 60), "7h59m"),
        (hours(8), "8h"),
        (hours(47), "47h"),
        (hours(49), "2d1h"),
        (hours(5 * 24), "5d"),
        (hours(8 * 24 + 2), "8d"),
        (hours(367 * 24), "367d"),
        (hours(365 * 2 * 24 + 25), "2y1d"),
        (hours(365 * 3 * 24), "3y"),
        (hours(365 * 8 * 24 + 2), "8y"),
        (hours(365 * 100 * 24), "100y"),
    ];
    for (d, want) in cases {
        assert_eq!(human_duration(d), want, "{d:?}");
    }
}

#[test]
fn human_duration_tolerates_a_second_of_clock_skew_and_flags_the_rest() {
    assert_eq!(human_duration(-Duration::milliseconds(1500)), "0s");
    assert_eq!(human_duration(-secs(1)), "0s");
    assert_eq!(human_duration(-secs(2)), "<invalid>");
    assert_eq!(human_duration(-hours(5)), "<invalid>");
}

#[test]
fn human_duration_saturates_like_a_go_duration() {
    assert_eq!(human_duration(hours(24 * 365 * 1000)), "292y");
}

#[test]
fn short_human_duration_uses_one_unit() {
    let cases = [
        (secs(-2), "<invalid>"),
        (-Duration::milliseconds(500), "0s"),
        (secs(59), "59s"),
        (secs(60 * 59 + 59), "59m"),
        (hours(23), "23h"),
        (hours(24 * 364), "364d"),
        (hours(24 * 365 * 3), "3y"),
    ];
    for (d, want) in cases {
        assert_eq!(short_human_duration(d), want, "{d:?}");
    }
}

#[test]
fn resources_without_a_printer_get_name_and_created_at() {
    for (group, plural) in
        [("", "limitranges"), ("rbac.authorization.k8s.io", "roles"), ("rbac.authorization.k8s.io", "clusterroles")]
    {
        let cols = columns(group, "v1", plural);
        assert_eq!(
            cols.iter().map(|c| (c.name, c.type_, c.format)).collect::<Vec<_>>(),
            [("Name", "string", "name"), ("Created At", "date", "")]
        );
    }
    let obj = json!({"metadata": {"name": "admin", "creationTimestamp": "2024-02-03T04:05:06Z"}});
    assert_eq!(
        row("rbac.authorization.k8s.io", "v1", "clusterroles", &obj),
        [json!("admin"), json!("2024-02-03T04:05:06Z")]
    );
}

#[test]
fn created_at_is_utc_whole_seconds_and_the_zero_time_when_missing() {
    let offset = json!({"metadata": {"name": "lr", "creationTimestamp": "2024-02-03T06:05:06.123+02:00"}});
    assert_eq!(row("", "v1", "limitranges", &offset)[1], json!("2024-02-03T04:05:06Z"));
    assert_eq!(row("", "v1", "limitranges", &json!({}))[1], json!("0001-01-01T00:00:00Z"));
}

#[test]
fn unknown_resources_fall_back_to_the_default_table() {
    assert_eq!(names("example.com", "v1", "widgets"), ["Name", "Created At"]);
    assert_eq!(names("apps", "v1beta1", "deployments"), ["Name", "Created At"]);
}

#[test]
fn column_definitions_carry_every_field_even_when_empty() {
    let defs = column_definitions_json(columns("", "v1", "namespaces"));
    let defs = defs.as_array().expect("array");
    assert_eq!(defs.len(), 3);
    assert_eq!(defs[0]["name"], "Name");
    assert_eq!(defs[0]["type"], "string");
    assert_eq!(defs[0]["format"], "name");
    assert_eq!(defs[0]["priority"], 0);
    assert!(defs[0]["description"].as_str().is_some_and(|d| !d.is_empty()));
    assert_eq!(
        defs[1],
        json!({"name": "Status", "type": "string", "format": "", "description": defs[1]["description"], "priority": 0})
    );
    let keys: Vec<&String> = defs[2].as_object().expect("object").keys().collect();
    assert_eq!(keys, ["name", "type", "format", "description", "priority"]);
}

#[test]
fn every_served_resource_prints_an_empty_or_null_object_without_panicking() {
    for r in RESOURCES {
        for obj in [json!({}), Value::Null, json!({"metadata": null, "spec": null, "status": null}), json!([1, 2])] {
            let cells = row(r.group, r.version, r.plural, &obj);
            assert!(!cells.is_empty(), "{}", r.plural);
        }
    }
}

#[test]
fn every_served_resource_has_a_name_column_formatted_as_name() {
    for r in RESOURCES {
        let cols = columns(r.group, r.version, r.plural);
        let name = cols.iter().find(|c| c.name == "Name").expect("a Name column");
        assert_eq!(name.format, "name", "{}", r.plural);
        assert!(cols.iter().all(|c| c.priority <= 1 && !c.description.is_empty()), "{}", r.plural);
    }
}

#[test]
fn age_is_unknown_without_a_creation_timestamp_and_counts_from_it_otherwise() {
    let ns = |ts: Value| json!({"metadata": {"name": "ns", "creationTimestamp": ts}, "status": {"phase": "Active"}});
    assert_eq!(row("", "v1", "namespaces", &ns(Value::Null))[2], json!("<unknown>"));
    assert_eq!(row("", "v1", "namespaces", &ns(json!("garbage")))[2], json!("<unknown>"));
    assert_eq!(row("", "v1", "namespaces", &ns(json!("0001-01-01T00:00:00Z")))[2], json!("<unknown>"));
    assert_eq!(row("", "v1", "namespaces", &ns(json!(ago(5 * 86400))))[2], json!("5d"));
    let future = (now() + Duration::seconds(30)).to_rfc3339();
    assert_eq!(row("", "v1", "namespaces", &ns(json!(future)))[2], json!("<invalid>"));
}

mod quantities {
    use serde_json::json;

    use crate::table::format::{quantity, quantity_or_zero, quantity_ptr};

    fn c(s: &str) -> String {
        quantity(&json!(s))
    }

    #[test]
    fn canonical_spellings_are_kept() {
        for s in ["1Gi", "500m", "100Mi", "2", "1k", "10G", "0", "1536Mi", "1e3", "250u", "5n"] {
            assert_eq!(c(s), s, "{s}");
        }
    }

    #[test]
    fn other_spellings_are_canonicalized() {
        assert_eq!(c("1024Mi"), "1Gi");
        assert_eq!(c("1000m"), "1");
        assert_eq!(c("1500m"), "1500m");
        assert_eq!(c("0.5"), "500m");
        assert_eq!(c("1.5Gi"), "1536Mi");
        assert_eq!(c("1.5Ki"), "1536");
        assert_eq!(c("1000"), "1k");
        assert_eq!(c("1500"), "1500");
        assert_eq!(c("0.1"), "100m");
        assert_eq!(c("512Ki"), "512Ki");
        assert_eq!(c("0.5Ki"), "512");
        assert_eq!(c("0.0000000001"), "1n");
        // Upstream's ParseQuantity keeps the caller's text when it looks canonical
        // (`s: str` on the int64 fast path), and String() prints it back.
        assert_eq!(c("+3"), "+3");
        assert_eq!(c("-2Gi"), "-2Gi");
        assert_eq!(c("00100"), "00100");
        assert_eq!(c("2000000"), "2M");
    }

    #[test]
    fn numbers_and_garbage_are_handled() {
        assert_eq!(quantity(&json!(3)), "3");
        assert_eq!(quantity(&json!(2000)), "2k");
        assert_eq!(c("banana"), "banana");
        assert_eq!(c("0e2000000000"), "0");
        assert_eq!(c("1e-2000000000"), "1e-9");
        // Upstream caps only BinarySI values, and narrows exponents to 32 bits.
        assert_eq!(c("9e2000000000"), "900e1999999998");
        assert_eq!(c("1e99999999999"), "10e1215752190");
        assert_eq!(quantity_ptr(None), "<nil>");
        assert_eq!(quantity_or_zero(None), "0");
    }
}
