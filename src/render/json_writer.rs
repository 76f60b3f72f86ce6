//! Compact JSON written straight into a byte buffer, the same bytes `serde_json::to_vec`
//! writes. A corpus line is 40 KB of text and hundreds of spans; serde's generic
//! machinery (and `#[serde(flatten)]`, which goes through a map) cost a sixth of a
//! draft's time. The tests in `json.rs` compare every field with what serde writes.

/// Writes `"name":`, preceded by a comma unless it is the object's first field.
/// Names are the format's own field names (`&'static str`, plain ASCII), which need no
/// escape: they are copied as they are.
pub fn key(out: &mut Vec<u8>, name: &'static str, first: bool) {
    debug_assert!(!name.bytes().any(needs_escape), "{name}");
    if !first {
        out.push(b',');
    }
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

pub fn number(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

pub fn optional_string(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(value) => string(out, value),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string escaped as serde_json escapes it: `"` and `\`, the five short control
/// escapes, `\u00xx` (lowercase) for the other control characters; everything else,
/// `/` and non-ASCII included, as it is.
pub fn string(out: &mut Vec<u8>, value: &str) {
    out.push(b'"');
    escaped(out, value);
    out.push(b'"');
}

/// Two texts written as one JSON string (a heading's label and its words).
pub fn joined_string(out: &mut Vec<u8>, first: &str, second: &str) {
    out.push(b'"');
    escaped(out, first);
    escaped(out, second);
    out.push(b'"');
}

/// The inside of a JSON string.
fn escaped(out: &mut Vec<u8>, value: &str) {
    let bytes = value.as_bytes();
    let mut clean_from = 0;
    // Chunk by chunk, the last one short: almost all of a draft's text needs no escape,
    // and a fold without early exit compiles to a vector compare. Only a chunk that
    // holds something to escape is read byte by byte.
    for (at, chunk) in bytes.chunks(CHUNK).enumerate() {
        if !chunk
            .iter()
            .fold(false, |dirty, &b| dirty | needs_escape(b))
        {
            continue;
        }
        let start = at * CHUNK;
        for (j, &b) in chunk.iter().enumerate() {
            if needs_escape(b) {
                out.extend_from_slice(&bytes[clean_from..start + j]);
                escape(out, b);
                clean_from = start + j + 1;
            }
        }
    }
    out.extend_from_slice(&bytes[clean_from..]);
}

const CHUNK: usize = 32;

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

fn escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn written(value: &str) -> String {
        let mut out = Vec::new();
        string(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_what_json_must_escape() {
        assert_eq!(written("同志们：\n\"好\"\\"), r#""同志们：\n\"好\"\\""#);
        assert_eq!(
            written("\u{1}\u{8}\u{c}\t\r\u{1f}"),
            r#""\u0001\b\f\t\r\u001f""#
        );
        assert_eq!(written("a/b\u{7f}"), "\"a/b\u{7f}\"");
    }

    proptest! {
        // Long strings with the odd escape anywhere, so that chunks and the tail are
        // both exercised.
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(
            value in "([\\x00-\\x7f]|[乡镇街道“”]|[\"\\\\\n]){0,200}",
        ) {
            prop_assert_eq!(written(&value), serde_json::to_string(&value).unwrap());
        }
    }
}
