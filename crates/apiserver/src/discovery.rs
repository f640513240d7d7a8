//! API discovery: the aggregated form (apidiscovery.k8s.io/v2, what kubectl asks first)
//! and the legacy documents (/api, /apis, /api/v1, /apis/<group>/<version>).

use apimachinery::resource::{self, ResourceInfo, GROUPS};
use serde_json::{json, Value};

use crate::negotiate::parse_media_ranges;

pub const AGGREGATED_CONTENT_TYPE: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const AGGREGATED_V2BETA1_CONTENT_TYPE: &str =
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

/// Which discovery document the Accept header asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Legacy,
    AggregatedV2,
    AggregatedV2Beta1,
}

pub fn form(accept: Option<&str>) -> Form {
    for range in parse_media_ranges(accept.unwrap_or("")) {
        let aggregated =
            range.param("g") == Some("apidiscovery.k8s.io") && range.param("as") == Some("APIGroupDiscoveryList");
        match (aggregated, range.param("v")) {
            (true, Some("v2")) => return Form::AggregatedV2,
            (true, Some("v2beta1")) => return Form::AggregatedV2Beta1,
            (true, _) => continue,
            (false, _) if range.essence == "application/json" || range.essence == "*/*" => return Form::Legacy,
            _ => continue,
        }
    }
    Form::Legacy
}

pub fn content_type(form: Form) -> &'static str {
    match form {
        Form::Legacy => "application/json",
        Form::AggregatedV2 => AGGREGATED_CONTENT_TYPE,
        Form::AggregatedV2Beta1 => AGGREGATED_V2BETA1_CONTENT_TYPE,
    }
}

fn group_version(group: &str, version: &str) -> Value {
    json!({"groupVersion": resource::api_version(group, version), "version": version})
}

/// `/api` (legacy): APIVersions.
pub fn api_versions(server_address: &str) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    })
}

fn api_group(group: &str, versions: &[&str]) -> Value {
    json!({
        "name": group,
        "versions": versions.iter().map(|v| group_version(group, v)).collect::<Vec<_>>(),
        "preferredVersion": group_version(group, versions.first().copied().unwrap_or("v1")),
    })
}

/// `/apis` (legacy): APIGroupList of every named group.
pub fn api_group_list() -> Value {
    let groups: Vec<Value> = GROUPS.iter().filter(|(g, _)| !g.is_empty()).map(|(g, vs)| api_group(g, vs)).collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// `/apis/<group>`: one APIGroup.
pub fn api_group_doc(group: &str) -> Option<Value> {
    let (_, versions) = GROUPS.iter().find(|(g, _)| *g == group && !group.is_empty())?;
    let mut doc = api_group(group, versions);
    doc["kind"] = json!("APIGroup");
    doc["apiVersion"] = json!("v1");
    Some(doc)
}

fn sorted_resources(group: &str, version: &str) -> Vec<&'static ResourceInfo> {
    let mut list: Vec<_> = resource::resources_in(group, version).collect();
    list.sort_by_key(|r| r.plural);
    list
}

/// `/api/v1` or `/apis/<group>/<version>`: APIResourceList.
pub fn api_resource_list(group: &str, version: &str) -> Option<Value> {
    if !resource::serves_version(group, version) {
        return None;
    }
    let mut resources = Vec::new();
    for r in sorted_resources(group, version) {
        let mut entry = json!({
            "name": r.plural,
            "singularName": r.singular,
            "namespaced": r.namespaced,
            "kind": r.kind,
            "verbs": r.verbs,
        });
        if !r.short_names.is_empty() {
            entry["shortNames"] = json!(r.short_names);
        }
        if !r.categories.is_empty() {
            entry["categories"] = json!(r.categories);
        }
        resources.push(entry);
        for s in r.subresources {
            let mut sub = json!({
                "name": format!("{}/{}", r.plural, s.name),
                "singularName": "",
                "namespaced": r.namespaced,
                "kind": s.kind,
                "verbs": s.verbs,
            });
            if s.group != r.group || s.version != r.version {
                sub["group"] = json!(s.group);
                sub["version"] = json!(s.version);
            }
            resources.push(sub);
        }
    }
    Some(json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": resource::api_version(group, version),
        "resources": resources,
    }))
}

