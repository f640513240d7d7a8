use serde_json::json;

use super::{ago, names, row, wide_names};
use crate::table::columns;

#[test]
fn event_columns_put_last_seen_first_and_name_last_and_wide() {
    let expected =
        ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"];
    assert_eq!(names("", "v1", "events"), expected);
    assert_eq!(names("events.k8s.io", "v1", "events"), expected);
    assert_eq!(wide_names("", "v1", "events"), ["Subobject", "Source", "First Seen", "Count", "Name"]);
    let name = columns("", "v1", "events").last().copied().expect("name column");
    assert_eq!((name.format, name.priority), ("name", 1));
}

#[test]
fn repeated_core_event_shows_both_timestamps_count_and_source() {
    let obj = json!({
        "metadata": {"name": "web-0.17c2a", "namespace": "default", "creationTimestamp": ago(3600)},
        "involvedObject": {"kind": "Pod", "name": "web-0", "namespace": "default", "fieldPath": "spec.containers{app}"},
        "reason": "BackOff", "type": "Warning",
        "message": "Back-off restarting failed container app\n",
        "source": {"component": "kubelet", "host": "node-a"},
        "firstTimestamp": ago(3600), "lastTimestamp": ago(42), "count": 14
    });
    assert_eq!(
        row("", "v1", "events", &obj),
        [
            json!("42s"),
            json!("Warning"),
            json!("BackOff"),
            json!("pod/web-0"),
            json!("spec.containers{app}"),
            json!("kubelet, node-a"),
            json!("Back-off restarting failed container app"),
            json!("60m"),
            json!(14),
            json!("web-0.17c2a"),
        ]
    );
}

#[test]
fn new_style_event_falls_back_to_event_time_reporting_controller_and_count_one() {
    let obj = json!({
        "metadata": {"name": "ev1"},
        "involvedObject": {"kind": "Node", "name": ""},
        "reason": "RegisteredNode", "type": "Normal", "message": "registered",
        "eventTime": "2025-06-01T11:57:59.500000Z",
        "reportingComponent": "node-controller", "reportingController": "node-controller", "reportingInstance": "cp-1"
    });
    let cells = row("", "v1", "events", &obj);
    assert_eq!(cells[0], json!("2m"));
    assert_eq!(cells[3], json!("node"));
    assert_eq!(cells[5], json!("node-controller, cp-1"));
    assert_eq!(cells[7], json!("2m"));
    assert_eq!(cells[8], json!(1));
}

#[test]
fn event_series_supplies_last_seen_and_count() {
    let obj = json!({
        "metadata": {"name": "ev2"},
        "involvedObject": {"kind": "Deployment", "name": "web"},
        "eventTime": ago(7200), "series": {"count": 6, "lastObservedTime": ago(300)},
        "source": {"component": "deployment-controller"}, "count": 2, "lastTimestamp": ago(10)
    });
    let cells = row("", "v1", "events", &obj);
    assert_eq!(cells[0], json!("5m"));
    assert_eq!(cells[5], json!("deployment-controller"));
    assert_eq!(cells[7], json!("120m"));
    assert_eq!(cells[8], json!(6));
}

#[test]
fn events_k8s_io_event_reads_its_own_field_names() {
    let obj = json!({
        "apiVersion": "events.k8s.io/v1", "kind": "Event",
        "metadata": {"name": "web.1", "namespace": "default"},
        "regarding": {"kind": "ReplicaSet", "name": "web-5d8", "fieldPath": ""},
        "note": "Created pod: web-5d8-x2k", "reason": "SuccessfulCreate", "type": "Normal",
        "reportingController": "replicaset-controller", "reportingInstance": "",
        "deprecatedSource": {"component": "replicaset-controller"},
        "deprecatedFirstTimestamp": ago(600), "deprecatedLastTimestamp": ago(90), "deprecatedCount": 3,
        "eventTime": null
    });
    assert_eq!(
        row("events.k8s.io", "v1", "events", &obj),
        [
            json!("90s"),
            json!("Normal"),
            json!("SuccessfulCreate"),
            json!("replicaset/web-5d8"),
            json!(""),
            json!("replicaset-controller"),
            json!("Created pod: web-5d8-x2k"),
            json!("10m"),
            json!(3),
            json!("web.1"),
        ]
    );
}

#[test]
fn events_k8s_io_series_event_without_deprecated_fields() {
    let obj = json!({
        "metadata": {"name": "e"},
        "regarding": {"kind": "Pod", "name": "p"},
        "eventTime": ago(30), "series": {"count": 2, "lastObservedTime": ago(4)},
        "reportingController": "kubelet", "reportingInstance": "node-b"
    });
    let cells = row("events.k8s.io", "v1", "events", &obj);
    assert_eq!(cells[0], json!("4s"));
    assert_eq!(cells[5], json!("kubelet, node-b"));
    assert_eq!(cells[7], json!("30s"));
    assert_eq!(cells[8], json!(2));
}

#[test]
fn empty_event_prints_unknown_times_and_count_one() {
    for group in ["", "events.k8s.io"] {
        assert_eq!(
            row(group, "v1", "events", &json!({})),
            [
                json!("<unknown>"),
                json!(""),
                json!(""),
                json!(""),
                json!(""),
                json!(""),
                json!(""),
                json!("<unknown>"),
                json!(1),
                json!(""),
            ]
        );
    }
}
