#!/bin/sh
# Build and run the ABI test for include/bareospy/*.h:
#   1. every header compiles on its own, as strict C99 and as C++11;
#   2. all headers compile together (abi_test.c), with the exact x86-64
#      numbers and, separately, with the generic order-only checks;
#   3. the test binary checks every enum value and prints "N passed, M failed".
#
# Usage: tests/abi/run_abi_test.sh   (from anywhere)
# Environment: CC, CXX (default gcc/g++, else cc/c++), BUILD_DIR (default
# tests/abi/build), PYTHON (default python3: it reads the C flags from the
# build description, embed/hosts/cbuild.py, program "abi_test").
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
include="$root/include"
build=${BUILD_DIR:-"$here/build"}
mkdir -p "$build"

if [ -z "${CC:-}" ]; then
    if command -v gcc >/dev/null 2>&1; then CC=gcc; else CC=cc; fi
fi
if [ -z "${CXX:-}" ]; then
    if command -v g++ >/dev/null 2>&1; then CXX=g++; else CXX=c++; fi
fi

CFLAGS=$("${PYTHON:-python3}" "$root/embed/hosts/cbuild.py" abi_test --print-cflags)
CXXFLAGS="-std=c++11 -Wall -Wextra -Wpedantic -Werror"  # the C++ check of the headers only
headers="plugin consts fd sd dir"

echo "== each header alone, C99 ($CC)"
for h in $headers; do
    printf '#include "bareospy/%s.h"\ntypedef int translation_unit_not_empty;\n' "$h" |
        $CC $CFLAGS -I "$include" -x c -fsyntax-only -
    echo "   $h.h ok"
done

if command -v "$CXX" >/dev/null 2>&1; then
    echo "== each header alone and all together, C++11 ($CXX)"
    for h in $headers; do
        printf '#include "bareospy/%s.h"\n' "$h" |
            $CXX $CXXFLAGS -I "$include" -x c++ -fsyntax-only -
        echo "   $h.h ok"
    done
    printf '#include "bareospy/%s.h"\n' $headers |
        $CXX $CXXFLAGS -I "$include" -x c++ -fsyntax-only -
    echo "   all headers ok"
else
    echo "== SKIPPED C++ checks: no C++ compiler ($CXX) found"
fi

echo "== abi_test.c, generic order-only checks"
$CC $CFLAGS -DABI_TEST_ORDER_ONLY -I "$include" -fsyntax-only "$here/abi_test.c"
echo "   ok"

echo "== abi_test.c, full"
$CC $CFLAGS -I "$include" -o "$build/abi_test" "$here/abi_test.c"
"$build/abi_test"
