//! `bench`: openschannel measured against rustls, OpenSSL and the raw AEAD, in one process.
//!
//! Every contender implements [`contender::Contender`]: both ends of a connection in this
//! process and thread, records moving through plain buffers. For each case the contenders'
//! samples are interleaved (run 1 of every contender, then run 2, ...), so a change in the
//! machine's load touches them alike; each figure is the median of the runs, with min and max.
//!
//! Cases:
//! * `bulk/<version>/<aead>/<size>/<encrypt|decrypt|roundtrip>` — MB/s of plaintext (10^6 B/s);
//! * `handshake/<version>/<key>/<full|resumed>` — complete client + server handshakes per
//!   second (X25519; TLS 1.3 resumption by ticket, TLS 1.2 by session id);
//! * `shutdown/<version>` — µs per connection to close both directions (for the SSPI faces
//!   the five-step procedure on both sides);
//! * `memory/<version>/...` — heap per idle context, handshake peak, allocations per record.
//!
//! The targets of issue 6 are computed as ratios at the end ([`ratios`]).

mod capi;
pub mod contender;
mod memory;
mod openschannel;
#[cfg(feature = "openssl")]
mod openssl;
mod pki;
mod raw_aead;
pub mod report;
pub mod runner;
mod rustls_buffered;
mod rustls_unbuffered;

use std::io::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use contender::{Aead, Contender, KeyType, Pki, Setup, Version};
use report::{Figure, Ratio, Target};
use runner::BulkMode;

/// Options of `openschannel bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// A smoke run of a few seconds: every case, 3 short runs each (the figures are rough).
    #[arg(long)]
    quick: bool,
    /// Print the results as JSON on standard output (progress goes to standard error).
    #[arg(long)]
    json: bool,
    /// Runs per figure (default 5, or 3 with --quick).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    runs: Option<u32>,
    /// Only the cases whose name contains this text (e.g. `bulk/TLS1.3/AES-128-GCM/16384`).
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Only these contenders (comma-separated names, e.g. `openschannel,rustls-unbuffered`).
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    contenders: Vec<String>,
}

/// How long each kind of sample runs.
#[derive(Clone, Copy, Debug)]
struct Durations {
    bulk: Duration,
    handshake: Duration,
    shutdown: Duration,
}

/// Every contender this build has, in table order.
fn all_contenders() -> Vec<Box<dyn Contender>> {
    let mut v: Vec<Box<dyn Contender>> = vec![Box::new(openschannel::OpenSchannel)];
    v.push(Box::new(capi::CApi));
    v.push(Box::new(rustls_unbuffered::RustlsUnbuffered));
    v.push(Box::new(rustls_buffered::RustlsBuffered));
    #[cfg(feature = "openssl")]
    v.push(Box::new(openssl::OpenSsl));
    v.push(Box::new(raw_aead::RawAead));
    v
}

const VERSIONS: [Version; 2] = [Version::Tls13, Version::Tls12];
const AEADS: [Aead; 3] = [Aead::Aes128Gcm, Aead::Aes256Gcm, Aead::Chacha20Poly1305];
const SIZES: [usize; 3] = [16384, 1024, 64];

/// What one case measures.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Bulk { mode: BulkMode, size: usize },
    Handshake,
    Shutdown,
    Memory { size: usize },
}

/// One case: a name, the set-up every contender gets, and what is measured.
#[derive(Clone, Debug)]
struct Case {
    name: String,
    setup: Setup,
    kind: Kind,
}

fn setup(version: Version, aead: Aead, key: KeyType, resumption: bool) -> Setup {
    Setup {
        version,
        aead,
        key,
        resumption,
    }
}

