//! Defaults of `storage.k8s.io/v1`: StorageClasses and CSIDrivers. (VolumeAttachments get
//! only the volume-source defaults of an inline persistent volume spec, as pods do.)

use serde_json::json;

use super::{default_ptr, empty, ensure_object, Obj};

pub(super) fn defaults(ty: &str, m: &mut Obj) {
    match ty {
        "StorageClass" => {
            default_ptr(m, "reclaimPolicy", "Delete");
            default_ptr(m, "volumeBindingMode", "Immediate");
        }
        "CSIDriver" => {
            let Some(spec) = ensure_object(m, "spec") else { return };
            default_ptr(spec, "attachRequired", true);
            default_ptr(spec, "podInfoOnMount", false);
            default_ptr(spec, "storageCapacity", false);
            default_ptr(spec, "fsGroupPolicy", "ReadWriteOnceWithFSType");
            if empty(spec, "volumeLifecycleModes") {
                spec.insert("volumeLifecycleModes".into(), json!(["Persistent"]));
            }
            default_ptr(spec, "requiresRepublish", false);
            // SELinuxMountReadWriteOncePod is on by default in 1.33.
            default_ptr(spec, "seLinuxMount", false);
        }
        _ => {}
    }
}
