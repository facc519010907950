//! Feature hashing: strings and feature templates become 64-bit keys without allocating.
//!
//! Every model feature is a template id mixed with the hashes of its parts. Word hashes
//! are computed once per token, so a feature costs a few multiplications.

const K: u64 = 0x517c_c1b7_2722_0a95;

/// Mixes `x` into the running hash `h` (FxHash step).
#[inline]
pub fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(K)
}

/// Hash of a string's bytes.
#[inline]
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// Hash of a byte string (FxHash over 8-byte chunks, length mixed in).
#[inline]
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = mix(0x9e37_79b9_7f4a_7c15, b.len() as u64);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(a));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut a = [0u8; 8];
        a[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(a));
    }
    h
}

/// A feature key: template id and parts. Never zero (zero marks empty table slots).
#[inline]
pub fn feature(template: u64, parts: &[u64]) -> u64 {
    let mut h = mix(0x2545_f491_4f6c_dd1d, template);
    for &p in parts {
        h = mix(h, p);
    }
    // The high bits of the last multiplication are well mixed; tables index with them.
    h | 1
}

/// Spreads the bits of a hash (MurmurHash3's fmix64) before table indexing.
#[inline]
pub fn finalize(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_and_nonzero() {
        assert_ne!(hash_str("ab"), hash_str("ba"));
        assert_ne!(hash_str(""), hash_str("\0"));
        assert_ne!(feature(1, &[2, 3]), feature(1, &[3, 2]));
        assert_ne!(feature(1, &[2]), feature(2, &[2]));
        assert_eq!(feature(7, &[0]) & 1, 1);
    }
}
