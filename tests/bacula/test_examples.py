"""examples/bacula/: the start-up scripts in-process (fake director) and the
README command (examples/bacula/run_demo.py) with the reference daemons."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import bareospy

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "bacula"
PACKAGE = Path(bareospy.__file__).parent


def test_dir_startup_names_volumes_test_a_n_and_starts_a_second_job(make_daemon):
    daemon = make_daemon("dir", source=(EXAMPLES / "DirStartUp.py").read_text())
    saved = sys.stdout, sys.stderr
    try:
        assert daemon.start() == 0
        job = daemon.job_start(NumVols=0)
        daemon.event(job, "JobInit")
        names = []
        for count in range(3):
            job.values["NumVols"] = count
            daemon.event(job, "NewVolume")
            names.append(job.values["VolumeName"])
        daemon.job_end(job, JobStatus="T")
        daemon.exit()
    finally:
        sys.stdout, sys.stderr = saved
    assert names == ["TestA-1", "TestA-2", "TestA-3"]
    assert daemon.runs == [(1, "run job=Second yes")]
    log = daemon.texts(job)
    assert "Python Dir JobStart: JobId=1 Client=client-fd NumVols=0\n" in log
    assert "JobInit: started the job Second as JobId 1000\n" in log
    assert "TestA-1 exists already: False\n" in log
    assert "Python Dir JobEnd: JobId=1 Status=T" in log
    assert "Python Dir Exit" in daemon.texts(None)


@pytest.mark.parametrize("kind", ["fd", "sd"])
def test_fd_and_sd_startup_report_job_start_and_end(make_daemon, kind):
    module = {"fd": "FDStartUp", "sd": "SDStartUp"}[kind]
    daemon = make_daemon(kind, source=(EXAMPLES / f"{module}.py").read_text())
    saved = sys.stdout, sys.stderr
    try:
        assert daemon.start() == 0
        job = daemon.job_start()
        daemon.job_end(job)
    finally:
        sys.stdout, sys.stderr = saved
    log = daemon.texts(job)
    assert f"Python {kind.upper()} JobStart: JobId=7" in log
    assert f"Python {kind.upper()} JobEnd: JobId=7" in log


@pytest.mark.skipif(not (PACKAGE / "bin" / "bareospy-dir").exists()
                    or not (PACKAGE / "plugins" / "libbareospy-bacula.so").exists(),
                    reason="the package and its daemons are not built")
def test_the_readme_command_backs_up_to_test_a_volumes_and_restores(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(PACKAGE.parent), PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run([sys.executable, str(EXAMPLES / "run_demo.py"), str(tmp_path / "demo")],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    # 233 kB a job on 100 kB volumes of whole 64 kB records: seven volumes for the two jobs
    names = [f"TestA-{n}" for n in range(1, 8)]
    assert f"volumes on disk: {names}" in out
    for n, name in enumerate(names, 1):
        assert f"{n} | {name} | Demo | " in out   # the catalog's list volumes
    assert "JobInit: started the job Second as JobId 2" in out
    assert "Python FD JobStart: JobId=1" in out
    assert "restore of JobId 1: identical to the tree" in out
