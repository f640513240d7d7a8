//! WATCH: streams events from the watch cache, filtered per watcher, in the negotiated
//! encoding, with bookmarks, the initial-events-end marker, and a timeout.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use apimachinery::resource::ResourceInfo;
use apimachinery::{ApiError, ApiResult};
use bytes::Bytes;
use http::{header, HeaderValue, Response, StatusCode};
use http_body::Frame;
use http_body_util::{BodyExt, StreamBody};
use rand::Rng;
use serde_json::{json, Value};
use storage::{CacheEvent, CacheWatch, EventType, StorageError, WatchStart};
use tokio::sync::{broadcast, mpsc};

use super::filter::Filter;
use super::render;
use super::Request;
use crate::api::{Api, CACHE_WAIT};
use crate::errors::from_storage_plain;
use crate::metrics::WatchLabels;
use crate::negotiate::{Encoding, Output, Shape};
use crate::object::StoredObject;
use crate::response::HttpResponse;

/// Annotation on the bookmark that ends the initial events of a streaming list.
const INITIAL_EVENTS_END: &str = "k8s.io/initial-events-end";

pub async fn watch(api: Arc<Api>, req: &Request) -> ApiResult<HttpResponse> {
    let q = &req.query;
    q.validate_list()?;
    let res = req.res;
    let filter = Filter::from_query(res, &req.info.namespace, q)?;
    let filter = match (req.info.name.as_str(), filter) {
        // A watch on `/pods/<name>` is a watch on the collection narrowed to that name.
        ("", f) => f,
        (name, mut f) => {
            f.fields = apimachinery::selector::FieldSelector::parse(&format!("metadata.name={name}"))?;
            f
        }
    };
    let rv = q.resource_version.as_str();
    let wanted = q.revision();
    if wanted > 0 {
        api.cache.wait_for_revision(wanted, CACHE_WAIT).await.map_err(from_storage_plain)?;
    }
    let start = match (q.send_initial_events, rv) {
        (Some(true) | None, "") => {
            // Most recent state: consistent when etcd answers, else what the cache has.
            let _ = api.cache.wait_fresh(CACHE_WAIT).await;
            WatchStart::Now
        }
        (Some(true) | None, "0") | (Some(true), _) => WatchStart::Now,
        (Some(false), "") => WatchStart::After(api.cache.wait_fresh(CACHE_WAIT).await.map_err(from_storage_plain)?),
        (Some(false), "0") => WatchStart::After(api.cache.revision()),
        (_, _) => WatchStart::After(wanted),
    };
    let timeout = match q.timeout_seconds {
        Some(secs) => Duration::from_secs(secs),
        None => {
            let min = api.config.min_request_timeout.max(1);
            Duration::from_secs(rand::rng().random_range(min..=2 * min))
        }
    };
    let encoder = Encoder { res, output: req.output, include_object: req.query.include_object.clone() };
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    let cache_watch = match api.cache.watch(api.layout.id_of(res), start) {
        Ok(w) => Some(w),
        Err(StorageError::Compacted { requested, compacted }) => {
            // Upstream answers a too-old watch with 200 and a single ERROR event.
            let err = ApiError::expired(format!("too old resource version: {requested} ({compacted})"));
            let _ = tx.try_send(encoder.error(&err));
            None
        }
        Err(e) => return Err(from_storage_plain(e)),
    };
    if let Some(cache_watch) = cache_watch {
        let watcher = Watcher {
            api: api.clone(),
            filter,
            encoder,
            bookmarks: q.allow_watch_bookmarks,
            initial_events_end: q.send_initial_events == Some(true),
            tx,
        };
        tokio::spawn(watcher.run(cache_watch, timeout));
    }
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
    let body = StreamBody::new(futures::StreamExt::map(stream, |b| Ok::<_, Infallible>(Frame::data(b))));
    let mut resp = Response::new(body.boxed());
    *resp.status_mut() = StatusCode::OK;
    let content_type = match req.output.encoding {
        Encoding::Protobuf => "application/vnd.kubernetes.protobuf;stream=watch".to_string(),
        _ => req.output.content_type(),
    };
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    Ok(resp)
}

/// Encodes events for one watcher.
struct Encoder {
    res: &'static ResourceInfo,
    output: Output,
    include_object: String,
}

impl Encoder {
    fn frame(&self, event_type: &str, object: &Value) -> Bytes {
        match self.output.encoding {
            Encoding::Protobuf => match apimachinery::protobuf::encode_watch_event(event_type, object) {
                Ok(frame) => Bytes::from(frame),
                Err(e) => self.error(&e),
            },
            _ => {
                let line = json!({"type": event_type, "object": object});
                let mut text = line.to_string();
                text.push('\n');
                Bytes::from(text)
            }
        }
    }

    fn error(&self, err: &ApiError) -> Bytes {
        let mut text = json!({"type": "ERROR", "object": err.to_status()}).to_string();
        text.push('\n');
        Bytes::from(text)
    }

