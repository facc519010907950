//! Development tool: prints the sentences and tokens of a text file or standard input.
//!
//! `cargo run -p annals-text --example show [-- FILE]`: one sentence per line with
//! tokens separated by spaces (`norm` shown when it differs), for eyeballing output.

use std::io::Read;

fn main() {
    let mut bytes = Vec::new();
    let ok = match std::env::args().nth(1) {
        Some(path) => std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).is_ok(),
        None => std::io::stdin().read_to_end(&mut bytes).is_ok(),
    };
    if !ok {
        eprintln!("cannot read input");
        return;
    }
    let (text, invalid) = annals_text::decode_lossy(&bytes);
    if invalid {
        eprintln!("warning: input is not valid UTF-8");
    }
    let doc = annals_text::analyze(&text);
    for s in &doc.sentences {
        let forms: Vec<&str> = doc.tokens[s.tokens.clone()].iter().map(|t| t.form(&text)).collect();
        println!("{}", forms.join(" "));
    }
}
