//! Server-side apply and managed-field tracking: any live object and any apply
//! configuration give a result or an error, never a panic.
#![no_main]

use apimachinery::apply::{apply, track_update, Gvk};
use libfuzzer_sys::fuzz_target;

const NOW: &str = "2026-01-01T00:00:00Z";

fuzz_target!(|data: &[u8]| {
    // The input is "<live JSON>\n<config JSON>".
    let Some(split) = data.iter().position(|b| *b == b'\n') else { return };
    let (Ok(live), Ok(config)) = (
        serde_json::from_slice::<serde_json::Value>(&data[..split]),
        serde_json::from_slice::<serde_json::Value>(&data[split + 1..]),
    ) else {
        return;
    };
    for (group, version, kind) in [("apps", "v1", "Deployment"), ("", "v1", "ConfigMap"), ("example.com", "v1", "Widget")] {
        let gvk = Gvk { group, version, kind };
        let _ = apply(gvk, Some(&live), &config, "fuzz", false, "", NOW);
        let _ = apply(gvk, None, &config, "fuzz", true, "", NOW);
        let mut new = config.clone();
        let _ = track_update(gvk, Some(&live), &mut new, "fuzz", "", NOW);
    }
});
