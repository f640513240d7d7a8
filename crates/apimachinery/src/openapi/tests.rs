use std::collections::BTreeSet;

use serde_json::Value;

use super::descriptions::descriptions;
use super::*;
use crate::resource::RESOURCES;

fn parse(doc: &Document) -> Value {
    serde_json::from_slice(doc.bytes()).expect("documents are JSON")
}

fn v3(key: &str) -> Value {
    parse(v3_document(key).unwrap_or_else(|| panic!("{key} is served")))
}

fn all_v3_keys() -> Vec<String> {
    parse(v3_index())["paths"].as_object().expect("paths").keys().cloned().collect()
}

/// Every operation of a document: (path, method, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if method != "parameters" {
                out.push((path.clone(), method.clone(), op.clone()));
            }
        }
    }
    out
}

fn collect_refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, sub) in m {
                match (k.as_str(), sub) {
                    ("$ref", Value::String(r)) => {
                        out.insert(r.clone());
                    }
                    _ => collect_refs(sub, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|sub| collect_refs(sub, out)),
        _ => {}
    }
}

#[test]
fn the_index_lists_every_served_group_version() {
    let index = parse(v3_index());
    let paths = index["paths"].as_object().expect("paths");
    for (group, versions) in crate::resource::GROUPS {
        for version in *versions {
            let key = if group.is_empty() { format!("api/{version}") } else { format!("apis/{group}/{version}") };
            let url = paths[&key]["serverRelativeURL"].as_str().expect("url");
            let doc = v3_document(&key).expect("document");
            assert_eq!(url, format!("/openapi/v3/{key}?hash={}", doc.hash()));
        }
    }
    assert!(paths.contains_key("apis/autoscaling/v2"));
    assert!(paths.contains_key("apis/autoscaling/v1"));
    assert!(paths.contains_key("apis/apps"), "group discovery documents are listed too");
}

#[test]
fn a_deployment_schema_carries_the_containers_merge_key_and_gvk() {
    let doc = v3("apis/apps/v1");
    let schemas = &doc["components"]["schemas"];
    let deployment = &schemas["io.k8s.api.apps.v1.Deployment"];
    assert_eq!(
        deployment["x-kubernetes-group-version-kind"],
        serde_json::json!([{"group": "apps", "kind": "Deployment", "version": "v1"}])
    );
    assert_eq!(
        deployment["properties"]["spec"]["allOf"][0]["$ref"],
        "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"
    );
    let containers = &schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
    assert_eq!(containers["type"], "array");
    assert_eq!(containers["x-kubernetes-patch-merge-key"], "name");
    assert_eq!(containers["x-kubernetes-patch-strategy"], "merge");
    assert_eq!(containers["x-kubernetes-list-type"], "map");
    assert_eq!(containers["items"]["allOf"][0]["$ref"], "#/components/schemas/io.k8s.api.core.v1.Container");
    assert_eq!(schemas["io.k8s.api.core.v1.PodSpec"]["required"], serde_json::json!(["containers"]));
    assert_eq!(schemas["io.k8s.api.core.v1.Container"]["required"], serde_json::json!(["name"]));
    assert!(containers["description"].as_str().is_some_and(|d| !d.is_empty()));
}

#[test]
fn patch_operations_carry_field_validation_and_every_patch_type() {
    for key in all_v3_keys() {
        for (path, method, op) in operations(&v3(&key)) {
            // Proxies pass any method through; they are not object patches.
            if method != "patch" || op["x-kubernetes-action"] == "connect" {
                continue;
            }
            let names: Vec<&str> =
                op["parameters"].as_array().expect("parameters").iter().filter_map(|p| p["name"].as_str()).collect();
            assert!(names.contains(&"fieldValidation"), "PATCH {path}");
            assert!(names.contains(&"force"), "PATCH {path}");
            let content = op["requestBody"]["content"].as_object().expect("content");
            for t in ["application/strategic-merge-patch+json", "application/merge-patch+json"] {
                assert!(content.contains_key(t), "PATCH {path} lacks {t}");
            }
            assert!(content.contains_key("application/json-patch+json"));
            assert!(content.contains_key("application/apply-patch+yaml"));
            assert!(op["x-kubernetes-group-version-kind"].is_object(), "PATCH {path}");
        }
    }
}