fn aggregated_resource(r: &ResourceInfo) -> Value {
    let mut entry = json!({
        "resource": r.plural,
        "responseKind": {"group": r.group, "version": r.version, "kind": r.kind},
        "scope": if r.namespaced { "Namespaced" } else { "Cluster" },
        "singularResource": r.singular,
        "verbs": r.verbs,
    });
    if !r.short_names.is_empty() {
        entry["shortNames"] = json!(r.short_names);
    }
    if !r.categories.is_empty() {
        entry["categories"] = json!(r.categories);
    }
    if !r.subresources.is_empty() {
        entry["subresources"] = Value::Array(
            r.subresources
                .iter()
                .map(|s| {
                    json!({
                        "subresource": s.name,
                        "responseKind": {"group": s.group, "version": s.version, "kind": s.kind},
                        "verbs": s.verbs,
                    })
                })
                .collect(),
        );
    }
    entry
}

fn aggregated_group(group: &str, versions: &[&str]) -> Value {
    let versions: Vec<Value> = versions
        .iter()
        .map(|v| {
            let resources: Vec<Value> = sorted_resources(group, v).into_iter().map(aggregated_resource).collect();
            json!({"version": v, "resources": resources, "freshness": "Current"})
        })
        .collect();
    let mut metadata = json!({"creationTimestamp": null});
    if !group.is_empty() {
        metadata["name"] = json!(group);
    }
    json!({"metadata": metadata, "versions": versions})
}

/// The aggregated document for `/api` (legacy: true) or `/apis`.
pub fn aggregated(legacy: bool, form: Form) -> Value {
    let items: Vec<Value> =
        GROUPS.iter().filter(|(g, _)| g.is_empty() == legacy).map(|(g, vs)| aggregated_group(g, vs)).collect();
    let api_version = match form {
        Form::AggregatedV2Beta1 => "apidiscovery.k8s.io/v2beta1",
        _ => "apidiscovery.k8s.io/v2",
    };
    json!({"kind": "APIGroupDiscoveryList", "apiVersion": api_version, "metadata": {}, "items": items})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_gets_aggregated_discovery_when_it_asks_for_v2() {
        let accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        assert_eq!(form(Some(accept)), Form::AggregatedV2);
        assert_eq!(form(Some("application/json")), Form::Legacy);
        assert_eq!(form(None), Form::Legacy);
    }

    #[test]
    fn the_core_group_lists_pods_with_short_names_categories_and_subresources() {
        let doc = aggregated(true, Form::AggregatedV2);
        let core = &doc["items"][0];
        assert!(core["metadata"].get("name").is_none());
        let pods = core["versions"][0]["resources"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["resource"] == "pods"))
            .expect("pods listed");
        assert_eq!(pods["shortNames"], json!(["po"]));
        assert_eq!(pods["categories"], json!(["all"]));
        assert_eq!(pods["scope"], "Namespaced");
        assert!(pods["subresources"].as_array().is_some_and(|s| s.iter().any(|x| x["subresource"] == "log")));
    }

    #[test]
    fn legacy_resource_lists_name_subresources_with_their_group() {
        let doc = api_resource_list("apps", "v1").expect("apps/v1");
        let scale = doc["resources"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["name"] == "deployments/scale"))
            .expect("deployments/scale");
        assert_eq!(scale["group"], "autoscaling");
        assert_eq!(scale["kind"], "Scale");
        assert!(api_resource_list("apps", "v9").is_none());
    }

    #[test]
    fn autoscaling_prefers_v2() {
        let group = api_group_doc("autoscaling").expect("autoscaling");
        assert_eq!(group["preferredVersion"]["version"], "v2");
    }
}
