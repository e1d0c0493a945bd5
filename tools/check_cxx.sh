#!/bin/sh
# The public headers compile as C++ and the library works from C++: builds
# tests/cxx/cxx_program.cpp with g++ and clang++ (warnings are errors),
# against the static and the shared library, and runs each program.
# Usage: tools/check_cxx.sh BUILD_DIR
set -e
build=${1:?usage: $0 BUILD_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$build/cxx
mkdir -p "$out"
for cxx in g++ clang++; do
  for kind in static shared; do
    exe=$out/cxx_program_${cxx}_$kind
    if [ $kind = static ]; then
      libs="$build/libeventide.a -lz -lpthread"
    else
      libs="-L$build -Wl,-rpath,$(cd "$build" && pwd) -leventide"
    fi
    $cxx -std=c++11 -Wall -Wextra -Werror -I"$root/include" \
      "$root/tests/cxx/cxx_program.cpp" $libs -o "$exe"
    "$exe" >/dev/null
    echo "C++ program: $cxx, $kind library: ok"
  done
done
