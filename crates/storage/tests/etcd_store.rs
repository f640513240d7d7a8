//! The etcd store against a real etcd.

use storage::{Etcd, EtcdConfig, StorageError};
use test_support::EtcdServer;

async fn connect(etcd: &EtcdServer) -> Etcd {
    let config = EtcdConfig { endpoints: vec![etcd.endpoint()], ..Default::default() };
    Etcd::connect(&config).await.expect("connect to etcd")
}

#[tokio::test]
async fn create_refuses_an_existing_key() {
    let server = EtcdServer::start();
    let etcd = connect(&server).await;
    let rev = etcd.create("/registry/pods/default/a", b"one".to_vec()).await.expect("first create");
    assert!(rev > 0);
    let again = etcd.create("/registry/pods/default/a", b"two".to_vec()).await;
    assert_eq!(again, Err(StorageError::AlreadyExists));
    let (kv, _) = etcd.get("/registry/pods/default/a").await.expect("get");
    assert_eq!(kv.expect("stored").value.as_ref(), b"one");
}

#[tokio::test]
async fn update_with_a_stale_revision_returns_the_current_value() {
    let server = EtcdServer::start();
    let etcd = connect(&server).await;
    let first = etcd.create("/registry/configmaps/default/c", b"v1".to_vec()).await.expect("create");
    let second = etcd.update("/registry/configmaps/default/c", b"v2".to_vec(), first).await.expect("update");
    let second = second.expect("the first update wins");
    let lost = etcd.update("/registry/configmaps/default/c", b"v3".to_vec(), first).await.expect("update");
    let current = lost.expect_err("a stale revision must lose");
    assert_eq!(current.mod_revision, second);
    assert_eq!(current.value.as_ref(), b"v2");
}

#[tokio::test]
async fn delete_honours_its_precondition_and_reports_missing_keys() {
    let server = EtcdServer::start();
    let etcd = connect(&server).await;
    let rev = etcd.create("/registry/secrets/default/s", b"x".to_vec()).await.expect("create");
    assert!(etcd.delete("/registry/secrets/default/s", rev - 1).await.expect("delete").is_err());
    assert!(etcd.delete("/registry/secrets/default/s", rev).await.expect("delete").is_ok());
    let gone = etcd.delete("/registry/secrets/default/s", rev).await;
    assert_eq!(gone, Err(StorageError::NotFound));
}

#[tokio::test]
async fn ranges_page_at_one_revision() {
    let server = EtcdServer::start();
    let etcd = connect(&server).await;
    for i in 0..5 {
        etcd.create(&format!("/registry/pods/ns/p{i}"), vec![b'0' + i]).await.expect("create");
    }
    let first = etcd.range("/registry/pods/", "", 0, 2).await.expect("page 1");
    assert_eq!(first.kvs.len(), 2);
    assert!(first.more);
    assert_eq!(first.remaining, 3);
    // A write after the first page must not show in later pages read at the same revision.
    etcd.create("/registry/pods/ns/p9", b"late".to_vec()).await.expect("create");
    let start = format!("{}\0", first.kvs[1].key);
    let rest = etcd.range("/registry/pods/", &start, first.revision, 0).await.expect("page 2");
    let keys: Vec<_> = rest.kvs.iter().map(|kv| kv.key.as_str()).collect();
    assert_eq!(keys, ["/registry/pods/ns/p2", "/registry/pods/ns/p3", "/registry/pods/ns/p4"]);
}

#[tokio::test]
async fn reads_at_a_compacted_revision_fail_as_compacted() {
    let server = EtcdServer::start();
    let etcd = connect(&server).await;
    let old = etcd.create("/registry/pods/ns/a", b"a".to_vec()).await.expect("create");
    let newer = etcd.put("/registry/pods/ns/a", b"b".to_vec()).await.expect("put");
    etcd.compact(newer).await.expect("compact");
    let read = etcd.range("/registry/pods/", "", old, 0).await;
    assert!(matches!(read, Err(StorageError::Compacted { requested, .. }) if requested == old), "{read:?}");
    // Compacting again is harmless.
    etcd.compact(newer).await.expect("second compact");
}

#[tokio::test]
async fn an_unreachable_etcd_is_reported_as_unavailable_or_timeout() {
    let mut server = EtcdServer::start();
    let config = EtcdConfig { endpoints: vec![server.endpoint()], request_timeout: std::time::Duration::from_secs(2) };
    let etcd = Etcd::connect(&config).await.expect("connect");
    etcd.put("/registry/x", b"1".to_vec()).await.expect("put while up");
    server.stop();
    let err = etcd.get("/registry/x").await.expect_err("etcd is down");
    assert!(matches!(err, StorageError::Unavailable(_) | StorageError::Timeout(_)), "unexpected error kind: {err:?}");
    server.restart();
    let mut recovered = false;
    for _ in 0..50 {
        if etcd.get("/registry/x").await.is_ok() {
            recovered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(recovered, "the client must reconnect by itself once etcd is back");
}
