//! Storage failures, classified by what the caller can do about them.

use std::time::Duration;

/// Errors from etcd and the watch cache. The apiserver maps each variant to exactly
/// one `Status` (see `apiserver::errors`); nothing else inspects etcd errors.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum StorageError {
    /// The key does not exist (or did not at the requested revision).
    #[error("key not found")]
    NotFound,
    /// A create found the key already present. Retrying cannot help.
    #[error("key already exists")]
    AlreadyExists,
    /// A compare-and-swap lost: the key changed (or vanished) since it was read.
    /// Retrying with a fresh read helps.
    #[error("resource version conflict")]
    Conflict,
    /// The requested revision was compacted away. The caller must start over from "now".
    #[error("required revision {requested} has been compacted (oldest available is {compacted})")]
    Compacted { requested: i64, compacted: i64 },
    /// etcd cannot be reached or has no leader. Retrying later helps.
    #[error("etcd is unavailable: {0}")]
    Unavailable(String),
    /// etcd did not answer in time. Retrying later may help.
    #[error("etcd did not answer within {0:?}")]
    Timeout(Duration),
    /// The watch cache could not catch up with etcd in time.
    #[error("too large resource version: {requested}, current resource version: {current}")]
    TooLargeResourceVersion { requested: i64, current: i64 },
    /// A value too large for etcd to accept. Retrying cannot help.
    #[error("request is too large for etcd")]
    TooLarge,
    /// Anything else: a bug or a corrupt value. Retrying does not help.
    #[error("storage error: {0}")]
    Internal(String),
}

pub type Result<T> = std::result::Result<T, StorageError>;

impl From<etcd_client::Error> for StorageError {
    fn from(err: etcd_client::Error) -> Self {
        use etcd_client::Error as E;
        match err {
            E::GRpcStatus(status) => from_grpc_status(&status),
            E::TransportError(e) => StorageError::Unavailable(e.to_string()),
            E::IoError(e) => StorageError::Unavailable(e.to_string()),
            E::WatchError(e) => StorageError::Unavailable(e),
            other => StorageError::Internal(other.to_string()),
        }
    }
}

fn from_grpc_status(status: &tonic_status::Status) -> StorageError {
    use tonic_status::Code;
    let message = status.message().to_string();
    match status.code() {
        Code::Unavailable | Code::Cancelled | Code::Unknown if !message.contains("too large") => {
            StorageError::Unavailable(message)
        }
        Code::DeadlineExceeded => StorageError::Timeout(Duration::from_secs(0)),
        Code::OutOfRange if message.contains("compacted") => StorageError::Compacted { requested: 0, compacted: 0 },
        Code::InvalidArgument | Code::Unknown | Code::ResourceExhausted if message.contains("too large") => {
            StorageError::TooLarge
        }
        _ => StorageError::Internal(format!("{:?}: {}", status.code(), message)),
    }
}

/// etcd-client re-exports tonic's Status through its error type only; name it once here.
mod tonic_status {
    pub use tonic::{Code, Status};
}
