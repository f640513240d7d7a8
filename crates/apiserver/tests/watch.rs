//! WATCH semantics against a real etcd.

mod common;

use std::time::Duration;

use common::{configmap, Server};
use serde_json::json;

const CM: &str = "/api/v1/namespaces/default/configmaps";
const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn a_watch_from_zero_starts_with_synthetic_adds_then_streams_changes() {
    let s = Server::start().await;
    s.post(CM, &configmap("w1", &[])).await;
    let mut w = s.watch(&format!("{CM}?watch=true&resourceVersion=0")).await;
    let first = w.next(WAIT).await.expect("initial event");
    assert_eq!(first["type"], "ADDED");
    assert_eq!(first["object"]["metadata"]["name"], "w1");
    s.patch(&format!("{CM}/w1"), "application/merge-patch+json", &json!({"data": {"a": "b"}})).await;
    let modified = w.next(WAIT).await.expect("modified");
    assert_eq!(modified["type"], "MODIFIED");
    assert_eq!(modified["object"]["data"]["a"], "b");
    s.delete(&format!("{CM}/w1")).await;
    let deleted = w.next(WAIT).await.expect("deleted");
    assert_eq!(deleted["type"], "DELETED");
}

#[tokio::test]
async fn a_watch_from_a_list_revision_sees_only_later_changes() {
    let s = Server::start().await;
    s.post(CM, &configmap("before", &[])).await;
    let list = s.get(CM).await;
    let rv = list.body["metadata"]["resourceVersion"].as_str().expect("rv").to_string();
    let mut w = s.watch(&format!("{CM}?watch=1&resourceVersion={rv}")).await;
    s.post(CM, &configmap("after", &[])).await;
    let event = w.next(WAIT).await.expect("event");
    assert_eq!(event["type"], "ADDED");
    assert_eq!(event["object"]["metadata"]["name"], "after");
}

#[tokio::test]
async fn a_label_selected_watch_sees_objects_enter_and_leave() {
    let s = Server::start().await;
    let mut w = s.watch(&format!("{CM}?watch=1&labelSelector=app%3Dweb")).await;
    s.post(CM, &configmap("sel", &[])).await;
    s.patch(&format!("{CM}/sel"), "application/merge-patch+json", &json!({"metadata": {"labels": {"app": "web"}}}))
        .await;
    let entered = w.next(WAIT).await.expect("entered");
    assert_eq!(entered["type"], "ADDED");
    s.patch(&format!("{CM}/sel"), "application/merge-patch+json", &json!({"metadata": {"labels": {"app": "db"}}}))
        .await;
    let left = w.next(WAIT).await.expect("left");
    assert_eq!(left["type"], "DELETED");
    assert_eq!(
        left["object"]["metadata"]["labels"]["app"], "web",
        "a leaving object is reported in its last matching state"
    );
}

#[tokio::test]
async fn a_watch_from_a_compacted_revision_gets_an_expired_error_event() {
    let s = Server::start_with(&["--watch-cache-window=2"]).await;
    let first = s.post(CM, &configmap("c0", &[])).await;
    let rv = first.body["metadata"]["resourceVersion"].as_str().expect("rv").to_string();
    for i in 1..6 {
        s.post(CM, &configmap(&format!("c{i}"), &[])).await;
    }
    // Let the cache apply every event before asking for history it no longer has.
    s.get(CM).await;
    let mut w = s.watch(&format!("{CM}?watch=1&resourceVersion={rv}")).await;
    let error = w.next(WAIT).await.expect("error event");
    assert_eq!(error["type"], "ERROR");
    assert_eq!(error["object"]["code"], 410);
    assert_eq!(error["object"]["reason"], "Expired");
}

#[tokio::test]
async fn a_streaming_list_ends_its_initial_events_with_a_bookmark() {
    let s = Server::start().await;
    s.post(CM, &configmap("s1", &[])).await;
    s.post(CM, &configmap("s2", &[])).await;
    let mut w = s
        .watch(&format!(
            "{CM}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"
        ))
        .await;
    let mut added = Vec::new();
    loop {
        let event = w.next(WAIT).await.expect("event");
        if event["type"] == "BOOKMARK" {
            assert_eq!(event["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"], "true");
            assert!(event["object"]["metadata"]["resourceVersion"].as_str().is_some());
            break;
        }
        assert_eq!(event["type"], "ADDED");
        added.push(event["object"]["metadata"]["name"].as_str().unwrap_or("").to_string());
    }
    assert_eq!(added, ["s1", "s2"]);
}

