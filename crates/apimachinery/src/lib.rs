//! Kubernetes API machinery with no I/O.
//!
//! Everything here is pure: the resource registry, selectors, `Status` errors, codecs
//! (JSON, YAML, Kubernetes protobuf), patch engines and server-side printing.

pub mod apply;
pub mod defaults;
pub mod gofmt;
pub mod meta;
pub mod openapi;
pub mod patch;
pub mod protobuf;
pub mod quantity;
pub mod resource;
pub mod schema;
pub mod selector;
pub mod splice;
pub mod status;
pub mod table;
pub mod validation;

pub use status::{ApiError, ApiResult, Cause, Subject};
