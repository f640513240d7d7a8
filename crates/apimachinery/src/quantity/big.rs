//! A minimal unsigned big integer, enough for `inf.Dec` values upstream can hold.

use std::cmp::Ordering;

/// Little-endian base-1e9 limbs, without high zero limbs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Big(Vec<u32>);

const LIMB: u64 = 1_000_000_000;

impl Big {
    pub(super) fn from_u64(v: u64) -> Big {
        Big::from_u128(u128::from(v))
    }

    pub(super) fn from_u128(mut v: u128) -> Big {
        let mut limbs = Vec::new();
        while v > 0 {
            limbs.push((v % u128::from(LIMB)) as u32);
            v /= u128::from(LIMB);
        }
        Big(limbs)
    }

    /// `digits` must be ASCII digits.
    pub(super) fn from_digits(digits: &str) -> Big {
        let mut b = Big::default();
        for c in digits.bytes() {
            b.mul_small(10);
            b.add_small(u32::from(c - b'0'));
        }
        b
    }

    pub(super) fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    pub(super) fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = (v % LIMB) as u32;
            carry = v / LIMB;
        }
        while carry > 0 {
            self.0.push((carry % LIMB) as u32);
            carry /= LIMB;
        }
        self.trim();
    }

    pub(super) fn mul_pow10(&mut self, n: u64) {
        if self.is_zero() {
            return;
        }
        for _ in 0..n / 9 {
            self.0.insert(0, 0);
        }
        for _ in 0..n % 9 {
            self.mul_small(10);
        }
    }

    pub(super) fn add_small(&mut self, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.0 {
            if carry == 0 {
                return;
            }
            let v = u64::from(*limb) + carry;
            *limb = (v % LIMB) as u32;
            carry = v / LIMB;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    /// Divides in place and returns the remainder.
    pub(super) fn div_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for limb in self.0.iter_mut().rev() {
            let v = rem * LIMB + u64::from(*limb);
            *limb = (v / u64::from(d)) as u32;
            rem = v % u64::from(d);
        }
        self.trim();
        rem as u32
    }

    pub(super) fn rem_small(&self, d: u32) -> u32 {
        self.0.iter().rev().fold(0u64, |rem, &limb| (rem * LIMB + u64::from(limb)) % u64::from(d)) as u32
    }

    /// Divides by `10^n` in place, returning whether anything non-zero was dropped.
    pub(super) fn div_pow10(&mut self, n: u64) -> bool {
        if n >= self.digits() {
            let inexact = !self.is_zero();
            self.0.clear();
            return inexact;
        }
        let whole = (n / 9) as usize;
        let mut inexact = self.0.drain(..whole).any(|l| l != 0);
        for _ in 0..n % 9 {
            inexact |= self.div_small(10) != 0;
        }
        inexact
    }

    /// Strips factors of ten, returning how many there were.
    pub(super) fn strip_tens(&mut self) -> u64 {
        let mut n = 0;
        while !self.is_zero() && self.rem_small(10) == 0 {
            self.div_small(10);
            n += 1;
        }
        n
    }

    /// Number of decimal digits (0 for zero).
    pub(super) fn digits(&self) -> u64 {
        match self.0.last() {
            None => 0,
            Some(top) => (self.0.len() as u64 - 1) * 9 + u64::from(top.ilog10() + 1),
        }
    }

    /// The value modulo 2^64, as Go's `big.Int.Int64` reads it.
    pub(super) fn low_u64(&self) -> u64 {
        self.0.iter().rev().fold(0u64, |acc, &l| acc.wrapping_mul(LIMB).wrapping_add(u64::from(l)))
    }

    pub(super) fn to_decimal(&self) -> String {
        let Some((top, rest)) = self.0.split_last() else {
            return "0".into();
        };
        let mut out = top.to_string();
        for limb in rest.iter().rev() {
            out.push_str(&format!("{limb:09}"));
        }
        out
    }
}

impl Ord for Big {
    fn cmp(&self, other: &Big) -> Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, other: &Big) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
