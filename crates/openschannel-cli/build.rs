//! Gives `openschannel --version` the versions of the libraries it was built with: the
//! openschannel core and rustls, as Cargo.lock records them (the workspace's, or the one
//! `cargo package` puts in the CLI's own package).

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let lock = manifest
        .ancestors()
        .map(|d| d.join("Cargo.lock"))
        .find(|p| p.is_file());
    let text = lock
        .as_deref()
        .and_then(|p| {
            println!("cargo:rerun-if-changed={}", p.display());
            std::fs::read_to_string(p).ok()
        })
        .unwrap_or_default();
    let own = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let core = locked_version(&text, "openschannel").unwrap_or_else(|| own.clone());
    let rustls = locked_version(&text, "rustls").unwrap_or_else(|| "0.23".into());
    println!(
        "cargo:rustc-env=OPENSCHANNEL_LONG_VERSION={own} (library openschannel {core}, rustls {rustls})"
    );
    println!("cargo:rerun-if-changed=build.rs");
}

/// The version of package `name` in Cargo.lock's text (the highest, if several are locked).
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    let mut best: Option<Vec<u64>> = None;
    let mut best_text = None;
    while let Some(line) = lines.next() {
        if line.trim() != wanted {
            continue;
        }
        let Some(v) = lines
            .next()
            .and_then(|l| l.trim().strip_prefix("version = \""))
            .and_then(|l| l.strip_suffix('"'))
        else {
            continue;
        };
        let key: Vec<u64> = v.split('.').map(|p| p.parse().unwrap_or(0)).collect();
        if best.as_ref().is_none_or(|b| key > *b) {
            best = Some(key);
            best_text = Some(v.to_string());
        }
    }
    best_text
}
