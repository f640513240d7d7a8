//! Building HTTP responses: Status errors, objects in the negotiated encoding, raw bytes.

use std::convert::Infallible;

use apimachinery::ApiError;
use bytes::Bytes;
use http::{header, HeaderValue, Response, StatusCode};
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use serde_json::Value;

use crate::negotiate::{Encoding, Output};

pub type Body = BoxBody<Bytes, Infallible>;
pub type HttpResponse = Response<Body>;

pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

pub fn empty() -> Body {
    full(Bytes::new())
}

/// A response with a body and content type.
pub fn bytes_response(code: u16, content_type: &str, body: impl Into<Bytes>) -> HttpResponse {
    let mut resp = Response::new(full(body));
    *resp.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp
}

/// A JSON value, as JSON.
pub fn json_response(code: u16, value: &Value) -> HttpResponse {
    let body = serde_json::to_vec(value).unwrap_or_default();
    bytes_response(code, "application/json", body)
}

/// A `Status` for an error (with `Retry-After` when it has one).
pub fn error_response(err: &ApiError) -> HttpResponse {
    let mut resp = json_response(err.code, &err.to_status());
    if let Some(secs) = err.retry_after {
        resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    resp
}

/// An object (or list, or Status) in the negotiated encoding.
pub fn encode(code: u16, value: &Value, out: Output) -> HttpResponse {
    match out.encoding {
        Encoding::Json => {
            let body = if out_pretty() { serde_json::to_vec_pretty(value) } else { serde_json::to_vec(value) };
            bytes_response(code, &out.content_type(), body.unwrap_or_default())
        }
        Encoding::Yaml => match serde_yaml::to_string(value) {
            Ok(text) => bytes_response(code, "application/yaml", text),
            Err(e) => error_response(&ApiError::internal(format!("encoding YAML: {e}"))),
        },
        Encoding::Protobuf => match apimachinery::protobuf::encode(value) {
            Ok(bytes) => bytes_response(code, "application/vnd.kubernetes.protobuf", bytes),
            // A kind the protobuf tables do not know is answered in JSON, which every client accepts.
            Err(_) => json_response(code, value),
        },
    }
}

/// Pretty-printing is left to clients; kept as one switch should it be wanted.
fn out_pretty() -> bool {
    false
}
