//! Label and field selector parsing and matching never panic, and printed selectors parse back.
#![no_main]

use apimachinery::selector::{convert_field_selector, FieldSelector, LabelSelector};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(sel) = LabelSelector::parse(text) {
        let printed = sel.to_string();
        assert!(LabelSelector::parse(&printed).is_ok(), "{printed:?} does not parse back");
        let labels: serde_json::Map<String, serde_json::Value> =
            [("app".to_string(), serde_json::json!("web"))].into_iter().collect();
        let _ = sel.matches(&labels);
    }
    if let Ok(sel) = FieldSelector::parse(text) {
        let _ = FieldSelector::parse(&sel.to_string());
        let _ = convert_field_selector("", "pods", &sel);
        let _ = sel.matches(&|_| Some("x".to_string()));
    }
});
