//! The watch cache against a real etcd.

use std::sync::Arc;
use std::time::Duration;

use storage::{CacheConfig, Decoder, Etcd, EtcdConfig, EventType, ResourceId, StorageError, WatchCache, WatchStart};
use test_support::EtcdServer;

/// Cached form used by these tests: the value as text and the revision it was read at.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    key: String,
    value: String,
    revision: i64,
}

struct TextDecoder;

impl Decoder<Item> for TextDecoder {
    fn decode(&self, _: ResourceId, key: &str, value: &[u8], revision: i64) -> Result<Item, String> {
        let value = String::from_utf8(value.to_vec()).map_err(|e| e.to_string())?;
        Ok(Item { key: key.to_string(), value, revision })
    }

    fn at_revision(&self, _: ResourceId, item: &Item, revision: i64) -> Item {
        Item { revision, ..item.clone() }
    }
}

const PODS: ResourceId = 0;
const SERVICES: ResourceId = 1;
const ENDPOINTS: ResourceId = 2;

async fn start(server: &EtcdServer, window: usize) -> (Etcd, Arc<WatchCache<Item>>) {
    let config = EtcdConfig { endpoints: vec![server.endpoint()], ..Default::default() };
    let etcd = Etcd::connect(&config).await.expect("connect");
    let prefixes = vec![
        "/registry/pods/".to_string(),
        "/registry/services/specs/".to_string(),
        "/registry/services/endpoints/".to_string(),
    ];
    let cache_config = CacheConfig { window, ..Default::default() };
    let cache = WatchCache::start(etcd.clone(), prefixes, Arc::new(TextDecoder), cache_config);
    cache.wait_fresh(Duration::from_secs(10)).await.expect("cache loads");
    (etcd, cache)
}

#[tokio::test]
async fn lists_reflect_writes_once_the_cache_is_fresh() {
    let server = EtcdServer::start();
    let (etcd, cache) = start(&server, 100).await;
    etcd.create("/registry/pods/a/p1", b"one".to_vec()).await.expect("create");
    etcd.create("/registry/pods/b/p2", b"two".to_vec()).await.expect("create");
    let rev = etcd.create("/registry/services/endpoints/a/s", b"ep".to_vec()).await.expect("create");
    cache.wait_fresh(Duration::from_secs(5)).await.expect("fresh");
    let (all, at) = cache.list(PODS, "/registry/pods/", |_| true);
    assert!(at >= rev);
    assert_eq!(all.iter().map(|i| i.value.as_str()).collect::<Vec<_>>(), ["one", "two"]);
    let (in_a, _) = cache.list(PODS, "/registry/pods/a/", |_| true);
    assert_eq!(in_a.len(), 1);
    // Endpoints live under services/ but are not services.
    assert!(cache.list(SERVICES, "/registry/services/specs/", |_| true).0.is_empty());
    assert_eq!(cache.list(ENDPOINTS, "/registry/services/endpoints/", |_| true).0.len(), 1);
}

#[tokio::test]
async fn a_fresh_read_never_claims_freshness_it_does_not_have() {
    let server = EtcdServer::start();
    let (etcd, cache) = start(&server, 100).await;
    // A write outside every cached prefix moves etcd's revision without any cache event.
    // Either the cache proves it caught up (through a trusted progress notification), or
    // it reports that it could not; it must never report a revision it has not reached.
    let rev = etcd.put("/unrelated/key", b"x".to_vec()).await.expect("put");
    match cache.wait_fresh(Duration::from_millis(500)).await {
        Ok(fresh) => {
            assert!(fresh >= rev);
            assert!(cache.revision() >= rev);
        }
        Err(StorageError::Timeout(_)) => assert!(cache.revision() < rev),
        Err(other) => panic!("unexpected error {other:?}"),
    }
    // A write inside a cached prefix always brings it up to date.
    let inside = etcd.create("/registry/pods/a/p", b"p".to_vec()).await.expect("create");
    let fresh = cache.wait_fresh(Duration::from_secs(5)).await.expect("fresh after a cached write");
    assert!(fresh >= inside);
}

