//! etcd v3 access: the only place that speaks to etcd.
//!
//! Writes are transactions so that creates fail on an existing key and updates/deletes
//! fail when the key changed since it was read (compare-and-swap on the mod revision).
//! resourceVersion is etcd's mod revision; the caller injects it into objects on read.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use etcd_client::{
    Client, Compare, CompareOp, ConnectOptions, GetOptions, KvClient, Txn, TxnOp, TxnOpResponse, WatchClient,
};

use crate::error::{Result, StorageError};

/// One stored value with its revisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kv {
    pub key: String,
    pub value: Bytes,
    pub mod_revision: i64,
    pub create_revision: i64,
}

impl Kv {
    pub(crate) fn from_etcd(kv: &etcd_client::KeyValue) -> Result<Kv> {
        let key = std::str::from_utf8(kv.key())
            .map_err(|_| StorageError::Internal("non-UTF-8 key in etcd".into()))?
            .to_string();
        Ok(Kv {
            key,
            value: Bytes::copy_from_slice(kv.value()),
            mod_revision: kv.mod_revision(),
            create_revision: kv.create_revision(),
        })
    }
}

/// A page of a range read, all at one revision.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub kvs: Vec<Kv>,
    /// The revision the read was served at.
    pub revision: i64,
    /// More keys exist after the last one returned.
    pub more: bool,
    /// How many keys remain after this page (when `more`).
    pub remaining: i64,
}

/// How the connection to etcd behaves.
#[derive(Debug, Clone)]
pub struct EtcdConfig {
    pub endpoints: Vec<String>,
    /// Per-request deadline; a request past it fails with `Timeout`.
    pub request_timeout: Duration,
}

impl Default for EtcdConfig {
    fn default() -> Self {
        EtcdConfig { endpoints: vec!["http://127.0.0.1:2379".into()], request_timeout: Duration::from_secs(10) }
    }
}

