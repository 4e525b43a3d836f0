#!/bin/sh
# Builds and installs openschannel as a C library, plus the `openschannel` command:
#
#   PREFIX=/usr/local sh install.sh          (PREFIX defaults to /usr/local)
#   DESTDIR=/tmp/stage PREFIX=/usr sh install.sh   (staged install for packaging)
#
# Installs, under $DESTDIR$PREFIX:
#   lib/libopenschannel.so.0.1.0   SONAME libopenschannel.so.0, exports = abi/exports.txt only
#   lib/libopenschannel.so.0, lib/libopenschannel.so   symbolic links
#   lib/libopenschannel.a          the static library (debug info stripped)
#   include/openschannel/*.h       the Windows-compatible headers (-I.../include/openschannel)
#   lib/pkgconfig/openschannel.pc  for $PREFIX (Libs.private for --static)
#   lib/cmake/openschannel/        openschannelConfig.cmake + version file:
#                                  find_package(openschannel) -> openschannel::openschannel
#   bin/openschannel               the CLI (OPENSCHANNEL_INSTALL_CLI=0 leaves it out)
#
# Other knobs: LIBDIR (default $PREFIX/lib), INCLUDEDIR (default $PREFIX/include), BINDIR
# (default $PREFIX/bin), CARGO, CC, OPENSCHANNEL_PROFILE (cargo profile, default release;
# "dev" for a quick unoptimised install), OPENSCHANNEL_STRIP=0 keeps debug info,
# OPENSCHANNEL_NO_BUILD=1 installs what that profile already built (CI and the tests use it after
# their own build, so that nothing is compiled twice).
set -eu
cd "$(dirname "$0")"

PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
LIBDIR=${LIBDIR:-$PREFIX/lib}
INCLUDEDIR=${INCLUDEDIR:-$PREFIX/include}
BINDIR=${BINDIR:-$PREFIX/bin}
CARGO=${CARGO:-cargo}
CC=${CC:-cc}
PROFILE=${OPENSCHANNEL_PROFILE:-release}
STRIP=${OPENSCHANNEL_STRIP:-1}
INSTALL_CLI=${OPENSCHANNEL_INSTALL_CLI:-1}
NO_BUILD=${OPENSCHANNEL_NO_BUILD:-0}

case $PREFIX in
/*) ;;
*) echo "install.sh: PREFIX must be an absolute path (got '$PREFIX')" >&2; exit 2 ;;
esac

VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
MAJOR=${VERSION%%.*}
SONAME=libopenschannel.so.$MAJOR
REALNAME=libopenschannel.so.$VERSION
# What the Rust standard library needs from the system when linked statically (rustc
# --print native-static-libs for the staticlib, x86_64/aarch64-linux-gnu).
NATIVE_LIBS="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

case $PROFILE in
release) profile_dir=release ;;
dev | debug) profile_dir=debug PROFILE=dev ;;
*) profile_dir=$PROFILE ;;
esac
target_dir=${CARGO_TARGET_DIR:-target}

# 1. Build. The CLI first: as a dependency of the CLI the ffi crate is built with the
#    bench-harness feature; the library built last (no features) is the one installed.
if [ "$NO_BUILD" != 1 ]; then
  if [ "$INSTALL_CLI" = 1 ]; then
    "$CARGO" build --locked --profile "$PROFILE" -p openschannel-cli
  fi
  "$CARGO" build --locked --profile "$PROFILE" -p openschannel-ffi --lib
fi
archive=$target_dir/$profile_dir/deps/libopenschannel_ffi.a
[ -f "$archive" ] || { echo "install.sh: $archive was not built" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT INT TERM

# 2. The shared library, linked from the staticlib so that its exports are exactly the
#    committed list (abi/exports.txt) under the version node OPENSCHANNEL_0, and everything
#    else -- Rust's mangled symbols, aws-lc's C symbols -- is local.
exports=crates/openschannel-ffi/abi/exports.txt
{
  echo "OPENSCHANNEL_$MAJOR {"
  echo "  global:"
  sed -e '/^[[:space:]]*$/d' -e 's/.*/    &;/' "$exports"
  echo "  local:"
  echo "    *;"
  echo "};"
} > "$stage/openschannel.map"
undefined=$(sed -e '/^[[:space:]]*$/d' -e 's/.*/-Wl,--undefined=&/' "$exports")
strip_flag=
[ "$STRIP" = 1 ] && strip_flag=-Wl,--strip-all
# shellcheck disable=SC2086 # word splitting of the flag lists is intended
"$CC" -shared -o "$stage/$REALNAME" \
  -Wl,-soname,"$SONAME" -Wl,--version-script="$stage/openschannel.map" \
  -Wl,--gc-sections -Wl,--no-undefined -Wl,-z,relro -Wl,-z,now $strip_flag \
  $undefined "$archive" $NATIVE_LIBS
cp "$archive" "$stage/libopenschannel.a"
[ "$STRIP" = 1 ] && strip --strip-debug "$stage/libopenschannel.a"

# Every listed name is exported, nothing else (the build-tree check is the ABI test).
nm -D --defined-only "$stage/$REALNAME" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' |
  LC_ALL=C sort > "$stage/exported.txt"
if ! LC_ALL=C sort "$exports" | sed '/^[[:space:]]*$/d' | cmp -s - "$stage/exported.txt"; then
  echo "install.sh: $REALNAME does not export exactly $exports" >&2
  exit 1
fi

