"""include/bareospy/bacula.h: sizes, offsets and enum values are pinned.

Compiles tests/bacula/c/bacula_abi_test.c (compile-time _Static_asserts for
x86-64, run-time enum checks) and the header alone as strict C99 and C++11.
"""
import runpy
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
cbuild = SimpleNamespace(**runpy.run_path(str(ROOT / "embed" / "hosts" / "cbuild.py")))

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="no C compiler")


def test_sizes_offsets_and_values(tmp_path):
    executable = tmp_path / "bacula_abi_test"
    cbuild.build("bacula_abi_test", executable)
    result = subprocess.run([str(executable)], stdout=subprocess.PIPE, universal_newlines=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith(" passed, 0 failed")


@pytest.mark.skipif(shutil.which("g++") is None, reason="no C++ compiler")
def test_header_compiles_as_cplusplus(tmp_path):
    source = '#include "bareospy/bacula.h"\n'
    result = subprocess.run(["g++", "-std=c++11", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                             "-I", str(ROOT / "include"), "-x", "c++", "-fsyntax-only", "-"],
                            input=source, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True)
    assert result.returncode == 0, result.stdout
