"""The legacy flavour built for CPython 2.7 (tox -e legacy2): python-fd.so
embedding 2.7 runs the old-API example and probe unchanged, through the
reference file daemon.

The package tree comes from tools/build_legacy_py27.py; its path is
$BAREOSPY_PY27_PACKAGE (OUT/bareospy).  Without it these tests are skipped:
the other environments build for Python 3 only.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from legacy_helpers import (LEGACY_EXAMPLES, SCRIPTS, Run, concurrent_jobs_file, make_tree,  # noqa: E402
                            tree_state)

PACKAGE = os.environ.get("BAREOSPY_PY27_PACKAGE")
pytestmark = pytest.mark.skipif(
    not PACKAGE, reason="python-fd.so for CPython 2.7 not built (tox -e legacy2)")
EXAMPLE = "bareos-fd-legacy-files"


def run_host(*args, expect=0):
    """bareospy-fd of the 2.7 tree loading its python-fd.so (plugin "python")."""
    package = Path(PACKAGE)
    command = [str(package / "bin" / "bareospy-fd"), "-p", str(package / "legacy-plugins"),
               "--plugin", "python", *map(str, args)]
    # The daemon gets no PYTHONPATH: the test run's (the Python 3 source
    # tree, tox.ini) would give the embedded 2.7 that tree's bareospy.
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    completed = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=120, env=environment)
    result = Run(command, completed)
    if expect is not None:
        assert result.returncode == expect, result.describe()
    return result


def test_plugin_embeds_python27():
    """The plugin is linked against libpython2.7 (and no Python 3)."""
    plugin = Path(PACKAGE) / "legacy-plugins" / "python-fd.so"
    needed = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True).stdout
    assert "libpython2.7" in needed
    assert "libpython3" not in needed


def test_old_api_example_backs_up_and_restores_a_tree_on_python27(tmp_path):
    source = make_tree(tmp_path / "source")
    listing = tmp_path / "list"
    listing.write_text(f"{source}\n")
    archive = tmp_path / "archive"
    backup = run_host("backup", "--archive", archive,
                      f"python:module_path={LEGACY_EXAMPLES}:module_name={EXAMPLE}"
                      f":filename={listing}")
    assert "Status:          OK" in backup.stdout, backup.describe()
    where = tmp_path / "restored"
    restore = run_host("restore", "--archive", archive, "--where", where,
                       "--plugin-options", f"python:module_path={LEGACY_EXAMPLES}")
    assert "Status:          OK" in restore.stdout, restore.describe()
    assert tree_state(where / source.relative_to("/")) == tree_state(source)


def test_script_sees_the_old_api_on_python27(tmp_path):
    run = run_host("backup", "--archive", tmp_path / "archive",
                   f"python:module_path={SCRIPTS}:module_name=legacy_probe:x=1", expect=None)
    seen = dict(re.findall(r"probe: ([\w-]+)=(.*)", run.stdout))
    assert run.returncode == 0, run.describe()
    assert seen["python"] == "2.7"
    assert seen["context"] == "True"
    assert seen["parse-same-context"] == "True"
    assert seen["bRC_OK"] == "0"
    assert seen["str-keys"] == "True"               # bRCs["bRC_OK"]: native str keys
    assert seen["bVarCheckChanges"] == "False"
    assert seen["jobid"] == "1"
    assert seen["stat"] == "100640,1234,1234"
    assert seen["plugindef"] == "x=1:"
    assert seen["type-error"] == \
        "bareosfd.GetValue() argument 'var' must be an integer, not list"


def test_concurrent_old_api_jobs_keep_their_own_state_on_python27(tmp_path):
    """Two backups at once in one process, on daemon threads of their own:
    each instance has its own copy of the script module (its globals) and the
    GIL is taken and given back by each thread (2.7's thread-state API)."""
    job_file, trees = concurrent_jobs_file(tmp_path, EXAMPLE)
    run = run_host("jobs", job_file)
    assert run.stdout.count("Status:          OK") == 2, run.describe()
    for name, tree in trees:
        where = tmp_path / f"restored-{name}"
        run_host("restore", "--archive", tmp_path / name, "--where", where,
                 "--plugin-options", f"python:module_path={LEGACY_EXAMPLES}")
        assert tree_state(where / tree.relative_to("/")) == tree_state(tree)
