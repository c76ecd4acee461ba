"""Fixtures of the real-Bacula tests: Debian's packages and the site.

These tests start Debian's bacula-dir, bacula-sd and bacula-fd, so they run
only when BAREOSPY_BACULA_REAL=1 (``tox -e bacula``, which ``make test``
runs once after the per-interpreter environments); elsewhere they are
skipped at collection time, which costs nothing.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

import bacula_site  # noqa: E402  (the directory above is on sys.path now)

ENABLED = os.environ.get("BAREOSPY_BACULA_REAL") == "1"
DISABLED_REASON = ("real Bacula daemons: set BAREOSPY_BACULA_REAL=1 to run "
                   "(tox -e bacula, or make test-bacula)")


def pytest_collection_modifyitems(config, items):
    if ENABLED:
        return
    skip = pytest.mark.skip(reason=DISABLED_REASON)
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


def stop_debian_services():
    """A package installation may start Debian's own daemons (their ports are
    not ours, but nothing of theirs should keep running): stop them."""
    if not shutil.which("service"):
        return
    for service in ("bacula-director", "bacula-sd", "bacula-fd"):
        subprocess.run(["service", service, "stop"], capture_output=True, check=False)


@pytest.fixture(scope="session")
def bacula_installed():
    """Debian's Bacula 9.6, installed with apt-get when missing."""
    if bacula_site.installed():
        return
    if not shutil.which("apt-get"):
        pytest.skip("no apt-get: the real-Bacula tests need Debian's bacula packages "
                    f"({' '.join(bacula_site.PACKAGES)})")
    if os.geteuid() != 0:
        pytest.skip("the bacula packages are missing and installing them needs root: "
                    f"apt-get install {' '.join(bacula_site.PACKAGES)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    command = ["apt-get", "install", "-y", "--no-install-recommends", *bacula_site.PACKAGES]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:  # a fresh machine: no package lists yet
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, check=False)
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    stop_debian_services()
    assert result.returncode == 0 and bacula_site.installed(), result.stdout + result.stderr


@pytest.fixture(scope="session")
def bacula_plugin_dir():
    """The directory bacula-fd's Plugin Directory names: bareospy's Bacula plugins."""
    from bareospy.__main__ import BACULA_PLUGIN_DIR

    if not os.path.isfile(os.path.join(BACULA_PLUGIN_DIR, "python3-fd.so")):
        pytest.fail(f"no Bacula plugin in {BACULA_PLUGIN_DIR} (package not built?)")
    return BACULA_PLUGIN_DIR


@pytest.fixture(scope="session")
def example_dir():
    """Where bareos-fd-local-files.py is: installed with the package, or the checkout's."""
    from bareospy.__main__ import EXAMPLES_DIR

    if os.path.isfile(os.path.join(EXAMPLES_DIR, "bareos-fd-local-files.py")):
        return EXAMPLES_DIR
    return str(REPO / "examples")
