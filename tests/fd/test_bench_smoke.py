"""The benchmarks cannot rot: bench/run.py --quick builds bench/fd_bench.c and
runs every benchmark with tiny counts against the INSTALLED python3-fd.so, and
every row of its table must come out with a sane number."""
import json
import math
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import bareospy

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "bench" / "run.py"
PLUGIN = Path(bareospy.__file__).parent / "plugins" / "python3-fd.so"

# The rows every run has (a full run adds RSS growth after 1,000 cycles; glibc
# adds the C heap growth).
ROWS = [
    "io_read_trivial", "event_trivial", "io_read_debug_message", "event_job_message",
    "io_read_bytes", "io_read_bytearray", "io_read_window",
    "io_read_class", "event_class", "baseline_gil_held", "baseline_gil_per_call",
    "backup_native", "backup_direct", "backup_bytearray_read", "backup_readinto_bytearray",
    "backup_readinto_window", "backup_bare_readinto",
    "restore_native", "restore_direct", "restore_write_buf", "restore_write_window",
    "restore_bare_write",
    "instance_cycle", "instance_cycle_nocache", "rss_early", "rss_end", "rss_growth",
    "python_blocks_growth",
    "threads_sha256_2jobs", "threads_sha256_bare_2jobs", "threads_pyloop_2jobs",
    "threads_native_2jobs",
]
# Differences: any sign.
SIGNED = {"rss_growth", "rss_growth_late", "heap_growth", "python_blocks_growth"}


def _compiler():
    return os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")


@pytest.mark.skipif(not RUNNER.is_file(), reason="bench/ is not in this checkout")
@pytest.mark.skipif(_compiler() is None, reason="no C compiler")
@pytest.mark.skipif(not sysconfig.get_config_var("Py_ENABLE_SHARED"),
                    reason="the baselines need a shared libpython")
def test_quick_benchmark_run_produces_every_row(tmp_path):
    assert PLUGIN.is_file(), f"the daemon plugin {PLUGIN} is not installed"
    output = tmp_path / "results.json"
    command = [sys.executable, str(RUNNER), "--quick", "--plugin", str(PLUGIN),
               "--output", str(output), "--build-dir", str(tmp_path / "build"),
               "--tmpdir", str(tmp_path)]
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=600, cwd=str(tmp_path))
    assert proc.returncode == 0, f"{command}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"

    data = json.loads(output.read_text())
    assert data["quick"] is True
    assert data["plugin"] == str(PLUGIN)
    rows = {row["name"]: row for row in data["rows"] if "name" in row}
    assert [name for name in ROWS if name not in rows] == []
    for name, row in rows.items():
        value = row["value"]
        assert isinstance(value, (int, float)) and math.isfinite(value), row
        if name not in SIGNED:
            assert value > 0, row
        if "reference" in row:
            assert math.isfinite(row["ratio"]) and row["ratio"] > 0, row
        # the printed table shows the row
        assert row["label"] in proc.stdout
    # per-call baselines and every repetition are recorded too
    for name, result in data["results"].items():
        assert all(math.isfinite(rep) for rep in result["reps"]), (name, result)
    assert data["machine"]["nproc"] >= 1


@pytest.mark.skipif(not RUNNER.is_file(), reason="bench/ is not in this checkout")
@pytest.mark.skipif(_compiler() is None, reason="no C compiler")
@pytest.mark.skipif(not sysconfig.get_config_var("Py_ENABLE_SHARED"),
                    reason="the baselines need a shared libpython")
def test_compare_runs_both_plugins_and_skips_our_additions_for_the_other(tmp_path):
    output = tmp_path / "compare.json"
    command = [sys.executable, str(RUNNER), "--quick", "--suites", "calls", "--calls", "50",
               "--reps", "2", "--plugin", str(PLUGIN), "--compare", str(PLUGIN),
               "--output", str(output), "--build-dir", str(tmp_path / "build")]
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=600, cwd=str(tmp_path))
    assert proc.returncode == 0, f"{command}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    data = json.loads(output.read_text())
    ours, other = data["results"]["ours"], data["results"]["other"]
    assert "io_read_window" in ours and "io_read_window" not in other
    assert "skipped (uses iop.window)" in proc.stdout
    for name in ("io_read_trivial", "event_class", "io_read_debug_message"):
        # two interleaved rounds: two repetitions per column
        assert len(ours[name]["reps"]) == 2 and len(other[name]["reps"]) == 2, name
        assert ours[name]["median"] > 0 and other[name]["median"] > 0, name
    assert "| pluginIO IO_READ, trivial plugin_io (status 0) |" in proc.stdout


SMALLFILES = ROOT / "bench" / "smallfiles.py"
HOST = Path(bareospy.__file__).parent / "bin" / "bareospy-fd"


@pytest.mark.skipif(not SMALLFILES.is_file(), reason="bench/ is not in this checkout")
@pytest.mark.skipif(not HOST.is_file(), reason="the bareospy-fd host is not installed")
def test_smallfiles_backs_up_and_restores_every_file_through_the_class_based_plugin(tmp_path):
    """make bench's small-file rows: both I/O modes, backup and restore (the
    script checks that every restored file is there with its size)."""
    output = tmp_path / "smallfiles.json"
    command = [sys.executable, str(SMALLFILES), "--files", "30", "--reps", "1",
               "--host", str(HOST), "--output", str(output)]
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=600, cwd=str(tmp_path))
    assert proc.returncode == 0, f"{command}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    rows = json.loads(output.read_text())["rows"]
    assert sorted(rows) == ["backup_direct", "backup_plugin", "restore_direct", "restore_plugin"]
    assert all(row["files_per_s"] > 0 for row in rows.values()), rows
    for label in ("backup, io=plugin", "restore, io=plugin", "backup, io=direct",
                  "restore, io=direct"):
        assert f"| {label} |" in proc.stdout
