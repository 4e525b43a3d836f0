//! ABI stability of `libopenschannel`: the exported symbols are exactly the committed list
//! (`abi/exports.txt`), and the C headers lay out every structure exactly as the library's
//! `#[repr(C)]` mirrors (`src/types.rs`) do — sizes, alignments and field offsets measured by a
//! C compiler on the real headers, compared with `size_of`/`align_of`/`offset_of!` here.
//!
//! After an intended change of the exports, regenerate the list with
//! `OPENSCHANNEL_BLESS=1 cargo test -p openschannel-ffi --test abi` and commit it.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::mem::{align_of, offset_of, size_of};
use std::path::{Path, PathBuf};
use std::process::Command;

use openschannel_ffi::types::*;

/// `target/<profile>/`: cargo builds the cdylib next to the rlib this test links.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    exe.parent()
        .and_then(Path::parent)
        .expect("target dir")
        .to_path_buf()
}

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The committed export list: one name a line, sorted.
fn committed_exports() -> BTreeSet<String> {
    let text =
        std::fs::read_to_string(crate_dir().join("abi/exports.txt")).expect("abi/exports.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// The names `lib` exports (defined dynamic symbols, version suffixes and version-node
/// entries left out), read with `nm -D`.
fn exported_by(lib: &Path) -> BTreeSet<String> {
    let out = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(lib)
        .output()
        .expect("run nm (binutils)");
    assert!(out.status.success(), "nm failed on {}", lib.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace().rev();
            let name = parts.next()?;
            let kind = parts.next()?;
            (kind != "A").then(|| name.split('@').next().unwrap_or(name).to_string())
        })
        .collect()
}

/// The library exports exactly `abi/exports.txt`: no export lost or gained by accident, and
/// none of them a Rust (`_ZN…`, `_R…`) or bundled-C (`aws_lc…`) symbol.
#[test]
fn exported_symbols_match_the_committed_list() {
    let lib = target_dir().join("deps/libopenschannel_ffi.so");
    assert!(lib.exists(), "{} not built", lib.display());
    let exported = exported_by(&lib);
    if std::env::var("OPENSCHANNEL_BLESS").is_ok_and(|v| v == "1") {
        let mut text = String::new();
        for name in &exported {
            let _ = writeln!(text, "{name}");
        }
        std::fs::write(crate_dir().join("abi/exports.txt"), text).expect("write exports.txt");
        return;
    }
    for name in &exported {
        assert!(
            !name.starts_with("_ZN") && !name.starts_with("_R") && !name.starts_with("aws_lc"),
            "internal symbol exported: {name}"
        );
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "odd export {name:?}"
        );
    }
    let committed = committed_exports();
    let added: Vec<_> = exported.difference(&committed).collect();
    let removed: Vec<_> = committed.difference(&exported).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "exports differ from abi/exports.txt\n  added:   {added:?}\n  removed: {removed:?}\n\
         (intended? OPENSCHANNEL_BLESS=1 cargo test -p openschannel-ffi --test abi)"
    );
}

