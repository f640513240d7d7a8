//! OpenAPI v2 and v3 documents.
//!
//! The documents come pre-serialized from `apimachinery::openapi`; this module only picks
//! the document, negotiates its encoding and sets the caching headers the way upstream's
//! handlers do:
//!
//! - `/openapi/v3`: the index of group-version documents, each URL carrying `?hash=`;
//! - `/openapi/v3/<key>`: JSON only (no kubectl asks for the v3 protobuf form, so that is
//!   a 406 like any other type the server cannot produce). With `?hash=` equal to the
//!   current hash the answer is cacheable forever; a stale hash is a 301 to the current
//!   URL;
//! - `/openapi/v2`: Swagger JSON, or the gnostic protobuf form kubectl asks for.
//!
//! ETags are the quoted hashes; a matching `If-None-Match` is a 304.

use apimachinery::openapi::{self as oa, Document};
use http::{header, HeaderMap, HeaderValue};

use crate::response::{bytes_response, error_response, HttpResponse};

const JSON: &str = "application/json";

pub fn serve(path: &str, query: Option<&str>, accept: Option<&str>, headers: &HeaderMap) -> HttpResponse {
    let path = path.trim_end_matches('/');
    match path {
        "/openapi/v3" => document(oa::v3_index(), JSON, headers),
        "/openapi/v2" => serve_v2(accept, headers),
        _ => match path.strip_prefix("/openapi/v3/") {
            Some(key) => serve_v3(key, query, accept, headers),
            None => not_found(),
        },
    }
}

fn not_found() -> HttpResponse {
    error_response(&apimachinery::ApiError::not_found_path())
}

fn not_acceptable() -> HttpResponse {
    let mut resp = bytes_response(406, "text/plain; charset=utf-8", "406 Not Acceptable\n");
    resp.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept"));
    resp
}

fn serve_v3(key: &str, query: Option<&str>, accept: Option<&str>, headers: &HeaderMap) -> HttpResponse {
    let Some(doc) = oa::v3_document(key) else {
        return not_found();
    };
    // The first acceptable clause wins; only JSON is produced.
    let chosen = acceptable(accept).into_iter().find_map(|media| match media.as_str() {
        "application/json" | "application/*" | "*/*" => Some(JSON),
        _ => None,
    });
    if chosen.is_none() {
        return not_acceptable();
    }
    let hash = query.and_then(|q| query_value(q, "hash"));
    if let Some(hash) = hash.as_deref().filter(|h| !h.is_empty()) {
        if hash != doc.hash() {
            let location = oa::server_relative_url(key.trim_matches('/'), doc.hash());
            let mut resp = bytes_response(
                301,
                "text/html; charset=utf-8",
                format!("<a href=\"{location}\">Moved Permanently</a>.\n"),
            );
            if let Ok(v) = HeaderValue::from_str(&location) {
                resp.headers_mut().insert(header::LOCATION, v);
            }
            return resp;
        }
        let mut resp = document(doc, JSON, headers);
        let h = resp.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, immutable"));
        let expires = chrono::Utc::now() + chrono::Duration::days(365);
        if let Ok(v) = HeaderValue::from_str(&expires.format("%a, %d %b %Y %H:%M:%S GMT").to_string()) {
            h.insert(header::EXPIRES, v);
        }
        return resp;
    }
    document(doc, JSON, headers)
}

fn serve_v2(accept: Option<&str>, headers: &HeaderMap) -> HttpResponse {
    for media in acceptable(accept) {
        match media.as_str() {
            // Answered with the dotted spelling, as upstream does: Go's MIME parser (which
            // client-go runs on every Content-Type) rejects the `@` of the other one.
            oa::V2_PROTOBUF | oa::V2_PROTOBUF_LEGACY => {
                return document(oa::v2_protobuf(), oa::V2_PROTOBUF_LEGACY, headers)
            }
            "application/json" | "application/*" | "*/*" => return document(oa::v2_json(), JSON, headers),
            _ => {}
        }
    }
    not_acceptable()
}

