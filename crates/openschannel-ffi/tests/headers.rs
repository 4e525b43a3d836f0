//! The C headers compile as C99, C11 and C++11 (with and without `UNICODE`), carry the Windows
//! x64 layouts, and their constants hold the Windows values — checked by real C programs.

use std::path::Path;
use std::process::Command;

#[test]
fn headers_compile_and_hold_windows_values() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c/check_headers.sh");
    let out = Command::new("sh")
        .arg(&script)
        .output()
        .expect("run check_headers.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "check_headers.sh failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("0 failed"), "{stdout}");
}
