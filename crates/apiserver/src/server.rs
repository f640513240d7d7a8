//! The HTTP server and its filter chain: panic recovery, in-flight limits, body limits,
//! timeouts, metrics and logging, then routing to discovery, health or the REST handler.

use std::convert::Infallible;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use apimachinery::ApiError;
use bytes::Bytes;
use futures::FutureExt;
use http::{header, Method, Request};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::api::Api;
use crate::metrics::{LatencyLabels, RequestLabels};
use crate::query::Query;
use crate::request::{route, ResourceRequest, Route, Verb};
use crate::response::{self, bytes_response, error_response, json_response, HttpResponse};
use crate::{discovery, health, openapi, rest, version};

pub struct State {
    pub api: Arc<Api>,
    readonly: Option<Semaphore>,
    mutating: Option<Semaphore>,
    bootstrapped: AtomicBool,
    shutting_down: AtomicBool,
}

impl State {
    pub fn new(api: Arc<Api>) -> State {
        let limit = |n: usize| if n == 0 { None } else { Some(Semaphore::new(n)) };
        State {
            readonly: limit(api.config.max_requests_inflight),
            mutating: limit(api.config.max_mutating_requests_inflight),
            api,
            bootstrapped: AtomicBool::new(false),
            shutting_down: AtomicBool::new(false),
        }
    }

    pub fn bootstrapped(&self) -> bool {
        self.bootstrapped.load(Ordering::Relaxed)
    }

    pub fn set_bootstrapped(&self) {
        self.bootstrapped.store(true, Ordering::Relaxed);
    }

    pub fn shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::Relaxed)
    }
}

/// Serves connections until `shutdown` resolves, then stops accepting and lets
/// in-flight requests finish.
pub async fn serve(state: Arc<State>, listener: TcpListener, shutdown: impl Future<Output = ()>) {
    let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                let service = service_fn(move |req| {
                    let state = state.clone();
                    async move { Ok::<_, Infallible>(handle(state, req).await) }
                });
                let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                });
            }
            _ = &mut shutdown => break,
        }
    }
    state.shutting_down.store(true, Ordering::Relaxed);
    // Long watches would hold shutdown forever; give requests a moment, then go.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), graceful.shutdown()).await;
}

/// Requests that may run for a long time and are exempt from in-flight limits and timeouts.
fn long_running(route: &Route) -> bool {
    match route {
        Route::Resource(r) => {
            r.verb == Verb::Watch
                || matches!(r.subresource.as_str(), "log" | "exec" | "attach" | "portforward" | "proxy")
        }
        _ => false,
    }
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> HttpResponse {
    let started = Instant::now();
    let method = req.method().clone();
    let path = match crate::request::decoded_path(req.uri().path()) {
        Ok(path) => path,
        Err(e) => return finish(&state, &method, None, started, error_response(&e)),
    };
    let query_string = req.uri().query().map(str::to_string);
    let watch_param = query_string.as_deref().is_some_and(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .any(|(k, v)| k == "watch" && matches!(&*v, "true" | "1" | "True" | "t"))
    });
    let route = route(&method, &path, watch_param);
    let resource = match &route {
        Route::Resource(r) => Some(r.clone()),
        _ => None,
    };

    // In-flight limits, as upstream's max-in-flight filter: long-running requests are exempt.
    let mutating = resource.as_ref().is_some_and(|r| r.verb.is_mutating());
    let limiter = if long_running(&route) {
        None
    } else if mutating {
        state.mutating.as_ref()
    } else {
        state.readonly.as_ref()
    };
    let _permit = match limiter.map(Semaphore::try_acquire) {
        Some(Ok(p)) => Some(p),
        Some(Err(_)) => {
            return finish(&state, &method, resource.as_ref(), started, error_response(&ApiError::too_many_requests(1)))
        }
        None => None,
    };
    let gauge = if mutating { &state.api.metrics.inflight_mutating } else { &state.api.metrics.inflight_readonly };
    gauge.inc();

    let timeout = state.api.config.request_timeout;
    let is_long = long_running(&route);
    let work = dispatch(state.clone(), req, route, path.clone(), query_string);
    // A panic anywhere below becomes a 500 Status; the server keeps serving.
    let guarded = std::panic::AssertUnwindSafe(work).catch_unwind();
    let resp = if is_long {
        guarded.await
    } else {
        match tokio::time::timeout(timeout, guarded).await {
            Ok(r) => r,
            Err(_) => {
                Ok(error_response(&ApiError::timeout("the request did not complete within the allowed duration")))
            }
        }
    };
    gauge.dec();
    let resp = resp.unwrap_or_else(|_| {
        tracing::error!(%method, %path, "handler panicked");
        error_response(&ApiError::internal("the server panicked while handling the request"))
    });
    finish(&state, &method, resource.as_ref(), started, resp)
}

