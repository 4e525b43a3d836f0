//! Puts the C library under its C name in the build tree and describes it there:
//!
//! * `target/<profile>/libopenschannel.so` and `libopenschannel.a`: symbolic links to the
//!   artefacts cargo names after the Rust lib (`deps/libopenschannel_ffi.so`/`.a`), so that
//!   `-L target/<profile> -lopenschannel` links this build. (Cargo cannot name a cdylib apart
//!   from its rlib, and the rlib cannot be called `openschannel`: the core crate's is.) The links
//!   are made before cargo links the library and resolve once it has; `install.sh` installs the
//!   same artefacts under the versioned names.
//! * `target/<profile>/openschannel.pc`, pointing at the build tree: `-L<target/profile>
//!   -lopenschannel` and `-I<crate>/include`.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    // OUT_DIR = <target>/<profile>/build/<pkg>-<hash>/out
    let Some(libdir) = out.ancestors().nth(3) else {
        return;
    };
    for (c_name, cargo_name) in [
        ("libopenschannel.so", "libopenschannel_ffi.so"),
        ("libopenschannel.a", "libopenschannel_ffi.a"),
    ] {
        link_c_name(libdir, c_name, cargo_name);
    }
    let include =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir")).join("include");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let pc = format!(
        "prefix={prefix}\nlibdir=${{prefix}}\nincludedir={include}\n\n\
         Name: openschannel\n\
         Description: Windows Schannel SSPI (TLS) on rustls, with Windows-compatible headers\n\
         Version: {version}\n\
         Libs: -L${{libdir}} -lopenschannel\n\
         Libs.private: -lpthread -ldl -lm -lrt -lutil\n\
         Cflags: -I${{includedir}}\n",
        prefix = libdir.display(),
        include = include.display(),
    );
    let _ = std::fs::write(libdir.join("openschannel.pc"), pc);
}

/// Makes `libdir/c_name` a relative symbolic link to `deps/cargo_name`, replacing whatever is
/// there (an older build's regular file included). Failure only costs the C-name shortcut.
fn link_c_name(libdir: &Path, c_name: &str, cargo_name: &str) {
    let link = libdir.join(c_name);
    let target = Path::new("deps").join(cargo_name);
    if std::fs::read_link(&link).is_ok_and(|t| t == target) {
        return;
    }
    let _ = std::fs::remove_file(&link);
    #[cfg(unix)]
    if let Err(e) = std::os::unix::fs::symlink(&target, &link) {
        println!("cargo:warning=cannot link {}: {e}", link.display());
    }
}
