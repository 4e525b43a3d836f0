//! Writes `openschannel.pc` next to the built library (`target/<profile>/`), pointing at the
//! build tree: `-L<target/profile> -lopenschannel` and `-I<crate>/include`.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    // OUT_DIR = <target>/<profile>/build/<pkg>-<hash>/out
    let Some(libdir) = out.ancestors().nth(3) else {
        return;
    };
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
