//! Wire-level tests: hand-assembled bytes, envelopes, watch frames and hostile input.

use serde_json::{json, Value};

use super::*;

/// `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"k":"v"}}`, as Go writes it.
fn config_map_bytes() -> Vec<u8> {
    let mut b = MAGIC.to_vec();
    b.extend([0x0a, 0x0f, 0x0a, 0x02, b'v', b'1', 0x12, 0x09]);
    b.extend(b"ConfigMap");
    b.extend([0x12, 0x1c]);
    // ObjectMeta: name, then every non-pointer field with its zero value.
    b.extend([0x0a, 0x12, 0x0a, 0x02, b'c', b'm']);
    b.extend([0x12, 0x00, 0x1a, 0x00, 0x22, 0x00, 0x2a, 0x00, 0x32, 0x00, 0x38, 0x00, 0x42, 0x00]);
    // data: one map entry {key: "k", value: "v"}.
    b.extend([0x12, 0x06, 0x0a, 0x01, b'k', 0x12, 0x01, b'v']);
    b.extend([0x1a, 0x00, 0x22, 0x00]);
    b
}

#[test]
fn a_config_map_encodes_to_the_bytes_go_writes() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"k": "v"}});
    assert_eq!(encode(&cm).ok(), Some(config_map_bytes()));
}

#[test]
fn a_hand_assembled_config_map_decodes_field_by_field() {
    let obj = decode(&config_map_bytes()).expect("decodes");
    let keys: Vec<&String> = obj.as_object().map(|m| m.keys().collect()).unwrap_or_default();
    assert_eq!(keys, ["kind", "apiVersion", "metadata", "data"]);
    assert_eq!(obj["kind"], "ConfigMap");
    assert_eq!(obj["apiVersion"], "v1");
    // A zero creationTimestamp is printed as null, as Go prints a zero time.
    assert_eq!(obj["metadata"], json!({"name": "cm", "creationTimestamp": null}));
    assert_eq!(obj["data"], json!({"k": "v"}));
}

#[test]
fn fields_are_written_in_tag_order() {
    // PodSpec declares initContainers (20) before containers (2); the wire follows tags.
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "spec": {
        "initContainers": [{"name": "i"}], "containers": [{"name": "c"}]}});
    let body = encode(&pod).expect("encodes");
    let c = body.windows(3).position(|w| w == [0x0a, 0x01, b'c']);
    let i = body.windows(3).position(|w| w == [0x0a, 0x01, b'i']);
    assert!(c < i, "containers must precede initContainers");
    let back = decode(&body).expect("decodes");
    let spec_keys: Vec<&String> = back["spec"].as_object().map(|m| m.keys().collect()).unwrap_or_default();
    assert_eq!(spec_keys[..2], ["initContainers", "containers"]);
}

#[test]
fn map_entries_are_sorted_by_key() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"b": "2", "a": "1"}});
    let body = encode(&cm).expect("encodes");
    let a = body.windows(3).position(|w| w == [0x0a, 0x01, b'a']);
    let b = body.windows(3).position(|w| w == [0x0a, 0x01, b'b']);
    assert!(a < b);
}

#[test]
fn times_travel_as_seconds() {
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {
        "name": "n", "creationTimestamp": "2024-01-02T03:04:05Z"}});
    let body = encode(&ns).expect("encodes");
    // creationTimestamp (8): Timestamp{seconds: 1704164645, nanos: 0}.
    let ts = [0x42, 0x08, 0x08, 0xa5, 0xfa, 0xcd, 0xac, 0x06, 0x10, 0x00];
    assert!(body.windows(ts.len()).any(|w| w == ts));
    assert_eq!(
        decode(&body).ok().map(|o| o["metadata"]["creationTimestamp"].clone()),
        Some(json!("2024-01-02T03:04:05Z"))
    );
}

#[test]
fn special_values_round_trip() {
    use crate::schema::ValueType;
    let cases = [
        (ValueType::Duration, json!("1h2m3s")),
        (ValueType::Duration, json!("500ms")),
        (ValueType::MicroTime, json!("2024-01-02T03:04:05.123456Z")),
        (ValueType::Time, json!("1970-01-01T00:00:00Z")),
        (ValueType::Quantity, json!("1536Mi")),
        (ValueType::IntOrString, json!(8080)),
        (ValueType::IntOrString, json!("http")),
        (ValueType::IntOrString, json!(-1)),
        (ValueType::RawExtension, json!({"a": [1, "b"]})),
        (ValueType::FieldsV1, json!({"f:metadata": {}})),
    ];
    for (t, v) in cases {
        let mut body = Vec::new();
        special::encode(&t, Some(&v), &mut body).expect("encodes");
        assert_eq!(special::decode(&t, Some(&body), 0).ok().flatten(), Some(v.clone()), "{t:?}");
    }
    let mut empty = Vec::new();
    special::encode(&ValueType::Duration, None, &mut empty).expect("encodes");
    assert_eq!(special::decode(&ValueType::Duration, Some(&empty), 0).ok().flatten(), Some(json!("0s")));
    assert_eq!(special::decode(&ValueType::Time, Some(&[]), 0).ok().flatten(), Some(Value::Null));
}

