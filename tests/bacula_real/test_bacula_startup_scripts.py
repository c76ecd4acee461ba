"""DirStartUp.py and SDStartUp.py in the real 9.6.7 director and SD, through
bareospy-scripting-{dir,sd}.so and the scripting library
libbareospy-bacula.so (the `bacula` module, include/bareospy/bacula.h).

Skipped while the package has no scripting library (it is built by the
Bacula scripting work, not by this one; $BAREOSPY_BACULA_LIBRARY names
another one): test_bacula_scripting.py covers the daemon side with a
recording stand-in meanwhile.
"""
import os
from pathlib import Path

import pytest

from bacula_site import BaculaSite

HERE = Path(__file__).resolve().parent


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
