"""Shared fixtures.

* ``core``: a fake file daemon core made active for one test.
* ``plugin_path``: the installed daemon plugin ``python3-fd.so``.
* ``fd_driver``: the C test driver (tests/fd/c/, entry point main.c), compiled
  once per session, that loads ``python3-fd.so`` like a file daemon and reports
  every call and callback as JSON lines; see :class:`Driver`.
"""
import json
import os
import runpy
import shlex
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

import bareospy

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SCRIPTS = HERE / "scripts"


@pytest.fixture
def core():
    """A FakeCore active on the test's thread for the whole test."""
    # Imported here, not at module level: the sanitizer run (tox -e asan) builds
    # bareosfd with ASan, which only the driver (an ASan executable) may load.
    from bareospy.testing import FakeCore

    fake = FakeCore()
    with fake.active():
        yield fake


# -- the C test driver --------------------------------------------------------------------

class DriverResult:
    """One run of the driver: its JSON lines and helpers to pick from them."""

    def __init__(self, args, returncode, stdout, stderr):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.lines = []
        for number, line in enumerate(stdout.splitlines(), 1):
            try:
                self.lines.append(json.loads(line))
            except ValueError:
                raise AssertionError(
                    f"driver stdout line {number} is not JSON: {line!r}\n{self.describe()}")

    def describe(self):
        """The command line, exit status and stderr, for assertion messages."""
        tail = "\n".join(self.stdout.splitlines()[-15:])
        return (f"command: {shlex.join(map(str, self.args))}\nexit status: {self.returncode}\n"
                f"stderr:\n{self.stderr[-3000:]}\nlast stdout lines:\n{tail}")

    def calls(self, name, **match):
        """Entry-point calls ``{"call": name, ...}`` whose fields equal ``match``."""
        return [line for line in self.lines if line.get("call") == name
                and all(line.get(key) == value for key, value in match.items())]

    def call(self, name, **match):
        """The one call that matches (an AssertionError if not exactly one)."""
        found = self.calls(name, **match)
        assert len(found) == 1, f"{len(found)} {name} calls match {match}:\n{found}"
        return found[0]

    def events(self, event):
        """handlePluginEvent calls of ``event`` that were delivered."""
        return [line for line in self.calls("handlePluginEvent", event=event) if "rc" in line]

    def core(self, name):
        """Core callbacks ``{"core": name, ...}``."""
        return [line for line in self.lines if line.get("core") == name]

    def job_messages(self, type=None):
        """Texts of JobMessage callbacks (of one M_* type if given)."""
        return [line["text"] for line in self.core("JobMessage")
                if type is None or line["type"] == type]

    def core_messages(self, type=None):
        """Texts of the driver's own core messages ({"job": "message"})."""
        return [line["text"] for line in self.lines if line.get("job") == "message"
                and (type is None or line["type"] == type)]

    def debug_messages(self, level=None):
        return [line["text"] for line in self.core("DebugMessage")
                if level is None or line["level"] == level]

    def traces(self, name=None):
        """What bpy_local.py traced: [[function, arg, ...], ...]."""
        found = []
        for text in self.debug_messages(400):
            _, marker, payload = text.partition("TRACE ")
            if marker:
                entry = json.loads(payload)
                if name is None or entry[0] == name:
                    found.append(entry)
        return found

    def select(self, key):
        """Lines that have ``key`` (e.g. "data", "restored", "saved")."""
        return [line for line in self.lines if key in line]

    def backed_up(self):
        """{file name: {"data": ..., "bytes": n, "sha256": ..., "mode": ...}} read at backup."""
        return {line["data"]: line for line in self.lines if "data" in line and "mode" in line}

    def restored(self):
        """{output name: {"restored": ..., "bytes": n, "sha256": ...}} written at restore."""
        return {line["restored"]: line for line in self.lines if "restored" in line}

    @property
    def end(self):
        """The {"job": "end"} line (the last one)."""
        ends = [line for line in self.lines if line.get("job") == "end"]
        assert ends, f"no job end line\n{self.describe()}"
        return ends[-1]


class Driver:
    """Runs the compiled fd_driver against a plugin.

    ``driver.run(scenario, definition, *options)`` runs
    ``fd_driver [options] PLUGIN SCENARIO DEFINITION`` and returns a
    :class:`DriverResult`; with ``check`` (the default) it asserts that the
    driver exited 0 and printed its final ``{"driver": "done"}`` line.
    """

    scripts = SCRIPTS

    def __init__(self, executable, plugin):
        self.executable = Path(executable)
        self.plugin = Path(plugin)

    @staticmethod
    def definition(module, module_path=SCRIPTS, **options):
        """A plugin definition: python3:module_path=...:module_name=...:key=value..."""
        text = f"python3:module_path={module_path}:module_name={module}"
        return text + "".join(f":{key}={value}" for key, value in options.items())

    def command(self, scenario, definition, *options, plugin=None):
        return [str(self.executable), *map(str, options), str(plugin or self.plugin),
                scenario, definition]

    @staticmethod
    def environment(extra=None):
        env = dict(os.environ)
        env["PYTHONDONTWRITEBYTECODE"] = "1"   # no __pycache__ in tests/fd/scripts
        env.update(extra or {})
        return env

    def run(self, scenario, definition, *options, check=True, env=None, timeout=120,
            plugin=None, prefix=()):
        args = [*prefix, *self.command(scenario, definition, *options, plugin=plugin)]
        proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=self.environment(env), timeout=timeout)
        result = DriverResult(args, proc.returncode,
                              proc.stdout.decode("utf-8", "surrogateescape"),
                              proc.stderr.decode("utf-8", "replace"))
        if check:
            assert proc.returncode == 0, result.describe()
            assert result.lines and result.lines[-1].get("driver") == "done", result.describe()
        return result

    __call__ = run


@pytest.fixture(scope="session")
def plugin_path():
    """The installed daemon plugin: <bareospy package>/plugins/python3-fd.so."""
    path = Path(bareospy.__file__).parent / "plugins" / "python3-fd.so"
    if not path.is_file():
        pytest.fail(f"the daemon plugin {path} is missing: bareospy was installed "
                    "without it (build it: python setup.py build_ext --inplace, or pip install .)")
    return path


def _c_compiler():
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        pytest.fail("no C compiler (cc) to build the C test driver in tests/fd/c")
    return compiler


@pytest.fixture(scope="session")
def fd_driver(tmp_path_factory, plugin_path):
    """The C test driver, compiled once per session; see :class:`Driver`.

    Sources and flags: the "fd_driver" program of embed/hosts/cbuild.py;
    BAREOSPY_SANITIZE=1 builds it with ASan and UBSan.
    """
    executable = tmp_path_factory.mktemp("fd_driver") / "fd_driver"
    cbuild = SimpleNamespace(**runpy.run_path(str(REPO / "embed" / "hosts" / "cbuild.py")))
    try:
        cbuild.build("fd_driver", executable, cc=_c_compiler())
    except cbuild.BuildError as error:
        pytest.fail(str(error))
    return Driver(executable, plugin_path)
