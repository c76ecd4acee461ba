"""pytest fixtures for plugin scripts (registered through the ``pytest11`` entry point).

A test asks for the fixtures by name; nothing to import::

    def test_backup_and_restore(tmp_path, fd_core, run_backup, run_restore):
        (tmp_path / "src").mkdir()
        (tmp_path / "src" / "a.txt").write_text("hello")
        job = run_backup("plugins/my-plugin.py", "dir=" + str(tmp_path / "src"))
        assert [e.fname for e in job.entries] == [...]
        restored = run_restore("plugins/my-plugin.py", job.entries, where=tmp_path / "out")
        assert not restored.errors

``fd_core`` / ``sd_core`` / ``dir_core``
    an active :class:`bareospy.testing.FakeCore` of that daemon whose
    ``bVarWorkingDir`` (``bsdVarWorkingDir`` ...) is the test's ``tmp_path``,
    with the script's output routed as in the daemon (print() to debug
    messages, sys.stderr and warnings to job warnings).
``plugin_script``
    ``plugin_script(path)`` loads a script (hyphens in its name are fine) as
    a fresh private module, through the daemon's own loader, in a fresh
    plugin instance of ``fd_core``; returns the module.
``run_backup`` / ``run_estimate`` / ``run_restore``
    run a whole job of the script through the file daemon's C entry points,
    in the order of the API reference's §8 (docs/plugin-api.md), with a fresh
    instance (a fresh module) per job; they return a :class:`bareospy.testing.JobResult`.
"""

import pytest

from bareospy import testing


def _core_fixture(daemon, tmp_path):
    core = testing.FakeCore(daemon=daemon, working_dir=str(tmp_path), route_output=True)
    with core.active():
        yield core


@pytest.fixture
def fd_core(tmp_path):
    """An active file daemon FakeCore working in tmp_path."""
    yield from _core_fixture("fd", tmp_path)


@pytest.fixture
def sd_core(tmp_path):
    """An active storage daemon FakeCore (``bareossd``) working in tmp_path."""
    yield from _core_fixture("sd", tmp_path)


@pytest.fixture
def dir_core(tmp_path):
    """An active director FakeCore (``bareosdir``) working in tmp_path."""
    yield from _core_fixture("dir", tmp_path)


@pytest.fixture
def plugin_script(fd_core):
    """``plugin_script(path, definition="")`` -> the loaded script module."""
    return lambda path, definition="": fd_core.load_script(path, definition)


@pytest.fixture
def run_backup(fd_core):
    """``run_backup(path, definition="", level=None, since=None, acl=False, xattr=False,
    accurate=False, previous=())`` -> JobResult (see FakeCore.run_backup)."""
    return fd_core.run_backup


@pytest.fixture
def run_estimate(fd_core):
    """``run_estimate(path, definition="", level=None, since=None)`` -> JobResult."""
    return fd_core.run_estimate


@pytest.fixture
def run_restore(fd_core):
    """``run_restore(path, entries, where, definition="")`` -> JobResult."""
    return fd_core.run_restore