/// One structure's layout: name (the Rust mirror's, and the header's), size, alignment, and each
/// field's offset.
struct Layout {
    name: &'static str,
    c_name: &'static str,
    size: usize,
    align: usize,
    fields: Vec<(&'static str, usize)>,
}

/// The mirrored structures of `src/types.rs` with all their fields; `Mirror as CName` where the
/// header's typedef is named otherwise.
macro_rules! mirrored {
    ($($ty:ident $(as $c:ident)? { $($field:ident),* $(,)? }),* $(,)?) => {
        fn rust_layouts() -> Vec<Layout> {
            vec![$(Layout {
                name: stringify!($ty),
                c_name: mirrored!(@c $ty $($c)?),
                size: size_of::<$ty>(),
                align: align_of::<$ty>(),
                fields: vec![$((stringify!($field), offset_of!($ty, $field))),*],
            }),*]
        }
    };
    (@c $ty:ident) => { stringify!($ty) };
    (@c $ty:ident $c:ident) => { stringify!($c) };
}

mirrored! {
    SecHandle { dwLower, dwUpper },
    SecBuffer { cbBuffer, BufferType, pvBuffer },
    SecBufferDesc { ulVersion, cBuffers, pBuffers },
    SecPkgInfoA { fCapabilities, wVersion, wRPCID, cbMaxToken, Name, Comment },
    SecPkgInfoW { fCapabilities, wVersion, wRPCID, cbMaxToken, Name, Comment },
    SCHANNEL_CRED { dwVersion, cCreds, paCred, hRootStore, cMappers, aphMappers, cSupportedAlgs, palgSupportedAlgs, grbitEnabledProtocols, dwMinimumCipherStrength, dwMaximumCipherStrength, dwSessionLifespan, dwFlags, dwCredFormat },
    UNICODE_STRING { Length, MaximumLength, Buffer },
    CRYPTO_SETTINGS { eAlgorithmUsage, strCngAlgId, cChainingModes, rgstrChainingModes, dwMinBitLength, dwMaxBitLength },
    TLS_PARAMETERS { cAlpnIds, rgstrAlpnIds, grbitDisabledProtocols, cDisabledCrypto, pDisabledCrypto, dwFlags },
    SCH_CREDENTIALS { dwVersion, dwCredFormat, cCreds, paCred, hRootStore, cMappers, aphMappers, dwSessionLifespan, dwFlags, cTlsParameters, pTlsParameters },
    SecPkgContext_StreamSizes { cbHeader, cbTrailer, cbMaximumMessage, cBuffers, cbBlockSize },
    SecPkgContext_Sizes { cbMaxToken, cbMaxSignature, cbBlockSize, cbSecurityTrailer },
    SecPkgContext_ConnectionInfo { dwProtocol, aiCipher, dwCipherStrength, aiHash, dwHashStrength, aiExch, dwExchStrength },
    SecPkgContext_CipherInfo { dwVersion, dwProtocol, dwCipherSuite, dwBaseCipherSuite, szCipherSuite, szCipher, dwCipherLen, dwCipherBlockLen, szHash, dwHashLen, szExchange, dwMinExchangeLen, dwMaxExchangeLen, szCertificate, dwKeyType },
    SecPkgContext_SessionInfo { dwFlags, cbSessionId, rgbSessionId },
    SecPkgContext_ApplicationProtocol { ProtoNegoStatus, ProtoNegoExt, ProtocolIdSize, ProtocolId },
    SecPkgContext_KeyInfo { sSignatureAlgorithmName, sEncryptAlgorithmName, KeySize, SignatureAlgorithm, EncryptAlgorithm },
    SecPkgContext_PackageInfo { PackageInfo },
    SecPkgCred_SupportedProtocols { grbitProtocol },
    SecPkgCred_SupportedAlgs { cSupportedAlgs, palgSupportedAlgs },
    SecPkgCred_CipherStrengths { dwMinimumCipherStrength, dwMaximumCipherStrength },
    SEC_CHANNEL_BINDINGS { dwInitiatorAddrType, cbInitiatorLength, dwInitiatorOffset, dwAcceptorAddrType, cbAcceptorLength, dwAcceptorOffset, cbApplicationDataLength, dwApplicationDataOffset },
    SecPkgContext_Bindings { BindingsLength, Bindings },
    SecPkgContext_KeyingMaterialInfo { cbLabel, pszLabel, cbContextValue, pbContextValue, cbKeyingMaterial },
    SecPkgContext_KeyingMaterial { cbKeyingMaterial, pbKeyingMaterial },
    SecPkgContext_IssuerListInfoEx { aIssuers, cIssuers },
    CRYPT_BLOB as CRYPT_INTEGER_BLOB { cbData, pbData },
    CRYPT_ALGORITHM_IDENTIFIER { pszObjId, Parameters },
    CRYPT_BIT_BLOB { cbData, pbData, cUnusedBits },
    CERT_PUBLIC_KEY_INFO { Algorithm, PublicKey },
    CERT_EXTENSION { pszObjId, fCritical, Value },
    FILETIME { dwLowDateTime, dwHighDateTime },
    CERT_INFO { dwVersion, SerialNumber, SignatureAlgorithm, Issuer, NotBefore, NotAfter, Subject, SubjectPublicKeyInfo, IssuerUniqueId, SubjectUniqueId, cExtension, rgExtension },
    CERT_CONTEXT { dwCertEncodingType, pbCertEncoded, cbCertEncoded, pCertInfo, hCertStore },
    SecurityFunctionTableW { dwVersion, EnumerateSecurityPackagesW, QueryCredentialsAttributesW, AcquireCredentialsHandleW, FreeCredentialsHandle, Reserved2, InitializeSecurityContextW, AcceptSecurityContext, CompleteAuthToken, DeleteSecurityContext, ApplyControlToken, QueryContextAttributesW, ImpersonateSecurityContext, RevertSecurityContext, MakeSignature, VerifySignature, FreeContextBuffer, QuerySecurityPackageInfoW, Reserved3, Reserved4, ExportSecurityContext, ImportSecurityContextW, AddCredentialsW, Reserved8, QuerySecurityContextToken, EncryptMessage, DecryptMessage, SetContextAttributesW, SetCredentialsAttributesW, ChangeAccountPasswordW, QueryContextAttributesExW, QueryCredentialsAttributesExW },
    SecurityFunctionTableA { dwVersion, EnumerateSecurityPackagesA, QueryCredentialsAttributesA, AcquireCredentialsHandleA, FreeCredentialsHandle, Reserved2, InitializeSecurityContextA, AcceptSecurityContext, CompleteAuthToken, DeleteSecurityContext, ApplyControlToken, QueryContextAttributesA, ImpersonateSecurityContext, RevertSecurityContext, MakeSignature, VerifySignature, FreeContextBuffer, QuerySecurityPackageInfoA, Reserved3, Reserved4, ExportSecurityContext, ImportSecurityContextA, AddCredentialsA, Reserved8, QuerySecurityContextToken, EncryptMessage, DecryptMessage, SetContextAttributesA, SetCredentialsAttributesA, ChangeAccountPasswordA, QueryContextAttributesExA, QueryCredentialsAttributesExA },
}

/// The layouts as text, one line per structure and per field, in list order.
fn render(layouts: &[Layout]) -> String {
    let mut out = String::new();
    for l in layouts {
        let _ = writeln!(out, "{} size {} align {}", l.name, l.size, l.align);
        for (f, off) in &l.fields {
            let _ = writeln!(out, "{}.{} offset {}", l.name, f, off);
        }
    }
    out
}

/// A C program printing the same text as [`render`], from the headers, for `layouts`.
fn c_program(layouts: &[Layout]) -> String {
    let mut c = String::from(
        "#define SECURITY_WIN32\n#include <stddef.h>\n#include <stdio.h>\n\
         #include <openschannel.h>\n\nint main(void) {\n",
    );
    for l in layouts {
        let _ = writeln!(
            c,
            "    printf(\"{n} size %zu align %zu\\n\", sizeof({c}), _Alignof({c}));",
            n = l.name,
            c = l.c_name
        );
        for (f, _) in &l.fields {
            let _ = writeln!(
                c,
                "    printf(\"{n}.{f} offset %zu\\n\", offsetof({c}, {f}));",
                n = l.name,
                c = l.c_name
            );
        }
    }
    c.push_str("    return 0;\n}\n");
    c
}

/// Every structure the headers and `src/types.rs` share has the same size, alignment and field
/// offsets on both sides.
#[test]
fn header_layouts_match_the_repr_c_mirrors() {
    let layouts = rust_layouts();
    let dir = target_dir().join("c-tests");
    std::fs::create_dir_all(&dir).expect("work dir");
    let src = dir.join("abi_layout.c");
    std::fs::write(&src, c_program(&layouts)).expect("write abi_layout.c");
    let exe = dir.join(format!("abi_layout-{}", std::process::id()));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let status = Command::new(cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-I"])
        .arg(crate_dir().join("include"))
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .status()
        .expect("run cc");
    assert!(status.success(), "compiling {} failed", src.display());
    let out = Command::new(&exe).output().expect("run abi_layout");
    let _ = std::fs::remove_file(&exe);
    assert!(out.status.success());
    let from_c = String::from_utf8(out.stdout).expect("utf-8");
    let from_rust = render(&layouts);
    for (c, r) in from_c.lines().zip(from_rust.lines()) {
        assert_eq!(c, r, "C header (left) and Rust mirror (right) differ");
    }
    assert_eq!(from_c.lines().count(), from_rust.lines().count());
}

/// The list above covers every `#[repr(C)]` structure of `src/types.rs` and every field of
/// each, so a mirror added or changed there cannot escape the comparison.
#[test]
fn the_layout_list_covers_every_mirror() {
    let text = std::fs::read_to_string(crate_dir().join("src/types.rs")).expect("types.rs");
    let mut in_types = Vec::new();
    let mut lines = text.lines().peekable();
    let mut repr_c = false;
    while let Some(line) = lines.next() {
        let t = line.trim();
        if t.starts_with("#[repr(C") {
            repr_c = true;
            continue;
        }
        if let Some(rest) = t.strip_prefix("pub struct ") {
            if repr_c {
                let name = rest
                    .split([' ', '{'])
                    .next()
                    .unwrap_or_default()
                    .to_string();
                let mut fields = Vec::new();
                for body in lines.by_ref() {
                    let b = body.trim();
                    if b == "}" {
                        break;
                    }
                    if let Some(f) = b.strip_prefix("pub ") {
                        if let Some((field, _)) = f.split_once(':') {
                            fields.push(field.trim().to_string());
                        }
                    }
                }
                in_types.push((name, fields));
            }
            repr_c = false;
        } else if !t.starts_with("#[") && !t.starts_with("///") && !t.is_empty() {
            repr_c = false;
        }
    }
    let listed: Vec<(String, Vec<String>)> = rust_layouts()
        .into_iter()
        .map(|l| {
            let fields = l.fields.iter().map(|(f, _)| f.to_string()).collect();
            (l.name.to_string(), fields)
        })
        .collect();
    assert!(!in_types.is_empty());
    assert_eq!(
        in_types, listed,
        "src/types.rs and the list in tests/abi.rs differ"
    );
}
