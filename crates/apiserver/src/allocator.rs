//! Service ClusterIP and NodePort allocation, kept in etcd as upstream keeps it: one
//! `RangeAllocation` object per range (`/registry/ranges/serviceips`,
//! `/registry/ranges/secondaryserviceips`, `/registry/ranges/servicenodeports`) whose
//! `data` is a bitmap of the taken offsets. Every change is a compare-and-swap on that
//! key, so concurrent allocations are unique across requests and restarts.

use std::net::IpAddr;

use apimachinery::{ApiError, ApiResult};
use base64::Engine;
use rand::Rng;
use serde_json::{json, Value};
use storage::Etcd;

use crate::errors::from_storage_plain;

/// A contiguous range of allocatable values: IP offsets within a CIDR, or ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Range {
    Ip { cidr: String, base: IpAddr, size: u128 },
    Ports { base: u32, size: u32 },
}

impl Range {
    /// Parses `10.96.0.0/12` (the network and, for IPv4, broadcast addresses are never handed out).
    pub fn parse_cidr(cidr: &str) -> Result<Range, String> {
        let (addr, bits) = cidr.trim().split_once('/').ok_or_else(|| format!("invalid CIDR {cidr:?}"))?;
        let addr: IpAddr = addr.parse().map_err(|_| format!("invalid CIDR {cidr:?}"))?;
        let bits: u32 = bits.parse().map_err(|_| format!("invalid CIDR {cidr:?}"))?;
        let width = if addr.is_ipv4() { 32 } else { 128 };
        if bits > width || bits + 2 > width {
            return Err(format!("service CIDR {cidr:?} is too small"));
        }
        // As upstream: at most 2^20 addresses (a /12 for IPv4, a /108 for IPv6).
        if width - bits > 20 {
            return Err(format!(
                "service CIDR {cidr:?} is too large; for {width}-bit addresses, the mask must be >= {}",
                width - 20
            ));
        }
        let base = mask(addr, bits);
        Ok(Range::Ip { cidr: format!("{base}/{bits}"), base, size: 1u128 << (width - bits) })
    }

    /// Parses `30000-32767` (inclusive) or a single port.
    pub fn parse_ports(spec: &str) -> Result<Range, String> {
        let (lo, hi) = spec.split_once('-').unwrap_or((spec, spec));
        let lo: u32 = lo.trim().parse().map_err(|_| format!("invalid port range {spec:?}"))?;
        let hi: u32 = hi.trim().parse().map_err(|_| format!("invalid port range {spec:?}"))?;
        if lo == 0 || hi > 65535 || hi < lo {
            return Err(format!("invalid port range {spec:?}"));
        }
        Ok(Range::Ports { base: lo, size: hi - lo + 1 })
    }

    fn size(&self) -> u128 {
        match self {
            Range::Ip { size, .. } => *size,
            Range::Ports { size, .. } => u128::from(*size),
        }
    }

    /// The offsets that may be handed out.
    fn allocatable(&self, offset: u128) -> bool {
        match self {
            // The network address, and IPv4's broadcast address, are never allocated.
            Range::Ip { base, size, .. } => offset > 0 && offset < *size && !(base.is_ipv4() && offset == size - 1),
            Range::Ports { size, .. } => offset < u128::from(*size),
        }
    }

    pub fn display(&self) -> String {
        match self {
            Range::Ip { cidr, .. } => cidr.clone(),
            Range::Ports { base, size } => format!("{}-{}", base, base + size - 1),
        }
    }
}

fn mask(addr: IpAddr, bits: u32) -> IpAddr {
    match addr {
        IpAddr::V4(v4) => {
            let m = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            IpAddr::V4((u32::from(v4) & m).into())
        }
        IpAddr::V6(v6) => {
            let m = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
            IpAddr::V6((u128::from(v6) & m).into())
        }
    }
}

fn ip_offset(base: IpAddr, ip: IpAddr) -> Option<u128> {
    match (base, ip) {
        (IpAddr::V4(b), IpAddr::V4(i)) => u32::from(i).checked_sub(u32::from(b)).map(u128::from),
        (IpAddr::V6(b), IpAddr::V6(i)) => u128::from(i).checked_sub(u128::from(b)),
        _ => None,
    }
}

fn ip_at(base: IpAddr, offset: u128) -> IpAddr {
    match base {
        IpAddr::V4(b) => IpAddr::V4((u32::from(b).wrapping_add(offset as u32)).into()),
        IpAddr::V6(b) => IpAddr::V6((u128::from(b).wrapping_add(offset)).into()),
    }
}

/// A bitmap of taken offsets, serialized as upstream does: the big-endian bytes of an
/// integer whose bit `i` marks offset `i`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Bitmap {
    words: Vec<u64>,
}

impl Bitmap {
    fn get(&self, i: u128) -> bool {
        let (w, b) = ((i / 64) as usize, (i % 64) as u32);
        self.words.get(w).is_some_and(|word| word & (1 << b) != 0)
    }

