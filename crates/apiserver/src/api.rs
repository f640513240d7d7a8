//! The server's shared state: etcd, the watch cache, the storage layout and options.

use std::sync::Arc;
use std::time::Duration;

use apimachinery::resource::ResourceInfo;
use apimachinery::{ApiError, ApiResult, Subject};
use storage::{Etcd, WatchCache};

use crate::config::Config;
use crate::errors::from_storage;
use crate::metrics::Metrics;
use crate::object::StoredObject;
use crate::registry::StorageLayout;
use crate::services::ServiceAllocators;

pub struct Api {
    pub etcd: Etcd,
    pub cache: Arc<WatchCache<StoredObject>>,
    pub layout: Arc<StorageLayout>,
    pub config: Arc<Config>,
    pub metrics: Arc<Metrics>,
    pub services: Arc<ServiceAllocators>,
}

/// How long a read waits for the watch cache to catch up before giving up (as upstream).
pub const CACHE_WAIT: Duration = Duration::from_secs(3);

impl Api {
    pub fn subject(res: &ResourceInfo, name: &str) -> Subject {
        Subject::new(res.group, res.plural, name)
    }

    /// Reads one object straight from etcd (a consistent read).
    pub async fn read(
        &self,
        res: &'static ResourceInfo,
        namespace: &str,
        name: &str,
    ) -> ApiResult<Option<StoredObject>> {
        let key = self.layout.key(res, namespace, name);
        let (kv, _) = self.etcd.get(&key).await.map_err(|e| from_storage(e, &Api::subject(res, name)))?;
        match kv {
            None => Ok(None),
            Some(kv) => {
                let stored = self.stored_resource(res);
                StoredObject::decode(stored, &kv.value, kv.mod_revision).map(Some).map_err(ApiError::internal)
            }
        }
    }

    /// Work that follows an object's removal from etcd (releasing what it held).
    pub async fn deleted(&self, res: &ResourceInfo, obj: &serde_json::Value) {
        if res.group.is_empty() && res.plural == "services" {
            self.services.release(&self.etcd, obj).await;
        }
    }

    /// The resource entry objects of `res` are stored as.
    pub fn stored_resource(&self, res: &'static ResourceInfo) -> &'static ResourceInfo {
        self.layout.stored(self.layout.id_of(res)).unwrap_or(res)
    }

    /// Whether a namespace exists (and, if so, whether it is terminating), consulting
    /// the cache first and etcd when the cache has not seen it yet.
    pub async fn namespace_state(&self, namespace: &str) -> ApiResult<Option<bool>> {
        let ns_res = apimachinery::resource::lookup("", "v1", "namespaces")
            .ok_or_else(|| ApiError::internal("no namespaces resource"))?;
        let key = self.layout.key(ns_res, "", namespace);
        let (cached, _) = self.cache.get(self.layout.id_of(ns_res), &key);
        let terminating = |ns: &StoredObject| ns.field("status.phase") == Some("Terminating");
        Ok(match cached {
            Some(ns) => Some(terminating(&ns)),
            None => self.read(ns_res, "", namespace).await?.map(|ns| terminating(&ns)),
        })
    }
}
