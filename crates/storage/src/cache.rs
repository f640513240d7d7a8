//! The watch cache: one etcd watch over the whole registry, demultiplexed into a
//! per-resource store of decoded objects plus a bounded window of recent events.
//!
//! LIST and WATCH are served from here so that etcd sees one watch no matter how many
//! clients watch. Every update of the cache happens in one task, under one write lock per
//! etcd response, so a reader always sees the state exactly at `revision()`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use etcd_client::{EventType as EtcdEventType, WatchOptions};
use tokio::sync::{broadcast, mpsc, watch};

use crate::error::{Result, StorageError};
use crate::etcd::{Etcd, Kv};

/// Index of a resource in the prefix list the cache was started with.
pub type ResourceId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// One change to one object.
#[derive(Debug)]
pub struct CacheEvent<T> {
    pub event_type: EventType,
    pub revision: i64,
    /// The new state; for `Deleted` the last state, reported at the deletion revision.
    pub object: Arc<T>,
    /// The state before the change (for `Modified` and `Deleted`), so filtered watchers
    /// can tell an object entering or leaving their selection.
    pub previous: Option<Arc<T>>,
}

/// Turns stored bytes into the cached form. Supplied by the apiserver, which knows
/// what the bytes mean; the cache only knows keys and revisions.
pub trait Decoder<T>: Send + Sync + 'static {
    /// Decodes the value of `key`, last modified at `revision`.
    fn decode(&self, resource: ResourceId, key: &str, value: &[u8], revision: i64) -> std::result::Result<T, String>;
    /// The same object reported at a later revision (deletions carry the deletion revision).
    fn at_revision(&self, resource: ResourceId, item: &T, revision: i64) -> T;
}

#[derive(Debug, Clone)]
pub struct CacheConfig {
    /// Common root of every cached prefix, watched as one range (e.g. `/registry/`).
    pub root: String,
    /// Events kept per resource for watches that resume from a resourceVersion.
    pub window: usize,
    /// Buffer of a live watcher; a watcher that falls further behind is ended.
    pub watcher_buffer: usize,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig { root: "/registry/".into(), window: 4096, watcher_buffer: 8192 }
    }
}

struct ResourceState<T> {
    prefix: String,
    store: BTreeMap<String, Arc<T>>,
    window: VecDeque<Arc<CacheEvent<T>>>,
    /// Oldest revision a watch may resume from.
    floor: i64,
    sender: broadcast::Sender<Arc<CacheEvent<T>>>,
}

struct State<T> {
    resources: Vec<ResourceState<T>>,
    /// Every event up to this revision has been applied.
    revision: i64,
    loaded: bool,
}

/// Where a watch starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchStart {
    /// The current state as synthetic `Added` events, then every later change.
    Now,
    /// Every change after this revision.
    After(i64),
}

/// A started watch: events to send first, then the live stream.
pub struct CacheWatch<T> {
    pub initial: Vec<Arc<CacheEvent<T>>>,
    /// The cache revision the initial events describe.
    pub revision: i64,
    /// Live events; those at or below `skip_through` are duplicates and must be skipped.
    pub receiver: broadcast::Receiver<Arc<CacheEvent<T>>>,
    pub skip_through: i64,
}

pub struct WatchCache<T> {
    etcd: Etcd,
    config: CacheConfig,
    decoder: Arc<dyn Decoder<T>>,
    state: RwLock<State<T>>,
    revision_tx: watch::Sender<i64>,
    progress_tx: mpsc::UnboundedSender<()>,
    /// Set once etcd is known to order progress notifications after pending events.
    trust_progress: AtomicBool,
    /// Decoded forms of writes this process just made, keyed by (key, revision), so the
    /// watch event that reports them need not be decoded again.
    offered: std::sync::Mutex<std::collections::HashMap<(String, i64), Arc<T>>>,
}