# 3. Install.
lib=$DESTDIR$LIBDIR
inc=$DESTDIR$INCLUDEDIR/openschannel
mkdir -p "$lib/pkgconfig" "$lib/cmake/openschannel" "$inc"
install -m 0755 "$stage/$REALNAME" "$lib/$REALNAME"
ln -sf "$REALNAME" "$lib/$SONAME"
ln -sf "$SONAME" "$lib/libopenschannel.so"
install -m 0644 "$stage/libopenschannel.a" "$lib/libopenschannel.a"
for h in crates/openschannel-ffi/include/*.h; do
  install -m 0644 "$h" "$inc/"
done

# libdir/includedir relative to ${prefix} when under it (a packager may rewrite prefix=).
pc_libdir=$(echo "$LIBDIR" | sed "s|^$PREFIX/|\${prefix}/|")
pc_incdir=$(echo "$INCLUDEDIR" | sed "s|^$PREFIX/|\${prefix}/|")
cat > "$lib/pkgconfig/openschannel.pc" <<EOF
prefix=$PREFIX
exec_prefix=\${prefix}
libdir=$pc_libdir
includedir=$pc_incdir/openschannel

Name: openschannel
Description: Windows Schannel SSPI (TLS) on rustls, with Windows-compatible headers
Version: $VERSION
Libs: -L\${libdir} -lopenschannel
Libs.private: $(echo "$NATIVE_LIBS" | sed 's/ -lc$//')
Cflags: -I\${includedir}
EOF

# The CMake package finds the prefix from its own location (relocatable; DESTDIR-safe).
cmake_dir=$lib/cmake/openschannel
cmake_rel_lib=$(echo "$LIBDIR" | sed "s|^$PREFIX/||")
cmake_rel_inc=$(echo "$INCLUDEDIR" | sed "s|^$PREFIX/||")
cat > "$cmake_dir/openschannelConfig.cmake" <<EOF
# openschannel $VERSION: the Windows Schannel SSPI (TLS) C ABI on rustls.
#   find_package(openschannel)
#   target_link_libraries(app PRIVATE openschannel::openschannel)        # shared
#   target_link_libraries(app PRIVATE openschannel::openschannel_static) # static
# The headers are Windows-compatible: #include <sspi.h>, <schannel.h>, <wincrypt.h>.
get_filename_component(_openschannel_prefix "\${CMAKE_CURRENT_LIST_DIR}" PATH)
get_filename_component(_openschannel_prefix "\${_openschannel_prefix}" PATH)
get_filename_component(_openschannel_prefix "\${_openschannel_prefix}" PATH)
if("$cmake_rel_lib" MATCHES "^/")
  set(_openschannel_libdir "$cmake_rel_lib")
else()
  set(_openschannel_libdir "\${_openschannel_prefix}/$cmake_rel_lib")
endif()
if("$cmake_rel_inc" MATCHES "^/")
  set(_openschannel_incdir "$cmake_rel_inc/openschannel")
else()
  set(_openschannel_incdir "\${_openschannel_prefix}/$cmake_rel_inc/openschannel")
endif()
if(NOT TARGET openschannel::openschannel)
  add_library(openschannel::openschannel SHARED IMPORTED)
  set_target_properties(openschannel::openschannel PROPERTIES
    IMPORTED_LOCATION "\${_openschannel_libdir}/$REALNAME"
    IMPORTED_SONAME "$SONAME"
    INTERFACE_INCLUDE_DIRECTORIES "\${_openschannel_incdir}")
endif()
if(NOT TARGET openschannel::openschannel_static)
  add_library(openschannel::openschannel_static STATIC IMPORTED)
  set_target_properties(openschannel::openschannel_static PROPERTIES
    IMPORTED_LOCATION "\${_openschannel_libdir}/libopenschannel.a"
    INTERFACE_INCLUDE_DIRECTORIES "\${_openschannel_incdir}"
    INTERFACE_LINK_LIBRARIES "gcc_s;util;rt;pthread;m;dl")
endif()
set(openschannel_VERSION "$VERSION")
set(openschannel_INCLUDE_DIRS "\${_openschannel_incdir}")
set(openschannel_LIBRARIES openschannel::openschannel)
unset(_openschannel_prefix)
unset(_openschannel_libdir)
unset(_openschannel_incdir)
EOF
cat > "$cmake_dir/openschannelConfigVersion.cmake" <<EOF
# Compatible: the same major version and, while the major is 0, the same minor (0.x releases
# may change the ABI; the SONAME follows the major), at least the requested version.
set(PACKAGE_VERSION "$VERSION")
if(NOT PACKAGE_FIND_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
elseif(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
elseif(NOT PACKAGE_FIND_VERSION_MAJOR STREQUAL "$MAJOR")
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
elseif("$MAJOR" STREQUAL "0" AND NOT PACKAGE_FIND_VERSION_MINOR STREQUAL "$(echo "$VERSION" | cut -d. -f2)")
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
endif()
if(NOT CMAKE_SIZEOF_VOID_P STREQUAL "" AND NOT CMAKE_SIZEOF_VOID_P STREQUAL "8")
  set(PACKAGE_VERSION "\${PACKAGE_VERSION} (64-bit)")
  set(PACKAGE_VERSION_UNSUITABLE TRUE)
endif()
EOF

if [ "$INSTALL_CLI" = 1 ]; then
  mkdir -p "$DESTDIR$BINDIR"
  install -m 0755 "$target_dir/$profile_dir/openschannel" "$DESTDIR$BINDIR/openschannel"
  [ "$STRIP" = 1 ] && strip "$DESTDIR$BINDIR/openschannel"
fi

echo "installed openschannel $VERSION into ${DESTDIR}${PREFIX}:"
ls -l "$lib/$REALNAME" "$lib/libopenschannel.a" | awk '{ printf "  %10d  %s\n", $5, $NF }'
