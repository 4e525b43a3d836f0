//! Runs the built `openschannel` binary as a process: `demo` in all four modes, `--quiet`,
//! the flag conflict, and the help texts.

use std::process::{Command, Output};

/// Runs `openschannel` with `args` and returns its output.
fn openschannel(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openschannel"))
        .args(args)
        .output()
        .expect("the openschannel binary runs")
}

/// Standard output as text.
fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Asserts that some line contains every one of `parts`, in order.
fn assert_line(out: &str, parts: &[&str]) {
    let found = out.lines().any(|line| {
        let mut rest = line;
        parts.iter().all(|part| match rest.find(part) {
            Some(i) => {
                rest = &rest[i + part.len()..];
                true
            }
            None => false,
        })
    });
    assert!(found, "no line contains {parts:?} in order:\n{out}");
}

/// Runs `demo` with `args` and checks the whole contract as the trace shows it.
fn demo(args: &[&str], protocol: &str, initiator: &str) -> String {
    let mut all = vec!["demo"];
    all.extend_from_slice(args);
    let output = openschannel(&all);
    let out = stdout(&output);
    assert!(
        output.status.success(),
        "demo {args:?} failed ({:?}):\n{out}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stderr.is_empty(), "nothing on stderr on success");
    let peer = if initiator == "client" {
        "server"
    } else {
        "client"
    };
    let function = |who: &str| {
        if who == "client" {
            "InitializeSecurityContext"
        } else {
            "AcceptSecurityContext"
        }
    };

    // Credentials and the handshake.
    assert_line(
        &out,
        &[
            "[client] AcquireCredentialsHandle(OUTBOUND, ",
            protocol,
            "SEC_E_OK (0x00000000)",
        ],
    );
    assert_line(
        &out,
        &[
            "[server] AcquireCredentialsHandle(INBOUND, ",
            protocol,
            "SEC_E_OK (0x00000000)",
        ],
    );
    assert_line(
        &out,
        &[
            "[client] InitializeSecurityContext(input 0 B)",
            "-> SEC_I_CONTINUE_NEEDED (0x00090312)",
        ],
    );
    assert_line(
        &out,
        &[
            "[server] AcceptSecurityContext(input ",
            "-> SEC_I_CONTINUE_NEEDED (0x00090312)",
        ],
    );
    assert_line(
        &out,
        &[
            "[client] InitializeSecurityContext(input ",
            "-> SEC_E_OK (0x00000000)",
        ],
    );
    assert_line(
        &out,
        &[
            "[server] AcceptSecurityContext(input ",
            "-> SEC_E_OK (0x00000000)",
        ],
    );
    for who in ["client", "server"] {
        assert_line(
            &out,
            &[
                &format!("[{who}] QueryContextAttributes(SECPKG_ATTR_STREAM_SIZES)"),
                "SEC_E_OK",
            ],
        );
        assert_line(
            &out,
            &[
                &format!("[{who}] QueryContextAttributes(SECPKG_ATTR_CONNECTION_INFO)"),
                "SEC_E_OK",
                protocol,
            ],
        );
        assert_line(
            &out,
            &[
                &format!("[{who}] EncryptMessage("),
                "SEC_E_OK (0x00000000)",
                "header",
            ],
        );
        assert_line(
            &out,
            &[
                &format!("[{who}] DecryptMessage("),
                "SEC_E_OK (0x00000000)",
                "data",
            ],
        );
    }
    assert_line(
        &out,
        &[
            "[server] received the request",
            "match byte for byte",
            "GET / HTTP/1.1",
        ],
    );
    assert_line(
        &out,
        &[
            "[client] received the reply",
            "match byte for byte",
            "HTTP/1.1 200 OK",
        ],
    );
    if protocol == "TLSv1.3" {
        // Session tickets surface as SEC_I_RENEGOTIATE and are serviced by ISC.
        assert_line(
            &out,
            &[
                "[client] DecryptMessage(",
                "-> SEC_I_RENEGOTIATE (0x00090321)",
            ],
        );
        assert_line(
            &out,
            &[
                "[client] InitializeSecurityContext(",
                "-> SEC_E_OK",
                "services SEC_I_RENEGOTIATE",
            ],
        );
    }

    // The five steps on both sides, and the recognition on both sides.
    for who in [initiator, peer] {
        assert_line(
            &out,
            &[
                &format!("[{who}] step 1 ApplyControlToken(SCHANNEL_SHUTDOWN)"),
                "-> SEC_E_OK (0x00000000)",
            ],
        );
        assert_line(
            &out,
            &[
                &format!("[{who}] step 2 {}(empty input)", function(who)),
                "-> SEC_E_OK (0x00000000)",
                "token ",
            ],
        );
        assert_line(&out, &[&format!("[{who}] step 3 "), "SEC_E_OK"]);
        assert_line(
            &out,
            &[&format!("[{who}] step 4 send"), "bytes (close_notify)"],
        );
        assert_line(&out, &[&format!("[{who}] step 5 DeleteSecurityContext")]);
        assert_line(
            &out,
            &[
                &format!("[{who}] EncryptMessage("),
                "after shutdown",
                "-> SEC_E_CONTEXT_EXPIRED (0x80090317)",
            ],
        );
        assert_line(
            &out,
            &[
                &format!("[{who}] DecryptMessage("),
                "-> SEC_I_CONTEXT_EXPIRED (0x00090317)",
                "(close_notify)",
            ],
        );
    }
    let close_notify_len = if protocol == "TLSv1.3" {
        "24 bytes"
    } else {
        "31 bytes"
    };
    assert_line(&out, &["step 4 send", close_notify_len]);

    // Causality: the peer recognises the shutdown only after the initiator's steps 1-4, and
    // runs its own steps only after recognising it; the initiator deletes its context last.
    let line = |prefix: &str, needle: &str| {
        out.lines()
            .position(|l| l.starts_with(prefix) && l.contains(needle))
            .unwrap_or_else(|| panic!("no line {prefix:?} … {needle:?}:\n{out}"))
    };
    let initiator_step4 = line(&format!("[{initiator}] step 4"), "");
    let peer_expired = line(
        &format!("[{peer}] DecryptMessage("),
        "SEC_I_CONTEXT_EXPIRED",
    );
    let peer_step1 = line(&format!("[{peer}] step 1"), "");
    let initiator_expired = line(
        &format!("[{initiator}] DecryptMessage("),
        "SEC_I_CONTEXT_EXPIRED",
    );
    let initiator_step5 = line(&format!("[{initiator}] step 5"), "");
    assert!(initiator_step4 < peer_expired, "{out}");
    assert!(peer_expired < peer_step1, "{out}");
    assert!(peer_step1 < initiator_expired, "{out}");
    assert!(initiator_expired < initiator_step5, "{out}");

    // The summary is the last line.
    let last = out.lines().last().expect("output");
    assert!(last.starts_with("demo: OK — "), "{last}");
    assert!(last.contains(protocol), "{last}");
    assert!(
        last.contains(&format!("shutdown initiated by {initiator}")),
        "{last}"
    );
    assert!(last.contains("SEC_I_CONTEXT_EXPIRED"), "{last}");
    out
}

/// Default: TLS 1.3, the client initiates the shutdown.
#[test]
fn demo_tls13_client_initiated() {
    demo(&[], "TLSv1.3", "client");
}

/// `--tls13` is the default spelled out.
#[test]
fn demo_tls13_explicit_flag() {
    demo(&["--tls13"], "TLSv1.3", "client");
}

/// TLS 1.2, the client initiates the shutdown.
#[test]
fn demo_tls12_client_initiated() {
    demo(&["--tls12"], "TLSv1.2", "client");
}

/// TLS 1.3, the server initiates the shutdown.
#[test]
fn demo_tls13_server_initiated() {
    demo(&["--server-first"], "TLSv1.3", "server");
}

/// TLS 1.2, the server initiates the shutdown.
#[test]
fn demo_tls12_server_initiated() {
    demo(&["--tls12", "--server-first"], "TLSv1.2", "server");
}

/// `--quiet` prints exactly one line, the summary.
#[test]
fn quiet_prints_only_the_summary_line() {
    for args in [
        &["demo", "--quiet"][..],
        &["demo", "-q", "--tls12", "--server-first"][..],
    ] {
        let output = openschannel(args);
        assert!(output.status.success(), "{args:?}: {:?}", output.status);
        let out = stdout(&output);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{args:?}:\n{out}");
        assert!(lines[0].starts_with("demo: OK — TLSv1."), "{}", lines[0]);
        assert!(output.stderr.is_empty());
    }
}

/// `--tls12 --tls13` is a usage error (exit status 2).
#[test]
fn tls12_and_tls13_are_mutually_exclusive() {
    let output = openschannel(&["demo", "--tls12", "--tls13"]);
    assert_eq!(output.status.code(), Some(2), "usage error");
    assert!(output.stdout.is_empty());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("cannot be used with"), "{err}");
}

