//! IP and CIDR checks as upstream's `IsValidIP`, `IsValidCIDR` and `ValidateNonSpecialIP`
//! word them (parsing is "sloppy": IPv4 octets may carry leading zeros).

use std::net::{IpAddr, Ipv4Addr};

use serde_json::Value;

use super::access::Errs;
use crate::validation::errors::invalid;

/// `netutils.ParseIPSloppy`.
pub(super) fn parse_ip(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    // IPv4 with leading zeros ("010.0.0.1") is accepted and read as decimal.
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut octets = [0u8; 4];
    for (o, p) in octets.iter_mut().zip(&parts) {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *o = p.parse().ok()?;
    }
    Some(IpAddr::V4(Ipv4Addr::from(octets)))
}

/// `netutils.ParseCIDRSloppy`: the address and prefix length.
pub(super) fn parse_cidr(s: &str) -> Option<(IpAddr, u8)> {
    let (ip, bits) = s.split_once('/')?;
    let ip = parse_ip(ip)?;
    if bits.is_empty() || bits.len() > 3 || !bits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let bits: u8 = bits.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((ip, bits))
}

/// `IsValidIP`.
pub(super) fn check_ip(e: &mut Errs, value: &str, path: &str) -> bool {
    if parse_ip(value).is_none() {
        e.push(invalid(
            path,
            &Value::String(value.into()),
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        ));
        return false;
    }
    true
}

/// `IsValidCIDR`.
pub(super) fn check_cidr(e: &mut Errs, value: &str, path: &str) -> bool {
    if parse_cidr(value).is_none() {
        e.push(invalid(
            path,
            &Value::String(value.into()),
            "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        ));
        return false;
    }
    true
}

/// `ValidateNonSpecialIP`: no unspecified, loopback or link-local addresses.
pub(super) fn check_non_special_ip(e: &mut Errs, value: &str, path: &str) {
    let v = Value::String(value.into());
    let Some(ip) = parse_ip(value) else {
        e.push(invalid(path, &v, "must be a valid IP address"));
        return;
    };
    if ip.is_unspecified() {
        e.push(invalid(path, &v, &format!("may not be unspecified ({value})")));
    }
    if ip.is_loopback() {
        e.push(invalid(path, &v, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
    }
    let (link_local_unicast, link_local_multicast) = match ip {
        IpAddr::V4(a) => (a.octets()[0] == 169 && a.octets()[1] == 254, a.octets()[..3] == [224, 0, 0]),
        IpAddr::V6(a) => {
            let s = a.segments();
            (s[0] & 0xffc0 == 0xfe80, s[0] & 0xff0f == 0xff02)
        }
    };
    if link_local_unicast {
        e.push(invalid(path, &v, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
    }
    if link_local_multicast {
        e.push(invalid(path, &v, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
    }
}

/// Whether a list of IP strings has one address of each family (`IsDualStackIPStrings`).
pub(super) fn is_dual_stack(ips: &[&str]) -> bool {
    let parsed: Vec<Option<IpAddr>> = ips.iter().map(|i| parse_ip(i)).collect();
    let v4 = parsed.iter().flatten().filter(|i| i.is_ipv4()).count();
    let v6 = parsed.iter().flatten().filter(|i| i.is_ipv6()).count();
    v4 >= 1 && v6 >= 1
}

pub(super) fn is_ipv6(s: &str) -> bool {
    parse_ip(s).is_some_and(|i| i.is_ipv6())
}
