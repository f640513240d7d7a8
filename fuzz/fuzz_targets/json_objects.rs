//! Request bodies as JSON: field validation (unknown and repeated fields), normalization
//! and the resourceVersion splice never panic on any JSON, for several kinds.
#![no_main]

use libfuzzer_sys::fuzz_target;

const KINDS: &[(&str, &str, &str)] = &[
    ("", "v1", "Pod"),
    ("apps", "v1", "Deployment"),
    ("", "v1", "Service"),
    ("", "v1", "ConfigMap"),
    ("autoscaling", "v2", "HorizontalPodAutoscaler"),
];

fuzz_target!(|data: &[u8]| {
    let _ = apimachinery::splice::set_resource_version(data, 42);
    let _ = apimachinery::schema::duplicate_fields(data);
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    for (group, version, kind) in KINDS {
        let mut obj = value.clone();
        let _ = apimachinery::schema::unknown_fields(group, version, kind, &obj);
        apimachinery::schema::normalize(group, version, kind, &mut obj);
        apimachinery::schema::fill_defaults(group, version, kind, &mut obj);
        let _ = apimachinery::protobuf::encode(&obj);
    }
});