/// A document with its ETag, or a 304 when the client already has it.
fn document(doc: &'static Document, content_type: &str, headers: &HeaderMap) -> HttpResponse {
    let etag = format!("\"{}\"", doc.hash());
    let unchanged =
        headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(
            |tag| {
                let tag = tag.trim();
                tag == "*" || tag.trim_start_matches("W/") == etag
            },
        );
    let mut resp = if unchanged {
        bytes_response(304, content_type, bytes::Bytes::new())
    } else {
        bytes_response(200, content_type, bytes::Bytes::from_static(doc.bytes()))
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    if unchanged {
        h.remove(header::CONTENT_TYPE);
    }
    resp
}

/// The media ranges of an Accept header, best first (`q=0` dropped, parameters ignored);
/// a missing header accepts anything.
fn acceptable(accept: Option<&str>) -> Vec<String> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return vec!["*/*".into()];
    };
    let mut ranges: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(i, clause)| {
            let mut parts = clause.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            if media.is_empty() {
                return None;
            }
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, i, media))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal).then(a.1.cmp(&b.1)));
    ranges.into_iter().map(|(_, _, m)| m).collect()
}

fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str, query: Option<&str>, accept: Option<&str>) -> HttpResponse {
        serve(path, query, accept, &HeaderMap::new())
    }

    #[test]
    fn the_index_is_json_with_an_etag() {
        let resp = get("/openapi/v3", None, Some("application/json"));
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/json");
        assert!(resp.headers().contains_key(header::ETAG));
    }

    #[test]
    fn a_current_hash_is_cacheable_and_a_stale_one_redirects() {
        let doc = oa::v3_document("apis/apps/v1").expect("apps/v1");
        let q = format!("hash={}", doc.hash());
        let resp = get("/openapi/v3/apis/apps/v1", Some(&q), Some("application/json"));
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()[header::CACHE_CONTROL], "public, immutable");
        let resp = get("/openapi/v3/apis/apps/v1", Some("hash=ABC"), None);
        assert_eq!(resp.status(), 301);
        assert_eq!(resp.headers()[header::LOCATION], format!("/openapi/v3/apis/apps/v1?hash={}", doc.hash()));
    }

    #[test]
    fn v3_protobuf_alone_is_not_acceptable() {
        let resp = get("/openapi/v3/api/v1", None, Some(oa::V3_PROTOBUF));
        assert_eq!(resp.status(), 406);
        let resp = get("/openapi/v3/api/v1", None, Some(&format!("{},application/json", oa::V3_PROTOBUF)));
        assert_eq!(resp.status(), 200);
    }

    #[test]
    fn v2_answers_protobuf_when_asked() {
        let resp = get("/openapi/v2", None, Some(oa::V2_PROTOBUF));
        assert_eq!(resp.headers()[header::CONTENT_TYPE], oa::V2_PROTOBUF_LEGACY);
        let resp = get("/openapi/v2", None, Some(&format!("{}, application/json", oa::V2_PROTOBUF_LEGACY)));
        assert_eq!(resp.headers()[header::CONTENT_TYPE], oa::V2_PROTOBUF_LEGACY);
        let resp = get("/openapi/v2", None, None);
        assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/json");
    }

    #[test]
    fn a_matching_if_none_match_is_not_modified() {
        let mut headers = HeaderMap::new();
        let etag = format!("\"{}\"", oa::v3_index().hash());
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&etag).expect("etag"));
        assert_eq!(serve("/openapi/v3", None, None, &headers).status(), 304);
    }

    #[test]
    fn unknown_documents_are_not_found() {
        assert_eq!(get("/openapi/v3/apis/nope/v1", None, None).status(), 404);
        assert_eq!(get("/openapi/v4", None, None).status(), 404);
    }
}
