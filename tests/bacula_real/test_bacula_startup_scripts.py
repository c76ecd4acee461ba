"""DirStartUp.py and SDStartUp.py in the real 9.6.7 director and SD, through
bareospy-scripting-{dir,sd}.so and the scripting library
libbareospy-bacula.so (the `bacula` module, include/bareospy/bacula.h).

Skipped when the package has no scripting library ($BAREOSPY_BACULA_LIBRARY
names another one): test_bacula_scripting.py covers the daemon side with a
recording stand-in.
"""
import os
import time
from pathlib import Path

import pytest

from bacula_site import BaculaSite

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent.parent / "examples" / "bacula"


@pytest.fixture(scope="module")
def scripting_library(bacula_plugin_dir):
    library = os.environ.get("BAREOSPY_BACULA_LIBRARY") or os.path.join(
        os.path.dirname(bacula_plugin_dir), "libbareospy-bacula.so")
    if not os.path.isfile(library):
        pytest.skip(f"no scripting library {library} in this build (the `bacula` module)")
    return library


@pytest.fixture(scope="module")
def site(bacula_installed, bacula_plugin_dir, example_dir, scripting_library, tmp_path_factory):
    base = tmp_path_factory.mktemp("startup")
    (base / "one.txt").write_text("one file\n")
    listing = base / "list.txt"
    listing.write_text(f"{base / 'one.txt'}\n")
    plugin = f"python3:module_path={example_dir}:module_name=bareos-fd-local-files:filename={listing}"
    env = {"BAREOSPY_BACULA_SCRIPTS_DIR": str(HERE / "scripts" / "startup")}
    with BaculaSite(base / "site", bacula_plugin_dir, {"named": (plugin, "Scripted")}, env=env,
                    daemon_plugins=True) as running:
        yield running


def test_dirstartup_names_the_new_volume_testa(site):
    jobid, status = site.run_job("run job=named yes")
    assert status == "T", site.describe()
    assert site.catalog("SELECT VolumeName FROM Media") == [("TestA-1",)]
    log = site.job_log()
    assert 'Created new Volume="TestA-1"' in log, site.describe()
    assert f"Python Dir JobStart: JobId={jobid} Client=rb-fd NumVols=0" in log
    assert "Python NewVolume: exists=0 name=TestA-1" in log
    assert f"Python Dir JobEnd output: JobId={jobid} Status=T" in log
    assert f"Python SD JobStart: JobId={jobid} JobName=named." in log
    assert f"Python SD JobEnd: JobId={jobid}" in log
    # what 9.6 cannot do: a warning, and the script runs on
    assert "job.Priority = 7 ignored: Bacula 9.6's plugin interface cannot change it" in log
    assert "job.cancel(999): not available in Bacula 9.6" in log
    assert "Python cancel refused: no running job with JobId 999" in log
    assert 'job.run("run kernsave"): not run' in log  # no bconsole.conf beside bacula-dir.conf


@pytest.fixture(scope="module")
def example_site(bacula_installed, bacula_plugin_dir, example_dir, scripting_library,
                 tmp_path_factory):
    """The shipped examples/bacula scripts; job.run may use the site's bconsole."""
    base = tmp_path_factory.mktemp("example")
    (base / "one.txt").write_text("one file\n")
    listing = base / "list.txt"
    listing.write_text(f"{base / 'one.txt'}\n")
    plugin = f"python3:module_path={example_dir}:module_name=bareos-fd-local-files:filename={listing}"
    root = base / "site"
    env = {"BAREOSPY_BACULA_SCRIPTS_DIR": str(EXAMPLES),
           "BAREOSPY_BACULA_BCONSOLE_CONFIG": str(root / "bacula-console.conf")}
    jobs = {"named": (plugin, "Scripted"), "Second": (plugin, "Scripted")}
    with BaculaSite(root, bacula_plugin_dir, jobs, env=env, daemon_plugins=True) as running:
        yield running


def wait_for_job(site, name, timeout=60):
    """The JobId and status of the job `name` once it has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = site.catalog("SELECT JobId, JobStatus FROM Job WHERE Name=?", name)
        if rows and rows[0][1] in ("T", "E", "e", "f", "A", "W"):
            return rows[0]
        time.sleep(0.2)
    raise AssertionError(f"job {name} did not end:\n{site.describe()}")


def test_the_shipped_dirstartup_names_volumes_and_runs_a_second_job(example_site):
    site = example_site
    jobid, status = site.run_job("run job=named yes")
    assert status == "T", site.describe()
    second, second_status = wait_for_job(site, "Second")
    assert second_status == "T" and second != jobid, site.describe()
    volumes = site.catalog("SELECT VolumeName FROM Media ORDER BY MediaId")
    assert volumes == [("TestA-1",), ("TestA-2",)], site.describe()
    assert site.catalog("SELECT DISTINCT VolumeName FROM JobMedia JOIN Media USING (MediaId)"
                        " WHERE JobId=?", jobid) == [("TestA-1",)]
    log = site.job_log()
    assert 'Created new Volume="TestA-1"' in log and 'Created new Volume="TestA-2"' in log
    assert f"Python Dir JobStart: JobId={jobid} Client=rb-fd NumVols=0" in log
    # print() goes to the job log; job.run is asynchronous: no JobId
    assert "Director rb-dir, version 9.6 (Bacula plugin interface)" in log
    assert 'job.run("run job=Second yes"): submitted through bconsole' in log
    assert "JobInit: started the job Second as JobId 0" in log
    # CatalogRes from the configuration file (dbuser/dbpassword are empty there)
    assert "NewVolume: catalog ('bacula', None, None, None, None, 0, 'SQLite3')" in log
    assert "NewVolume: the next volume is TestA-1" in log
    assert "NewVolume: the next volume is TestA-2" in log
    assert f"Python Dir JobEnd: JobId={jobid} Status=T" in log
    assert f"Python Dir JobEnd: JobId={second} Status=T" in log
    # SDStartUp.py: the 9.6 SD tells plugins only JobId and JobName
    assert f"Python SD JobStart: JobId={jobid} Device=None" in log
    assert f"Python SD JobEnd: JobId={jobid} Status= volume=None" in log
    assert "Traceback" not in log, log