    fn set(&mut self, i: u128, on: bool) {
        let (w, b) = ((i / 64) as usize, (i % 64) as u32);
        if w >= self.words.len() {
            if !on {
                return;
            }
            self.words.resize(w + 1, 0);
        }
        if on {
            self.words[w] |= 1 << b;
        } else {
            self.words[w] &= !(1 << b);
        }
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.words.len() * 8);
        for word in self.words.iter().rev() {
            out.extend_from_slice(&word.to_be_bytes());
        }
        let first = out.iter().position(|b| *b != 0).unwrap_or(out.len());
        out.drain(..first);
        out
    }

    fn from_bytes(bytes: &[u8]) -> Bitmap {
        let mut words = Vec::with_capacity(bytes.len() / 8 + 1);
        for chunk in bytes.rchunks(8) {
            let mut buf = [0u8; 8];
            buf[8 - chunk.len()..].copy_from_slice(chunk);
            words.push(u64::from_be_bytes(buf));
        }
        Bitmap { words }
    }
}

/// One range and the etcd key its bitmap lives under.
#[derive(Debug, Clone)]
pub struct Allocator {
    pub key: String,
    pub range: Range,
}

/// How a value relates to the range, for upstream's error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllocError {
    AlreadyAllocated,
    NotInRange,
    Full,
}

impl Allocator {
    fn encode(&self, bitmap: &Bitmap) -> Vec<u8> {
        let data = base64::engine::general_purpose::STANDARD.encode(bitmap.to_bytes());
        json!({
            "kind": "RangeAllocation",
            "apiVersion": "v1",
            "metadata": {"creationTimestamp": null},
            "range": self.range.display(),
            "data": data,
        })
        .to_string()
        .into_bytes()
    }

    fn decode(raw: &[u8]) -> Bitmap {
        let value: Value = serde_json::from_slice(raw).unwrap_or(Value::Null);
        let data = value.get("data").and_then(Value::as_str).unwrap_or("");
        Bitmap::from_bytes(&base64::engine::general_purpose::STANDARD.decode(data).unwrap_or_default())
    }

    /// Reads, changes and writes the bitmap until the write wins. `change` returns the
    /// result to hand back, and whether the bitmap changed. A dry run writes nothing.
    async fn update<T>(
        &self,
        etcd: &Etcd,
        dry_run: bool,
        mut change: impl FnMut(&mut Bitmap) -> Result<(T, bool), AllocError>,
    ) -> ApiResult<Result<T, AllocError>> {
        for _ in 0..64 {
            let (current, _) = etcd.get(&self.key).await.map_err(from_storage_plain)?;
            let mut bitmap = current.as_ref().map(|kv| Allocator::decode(&kv.value)).unwrap_or_default();
            let (result, changed) = match change(&mut bitmap) {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            if !changed || dry_run {
                return Ok(Ok(result));
            }
            let bytes = self.encode(&bitmap);
            let won = match &current {
                None => match etcd.create(&self.key, bytes).await {
                    Ok(_) => true,
                    Err(storage::StorageError::AlreadyExists) => false,
                    Err(e) => return Err(from_storage_plain(e)),
                },
                Some(kv) => etcd.update(&self.key, bytes, kv.mod_revision).await.map_err(from_storage_plain)?.is_ok(),
            };
            if won {
                return Ok(Ok(result));
            }
        }
        Err(ApiError::conflict(
            apimachinery::Subject::new("", "rangeallocations", &self.key),
            "too many concurrent allocations; please try again",
        ))
    }

    /// Takes a specific offset.
    async fn take(&self, etcd: &Etcd, offset: Option<u128>, dry_run: bool) -> ApiResult<Result<u128, AllocError>> {
        let range = self.range.clone();
        self.update(etcd, dry_run, |bitmap| match offset {
            Some(o) if !range.allocatable(o) => Err(AllocError::NotInRange),
            Some(o) if bitmap.get(o) => Err(AllocError::AlreadyAllocated),
            Some(o) => {
                bitmap.set(o, true);
                Ok((o, true))
            }
            None => {
                let size = range.size();
                // Start at a random point so concurrent allocations rarely collide.
                let start = rand::rng().random_range(0..size);
                for step in 0..size {
                    let o = (start + step) % size;
                    if range.allocatable(o) && !bitmap.get(o) {
                        bitmap.set(o, true);
                        return Ok((o, true));
                    }
                }
                Err(AllocError::Full)
            }
        })
        .await
    }

    /// Marks an offset used without failing if it already is (for repair at start-up).
    async fn mark(&self, etcd: &Etcd, offset: u128) -> ApiResult<()> {
        let range = self.range.clone();
        self.update(etcd, false, |bitmap| {
            if !range.allocatable(offset) || bitmap.get(offset) {
                return Ok(((), false));
            }
            bitmap.set(offset, true);
            Ok(((), true))
        })
        .await
        .map(|_| ())
    }

    async fn give_back(&self, etcd: &Etcd, offset: u128) -> ApiResult<()> {
        self.update(etcd, false, |bitmap| {
            let was = bitmap.get(offset);
            bitmap.set(offset, false);
            Ok(((), was))
        })
        .await
        .map(|_| ())
    }

    pub fn ip_offset(&self, ip: &str) -> Option<u128> {
        match &self.range {
            Range::Ip { base, .. } => ip.parse::<IpAddr>().ok().and_then(|ip| ip_offset(*base, ip)),
            Range::Ports { .. } => None,
        }
    }

    pub fn family(&self) -> Option<&'static str> {
        match &self.range {
            Range::Ip { base, .. } if base.is_ipv4() => Some("IPv4"),
            Range::Ip { .. } => Some("IPv6"),
            Range::Ports { .. } => None,
        }
    }

