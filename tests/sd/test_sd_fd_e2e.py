"""End to end: `bareospy-fd backup --storage` sends a job into `bareospy-sd`,
`restore --storage --job` reads it back (the package's programs, built by
setup.py, and the example plugin of tests/fd/test_host_e2e.py)."""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fd"))
from test_host_e2e import (PACKAGE, EXIT_FATAL, EXIT_USAGE, OPERATOR_PLUGIN, assert_same_tree,  # noqa: E402
                           definition, host, make_big_tree, make_small_tree, restored_root,
                           snapshot, write_list)

# BAREOSPY_SD_BINARY runs these tests against another build (e.g. the sanitizer one).
SD = Path(os.environ.get("BAREOSPY_SD_BINARY") or PACKAGE / "bin" / "bareospy-sd")
TIMEOUT = 120


@pytest.fixture
def storage_daemon(tmp_path):
    """A running bareospy-sd with 8 MiB volumes: (address, storage dir)."""
    storage = tmp_path / "volumes"
    out = tmp_path / "sd.out"
    process = subprocess.Popen([str(SD), "serve", "--listen", f"unix:{tmp_path}/sd.sock",
                                "--storage-dir", str(storage), "--max-volume-bytes", "8M"],
                               stdout=open(out, "w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + TIMEOUT
    while "listening on" not in out.read_text():
        assert process.poll() is None and time.monotonic() < deadline, out.read_text()
        time.sleep(0.02)
    yield f"unix:{tmp_path}/sd.sock", storage
    process.send_signal(signal.SIGTERM)
    try:
        assert process.wait(TIMEOUT) == 0, out.read_text()
        assert "Sanitizer" not in out.read_text() and "runtime error" not in out.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_big_tree_through_the_storage_daemon(storage_daemon, tmp_path):
    address, storage = storage_daemon
    root = make_big_tree(tmp_path / "source tree")
    original = snapshot(root)
    assert len(original[0]) >= 2000
    list_file = write_list(tmp_path / "list", root)
    backup = host("backup", "--storage", address, "--job", "big-1", definition(list_file))
    assert backup.report("Status") == "OK", backup.describe()
    volumes = re.findall(r"^  volume=(\S+)$", backup.stdout, re.M)
    assert len(volumes) >= 3 and sorted(os.listdir(storage)) == volumes
    where = tmp_path / "restored"
    restore = host("restore", "--storage", address, "--job", "big-1", "--where", where, *OPERATOR_PLUGIN)
    assert restore.report("Status") == "OK", restore.describe()
    assert_same_tree(original, restored_root(where, root))


def test_storage_errors_are_clear(storage_daemon, tmp_path):
    address, _ = storage_daemon
    small = make_small_tree(tmp_path / "small")
    list_file = write_list(tmp_path / "list", small)
    missing = host("restore", "--storage", address, "--job", "never-stored", "--where", tmp_path / "r",
                   expect=EXIT_FATAL)
    assert "job never-stored is not on any volume" in missing.stderr
    usage = host("backup", "--storage", address, definition(list_file), expect=EXIT_USAGE)
    assert "--storage ADDRESS needs --job NAME" in usage.stderr
    host("backup", "--storage", address, "--job", "once", definition(list_file))
    again = host("backup", "--storage", address, "--job", "once", definition(list_file), expect=EXIT_FATAL)
    assert "a job named once is already stored" in again.stderr
    down = host("backup", "--storage", f"unix:{tmp_path}/nobody.sock", "--job", "x", definition(list_file),
                expect=EXIT_FATAL)
    assert "cannot connect to unix:" in down.stderr


def test_jobs_file_with_two_jobs_into_one_storage_daemon(storage_daemon, tmp_path):
    address, _ = storage_daemon
    trees = [make_small_tree(tmp_path / name, big=300_000) for name in ("one", "two")]
    lists = [write_list(tmp_path / f"list-{n}", tree) for n, tree in enumerate(trees)]
    jobs = tmp_path / "jobs.txt"
    jobs.write_text("".join(f"backup --storage {address} --job pair-{n} '{definition(lists[n])}'\n"
                            for n in range(2)))
    run = host("jobs", jobs)
    assert run.stdout.count("Stored in bareospy-sd") == 2, run.describe()
    for n, tree in enumerate(trees):
        where = tmp_path / f"restored-{n}"
        restore = host("restore", "--storage", address, "--job", f"pair-{n}", "--where", where,
                       *OPERATOR_PLUGIN)
        assert restore.report("Status") == "OK", restore.describe()
        assert_same_tree(snapshot(tree), restored_root(where, tree))
