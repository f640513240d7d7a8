//! The image pull policy upstream derives from an image reference: `Always` for the
//! `latest` tag (which a reference with neither tag nor digest implies), `IfNotPresent`
//! otherwise, including for references upstream cannot parse.
//!
//! Parsing follows the grammar of the container image references upstream uses
//! (`docker.io` normalization of familiar names, lower-case repository paths, tags of at
//! most 128 word characters, and digests of a known algorithm with the exact hex length).

/// `Always` or `IfNotPresent` for a container's `image`.
pub(super) fn pull_policy_for_image(image: &str) -> &'static str {
    match parse_tag_and_digest(image) {
        Some((tag, digest)) if tag == "latest" || (tag.is_empty() && !digest) => "Always",
        _ => "IfNotPresent",
    }
}

/// Longest repository path upstream accepts.
const MAX_PATH_LEN: usize = 255;

/// The tag and whether a digest is present, or `None` when the reference does not parse.
fn parse_tag_and_digest(image: &str) -> Option<(String, bool)> {
    if image.len() == 64 && image.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    let (domain, remainder) = split_domain(image);
    let remainder = remainder.as_str();
    let remote = remainder.split(':').next().unwrap_or("");
    if remote.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let (before_digest, digest) = match remainder.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (remainder, None),
    };
    let (path, tag) = match before_digest.rsplit_once(':') {
        Some((path, tag)) if !tag.contains('/') => (path, Some(tag)),
        _ => (before_digest, None),
    };
    let tag_ok = tag.is_none_or(valid_tag);
    let tag = tag.unwrap_or("");
    let digest_ok = digest.is_none_or(valid_digest);
    let path_ok = path.len() <= MAX_PATH_LEN && path.split('/').all(valid_path_component);
    (valid_domain(domain) && tag_ok && digest_ok && path_ok).then(|| (tag.to_string(), digest.is_some()))
}

/// Splits off the registry the way upstream normalizes names: a first component that is
/// `localhost`, holds a `.` or `:`, or has upper-case letters names a registry; anything
/// else lives on Docker Hub, under `library/` when it has a single component.
fn split_domain(name: &str) -> (&str, String) {
    let Some((first, rest)) = name.split_once('/') else {
        return ("docker.io", format!("library/{name}"));
    };
    let (domain, remote) =
        if first == "localhost" || first.contains(['.', ':']) || first.bytes().any(|b| b.is_ascii_uppercase()) {
            (if first == "index.docker.io" { "docker.io" } else { first }, rest)
        } else {
            ("docker.io", name)
        };
    if domain == "docker.io" && !remote.contains('/') {
        return (domain, format!("library/{remote}"));
    }
    (domain, remote.to_string())
}

/// `host[:port]`, the host a dotted DNS name or a bracketed IPv6 address. A first component
/// that is no host can still pass as the first path component, as upstream's pattern allows.
fn valid_domain(domain: &str) -> bool {
    let (host_ok, port) = match domain.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inside, after)) => {
                (!inside.is_empty() && inside.bytes().all(|b| b.is_ascii_hexdigit() || b == b':'), after)
            }
            None => (false, ""),
        },
        None => {
            let (host, port) = domain.find(':').map_or((domain, ""), |i| domain.split_at(i));
            (host.split('.').all(valid_domain_component), port)
        }
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (host_ok && port_ok) || valid_path_component(domain)
}

fn valid_domain_component(c: &str) -> bool {
    let b = c.as_bytes();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
        }
        _ => false,
    }
}

/// Lower-case alphanumerics joined by `.`, `_`, `__` or runs of `-`.
fn valid_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: &u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if !b.first().is_some_and(alnum) || !b.last().is_some_and(alnum) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(&b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(&b[i]) {
            i += 1;
        }
        let sep = &b[start..i];
        let ok = matches!(sep, b"." | b"_" | b"__") || sep.iter().all(|x| *x == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// A word character, then up to 127 word characters, dots and dashes.
fn valid_tag(tag: &str) -> bool {
    let word = |x: u8| x.is_ascii_alphanumeric() || x == b'_';
    let b = tag.as_bytes();
    b.len() <= 128 && b.first().is_some_and(|x| word(*x)) && b.iter().all(|x| word(*x) || *x == b'.' || *x == b'-')
}

/// `algorithm:hex` with an algorithm upstream can verify and its exact, lower-case length.
fn valid_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else { return false };
    let len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
