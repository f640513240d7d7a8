//! `continue` tokens: where the next page of a list starts, and at which revision.
//!
//! The token is base64url (unpadded) JSON `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}`
//! with the key relative to the list's prefix, the same shape upstream uses.

use apimachinery::{ApiError, ApiResult};
use base64::Engine;
use serde_json::{json, Value};

const TOKEN_VERSION: &str = "meta.k8s.io/v1";

/// The revision a token carries when the list it continues was compacted away: continue
/// at the latest revision (an inconsistent list), as upstream's tokens say with -1.
pub const LATEST: i64 = -1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Continue {
    /// The list's revision, or `LATEST`.
    pub revision: i64,
    /// The first key of the next page, relative to the list prefix.
    pub start: String,
}

pub fn encode(revision: i64, start_relative: &str) -> String {
    let body = json!({"v": TOKEN_VERSION, "rv": revision, "start": start_relative});
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(body.to_string())
}

pub fn decode(token: &str) -> ApiResult<Continue> {
    let invalid = |why: &str| ApiError::bad_request(format!("continue key is not valid: {why}"));
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim_end_matches('='))
        .map_err(|_| invalid("not base64"))?;
    let body: Value = serde_json::from_slice(&raw).map_err(|_| invalid("not JSON"))?;
    if body.get("v").and_then(Value::as_str) != Some(TOKEN_VERSION) {
        return Err(invalid("incorrect encoded start resourceVersion (version meta.k8s.io/v1)"));
    }
    let revision = body
        .get("rv")
        .and_then(Value::as_i64)
        .filter(|rv| *rv > 0 || *rv == LATEST)
        .ok_or_else(|| invalid("missing resource version"))?;
    let start = body.get("start").and_then(Value::as_str).ok_or_else(|| invalid("missing start key"))?;
    if start.is_empty() || start.contains("..") || start.starts_with('/') {
        return Err(invalid("invalid start key"));
    }
    Ok(Continue { revision, start: start.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        let token = encode(17, "default/web\u{0}");
        assert_eq!(decode(&token).expect("valid"), Continue { revision: 17, start: "default/web\u{0}".into() });
    }

    #[test]
    fn latest_tokens_are_accepted() {
        let token = encode(LATEST, "default/web\u{0}");
        assert_eq!(decode(&token).expect("valid").revision, LATEST);
    }

    #[test]
    fn tampered_tokens_are_bad_requests() {
        for bad in ["%%%", "e30", &encode(0, "x"), &encode(-2, "x"), &encode(5, "../secrets/x")] {
            assert_eq!(decode(bad).expect_err(bad).code, 400, "{bad}");
        }
    }
}
