//! OpenAPI v2 and v3 documents.

use http::HeaderMap;

use crate::response::{error_response, HttpResponse};

pub fn serve(_path: &str, _query: Option<&str>, _accept: Option<&str>, _headers: &HeaderMap) -> HttpResponse {
    error_response(&apimachinery::ApiError::not_found_path())
}
