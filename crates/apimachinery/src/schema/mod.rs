//! The served API types as data: definition names, JSON names, protobuf tags and the
//! list/map/struct markers of every struct reachable from a served kind.
//!
//! The table is generated from the upstream Go types by `hack/gen-api-schema.py` (run it
//! again, with the upstream git mirrors at hand, when moving to another Kubernetes
//! version) and embedded at build time; the JSON helpers here and the protobuf transcoder
//! both walk it, so neither has per-type code.

mod duplicates;
mod json;
mod shapes;
pub mod values;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use serde::Deserialize;

pub use duplicates::duplicate_fields;
pub(crate) use json::{canonical_text, is_empty, zero_value};
pub use json::{fill_defaults, normalize, strict_decoding_findings, strict_decoding_message, unknown_fields};
pub use shapes::shape_mismatch;

/// How a field's value is represented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueType {
    String,
    Bool,
    Int32,
    Int64,
    Double,
    /// Go `[]byte`: base64 in JSON, `bytes` on the wire.
    Bytes,
    /// `metav1.Time`: RFC 3339 seconds in JSON, `Timestamp` on the wire.
    Time,
    /// `metav1.MicroTime`: RFC 3339 with microseconds in JSON, `Timestamp` on the wire.
    MicroTime,
    /// `metav1.Duration`: Go duration text in JSON, nanoseconds on the wire.
    Duration,
    /// `resource.Quantity`: a string in JSON and on the wire.
    Quantity,
    /// `intstr.IntOrString`: a JSON number or string.
    IntOrString,
    /// `runtime.RawExtension`: any embedded JSON value.
    RawExtension,
    /// `metav1.FieldsV1`: a free-form JSON object.
    FieldsV1,
    /// A struct, or a slice-wrapper message, by definition name.
    Message(String),
}

impl ValueType {
    fn parse(s: &str) -> ValueType {
        match s {
            "string" => ValueType::String,
            "bool" => ValueType::Bool,
            "int32" => ValueType::Int32,
            "int64" => ValueType::Int64,
            "double" => ValueType::Double,
            "bytes" => ValueType::Bytes,
            "Time" => ValueType::Time,
            "MicroTime" => ValueType::MicroTime,
            "Duration" => ValueType::Duration,
            "Quantity" => ValueType::Quantity,
            "IntOrString" => ValueType::IntOrString,
            "RawExtension" => ValueType::RawExtension,
            "FieldsV1" => ValueType::FieldsV1,
            other => ValueType::Message(other.to_string()),
        }
    }

    /// The definition name of a struct-valued type.
    pub fn message(&self) -> Option<&str> {
        match self {
            ValueType::Message(name) => Some(name),
            _ => None,
        }
    }
}

/// One field of a struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDef {
    /// The JSON name; empty for an inline embedding, `-` for a field JSON never shows.
    pub json_name: String,
    /// The protobuf field number; 0 for `kind`/`apiVersion`, which protobuf carries in the envelope.
    pub tag: u32,
    /// The element type for lists and the value type for maps.
    pub value: ValueType,
    pub repeated: bool,
    /// The key type of a map field (a string in every served type).
    pub map_key: Option<ValueType>,
    /// Go `*T`: present only when set, kept even when zero.
    pub pointer: bool,
    pub omitempty: bool,
    /// Go `json:",inline"`: JSON merges its fields into the parent, protobuf keeps a sub-message.
    pub inline: bool,
    pub optional: bool,
    pub patch_strategy: Option<String>,
    pub patch_merge_key: Option<String>,
    pub list_type: Option<String>,
    pub list_map_keys: Vec<String>,
    pub map_type: Option<String>,
    pub struct_type: Option<String>,
}

impl FieldDef {
    pub fn is_map(&self) -> bool {
        self.map_key.is_some()
    }

    /// Shown in JSON under its own name (not inline, not hidden).
    pub fn in_json(&self) -> bool {
        !self.inline && self.json_name != "-"
    }

    fn type_meta(name: &str) -> FieldDef {
        FieldDef {
            json_name: name.to_string(),
            tag: 0,
            value: ValueType::String,
            repeated: false,
            map_key: None,
            pointer: false,
            omitempty: true,
            inline: false,
            optional: true,
            patch_strategy: None,
            patch_merge_key: None,
            list_type: None,
            list_map_keys: Vec::new(),
            map_type: None,
            struct_type: None,
        }
    }
}

