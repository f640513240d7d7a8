//! Decoding request bodies into objects and checking they are what the URL says.

use apimachinery::meta;
use apimachinery::resource::{api_version, ResourceInfo};
use apimachinery::{ApiError, ApiResult};
use serde_json::Value;

use crate::negotiate::Encoding;

/// Parses a body in the given encoding into a JSON object.
pub fn decode(body: &[u8], encoding: Encoding) -> ApiResult<Value> {
    let value = match encoding {
        Encoding::Json => parse_json(body)?,
        Encoding::Yaml => parse_yaml(body)?,
        Encoding::Protobuf => apimachinery::protobuf::decode(body)?,
    };
    if !value.is_object() {
        return Err(ApiError::bad_request("the body of the request must be a JSON object"));
    }
    Ok(value)
}

pub fn parse_json(body: &[u8]) -> ApiResult<Value> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("couldn't get version/kind; json parse error: {e}")))
}

pub fn parse_yaml(body: &[u8]) -> ApiResult<Value> {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::bad_request("the YAML body is not valid UTF-8"))?;
    serde_yaml::from_str::<Value>(text)
        .map_err(|e| ApiError::bad_request(format!("error converting YAML to JSON: yaml: {e}")))
}

/// Fills a missing apiVersion/kind from the URL and refuses a body of another type.
pub fn check_type(obj: &mut Value, group: &str, version: &str, kind: &str) -> ApiResult<()> {
    let expected_version = api_version(group, version);
    let (body_version, body_kind) = meta::type_meta(obj);
    if !body_version.is_empty() && body_version != expected_version {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({body_version}) does not match the expected API version ({expected_version})"
        )));
    }
    if !body_kind.is_empty() && body_kind != kind {
        return Err(ApiError::bad_request(format!(
            "the kind in the data ({body_kind}) does not match the expected kind ({kind})"
        )));
    }
    meta::set_type_meta(obj, &expected_version, kind);
    Ok(())
}

/// The namespace rules of a write: a namespaced object takes the URL's namespace (and
/// may not name another); a cluster-scoped one has none.
pub fn check_namespace(obj: &mut Value, res: &ResourceInfo, url_namespace: &str) -> ApiResult<()> {
    if !res.namespaced {
        if !meta::namespace(obj).is_empty() {
            meta::remove_meta(obj, "namespace");
        }
        return Ok(());
    }
    let body_ns = meta::namespace(obj);
    if body_ns.is_empty() {
        meta::set_meta(obj, "namespace", Value::String(url_namespace.to_string()));
    } else if body_ns != url_namespace {
        return Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        ));
    }
    Ok(())
}

/// Applies `fieldValidation` to a create/update body: Strict refuses unknown fields (and,
/// given the JSON body the object came from, repeated ones) as the decode error upstream
/// reports, Warn returns them as warnings, Ignore drops them. Then shapes the object as a
/// Go decode/encode round trip would.
pub fn validate_fields(
    obj: &mut Value,
    json_body: Option<&[u8]>,
    group: &str,
    version: &str,
    kind: &str,
    mode: &str,
) -> ApiResult<Vec<String>> {
    let mode = field_validation_mode(mode)?;
    check_shapes(obj, group, version, kind)?;
    let findings = match mode {
        "Ignore" => Vec::new(),
        _ => {
            let repeated = json_body.map(apimachinery::schema::duplicate_fields).unwrap_or_default();
            strict_findings(obj, &repeated, group, version, kind)
        }
    };
    if mode == "Strict" && !findings.is_empty() {
        let detail = apimachinery::schema::strict_decoding_message(&findings);
        return Err(ApiError::undecodable(kind, version, &detail));
    }
    shape_like_go(obj, group, version, kind);
    Ok(findings)
}

/// Refuses a body with a struct, list or map where the Go type has none, as Go's decoder
/// does before anything else runs (whatever `fieldValidation` says).
pub fn check_shapes(obj: &Value, group: &str, version: &str, kind: &str) -> ApiResult<()> {
    match apimachinery::schema::shape_mismatch(group, version, kind, obj) {
        Some(detail) => Err(ApiError::undecodable(kind, version, &detail)),
        None => Ok(()),
    }
}

/// What a Go decode/encode round trip would leave: unknown fields gone, omitted zero
/// values dropped, and the structs Go always prints present.
pub fn shape_like_go(obj: &mut Value, group: &str, version: &str, kind: &str) {
    apimachinery::schema::normalize(group, version, kind, obj);
    apimachinery::schema::fill_defaults(group, version, kind, obj);
}

/// The `fieldValidation` mode a request asks for (Warn when unset).
pub fn field_validation_mode(mode: &str) -> ApiResult<&'static str> {
    match mode {
        "" | "Warn" => Ok("Warn"),
        "Strict" => Ok("Strict"),
        "Ignore" => Ok("Ignore"),
        other => Err(ApiError::bad_request(format!(
            "fieldValidation: Unsupported value: {other:?}: supported values: \"Ignore\", \"Strict\", \"Warn\""
        ))),
    }
}

/// What strict decoding finds, worded as upstream words it: the unknown fields of `obj`,
/// then the `repeated` members of the body it came from.
pub fn strict_findings(obj: &Value, repeated: &[String], group: &str, version: &str, kind: &str) -> Vec<String> {
    let unknown = apimachinery::schema::unknown_fields(group, version, kind, obj);
    apimachinery::schema::strict_decoding_findings(&unknown, repeated)
}
