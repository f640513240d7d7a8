//! Strategic merge patches: any object and any patch give a result or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The input is "<original JSON>\n<patch JSON>".
    let Some(split) = data.iter().position(|b| *b == b'\n') else { return };
    let (Ok(original), Ok(patch)) = (
        serde_json::from_slice::<serde_json::Value>(&data[..split]),
        serde_json::from_slice::<serde_json::Value>(&data[split + 1..]),
    ) else {
        return;
    };
    for (group, version, kind) in [("apps", "v1", "Deployment"), ("", "v1", "Pod"), ("", "v1", "Node")] {
        let _ = apimachinery::patch::strategic_merge(group, version, kind, &original, &patch);
    }
});