/// A struct (or a slice-wrapper message such as `ExtraValue`).
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// OpenAPI-style definition name, e.g. `io.k8s.api.core.v1.PodSpec`.
    pub name: String,
    /// Embeds `metav1.TypeMeta`, so JSON carries `kind` and `apiVersion`.
    pub type_meta: bool,
    /// Fields in Go declaration order, inline embeddings as single fields (the protobuf view).
    pub fields: Vec<FieldDef>,
    /// Set for a named slice carried as a message with `repeated items = 1`.
    pub items: Option<ValueType>,
    pub list_type: Option<String>,
    pub map_type: Option<String>,
    pub struct_type: Option<String>,
    /// The JSON view: TypeMeta and inline embeddings expanded, in Go output order.
    json_fields: Vec<FieldDef>,
    json_index: NameMap<usize>,
    /// Field position by protobuf number (numbers are small and dense).
    tag_index: Vec<Option<usize>>,
    short_start: usize,
    tag_order: Vec<usize>,
}

impl TypeDef {
    /// The field JSON calls `json_name`, looking through TypeMeta and inline embeddings.
    pub fn field(&self, json_name: &str) -> Option<&FieldDef> {
        self.json_index.get(json_name).map(|&i| &self.json_fields[i])
    }

    /// Every JSON-visible field in the order Go writes them.
    pub fn json_fields(&self) -> &[FieldDef] {
        &self.json_fields
    }

    /// The field with protobuf number `tag` (inline embeddings are fields of their own here).
    pub fn field_by_tag(&self, tag: u32) -> Option<&FieldDef> {
        self.position_of_tag(tag).map(|i| &self.fields[i])
    }

    /// The position in [`TypeDef::fields`] of the field with protobuf number `tag`.
    pub fn position_of_tag(&self, tag: u32) -> Option<usize> {
        self.tag_index.get(tag as usize).copied().flatten()
    }

    /// Fields in ascending tag order, the order protobuf writes them.
    pub fn fields_by_tag(&self) -> impl Iterator<Item = &FieldDef> {
        self.tag_order.iter().map(|&i| &self.fields[i])
    }

    /// The short Go name (`PodSpec`), as upstream's protobuf errors name types.
    pub fn short_name(&self) -> &str {
        &self.name[self.short_start..]
    }
}

/// The whole table.
#[derive(Debug)]
pub struct Schema {
    types: NameMap<TypeDef>,
    /// apiVersion -> kind -> definition name.
    kinds: HashMap<String, HashMap<String, String>>,
    /// Kinds every group version understands (`Status`, `APIGroup`, ...), served as `v1`.
    unversioned: HashMap<String, String>,
}

impl Schema {
    /// The type of `kind` at `group`/`version`, falling back to the unversioned meta kinds
    /// the way upstream's scheme does.
    pub fn kind(&self, group: &str, version: &str, kind: &str) -> Option<&TypeDef> {
        self.kind_for_api_version(&crate::resource::api_version(group, version), kind)
    }

    /// Like [`Schema::kind`], keyed by `apiVersion` (`v1`, `apps/v1`).
    pub fn kind_for_api_version(&self, api_version: &str, kind: &str) -> Option<&TypeDef> {
        let name =
            self.kinds.get(api_version).and_then(|kinds| kinds.get(kind)).or_else(|| self.unversioned.get(kind))?;
        self.types.get(name)
    }

    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// Every (apiVersion, kind) pair with its type, unversioned kinds under `v1`.
    pub fn kinds(&self) -> Vec<(&str, &str, &TypeDef)> {
        let mut out = Vec::new();
        for (api_version, kinds) in &self.kinds {
            for (kind, name) in kinds {
                if let Some(t) = self.types.get(name) {
                    out.push((api_version.as_str(), kind.as_str(), t));
                }
            }
        }
        for (kind, name) in &self.unversioned {
            if let Some(t) = self.types.get(name) {
                out.push(("v1", kind.as_str(), t));
            }
        }
        out.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        out
    }
}

/// The embedded table, parsed on first use.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| load(include_str!("api-schema.json")).expect("embedded api-schema.json is consistent"))
}

/// Maps keyed by type and field names, looked up on every (de)coded value: FNV-1a is much
/// cheaper than SipHash for these short trusted keys.
type NameMap<V> = HashMap<String, V, BuildHasherDefault<Fnv>>;

#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