/// Every case, in run order.
fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    for version in VERSIONS {
        for aead in AEADS {
            for size in SIZES {
                for mode in BulkMode::ALL {
                    v.push(Case {
                        name: format!(
                            "bulk/{}/{}/{size}/{}",
                            version.label(),
                            aead.label(),
                            mode.label()
                        ),
                        setup: setup(version, aead, KeyType::EcdsaP256, false),
                        kind: Kind::Bulk { mode, size },
                    });
                }
            }
        }
    }
    for version in VERSIONS {
        for key in [KeyType::EcdsaP256, KeyType::Rsa2048] {
            v.push(Case {
                name: format!("handshake/{}/{}/full", version.label(), key.label()),
                setup: setup(version, Aead::Aes128Gcm, key, false),
                kind: Kind::Handshake,
            });
        }
    }
    for version in VERSIONS {
        v.push(Case {
            name: format!(
                "handshake/{}/{}/resumed",
                version.label(),
                KeyType::EcdsaP256.label()
            ),
            setup: setup(version, Aead::Aes128Gcm, KeyType::EcdsaP256, true),
            kind: Kind::Handshake,
        });
    }
    for version in VERSIONS {
        v.push(Case {
            name: format!("shutdown/{}", version.label()),
            setup: setup(version, Aead::Aes128Gcm, KeyType::EcdsaP256, false),
            kind: Kind::Shutdown,
        });
    }
    for version in VERSIONS {
        v.push(Case {
            name: format!("memory/{}/{}", version.label(), Aead::Aes128Gcm.label()),
            setup: setup(version, Aead::Aes128Gcm, KeyType::EcdsaP256, false),
            kind: Kind::Memory { size: 16384 },
        });
    }
    v
}

