#!/usr/bin/env bash
# The C library as a user installs it: install.sh (release) into a temporary prefix, then two
# consumers built from a clean environment that knows nothing but that prefix — examples/webclient
# through pkg-config (its Makefile) and through CMake's find_package(openschannel) — each run
# against openssl s_server -WWW on 127.0.0.1, plus the installed CLI's --version.
# Usable by hand: `bash .ci/check-install.sh` (needs cc, make, pkg-config, cmake, openssl).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
prefix=$work/prefix

# The release build of everything but the ffi crate is the one `bench` made; the ffi crate is
# compiled once more without the bench-harness feature (the installed library does not carry it).
PREFIX="$prefix" sh install.sh

# A clean environment: the prefix is all a consumer is told.
clean_env=(env -i "PATH=/usr/local/bin:/usr/bin:/bin" "HOME=$work")

readelf -d "$prefix/lib/libopenschannel.so.0.1.0" | grep -q 'Library soname: \[libopenschannel.so.0\]'
"$prefix/bin/openschannel" --version | grep -E '^openschannel [0-9.]+ \(library openschannel [0-9.]+, rustls 0\.23\.[0-9]+\)$'

# 1. pkg-config (shared and static).
"${clean_env[@]}" "PKG_CONFIG_PATH=$prefix/lib/pkgconfig" \
  make -s -C examples/webclient "OUT=$work" all static
# 2. CMake.
"${clean_env[@]}" cmake -S examples/webclient -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release > "$work/cmake.log" || { cat "$work/cmake.log"; exit 1; }
"${clean_env[@]}" cmake --build "$work/cmake" > "$work/cmake-build.log" ||
  { cat "$work/cmake-build.log"; exit 1; }

# The peer: a throw-away CA, a localhost certificate, a page, openssl s_server -WWW.
site=$work/site
mkdir -p "$site"
(
  cd "$site"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
    -out ca.pem -subj /CN=openschannel-ci-ca -days 1 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key -out srv.csr \
    -subj /CN=localhost 2>/dev/null
  printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n' > ext
  openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 1 \
    -extfile ext 2>/dev/null
  openssl x509 -in ca.pem -outform DER -out ca.der
  head -c 200000 /dev/urandom | od -An -tx1 > page.txt
)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$site" && exec openssl s_server -accept "127.0.0.1:$port" -cert srv.pem -key srv.key -WWW \
  > "$work/s_server.log" 2>&1) &
server_pid=$!
for _ in $(seq 100); do
  grep -q ACCEPT "$work/s_server.log" 2>/dev/null && break
  sleep 0.1
done

fetch() { # fetch NAME CLIENT [PROTOCOL]: the page must arrive byte for byte, cleanly closed
  local name=$1 client=$2 proto=${3:-}
  "${clean_env[@]}" "LD_LIBRARY_PATH=$prefix/lib" "$client" -s localhost -p "$port" \
    -f /page.txt -c "$site/ca.der" ${proto:+-P "$proto"} > "$work/$name.out" 2> "$work/$name.err" ||
    { cat "$work/$name.err"; echo "$name: webclient failed" >&2; exit 1; }
  python3 - "$work/$name.out" "$site/page.txt" "$name" <<'EOF'
import sys
out, page, name = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read(), sys.argv[3]
head, sep, body = out.partition(b"\r\n\r\n")
assert head.startswith(b"HTTP/1.0 200 ok") and sep, f"{name}: no HTTP response"
assert body == page, f"{name}: the page differs ({len(body)} bytes, expected {len(page)})"
print(f"{name}: {len(body)} bytes, clean close")
EOF
  grep -q 'webclient: clean close' "$work/$name.err"
}
fetch pkg-config "$work/webclient"
fetch pkg-config-static "$work/webclient-static" tls12
fetch cmake "$work/cmake/webclient" tls13
echo "installed prefix: library, headers, pkg-config and CMake package work"