#[derive(Deserialize)]
struct RawSchema {
    kinds: HashMap<String, HashMap<String, String>>,
    unversioned: HashMap<String, String>,
    types: HashMap<String, RawType>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawType {
    #[serde(default)]
    type_meta: bool,
    #[serde(default)]
    fields: Vec<RawField>,
    items: Option<String>,
    list_type: Option<String>,
    map_type: Option<String>,
    struct_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawField {
    name: String,
    tag: u32,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    repeated: bool,
    /// The key type of a map field.
    map: Option<String>,
    #[serde(default)]
    pointer: bool,
    #[serde(default)]
    omitempty: bool,
    #[serde(default)]
    inline: bool,
    #[serde(default)]
    optional: bool,
    patch_strategy: Option<String>,
    patch_merge_key: Option<String>,
    list_type: Option<String>,
    #[serde(default)]
    list_map_keys: Vec<String>,
    map_type: Option<String>,
    struct_type: Option<String>,
}

impl RawField {
    fn to_def(&self) -> FieldDef {
        FieldDef {
            json_name: self.name.clone(),
            tag: self.tag,
            value: ValueType::parse(&self.ty),
            repeated: self.repeated,
            map_key: self.map.as_deref().map(ValueType::parse),
            pointer: self.pointer,
            omitempty: self.omitempty,
            inline: self.inline,
            optional: self.optional,
            patch_strategy: self.patch_strategy.clone(),
            patch_merge_key: self.patch_merge_key.clone(),
            list_type: self.list_type.clone(),
            list_map_keys: self.list_map_keys.clone(),
            map_type: self.map_type.clone(),
            struct_type: self.struct_type.clone(),
        }
    }
}

fn load(text: &str) -> Result<Schema, String> {
    let raw: RawSchema = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut types = NameMap::default();
    for (name, rt) in &raw.types {
        let fields: Vec<FieldDef> = rt.fields.iter().map(RawField::to_def).collect();
        let mut json_fields = Vec::new();
        if rt.type_meta {
            json_fields.push(FieldDef::type_meta("kind"));
            json_fields.push(FieldDef::type_meta("apiVersion"));
        }
        expand_json_fields(&raw, &fields, &mut json_fields, 0)?;
        let json_index = json_fields.iter().enumerate().map(|(i, f)| (f.json_name.clone(), i)).collect();
        let max_tag = fields.iter().map(|f| f.tag as usize).max().unwrap_or(0);
        if max_tag > 10_000 {
            return Err(format!("{name}: field number {max_tag} is implausibly large"));
        }
        let mut tag_index = vec![None; max_tag + 1];
        for (i, f) in fields.iter().enumerate() {
            tag_index[f.tag as usize] = Some(i);
        }
        let mut tag_order: Vec<usize> = (0..fields.len()).collect();
        tag_order.sort_by_key(|&i| fields[i].tag);
        types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                type_meta: rt.type_meta,
                fields,
                items: rt.items.as_deref().map(ValueType::parse),
                list_type: rt.list_type.clone(),
                map_type: rt.map_type.clone(),
                struct_type: rt.struct_type.clone(),
                json_fields,
                json_index,
                tag_index,
                short_start: name.rfind('.').map_or(0, |i| i + 1),
                tag_order,
            },
        );
    }
    for t in types.values() {
        let referenced = t.fields.iter().map(|f| &f.value).chain(t.items.iter());
        for name in referenced.filter_map(ValueType::message) {
            if !types.contains_key(name) {
                return Err(format!("{} refers to unknown type {name}", t.name));
            }
        }
    }
    Ok(Schema { types, kinds: raw.kinds, unversioned: raw.unversioned })
}

/// Appends the JSON-visible fields of `fields`, splicing inline embeddings in place.
fn expand_json_fields(
    raw: &RawSchema,
    fields: &[FieldDef],
    out: &mut Vec<FieldDef>,
    depth: usize,
) -> Result<(), String> {
    if depth > 8 {
        return Err("inline embeddings nest too deeply".into());
    }
    for f in fields {
        if f.inline {
            let name = f.value.message().ok_or("inline field without a struct type")?;
            let inner = raw.types.get(name).ok_or_else(|| format!("unknown inline type {name}"))?;
            let inner_fields: Vec<FieldDef> = inner.fields.iter().map(RawField::to_def).collect();
            expand_json_fields(raw, &inner_fields, out, depth + 1)?;
        } else if f.in_json() {
            out.push(f.clone());
        }
    }
    Ok(())
}