/// Runs the benchmark; exit status 0, or 1 when a contender failed on a case (it is reported
/// and the run goes on) or the set-up failed.
pub fn run(args: &BenchArgs) -> ExitCode {
    let runs = args.runs.unwrap_or(if args.quick { 3 } else { 5 }) as usize;
    let durations = if args.quick {
        Durations {
            bulk: Duration::from_millis(4),
            handshake: Duration::from_millis(15),
            shutdown: Duration::from_millis(4),
        }
    } else {
        Durations {
            bulk: Duration::from_millis(120),
            handshake: Duration::from_millis(400),
            shutdown: Duration::from_millis(20),
        }
    };
    let contenders: Vec<Box<dyn Contender>> = all_contenders()
        .into_iter()
        .filter(|c| args.contenders.is_empty() || args.contenders.iter().any(|n| n == c.name()))
        .collect();
    if contenders.is_empty() {
        eprintln!(
            "openschannel bench: no contender matches {:?}",
            args.contenders
        );
        return ExitCode::FAILURE;
    }
    let pki = match pki::generate() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("openschannel bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    if cfg!(debug_assertions) {
        eprintln!(
            "openschannel bench: this is a debug build; figures are meaningless (use --release)"
        );
    }
    let machine = machine();
    let mut progress: Box<dyn std::io::Write> = if args.json {
        Box::new(std::io::stderr())
    } else {
        Box::new(std::io::stdout())
    };
    for (k, v) in &machine {
        let _ = writeln!(progress, "{k}: {v}");
    }
    let _ = writeln!(progress, "runs per figure: {runs}\n\n{}", report::header());

    let mut figures = Vec::new();
    let mut failures = 0;
    for case in cases() {
        if let Some(f) = &args.filter {
            if !case.name.contains(f.as_str()) {
                continue;
            }
        }
        let (found, failed) = run_case(&case, &contenders, &pki, runs, durations, &mut progress);
        figures.extend(found);
        failures += failed;
    }
    let ratios = ratios(&figures);
    let _ = writeln!(progress, "\n{}", report::ratio_lines(&ratios));
    if args.json {
        print!("{}", report::json(&machine, &figures, &ratios));
    }
    if failures > 0 {
        eprintln!("openschannel bench: {failures} contender run(s) failed (see above)");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The figures one kind of case yields, by name suffix and unit.
fn outputs(kind: Kind) -> Vec<(&'static str, &'static str)> {
    match kind {
        Kind::Bulk { .. } => vec![("", "MB/s")],
        Kind::Handshake => vec![("", "handshakes/s")],
        Kind::Shutdown => vec![("", "us/connection")],
        Kind::Memory { .. } => vec![
            ("/idle-client-heap", "bytes"),
            ("/idle-server-heap", "bytes"),
            ("/idle-client-malloc", "bytes"),
            ("/idle-server-malloc", "bytes"),
            ("/handshake-peak-heap", "bytes"),
            ("/allocs-per-encrypt", "allocations/record"),
            ("/allocs-per-decrypt", "allocations/record"),
        ],
    }
}

/// Runs one case for every contender, interleaved; returns the figures and the number of
/// contenders that failed.
fn run_case(
    case: &Case,
    contenders: &[Box<dyn Contender>],
    pki: &Pki,
    runs: usize,
    durations: Durations,
    progress: &mut dyn std::io::Write,
) -> (Vec<Figure>, usize) {
    let bulk = matches!(case.kind, Kind::Bulk { .. });
    let mut failed = 0;
    // Prepare every contender that takes part.
    let mut entries = Vec::new();
    for c in contenders {
        if !bulk && !c.handshakes() {
            continue;
        }
        match catch_unwind(AssertUnwindSafe(|| c.prepare(pki, &case.setup))) {
            Ok(Ok(connector)) => entries.push((c.name(), connector, Vec::new(), false)),
            Ok(Err(why)) => {
                let _ = writeln!(
                    progress,
                    "{:<48} {:<18} skipped: {why}",
                    case.name,
                    c.name()
                );
            }
            Err(_) => {
                let _ = writeln!(
                    progress,
                    "{:<48} {:<18} FAILED in set-up",
                    case.name,
                    c.name()
                );
                failed += 1;
            }
        }
    }
    let outs = outputs(case.kind);
    for _ in 0..runs {
        for (name, connector, samples, dead) in entries.iter_mut() {
            if *dead {
                continue;
            }
            let connector = connector.as_mut();
            let taken = catch_unwind(AssertUnwindSafe(|| -> Vec<Option<f64>> {
                match case.kind {
                    Kind::Bulk { mode, size } => {
                        vec![Some(runner::bulk(connector, mode, size, durations.bulk))]
                    }
                    Kind::Handshake => {
                        vec![Some(runner::handshakes(connector, durations.handshake))]
                    }
                    Kind::Shutdown => vec![Some(runner::shutdowns(connector, durations.shutdown))],
                    Kind::Memory { size } => memory_sample(name, connector, size),
                }
            }));
            match taken {
                Ok(values) => samples.push(values),
                Err(_) => {
                    let _ = writeln!(progress, "{:<48} {:<18} FAILED (panicked)", case.name, name);
                    *dead = true;
                    failed += 1;
                }
            }
        }
    }
    let mut figures = Vec::new();
    for (name, _, samples, dead) in entries {
        if dead {
            continue;
        }
        for (i, (suffix, unit)) in outs.iter().enumerate() {
            let values: Vec<f64> = samples.iter().filter_map(|s| s[i]).collect();
            if values.is_empty() {
                continue;
            }
            let f = Figure {
                case: format!("{}{suffix}", case.name),
                contender: name,
                unit,
                samples: values,
            };
            let _ = writeln!(progress, "{}", report::row(&f));
            figures.push(f);
        }
    }
    let _ = progress.flush();
    (figures, failed)
}

/// One memory sample as the values of [`outputs`]`(Kind::Memory)`. Heap and allocation counts
/// come from Rust's allocator, which OpenSSL does not use: for it only the malloc figures are
/// reported.
fn memory_sample(
    contender: &str,
    connector: &mut dyn contender::Connector,
    size: usize,
) -> Vec<Option<f64>> {
    let s = memory::sample(connector, size);
    let rust = contender != "openssl";
    vec![
        rust.then_some(s.idle_client_heap),
        rust.then_some(s.idle_server_heap),
        s.idle_client_malloc,
        s.idle_server_malloc,
        rust.then_some(s.handshake_peak),
        rust.then_some(s.allocs_per_encrypt),
        rust.then_some(s.allocs_per_decrypt),
    ]
}

/// What the run was measured on.
fn machine() -> Vec<(&'static str, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .and_then(|r| r.split(':').nth(1))
        })
        .map_or_else(|| "unknown".to_string(), |s| s.trim().to_string());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").map_or_else(
        |_| std::env::consts::OS.to_string(),
        |s| format!("Linux {}", s.trim()),
    );
    let threads = std::thread::available_parallelism().map_or(0, |n| n.get());
    #[allow(unused_mut)]
    let mut m = vec![
        ("cpu", cpu),
        ("logical_cpus", threads.to_string()),
        ("os", kernel),
        ("arch", std::env::consts::ARCH.to_string()),
        ("openschannel", env!("CARGO_PKG_VERSION").to_string()),
        ("provider", "aws-lc-rs".to_string()),
        (
            "build",
            if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
            .to_string(),
        ),
    ];
    #[cfg(feature = "openssl")]
    m.push(("openssl", ::openssl::version::version().to_string()));
    m
}

