//! Property tests: `read` returns (documents or an error) on any bytes in every format,
//! never panics, and every warning and error names the input.

use annals_read::{read, sniff, Format};
use proptest::prelude::*;

const FORMATS: [Format; 4] = [Format::Text, Format::Jsonl, Format::Csv, Format::Html];

/// Fragments that steer random input towards the parsers' interesting paths.
fn structured() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(&b"{\"text\": \"a b\", \"id\": 1}\n"[..]),
        Just(&b"{\"text\":"[..]),
        Just(&b"id,text,date\n"[..]),
        Just(&b"\"quoted,\n field\"\","[..]),
        Just(&b"\r\n"[..]),
        Just(&b"<html><body><article><p>"[..]),
        Just(&b"word word word word word word word word. "[..]),
        Just(&b"</p><div><nav><a href=x>link</a></nav>"[..]),
        Just(&b"<meta property=\"article:published_time\" content=\"2024-01-0"[..]),
        Just(&b"<script type=\"application/ld+json\">{\"datePublished\": [\""[..]),
        Just(&b"\xEF\xBB\xBF"[..]),
        Just(&b"\xFF\xFE"[..]),
        Just(&b"\xff\xc3"[..]),
        Just(&b"\0"[..]),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn check(bytes: &[u8]) {
    let _ = sniff(bytes);
    for format in FORMATS {
        let name = "in.put";
        match read(name, format, bytes) {
            Ok(out) => {
                for w in &out.warnings {
                    assert!(w.to_string().starts_with(name), "{w}");
                }
                for d in &out.documents {
                    if format == Format::Csv {
                        assert!(!d.text.trim().is_empty());
                    }
                }
            }
            Err(e) => assert!(e.to_string().starts_with(name), "{e}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        check(text.as_bytes());
    }

    #[test]
    fn structured_input_never_panics(bytes in structured()) {
        check(&bytes);
    }
}
