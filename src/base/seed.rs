//! Seeds for independent random streams: a draft's structure, each slot, each corpus
//! document draw from their own stream, so adding a slot or a document changes nothing else.

/// FNV-1a over the parts (with separators): stable across platforms and releases,
/// unlike std's hasher.
pub fn stream_seed(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.iter().chain(std::iter::once(&0xff)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}
