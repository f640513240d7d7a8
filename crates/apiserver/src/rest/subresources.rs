//! Subresources with their own shape: scale, pods/binding, namespaces/finalize, and
//! the ones that need a kubelet (log, exec, attach, portforward, proxy).

use apimachinery::selector::LabelSelector;
use apimachinery::{meta, ApiError, ApiResult, Cause, Subject};
use serde_json::{json, Value};

use super::body;
use super::patch;
use super::render;
use super::store;
use super::Request;
use crate::api::Api;
use crate::negotiate;
use crate::response::{self, HttpResponse};
use crate::strategy;

/// The `autoscaling/v1` Scale of a scalable object.
fn scale_of(obj: &Value) -> Value {
    let md = obj.get("metadata").cloned().unwrap_or_else(|| json!({}));
    let mut metadata = json!({});
    for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
        if let Some(v) = md.get(field) {
            metadata[field] = v.clone();
        }
    }
    let selector = match obj.pointer("/spec/selector") {
        // ReplicationControllers select with a plain map.
        Some(Value::Object(m)) if !m.contains_key("matchLabels") && !m.contains_key("matchExpressions") => {
            LabelSelector::from_set(m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())))
                .to_string()
        }
        Some(sel) => LabelSelector::from_label_selector_json(sel).map(|s| s.to_string()).unwrap_or_default(),
        None => String::new(),
    };
    let mut status = json!({"replicas": obj.pointer("/status/replicas").and_then(Value::as_i64).unwrap_or(0)});
    if !selector.is_empty() {
        status["selector"] = json!(selector);
    }
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": metadata,
        "spec": {"replicas": obj.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(0)},
        "status": status,
    })
}

fn scale_response(req: &Request, obj: &Value) -> HttpResponse {
    response::encode(200, &scale_of(obj), negotiate::Output { shape: negotiate::Shape::Object, ..req.output })
}

pub async fn get_scale(api: &Api, req: &Request) -> ApiResult<HttpResponse> {
    let obj = super::read::get_object(api, req).await?;
    Ok(scale_response(req, &obj.value()))
}

/// PUT or PATCH of a Scale: the new replica count goes into the object's spec.
pub async fn write_scale(api: &Api, req: &Request, is_patch: bool) -> ApiResult<HttpResponse> {
    let res = req.res;
    let name = req.info.name.clone();
    let strategy = strategy::for_resource(res);
    let manager = super::write::field_manager(req)?;
    let patch_doc = if is_patch {
        let kind = patch::PatchKind::from_content_type(&req.content_type)?;
        Some((kind, patch::parse(kind, &req.body)?))
    } else {
        None
    };
    let sent = if is_patch {
        None
    } else {
        let mut scale = body::decode(&req.body, negotiate::body_encoding(&req.content_type)?)?;
        body::check_type(&mut scale, "autoscaling", "v1", "Scale")?;
        Some(scale)
    };
    let updated = store::guaranteed_update(api, res, &req.info.namespace, &name, req.query.dry_run, |current, old| {
        let current_scale = scale_of(old);
        let new_scale = match (&patch_doc, &sent) {
            (Some((kind, doc)), _) => patch::apply(("autoscaling", "v1", "Scale"), *kind, doc, &current_scale)?,
            (None, Some(s)) => s.clone(),
            (None, None) => current_scale.clone(),
        };
        let precondition = meta::resource_version(&new_scale);
        if !precondition.is_empty() && precondition != current.revision.to_string() {
            return Err(ApiError::stale_resource_version(Api::subject(res, &name)));
        }
        let replicas = match new_scale.pointer("/spec/replicas") {
            None | Some(Value::Null) => 0,
            Some(v) => v.as_i64().filter(|r| *r >= 0 && *r <= i32::MAX as i64).ok_or_else(|| {
                ApiError::invalid(
                    Subject::new("autoscaling", "Scale", &name),
                    vec![Cause::new(
                        "FieldValueInvalid",
                        format!("Invalid value: {v}: must be greater than or equal to 0"),
                        "spec.replicas",
                    )],
                )
            })?,
        };
        let mut new = old.clone();
        if let Value::Object(map) = &mut new {
            let spec = map.entry("spec").or_insert_with(|| json!({}));
            spec["replicas"] = json!(replicas);
        }
        // The scale write is recorded on the parent, as the `scale` subresource's manager.
        let gvk = apimachinery::apply::Gvk { group: res.group, version: res.version, kind: res.kind };
        apimachinery::apply::track_update(gvk, Some(old), &mut new, &manager, "scale", &meta::now_rfc3339())?;
        Ok(Some(store::prepare_update(res, &strategy, store::Part::Main, new, old)))
    })
    .await?;
    Ok(scale_response(req, &updated.value()))
}

