//! Protocol-buffer wire primitives: bounds-checked reading and appending writers.
//!
//! Error texts follow the gogo-generated Go decoders, since upstream returns them verbatim.

pub(crate) const VARINT: u8 = 0;
pub(crate) const FIXED64: u8 = 1;
pub(crate) const LEN: u8 = 2;
pub(crate) const START_GROUP: u8 = 3;
pub(crate) const END_GROUP: u8 = 4;
pub(crate) const FIXED32: u8 = 5;

/// Why a body could not be decoded; becomes a 400 at the public boundary. Kept small so
/// that the hot decoding paths do not move a whole `ApiError` around.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeError(pub(crate) String);

impl DecodeError {
    pub(crate) fn into_api(self) -> crate::ApiError {
        crate::ApiError::bad_request(format!("unable to decode protobuf body: {}", self.0))
    }
}

pub(crate) fn error(message: impl std::fmt::Display) -> DecodeError {
    DecodeError(message.to_string())
}

pub(crate) fn unexpected_eof() -> DecodeError {
    error("unexpected EOF")
}

/// One field as it appears on the wire.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Raw<'a> {
    Varint(u64),
    Fixed64(u64),
    /// No served field is fixed32; only its size matters when skipping.
    Fixed32,
    Bytes(&'a [u8]),
}

impl Raw<'_> {
    pub(crate) fn wire_type(&self) -> u8 {
        match self {
            Raw::Varint(_) => VARINT,
            Raw::Fixed64(_) => FIXED64,
            Raw::Fixed32 => FIXED32,
            Raw::Bytes(_) => LEN,
        }
    }
}

/// A cursor over one message's bytes.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// A base-128 varint; like Go, at most ten bytes, excess high bits dropped.
    pub(crate) fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut value: u64 = 0;
        let mut shift = 0u32;
        loop {
            if shift >= 64 {
                return Err(error("proto: integer overflow"));
            }
            let b = *self.buf.get(self.pos).ok_or_else(unexpected_eof)?;
            self.pos += 1;
            value |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(value);
            }
            shift += 7;
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).ok_or_else(unexpected_eof)?;
        let s = self.buf.get(self.pos..end).ok_or_else(unexpected_eof)?;
        self.pos = end;
        Ok(s)
    }

    fn length(&mut self) -> Result<usize, DecodeError> {
        let n = self.varint()?;
        if n > i64::MAX as u64 {
            return Err(error("proto: negative length found during unmarshaling"));
        }
        usize::try_from(n).map_err(|_| unexpected_eof())
    }

    /// The next field's number and value. `message` names the type in errors.
    pub(crate) fn field(&mut self, message: &str) -> Result<(u32, Raw<'a>), DecodeError> {
        let key = self.varint()?;
        let wire = (key & 7) as u8;
        let number = key >> 3;
        if wire == END_GROUP {
            return Err(error(format!("proto: {message}: wiretype end group for non-group")));
        }
        if number == 0 || number > i32::MAX as u64 {
            return Err(error(format!("proto: {message}: illegal tag {} (wire type {wire})", number as i32)));
        }
        let raw = match wire {
            VARINT => Raw::Varint(self.varint()?),
            FIXED64 => {
                let b = self.take(8)?;
                Raw::Fixed64(u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
            }
            FIXED32 => {
                self.take(4)?;
                Raw::Fixed32
            }
            LEN => {
                let n = self.length()?;
                Raw::Bytes(self.take(n)?)
            }
            START_GROUP => {
                self.skip_group()?;
                Raw::Bytes(&[])
            }
            _ => return Err(error(format!("proto: illegal wireType {wire}"))),
        };
        Ok((number as u32, raw))
    }

    /// Skips a (deprecated) group up to its matching end marker, as Go's skip does.
    fn skip_group(&mut self) -> Result<(), DecodeError> {
        let mut depth = 1usize;
        while depth > 0 {
            let key = self.varint()?;
            match (key & 7) as u8 {
                VARINT => {
                    self.varint()?;
                }
                FIXED64 => {
                    self.take(8)?;
                }
                FIXED32 => {
                    self.take(4)?;
                }
                LEN => {
                    let n = self.length()?;
                    self.take(n)?;
                }
                START_GROUP => depth += 1,
                END_GROUP => depth -= 1,
                wire => return Err(error(format!("proto: illegal wireType {wire}"))),
            }
        }
        Ok(())
    }
}

/// Appends a varint.
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(crate) fn put_key(out: &mut Vec<u8>, tag: u32, wire: u8) {
    put_varint(out, (u64::from(tag) << 3) | u64::from(wire));
}

pub(crate) fn put_bytes(out: &mut Vec<u8>, tag: u32, bytes: &[u8]) {
    put_key(out, tag, LEN);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

pub(crate) fn put_varint_field(out: &mut Vec<u8>, tag: u32, v: u64) {
    put_key(out, tag, VARINT);
    put_varint(out, v);
}

/// Writes a length-delimited field whose body `fill` appends, without a second buffer
/// for the common case of short bodies.
pub(crate) fn put_nested<E>(
    out: &mut Vec<u8>,
    tag: u32,
    fill: impl FnOnce(&mut Vec<u8>) -> Result<(), E>,
) -> Result<(), E> {
    put_key(out, tag, LEN);
    let mark = out.len();
    // Reserve one length byte; shift the body if the length needs more.
    out.push(0);
    fill(out)?;
    let len = out.len() - mark - 1;
    let mut prefix = Vec::with_capacity(10);
    put_varint(&mut prefix, len as u64);
    if prefix.len() == 1 {
        out[mark] = prefix[0];
    } else {
        out.splice(mark..mark + 1, prefix);
    }
    Ok(())
}

/// Strings on the wire need not be UTF-8; like Go's JSON encoder, each invalid byte
/// becomes U+FFFD.
pub(crate) fn lossy_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{fffd}');
                rest = &bad[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_overflow_is_an_error() {
        for v in [0u64, 1, 127, 128, 300, u64::MAX] {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            assert_eq!(Reader::new(&b).varint().ok(), Some(v));
        }
        assert!(Reader::new(&[0xff; 11]).varint().is_err());
        assert!(Reader::new(&[0x80]).varint().is_err());
    }

    #[test]
    fn nested_lengths_grow_when_bodies_are_long() {
        let mut out = Vec::new();
        put_nested::<()>(&mut out, 1, |o| {
            o.extend(std::iter::repeat_n(7u8, 200));
            Ok(())
        })
        .ok();
        assert_eq!(&out[..3], &[0x0a, 0xc8, 0x01]);
        assert_eq!(out.len(), 203);
    }

    #[test]
    fn invalid_utf8_bytes_each_become_a_replacement_character() {
        assert_eq!(lossy_string(b"a\xe2\x82b"), "a\u{fffd}\u{fffd}b");
        assert_eq!(lossy_string("é".as_bytes()), "é");
    }

    #[test]
    fn lengths_past_the_end_are_unexpected_eof() {
        let mut r = Reader::new(&[0x0a, 0x05, 1, 2]);
        let e = r.field("T").err().map(|e| e.0);
        assert_eq!(e.as_deref(), Some("unexpected EOF"));
    }
}
