//! POST pods/<name>/eviction: a delete that respects PodDisruptionBudgets, as kubectl drain
//! uses it.

use apimachinery::resource::lookup;
use apimachinery::selector::LabelSelector;
use apimachinery::{meta, ApiError, ApiResult, Cause, Subject};
use serde_json::{json, Value};

use super::body;
use super::store;
use super::write::{delete_object, DeleteOptions};
use super::Request;
use crate::api::Api;
use crate::negotiate;
use crate::response::{self, HttpResponse};

fn too_many_requests(causes: Vec<Cause>) -> ApiError {
    let mut e =
        ApiError::new(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.");
    e.causes = causes;
    e
}

/// Whether a pod can go without consulting budgets: it is finished, not yet running, or
/// already being deleted.
fn ignores_budgets(pod: &Value) -> bool {
    let phase = pod.pointer("/status/phase").and_then(Value::as_str).unwrap_or("");
    pod.pointer("/metadata/deletionTimestamp").is_some() || matches!(phase, "Succeeded" | "Failed" | "Pending")
}

pub async fn evict(api: &Api, req: &Request) -> ApiResult<HttpResponse> {
    let mut eviction = body::decode(&req.body, negotiate::body_encoding(&req.content_type)?)?;
    body::check_type(&mut eviction, "policy", "v1", "Eviction")?;
    let name = req.info.name.clone();
    if !meta::name(&eviction).is_empty() && meta::name(&eviction) != name {
        return Err(ApiError::bad_request("name in URL does not match name in Eviction object".to_string()));
    }
    let ns = req.info.namespace.clone();
    let pods = lookup("", "v1", "pods").ok_or_else(|| ApiError::internal("no pods resource"))?;
    let pdbs = lookup("policy", "v1", "poddisruptionbudgets").ok_or_else(|| ApiError::internal("no pdb resource"))?;
    let pod = api.read(pods, &ns, &name).await?.ok_or_else(|| ApiError::not_found(Api::subject(pods, &name)))?;
    let pod_value = pod.value();
    let options = eviction.get("deleteOptions").cloned().unwrap_or(json!({}));
    let opts = DeleteOptions {
        grace_period_seconds: options.get("gracePeriodSeconds").and_then(Value::as_i64),
        propagation_policy: options.get("propagationPolicy").and_then(Value::as_str).unwrap_or("").to_string(),
        precondition_uid: options.pointer("/preconditions/uid").and_then(Value::as_str).unwrap_or("").to_string(),
        precondition_rv: options
            .pointer("/preconditions/resourceVersion")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        dry_run: req.query.dry_run || options.get("dryRun").and_then(Value::as_array).is_some_and(|d| !d.is_empty()),
    };

    if !ignores_budgets(&pod_value) {
        let prefix = api.layout.list_prefix(pdbs, &ns);
        let page = api.etcd.range(&prefix, "", 0, 0).await.map_err(crate::errors::from_storage_plain)?;
        let matching: Vec<(String, Value)> = page
            .kvs
            .iter()
            .filter_map(|kv| serde_json::from_slice::<Value>(&kv.value).ok())
            .filter(|pdb| {
                pdb.pointer("/spec/selector")
                    .and_then(|s| LabelSelector::from_label_selector_json(s).ok())
                    .is_some_and(|s| !s.is_empty() && s.matches_object(&pod_value))
            })
            .map(|pdb| (meta::name(&pdb).to_string(), pdb))
            .collect();
        if matching.len() > 1 {
            return Err(ApiError::internal(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
            ));
        }
        if let Some((pdb_name, _)) = matching.first() {
            // Take one disruption from the budget, or refuse.
            let pod_name = name.clone();
            let now = meta::now_rfc3339();
            store::guaranteed_update(api, pdbs, &ns, pdb_name, opts.dry_run, |_, pdb| {
                let generation = pdb.pointer("/metadata/generation").and_then(Value::as_i64).unwrap_or(0);
                let observed = pdb.pointer("/status/observedGeneration").and_then(Value::as_i64).unwrap_or(-1);
                if observed < generation {
                    return Err(too_many_requests(vec![Cause::new(
                        "DisruptionBudget",
                        "The disruption budget is still being processed by the server.",
                        "",
                    )]));
                }
                let allowed = pdb.pointer("/status/disruptionsAllowed").and_then(Value::as_i64).unwrap_or(0);
                if allowed <= 0 {
                    let desired = pdb.pointer("/status/desiredHealthy").and_then(Value::as_i64).unwrap_or(0);
                    let current = pdb.pointer("/status/currentHealthy").and_then(Value::as_i64).unwrap_or(0);
                    return Err(too_many_requests(vec![Cause::new(
                        "DisruptionBudget",
                        format!(
                            "The disruption budget {} needs {desired} healthy pods and has {current} currently",
                            meta::name(pdb)
                        ),
                        "",
                    )]));
                }
                let mut new = pdb.clone();
                new["status"]["disruptionsAllowed"] = json!(allowed - 1);
                let disrupted =
                    new["status"].as_object_mut().map(|s| s.entry("disruptedPods").or_insert_with(|| json!({})));
                if let Some(Value::Object(d)) = disrupted {
                    d.insert(pod_name.clone(), json!(now));
                }
                Ok(Some(new))
            })
            .await?;
        }
    }
    match delete_object(api, pods, &ns, &name, &opts).await {
        Ok(_) => {}
        Err(e) if e.code == 404 => return Err(ApiError::not_found(Subject::new("", "pods", &name))),
        Err(e) => return Err(e),
    }
    let status = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201});
    Ok(response::json_response(201, &status))
}