#[test]
fn every_patchable_kind_has_a_patch_operation_kubectl_can_find() {
    for r in RESOURCES.iter().filter(|r| r.supports("patch")) {
        let key =
            if r.group.is_empty() { format!("api/{}", r.version) } else { format!("apis/{}/{}", r.group, r.version) };
        let doc = v3(&key);
        let found = operations(&doc).into_iter().any(|(_, method, op)| {
            let gvk = &op["x-kubernetes-group-version-kind"];
            method == "patch" && gvk["group"] == r.group && gvk["version"] == r.version && gvk["kind"] == r.kind
        });
        assert!(found, "{}/{} {} has no PATCH with its GVK", r.group, r.version, r.kind);
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        // explain finds the schema by this tag; apply's patch planner also wants it alone.
        let tags: Vec<&Value> = schemas
            .values()
            .filter_map(|s| s["x-kubernetes-group-version-kind"].as_array())
            .filter(|list| {
                list.iter().any(|g| g["group"] == r.group && g["version"] == r.version && g["kind"] == r.kind)
            })
            .flatten()
            .collect();
        assert_eq!(tags.len(), 1, "{} must be tagged on exactly one schema, alone", r.kind);
    }
}

#[test]
fn every_reference_resolves_within_its_document() {
    for key in all_v3_keys() {
        let doc = v3(&key);
        let mut refs = BTreeSet::new();
        collect_refs(&doc, &mut refs);
        for r in refs {
            let name = r.strip_prefix("#/components/schemas/").expect("component reference");
            assert!(doc["components"]["schemas"].get(name).is_some(), "{key}: {r} is missing");
        }
    }
    let v2 = parse(v2_json());
    let mut refs = BTreeSet::new();
    collect_refs(&v2, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let name = r.strip_prefix("#/definitions/").expect("definition reference");
        assert!(v2["definitions"].get(name).is_some(), "v2: {r} is missing");
    }
}

#[test]
fn hashes_are_stable_upper_case_sha512() {
    let abc = "DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A\
               2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F";
    assert_eq!(content_hash(b"abc"), abc);
    let doc = v3_document("apis/apps/v1").expect("apps/v1");
    assert_eq!(doc.hash(), content_hash(doc.bytes()));
    let again = build_v3("apis/apps/v1").expect("apps/v1");
    let bytes = serde_json::to_vec(&again).expect("json");
    assert_eq!(content_hash(&bytes), doc.hash(), "regenerating gives the same bytes");
    assert!(std::ptr::eq(v3_index(), v3_index()), "documents are generated once");
}

