#!/usr/bin/env bash
# Installs the real TLS peers and tools the tests run against: OpenSSL's CLI, GnuTLS' CLI,
# valgrind, a C compiler, make and cmake, and a Python venv with tlslite-ng (at target/interop-venv).
# Idempotent: installs only what is missing. Usable by hand: `bash .ci/install-peers.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v gnutls-cli >/dev/null 2>&1 || need_apt+=(gnutls-bin)
command -v valgrind >/dev/null 2>&1 || need_apt+=(valgrind)
# The installed-prefix consumers (examples/webclient: its Makefile and its CMake project).
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v cmake >/dev/null 2>&1 || need_apt+=(cmake)
# libssl headers + pkg-config for the `openssl` crate (the bench's OpenSSL contender).
pkg-config --exists openssl 2>/dev/null || need_apt+=(libssl-dev pkg-config)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

venv=target/interop-venv
if ! "$venv/bin/python" -c 'import tlslite' >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check 'tlslite-ng==0.8.2'
fi
"$venv/bin/python" -c 'import tlslite; print("tlslite-ng", tlslite.__version__)'