/// Receives the latency of every etcd request, by operation (for metrics).
pub type Observer = Arc<dyn Fn(&'static str, Duration) + Send + Sync>;

/// The etcd client. Cheap to clone.
#[derive(Clone)]
pub struct Etcd {
    client: Client,
    timeout: Duration,
    observer: Option<Observer>,
}

/// Largest gRPC message we accept from etcd: whole-prefix pages can be large.
const MAX_MESSAGE: usize = 512 * 1024 * 1024;

impl Etcd {
    /// Connects lazily: this succeeds while etcd is down, and requests fail with
    /// `Unavailable` until it is back, reconnecting by themselves.
    pub async fn connect(config: &EtcdConfig) -> Result<Etcd> {
        let options = ConnectOptions::new()
            .with_connect_timeout(Duration::from_secs(2))
            .with_keep_alive(Duration::from_secs(5), Duration::from_secs(3))
            .with_keep_alive_while_idle(true);
        let client = Client::connect(&config.endpoints, Some(options)).await?;
        Ok(Etcd { client, timeout: config.request_timeout, observer: None })
    }

    /// Reports every request's latency to `observer`.
    pub fn with_observer(mut self, observer: Observer) -> Etcd {
        self.observer = Some(observer);
        self
    }

    fn kv(&self) -> KvClient {
        self.client.kv_client().max_decoding_message_size(MAX_MESSAGE)
    }

    pub(crate) fn watch_client(&self) -> WatchClient {
        self.client.watch_client().max_decoding_message_size(MAX_MESSAGE)
    }

    async fn deadline<T, F>(&self, operation: &'static str, fut: F) -> Result<T>
    where
        F: std::future::Future<Output = std::result::Result<T, etcd_client::Error>>,
    {
        let started = Instant::now();
        let result = match tokio::time::timeout(self.timeout, fut).await {
            Ok(result) => result.map_err(StorageError::from),
            Err(_) => Err(StorageError::Timeout(self.timeout)),
        };
        if let Some(observe) = &self.observer {
            observe(operation, started.elapsed());
        }
        result
    }

    /// Reads one key; `None` when absent. Also returns the revision of the read.
    pub async fn get(&self, key: &str) -> Result<(Option<Kv>, i64)> {
        let mut kv = self.kv();
        let resp = self.deadline("get", kv.get(key, None)).await?;
        let revision = resp.header().map(|h| h.revision()).unwrap_or(0);
        let found = resp.kvs().first().map(Kv::from_etcd).transpose()?;
        Ok((found, revision))
    }

    /// Reads keys under `prefix` starting at `start` (inclusive; the prefix itself when
    /// empty), at `revision` (0 = latest), at most `limit` keys (0 = all).
    pub async fn range(&self, prefix: &str, start: &str, revision: i64, limit: i64) -> Result<Page> {
        let from = if start.is_empty() { prefix } else { start };
        let mut options = GetOptions::new().with_range(prefix_end(prefix));
        if revision > 0 {
            options = options.with_revision(revision);
        }
        if limit > 0 {
            options = options.with_limit(limit);
        }
        let mut kv = self.kv();
        let resp = self.deadline("list", kv.get(from, Some(options))).await.map_err(|e| with_requested(e, revision))?;
        let kvs = resp.kvs().iter().map(Kv::from_etcd).collect::<Result<Vec<_>>>()?;
        let revision = resp.header().map(|h| h.revision()).unwrap_or(revision);
        let remaining = (resp.count() - kvs.len() as i64).max(0);
        Ok(Page { kvs, revision, more: resp.more(), remaining })
    }

    /// The store's current revision, read cheaply (no values transferred).
    pub async fn current_revision(&self) -> Result<i64> {
        let mut kv = self.kv();
        let options = GetOptions::new().with_count_only();
        let resp = self.deadline("revision", kv.get("/", Some(options))).await?;
        Ok(resp.header().map(|h| h.revision()).unwrap_or(0))
    }

    /// Writes `value` at `key` only if the key does not exist. Returns the new revision.
    pub async fn create(&self, key: &str, value: Vec<u8>) -> Result<i64> {
        let txn = Txn::new()
            .when([Compare::create_revision(key, CompareOp::Equal, 0)])
            .and_then([TxnOp::put(key, value, None)]);
        let mut kv = self.kv();
        let resp = self.deadline("create", kv.txn(txn)).await?;
        if !resp.succeeded() {
            return Err(StorageError::AlreadyExists);
        }
        Ok(resp.header().map(|h| h.revision()).unwrap_or(0))
    }

    /// Writes `value` at `key` only if its mod revision is still `expected`.
    /// On a lost race returns the current value (`Ok(Err(current))`), or
    /// `NotFound` when the key is gone, so the caller can retry without another read.
    pub async fn update(&self, key: &str, value: Vec<u8>, expected: i64) -> Result<std::result::Result<i64, Kv>> {
        let txn = Txn::new()
            .when([Compare::mod_revision(key, CompareOp::Equal, expected)])
            .and_then([TxnOp::put(key, value, None)])
            .or_else([TxnOp::get(key, None)]);
        let mut kv = self.kv();
        let resp = self.deadline("update", kv.txn(txn)).await?;
        let revision = resp.header().map(|h| h.revision()).unwrap_or(0);
        if resp.succeeded() {
            return Ok(Ok(revision));
        }
        Ok(Err(current_from(&resp)?))
    }

    /// Deletes `key` if its mod revision is still `expected`. Returns the deletion
    /// revision, or the current value when it changed (as `update` does).
    pub async fn delete(&self, key: &str, expected: i64) -> Result<std::result::Result<i64, Kv>> {
        let txn = Txn::new()
            .when([Compare::mod_revision(key, CompareOp::Equal, expected)])
            .and_then([TxnOp::delete(key, None)])
            .or_else([TxnOp::get(key, None)]);
        let mut kv = self.kv();
        let resp = self.deadline("delete", kv.txn(txn)).await?;
        let revision = resp.header().map(|h| h.revision()).unwrap_or(0);
        if resp.succeeded() {
            return Ok(Ok(revision));
        }
        Ok(Err(current_from(&resp)?))
    }

    /// Unconditional put, for keys the server owns outright (e.g. allocator bitmaps
    /// are CAS'd through `update`; this is for bootstrap and tests).
    pub async fn put(&self, key: &str, value: Vec<u8>) -> Result<i64> {
        let mut kv = self.kv();
        let resp = self.deadline("put", kv.put(key, value, None)).await?;
        Ok(resp.header().map(|h| h.revision()).unwrap_or(0))
    }

    /// The etcd server's version (`3.4.23`).
    pub async fn server_version(&self) -> Result<String> {
        let mut maintenance = self.client.maintenance_client();
        let status = self.deadline("status", maintenance.status()).await?;
        Ok(status.version().to_string())
    }

    /// Discards history before `revision`. Compacting an already compacted revision is not an error.
    pub async fn compact(&self, revision: i64) -> Result<()> {
        let mut kv = self.kv();
        match self.deadline("compact", kv.compact(revision, None)).await {
            Ok(_) | Err(StorageError::Compacted { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// The value found by the failure branch of a CAS transaction.
fn current_from(resp: &etcd_client::TxnResponse) -> Result<Kv> {
    for op in resp.op_responses() {
        if let TxnOpResponse::Get(get) = op {
            return match get.kvs().first() {
                Some(kv) => Kv::from_etcd(kv),
                None => Err(StorageError::NotFound),
            };
        }
    }
    Err(StorageError::NotFound)
}

fn with_requested(err: StorageError, requested: i64) -> StorageError {
    match err {
        StorageError::Compacted { compacted, .. } => StorageError::Compacted { requested, compacted },
        other => other,
    }
}

/// The first key after every key starting with `prefix` (etcd's range_end for a prefix).
pub fn prefix_end(prefix: &str) -> Vec<u8> {
    let mut end = prefix.as_bytes().to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    vec![0]
}

#[cfg(test)]
mod tests {
    use super::prefix_end;

    #[test]
    fn prefix_end_increments_the_last_byte() {
        assert_eq!(prefix_end("/registry/pods/"), b"/registry/pods0".to_vec());
    }
}

/// Whether etcd's watch progress notifications can be trusted: before 3.4.31 and
/// 3.5.13 a progress notification could overtake events still queued on the stream
/// (etcd issue 15220), so a cache must not treat it as "caught up".
pub fn progress_notify_is_reliable(version: &str) -> bool {
    let parts: Vec<u64> = version.split('.').map(|p| p.trim().parse().unwrap_or(0)).collect();
    let (major, minor, patch) =
        (parts.first().copied().unwrap_or(0), parts.get(1).copied().unwrap_or(0), parts.get(2).copied().unwrap_or(0));
    match (major, minor) {
        (3, 4) => patch >= 31,
        (3, 5) => patch >= 13,
        (3, m) => m > 5,
        (m, _) => m > 3,
    }
}

#[cfg(test)]
mod version_tests {
    use super::progress_notify_is_reliable;

    #[test]
    fn old_etcd_progress_notifications_are_not_trusted() {
        assert!(!progress_notify_is_reliable("3.4.23"));
        assert!(progress_notify_is_reliable("3.4.31"));
        assert!(!progress_notify_is_reliable("3.5.12"));
        assert!(progress_notify_is_reliable("3.5.13"));
        assert!(progress_notify_is_reliable("3.6.0"));
        assert!(!progress_notify_is_reliable("garbage"));
    }
}
