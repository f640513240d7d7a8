//! Storage for the apiserver: etcd v3 (the only crate that talks to etcd) and the watch cache.

pub mod cache;
pub mod error;
pub mod etcd;

pub use cache::{CacheConfig, CacheEvent, CacheWatch, Decoder, EventType, ResourceId, WatchCache, WatchStart};
pub use error::{Result, StorageError};
pub use etcd::{prefix_end, Etcd, EtcdConfig, Kv, Observer, Page};
