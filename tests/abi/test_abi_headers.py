"""The C ABI headers in include/bareospy match the contract.

Runs tests/abi/run_abi_test.sh, which compiles every header as C99 and C++11,
pins struct sizes and field offsets at compile time and checks every enum
value at run time.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "abi" / "run_abi_test.sh"


def _c_compiler():
    return shutil.which("gcc") or shutil.which("cc")


@pytest.mark.skipif(
    not (ROOT / "include" / "bareospy").is_dir() or not SCRIPT.is_file(),
    reason="ABI headers not available in this checkout",
)
@pytest.mark.skipif(_c_compiler() is None, reason="no C compiler (gcc or cc) found")
def test_abi_headers(tmp_path):
    env = {**os.environ, "BUILD_DIR": str(tmp_path), "PYTHON": sys.executable}
    result = subprocess.run(
        ["sh", str(SCRIPT)],
        cwd=str(ROOT),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout
    last = result.stdout.strip().splitlines()[-1]
    assert last.endswith(" passed, 0 failed"), result.stdout
