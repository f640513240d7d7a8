//! The v2 document in the gnostic `openapi.v2.Document` protobuf encoding, which kubectl
//! asks for (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`) to plan
//! patches and check `fieldValidation` support.
//!
//! A small hand-written encoder walks the Swagger JSON and writes the message fields by
//! number. Values of free-form fields (vendor extensions, defaults, enums) are carried as
//! YAML text; JSON is valid YAML, so they are written as compact JSON.

use serde_json::{Map, Value};

/// Encodes a Swagger 2.0 JSON document.
pub(crate) fn encode_document(doc: &Value) -> Vec<u8> {
    let mut w = Writer::default();
    let Some(doc) = doc.as_object() else {
        return w.0;
    };
    w.string(1, str_of(doc, "swagger"));
    if let Some(info) = doc.get("info").and_then(Value::as_object) {
        w.message(2, |w| {
            w.string(1, str_of(info, "title"));
            w.string(2, str_of(info, "version"));
            w.string(3, str_of(info, "description"));
            extensions(w, 7, info);
        });
    }
    w.string(3, str_of(doc, "host"));
    w.string(4, str_of(doc, "basePath"));
    w.strings(5, doc.get("schemes"));
    w.strings(6, doc.get("consumes"));
    w.strings(7, doc.get("produces"));
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        w.message(8, |w| {
            extensions(w, 1, paths);
            for (name, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
                w.message(2, |w| {
                    w.string(1, name);
                    w.message(2, |w| path_item(w, item));
                });
            }
        });
    }
    if let Some(defs) = doc.get("definitions").and_then(Value::as_object) {
        w.message(9, |w| {
            for (name, s) in defs {
                w.message(1, |w| named_schema(w, name, s));
            }
        });
    }
    if let Some(reqs) = doc.get("security").and_then(Value::as_array) {
        for req in reqs.iter().filter_map(Value::as_object) {
            w.message(12, |w| security_requirement(w, req));
        }
    }
    if let Some(defs) = doc.get("securityDefinitions").and_then(Value::as_object) {
        w.message(13, |w| {
            for (name, def) in defs {
                w.message(1, |w| {
                    w.string(1, name);
                    w.message(2, |w| security_definition(w, def));
                });
            }
        });
    }
    extensions(&mut w, 16, doc);
    w.0
}

fn str_of<'a>(m: &'a Map<String, Value>, key: &str) -> &'a str {
    m.get(key).and_then(Value::as_str).unwrap_or("")
}

fn bool_of(m: &Map<String, Value>, key: &str) -> bool {
    m.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Writes every `x-` key of `m` as a `NamedAny` in field `field`.
fn extensions(w: &mut Writer, field: u32, m: &Map<String, Value>) {
    for (name, value) in m.iter().filter(|(k, _)| k.starts_with("x-")) {
        w.message(field, |w| {
            w.string(1, name);
            w.message(2, |w| any(w, value));
        });
    }
}

/// An `Any`: the value as YAML text.
fn any(w: &mut Writer, value: &Value) {
    let text = serde_json::to_string(value).unwrap_or_default();
    w.string(2, &format!("{text}\n"));
}

fn security_requirement(w: &mut Writer, req: &Map<String, Value>) {
    for (name, scopes) in req {
        w.message(1, |w| {
            w.string(1, name);
            w.message(2, |w| w.strings(1, Some(scopes)));
        });
    }
}

fn security_definition(w: &mut Writer, def: &Value) {
    let Some(def) = def.as_object() else {
        return;
    };
    match str_of(def, "type") {
        "apiKey" => w.message(2, |w| {
            w.string(1, "apiKey");
            w.string(2, str_of(def, "name"));
            w.string(3, str_of(def, "in"));
            w.string(4, str_of(def, "description"));
            extensions(w, 5, def);
        }),
        "basic" => w.message(1, |w| {
            w.string(1, "basic");
            w.string(2, str_of(def, "description"));
            extensions(w, 3, def);
        }),
        _ => {}
    }
}

fn path_item(w: &mut Writer, item: &Value) {
    let Some(item) = item.as_object() else {
        return;
    };
    w.string(1, str_of(item, "$ref"));
    for (field, key) in [(2, "get"), (3, "put"), (4, "post"), (5, "delete"), (6, "options"), (7, "head"), (8, "patch")]
    {
        if let Some(op) = item.get(key).and_then(Value::as_object) {
            w.message(field, |w| operation(w, op));
        }
    }
    if let Some(params) = item.get("parameters").and_then(Value::as_array) {
        for p in params {
            w.message(9, |w| parameters_item(w, p));
        }
    }
    extensions(w, 10, item);
}

fn operation(w: &mut Writer, op: &Map<String, Value>) {
    w.strings(1, op.get("tags"));
    w.string(2, str_of(op, "summary"));
    w.string(3, str_of(op, "description"));
    w.string(5, str_of(op, "operationId"));
    w.strings(6, op.get("produces"));
    w.strings(7, op.get("consumes"));
    if let Some(params) = op.get("parameters").and_then(Value::as_array) {
        for p in params {
            w.message(8, |w| parameters_item(w, p));
        }
    }
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        w.message(9, |w| {
            for (code, r) in responses.iter().filter(|(k, _)| !k.starts_with("x-")) {
                w.message(1, |w| {
                    w.string(1, code);
                    w.message(2, |w| response_value(w, r));
                });
            }
            extensions(w, 2, responses);
        });
    }
    w.strings(10, op.get("schemes"));
    w.bool(11, bool_of(op, "deprecated"));
    if let Some(reqs) = op.get("security").and_then(Value::as_array) {
        for req in reqs.iter().filter_map(Value::as_object) {
            w.message(12, |w| security_requirement(w, req));
        }
    }
    extensions(w, 13, op);
}

