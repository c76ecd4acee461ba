"""The pytest plugin (bareospy.pytest_plugin): its fixtures, and the example
test examples/test_local_files.py run by pytest in a subprocess (so tox,
which collects tests/ only, runs it too)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

import bareosfd
from bareospy import testing
from bareospy.testing import FakeCore

# The fixtures, for runs where the entry point is not installed (in-place);
# importing them (not pytest_plugins) never registers the plugin twice.
from bareospy.pytest_plugin import (  # noqa: F401
    dir_core, fd_core, plugin_script, run_backup, run_estimate, run_restore, sd_core)

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
SCRIPT = EXAMPLES / "bareos-fd-local-files.py"

PRINTING_SCRIPT = '''
import warnings
import bareosfd

def load_bareos_plugin(plugindef):
    print("loaded with", plugindef)
    warnings.warn("careful")
    return bareosfd.bRC_OK

def parse_plugin_definition(plugindef):
    return bareosfd.bRC_OK

def start_backup_file(savepkt):
    return None          # not a code: the daemon reports it and answers bRC_Error
'''


def test_the_example_test_passes_under_pytest():
    # "-p no:bareospy" blocks the installed entry point, so that loading the
    # plugin by its module name works installed (tox) and in-place alike.
    import bareospy
    paths = {str(Path(bareospy.__file__).resolve().parents[1]),
             str(Path(bareosfd.__file__).resolve().parent)}
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=os.pathsep.join([*paths, os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-p", "no:bareospy", "-p", "bareospy.pytest_plugin", str(EXAMPLES)],
                          capture_output=True, text=True, env=env, timeout=300, cwd=EXAMPLES)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout


def test_fd_core_is_active_and_works_in_tmp_path(fd_core, tmp_path):
    assert bareosfd.GetValue(bareosfd.bVarWorkingDir) == str(tmp_path)
    bareosfd.JobMessage(bareosfd.M_ERROR, "bad\n")
    assert fd_core.job_messages[-1].type_name == "M_ERROR"
    assert fd_core.messages("M_ERROR")[-1].endswith("bad\n")


@pytest.mark.parametrize("fixture, module", [("sd_core", "bareossd"), ("dir_core", "bareosdir")])
def test_sd_and_dir_cores_are_active(request, fixture, module):
    core = request.getfixturevalue(fixture)
    mod = __import__(module)
    mod.JobMessage(mod.M_WARNING, "w\n")
    assert core.job_messages[-1].type_name == "M_WARNING"


def test_since_and_level_reach_the_module():
    core = FakeCore(values={bareosfd.bVarSinceTime: 1700000000, bareosfd.bVarLevel: ord("I")})
    with core.active():
        assert bareosfd.GetValue(bareosfd.bVarSinceTime) == 1700000000


def test_plugin_script_loads_a_hyphenated_script_privately(tmp_path, plugin_script):
    first = plugin_script(SCRIPT, "filename=/nonexistent")
    second = plugin_script(SCRIPT)
    assert first is not second
    assert first.options == {"filename": "/nonexistent"}
    assert second.options == {}


def test_output_is_routed_and_return_values_converted(tmp_path, fd_core, run_backup):
    script = tmp_path / "printing-plugin.py"
    script.write_text(PRINTING_SCRIPT)
    job = run_backup(script)
    assert any("stdout: loaded with" in m.text for m in job.debug)
    assert any("careful" in text for text in job.texts("M_WARNING"))
    assert any("start_backup_file" in text for text in job.errors)
    assert job.entries == []


def test_an_incremental_skips_unchanged_files(tmp_path, fd_core, run_backup):
    fd_core.check_changes = lambda info: bareosfd.bRC_Seen
    listing = tmp_path / "list"
    (tmp_path / "f").write_text("x")
    listing.write_text(str(tmp_path / "f") + "\n")
    full = run_backup(SCRIPT, f"filename={listing}")
    incremental = run_backup(SCRIPT, f"filename={listing}", level="I", since=1)
    assert full.entries[0].type == bareosfd.FT_REG and full.entries[0].data == b"x"
    assert incremental.entries[0].type == bareosfd.FT_NOCHG
    assert incremental.entries[0].data is None


def test_estimate_reads_no_data(tmp_path, fd_core, run_estimate):
    listing = tmp_path / "list"
    (tmp_path / "f").write_text("x")
    listing.write_text(str(tmp_path / "f") + "\n")
    job = run_estimate(SCRIPT, f"filename={listing}")
    assert [(e.fname, e.data) for e in job.entries] == [(str(tmp_path / "f"), None)]


def test_message_type_names():
    assert testing.message_type_name(bareosfd.M_ERROR) == "M_ERROR"
    assert testing.message_type("ERROR") == bareosfd.M_ERROR