/// POST pods/<name>/binding (or /bindings): assigns a pod to a node, once.
pub async fn bind(api: &Api, req: &Request) -> ApiResult<HttpResponse> {
    let mut binding = body::decode(&req.body, negotiate::body_encoding(&req.content_type)?)?;
    body::check_type(&mut binding, "", "v1", "Binding")?;
    let name = if req.info.name.is_empty() { meta::name(&binding).to_string() } else { req.info.name.clone() };
    if !req.info.name.is_empty() && !meta::name(&binding).is_empty() && meta::name(&binding) != req.info.name {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({}) does not match the name on the URL ({})",
            meta::name(&binding),
            req.info.name
        )));
    }
    let node = binding.pointer("/target/name").and_then(Value::as_str).unwrap_or("").to_string();
    if node.is_empty() {
        return Err(ApiError::invalid(
            Subject::new("", "Binding", &name),
            vec![Cause::new("FieldValueRequired", "Required value", "target.name")],
        ));
    }
    let pods =
        apimachinery::resource::lookup("", "v1", "pods").ok_or_else(|| ApiError::internal("no pods resource"))?;
    let annotations = binding.pointer("/metadata/annotations").cloned();
    store::guaranteed_update(api, pods, &req.info.namespace, &name, req.query.dry_run, |_, old| {
        if old.pointer("/metadata/deletionTimestamp").is_some() {
            return Err(ApiError::conflict(
                Api::subject(pods, &name),
                "pod is being deleted, cannot be assigned to a host",
            ));
        }
        if let Some(existing) = old.pointer("/spec/nodeName").and_then(Value::as_str).filter(|n| !n.is_empty()) {
            return Err(ApiError::conflict(
                Api::subject(pods, &name),
                &format!("pod {name} is already assigned to node \"{existing}\""),
            ));
        }
        let mut new = old.clone();
        new["spec"]["nodeName"] = json!(node);
        if let Some(Value::Object(extra)) = &annotations {
            let md = meta::metadata_mut(&mut new);
            let ann = md.entry("annotations").or_insert_with(|| json!({}));
            for (k, v) in extra {
                ann[k] = v.clone();
            }
        }
        set_scheduled_condition(&mut new);
        Ok(Some(new))
    })
    .await?;
    let status = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201});
    Ok(response::json_response(201, &status))
}

/// A bound pod is marked `PodScheduled=True`, as the binding subresource does upstream.
fn set_scheduled_condition(pod: &mut Value) {
    let now = meta::now_rfc3339();
    let condition = json!({"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": now});
    let status = pod.as_object_mut().map(|m| m.entry("status").or_insert_with(|| json!({})));
    let Some(status) = status else { return };
    if !status.is_object() {
        *status = json!({});
    }
    let conditions = status.as_object_mut().map(|m| m.entry("conditions").or_insert_with(|| json!([])));
    let Some(Value::Array(list)) = conditions else { return };
    match list.iter_mut().find(|c| c.get("type").and_then(Value::as_str) == Some("PodScheduled")) {
        Some(existing) => *existing = condition,
        None => list.push(condition),
    }
}