#[test]
fn special_types_have_upstream_shapes() {
    let core = v3("api/v1");
    let schemas = &core["components"]["schemas"];
    let quantity = &schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"];
    assert_eq!(quantity["oneOf"], serde_json::json!([{"type": "string"}, {"type": "number"}]));
    let ios = &schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"];
    assert_eq!(ios["format"], "int-or-string");
    assert_eq!(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.Time"]["format"], "date-time");
    let limits = &schemas["io.k8s.api.core.v1.ResourceRequirements"]["properties"]["limits"];
    assert_eq!(
        limits["additionalProperties"]["$ref"],
        "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity"
    );
    let data = &schemas["io.k8s.api.core.v1.Secret"]["properties"]["data"];
    assert_eq!(data["additionalProperties"]["format"], "byte");
    let v2 = parse(v2_json());
    assert_eq!(v2["definitions"]["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]["type"], "string");
    assert_eq!(v2["definitions"]["io.k8s.apimachinery.pkg.api.resource.Quantity"]["type"], "string");
}

#[test]
fn descriptions_come_from_k8s_openapi_and_lists_borrow_type_meta_text() {
    assert!(descriptions().len() > 300);
    let apps = v3("apis/apps/v1");
    let schemas = &apps["components"]["schemas"];
    assert!(schemas["io.k8s.api.apps.v1.Deployment"]["description"].is_string());
    assert!(schemas["io.k8s.api.apps.v1.DeploymentList"]["properties"]["kind"]["description"].is_string());
}

#[test]
fn operations_are_named_like_upstream() {
    let apps = v3("apis/apps/v1");
    let op = |path: &str, method: &str| apps["paths"][path][method]["operationId"].as_str().map(str::to_string);
    assert_eq!(
        op("/apis/apps/v1/namespaces/{namespace}/deployments", "get").as_deref(),
        Some("listAppsV1NamespacedDeployment")
    );
    assert_eq!(op("/apis/apps/v1/deployments", "get").as_deref(), Some("listAppsV1DeploymentForAllNamespaces"));
    assert_eq!(
        op("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "patch").as_deref(),
        Some("patchAppsV1NamespacedDeploymentScale")
    );
    let core = v3("api/v1");
    let cop = |path: &str, method: &str| core["paths"][path][method]["operationId"].as_str().map(str::to_string);
    assert_eq!(
        cop("/api/v1/namespaces/{namespace}/pods/{name}/exec", "post").as_deref(),
        Some("connectCoreV1PostNamespacedPodExec")
    );
    assert_eq!(
        cop("/api/v1/namespaces/{namespace}/pods/{name}/log", "get").as_deref(),
        Some("readCoreV1NamespacedPodLog")
    );
    assert_eq!(cop("/api/v1/nodes", "delete").as_deref(), Some("deleteCoreV1CollectionNode"));
    let rbac = v3("apis/rbac.authorization.k8s.io/v1");
    assert_eq!(
        rbac["paths"]["/apis/rbac.authorization.k8s.io/v1/clusterroles"]["post"]["tags"][0],
        "rbacAuthorization_v1"
    );
}

/// A minimal protobuf reader: the length-delimited fields of one message.
fn fields(mut buf: &[u8]) -> Vec<(u32, &[u8])> {
    fn varint(buf: &mut &[u8]) -> u64 {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = buf[0];
            *buf = &buf[1..];
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                break;
            }
        }
        v
    }
    let mut out = Vec::new();
    while !buf.is_empty() {
        let key = varint(&mut buf);
        match key & 7 {
            0 => {
                varint(&mut buf);
            }
            1 => buf = &buf[8..],
            2 => {
                let len = varint(&mut buf) as usize;
                out.push(((key >> 3) as u32, &buf[..len]));
                buf = &buf[len..];
            }
            5 => buf = &buf[4..],
            other => panic!("unexpected wire type {other}"),
        }
    }
    out
}

fn field(msg: &[u8], number: u32) -> Vec<&[u8]> {
    fields(msg).into_iter().filter(|(n, _)| *n == number).map(|(_, b)| b).collect()
}

fn name_of(entry: &[u8]) -> String {
    String::from_utf8(field(entry, 1)[0].to_vec()).expect("utf-8 name")
}

#[test]
fn the_v2_protobuf_decodes_to_the_same_paths_and_definitions() {
    let json = parse(v2_json());
    let pb = v2_protobuf().bytes();
    assert_eq!(field(pb, 1)[0], b"2.0");
    let paths = field(pb, 8)[0];
    let names: Vec<String> = field(paths, 2).into_iter().map(name_of).collect();
    let expected: Vec<String> = json["paths"].as_object().expect("paths").keys().cloned().collect();
    assert_eq!(names, expected);
    let defs: Vec<String> = field(field(pb, 9)[0], 1).into_iter().map(name_of).collect();
    let expected: Vec<String> = json["definitions"].as_object().expect("definitions").keys().cloned().collect();
    assert_eq!(defs, expected);

    // The deployment PATCH: its GVK extension (YAML text) and a fieldValidation query parameter.
    let item = field(paths, 2)
        .into_iter()
        .find(|e| name_of(e) == "/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
        .expect("deployment path");
    let patch = field(field(item, 2)[0], 8)[0];
    let ext = field(patch, 13).into_iter().find(|e| name_of(e) == "x-kubernetes-group-version-kind").expect("gvk");
    let yaml = String::from_utf8(field(field(ext, 2)[0], 2)[0].to_vec()).expect("yaml");
    let gvk: Value = serde_yaml::from_str(&yaml).expect("the extension is YAML");
    assert_eq!(gvk, serde_json::json!({"group": "apps", "kind": "Deployment", "version": "v1"}));
    let query_names: Vec<String> = field(patch, 8)
        .into_iter()
        .filter_map(|item| field(item, 1).first().copied())
        .filter_map(|param| field(param, 2).first().copied())
        .filter_map(|non_body| field(non_body, 3).first().copied())
        .map(|query| String::from_utf8(field(query, 4)[0].to_vec()).expect("name"))
        .collect();
    assert!(query_names.contains(&"fieldValidation".to_string()), "{query_names:?}");
}