/// An unknown subcommand is a usage error (exit status 2).
#[test]
fn unknown_subcommand_is_a_usage_error() {
    let output = openschannel(&["no-such-command"]);
    assert_eq!(output.status.code(), Some(2));
}

/// `--help` and `demo --help` succeed and list the subcommand and flags.
#[test]
fn help_texts_mention_the_flags() {
    let output = openschannel(&["--help"]);
    assert!(output.status.success());
    let out = stdout(&output);
    assert!(out.contains("demo"), "{out}");
    assert!(out.contains("Usage: openschannel"), "{out}");

    let output = openschannel(&["demo", "--help"]);
    assert!(output.status.success());
    let out = stdout(&output);
    for flag in ["--tls12", "--tls13", "--server-first", "--quiet"] {
        assert!(out.contains(flag), "{flag} missing from:\n{out}");
    }
}

/// `--version` names the library and rustls versions the binary was built with (those
/// Cargo.lock records); `-V` is the short form.
#[test]
fn version_names_the_library_and_rustls() {
    // The workspace's Cargo.lock, or the package's own (as build.rs finds it).
    let lock = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("Cargo.lock"))
        .find(|p| p.is_file())
        .and_then(|p| std::fs::read_to_string(p).ok())
        .expect("Cargo.lock");
    let locked = |name: &str| {
        let key = format!("name = \"{name}\"\nversion = \"");
        let at = lock
            .find(&key)
            .unwrap_or_else(|| panic!("{name} in Cargo.lock"));
        let rest = &lock[at + key.len()..];
        rest[..rest.find('"').expect("version ends")].to_string()
    };
    let output = openschannel(&["--version"]);
    assert!(output.status.success());
    let out = stdout(&output);
    let expected = format!(
        "openschannel {} (library openschannel {}, rustls {})\n",
        env!("CARGO_PKG_VERSION"),
        locked("openschannel"),
        locked("rustls")
    );
    assert_eq!(out, expected);
    let output = openschannel(&["-V"]);
    assert_eq!(
        stdout(&output),
        format!("openschannel {}\n", env!("CARGO_PKG_VERSION"))
    );
}
