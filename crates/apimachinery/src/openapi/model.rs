//! The served operations, independent of the OpenAPI version that describes them
//! (`paths` builds them from the resource table; `v2` and `v3` write them out).

/// An HTTP method, in the order upstream documents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Method {
    Get,
    Put,
    Post,
    Delete,
    Patch,
}

impl Method {
    /// The key of the operation in a path item.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Patch => "patch",
        }
    }

    pub(crate) fn pascal(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Put => "Put",
            Method::Post => "Post",
            Method::Delete => "Delete",
            Method::Patch => "Patch",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    Path,
    Query,
}

impl Location {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
        }
    }
}

/// A path or query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Param {
    pub name: String,
    pub location: Location,
    /// `string`, `boolean` or `integer`.
    pub ty: &'static str,
    pub description: Option<String>,
    pub required: bool,
}

impl Param {
    pub(crate) fn query(name: &str, ty: &'static str, description: &str) -> Param {
        Param {
            name: name.into(),
            location: Location::Query,
            ty,
            description: Some(description.into()),
            required: false,
        }
    }

    pub(crate) fn path(name: &str, description: String) -> Param {
        Param {
            name: name.into(),
            location: Location::Path,
            ty: "string",
            description: Some(description),
            required: true,
        }
    }
}

/// What a request body holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Body {
    /// An object of a definition, in any supported encoding.
    Object(String),
    /// A patch document, in one of the patch content types.
    Patch,
}

/// What a successful response holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply {
    Object(String),
    /// Plain text or a byte stream (logs, exec, proxies).
    Text,
}

/// The content types a response may be encoded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Produces {
    Object,
    /// Lists, which also answer `?watch=true` with a stream.
    List,
    Text,
    Any,
}

impl Produces {
    pub(crate) fn content_types(self) -> &'static [&'static str] {
        match self {
            Produces::Object => OBJECT_TYPES,
            Produces::List => STREAM_TYPES,
            Produces::Text => TEXT_TYPES,
            Produces::Any => &["*/*"],
        }
    }
}

const OBJECT_TYPES: &[&str] = &["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
const STREAM_TYPES: &[&str] = &[
    "application/json",
    "application/yaml",
    "application/vnd.kubernetes.protobuf",
    "application/json;stream=watch",
    "application/vnd.kubernetes.protobuf;stream=watch",
];
const TEXT_TYPES: &[&str] =
    &["text/plain", "application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];

/// The content types a PATCH body may have; kubectl plans strategic merge patches only
/// when the strategic type is listed.
pub(crate) const PATCH_TYPES: &[&str] = &[
    "application/apply-patch+yaml",
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
];

/// A group, version and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Gvk {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
}

/// One operation on a path.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub method: Method,
    pub id: String,
    pub description: String,
    /// `get`, `list`, `put`, `patch`, `post`, `delete`, `deletecollection`, `watch`,
    /// `watchlist` or `connect`; none for discovery documents.
    pub action: Option<&'static str>,
    pub gvk: Option<Gvk>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub body_required: bool,
    pub produces: Produces,
    /// Status code, its reason phrase, and what the body holds.
    pub responses: Vec<(u16, &'static str, Reply)>,
    pub tag: String,
}

/// A path with its shared parameters and its operations.
#[derive(Debug, Clone)]
pub(crate) struct PathItem {
    pub path: String,
    pub params: Vec<Param>,
    pub ops: Vec<Operation>,
}

impl PathItem {
    /// Every definition the operations refer to.
    pub(crate) fn referenced_types(&self) -> impl Iterator<Item = &str> {
        self.ops.iter().flat_map(|op| {
            let body = match &op.body {
                Some(Body::Object(name)) => Some(name.as_str()),
                Some(Body::Patch) => Some(super::schemas::PATCH),
                None => None,
            };
            let replies = op.responses.iter().filter_map(|(_, _, r)| match r {
                Reply::Object(name) => Some(name.as_str()),
                Reply::Text => None,
            });
            body.into_iter().chain(replies)
        })
    }
}