#[tokio::test]
async fn a_watch_ends_after_its_timeout() {
    let s = Server::start().await;
    let mut w = s.watch(&format!("{CM}?watch=1&resourceVersion=0&timeoutSeconds=1")).await;
    let started = tokio::time::Instant::now();
    while w.next(Duration::from_secs(10)).await.is_some() {}
    assert!(started.elapsed() < Duration::from_secs(8), "the stream should end after about a second");
}

#[tokio::test]
async fn watching_one_object_by_name_ignores_the_others() {
    let s = Server::start().await;
    let mut w = s.watch(&format!("{CM}?watch=1&fieldSelector=metadata.name%3Dme&resourceVersion=0")).await;
    s.post(CM, &configmap("other", &[])).await;
    s.post(CM, &configmap("me", &[])).await;
    let event = w.next(WAIT).await.expect("event");
    assert_eq!(event["object"]["metadata"]["name"], "me");
}

#[tokio::test]
async fn table_watches_stream_table_rows() {
    let s = Server::start().await;
    let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    let resp = s
        .client
        .get(format!("{}{CM}?watch=1&resourceVersion=0", s.base))
        .header("Accept", accept)
        .send()
        .await
        .expect("watch");
    let mut w = common::Watch::from_response(resp);
    s.post(CM, &configmap("tbl", &[("a", "b")])).await;
    let event = w.next(WAIT).await.expect("event");
    assert_eq!(event["object"]["kind"], "Table");
    assert_eq!(event["object"]["rows"][0]["cells"][0], "tbl");
    assert_eq!(event["object"]["rows"][0]["cells"][1], 1);
}

#[tokio::test]
async fn watches_that_allow_bookmarks_receive_them_periodically() {
    let s = Server::start_with(&["--watch-bookmark-interval=300ms"]).await;
    let created = s.post(CM, &configmap("b1", &[])).await;
    let rv: i64 = created.body["metadata"]["resourceVersion"].as_str().and_then(|v| v.parse().ok()).expect("rv");
    let mut w = s.watch(&format!("{CM}?watch=1&resourceVersion={rv}&allowWatchBookmarks=true")).await;
    let bookmark = w.next(WAIT).await.expect("bookmark");
    assert_eq!(bookmark["type"], "BOOKMARK");
    assert_eq!(bookmark["object"]["kind"], "ConfigMap");
    let bookmark_rv: i64 =
        bookmark["object"]["metadata"]["resourceVersion"].as_str().and_then(|v| v.parse().ok()).expect("rv");
    assert!(bookmark_rv >= rv, "bookmarks never go back in time");
    // Without allowWatchBookmarks, no bookmark arrives.
    let mut quiet = s.watch(&format!("{CM}?watch=1&resourceVersion={rv}")).await;
    assert!(quiet.next(Duration::from_millis(900)).await.is_none());
}

#[tokio::test]
async fn protobuf_watches_frame_each_event() {
    let s = Server::start().await;
    let resp = s
        .client
        .get(format!("{}{CM}?watch=1&resourceVersion=0", s.base))
        .header("Accept", "application/vnd.kubernetes.protobuf;stream=watch")
        .send()
        .await
        .expect("watch");
    assert!(resp.headers()["content-type"].to_str().unwrap_or("").starts_with("application/vnd.kubernetes.protobuf"));
    s.post(CM, &configmap("pb", &[("k", "v")])).await;
    let mut resp = resp;
    let mut buf = Vec::new();
    while buf.len() < 4 || buf.len() < 4 + u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize {
        let chunk = tokio::time::timeout(WAIT, resp.chunk()).await.expect("in time").expect("chunk").expect("more");
        buf.extend_from_slice(&chunk);
    }
    let len = u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
    let (kind, object) = apimachinery::protobuf::decode_watch_event(&buf[..4 + len]).expect("a watch frame");
    assert_eq!(kind, "ADDED");
    assert_eq!(object["metadata"]["name"], "pb");
    assert_eq!(object["data"]["k"], "v");
}

#[tokio::test]
async fn the_watch_parameter_on_a_named_object_reads_it_as_upstream_does() {
    let s = Server::start().await;
    assert_eq!(s.post(CM, &configmap("one", &[("a", "1")])).await.status, 201);
    // `?watch=true` only turns collection reads into watches; a named object is a get.
    let r = s.get(&format!("{CM}/one?watch=true")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["data"], json!({"a": "1"}));
    // Subresources cannot be watched; the legacy watch prefix leads nowhere there.
    let r = s.get("/api/v1/watch/namespaces/default/pods/p1/status").await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = s.get("/api/v1/namespaces/default/pods/p1/status?watch=true").await;
    assert_eq!(r.status, 404, "a missing pod: {}", r.text);
    assert_eq!(r.body["reason"], "NotFound");
}
