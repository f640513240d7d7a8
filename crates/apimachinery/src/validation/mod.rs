//! Validation: name rules, field errors, and (per kind) upstream's validation rules.

mod errors;
mod kinds;
mod names;

pub use errors::{duplicate, forbidden, immutable, invalid, not_supported, required, show, too_long, too_many};
pub use kinds::{validate_create, validate_status_update, validate_update};
pub use names::{
    is_dns1035_label, is_dns1123_label, is_dns1123_subdomain, name_problems, validate_name, NameRule,
    DNS1123_LABEL_MAX, DNS1123_SUBDOMAIN_MAX,
};