#[test]
fn non_canonical_quantities_come_back_canonical() {
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [
        {"name": "c", "resources": {"requests": {"cpu": "0.5", "memory": "1024Ki"}}}]}});
    let back = decode(&encode(&pod).expect("encodes")).expect("decodes");
    assert_eq!(back["spec"]["containers"][0]["resources"]["requests"], json!({"cpu": "500m", "memory": "1Mi"}));
}

#[test]
fn wrong_json_types_are_reported_with_their_path() {
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "c", "ports": [{"containerPort": "80"}]}]}});
    let e = encode(&pod).err().map(|e| e.message).unwrap_or_default();
    assert!(e.ends_with("spec.containers[0].ports[0].containerPort: expected an integer, got string"), "{e}");
    let big = json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": 3_000_000_000u64}});
    assert!(encode(&big).is_err());
}

#[test]
fn encoding_needs_a_registered_kind() {
    assert!(encode(&json!({"kind": "Pod"})).is_err());
    assert!(encode(&json!({"apiVersion": "v1"})).is_err());
    assert!(encode(&json!({"apiVersion": "v1", "kind": "Widget"})).is_err());
    assert!(encode(&json!([1, 2])).is_err());
}

#[test]
fn envelope_problems_are_bad_requests() {
    let message = |b: &[u8]| decode(b).err().map(|e| (e.code, e.message));
    assert_eq!(message(b""), Some((400, "unable to decode protobuf body: empty data".into())));
    assert!(message(b"{}").is_some_and(|(_, m)| m.contains("expected prefix [107, 56, 115, 0]")));
    assert_eq!(message(&MAGIC), Some((400, "unable to decode protobuf body: empty body".into())));
    let mut no_kind = MAGIC.to_vec();
    no_kind.extend([0x0a, 0x04, 0x0a, 0x02, b'v', b'1']);
    assert!(message(&no_kind).is_some_and(|(_, m)| m.contains("Object 'Kind' is missing")));
    let mut widget = MAGIC.to_vec();
    widget.extend([0x0a, 0x0a, 0x0a, 0x02, b'v', b'1', 0x12, 0x04]);
    widget.extend(b"Nope");
    assert!(message(&widget).is_some_and(|(_, m)| m.contains("no kind \"Nope\" is registered for version \"v1\"")));
}

#[test]
fn the_request_path_supplies_a_missing_kind() {
    let mut body = MAGIC.to_vec();
    body.extend([0x0a, 0x00, 0x12, 0x04, 0x0a, 0x02, 0x0a, 0x00]);
    let obj = decode_with_defaults(&body, "v1", "ConfigMap").expect("decodes");
    assert_eq!(obj["kind"], "ConfigMap");
    assert_eq!(obj["apiVersion"], "v1");
}

#[test]
fn unknown_wire_fields_are_skipped() {
    let mut body = config_map_bytes();
    // Append field 15 (varint) and field 16 (fixed32) to the ConfigMap message.
    let raw_len_at = MAGIC.len() + 17 + 1;
    body[raw_len_at] += 8;
    let extra = [0x78, 0x01, 0x85, 0x01, 1, 2, 3, 4];
    let insert_at = raw_len_at + 1 + 0x1c;
    body.splice(insert_at..insert_at, extra);
    assert_eq!(decode(&body).ok(), decode(&config_map_bytes()).ok());
}

#[test]
fn packed_repeated_numbers_are_accepted() {
    // PodSecurityContext.supplementalGroups (4) as packed [1, 2, 300].
    let packed = [0x22, 0x04, 0x01, 0x02, 0xac, 0x02];
    let ctx = decode::decode_type("io.k8s.api.core.v1.PodSecurityContext", &packed).expect("decodes");
    assert_eq!(ctx.get("supplementalGroups"), Some(&json!([1, 2, 300])));
}