fn finish(
    state: &State,
    method: &Method,
    resource: Option<&ResourceRequest>,
    started: Instant,
    resp: HttpResponse,
) -> HttpResponse {
    let (verb, group, version, plural, subresource) = match resource {
        Some(r) => (
            r.verb.as_str().to_uppercase(),
            r.group.clone(),
            r.version.clone(),
            r.resource.clone(),
            r.subresource.clone(),
        ),
        None => (method.as_str().to_string(), String::new(), String::new(), String::new(), String::new()),
    };
    let code = resp.status().as_u16();
    let m = &state.api.metrics;
    m.requests
        .get_or_create(&RequestLabels {
            verb: verb.clone(),
            group: group.clone(),
            version: version.clone(),
            resource: plural.clone(),
            subresource: subresource.clone(),
            code: code.to_string(),
        })
        .inc();
    if verb != "WATCH" {
        m.latency
            .get_or_create(&LatencyLabels { verb, group, version, resource: plural, subresource })
            .observe(started.elapsed().as_secs_f64());
    }
    if code >= 500 {
        tracing::warn!(%method, code, "request failed");
    }
    resp
}

async fn read_body(state: &State, body: Incoming) -> Result<Bytes, ApiError> {
    let limit = state.api.config.max_request_body_bytes;
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => {
            Err(ApiError::too_large(format!("Request entity too large: limit is {limit}")))
        }
        Err(e) => Err(ApiError::bad_request(format!("error reading the request body: {e}"))),
    }
}

async fn dispatch(
    state: Arc<State>,
    req: Request<Incoming>,
    route: Route,
    path: String,
    query_string: Option<String>,
) -> HttpResponse {
    let (parts, body) = req.into_parts();
    let accept = parts.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(str::to_string);
    let path = path.as_str();
    let verbose =
        query_string.as_deref().is_some_and(|q| q.split('&').any(|p| p == "verbose" || p.starts_with("verbose=")));
    match route {
        Route::GroupList { legacy } => {
            let form = discovery::form(accept.as_deref());
            let doc = match (form, legacy) {
                (discovery::Form::Legacy, true) => discovery::api_versions(&server_address(&state)),
                (discovery::Form::Legacy, false) => discovery::api_group_list(),
                (form, legacy) => discovery::aggregated(legacy, form),
            };
            bytes_response(200, discovery::content_type(form), serde_json::to_vec(&doc).unwrap_or_default())
        }
        Route::Group { group } => match discovery::api_group_doc(&group) {
            Some(doc) => json_response(200, &doc),
            None => error_response(&ApiError::not_found_path()),
        },
        Route::ResourceList { group, version } => match discovery::api_resource_list(&group, &version) {
            Some(doc) => json_response(200, &doc),
            None => error_response(&ApiError::not_found_path()),
        },
        Route::Resource(info) => {
            let query = match Query::parse(query_string.as_deref()) {
                Ok(q) => q,
                Err(e) => return error_response(&e),
            };
            let body = match read_body(&state, body).await {
                Ok(b) => b,
                Err(e) => return error_response(&e),
            };
            let content_type = crate::negotiate::content_type_essence(
                parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
            );
            let user_agent =
                parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            match rest::handle(state.api.clone(), info, query, content_type, accept, user_agent, body).await {
                Ok(resp) => resp,
                Err(e) => error_response(&e),
            }
        }
        Route::NonResource => match path {
            "/version" | "/version/" => json_response(200, &version::info()),
            "/metrics" => bytes_response(200, "text/plain; version=0.0.4; charset=utf-8", state.api.metrics.render()),
            p if p == "/healthz"
                || p == "/livez"
                || p == "/readyz"
                || p.starts_with("/healthz/")
                || p.starts_with("/livez/")
                || p.starts_with("/readyz/") =>
            {
                health::answer(&state, p, verbose).await
            }
            p if p.starts_with("/openapi/") => {
                openapi::serve(p, query_string.as_deref(), accept.as_deref(), &parts.headers)
            }
            "/" => json_response(200, &root_paths()),
            _ => response::bytes_response(
                404,
                "application/json",
                serde_json::to_vec(&ApiError::not_found_path().to_status()).unwrap_or_default(),
            ),
        },
    }
}

fn server_address(state: &State) -> String {
    let addr = state.api.config.advertise_address.unwrap_or(state.api.config.bind_address);
    format!("{}:{}", addr, state.api.config.secure_port)
}

/// `/`: the list of paths the server serves, as upstream lists them.
fn root_paths() -> serde_json::Value {
    let mut paths = vec!["/api".to_string(), "/api/v1".to_string(), "/apis".to_string()];
    for (group, versions) in apimachinery::resource::GROUPS.iter().filter(|(g, _)| !g.is_empty()) {
        paths.push(format!("/apis/{group}"));
        for v in *versions {
            paths.push(format!("/apis/{group}/{v}"));
        }
    }
    paths.extend(
        ["/healthz", "/livez", "/metrics", "/openapi/v2", "/openapi/v3", "/readyz", "/version"].map(String::from),
    );
    serde_json::json!({ "paths": paths })
}