/// PUT namespaces/<name>/finalize: replaces spec.finalizers; a terminating namespace
/// with none left is deleted.
pub async fn finalize_namespace(api: &Api, req: &Request) -> ApiResult<HttpResponse> {
    let res = req.res;
    let mut sent = body::decode(&req.body, negotiate::body_encoding(&req.content_type)?)?;
    body::check_type(&mut sent, "", "v1", "Namespace")?;
    let finalizers = sent.pointer("/spec/finalizers").cloned().unwrap_or_else(|| json!([]));
    let name = req.info.name.clone();
    let updated = store::guaranteed_update(api, res, "", &name, req.query.dry_run, |_, old| {
        let mut new = old.clone();
        if let Value::Object(map) = &mut new {
            let spec = map.entry("spec").or_insert_with(|| json!({}));
            spec["finalizers"] = finalizers.clone();
        }
        Ok(Some(new))
    })
    .await?;
    let value = updated.value();
    let spec_empty = value.pointer("/spec/finalizers").and_then(Value::as_array).is_none_or(|f| f.is_empty());
    if store::completes_deletion(&value, &value) && spec_empty && !req.query.dry_run {
        let key = api.layout.key(res, "", &name);
        let _ = api.etcd.delete(&key, updated.revision).await;
    }
    Ok(render::object(res, &updated, req.output, "", 200))
}

/// Subresources served by the kubelet. Until a kubelet is reachable the answer is what
/// upstream says when it cannot reach one.
pub async fn kubelet_subresource(api: &Api, req: &Request) -> ApiResult<HttpResponse> {
    let res = req.res;
    let obj = super::read::get_object(api, &Request { query: Default::default(), ..req.clone() }).await?;
    let value = obj.value();
    let node = value.pointer("/spec/nodeName").and_then(Value::as_str).unwrap_or("");
    if res.plural == "pods" && req.info.subresource == "log" {
        let asked = req.query.raw.iter().find(|(k, _)| k == "container").map_or("", |(_, v)| v.as_str());
        log_container(&value, &req.info.name, asked)?;
        if node.is_empty() {
            // Nothing has run yet, so there is nothing to read: upstream answers an empty log.
            return Ok(crate::response::bytes_response(200, "text/plain", Vec::new()));
        }
    }
    if res.plural == "pods" && node.is_empty() {
        return Err(ApiError::bad_request(format!("pod {} does not have a host assigned", req.info.name)));
    }
    Err(ApiError::service_unavailable(format!(
        "the {} subresource needs a connection to the kubelet on node {node:?}, which this server does not have yet",
        req.info.subresource
    )))
}

/// The container a log request reads, checked as upstream checks it: the one asked for must
/// exist; without one, the pod must have exactly one container.
fn log_container(pod: &Value, pod_name: &str, asked: &str) -> ApiResult<String> {
    let names = |field: &str| -> Vec<String> {
        let list = pod.pointer(&format!("/spec/{field}")).and_then(Value::as_array);
        list.into_iter().flatten().filter_map(|c| c.get("name").and_then(Value::as_str)).map(str::to_string).collect()
    };
    let containers = names("containers");
    if asked.is_empty() {
        return match containers.as_slice() {
            [only] => Ok(only.clone()),
            [] => Err(ApiError::bad_request(format!("a container name must be specified for pod {pod_name}"))),
            _ => {
                let all: Vec<String> = [names("initContainers"), containers, names("ephemeralContainers")].concat();
                Err(ApiError::bad_request(format!(
                    "a container name must be specified for pod {pod_name}, choose one of: [{}]",
                    all.join(" ")
                )))
            }
        };
    }
    let known =
        ["initContainers", "containers", "ephemeralContainers"].iter().any(|f| names(f).iter().any(|n| n == asked));
    match known {
        true => Ok(asked.to_string()),
        false => Err(ApiError::bad_request(format!("container {asked} is not valid for pod {pod_name}"))),
    }
}
