#!/bin/sh
# check_headers.sh - compile the openschannel C headers in every supported
# language mode with warnings as errors, and run the resulting checks.
#
# Part of openschannel, licensed under MIT OR Apache-2.0.
#
# Usage: sh crates/openschannel-ffi/tests/c/check_headers.sh
# Env:   CC (default gcc), CXX (default g++)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
inc="$here/../../include"
CC=${CC:-gcc}
CXX=${CXX:-g++}

out=$(mktemp -d "${TMPDIR:-/tmp}/openschannel-headers.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

fail=0
cflags="-Wall -Wextra -Werror -pedantic"

step() {
    # step NAME COMMAND...
    name=$1
    shift
    printf '== %s\n' "$name"
    if "$@"; then
        :
    else
        printf 'FAILED: %s\n' "$name"
        fail=1
    fi
}

# Each header must be self-contained.
for h in security sspi schannel wincrypt subauth openschannel openschannel_wintypes; do
    for std in c99 c11; do
        step "$h.h alone ($std)" sh -c "printf '#include <%s.h>\n' '$h' | $CC -x c -std=$std $cflags -I '$inc' -fsyntax-only -"
    done
    step "$h.h alone (c++11)" sh -c "printf '#include <%s.h>\n' '$h' | $CXX -x c++ -std=c++11 -Wall -Wextra -Werror -I '$inc' -fsyntax-only -"
done

# The runtime checks, built in each mode and run.
for variant in "c99" "c11" "c99 -DUNICODE" "c11 -DUNICODE"; do
    set -- $variant
    std=$1
    shift
    tag=$(printf '%s' "$std$*" | tr -c 'A-Za-z0-9' '_')
    bin="$out/headers_$tag"
    step "headers_c.c -std=$std $*" $CC -std="$std" $cflags "$@" -I "$inc" "$here/headers_c.c" -o "$bin"
    if [ -x "$bin" ]; then
        step "run headers_c ($std $*)" "$bin"
    fi
done

for variant in "" "-DUNICODE"; do
    bin="$out/headers_cpp$(printf '%s' "$variant" | tr -c 'A-Za-z0-9' '_')"
    # shellcheck disable=SC2086
    step "headers_cpp.cpp -std=c++11 $variant" $CXX -std=c++11 -Wall -Wextra -Werror $variant -I "$inc" "$here/headers_cpp.cpp" -o "$bin"
    if [ -x "$bin" ]; then
        step "run headers_cpp $variant" "$bin"
    fi
done

if [ "$fail" -ne 0 ]; then
    echo "check_headers: FAILED"
    exit 1
fi
echo "check_headers: all OK"
