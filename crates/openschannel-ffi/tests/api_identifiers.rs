//! Every SSPI, Schannel, crypt32 and CryptoAPI identifier that curl's, libgit2's and the SDK
//! web-client sample's Schannel code uses (`tests/api/identifiers.txt`, extracted by
//! `tests/api/extract_identifiers.py`) is declared by our headers: a C file referencing each
//! one (macros with `#ifndef`, types with `sizeof`, functions by address, enumerators by
//! value) is compiled against `include/` as C11 and C++11. Identifiers listed in
//! `tests/api/pending.txt` belong to work merged separately and may still be missing — but
//! one that is declared must leave that list.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// One probe per identifier, each on its own line so that a failure names it.
fn probe_source(ids: &[(String, String)]) -> String {
    let mut src = String::from(
        "#define SECURITY_WIN32\n#include <security.h>\n#include <sspi.h>\n#include <schannel.h>\n\
         #include <wincrypt.h>\n#include <subauth.h>\n",
    );
    for (name, kind) in ids.iter().filter(|(_, k)| k == "macro") {
        let _ = kind;
        src.push_str(&format!(
            "#ifndef {name}\n#error missing-identifier {name}\n#endif\n"
        ));
    }
    src.push_str("void openschannel_probe(void);\nvoid openschannel_probe(void) {\n");
    for (name, kind) in ids {
        match kind.as_str() {
            "macro" => {}
            "type" => src.push_str(&format!(
                "    (void)sizeof({name}); /* missing-identifier {name} */\n"
            )),
            "function" => src.push_str(&format!(
                "    (void)&{name}; /* missing-identifier {name} */\n"
            )),
            "constant" => src.push_str(&format!(
                "    (void)({name}); /* missing-identifier {name} */\n"
            )),
            other => panic!("unknown kind {other} for {name}"),
        }
    }
    src.push_str("}\n");
    src
}

/// Compiles `src`, returning the identifiers whose probe lines failed.
fn missing(compiler: &str, lang: &[&str], src: &str, dir: &Path, tag: &str) -> BTreeSet<String> {
    let file = dir.join(format!("api_identifiers_{tag}_{}.txt", std::process::id()));
    std::fs::write(&file, src).unwrap();
    let include = Path::new(env!("CARGO_MANIFEST_DIR")).join("include");
    let out = Command::new(compiler)
        .args(lang)
        .arg("-fsyntax-only")
        .arg("-fmax-errors=0")
        .arg("-I")
        .arg(&include)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("run {compiler}: {e}"));
    let _ = std::fs::remove_file(&file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let src_lines: Vec<&str> = src.lines().collect();
    let mut names = BTreeSet::new();
    for line in stderr.lines() {
        // "<file>:<line>:<col>: error: ..."
        let mut parts = line.splitn(4, ':');
        let (_, Some(l), _, Some(rest)) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if !rest.contains("error") {
            continue;
        }
        if let Some(text) = l
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|n| src_lines.get(n - 1))
        {
            if let Some(i) = text.find("missing-identifier ") {
                let name = text[i + 19..].split_whitespace().next().unwrap_or_default();
                names.insert(name.to_owned());
            }
        }
    }
    assert!(
        out.status.success() || !names.is_empty(),
        "{compiler} failed without naming an identifier:\n{stderr}"
    );
    names
}

#[test]
fn headers_declare_every_identifier_real_schannel_clients_use() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api");
    let ids: Vec<(String, String)> = lines(&dir.join("identifiers.txt"))
        .into_iter()
        .map(|l| {
            let mut it = l.split_whitespace();
            (
                it.next().unwrap().to_owned(),
                it.next().expect("NAME KIND").to_owned(),
            )
        })
        .collect();
    assert!(ids.len() > 250, "identifier list too short: {}", ids.len());
    let pending: BTreeSet<String> = lines(&dir.join("pending.txt")).into_iter().collect();
    let known: BTreeSet<&String> = ids.iter().map(|(n, _)| n).collect();
    for p in &pending {
        assert!(
            known.contains(p),
            "pending.txt names {p}, which identifiers.txt does not"
        );
    }
    let src = probe_source(&ids);
    let tmp = std::env::temp_dir();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let cxx = std::env::var("CXX").unwrap_or_else(|_| "c++".into());
    for (compiler, lang, tag) in [
        (cc.as_str(), &["-x", "c", "-std=c11"][..], "c11"),
        (cxx.as_str(), &["-x", "c++", "-std=c++11"][..], "cxx11"),
    ] {
        let missing = missing(compiler, lang, &src, &tmp, tag);
        let unexpected: Vec<&String> = missing.difference(&pending).collect();
        assert!(
            unexpected.is_empty(),
            "{tag}: identifiers missing from include/: {unexpected:?}"
        );
        let declared: Vec<&String> = pending.difference(&missing).collect();
        assert!(
            declared.is_empty(),
            "{tag}: now declared, remove from tests/api/pending.txt: {declared:?}"
        );
    }
}
