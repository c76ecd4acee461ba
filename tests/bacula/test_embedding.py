"""libbareospy-bacula.so in a C daemon (tests/bacula/c/scripting_driver.c):
the embedding ABI of include/bareospy/bacula.h, end to end through C
callbacks.  With BAREOSPY_SANITIZE=1 (package and driver built with ASan +
UBSan) these are the sanitizer tests of the library."""
import os
import runpy
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

import bareospy

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = Path(__file__).parent / "scripts"
LIBRARY = Path(os.environ.get("BAREOSPY_BACULA_LIBRARY")
               or Path(bareospy.__file__).parent / "plugins" / "libbareospy-bacula.so")
MODULES = {"dir": "DirStartUp", "fd": "FDStartUp", "sd": "SDStartUp"}

pytestmark = [pytest.mark.driver,
              pytest.mark.skipif(not LIBRARY.exists(), reason="libbareospy-bacula.so not built")]


@pytest.fixture(scope="session")
def driver(tmp_path_factory):
    cbuild = SimpleNamespace(**runpy.run_path(str(ROOT / "embed" / "hosts" / "cbuild.py")))
    executable = tmp_path_factory.mktemp("bacula_driver") / "bacula_driver"
    cbuild.build("bacula_driver", executable)
    return executable


@pytest.fixture
def run(driver, tmp_path):
    def run_driver(scenario, kind="dir", script=SCRIPTS / "driver" / "DirStartUp.py"):
        scripts = tmp_path / "scripts"
        scripts.mkdir(exist_ok=True)
        if script is not None:
            shutil.copy(script, scripts / f"{MODULES[kind]}.py")
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        result = subprocess.run([str(driver), str(LIBRARY), kind, str(scripts), scenario],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                universal_newlines=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        lines = result.stdout.splitlines()
        assert lines[-1] == "done", result.stdout + result.stderr
        return lines, result.stderr
    return run_driver


def test_a_backup_through_the_c_callbacks(run):
    lines, stderr = run("backup")
    assert lines[0] == "message - info module driver-dir 1.0 06 December 2026 /etc/driver.conf /tmp\\n"
    assert lines[1] == "start 0"
    catalog = "('bacula', None, 'bacula-user', 'secret', None, 0, 'SQLite3')"
    assert lines[2:] == [
        "message 1 info JobStart 1\\n",
        "message 1 info JobInit 1 Full Backup C\\n",
        "set 1 14 20",                       # Priority
        "set 1 16 73",                       # JobLevel 'I'
        "run 1 run job=second yes",
        "message 101 info JobStart 101\\n",   # the second job, synchronously
        "message 101 info JobInit 101 Full Backup C\\n",
        "message 1 info run returned 101\\n",
        "message 1 info level now Incremental\\n",
        "message 1 info JobRun 1 R 20\\n",
        "message 1 info Pool refused: Pool record not found.\\n",
        "exists 1 TestA-1",
        f"message 1 info NewVolume 1 {catalog} exists=1\\n",
        "set 1 15 TestA-1",
        "message 1 info VolumeName now TestA-1\\n",
        "exists 1 TestA-2",
        f"message 1 info NewVolume 1 {catalog} exists=0\\n",
        "set 1 15 TestA-2",
        "message 1 info VolumeName now TestA-2\\n",
        "message 1 debug Error in Python method VolumePurged\\n",
        "message 1 info JobEnd 1 T\\n",
        "cancel 1 42",
        "cancel 1 43",
        "message 1 info cancel refused: no running job with JobId 43\\n",
        "message 101 info JobEnd 101 C\\n",
        "message - info Exit\\n",
        "done",
    ]
    assert "RuntimeError: purged handler fails" in stderr


def test_two_threads_run_their_jobs_at_once(run):
    script = SCRIPTS / "concurrent.py"
    lines, _ = run("threads", script=script)
    for job_id in (11, 12):
        own = [line for line in lines if line.startswith(f"message {job_id} ")]
        assert own == [f"message {job_id} info JobRun {job_id} ok\\n"] * 200
    assert "message - error" not in "\n".join(lines)


def test_restart_detaches_the_job_in_flight(run, tmp_path):
    lines, _ = run("restart")
    assert "restart 0" in lines
    after_restart = lines[lines.index("restart 0"):]
    assert not any(line.startswith("message 5 ") for line in after_restart[1:]
                   if "module" not in line)
    assert "message 6 info JobStart 6\\n" in after_restart


@pytest.mark.parametrize("kind", ["dir", "fd", "sd"])
def test_a_missing_startup_script_disables_python(run, tmp_path, kind):
    lines, stderr = run("backup", kind=kind, script=None)
    module = MODULES[kind]
    assert lines == [
        f"message - error Could not import Python script {tmp_path}/scripts/{module}. "
        "Python disabled.\\n", "start 1", "done"]
    assert "ModuleNotFoundError" in stderr
