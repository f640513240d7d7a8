//! OpenAPI v2 and v3 documents generated from the resource and schema tables.
//!
//! kubectl reads these to validate (`create -f`/`apply -f` send `fieldValidation=Strict`
//! only when the PATCH operation of the kind lists that parameter), to `explain` fields,
//! and to plan strategic merge patches in client-side `apply`.
//!
//! Every document is generated once, on first use, and kept as serialized bytes with its
//! content hash, so serving never serializes again:
//!
//! - [`v3_index`]: `/openapi/v3`, `{"paths": {"api/v1": {"serverRelativeURL": ...}}}`;
//! - [`v3_document`]: `/openapi/v3/api/v1`, `/openapi/v3/apis/apps/v1`, ...;
//! - [`v2_json`] and [`v2_protobuf`]: `/openapi/v2` as Swagger JSON or gnostic protobuf.

mod descriptions;
mod model;
mod paths;
mod schemas;
mod v2;
mod v2_proto;
mod v3;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha512};

use crate::resource::GROUPS;

/// The `info.version` of every document.
pub(crate) const SERVED_VERSION: &str = "unversioned";

/// The media type of the v2 protobuf document.
pub const V2_PROTOBUF: &str = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
/// The dotted spelling of [`V2_PROTOBUF`]: older clients send it, and responses carry it
/// because Go's MIME parser rejects the `@`.
pub const V2_PROTOBUF_LEGACY: &str = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
/// The media type of v3 documents in protobuf, which no kubectl asks for.
pub const V3_PROTOBUF: &str = "application/com.github.proto-openapi.spec.v3@v1.0+protobuf";

/// One serialized document.
#[derive(Debug)]
pub struct Document {
    bytes: Vec<u8>,
    hash: String,
}

impl Document {
    fn new(bytes: Vec<u8>) -> Document {
        let hash = content_hash(&bytes);
        Document { bytes, hash }
    }

    fn json(value: &Value) -> Document {
        Document::new(serde_json::to_vec(value).unwrap_or_default())
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The upper-case hex SHA-512 of the bytes: the `hash` of v3 URLs and the ETag.
    pub fn hash(&self) -> &str {
        &self.hash
    }
}

/// Upper-case hex SHA-512, as upstream computes OpenAPI ETags.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha512::digest(bytes);
    let mut out = String::with_capacity(digest.len() * 2);
    for b in digest {
        let _ = write!(out, "{b:02X}");
    }
    out
}

/// The v3 index keys of the served group versions: `api/v1`, `apis/apps/v1`, ...
pub fn v3_group_version_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for (group, versions) in GROUPS {
        for version in *versions {
            keys.push(if group.is_empty() { format!("api/{version}") } else { format!("apis/{group}/{version}") });
        }
    }
    keys
}

/// Every v3 key: the group versions plus the discovery roots (`api`, `apis`, `apis/<group>`).
fn v3_keys() -> Vec<String> {
    let mut keys = v3_group_version_keys();
    keys.push("api".into());
    keys.push("apis".into());
    keys.extend(GROUPS.iter().filter(|(g, _)| !g.is_empty()).map(|(g, _)| format!("apis/{g}")));
    keys.sort();
    keys
}

/// Builds the v3 document served under `key`, or `None` for an unknown key.
fn build_v3(key: &str) -> Option<Value> {
    let paths = match key.split('/').collect::<Vec<_>>().as_slice() {
        ["api", version] => {
            if !crate::resource::serves_version("", version) {
                return None;
            }
            paths::group_version_paths("", version)
        }
        ["apis", group, version] => {
            if group.is_empty() || !crate::resource::serves_version(group, version) {
                return None;
            }
            paths::group_version_paths(group, version)
        }
        _ => paths::discovery_paths(key)?,
    };
    Some(v3::document(&paths))
}

struct V3Set {
    docs: BTreeMap<String, Document>,
    index: Document,
}

fn v3_set() -> &'static V3Set {
    static SET: OnceLock<V3Set> = OnceLock::new();
    SET.get_or_init(|| {
        let mut docs = BTreeMap::new();
        for key in v3_keys() {
            if let Some(doc) = build_v3(&key) {
                docs.insert(key, Document::json(&doc));
            }
        }
        let paths: Map<String, Value> = docs
            .iter()
            .map(|(key, doc)| (key.clone(), json!({ "serverRelativeURL": server_relative_url(key, doc.hash()) })))
            .collect();
        let index = Document::json(&json!({ "paths": paths }));
        V3Set { docs, index }
    })
}

/// `/openapi/v3/<key>?hash=<hash>`: the URL the index lists and stale hashes redirect to.
pub fn server_relative_url(key: &str, hash: &str) -> String {
    format!("/openapi/v3/{key}?hash={hash}")
}

/// The `/openapi/v3` index.
pub fn v3_index() -> &'static Document {
    &v3_set().index
}

/// The v3 document under `key` (`api/v1`, `apis/apps/v1`, `apis/apps`, `api`, `apis`).
pub fn v3_document(key: &str) -> Option<&'static Document> {
    v3_set().docs.get(key.trim_matches('/'))
}

/// `/openapi/v2` as Swagger JSON.
pub fn v2_json() -> &'static Document {
    &v2_set().0
}

/// `/openapi/v2` in the gnostic protobuf encoding.
pub fn v2_protobuf() -> &'static Document {
    &v2_set().1
}

/// Both v2 encodings, from one generation of the document.
fn v2_set() -> &'static (Document, Document) {
    static SET: OnceLock<(Document, Document)> = OnceLock::new();
    SET.get_or_init(|| {
        let doc = v2::document();
        (Document::json(&doc), Document::new(v2_proto::encode_document(&doc)))
    })
}

/// Generates every document now rather than on the first request (which otherwise pays
/// for it); meant to be called once at start-up, off the request path.
pub fn generate_all() {
    let _ = v3_index();
    let _ = v2_json();
}