    /// Allocates an IP: the requested one, or any free one.
    pub async fn allocate_ip(
        &self,
        etcd: &Etcd,
        requested: Option<&str>,
        dry_run: bool,
    ) -> ApiResult<Result<String, AllocError>> {
        let Range::Ip { base, .. } = &self.range else { return Ok(Err(AllocError::NotInRange)) };
        let offset = match requested {
            Some(ip) => match self.ip_offset(ip) {
                Some(o) => Some(o),
                None => return Ok(Err(AllocError::NotInRange)),
            },
            None => None,
        };
        Ok(self.take(etcd, offset, dry_run).await?.map(|o| ip_at(*base, o).to_string()))
    }

    pub async fn release_ip(&self, etcd: &Etcd, ip: &str) -> ApiResult<()> {
        match self.ip_offset(ip) {
            Some(o) if o < self.range.size() => self.give_back(etcd, o).await,
            _ => Ok(()),
        }
    }

    pub async fn mark_ip(&self, etcd: &Etcd, ip: &str) -> ApiResult<()> {
        match self.ip_offset(ip) {
            Some(o) if o < self.range.size() => self.mark(etcd, o).await,
            _ => Ok(()),
        }
    }

    /// Allocates a port: the requested one, or any free one.
    pub async fn allocate_port(
        &self,
        etcd: &Etcd,
        requested: Option<u32>,
        dry_run: bool,
    ) -> ApiResult<Result<u32, AllocError>> {
        let Range::Ports { base, .. } = &self.range else { return Ok(Err(AllocError::NotInRange)) };
        let base = *base;
        let offset = match requested {
            Some(p) if p >= base => Some(u128::from(p - base)),
            Some(_) => return Ok(Err(AllocError::NotInRange)),
            None => None,
        };
        Ok(self.take(etcd, offset, dry_run).await?.map(|o| base + o as u32))
    }

    pub async fn release_port(&self, etcd: &Etcd, port: u32) -> ApiResult<()> {
        match &self.range {
            Range::Ports { base, size } if port >= *base && port - base < *size => {
                self.give_back(etcd, u128::from(port - base)).await
            }
            _ => Ok(()),
        }
    }

    pub async fn mark_port(&self, etcd: &Etcd, port: u32) -> ApiResult<()> {
        match &self.range {
            Range::Ports { base, size } if port >= *base && port - base < *size => {
                self.mark(etcd, u128::from(port - base)).await
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmaps_serialize_as_big_endian_integers() {
        let mut b = Bitmap::default();
        b.set(0, true);
        b.set(9, true);
        assert_eq!(b.to_bytes(), vec![0b10, 0b1]);
        assert_eq!(Bitmap::from_bytes(&b.to_bytes()), b);
        b.set(200, true);
        let back = Bitmap::from_bytes(&b.to_bytes());
        assert!(back.get(200) && back.get(9) && back.get(0) && !back.get(1));
    }

    #[test]
    fn cidrs_exclude_network_and_broadcast() {
        let r = Range::parse_cidr("10.96.0.0/12").expect("cidr");
        assert_eq!(r.size(), 1 << 20);
        assert!(!r.allocatable(0));
        assert!(r.allocatable(1));
        assert!(!r.allocatable((1 << 20) - 1));
        let v6 = Range::parse_cidr("fd00:10:96::/108").expect("v6");
        assert!(v6.allocatable((1 << 20) - 1));
        assert!(Range::parse_cidr("10.0.0.0/8").is_err(), "more than 2^20 addresses");
        assert!(Range::parse_cidr("bogus").is_err());
        assert!(Range::parse_cidr("10.0.0.1/32").is_err());
    }

    #[test]
    fn port_ranges_parse_inclusively() {
        assert_eq!(Range::parse_ports("30000-32767"), Ok(Range::Ports { base: 30000, size: 2768 }));
        assert!(Range::parse_ports("0-10").is_err());
        assert!(Range::parse_ports("10-5").is_err());
    }
}