#[test]
fn a_watch_frame_is_a_length_and_a_raw_watch_event() {
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}});
    let frame = encode_watch_event("ADDED", &pod).expect("encodes");
    let len = u32::from_be_bytes([frame[0], frame[1], frame[2], frame[3]]) as usize;
    assert_eq!(len, frame.len() - 4);
    // WatchEvent{type: "ADDED", object: RawExtension{raw: <enveloped pod>}}.
    assert_eq!(&frame[4..11], &[0x0a, 0x05, b'A', b'D', b'D', b'E', b'D']);
    let inner = encode(&pod).expect("encodes");
    assert!(frame.ends_with(&inner));
    let (event_type, obj) = decode_watch_event(&frame).expect("decodes");
    assert_eq!(event_type, "ADDED");
    assert_eq!(obj["metadata"]["name"], "p");
}

#[test]
fn error_events_carry_a_status() {
    let status = crate::ApiError::gone("too old resource version: 1 (5)").to_status();
    let frame = encode_watch_event("ERROR", &status).expect("encodes");
    let (_, obj) = decode_watch_event(&frame).expect("decodes");
    assert_eq!(obj["code"], 410);
    assert_eq!(obj["reason"], "Gone");
}

/// A small deterministic generator, so failures reproduce.
fn lcg(seed: &mut u64) -> u8 {
    *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    (*seed >> 33) as u8
}

fn sample_pod() -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": "b"},
        "creationTimestamp": "2024-01-02T03:04:05Z"},
        "spec": {"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80}],
            "resources": {"limits": {"cpu": "1"}},
            "livenessProbe": {"httpGet": {"port": "http", "path": "/"}}}],
            "volumes": [{"name": "v", "configMap": {"name": "cm"}}]}})
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    let body = encode(&sample_pod()).expect("encodes");
    for n in 0..body.len() {
        let _ = decode(&body[..n]);
    }
    assert!(decode(&body[..body.len() - 3]).is_err());
}

#[test]
fn garbage_and_mutations_never_panic() {
    let body = encode(&sample_pod()).expect("encodes");
    let mut seed = 7u64;
    for _ in 0..3000 {
        let mut b = body.clone();
        for _ in 0..1 + lcg(&mut seed) % 4 {
            let at = usize::from(lcg(&mut seed)) * usize::from(lcg(&mut seed)) % b.len();
            b[at] = lcg(&mut seed);
        }
        let _ = decode(&b);
    }
    for len in [5usize, 17, 64, 300] {
        for _ in 0..500 {
            let mut b = MAGIC.to_vec();
            b.extend((0..len).map(|_| lcg(&mut seed)));
            let _ = decode(&b);
            let _ = decode_watch_event(&b);
        }
    }
}

#[test]
fn random_messages_of_every_kind_never_panic() {
    let mut seed = 11u64;
    for (api_version, kind, _) in crate::schema::schema().kinds() {
        for round in 0..40 {
            // Mostly well-formed keys with small payloads, so decoding gets deep.
            let mut raw = Vec::new();
            for _ in 0..round {
                let tag = u32::from(lcg(&mut seed) % 40) + 1;
                match lcg(&mut seed) % 3 {
                    0 => put_bytes(&mut raw, tag, &[lcg(&mut seed), lcg(&mut seed), 0x0a, 0x00]),
                    1 => wire::put_varint_field(&mut raw, tag, u64::from(lcg(&mut seed))),
                    _ => raw.push(lcg(&mut seed)),
                }
            }
            let _ = decode(&envelope(api_version, kind, &raw));
        }
    }
}

#[test]
fn absurd_lengths_and_varints_are_rejected() {
    let mut b = MAGIC.to_vec();
    b.extend([0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    assert!(decode(&b).is_err());
    let mut b = MAGIC.to_vec();
    b.extend([0x08; 1]);
    b.extend([0xff; 12]);
    assert!(decode(&b).is_err());
}

#[test]
fn deeply_nested_embedded_objects_are_refused() {
    // A core/v1 List whose only item is again a protobuf List, 150 levels deep.
    let mut body = encode(&json!({"apiVersion": "v1", "kind": "ConfigMap"})).expect("encodes");
    for _ in 0..150 {
        let mut raw = Vec::new();
        put_nested::<()>(&mut raw, 2, |o| {
            put_bytes(o, 1, &body);
            Ok(())
        })
        .ok();
        body = envelope("v1", "List", &raw);
    }
    let e = decode(&body).err().map(|e| e.message).unwrap_or_default();
    assert!(e.contains("maximum depth"), "{e}");
}
