//! Name rules shared by every resource, with upstream's error wording.

use crate::gofmt::go_quote;
use crate::status::Cause;

pub const DNS1123_LABEL_MAX: usize = 63;
pub const DNS1123_SUBDOMAIN_MAX: usize = 253;

const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/// Which rule a resource's names follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    Dns1123Subdomain,
    Dns1123Label,
    Dns1035Label,
    /// Anything usable as one URL path segment (RBAC objects).
    PathSegment,
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

pub fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= DNS1123_LABEL_MAX
        && is_alnum(b[0])
        && is_alnum(b[b.len() - 1])
        && b.iter().all(|&c| is_alnum(c) || c == b'-')
}

pub fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= DNS1123_SUBDOMAIN_MAX
        && !s.is_empty()
        && s.split('.').all(|part| {
            let b = part.as_bytes();
            !b.is_empty() && is_alnum(b[0]) && is_alnum(b[b.len() - 1]) && b.iter().all(|&c| is_alnum(c) || c == b'-')
        })
}

pub fn is_dns1035_label(s: &str) -> bool {
    is_dns1123_label(s) && s.as_bytes()[0].is_ascii_lowercase()
}

/// Problems with `name` under `rule`, as messages (empty when valid).
pub fn name_problems(rule: NameRule, name: &str) -> Vec<String> {
    let mut problems = Vec::new();
    match rule {
        NameRule::Dns1123Subdomain => {
            if name.len() > DNS1123_SUBDOMAIN_MAX {
                problems.push(format!("must be no more than {DNS1123_SUBDOMAIN_MAX} characters"));
            }
            if !is_dns1123_subdomain(&name[..floor_char_boundary(name, DNS1123_SUBDOMAIN_MAX)]) {
                problems.push(SUBDOMAIN_MSG.to_string());
            }
        }
        NameRule::Dns1123Label | NameRule::Dns1035Label => {
            if name.len() > DNS1123_LABEL_MAX {
                problems.push(format!("must be no more than {DNS1123_LABEL_MAX} characters"));
            }
            let head = &name[..floor_char_boundary(name, DNS1123_LABEL_MAX)];
            let (ok, msg) = if rule == NameRule::Dns1123Label {
                (is_dns1123_label(head), LABEL_MSG)
            } else {
                (is_dns1035_label(head), DNS1035_MSG)
            };
            if !ok {
                problems.push(msg.to_string());
            }
        }
        NameRule::PathSegment => {
            if name == "." || name == ".." {
                problems.push(format!("may not be '{name}'"));
            }
            for bad in ["/", "%"] {
                if name.contains(bad) {
                    problems.push(format!("may not contain '{bad}'"));
                }
            }
        }
    }
    problems
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    let mut i = max.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The causes for an invalid `metadata.name` (or `metadata.generateName` prefix).
pub fn validate_name(rule: NameRule, name: &str, field: &str) -> Vec<Cause> {
    name_problems(rule, name)
        .into_iter()
        .map(|p| Cause::new("FieldValueInvalid", format!("Invalid value: {}: {p}", go_quote(name)), field))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomains_allow_dots_but_not_capitals() {
        assert!(is_dns1123_subdomain("web.example-1"));
        assert!(!is_dns1123_subdomain("Web"));
        assert!(!is_dns1123_subdomain("a..b"));
        assert!(!is_dns1123_subdomain("-a"));
        assert!(!is_dns1123_subdomain(""));
    }

    #[test]
    fn labels_are_short_and_dotless() {
        assert!(is_dns1123_label("kube-system"));
        assert!(!is_dns1123_label("a.b"));
        assert!(!is_dns1123_label(&"a".repeat(64)));
        assert!(is_dns1035_label("web"));
        assert!(!is_dns1035_label("1web"));
    }

    #[test]
    fn invalid_names_read_like_upstream() {
        let causes = validate_name(NameRule::Dns1123Subdomain, "Bad_Name", "metadata.name");
        assert_eq!(causes.len(), 1);
        assert!(causes[0].message.starts_with("Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"));
        assert_eq!(causes[0].field, "metadata.name");
    }

    #[test]
    fn long_multibyte_names_do_not_panic() {
        let name = "é".repeat(100);
        assert!(!validate_name(NameRule::Dns1123Label, &name, "metadata.name").is_empty());
        assert!(!validate_name(NameRule::Dns1123Subdomain, &"ü".repeat(200), "metadata.name").is_empty());
    }

    #[test]
    fn path_segment_names_refuse_slashes() {
        assert_eq!(name_problems(NameRule::PathSegment, "a/b"), ["may not contain '/'"]);
        assert!(name_problems(NameRule::PathSegment, "system:controller:x").is_empty());
    }
}