impl<T: Send + Sync + 'static> WatchCache<T> {
    /// Starts filling the cache in the background. `prefixes[i]` is the full key prefix
    /// (ending in `/`) of resource `i`. Use `wait_ready` before serving from it.
    pub fn start(etcd: Etcd, prefixes: Vec<String>, decoder: Arc<dyn Decoder<T>>, config: CacheConfig) -> Arc<Self> {
        let resources = prefixes
            .into_iter()
            .map(|prefix| ResourceState {
                prefix,
                store: BTreeMap::new(),
                window: VecDeque::new(),
                floor: 0,
                sender: broadcast::channel(config.watcher_buffer.max(1)).0,
            })
            .collect();
        let (revision_tx, _) = watch::channel(0);
        let (progress_tx, progress_rx) = mpsc::unbounded_channel();
        let cache = Arc::new(WatchCache {
            etcd,
            config,
            decoder,
            state: RwLock::new(State { resources, revision: 0, loaded: false }),
            revision_tx,
            progress_tx,
            trust_progress: AtomicBool::new(false),
            offered: std::sync::Mutex::new(std::collections::HashMap::new()),
        });
        tokio::spawn(run(Arc::downgrade(&cache), progress_rx));
        cache
    }

    /// Hands the cache the decoded form of an object this process just wrote at `revision`,
    /// sparing the watch event a decode. Ignored if the cache already applied that revision.
    pub fn offer(&self, key: &str, revision: i64, item: Arc<T>) {
        if revision <= self.revision() {
            return;
        }
        let mut offered = self.offered.lock().unwrap_or_else(|e| e.into_inner());
        // Bounded: entries the watch never claims (e.g. keys no resource caches) age out here.
        if offered.len() >= 4096 {
            let current = self.revision();
            offered.retain(|(_, rev), _| *rev > current);
            if offered.len() >= 4096 {
                offered.clear();
            }
        }
        offered.insert((key.to_string(), revision), item);
    }

    fn take_offered(&self, key: &str, revision: i64) -> Option<Arc<T>> {
        let mut offered = self.offered.lock().unwrap_or_else(|e| e.into_inner());
        if offered.is_empty() {
            return None;
        }
        offered.remove(&(key.to_string(), revision))
    }

    /// The revision up to which the cache has applied every event (0 before the first load).
    pub fn revision(&self) -> i64 {
        *self.revision_tx.borrow()
    }

    pub fn is_loaded(&self) -> bool {
        self.read().loaded
    }

    /// Waits until the cache holds at least `revision`, asking etcd for a progress
    /// notification if the cache is idle. Fails after `timeout`.
    pub async fn wait_for_revision(&self, revision: i64, timeout: Duration) -> Result<()> {
        let mut rx = self.revision_tx.subscribe();
        if *rx.borrow() >= revision && self.is_loaded() {
            return Ok(());
        }
        if self.trust_progress.load(Ordering::Relaxed) {
            let _ = self.progress_tx.send(());
        }
        let waited = tokio::time::timeout(timeout, async {
            loop {
                if *rx.borrow_and_update() >= revision && self.is_loaded() {
                    return true;
                }
                if rx.changed().await.is_err() {
                    return false;
                }
            }
        })
        .await;
        match waited {
            Ok(true) => Ok(()),
            _ => Err(StorageError::TooLargeResourceVersion { requested: revision, current: self.revision() }),
        }
    }

    /// Waits until the cache is at least as new as etcd is now: what makes a read from
    /// the cache consistent. With an etcd whose progress notifications cannot be trusted,
    /// an idle cache only catches up through events, so this can time out when something
    /// outside the cached prefixes wrote to etcd; callers then read etcd directly.
    pub async fn wait_fresh(&self, timeout: Duration) -> Result<i64> {
        let current = self.etcd.current_revision().await?;
        self.wait_for_revision(current, timeout).await.map_err(|_| StorageError::Timeout(timeout))?;
        Ok(current)
    }

    /// Objects of `resource` whose key starts with `key_prefix` (the resource prefix, or a
    /// namespace below it) and pass `keep`, with the revision they are current at.
    pub fn list(&self, resource: ResourceId, key_prefix: &str, keep: impl Fn(&T) -> bool) -> (Vec<Arc<T>>, i64) {
        let state = self.read();
        let Some(res) = state.resources.get(resource) else {
            return (Vec::new(), state.revision);
        };
        let items = res
            .store
            .range(key_prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(key_prefix))
            .filter(|(_, v)| keep(v))
            .map(|(_, v)| v.clone())
            .collect();
        (items, state.revision)
    }

    /// One object by key, with the revision the answer is current at.
    pub fn get(&self, resource: ResourceId, key: &str) -> (Option<Arc<T>>, i64) {
        let state = self.read();
        let item = state.resources.get(resource).and_then(|r| r.store.get(key).cloned());
        (item, state.revision)
    }

    /// Starts a watch on `resource`. Resuming from a revision older than the event window
    /// fails with `Compacted` (the client must relist: 410 Gone).
    pub fn watch(&self, resource: ResourceId, start: WatchStart) -> Result<CacheWatch<T>> {
        let state = self.read();
        let res = state.resources.get(resource).ok_or_else(|| StorageError::Internal("unknown resource".into()))?;
        let receiver = res.sender.subscribe();
        match start {
            WatchStart::Now => {
                let initial = res
                    .store
                    .values()
                    .map(|obj| {
                        Arc::new(CacheEvent {
                            event_type: EventType::Added,
                            revision: state.revision,
                            object: obj.clone(),
                            previous: None,
                        })
                    })
                    .collect();
                Ok(CacheWatch { initial, revision: state.revision, receiver, skip_through: state.revision })
            }
            WatchStart::After(after) => {
                if after < res.floor {
                    return Err(StorageError::Compacted { requested: after, compacted: res.floor });
                }
                let initial = res.window.iter().filter(|e| e.revision > after).cloned().collect();
                Ok(CacheWatch { initial, revision: state.revision, receiver, skip_through: state.revision.max(after) })
            }
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State<T>> {
        // A panic while holding the lock cannot leave the state half-updated in a way
        // readers care about (each update replaces whole entries), so recover from poison.
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State<T>> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    fn resource_of(state: &State<T>, key: &str) -> Option<ResourceId> {
        // The longest matching prefix wins: `services/endpoints/` is not `services/specs/`.
        state
            .resources
            .iter()
            .enumerate()
            .filter(|(_, r)| key.starts_with(&r.prefix))
            .max_by_key(|(_, r)| r.prefix.len())
            .map(|(i, _)| i)
    }

    fn push_event(&self, res: &mut ResourceState<T>, event: Arc<CacheEvent<T>>) {
        if res.window.len() >= self.config.window {
            if let Some(oldest) = res.window.pop_front() {
                res.floor = res.floor.max(oldest.revision);
            }
        }
        res.window.push_back(event.clone());
        // No receivers is normal; lagging receivers find out on their side.
        let _ = res.sender.send(event);
    }

    /// Applies one etcd watch event; an undecodable value is logged and skipped.
    fn apply(&self, state: &mut State<T>, event_type: EtcdEventType, kv: &Kv) {
        let Some(id) = Self::resource_of(state, &kv.key) else {
            return;
        };
        let res = &mut state.resources[id];
        let previous = res.store.get(&kv.key).cloned();
        match event_type {
            EtcdEventType::Put => {
                let offered = self.take_offered(&kv.key, kv.mod_revision);
                let decoded = match offered {
                    Some(item) => Ok(item),
                    None => self.decoder.decode(id, &kv.key, &kv.value, kv.mod_revision).map(Arc::new),
                };
                let item = match decoded {
                    Ok(item) => item,
                    Err(e) => {
                        tracing::error!(key = %kv.key, error = %e, "cannot decode object from etcd; skipping");
                        return;
                    }
                };
                res.store.insert(kv.key.clone(), item.clone());
                let event_type = if previous.is_some() { EventType::Modified } else { EventType::Added };
                let event = CacheEvent { event_type, revision: kv.mod_revision, object: item, previous };
                self.push_event(res, Arc::new(event));
            }
            EtcdEventType::Delete => {
                res.store.remove(&kv.key);
                if let Some(prev) = previous {
                    let last = Arc::new(self.decoder.at_revision(id, &prev, kv.mod_revision));
                    let event = CacheEvent {
                        event_type: EventType::Deleted,
                        revision: kv.mod_revision,
                        object: last,
                        previous: Some(prev),
                    };
                    self.push_event(res, Arc::new(event));
                }
            }
        }
    }

    fn publish(&self, state: &mut State<T>, revision: i64) {
        if revision > state.revision {
            state.revision = revision;
            self.revision_tx.send_replace(revision);
        }
    }

    /// Replaces the whole cache with a fresh list. When replacing an earlier load, the
    /// difference is sent to live watchers as events, and resuming from before the list
    /// is refused (the history in between is gone).
    fn replace(&self, kvs: Vec<Kv>, revision: i64) {
        let mut state = self.write();
        let mut fresh: Vec<BTreeMap<String, Kv>> = vec![BTreeMap::new(); state.resources.len()];
        for kv in kvs {
            if let Some(id) = Self::resource_of(&state, &kv.key) {
                fresh[id].insert(kv.key.clone(), kv);
            }
        }
        let was_loaded = state.loaded;
        let old_revision = state.revision;
        for (id, new_kvs) in fresh.into_iter().enumerate() {
            let mut store = BTreeMap::new();
            for (key, kv) in &new_kvs {
                match self.decoder.decode(id, key, &kv.value, kv.mod_revision) {
                    Ok(item) => {
                        store.insert(key.clone(), Arc::new(item));
                    }
                    Err(e) => tracing::error!(key = %key, error = %e, "cannot decode object from etcd; skipping"),
                }
            }
            let res = &mut state.resources[id];
            let old = std::mem::replace(&mut res.store, store);
            if was_loaded {
                let mut events = Vec::new();
                for (key, object) in &res.store {
                    let changed = new_kvs.get(key).is_some_and(|kv| kv.mod_revision > old_revision);
                    if changed {
                        let previous = old.get(key).cloned();
                        let event_type = if previous.is_some() { EventType::Modified } else { EventType::Added };
                        let revision = new_kvs.get(key).map_or(revision, |kv| kv.mod_revision);
                        events.push(CacheEvent { event_type, revision, object: object.clone(), previous });
                    }
                }
                for (key, prev) in &old {
                    if !res.store.contains_key(key) {
                        let object = Arc::new(self.decoder.at_revision(id, prev, revision));
                        events.push(CacheEvent {
                            event_type: EventType::Deleted,
                            revision,
                            object,
                            previous: Some(prev.clone()),
                        });
                    }
                }
                events.sort_by_key(|e| e.revision);
                for event in events {
                    self.push_event(res, Arc::new(event));
                }
            }
            res.floor = revision;
        }
        state.loaded = true;
        state.revision = revision.max(state.revision);
        self.revision_tx.send_replace(state.revision);
    }
}

/// Reads every key under the root at one revision, page by page.
async fn list_all(etcd: &Etcd, root: &str) -> Result<(Vec<Kv>, i64)> {
    const PAGE: i64 = 10_000;
    let mut kvs = Vec::new();
    let mut revision = 0;
    let mut start = String::new();
    loop {
        let page = etcd.range(root, &start, revision, PAGE).await?;
        revision = page.revision;
        let more = page.more;
        if let Some(last) = page.kvs.last() {
            start = format!("{}\0", last.key);
        }
        kvs.extend(page.kvs);
        if !more {
            return Ok((kvs, revision));
        }
    }
}

/// The cache's one background task: load, watch, reload on compaction, reconnect on failure.
async fn run<T: Send + Sync + 'static>(
    cache: std::sync::Weak<WatchCache<T>>,
    mut progress_rx: mpsc::UnboundedReceiver<()>,
) {
    let mut backoff = Duration::from_millis(100);
    let mut need_list = true;
    loop {
        let Some(this) = cache.upgrade() else { return };
        if need_list {
            if let Ok(version) = this.etcd.server_version().await {
                this.trust_progress.store(crate::etcd::progress_notify_is_reliable(&version), Ordering::Relaxed);
            }
            match list_all(&this.etcd, &this.config.root).await {
                Ok((kvs, revision)) => {
                    this.replace(kvs, revision);
                    need_list = false;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "watch cache cannot list from etcd; retrying");
                    drop(this);
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(2));
                    continue;
                }
            }
        }
        let from = this.revision() + 1;
        let options = WatchOptions::new().with_prefix().with_start_revision(from).with_progress_notify();
        let stream = this.etcd.watch_client().watch(this.config.root.clone(), Some(options)).await;
        let (mut sender, mut stream) = match stream {
            Ok(s) => s.split(),
            Err(e) => {
                tracing::warn!(error = %e, "watch cache cannot watch etcd; retrying");
                drop(this);
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(2));
                continue;
            }
        };
        drop(this);
        loop {
            tokio::select! {
                request = progress_rx.recv() => {
                    if request.is_none() { return; }
                    // Coalesce a burst of requests into one.
                    while progress_rx.try_recv().is_ok() {}
                    if sender.request_progress().await.is_err() { break; }
                }
                message = stream.message() => {
                    let Some(this) = cache.upgrade() else { return };
                    match message {
                        Ok(Some(resp)) => {
                            backoff = Duration::from_millis(100);
                            if resp.canceled() {
                                if resp.compact_revision() > 0 {
                                    tracing::warn!(compacted = resp.compact_revision(), "watch cache fell behind compaction; relisting");
                                    need_list = true;
                                }
                                break;
                            }
                            let mut state = this.write();
                            let mut last = 0;
                            for event in resp.events() {
                                let Some(kv) = event.kv() else { continue };
                                let Ok(kv) = Kv::from_etcd(kv) else { continue };
                                last = last.max(kv.mod_revision);
                                this.apply(&mut state, event.event_type(), &kv);
                            }
                            if resp.events().is_empty() && !resp.created() && this.trust_progress.load(Ordering::Relaxed) {
                                // A progress notification: everything up to the header revision was sent.
                                // (The response confirming the watch's creation promises nothing.)
                                last = resp.header().map(|h| h.revision()).unwrap_or(0);
                            }
                            this.publish(&mut state, last);
                        }
                        Ok(None) => break,
                        Err(e) => {
                            tracing::warn!(error = %e, "watch cache lost its etcd watch; resuming");
                            break;
                        }
                    }
                }
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(2));
    }
}
