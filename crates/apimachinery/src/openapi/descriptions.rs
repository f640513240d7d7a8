//! Human-readable descriptions of types and fields.
//!
//! The text is not kept in this repository: it comes at run time from the JSON schemas the
//! `k8s-openapi` crate generates from the upstream Go doc comments. Types are matched by
//! their definition name and fields by their JSON name; anything missing simply has no
//! description.

use std::collections::HashMap;
use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use serde_json::Value;

/// A type whose `kind` and `apiVersion` descriptions stand for every type's.
const TYPE_META_SOURCE: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";

/// Descriptions by definition name.
#[derive(Debug, Default)]
pub(crate) struct Descriptions {
    types: HashMap<String, TypeText>,
}

#[derive(Debug, Default)]
struct TypeText {
    text: Option<String>,
    properties: HashMap<String, String>,
}

impl Descriptions {
    /// The description of a whole type.
    pub(crate) fn of_type(&self, type_name: &str) -> Option<&str> {
        self.types.get(type_name).and_then(|t| t.text.as_deref())
    }

    /// The description of one JSON field of a type. `kind` and `apiVersion` mean the same
    /// everywhere, so types without their own text (lists) borrow it from `Status`.
    pub(crate) fn of_field(&self, type_name: &str, json_name: &str) -> Option<&str> {
        let own = self.types.get(type_name).and_then(|t| t.properties.get(json_name));
        match own {
            Some(text) => Some(text),
            None if json_name == "kind" || json_name == "apiVersion" => {
                self.types.get(TYPE_META_SOURCE).and_then(|t| t.properties.get(json_name))
            }
            None => None,
        }
        .map(String::as_str)
    }

    /// How many types have any text (for tests and diagnostics).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.types.len()
    }

    fn from_definitions<'a>(defs: impl Iterator<Item = (&'a String, &'a Value)>) -> Descriptions {
        let mut types = HashMap::new();
        for (name, schema) in defs {
            let text = schema.get("description").and_then(Value::as_str).map(str::to_string);
            let mut properties = HashMap::new();
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (field, sub) in props {
                    if let Some(d) = sub.get("description").and_then(Value::as_str) {
                        properties.insert(field.clone(), d.to_string());
                    }
                }
            }
            types.insert(name.clone(), TypeText { text, properties });
        }
        Descriptions { types }
    }
}

/// The descriptions, collected on first use.
pub(crate) fn descriptions() -> &'static Descriptions {
    static DESCRIPTIONS: OnceLock<Descriptions> = OnceLock::new();
    DESCRIPTIONS.get_or_init(collect)
}

/// Walks the schemas of every served top-level type; `k8s-openapi` pulls in everything
/// they reference, so the roots are enough to reach every nested type.
fn collect() -> Descriptions {
    let mut generator = SchemaSettings::draft07().into_generator();
    macro_rules! roots {
        ($($ty:ty),* $(,)?) => {
            $( let _ = generator.subschema_for::<$ty>(); )*
        };
    }
    use k8s_openapi::api;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
    roots!(
        api::core::v1::Binding,
        api::core::v1::ComponentStatus,
        api::core::v1::ConfigMap,
        api::core::v1::Endpoints,
        api::core::v1::Event,
        api::core::v1::LimitRange,
        api::core::v1::Namespace,
        api::core::v1::Node,
        api::core::v1::PersistentVolume,
        api::core::v1::PersistentVolumeClaim,
        api::core::v1::Pod,
        api::core::v1::PodTemplate,
        api::core::v1::ReplicationController,
        api::core::v1::ResourceQuota,
        api::core::v1::Secret,
        api::core::v1::Service,
        api::core::v1::ServiceAccount,
        api::apps::v1::ControllerRevision,
        api::apps::v1::DaemonSet,
        api::apps::v1::Deployment,
        api::apps::v1::ReplicaSet,
        api::apps::v1::StatefulSet,
        api::autoscaling::v1::HorizontalPodAutoscaler,
        api::autoscaling::v1::Scale,
        api::autoscaling::v2::HorizontalPodAutoscaler,
        api::batch::v1::CronJob,
        api::batch::v1::Job,
        api::policy::v1::Eviction,
        api::policy::v1::PodDisruptionBudget,
        api::networking::v1::Ingress,
        api::networking::v1::IngressClass,
        api::networking::v1::NetworkPolicy,
        api::discovery::v1::EndpointSlice,
        api::coordination::v1::Lease,
        api::events::v1::Event,
        api::rbac::v1::ClusterRole,
        api::rbac::v1::ClusterRoleBinding,
        api::rbac::v1::Role,
        api::rbac::v1::RoleBinding,
        api::storage::v1::CSIDriver,
        api::storage::v1::CSINode,
        api::storage::v1::StorageClass,
        api::storage::v1::VolumeAttachment,
        api::scheduling::v1::PriorityClass,
        api::certificates::v1::CertificateSigningRequest,
        api::admissionregistration::v1::MutatingWebhookConfiguration,
        api::admissionregistration::v1::ValidatingWebhookConfiguration,
        api::authentication::v1::TokenRequest,
        api::authentication::v1::TokenReview,
        api::authentication::v1::SelfSubjectReview,
        api::authorization::v1::LocalSubjectAccessReview,
        api::authorization::v1::SelfSubjectAccessReview,
        api::authorization::v1::SelfSubjectRulesReview,
        api::authorization::v1::SubjectAccessReview,
        meta::APIGroup,
        meta::APIGroupList,
        meta::APIResourceList,
        meta::APIVersions,
        meta::Condition,
        meta::DeleteOptions,
        meta::FieldSelectorRequirement,
        meta::Patch,
        meta::Status,
        meta::WatchEvent<api::core::v1::Pod>,
    );
    Descriptions::from_definitions(generator.definitions().iter())
}
