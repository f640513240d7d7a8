//! The cached form of a stored object: its JSON as served (resourceVersion filled in),
//! plus what LIST and WATCH filter on, so filtering never re-parses the object.

use std::sync::Arc;

use apimachinery::resource::ResourceInfo;
use apimachinery::{meta, splice};
use bytes::Bytes;
use serde_json::Value;
use storage::{Decoder, ResourceId};

use crate::fields;
use crate::registry::StorageLayout;

#[derive(Debug, Clone)]
pub struct StoredObject {
    pub namespace: Box<str>,
    pub name: Box<str>,
    pub uid: Box<str>,
    /// etcd mod revision = metadata.resourceVersion.
    pub revision: i64,
    /// The object in its storage version, as JSON with `metadata.resourceVersion` set.
    pub json: Bytes,
    /// `metadata.labels`, sorted by key.
    pub labels: Box<[(Box<str>, Box<str>)]>,
    /// Values of the resource's selectable fields (besides name and namespace).
    pub fields: Box<[(&'static str, Box<str>)]>,
}

impl StoredObject {
    /// The cached form of `value`, whose serialization with its resourceVersion is `json`.
    fn build(res: &ResourceInfo, value: &Value, json: Bytes, revision: i64) -> StoredObject {
        let mut labels: Vec<(Box<str>, Box<str>)> = meta::labels(value)
            .map(|m| m.iter().map(|(k, v)| (k.as_str().into(), v.as_str().unwrap_or("").into())).collect())
            .unwrap_or_default();
        labels.sort();
        StoredObject {
            namespace: meta::namespace(value).into(),
            name: meta::name(value).into(),
            uid: meta::uid(value).into(),
            revision,
            fields: fields::selectable_values(res, value).into_boxed_slice(),
            labels: labels.into_boxed_slice(),
            json,
        }
    }

    /// Builds the cached form from an object value (whose resourceVersion is set here).
    pub fn from_value(res: &ResourceInfo, mut value: Value, revision: i64) -> Result<StoredObject, String> {
        if !value.is_object() {
            return Err("stored value is not a JSON object".into());
        }
        meta::set_meta(&mut value, "resourceVersion", Value::String(revision.to_string()));
        let json = Bytes::from(serde_json::to_vec(&value).map_err(|e| e.to_string())?);
        Ok(StoredObject::build(res, &value, json, revision))
    }

    /// An object that was never stored (a dry-run create): it has no resourceVersion.
    pub fn unstored(res: &ResourceInfo, mut value: Value) -> Result<StoredObject, String> {
        meta::remove_meta(&mut value, "resourceVersion");
        let json = Bytes::from(serde_json::to_vec(&value).map_err(|e| e.to_string())?);
        Ok(StoredObject::build(res, &value, json, 0))
    }

    /// The cached form of an object just written as `raw` (its stored bytes, without a
    /// resourceVersion) at `revision`: the bytes are reused, not re-encoded.
    pub fn from_written(res: &ResourceInfo, value: &Value, raw: &[u8], revision: i64) -> Result<StoredObject, String> {
        match splice::set_resource_version(raw, revision) {
            Some(json) => Ok(StoredObject::build(res, value, Bytes::from(json), revision)),
            None => StoredObject::from_value(res, value.clone(), revision),
        }
    }

    /// Decodes bytes read from etcd: parsed once for what filtering needs, while the
    /// served bytes are the stored ones with the resourceVersion spliced in.
    pub fn decode(res: &ResourceInfo, raw: &[u8], revision: i64) -> Result<StoredObject, String> {
        let value: Value = serde_json::from_slice(raw).map_err(|e| format!("invalid JSON in etcd: {e}"))?;
        if !value.is_object() {
            return Err("stored value is not a JSON object".into());
        }
        StoredObject::from_written(res, &value, raw, revision)
    }

    /// The object as a JSON value (parsed on demand; the cache keeps only bytes).
    pub fn value(&self) -> Value {
        serde_json::from_slice(&self.json).unwrap_or(Value::Null)
    }

    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels.binary_search_by(|(k, _)| (**k).cmp(key)).ok().map(|i| &*self.labels[i].1)
    }

    /// The value of a selectable field, as upstream's GetAttrs reports it.
    pub fn field(&self, field: &str) -> Option<&str> {
        match field {
            "metadata.name" => Some(&self.name),
            "metadata.namespace" => Some(&self.namespace),
            _ => self.fields.iter().find(|(f, _)| *f == field).map(|(_, v)| &**v),
        }
    }
}

/// Decodes etcd values for the watch cache.
pub struct ObjectDecoder {
    pub layout: Arc<StorageLayout>,
}

impl Decoder<StoredObject> for ObjectDecoder {
    fn decode(&self, resource: ResourceId, _key: &str, value: &[u8], revision: i64) -> Result<StoredObject, String> {
        let res = self.layout.stored(resource).ok_or("unknown resource")?;
        StoredObject::decode(res, value, revision)
    }

    fn at_revision(&self, resource: ResourceId, item: &StoredObject, revision: i64) -> StoredObject {
        match self.layout.stored(resource) {
            Some(res) => StoredObject::from_value(res, item.value(), revision).unwrap_or_else(|_| item.clone()),
            None => item.clone(),
        }
    }
}
