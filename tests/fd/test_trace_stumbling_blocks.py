"""Issue 14's "done when": one run through the stumbling blocks a plugin
author met, each of which ``bareospy-fd --trace`` (and ``-d``) now names.

* a script without plugin_io(): a load-time warning names the function, and
  the trace shows the IO_OPEN that failed (before: only "Cannot open ...:
  ERR=Input/output error");
* a script without start_restore_file(): the warning names it, the trace shows
  the refused call (before: only "Unbalanced call to createFile");
* a changed file in an Incremental: the trace says why it counted as changed,
  and why the other one did not;
* ``-d`` names events (registrations too), never bare numbers.
"""
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

import bareospy

PACKAGE = Path(bareospy.__file__).resolve().parent
BINARY = Path(os.environ.get("BAREOSPY_FD_BINARY") or PACKAGE / "bin" / "bareospy-fd")
SCRIPTS = Path(__file__).resolve().parent / "scripts"

pytestmark = pytest.mark.skipif(not BINARY.exists(), reason="bareospy-fd is not built")


def fd(*args):
    command = [str(BINARY), "-p", str(PACKAGE / "plugins"), *map(str, args)]
    return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120)


def plugin(tree=None, without=None):
    text = f"python3:module_path={SCRIPTS}:module_name=bpy_local"
    return text + (f":dir={tree}" if tree else "") + (f":without={without}" if without else "")


def traced(result):
    return [line.split("] ", 1)[1] for line in result.stderr.splitlines()
            if line.startswith("trace [")]


def warnings(result):
    return [line.strip()[len("[warning] "):] for line in result.stdout.splitlines()
            if line.strip().startswith("[warning]")]


def test_each_stumbling_block_is_named(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "changed.txt").write_text("before\n")
    (tree / "same.txt").write_text("unchanged\n")
    old = time.time() - 3600
    for path in (tree / "changed.txt", tree / "same.txt", tree):
        os.utime(path, (old, old))
    time.sleep(1.1)  # the ctimes utime() set fall before the Full backup starts

    # 1. no plugin_io(): warned at load, the failing IO_OPEN traced
    no_io = fd("--trace", "backup", "--archive", tmp_path / "no-io.bpa",
               plugin(tree, without="plugin_io"))
    assert no_io.returncode == 1
    assert any("has no plugin_io()" in line for line in warnings(no_io)), no_io.stdout
    assert any(re.fullmatch(rf"plugin_io\(IO_OPEN, fname={tree}/\w+\.txt, flags=O_RDONLY\) -> "
                            r"bRC_Error status 0 \(no plugin_io, or it failed\)", line)
               for line in traced(no_io)), no_io.stderr

    # 2. no start_restore_file(): warned, the refused call traced
    full = tmp_path / "full.bpa"
    assert fd("backup", "--archive", full, plugin(tree)).returncode == 0
    no_start = fd("--trace", "restore", "--archive", full, "--where", tmp_path / "out",
                  "--plugin-options", plugin(without="start_restore_file"))
    assert any("has no start_restore_file()" in line for line in warnings(no_start)), no_start.stdout
    assert any(re.fullmatch(r"start_restore_file\(python3:.*\) -> bRC_Error", line)
               for line in traced(no_start)), no_start.stderr

    # 3. a changed file in an Incremental: the trace says why, file by file;
    #    -d 150 names the events the plugin registers and receives
    (tree / "changed.txt").write_text("after, and longer\n")
    incremental = fd("--trace", "-d", "150", "backup", "--level", "incremental",
                     "--previous", full, "--archive", tmp_path / "inc.bpa", plugin(tree))
    assert incremental.returncode == 0, incremental.stdout + incremental.stderr
    lines = traced(incremental)
    assert any(re.fullmatch(rf"check_changes {tree}/changed.txt: changed: mtime \d+ >= since \d+",
                            line) for line in lines), lines
    assert any(re.fullmatch(rf"check_changes {tree}/same.txt: unchanged: .*", line)
               for line in lines), lines
    assert f"start_backup_file -> bRC_OK fname={tree}/same.txt type=FT_NOCHG" in lines
    debug = incremental.stderr
    assert "registered event bEventBackupCommand" in debug
    assert "event bEventBackupCommand" in debug
    assert not re.search(r"registered event \d", debug), debug
