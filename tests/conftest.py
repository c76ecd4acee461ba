"""Fixtures shared by the daemons' tests.

* ``import_script``: imports a plugin script (and the helpers it imports)
  from a scripts directory, undone after the test.
* ``events_driver``: the C test driver of the storage daemon and director
  plugins (tests/common/c/events_driver.c), compiled once per session; it
  loads python3-sd.so or python3-dir.so as the daemon does and reports
  every call and callback as JSON lines.  See :class:`EventsDriver`.
"""
import json
import os
import runpy
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


class EventsRun:
    """One run of the driver: its JSON lines and helpers to pick from them."""

    def __init__(self, args, returncode, stdout, stderr):
        self.args, self.returncode, self.stdout, self.stderr = args, returncode, stdout, stderr
        self.lines = [json.loads(line) for line in stdout.splitlines()]

    def describe(self):
        return (f"command: {shlex.join(map(str, self.args))}\nexit status: {self.returncode}\n"
                f"stderr:\n{self.stderr[-3000:]}\nstdout:\n{self.stdout[-3000:]}")

    def calls(self, name, **match):
        return [line for line in self.lines if line.get("call") == name
                and all(line.get(key) == value for key, value in match.items())]

    def core(self, name, **match):
        return [line for line in self.lines if line.get("core") == name
                and all(line.get(key) == value for key, value in match.items())]

    def events(self, instance=None):
        """(instance, event, rc) of every handlePluginEvent call, in order."""
        return [(line["instance"], line["event"], line["rc"])
                for line in self.calls("handlePluginEvent")
                if instance is None or line["instance"] == instance]

    def job_messages(self, type=None):
        return [line["text"] for line in self.core("JobMessage")
                if type is None or line["type"] == type]

    def traces(self):
        """What the recording script traced (debug level 400): [[what, ...], ...]."""
        return [json.loads(line["text"].partition("TRACE ")[2])
                for line in self.core("DebugMessage", level=400)]


class EventsDriver:
    """``run(daemon, *commands, values={var: value})``: the commands of
    events_driver.c; ``values`` become ``value VAR=TEXT`` commands first."""

    def __init__(self, executable):
        self.executable = executable

    @staticmethod
    def plugin(daemon):
        import bareospy

        path = Path(bareospy.__file__).parent / "plugins" / f"python3-{daemon}.so"
        if not path.is_file():
            pytest.fail(f"the daemon plugin {path} is missing (python setup.py build_ext --inplace)")
        return path

    @staticmethod
    def options(for_daemon, module, module_path=None, **options):
        """An option string naming a script of tests/<for_daemon>/scripts."""
        path = module_path or TESTS / for_daemon / "scripts"
        text = f"python3:module_path={path}:module_name={module}"
        return text + "".join(f":{key}={value}" for key, value in options.items())

    def run(self, daemon, *commands, values=None, plugin=None, check=True, timeout=120):
        preset = []
        for var, value in (values or {}).items():
            preset += ["value", f"{var}={value}"]
        args = [str(self.executable), daemon, str(plugin or self.plugin(daemon)),
                *preset, *map(str, commands)]
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        proc = subprocess.run(args, capture_output=True, env=env, timeout=timeout)
        run = EventsRun(args, proc.returncode, proc.stdout.decode("utf-8", "surrogateescape"),
                        proc.stderr.decode("utf-8", "replace"))
        if check:
            assert proc.returncode == 0, run.describe()
            assert run.lines[-1] == {"driver": "done"}, run.describe()
        return run


@pytest.fixture(scope="session")
def events_driver(tmp_path_factory):
    """The compiled events_driver (embed/hosts/cbuild.py; BAREOSPY_SANITIZE=1: with ASan)."""
    executable = tmp_path_factory.mktemp("events_driver") / "events_driver"
    cbuild = SimpleNamespace(**runpy.run_path(str(REPO / "embed" / "hosts" / "cbuild.py")))
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        pytest.fail("no C compiler (cc) to build tests/common/c/events_driver.c")
    try:
        cbuild.build("events_driver", executable, cc=compiler)
    except cbuild.BuildError as error:
        pytest.fail(str(error))
    return EventsDriver(executable)


@pytest.fixture
def import_script(monkeypatch):
    """``import_script(directory, name)``: the module ``name`` found in
    ``directory``; it and every module imported from there leave
    sys.modules after the test."""
    before = set(sys.modules)

    def load(directory, name):
        import importlib

        monkeypatch.syspath_prepend(str(directory))
        return importlib.import_module(name)

    yield load
    for name in set(sys.modules) - before:
        if str(getattr(sys.modules[name], "__file__", "") or "").startswith(str(TESTS)):
            del sys.modules[name]


def pytest_collection_modifyitems(config, items):
    """In the sanitizer run (tox -e asan, BAREOSPY_SANITIZE=1) the installed
    modules are ASan builds, which a plain Python process cannot import: the
    tests that use a fake core in-process (the ``core`` fixture) are left to the
    other tox environments, and pytest reports them as deselected."""
    if os.environ.get("BAREOSPY_SANITIZE", "") in ("", "0"):
        return
    in_process = [item for item in items if "core" in getattr(item, "fixturenames", ())]
    if in_process:
        config.hook.pytest_deselected(items=in_process)
        items[:] = [item for item in items if item not in in_process]
