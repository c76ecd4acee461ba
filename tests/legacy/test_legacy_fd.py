"""The legacy flavour (python-fd.so, plugin name "python") runs scripts of the
API before Bareos 20 unchanged, through the reference file daemon."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from legacy_helpers import (LEGACY_EXAMPLES, REPO, SCRIPTS, backup_and_restore,  # noqa: E402
                            concurrent_jobs_file, package_env, require_legacy_plugin,
                            run_host, tree_state)


@pytest.fixture
def legacy_plugin():
    return require_legacy_plugin()

EXAMPLE = "bareos-fd-legacy-files"


def test_old_api_example_backs_up_and_restores_a_tree(tmp_path, legacy_plugin):
    source, restored = backup_and_restore(tmp_path, "python", LEGACY_EXAMPLES, EXAMPLE)
    assert tree_state(restored) == tree_state(source)


def probe(tmp_path, plugin="python"):
    run = run_host(plugin, "backup", "--archive", tmp_path / "archive",
                   f"{plugin}:module_path={SCRIPTS}:module_name=legacy_probe:x=1", expect=None)
    return run, dict(re.findall(r"probe: ([\w-]+)=(.*)", run.stdout))


def test_script_sees_the_old_api(tmp_path, legacy_plugin):
    run, seen = probe(tmp_path)
    assert run.returncode == 0, run.describe()
    assert seen["context"] == "True"
    assert seen["parse-same-context"] == "True"     # one context per instance
    assert seen["bRC_OK"] == "0"
    assert seen["str-keys"] == "True"               # bRCs["bRC_OK"], not b"bRC_OK"
    assert seen["bVarPrefixLinks"] == "True"
    assert seen["bVarCheckChanges"] == "False"      # bVariable ended at 19
    assert seen["bIOPstatus"] == "False"            # came with Bareos 22
    assert seen["jobid"] == "1"
    assert seen["stat"] == "100640,1234,1234"       # mode is st_mode, mtime is st_mtime
    assert seen["plugindef"] == "x=1:"
    assert seen["type-error"] == \
        "bareosfd.GetValue() argument 'var' must be an integer, not list"


def test_current_plugin_does_not_offer_the_old_api(tmp_path, legacy_plugin):
    """python3-fd.so in the same installation: no bareos_fd_consts, no context."""
    run, seen = probe(tmp_path, plugin="python3")
    assert run.returncode != 0
    assert "No module named 'bareos_fd_consts'" in run.stdout + run.stderr
    assert not seen


def test_missing_functions_are_named_through_the_adapter(tmp_path, legacy_plugin):
    """The layer's warning about functions the job needs sees the old script's."""
    run, _ = probe(tmp_path)
    assert "no plugin_io()" in run.stdout, run.describe()
    assert "no start_backup_file()" not in run.stdout


PYTHON27 = sorted(Path.home().glob(".pyenv/versions/2.7*/bin/python2.7"))


@pytest.mark.skipif(not PYTHON27, reason="no CPython 2.7 under pyenv")
def test_example_and_legacy_layer_are_python2_source():
    """The old scripts' language: the example and the legacy layer compile on 2.7."""
    files = [LEGACY_EXAMPLES / f"{EXAMPLE}.py"] + sorted(
        (REPO / "bareospy" / "legacy").glob("*.py"))
    check = "import sys\nfor name in sys.argv[1:]:\n    compile(open(name).read(), name, 'exec')\n"
    result = subprocess.run([str(PYTHON27[-1]), "-c", check, *map(str, files)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_concurrent_old_api_jobs_keep_their_own_state(tmp_path, legacy_plugin):
    """Two backups at once in one process (bareospy-fd jobs): each instance has
    its own copy of the script's module state and its own context."""
    job_file, trees = concurrent_jobs_file(tmp_path, EXAMPLE)
    run = run_host("python", "jobs", job_file)
    assert run.stdout.count("Status:          OK") == 2, run.describe()
    for name, tree in trees:
        where = tmp_path / f"restored-{name}"
        run_host("python", "restore", "--archive", tmp_path / name, "--where", where,
                 "--plugin-options", f"python:module_path={LEGACY_EXAMPLES}")
        assert tree_state(where / tree.relative_to("/")) == tree_state(tree)


def test_python_m_bareospy_legacy_names_the_plugin_directory(legacy_plugin, tmp_path):
    result = subprocess.run([sys.executable, "-m", "bareospy.legacy"], capture_output=True,
                            text=True, timeout=60, cwd=tmp_path, env=package_env())
    assert result.returncode == 0, result.stderr
    directory = Path(result.stdout.strip())
    assert sorted(path.name for path in directory.glob("*.so")) == [
        "python-dir.so", "python-fd.so", "python-sd.so"]