#[tokio::test]
async fn a_watch_from_now_starts_with_the_current_state_then_follows_changes() {
    let server = EtcdServer::start();
    let (etcd, cache) = start(&server, 100).await;
    let created = etcd.create("/registry/pods/a/p1", b"one".to_vec()).await.expect("create");
    cache.wait_fresh(Duration::from_secs(5)).await.expect("fresh");
    let mut watch = cache.watch(PODS, WatchStart::Now).expect("watch");
    assert_eq!(watch.initial.len(), 1);
    assert_eq!(watch.initial[0].event_type, EventType::Added);
    let updated = etcd.update("/registry/pods/a/p1", b"uno".to_vec(), created).await.expect("update").expect("won");
    let deleted = etcd.delete("/registry/pods/a/p1", updated).await.expect("delete").expect("won");
    let modified = watch.receiver.recv().await.expect("modified");
    assert_eq!(modified.event_type, EventType::Modified);
    assert_eq!(modified.object.value, "uno");
    assert_eq!(modified.previous.as_ref().map(|p| p.value.as_str()), Some("one"));
    let gone = watch.receiver.recv().await.expect("deleted");
    assert_eq!(gone.event_type, EventType::Deleted);
    assert_eq!(gone.revision, deleted);
    assert_eq!(gone.object.revision, deleted, "a deletion reports the last state at the deletion revision");
    assert_eq!(gone.object.value, "uno");
}

#[tokio::test]
async fn a_watch_resumes_from_a_revision_inside_the_window() {
    let server = EtcdServer::start();
    let (etcd, cache) = start(&server, 100).await;
    let first = etcd.create("/registry/pods/a/p1", b"1".to_vec()).await.expect("create");
    etcd.create("/registry/pods/a/p2", b"2".to_vec()).await.expect("create");
    etcd.create("/registry/pods/a/p3", b"3".to_vec()).await.expect("create");
    cache.wait_fresh(Duration::from_secs(5)).await.expect("fresh");
    let watch = cache.watch(PODS, WatchStart::After(first)).expect("watch");
    let values: Vec<_> = watch.initial.iter().map(|e| e.object.value.as_str()).collect();
    assert_eq!(values, ["2", "3"]);
}

#[tokio::test]
async fn a_watch_from_before_the_window_is_refused_as_compacted() {
    let server = EtcdServer::start();
    let (etcd, cache) = start(&server, 2).await;
    let first = etcd.create("/registry/pods/a/p1", b"1".to_vec()).await.expect("create");
    for i in 2..6 {
        etcd.create(&format!("/registry/pods/a/p{i}"), vec![b'0' + i]).await.expect("create");
    }
    cache.wait_fresh(Duration::from_secs(5)).await.expect("fresh");
    let refused = cache.watch(PODS, WatchStart::After(first));
    assert!(matches!(refused, Err(StorageError::Compacted { requested, .. }) if requested == first));
}

#[tokio::test]
async fn the_cache_recovers_after_etcd_restarts() {
    let mut server = EtcdServer::start();
    let (etcd, cache) = start(&server, 100).await;
    let mut watch = cache.watch(PODS, WatchStart::Now).expect("watch");
    etcd.create("/registry/pods/a/before", b"b".to_vec()).await.expect("create");
    assert_eq!(watch.receiver.recv().await.expect("event").object.value, "b");
    server.restart();
    let mut created = false;
    for _ in 0..100 {
        if etcd.create("/registry/pods/a/after", b"a".to_vec()).await.is_ok() {
            created = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(created, "etcd came back");
    let event = tokio::time::timeout(Duration::from_secs(15), watch.receiver.recv())
        .await
        .expect("the cache resumes its etcd watch")
        .expect("event");
    assert_eq!(event.object.value, "a");
}

#[tokio::test]
async fn an_offered_decoded_form_replaces_decoding_the_watch_event() {
    let server = EtcdServer::start();
    let (etcd, cache) = start(&server, 100).await;
    let next = etcd.current_revision().await.expect("revision") + 1;
    // The writer knows what it wrote; the cache takes its decoded form for that revision.
    let offered = Item { key: "/registry/pods/a/p".into(), value: "decoded by the writer".into(), revision: next };
    cache.offer("/registry/pods/a/p", next, Arc::new(offered.clone()));
    let rev = etcd.create("/registry/pods/a/p", b"raw".to_vec()).await.expect("create");
    assert_eq!(rev, next);
    cache.wait_fresh(Duration::from_secs(5)).await.expect("fresh");
    let (found, _) = cache.get(PODS, "/registry/pods/a/p");
    assert_eq!(found.as_deref(), Some(&offered));
    // An offer for a revision the cache already has is ignored.
    cache.offer("/registry/pods/a/p", rev, Arc::new(Item { value: "late".into(), ..offered }));
    let updated = etcd.update("/registry/pods/a/p", b"second".to_vec(), rev).await.expect("update").expect("won");
    cache.wait_fresh(Duration::from_secs(5)).await.expect("fresh");
    let (found, _) = cache.get(PODS, "/registry/pods/a/p");
    assert_eq!(found.map(|i| (i.value.clone(), i.revision)), Some(("second".to_string(), updated)));
}
