//! Kubernetes protobuf bodies: decoding arbitrary bytes never panics, and whatever
//! decodes also encodes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(obj) = apimachinery::protobuf::decode(data) {
        let _ = apimachinery::protobuf::encode(&obj);
    }
    let _ = apimachinery::protobuf::decode_watch_event(data);
});