    /// One event for one object; `first` says whether Table column definitions go with it.
    fn event(&self, event_type: EventType, obj: &StoredObject, first: bool) -> Bytes {
        let fast = self.output.encoding == Encoding::Json
            && self.output.shape == Shape::Object
            && !self.res.needs_conversion();
        if fast {
            // The object's cached bytes go out as they are.
            let head = format!("{{\"type\":\"{}\",\"object\":", event_type.as_str());
            let mut buf = Vec::with_capacity(head.len() + obj.json.len() + 2);
            buf.extend_from_slice(head.as_bytes());
            buf.extend_from_slice(&obj.json);
            buf.extend_from_slice(b"}\n");
            return Bytes::from(buf);
        }
        let value = render::served_value(self.res, obj);
        let object = match self.output.shape {
            Shape::Object => value,
            Shape::PartialObjectMetadata | Shape::PartialObjectMetadataList => render::partial_metadata(&value),
            Shape::Table => {
                let rv = obj.revision.to_string();
                render::table(
                    self.res,
                    std::slice::from_ref(&value),
                    json!({"resourceVersion": rv}),
                    &self.include_object,
                    first,
                )
            }
        };
        self.frame(event_type.as_str(), &object)
    }

    fn bookmark(&self, revision: i64, initial_events_end: bool) -> Bytes {
        let mut metadata = json!({"resourceVersion": revision.to_string()});
        if initial_events_end {
            metadata["annotations"] = json!({INITIAL_EVENTS_END: "true"});
        }
        let object = json!({"kind": self.res.kind, "apiVersion": self.res.api_version(), "metadata": metadata});
        self.frame("BOOKMARK", &object)
    }
}

struct Watcher {
    api: Arc<Api>,
    filter: Filter,
    encoder: Encoder,
    bookmarks: bool,
    initial_events_end: bool,
    tx: mpsc::Sender<Bytes>,
}

impl Watcher {
    /// What this watcher sees of a cache event, given its selection.
    fn translate(&self, event: &CacheEvent<StoredObject>) -> Option<(EventType, Arc<StoredObject>)> {
        let now = event.event_type != EventType::Deleted && self.filter.matches(&event.object);
        let before = event.previous.as_ref().is_some_and(|p| self.filter.matches(p));
        match (before, now) {
            (false, false) => None,
            (false, true) => Some((EventType::Added, event.object.clone())),
            (true, true) => Some((event.event_type, event.object.clone())),
            (true, false) if event.event_type == EventType::Deleted => Some((EventType::Deleted, event.object.clone())),
            (true, false) => {
                // Left the selection: a deletion of its previous state, at this event's revision.
                let prev = event.previous.as_ref()?;
                let stored = self.api.stored_resource(self.encoder.res);
                let moved = StoredObject::from_value(stored, prev.value(), event.revision).ok()?;
                Some((EventType::Deleted, Arc::new(moved)))
            }
        }
    }

    async fn send(&self, frame: Bytes) -> bool {
        self.tx.send(frame).await.is_ok()
    }

    async fn run(self, mut watch: CacheWatch<StoredObject>, timeout: Duration) {
        let labels = WatchLabels {
            group: self.encoder.res.group.to_string(),
            version: self.encoder.res.version.to_string(),
            kind: self.encoder.res.kind.to_string(),
        };
        let gauge = self.api.metrics.watchers.get_or_create(&labels).clone();
        let sent = self.api.metrics.watch_events.get_or_create(&labels).clone();
        gauge.inc();
        let mut first = true;
        let mut last_revision = watch.revision;
        let initial = std::mem::take(&mut watch.initial);
        'stream: {
            for event in &initial {
                if let Some((kind, obj)) = self.translate(event) {
                    last_revision = last_revision.max(event.revision);
                    if !self.send(self.encoder.event(kind, &obj, first)).await {
                        break 'stream;
                    }
                    sent.inc();
                    first = false;
                }
            }
            if self.initial_events_end && !self.send(self.encoder.bookmark(watch.revision, true)).await {
                break 'stream;
            }
            let deadline = tokio::time::Instant::now() + timeout;
            let every = self.api.config.watch_bookmark_interval.max(Duration::from_millis(100));
            let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            loop {
                tokio::select! {
                    _ = tokio::time::sleep_until(deadline) => break,
                    _ = self.tx.closed() => break,
                    _ = ticker.tick(), if self.bookmarks => {
                        // Everything up to the cache revision is already queued for us: drain it,
                        // then the bookmark cannot run ahead of an event still to come.
                        let revision = self.api.cache.revision();
                        loop {
                            match watch.receiver.try_recv() {
                                Ok(event) => {
                                    if event.revision <= watch.skip_through { continue; }
                                    last_revision = last_revision.max(event.revision);
                                    if let Some((kind, obj)) = self.translate(&event) {
                                        if !self.send(self.encoder.event(kind, &obj, first)).await { break 'stream; }
                                        sent.inc();
                                        first = false;
                                    }
                                }
                                Err(broadcast::error::TryRecvError::Empty) => break,
                                Err(_) => break 'stream,
                            }
                        }
                        last_revision = last_revision.max(revision);
                        if !self.send(self.encoder.bookmark(last_revision, false)).await { break 'stream; }
                    }
                    received = watch.receiver.recv() => {
                        let event = match received {
                            Ok(event) => event,
                            // Too slow to keep up, or the cache went away: end the watch; the
                            // client resumes from the last revision it saw.
                            Err(_) => break,
                        };
                        if event.revision <= watch.skip_through { continue; }
                        last_revision = last_revision.max(event.revision);
                        if let Some((kind, obj)) = self.translate(&event) {
                            if !self.send(self.encoder.event(kind, &obj, first)).await { break; }
                            sent.inc();
                            first = false;
                        }
                    }
                }
            }
        }
        gauge.dec();
    }
}
