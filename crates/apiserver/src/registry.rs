//! Which etcd prefix each served resource lives under, and the keys of its objects.
//!
//! Several served resources can share one storage prefix (autoscaling v1 and v2 HPAs;
//! core and events.k8s.io Events). The watch cache keeps one entry per storage prefix,
//! holding objects in their storage version.

use apimachinery::resource::{ResourceInfo, RESOURCES};
use storage::ResourceId;

/// The storage side of the resource table.
pub struct StorageLayout {
    root: String,
    /// One entry per distinct etcd prefix, holding the resource stored there.
    stored: Vec<&'static ResourceInfo>,
}

impl StorageLayout {
    /// `etcd_prefix` is `--etcd-prefix` (default `/registry`).
    pub fn new(etcd_prefix: &str) -> StorageLayout {
        let root = format!("/{}/", etcd_prefix.trim_matches('/'));
        let mut stored: Vec<&'static ResourceInfo> = Vec::new();
        for r in RESOURCES {
            if r.plural == "bindings" {
                continue; // bindings are never stored: they act on pods
            }
            if !stored.iter().any(|s| s.etcd_prefix == r.etcd_prefix) {
                // The storage-version entry of a shared prefix is the one without conversion.
                let owner =
                    RESOURCES.iter().find(|o| o.etcd_prefix == r.etcd_prefix && !o.needs_conversion()).unwrap_or(r);
                stored.push(owner);
            }
        }
        StorageLayout { root, stored }
    }

    /// `/registry/` (with slashes).
    pub fn root(&self) -> &str {
        &self.root
    }

    /// Full key prefixes, indexed by storage resource id, for the watch cache.
    pub fn prefixes(&self) -> Vec<String> {
        self.stored.iter().map(|r| format!("{}{}/", self.root, r.etcd_prefix)).collect()
    }

    pub fn id_of(&self, res: &ResourceInfo) -> ResourceId {
        self.stored.iter().position(|s| s.etcd_prefix == res.etcd_prefix).unwrap_or(usize::MAX)
    }

    /// The resource as stored (its storage group/version/kind).
    pub fn stored(&self, id: ResourceId) -> Option<&'static ResourceInfo> {
        self.stored.get(id).copied()
    }

    /// `/registry/pods/` or `/registry/pods/<ns>/`: where a list of `res` in `namespace` reads.
    pub fn list_prefix(&self, res: &ResourceInfo, namespace: &str) -> String {
        if res.namespaced && !namespace.is_empty() {
            format!("{}{}/{}/", self.root, res.etcd_prefix, namespace)
        } else {
            format!("{}{}/", self.root, res.etcd_prefix)
        }
    }

    /// The key of one object.
    pub fn key(&self, res: &ResourceInfo, namespace: &str, name: &str) -> String {
        if res.namespaced {
            format!("{}{}/{}/{}", self.root, res.etcd_prefix, namespace, name)
        } else {
            format!("{}{}/{}", self.root, res.etcd_prefix, name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use apimachinery::resource::lookup;

    #[test]
    fn shared_prefixes_are_cached_once_under_the_storage_version() {
        let layout = StorageLayout::new("/registry");
        let v1 = lookup("autoscaling", "v1", "horizontalpodautoscalers").expect("hpa v1");
        let v2 = lookup("autoscaling", "v2", "horizontalpodautoscalers").expect("hpa v2");
        assert_eq!(layout.id_of(v1), layout.id_of(v2));
        assert_eq!(layout.stored(layout.id_of(v1)).map(|r| r.version), Some("v2"));
        let events = lookup("events.k8s.io", "v1", "events").expect("events");
        assert_eq!(layout.stored(layout.id_of(events)).map(|r| r.group), Some(""));
        let prefixes = layout.prefixes();
        let unique: std::collections::BTreeSet<_> = prefixes.iter().collect();
        assert_eq!(unique.len(), prefixes.len());
    }

    #[test]
    fn keys_follow_upstreams_layout() {
        let layout = StorageLayout::new("registry");
        let svc = lookup("", "v1", "services").expect("services");
        assert_eq!(layout.key(svc, "default", "kubernetes"), "/registry/services/specs/default/kubernetes");
        let node = lookup("", "v1", "nodes").expect("nodes");
        assert_eq!(layout.key(node, "", "n1"), "/registry/minions/n1");
        assert_eq!(layout.list_prefix(svc, ""), "/registry/services/specs/");
    }
}