fn response_value(w: &mut Writer, r: &Value) {
    let Some(r) = r.as_object() else {
        return;
    };
    if let Some(reference) = r.get("$ref").and_then(Value::as_str) {
        w.message(2, |w| w.string(1, reference));
        return;
    }
    w.message(1, |w| {
        w.string(1, str_of(r, "description"));
        if let Some(s) = r.get("schema") {
            w.message(2, |w| w.message(1, |w| schema(w, s)));
        }
        extensions(w, 5, r);
    });
}

fn parameters_item(w: &mut Writer, p: &Value) {
    let Some(p) = p.as_object() else {
        return;
    };
    if let Some(reference) = p.get("$ref").and_then(Value::as_str) {
        w.message(2, |w| {
            w.string(1, reference);
            w.string(2, str_of(p, "description"));
        });
        return;
    }
    w.message(1, |w| match str_of(p, "in") {
        "body" => w.message(1, |w| {
            w.string(1, str_of(p, "description"));
            w.string(2, str_of(p, "name"));
            w.string(3, "body");
            w.bool(4, bool_of(p, "required"));
            if let Some(s) = p.get("schema") {
                w.message(5, |w| schema(w, s));
            }
            extensions(w, 6, p);
        }),
        location => w.message(2, |w| {
            // Header, formData, query and path sub-schemas; query and formData have an
            // extra `allowEmptyValue` field, which shifts the later numbers by one.
            let (field, shifted) = match location {
                "header" => (1, false),
                "formData" => (2, true),
                "path" => (4, false),
                _ => (3, true),
            };
            w.message(field, |w| {
                let at = |n: u32| if shifted { n + 1 } else { n };
                w.bool(1, bool_of(p, "required"));
                w.string(2, location);
                w.string(3, str_of(p, "description"));
                w.string(4, str_of(p, "name"));
                if shifted {
                    w.bool(5, bool_of(p, "allowEmptyValue"));
                }
                w.string(at(5), str_of(p, "type"));
                w.string(at(6), str_of(p, "format"));
                w.string(at(8), str_of(p, "collectionFormat"));
                if let Some(d) = p.get("default") {
                    w.message(at(9), |w| any(w, d));
                }
                w.bool(at(19), bool_of(p, "uniqueItems"));
                if let Some(values) = p.get("enum").and_then(Value::as_array) {
                    for v in values {
                        w.message(at(20), |w| any(w, v));
                    }
                }
                extensions(w, at(22), p);
            });
        }),
    });
}

fn named_schema(w: &mut Writer, name: &str, s: &Value) {
    w.string(1, name);
    w.message(2, |w| schema(w, s));
}

fn schema(w: &mut Writer, s: &Value) {
    let Some(s) = s.as_object() else {
        return;
    };
    w.string(1, str_of(s, "$ref"));
    w.string(2, str_of(s, "format"));
    w.string(3, str_of(s, "title"));
    w.string(4, str_of(s, "description"));
    if let Some(d) = s.get("default") {
        w.message(5, |w| any(w, d));
    }
    w.bool(16, bool_of(s, "uniqueItems"));
    w.strings(19, s.get("required"));
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        for v in values {
            w.message(20, |w| any(w, v));
        }
    }
    match s.get("additionalProperties") {
        Some(Value::Bool(b)) => w.message(21, |w| w.bool_always(2, *b)),
        Some(sub @ Value::Object(_)) => w.message(21, |w| w.message(1, |w| schema(w, sub))),
        _ => {}
    }
    match s.get("type") {
        Some(Value::String(t)) => w.message(22, |w| w.string(1, t)),
        Some(types @ Value::Array(_)) => w.message(22, |w| w.strings(1, Some(types))),
        _ => {}
    }
    match s.get("items") {
        Some(sub @ Value::Object(_)) => w.message(23, |w| w.message(1, |w| schema(w, sub))),
        Some(Value::Array(subs)) => w.message(23, |w| {
            for sub in subs {
                w.message(1, |w| schema(w, sub));
            }
        }),
        _ => {}
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        for sub in all {
            w.message(24, |w| schema(w, sub));
        }
    }
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        w.message(25, |w| {
            for (name, sub) in props {
                w.message(1, |w| named_schema(w, name, sub));
            }
        });
    }
    w.bool(27, bool_of(s, "readOnly"));
    if let Some(example) = s.get("example") {
        w.message(30, |w| any(w, example));
    }
    extensions(w, 31, s);
}

/// Protobuf wire-format output.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn key(&mut self, field: u32, wire: u8) {
        self.varint((u64::from(field) << 3) | u64::from(wire));
    }

    fn bytes(&mut self, field: u32, b: &[u8]) {
        self.key(field, 2);
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    /// A proto3 string: omitted when empty.
    fn string(&mut self, field: u32, s: &str) {
        if !s.is_empty() {
            self.bytes(field, s.as_bytes());
        }
    }

    /// Each string of a JSON array as a repeated string field.
    fn strings(&mut self, field: u32, values: Option<&Value>) {
        for s in values.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            self.bytes(field, s.as_bytes());
        }
    }

    /// A proto3 bool: omitted when false.
    fn bool(&mut self, field: u32, b: bool) {
        if b {
            self.bool_always(field, b);
        }
    }

    /// A bool inside a `oneof`, where presence matters.
    fn bool_always(&mut self, field: u32, b: bool) {
        self.key(field, 0);
        self.varint(u64::from(b));
    }

    /// A sub-message, written even when empty (its presence is meaningful).
    fn message(&mut self, field: u32, build: impl FnOnce(&mut Writer)) {
        let mut inner = Writer::default();
        build(&mut inner);
        self.bytes(field, &inner.0);
    }
}
