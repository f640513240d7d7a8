//! Content negotiation: which encoding a request body is in, and which encoding and
//! shape (object, Table, PartialObjectMetadata) the client wants back.

use apimachinery::ApiError;

pub const JSON: &str = "application/json";
pub const YAML: &str = "application/yaml";
pub const PROTOBUF: &str = "application/vnd.kubernetes.protobuf";
pub const JSON_PATCH: &str = "application/json-patch+json";
pub const MERGE_PATCH: &str = "application/merge-patch+json";
pub const STRATEGIC_MERGE_PATCH: &str = "application/strategic-merge-patch+json";
pub const APPLY_PATCH_YAML: &str = "application/apply-patch+yaml";

/// Encodings of a request or response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Json,
    Yaml,
    Protobuf,
}

/// What the response body represents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Object,
    /// `meta.k8s.io` Table (server-side printing); `v1beta1` is served the same way.
    Table,
    PartialObjectMetadata,
    PartialObjectMetadataList,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    pub encoding: Encoding,
    pub shape: Shape,
}

impl Output {
    pub const JSON: Output = Output { encoding: Encoding::Json, shape: Shape::Object };

    pub fn content_type(&self) -> String {
        match (self.encoding, self.shape) {
            (Encoding::Json, Shape::Table) => "application/json;as=Table;v=v1;g=meta.k8s.io".into(),
            (Encoding::Json, Shape::PartialObjectMetadata) => {
                "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io".into()
            }
            (Encoding::Json, Shape::PartialObjectMetadataList) => {
                "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io".into()
            }
            (Encoding::Json, Shape::Object) => JSON.into(),
            (Encoding::Yaml, _) => YAML.into(),
            (Encoding::Protobuf, _) => PROTOBUF.into(),
        }
    }
}

/// One entry of an Accept header: `type/subtype;k=v;...`.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaRange {
    pub essence: String,
    pub params: Vec<(String, String)>,
    pub quality: f32,
}

impl MediaRange {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// Parses an Accept (or Content-Type) header value into its media ranges, best first.
pub fn parse_media_ranges(header: &str) -> Vec<MediaRange> {
    let mut ranges: Vec<MediaRange> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let essence = pieces.next()?.trim().to_ascii_lowercase();
            if essence.is_empty() {
                return None;
            }
            let mut quality = 1.0;
            let mut params = Vec::new();
            for p in pieces {
                let Some((k, v)) = p.split_once('=') else { continue };
                let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"').to_string());
                if k == "q" {
                    quality = v.parse().unwrap_or(0.0);
                } else {
                    params.push((k, v));
                }
            }
            Some(MediaRange { essence, params, quality })
        })
        .collect();
    // Stable: equal qualities keep the client's order.
    ranges.sort_by(|a, b| b.quality.partial_cmp(&a.quality).unwrap_or(std::cmp::Ordering::Equal));
    ranges
}

/// The media type of a request body (`Content-Type` without parameters).
pub fn content_type_essence(header: Option<&str>) -> String {
    header.and_then(|h| h.split(';').next()).map(|s| s.trim().to_ascii_lowercase()).unwrap_or_default()
}

/// The encoding of a request body for create/update.
pub fn body_encoding(content_type: &str) -> Result<Encoding, ApiError> {
    match content_type {
        "" | JSON | "application/*" | "*/*" => Ok(Encoding::Json),
        YAML | "application/x-yaml" | "text/yaml" => Ok(Encoding::Yaml),
        PROTOBUF => Ok(Encoding::Protobuf),
        other => Err(ApiError::unsupported_media_type(other)),
    }
}

/// Chooses the response representation from an Accept header. `table_allowed` is false
/// where Tables make no sense (e.g. subresources such as scale).
pub fn negotiate(accept: Option<&str>, table_allowed: bool) -> Result<Output, ApiError> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return Ok(Output::JSON);
    };
    for range in parse_media_ranges(accept) {
        if range.quality <= 0.0 {
            continue;
        }
        let encoding = match range.essence.as_str() {
            JSON | "application/*" | "*/*" => Encoding::Json,
            YAML => Encoding::Yaml,
            PROTOBUF => Encoding::Protobuf,
            _ => continue,
        };
        let shape = match (range.param("as"), range.param("g"), range.param("v")) {
            (None, _, _) => Shape::Object,
            (Some("Table"), Some("meta.k8s.io"), Some("v1" | "v1beta1")) if table_allowed => Shape::Table,
            (Some("PartialObjectMetadata"), Some("meta.k8s.io"), Some("v1" | "v1beta1")) => {
                Shape::PartialObjectMetadata
            }
            (Some("PartialObjectMetadataList"), Some("meta.k8s.io"), Some("v1" | "v1beta1")) => {
                Shape::PartialObjectMetadataList
            }
            _ => continue,
        };
        if shape != Shape::Object && encoding == Encoding::Protobuf {
            // Tables and metadata-only shapes are served as JSON only.
            continue;
        }
        return Ok(Output { encoding, shape });
    }
    Err(ApiError::not_acceptable(format!(
        "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf, {accept:?} is not one of them"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_get_asks_for_a_table_first() {
        let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        assert_eq!(negotiate(Some(accept), true).expect("ok").shape, Shape::Table);
        assert_eq!(negotiate(Some(accept), false).expect("ok"), Output::JSON);
    }

    #[test]
    fn protobuf_is_chosen_when_preferred() {
        let out = negotiate(Some("application/vnd.kubernetes.protobuf,application/json"), true).expect("ok");
        assert_eq!(out.encoding, Encoding::Protobuf);
    }

    #[test]
    fn quality_values_order_the_choices() {
        let out = negotiate(Some("application/yaml;q=0.5,application/json"), true).expect("ok");
        assert_eq!(out.encoding, Encoding::Json);
    }

    #[test]
    fn unknown_media_types_are_not_acceptable() {
        let err = negotiate(Some("text/html"), true).expect_err("406");
        assert_eq!(err.code, 406);
        assert_eq!(negotiate(Some("*/*"), true).expect("ok"), Output::JSON);
    }

    #[test]
    fn request_bodies_must_be_a_known_encoding() {
        assert_eq!(body_encoding("application/json").expect("json"), Encoding::Json);
        assert_eq!(
            body_encoding(&content_type_essence(Some("application/yaml; charset=utf-8"))).expect("y"),
            Encoding::Yaml
        );
        assert_eq!(body_encoding("text/plain").expect_err("415").code, 415);
    }
}
