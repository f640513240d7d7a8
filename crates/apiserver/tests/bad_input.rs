//! Bad input gets a clear Status, never a panic or a 500, and never changes stored data.

mod common;

use common::{configmap, Server};
use serde_json::json;

const CM: &str = "/api/v1/namespaces/default/configmaps";

async fn stored_cm(s: &Server) -> serde_json::Value {
    s.get(&format!("{CM}/keep")).await.body
}

#[tokio::test]
async fn malformed_bodies_are_bad_requests() {
    let s = Server::start().await;
    s.post(CM, &configmap("keep", &[("a", "1")])).await;
    let before = stored_cm(&s).await;
    for (content_type, body) in [
        ("application/json", b"{\"kind\": ".to_vec()),
        ("application/json", b"[1,2,3]".to_vec()),
        ("application/yaml", b"kind: [unclosed".to_vec()),
        ("application/vnd.kubernetes.protobuf", b"k8s\x00\x0a\xff\xff".to_vec()),
        ("application/vnd.kubernetes.protobuf", b"not protobuf".to_vec()),
    ] {
        let r = s.request("POST", CM, content_type, Some(body.clone())).await;
        assert_eq!(r.status, 400, "{content_type} {:?}: {}", String::from_utf8_lossy(&body), r.text);
        assert_eq!(r.body["kind"], "Status");
        let put = s.request("PUT", &format!("{CM}/keep"), content_type, Some(body)).await;
        assert_eq!(put.status, 400);
    }
    assert_eq!(stored_cm(&s).await, before);
}

#[tokio::test]
async fn type_and_name_mismatches_are_bad_requests() {
    let s = Server::start().await;
    s.post(CM, &configmap("keep", &[])).await;
    let wrong_version = json!({"apiVersion": "apps/v1", "kind": "ConfigMap", "metadata": {"name": "x"}});
    let r = s.post(CM, &wrong_version).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["message"], "the API version in the data (apps/v1) does not match the expected API version (v1)");
    let wrong_kind = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}});
    assert_eq!(s.post(CM, &wrong_kind).await.status, 400);
    let renamed = s.put(&format!("{CM}/keep"), &configmap("other", &[])).await;
    assert_eq!(renamed.status, 400);
    assert_eq!(renamed.body["message"], "the name of the object (other) does not match the name on the URL (keep)");
    let mut elsewhere = configmap("y", &[]);
    elsewhere["metadata"]["namespace"] = json!("kube-system");
    assert_eq!(s.post(CM, &elsewhere).await.status, 400);
}

#[tokio::test]
async fn invalid_names_are_unprocessable_with_field_causes() {
    let s = Server::start().await;
    let r = s.post(CM, &configmap("Not_Valid", &[])).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["reason"], "Invalid");
    assert_eq!(r.body["details"]["causes"][0]["field"], "metadata.name");
    let nameless = s.post(CM, &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}})).await;
    assert_eq!(nameless.status, 422);
}

#[tokio::test]
async fn unknown_fields_fail_strict_validation_and_warn_otherwise() {
    let s = Server::start().await;
    let mut cm = configmap("strict", &[]);
    cm["bogus"] = json!(1);
    cm["metadata"]["nope"] = json!("x");
    let strict = s.post(&format!("{CM}?fieldValidation=Strict"), &cm).await;
    assert_eq!(strict.status, 400);
    let message = strict.body["message"].as_str().unwrap_or("");
    assert!(
        message.contains("unknown field \"bogus\"") && message.contains("unknown field \"metadata.nope\""),
        "{message}"
    );
    let warned = s.post(&format!("{CM}?fieldValidation=Warn"), &cm).await;
    assert_eq!(warned.status, 201);
    let warnings: Vec<_> = warned.headers.get_all("warning").iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(warnings.iter().any(|w| w.contains("unknown field \\\"bogus\\\"")), "{warnings:?}");
    assert!(warned.body.get("bogus").is_none(), "unknown fields are dropped");
    assert_eq!(s.post(&format!("{CM}?fieldValidation=Sometimes"), &configmap("z", &[])).await.status, 400);
}

