//! Embeds the committed models (`models/*.bin`) into the binary when they exist, so that
//! `annals` needs no files at run time; a checkout without them still builds (for
//! bootstrapping with `annals train`), and then asks for `--models DIR`.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let models = manifest.join("../../models");
    println!("cargo:rerun-if-changed={}", models.display());
    let mut code = String::new();
    for (name, file) in [("TAGGER", "tagger.bin"), ("LEMMATIZER", "lemmatizer.bin"), ("PARSER", "parser.bin")] {
        let path = models.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        if path.exists() {
            let abs = path.canonicalize().unwrap_or(path);
            code.push_str(&format!("pub const {name}: &[u8] = include_bytes!({:?});\n", abs.display().to_string()));
        } else {
            code.push_str(&format!("pub const {name}: &[u8] = &[];\n"));
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded_models.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}
