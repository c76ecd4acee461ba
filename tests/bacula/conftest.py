"""Fixtures of the Bacula-style scripting tests: a fake daemon running the
recording script (scripts/recording/DirStartUp.py) in-process."""
import shutil
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).parent / "scripts"
MODULES = {"dir": "DirStartUp", "fd": "FDStartUp", "sd": "SDStartUp"}

DIRECTOR_JOB = dict(
    Job="Nightly", JobName="Nightly.2026-12-06_05.00.00_01", JobId=1, Level="F", Type="B",
    JobStatus="C", Client="client-fd", Pool="Default", NumVols=2, Storage="File",
    MediaType="FileMedia", Catalog="MyCatalog",
    CatalogRes=("bacula", None, "bacula", "secret", None, 0, "SQLite3"), Priority=10,
    VolumeName="", JobErrors=0, JobFiles=0, SDJobFiles=0, SDErrors=0, FDJobStatus="",
    SDJobStatus="")
FILE_JOB = dict(FDName="client-fd", Level="I", Type="B", JobId=7, Client="client-fd",
                JobName="Nightly.2026-12-06_05.00.00_01", JobStatus="B")
STORAGE_JOB = dict(Job="Nightly", SDName="store-sd", Level="F", Type="B", JobId=7,
                   Client="client-fd", JobName="Nightly.2026-12-06_05.00.00_01",
                   JobStatus="R", Pool="Default", MediaType="FileMedia", VolumeName="Vol1",
                   Device="FileStorage")
DEFAULTS = {"dir": DIRECTOR_JOB, "fd": FILE_JOB, "sd": STORAGE_JOB}


@pytest.fixture
def make_daemon(tmp_path):
    """make_daemon(kind, source=None): a FakeBaculaDaemon (not started)
    whose scripts directory holds the recording script, or `source`."""
    from bareospy.bacula_testing import FakeBaculaDaemon

    def make(kind="dir", source=None, **kwargs):
        directory = tmp_path / f"scripts-{kind}"
        directory.mkdir(exist_ok=True)
        target = directory / f"{MODULES[kind]}.py"
        if source is None:
            shutil.copy(SCRIPTS / "recording" / "DirStartUp.py", target)
        else:
            target.write_text(source)
        kwargs.setdefault("defaults", DEFAULTS[kind])
        return FakeBaculaDaemon(kind, directory, **kwargs)

    yield make
    for name in MODULES.values():
        sys.modules.pop(name, None)


@pytest.fixture
def started(make_daemon):
    """started(kind): (daemon, script module) with the recording script."""
    def start(kind="dir", **kwargs):
        daemon = make_daemon(kind, **kwargs)
        assert daemon.start() == 0, daemon.messages
        return daemon, sys.modules[MODULES[kind]]
    return start
