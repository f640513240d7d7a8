//! Defaults of `rbac.authorization.k8s.io/v1`: role references and subjects name the RBAC
//! group unless they say otherwise (service accounts live in the core group).

use super::{ensure_object, text, zero, Obj};

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

pub(super) fn defaults(ty: &str, m: &mut Obj) {
    match ty {
        "RoleBinding" | "ClusterRoleBinding" => {
            if let Some(role_ref) = ensure_object(m, "roleRef") {
                if zero(role_ref, "apiGroup") {
                    role_ref.insert("apiGroup".into(), RBAC_GROUP.into());
                }
            }
        }
        "Subject" if zero(m, "apiGroup") && matches!(text(m, "kind"), "User" | "Group") => {
            m.insert("apiGroup".into(), RBAC_GROUP.into());
        }
        _ => {}
    }
}
