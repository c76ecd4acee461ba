"""python3-fd.so under valgrind (memcheck): a 100-file backup and its restore,
run by the C test driver, must not produce a single valgrind error.

PYTHONMALLOC=malloc makes every Python allocation a malloc() that memcheck
tracks.  Python's import of a timestamp-based .pyc trips a known false
positive inside libpython (int.from_bytes() of the all-zero "flags" word:
medium_value() multiplies the size 0 by a digit that was never written), so
the job runs with a private PYTHONPYCACHEPREFIX holding only unchecked
hash-based .pyc files, whose headers never convert a zero: no suppressions
are needed for it.  tests/fd/c/valgrind.supp, if present, is used for errors
inside libpython itself only.
"""
import hashlib
import os
import py_compile
import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.valgrind

SUPPRESSIONS = Path(__file__).resolve().parent / "c" / "valgrind.supp"
ERROR_SUMMARY = re.compile(r"^==\d+== ERROR SUMMARY: (\d+) errors", re.MULTILINE)


def valgrind_errors(result):
    """The number of errors valgrind reported (its summary line must be there)."""
    summary = ERROR_SUMMARY.findall(result.stderr)
    assert summary, f"valgrind printed no error summary:\n{result.describe()}"
    return int(summary[-1])


def hash_based_pycache(prefix):
    """Rewrite every .pyc under the PYTHONPYCACHEPREFIX ``prefix`` as unchecked-hash."""
    for pyc in Path(prefix).rglob("*.pyc"):
        relative = pyc.parent.relative_to(prefix)
        source = Path("/", *relative.parts[:-1] if relative.name == "__pycache__" else relative.parts,
                      pyc.name.split(".")[0] + ".py")
        if source.is_file():
            py_compile.compile(str(source), cfile=str(pyc), doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)


@pytest.fixture
def valgrind():
    program = shutil.which("valgrind")
    if program is None:
        pytest.skip("valgrind is not installed (Debian: apt-get install valgrind)")
    if os.environ.get("BAREOSPY_SANITIZE", "") not in ("", "0"):
        pytest.skip("the driver is built with sanitizers, which valgrind cannot run")
    command = [program, "--error-exitcode=99", "--leak-check=no", "--num-callers=40"]
    if SUPPRESSIONS.is_file():
        command.append(f"--suppressions={SUPPRESSIONS}")
    return command


def test_backup_and_restore_of_100_files_under_valgrind(fd_driver, tmp_path, valgrind):
    src = tmp_path / "src"
    src.mkdir()
    contents = {}
    for number in range(100):
        data = os.urandom(number * 97 + (70000 if number % 10 == 0 else 0))
        path = src / f"file-{number:03d}"
        path.write_bytes(data)
        contents[str(path)] = data
    # Backup with plugin I/O, restore with direct I/O: both conversions run.
    definition = fd_driver.definition("bpy_local", dir=src, restore_io="core")
    pycache = tmp_path / "pycache"
    env = {"PYTHONMALLOC": "malloc", "PYTHONPYCACHEPREFIX": str(pycache)}
    archive, where = tmp_path / "archive", tmp_path / "restore"
    options = ["--archive", archive, "--where", where]

    # Without valgrind, once: fills the private bytecode cache.
    fd_driver("backup,restore", definition, *options,
              env={**env, "PYTHONDONTWRITEBYTECODE": ""})
    hash_based_pycache(pycache)
    shutil.rmtree(where)

    # Both jobs in one process (one interpreter start under valgrind, not two).
    result = fd_driver("backup,restore", definition, *options, env=env, prefix=valgrind,
                       timeout=600)
    assert valgrind_errors(result) == 0, result.stderr
    ends = [line for line in result.lines if line.get("job") == "end"]
    assert [(end["kind"], end["status"], end["files"]) for end in ends] == [
        ("backup", "OK", 101), ("restore", "OK", 101)]
    assert {name: line["sha256"] for name, line in result.backed_up().items()} == {
        name: hashlib.sha256(data).hexdigest() for name, data in contents.items()}
    assert {line["mode"] for line in result.backed_up().values()} == {"plugin"}
    assert {line["mode"] for line in result.restored().values()} == {"core"}
    for name, data in contents.items():
        assert Path(f"{where}{name}").read_bytes() == data, name
