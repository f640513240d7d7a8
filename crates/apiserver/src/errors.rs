//! The one place where storage failures become API `Status` errors.

use apimachinery::{ApiError, Subject};
use storage::StorageError;

/// Maps a storage failure about `subject` to the Status upstream answers with.
pub fn from_storage(err: StorageError, subject: &Subject) -> ApiError {
    match err {
        StorageError::NotFound => ApiError::not_found(subject.clone()),
        StorageError::AlreadyExists => ApiError::already_exists(subject.clone()),
        StorageError::Conflict => ApiError::stale_resource_version(subject.clone()),
        StorageError::Compacted { requested, compacted } => {
            if requested > 0 && compacted > 0 {
                ApiError::expired(format!("too old resource version: {requested} ({compacted})"))
            } else {
                ApiError::expired("The resourceVersion for the provided list is too old.")
            }
        }
        StorageError::Unavailable(_) => {
            ApiError::service_unavailable("etcd is unavailable: the request could not be served, try again later")
        }
        StorageError::Timeout(_) => {
            ApiError::timeout("etcd did not answer in time: the request may or may not have been completed")
        }
        StorageError::TooLargeResourceVersion { requested, current } => {
            let mut e = ApiError::timeout(format!(
                "Too large resource version: {requested}, current resource version: {current}"
            ));
            e.retry_after = Some(1);
            e.causes = vec![apimachinery::Cause::new("ResourceVersionTooLarge", "Too large resource version", "")];
            e
        }
        StorageError::TooLarge => ApiError::too_large("the object is too large to be stored"),
        StorageError::Internal(message) => ApiError::internal(message),
    }
}

/// A failure with no particular object in mind (lists, watches).
pub fn from_storage_plain(err: StorageError) -> ApiError {
    from_storage(err, &Subject::default())
}
