"""Bacula's old scripting events from the real 9.6.7 director and SD.

bareospy-scripting-dir.so and bareospy-scripting-sd.so (embed/plugin/
bacula_scripting.c) turn the daemons' plugin events into the calls of the
scripting library (include/bareospy/bacula.h).  Here the library is
tests/bacula_real/c/recording_scripting.c, a recording stand-in that
behaves as the spec's DirStartUp.py at NewVolume (names the volume
TestA-<NumVols + 1>): the test checks what the daemons delivered, the
catalog and the job log.
"""
import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from bacula_site import BaculaSite

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DIRECTOR, STORAGE = 1, 3                      # BaculaDaemonKind
JOB_INIT, JOB_RUN, NEW_VOLUME = 1, 2, 3       # BaculaJobEvent


@pytest.fixture(scope="module")
def recording_library(tmp_path_factory):
    """The recording stand-in, compiled against the checkout's header."""
    from bareospy.__main__ import include_dir

    output = tmp_path_factory.mktemp("recording") / "librecording.so"
    subprocess.run(["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-fPIC", "-shared",
                    f"-I{include_dir()}", "-o", str(output),
                    str(HERE / "c" / "recording_scripting.c"), "-lpthread"], check=True)
    return output


@pytest.fixture(scope="module")
def site(bacula_installed, bacula_plugin_dir, example_dir, recording_library, tmp_path_factory):
    base = tmp_path_factory.mktemp("scripting")
    (base / "one.txt").write_text("one file\n")
    listing = base / "list.txt"
    listing.write_text(f"{base / 'one.txt'}\n")
    plugin = f"python3:module_path={example_dir}:module_name=bareos-fd-local-files:filename={listing}"
    env = {"BAREOSPY_BACULA_LIBRARY": str(recording_library),
           "RECORDING_LOG": str(base / "recording.jsonl"),
           "BAREOSPY_BACULA_SCRIPTS_DIR": str(base / "scripts")}
    with BaculaSite(base / "site", bacula_plugin_dir, {"named": (plugin, "Scripted")}, env=env,
                    daemon_plugins=True) as running:
        running.recording = base / "recording.jsonl"
        yield running


def records(site):
    if not site.recording.exists():
        return []
    return [json.loads(line) for line in site.recording.read_text().splitlines()]


def test_both_daemons_start_the_library_with_what_their_configuration_says(site):
    starts = {entry["kind"]: entry for entry in records(site) if entry["call"] == "start"}
    assert starts[DIRECTOR]["name"] == "rb-dir"
    assert starts[DIRECTOR]["config"] == str(site.config("dir"))
    assert starts[DIRECTOR]["working_dir"] == str(site.root / "dir")
    assert starts[STORAGE]["name"] == "rb-sd"
    assert starts[STORAGE]["working_dir"] == str(site.root / "sd")
    assert starts[DIRECTOR]["scripts_dir"].endswith("/scripts")


def test_a_backup_gets_the_director_events_and_its_volume_is_named_by_the_script(site):
    jobid, status = site.run_job("run job=named yes")
    assert status == "T", site.describe()
    mine = [entry for entry in records(site) if entry.get("JobId") == jobid]
    director = [entry for entry in mine if entry.get("kind", DIRECTOR) == DIRECTOR]
    calls = [(entry["call"], entry.get("event"), entry.get("JobStatus")) for entry in director
             if entry["call"] in ("job_start", "job_event", "job_end")]
    # JobStart(C), JobInit(C), JobRun(R), NewVolume(S), JobEnd(T): spec §6.4
    assert calls == [("job_start", None, ord("C")), ("job_event", JOB_INIT, ord("C")),
                     ("job_event", JOB_RUN, ord("R")), ("job_event", NEW_VOLUME, ord("S")),
                     ("job_end", None, ord("T"))], site.describe()
    (volume,) = [entry for entry in mine if entry["call"] == "NewVolume"]
    assert volume["name"] == "TestA-1" and volume["NumVols"] == 0
    assert volume["exists"] == 0          # DoesVolumeExist read the SQLite catalog
    assert volume["set"] == 0             # VolumeName accepted during NewVolume ...
    assert volume["priority_set"] == 0    # ... Priority ignored with a warning: 9.6 cannot
    (run,) = [entry for entry in mine if entry["call"] == "run"]
    assert run["returned"] == 0           # job.run: not available through the interface
    assert site.catalog("SELECT VolumeName FROM Media m JOIN Pool p ON m.PoolId = p.PoolId "
                        "WHERE p.Name = 'Scripted'") == [("TestA-1",)]
    log = site.job_log()
    assert 'Created new Volume="TestA-1"' in log, site.describe()
    assert f"JobId {jobid}: recording JobStart {jobid}" in log
    assert f"JobId {jobid}: recording JobEnd {jobid}" in log
    assert "Fallback-" not in log
    assert "job.Priority = " in log and "ignored: Bacula 9.6's plugin interface cannot" in log


def test_the_storage_daemon_sends_job_start_and_end(site):
    jobid, status = site.run_job("run job=named yes")
    assert status == "T", site.describe()
    storage = [(entry["call"], entry.get("JobName", "").split(".")[0] if "JobName" in entry else None)
               for entry in records(site) if entry.get("kind") == STORAGE
               and entry.get("JobId") == jobid]
    assert storage == [("job_start", "named"), ("job_end", None)]
    # the next volume: NumVols is now 1
    assert ("TestA-2",) in site.catalog("SELECT VolumeName FROM Media")


def test_a_cancelled_job_gets_its_job_end_from_free_plugin(site):
    """9.6 sends no event after a cancel, not even JobEnd: the plugin makes
    the scripting JobEnd from freePlugin."""
    output = site.console("run job=stuck yes")
    jobid = int(re.search(r"JobId=(\d+)", output).group(1))
    deadline = time.monotonic() + 20
    while not any(entry.get("JobId") == jobid and entry.get("event") == JOB_RUN
                  for entry in records(site)):
        assert time.monotonic() < deadline, site.describe()
        time.sleep(0.2)
    site.console(f"cancel jobid={jobid}", "yes")
    site.console(f"wait jobid={jobid}")
    assert site.job_status(jobid) == "A"
    deadline = time.monotonic() + 10
    while True:
        ends = [entry for entry in records(site) if entry["call"] == "job_end"
                and entry["JobId"] == jobid and entry["kind"] == DIRECTOR]
        if ends or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [entry["JobStatus"] for entry in ends] == [ord("A")], site.describe()
    assert f"JobId {jobid}: recording JobEnd {jobid}" in site.job_log()


def test_stopping_the_daemons_sends_exit(site):
    """unloadPlugin (at SIGTERM) is the scripting Exit.  Stops the site: the
    last test of the module."""
    site.stop()
    exits = sorted(entry["kind"] for entry in records(site) if entry["call"] == "exit")
    assert exits == [DIRECTOR, STORAGE]