/// The ratios issues 6 and 13 state their targets in (TLS 1.3, AES-128-GCM, 16384-byte records
/// unless the name says otherwise), and the figures they hold against absolute targets.
pub fn ratios(f: &[Figure]) -> Vec<Ratio> {
    const BULK: &str = "bulk/TLS1.3/AES-128-GCM/16384";
    const RT_1024: &str = "bulk/TLS1.3/AES-128-GCM/1024/roundtrip";
    const RT_64: &str = "bulk/TLS1.3/AES-128-GCM/64/roundtrip";
    let rt = format!("{BULK}/roundtrip");
    let enc = format!("{BULK}/encrypt");
    let dec = format!("{BULK}/decrypt");
    let full = "handshake/TLS1.3/ECDSA-P256/full";
    let resumed = "handshake/TLS1.3/ECDSA-P256/resumed";
    let mem = "memory/TLS1.3/AES-128-GCM";
    let r = |name, description, value, target| Ratio {
        name,
        description,
        value,
        target,
    };
    let fig = |suffix: &str, contender: &str| report::find(f, &format!("{mem}{suffix}"), contender);
    vec![
        r(
            "bulk_roundtrip_vs_rustls_buffered",
            "bulk round trip, Rust API / rustls buffered",
            report::ratio_of(f, &rt, "openschannel", "rustls-buffered"),
            Target::AtLeast(1.0),
        ),
        r(
            "bulk_roundtrip_vs_rustls_unbuffered",
            "bulk round trip, Rust API / rustls unbuffered driven directly",
            report::ratio_of(f, &rt, "openschannel", "rustls-unbuffered"),
            Target::AtLeast(0.95),
        ),
        r(
            "bulk_roundtrip_vs_openssl",
            "bulk round trip, Rust API / OpenSSL",
            report::ratio_of(f, &rt, "openschannel", "openssl"),
            Target::AtLeast(1.3),
        ),
        r(
            "capi_vs_rust_api_roundtrip",
            "bulk round trip, C ABI / Rust API",
            report::ratio_of(f, &rt, "openschannel-capi", "openschannel"),
            Target::AtLeast(0.95),
        ),
        r(
            "capi_vs_rust_api_roundtrip_1024",
            "bulk round trip of 1024-byte records, C ABI / Rust API (issue 13)",
            report::ratio_of(f, RT_1024, "openschannel-capi", "openschannel"),
            Target::AtLeast(0.90),
        ),
        r(
            "capi_vs_rust_api_roundtrip_64",
            "bulk round trip of 64-byte records, C ABI / Rust API (issue 13)",
            report::ratio_of(f, RT_64, "openschannel-capi", "openschannel"),
            Target::AtLeast(0.90),
        ),
        r(
            "encrypt_vs_raw_seal",
            "encrypt, Rust API / raw aws-lc-rs seal (below 0.6: design note)",
            report::ratio_of(f, &enc, "openschannel", "aws-lc-rs-aead"),
            Target::AtLeast(0.6),
        ),
        r(
            "decrypt_vs_raw_open",
            "decrypt, Rust API / raw aws-lc-rs open (issue 13)",
            report::ratio_of(f, &dec, "openschannel", "aws-lc-rs-aead"),
            Target::AtLeast(0.97),
        ),
        r(
            "roundtrip_vs_raw_aead",
            "round trip, Rust API / raw aws-lc-rs seal+open",
            report::ratio_of(f, &rt, "openschannel", "aws-lc-rs-aead"),
            Target::None,
        ),
        r(
            "allocs_per_encrypt_rust_api",
            "heap allocations per EncryptMessage, Rust API",
            fig("/allocs-per-encrypt", "openschannel"),
            Target::AtMost(0.0),
        ),
        r(
            "allocs_per_decrypt_rust_api",
            "heap allocations per DecryptMessage, Rust API",
            fig("/allocs-per-decrypt", "openschannel"),
            Target::AtMost(0.0),
        ),
        r(
            "allocs_per_encrypt_capi",
            "heap allocations per EncryptMessage, C ABI",
            fig("/allocs-per-encrypt", "openschannel-capi"),
            Target::AtMost(0.0),
        ),
        r(
            "allocs_per_decrypt_capi",
            "heap allocations per DecryptMessage, C ABI",
            fig("/allocs-per-decrypt", "openschannel-capi"),
            Target::AtMost(0.0),
        ),
        r(
            "full_handshake_vs_rustls",
            "TLS 1.3 ECDSA P-256 X25519 full handshakes, Rust API / rustls unbuffered",
            report::ratio_of(f, full, "openschannel", "rustls-unbuffered"),
            Target::AtLeast(0.95),
        ),
        r(
            "full_handshake_vs_openssl",
            "TLS 1.3 ECDSA P-256 X25519 full handshakes, Rust API / OpenSSL",
            report::ratio_of(f, full, "openschannel", "openssl"),
            Target::AtLeast(2.0),
        ),
        r(
            "resumed_handshake_vs_rustls",
            "TLS 1.3 resumed handshakes, Rust API / rustls unbuffered (issue 13)",
            report::ratio_of(f, resumed, "openschannel", "rustls-unbuffered"),
            Target::AtLeast(1.0),
        ),
        r(
            "idle_client_heap_bytes",
            "heap per idle established client context (bytes), Rust API",
            fig("/idle-client-heap", "openschannel"),
            Target::AtMost(4096.0),
        ),
        r(
            "idle_server_heap_bytes",
            "heap per idle established server context (bytes), Rust API",
            fig("/idle-server-heap", "openschannel"),
            Target::AtMost(4096.0),
        ),
        r(
            "idle_client_malloc_bytes_openssl",
            "malloc'd bytes per idle client connection, OpenSSL (beside ours)",
            fig("/idle-client-malloc", "openssl"),
            Target::None,
        ),
        r(
            "idle_server_malloc_bytes_openssl",
            "malloc'd bytes per idle server connection, OpenSSL (beside ours)",
            fig("/idle-server-malloc", "openssl"),
            Target::None,
        ),
        r(
            "idle_client_malloc_bytes_rust_api",
            "malloc'd bytes per idle client context, Rust API (same instrument as OpenSSL's)",
            fig("/idle-client-malloc", "openschannel"),
            Target::None,
        ),
        r(
            "idle_server_malloc_bytes_rust_api",
            "malloc'd bytes per idle server context, Rust API (same instrument as OpenSSL's)",
            fig("/idle-server-malloc", "openschannel"),
            Target::None,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_name_is_unique_and_the_targets_name_real_cases() {
        let cases = cases();
        let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n);
        // 2 versions x 3 AEADs x 3 sizes x 3 modes, 4 full + 2 resumed handshakes,
        // 2 shutdowns, 2 memory cases.
        assert_eq!(n, 54 + 6 + 2 + 2);
        for needed in [
            "bulk/TLS1.3/AES-128-GCM/16384/roundtrip",
            "bulk/TLS1.3/AES-128-GCM/16384/encrypt",
            "bulk/TLS1.3/AES-128-GCM/16384/decrypt",
            "bulk/TLS1.3/AES-128-GCM/1024/roundtrip",
            "bulk/TLS1.3/AES-128-GCM/64/roundtrip",
            "handshake/TLS1.3/ECDSA-P256/full",
            "handshake/TLS1.3/ECDSA-P256/resumed",
            "memory/TLS1.3/AES-128-GCM",
        ] {
            assert!(names.contains(&needed), "{needed}");
        }
    }

    #[test]
    fn ratios_come_from_the_named_figures() {
        let fig = |case: &str, contender: &'static str, v: f64| Figure {
            case: case.to_string(),
            contender,
            unit: "MB/s",
            samples: vec![v],
        };
        let f = vec![
            fig(
                "bulk/TLS1.3/AES-128-GCM/16384/roundtrip",
                "openschannel",
                900.0,
            ),
            fig("bulk/TLS1.3/AES-128-GCM/16384/roundtrip", "openssl", 600.0),
            fig(
                "bulk/TLS1.3/AES-128-GCM/16384/roundtrip",
                "rustls-buffered",
                1000.0,
            ),
        ];
        let r = ratios(&f);
        let get = |n: &str| r.iter().find(|r| r.name == n).unwrap();
        assert_eq!(get("bulk_roundtrip_vs_openssl").value, Some(1.5));
        assert_eq!(get("bulk_roundtrip_vs_openssl").met(), Some(true));
        assert_eq!(get("bulk_roundtrip_vs_rustls_buffered").value, Some(0.9));
        assert_eq!(get("bulk_roundtrip_vs_rustls_buffered").met(), Some(false));
        assert_eq!(get("full_handshake_vs_rustls").value, None);
        assert_eq!(get("capi_vs_rust_api_roundtrip_64").value, None);
        // The small-record C ABI ratios come from their own cases, not the 16 KiB one.
        let mut f = f;
        f.push(fig(
            "bulk/TLS1.3/AES-128-GCM/64/roundtrip",
            "openschannel",
            200.0,
        ));
        f.push(fig(
            "bulk/TLS1.3/AES-128-GCM/64/roundtrip",
            "openschannel-capi",
            190.0,
        ));
        let r = ratios(&f);
        let get = |n: &str| r.iter().find(|r| r.name == n).unwrap();
        assert_eq!(get("capi_vs_rust_api_roundtrip_64").value, Some(0.95));
        assert_eq!(get("capi_vs_rust_api_roundtrip_64").met(), Some(true));
        assert_eq!(get("capi_vs_rust_api_roundtrip_1024").value, None);
        assert_eq!(get("capi_vs_rust_api_roundtrip").value, None);
    }

    /// `into_sides` hands out the two contexts themselves, each usable and droppable alone.
    #[test]
    fn a_connection_splits_into_its_client_and_its_server() {
        let pki = pki::generate().unwrap();
        let mut connector = openschannel::OpenSchannel
            .prepare(
                &pki,
                &setup(Version::Tls13, Aead::Aes128Gcm, KeyType::EcdsaP256, false),
            )
            .unwrap();
        let (client, server) = connector.connect().into_sides();
        let client = client
            .downcast::<::openschannel::SecurityContext>()
            .unwrap();
        let server = server
            .downcast::<::openschannel::SecurityContext>()
            .unwrap();
        assert_eq!(client.role(), ::openschannel::Role::Client);
        assert_eq!(server.role(), ::openschannel::Role::Server);
        assert!(client.is_established() && server.is_established());
        drop(server);
        assert!(client.stream_sizes().is_ok());
    }

    /// The whole pipeline on the in-process openschannel and raw-AEAD contenders: a bulk case,
    /// a handshake case and a shutdown case each give one positive figure per contender.
    #[test]
    fn a_short_run_measures_real_traffic() {
        let pki = pki::generate().unwrap();
        let contenders: Vec<Box<dyn Contender>> = vec![
            Box::new(openschannel::OpenSchannel),
            Box::new(raw_aead::RawAead),
        ];
        let d = Durations {
            bulk: Duration::from_millis(1),
            handshake: Duration::from_millis(1),
            shutdown: Duration::from_millis(1),
        };
        let mut sink = Vec::new();
        for case in cases().into_iter().filter(|c| {
            c.name == "bulk/TLS1.2/CHACHA20-POLY1305/16384/decrypt"
                || c.name == "handshake/TLS1.3/ECDSA-P256/resumed"
                || c.name == "shutdown/TLS1.2"
        }) {
            let (figures, failed) = run_case(&case, &contenders, &pki, 2, d, &mut sink);
            assert_eq!(failed, 0, "{}", String::from_utf8_lossy(&sink));
            let expected = if matches!(case.kind, Kind::Bulk { .. }) {
                2
            } else {
                1
            };
            assert_eq!(figures.len(), expected, "{}", case.name);
            for f in figures {
                assert_eq!(f.samples.len(), 2);
                assert!(f.min() > 0.0, "{}: {:?}", f.case, f.samples);
            }
        }
    }
}
