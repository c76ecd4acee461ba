"""bareospy-fd and bareospy-sd with --scripts-dir: FDStartUp/SDStartUp get
JobStart and JobEnd for a backup the FD sends to the SD and for its restore
(section 1.5); a missing script disables Python and changes nothing else."""
import os
import runpy
import shutil
import signal
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

import bareospy

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(bareospy.__file__).parent
LIBRARY = Path(os.environ.get("BAREOSPY_BACULA_LIBRARY") or PACKAGE / "plugins" / "libbareospy-bacula.so")
SCRIPT = Path(__file__).parent / "scripts" / "fdsd" / "StartUp.py"
MODULE = "bareos-fd-local-files"

pytestmark = pytest.mark.skipif(not (LIBRARY.exists() and (PACKAGE / "plugins" / "python3-fd.so").exists()),
                                reason="the package is not built")


@pytest.fixture(scope="session")
def hosts(tmp_path_factory):
    cbuild = SimpleNamespace(**runpy.run_path(str(ROOT / "embed" / "hosts" / "cbuild.py")))
    out = tmp_path_factory.mktemp("bacula-hosts")
    for program in ("bareospy-fd", "bareospy-sd"):
        cbuild.build(program, out / program)
    return out


def environment():
    return dict(os.environ, BAREOSPY_BACULA_LIBRARY=str(LIBRARY), PYTHONDONTWRITEBYTECODE="1")


@pytest.fixture
def sd(hosts, tmp_path):
    scripts = tmp_path / "sd-scripts"
    scripts.mkdir()
    shutil.copy(SCRIPT, scripts / "SDStartUp.py")
    out = tmp_path / "sd.out"
    process = subprocess.Popen(
        [str(hosts / "bareospy-sd"), "serve", "--listen", f"unix:{tmp_path}/sd.sock",
         "--storage-dir", str(tmp_path / "volumes"), "--storage", "store-sd",
         "--scripts-dir", str(scripts)],
        stdout=open(out, "w"), stderr=subprocess.STDOUT, env=environment())
    deadline = time.monotonic() + 60
    while "listening on" not in out.read_text():
        assert process.poll() is None and time.monotonic() < deadline, out.read_text()
        time.sleep(0.02)
    yield SimpleNamespace(address=f"unix:{tmp_path}/sd.sock", scripts=scripts, out=out)
    process.send_signal(signal.SIGTERM)
    process.wait(60)


def fd(hosts, tmp_path, scripts, *command):
    examples = ROOT / "examples"
    return subprocess.run(
        [str(hosts / "bareospy-fd"), "-p", str(PACKAGE / "plugins"), "--client", "client-fd",
         "--scripts-dir", str(scripts), *command],
        capture_output=True, text=True, timeout=120, env=environment(),
        cwd=str(tmp_path)), examples


def definition(tmp_path, root):
    listing = tmp_path / "list"
    listing.write_bytes(os.fsencode(root) + b"\n")
    return (f"python3:module_path={ROOT / 'examples'}:module_name={MODULE}:filename={listing}")


def test_fd_and_sd_scripts_see_job_start_and_end(hosts, tmp_path, sd):
    scripts = tmp_path / "fd-scripts"
    scripts.mkdir()
    shutil.copy(SCRIPT, scripts / "FDStartUp.py")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a").write_text("data\n")
    result, _ = fd(hosts, tmp_path, scripts, "backup", "--storage", sd.address, "--job",
                   "Nightly.2026-12-06_05.00.00_01", "--archive", str(tmp_path / "a.bar"),
                   definition(tmp_path, tree))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Python JobStart: JobId=" in result.stdout + result.stderr
    fd_record = (scripts / "RECORD").read_text().splitlines()
    assert fd_record[0].startswith("client-fd JobStart FDName=client-fd JobId=")
    assert "Client=client-fd" in fd_record[0] and "Level=Full Type=Backup JobStatus=R" in fd_record[0]
    assert fd_record[1].startswith("client-fd JobEnd ") and fd_record[2] == "client-fd Exit"
    deadline = time.monotonic() + 30
    while not (sd.scripts / "RECORD").exists() or "JobEnd" not in (sd.scripts / "RECORD").read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    sd_record = (sd.scripts / "RECORD").read_text().splitlines()
    assert sd_record[0].startswith("store-sd JobStart SDName=store-sd Job=Nightly JobId=")
    assert "JobName=Nightly.2026-12-06_05.00.00_01" in sd_record[0]
    assert "Pool=None" in sd_record[0] and "Device=None" in sd_record[0]   # nothing mounted yet
    assert sd_record[1].startswith("store-sd JobEnd ") and "VolumeName=Vol-0001" in sd_record[1]


def test_a_missing_fd_startup_disables_python_and_the_job_runs(hosts, tmp_path):
    scripts = tmp_path / "empty"
    scripts.mkdir()
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a").write_text("data\n")
    result, _ = fd(hosts, tmp_path, scripts, "backup", "--archive", str(tmp_path / "a.bar"),
                   definition(tmp_path, tree))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Could not import Python script {scripts}/FDStartUp. Python disabled." in result.stderr