#[tokio::test]
async fn repeated_fields_fail_strict_validation_like_upstreams_conformance_body() {
    let s = Server::start().await;
    // The body upstream's FieldValidation conformance test posts, byte for byte in shape.
    let body = br#"{"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "my-dep", "labels": {"app": "nginx"}},
        "spec": {"unknownField": "foo", "replicas": 2, "replicas": 3,
                 "selector": {"matchLabels": {"app": "nginx"}},
                 "template": {"metadata": {"labels": {"app": "nginx"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx:latest"}]}}}}"#;
    let deploys = "/apis/apps/v1/namespaces/default/deployments";
    let strict = s
        .request(
            "POST",
            &format!("{deploys}?fieldValidation=Strict&fieldManager=m"),
            "application/json",
            Some(body.to_vec()),
        )
        .await;
    assert_eq!(strict.status, 400, "{}", strict.text);
    assert_eq!(
        strict.body["message"],
        "Deployment in version \"v1\" cannot be handled as a Deployment: \
         strict decoding error: unknown field \"spec.unknownField\", duplicate field \"spec.replicas\""
    );
    assert_eq!(s.get(&format!("{deploys}/my-dep")).await.status, 404, "nothing stored");
    let warned = s.request("POST", deploys, "application/json", Some(body.to_vec())).await;
    assert_eq!(warned.status, 201, "{}", warned.text);
    let warnings: Vec<_> = warned.headers.get_all("warning").iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(warnings.iter().any(|w| w.contains("duplicate field \\\"spec.replicas\\\"")), "{warnings:?}");
    assert_eq!(warned.body["spec"]["replicas"], 3, "the last of repeated members wins, as in Go");
}

#[tokio::test]
async fn patches_failing_strict_validation_are_invalid_on_the_patch_field() {
    let s = Server::start().await;
    assert_eq!(s.post(CM, &configmap("sp", &[("a", "1")])).await.status, 201);
    let path = format!("{CM}/sp?fieldValidation=Strict");
    // Strategic merge: the value shown is the patch map as Go prints it.
    let smp = s
        .request(
            "PATCH",
            &path,
            "application/strategic-merge-patch+json",
            Some(br#"{"bogus": 1, "data": {"b": "2"}}"#.to_vec()),
        )
        .await;
    assert_eq!(smp.status, 422, "{}", smp.text);
    assert_eq!(smp.body["reason"], "Invalid");
    let cause = &smp.body["details"]["causes"][0];
    assert_eq!(cause["field"], "patch");
    assert_eq!(
        cause["message"],
        "Invalid value: \"map[bogus:1 data:map[b:2]]\": strict decoding error: unknown field \"bogus\""
    );
    // Merge patch: repeated members of the patch are found too.
    let merge = s
        .request("PATCH", &path, "application/merge-patch+json", Some(br#"{"data": {"b": "2", "b": "3"}}"#.to_vec()))
        .await;
    assert_eq!(merge.status, 422, "{}", merge.text);
    let message = merge.body["details"]["causes"][0]["message"].as_str().unwrap_or_default();
    assert!(message.ends_with(": strict decoding error: duplicate field \"data.b\""), "{message}");
    assert_eq!(s.get(&format!("{CM}/sp")).await.body["data"], json!({"a": "1"}), "nothing stored");
    // Warn (the default) applies the patch and says what it dropped.
    let warned = s
        .request(
            "PATCH",
            &format!("{CM}/sp"),
            "application/merge-patch+json",
            Some(br#"{"bogus": 1, "data": {"b": "2"}}"#.to_vec()),
        )
        .await;
    assert_eq!(warned.status, 200, "{}", warned.text);
    let warnings: Vec<_> = warned.headers.get_all("warning").iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(warnings.iter().any(|w| w.contains("unknown field \\\"bogus\\\"")), "{warnings:?}");
    assert_eq!(warned.body["data"], json!({"a": "1", "b": "2"}));
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let s = Server::start().await;
    let big = "x".repeat(4 * 1024 * 1024);
    let r = s.post(CM, &configmap("big", &[("a", &big)])).await;
    assert_eq!(r.status, 413);
    assert_eq!(r.body["reason"], "RequestEntityTooLarge");
    assert_eq!(s.get(&format!("{CM}/big")).await.status, 404);
}

#[tokio::test]
async fn unknown_resources_and_unsupported_verbs_answer_404_and_405() {
    let s = Server::start().await;
    assert_eq!(s.get("/api/v1/namespaces/default/widgets").await.status, 404);
    assert_eq!(s.get("/apis/nothing.example.com/v1/things").await.status, 404);
    assert_eq!(s.get("/api/v1/pods/x").await.status, 404, "a namespaced object needs its namespace");
    let put_collection = s.put(CM, &configmap("x", &[])).await;
    assert_eq!(put_collection.status, 405);
    assert_eq!(put_collection.body["reason"], "MethodNotAllowed");
    assert_eq!(s.delete("/api/v1/namespaces").await.status, 405, "namespaces have no deletecollection");
    for method in ["OPTIONS", "TRACE"] {
        for path in [CM, &format!("{CM}/x"), "/api/v1/namespaces/default/pods/x/status"] {
            let r = s.request(method, path, "", None).await;
            assert_eq!(r.status, 405, "{method} {path}: {}", r.text);
            assert_eq!(r.body["reason"], "MethodNotAllowed");
        }
    }
}

#[tokio::test]
async fn bad_query_values_are_bad_requests() {
    let s = Server::start().await;
    for query in [
        "limit=-1",
        "limit=abc",
        "labelSelector=a%20in%20(",
        "labelSelector=%3D%3Dx",
        "fieldSelector=a",
        "resourceVersion=xyz",
        "timeoutSeconds=-3",
    ] {
        let r = s.get(&format!("{CM}?{query}")).await;
        assert!(r.status == 400 || r.status == 422, "{query}: {} {}", r.status, r.text);
        assert_eq!(r.body["kind"], "Status", "{query}");
    }
}

#[tokio::test]
async fn malformed_patches_leave_the_object_alone() {
    let s = Server::start().await;
    s.post(CM, &configmap("keep", &[("a", "1")])).await;
    let before = stored_cm(&s).await;
    let path = format!("{CM}/keep");
    let cases: [(&str, &[u8], u16); 5] = [
        ("application/merge-patch+json", b"{not json", 400),
        ("application/json-patch+json", b"{\"op\":\"add\"}", 400),
        ("application/json-patch+json", b"[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"2\"}]", 422),
        ("application/json-patch+json", b"[{\"op\":\"remove\",\"path\":\"/data/missing\"}]", 422),
        ("text/plain", b"{}", 415),
    ];
    for (content_type, body, code) in cases {
        let r = s.request("PATCH", &path, content_type, Some(body.to_vec())).await;
        assert_eq!(r.status, code, "{content_type} {}: {}", String::from_utf8_lossy(body), r.text);
    }
    let rename = s.patch(&path, "application/merge-patch+json", &json!({"metadata": {"name": "other"}})).await;
    assert_eq!(rename.status, 400);
    assert_eq!(stored_cm(&s).await, before);
}

#[tokio::test]
async fn unsupported_media_types_answer_415_and_unacceptable_accepts_406() {
    let s = Server::start().await;
    let r = s.request("POST", CM, "text/html", Some(b"<p>".to_vec())).await;
    assert_eq!(r.status, 415);
    let r = s.request_with("GET", CM, &[("Accept", "text/html")], None).await;
    assert_eq!(r.status, 406);
}

#[tokio::test]
async fn namespaced_collections_are_written_only_within_a_namespace() {
    let s = Server::start().await;
    assert_eq!(s.post("/api/v1/configmaps", &configmap("x", &[])).await.status, 405);
    assert_eq!(s.delete("/api/v1/configmaps").await.status, 405);
    assert_eq!(s.get("/api/v1/configmaps").await.status, 200, "listing across namespaces is fine");
}

#[tokio::test]
async fn request_paths_are_percent_decoded_and_bad_escapes_are_bad_requests() {
    let s = Server::start().await;
    assert_eq!(s.post(CM, &configmap("abc", &[])).await.status, 201);
    // `%61` is `a`, as in any HTTP server that decodes paths before routing.
    let r = s.get(&format!("{CM}/%61bc")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["metadata"]["name"], "abc");
    let r = s.get("/api/v1/namespaces/%ZZ/configmaps").await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(r.body["reason"], "BadRequest");
}

#[tokio::test]
async fn bodies_with_a_struct_where_a_number_belongs_are_refused_like_gos_decoder() {
    let s = Server::start().await;
    let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": 1.5});
    let r = s.post("/api/v1/namespaces/default/services", &svc).await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        r.body["message"],
        "Service in version \"v1\" cannot be handled as a Service: \
         json: cannot unmarshal number into Go struct field Service.spec of type v1.ServiceSpec"
    );
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}, "spec": []});
    assert_eq!(s.post("/api/v1/namespaces", &ns).await.status, 400);
    assert_eq!(
        s.post("/api/v1/namespaces", &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}}))
            .await
            .status,
        201
    );
    // A patch that leaves such a shape behind is a 422 on the patch, and nothing changes.
    let r = s
        .request(
            "PATCH",
            "/api/v1/namespaces/n",
            "application/json-patch+json",
            Some(br#"[{"op": "replace", "path": "/spec", "value": -1}]"#.to_vec()),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.body["details"]["causes"][0]["field"], "patch");
    let r = s
        .request(
            "PATCH",
            "/api/v1/namespaces/n",
            "application/strategic-merge-patch+json",
            Some(br#"{"spec": "x"}"#.to_vec()),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(s.get("/api/v1/namespaces/n").await.body["spec"], json!({"finalizers": ["kubernetes"]}));
}
