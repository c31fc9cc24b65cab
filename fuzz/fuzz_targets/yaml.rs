//! The YAML reader never panics, and `locate` stays inside the scalar it is given.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(node) = argmap::yaml::parse(text) {
        if let argmap::yaml::Kind::Str(decoded) = &node.kind {
            if !decoded.is_empty() {
                let r = argmap::yaml::locate(text, node.start..node.end, decoded, 0..decoded.len());
                assert!(r.start <= r.end && r.end <= text.len().max(node.end));
            }
        }
    }
});
