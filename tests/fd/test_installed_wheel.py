"""The package as a user installs it: a wheel built in one environment and
installed into another venv (issue 14).

* Relocatable: the installed python3-fd.so starts the interpreter of the venv
  it is installed in, so a plugin script imports a package installed only there.
* The C side: the installed example core (bareospy/examples/minimal_fd_core.c)
  compiles with ``python -m bareospy --cflags`` (or the pkg-config file) and
  runs a backup job with the installed plugin and the installed example script.

Under tox the wheel is the one tox built and installed for the environment
($TOX_PACKAGE). Elsewhere it is built once per session (``pip wheel .
--no-build-isolation``, a full build: about a minute or more) with the
running Python, or with BAREOSPY_WHEEL_PYTHON when set (a Python that has
setuptools' bdist_wheel).
Not part of ``tox -e asan`` (which runs a list of files): an ASan-built
plugin cannot run from a plain venv.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

MARKER_PACKAGE = "only_in_venv_b"


def run(args, **kwargs):
    result = subprocess.run([str(arg) for arg in args], capture_output=True, text=True,
                            timeout=900, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))}\nexit {result.returncode}\nstdout:\n{result.stdout[-3000:]}\n"
        f"stderr:\n{result.stderr[-3000:]}")
    return result.stdout


def build_python():
    """The Python that builds the wheel; skip if it cannot build one."""
    python = os.environ.get("BAREOSPY_WHEEL_PYTHON", sys.executable)
    check = ("import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('wheel') or "
             "importlib.util.find_spec('setuptools.command.bdist_wheel') else 1)")
    if subprocess.run([python, "-c", check]).returncode != 0:
        pytest.skip(f"{python} cannot build wheels (no bdist_wheel: set BAREOSPY_WHEEL_PYTHON)")
    return python


def tox_wheel():
    """The wheel tox built for this environment, if tox runs the tests."""
    for path in os.environ.get("TOX_PACKAGE", "").split(os.pathsep):
        if path.endswith(".whl") and Path(path).name.startswith("bareospy-"):
            return Path(path)
    return None


@pytest.fixture(scope="session")
def venv_b(tmp_path_factory):
    """A fresh venv with the wheel installed and a package that exists only there."""
    wheel = tox_wheel()
    if wheel is None:
        python = build_python()
        wheels = tmp_path_factory.mktemp("wheel")
        run([python, "-m", "pip", "wheel", REPO, "--no-deps", "--no-build-isolation", "-q",
             "-w", wheels])
        (wheel,) = wheels.glob("bareospy-*.whl")
    venv = tmp_path_factory.mktemp("venv") / "b"
    base = getattr(sys, "_base_executable", sys.executable)
    run([base, "-m", "venv", venv])
    b_python = venv / "bin" / "python"
    run([b_python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel])
    site_packages = Path(run([b_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).strip())
    package = site_packages / MARKER_PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text('WHERE = "venv b"\n')
    return venv


@pytest.fixture(scope="session")
def b_query(venv_b):
    """``python -m bareospy OPTION`` in venv B, run from outside the checkout."""
    def query(*options):
        return run([venv_b / "bin" / "python", "-m", "bareospy", *options], cwd="/").strip()
    return query


@pytest.fixture(scope="session")
def minimal_core(venv_b, b_query, tmp_path_factory):
    """The installed example core, compiled against the installed headers."""
    source = Path(b_query("--examples")) / "minimal_fd_core.c"
    executable = tmp_path_factory.mktemp("core") / "minimal_fd_core"
    cflags = b_query("--cflags").split()
    run([os.environ.get("CC") or "cc", "-std=c99", "-Wall", "-Wextra", "-Werror", *cflags, source,
         "-o", executable, *b_query("--libs").split()], cwd="/")
    return executable


def run_job(core, b_query, definition, cwd):
    plugin = Path(b_query("--plugin-dir")) / "python3-fd.so"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    result = subprocess.run([str(core), str(plugin), definition], capture_output=True, text=True,
                            timeout=120, cwd=cwd, env=env)
    return result


def test_plugin_imports_a_package_installed_only_in_its_venv(venv_b, b_query, minimal_core, tmp_path):
    script = tmp_path / "uses_venv_b.py"
    script.write_text(
        "import sys\nimport bareosfd\nimport only_in_venv_b\n\n"
        "def load_bareos_plugin(definition):\n"
        "    bareosfd.JobMessage(bareosfd.M_INFO,\n"
        "                        f'found {only_in_venv_b.WHERE}; prefix={sys.prefix}\\n')\n"
        "    return bareosfd.bRC_OK\n\n"
        "def start_backup_file(savepkt):\n"
        "    savepkt.fname = '/venv-b/marker'\n"
        "    savepkt.type = bareosfd.FT_REG\n"
        "    savepkt.no_read = True\n"
        "    savepkt.statp = bareosfd.StatPacket()\n"
        "    return bareosfd.bRC_OK\n\n"
        "def end_backup_file():\n"
        "    return bareosfd.bRC_OK\n\n"
        "def parse_plugin_definition(definition):\n"
        "    return bareosfd.bRC_OK\n\n"
        "def handle_plugin_event(event):\n"
        "    return bareosfd.bRC_OK\n")
    result = run_job(minimal_core, b_query, f"python3:module_path={tmp_path}:module_name=uses_venv_b",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"found venv b; prefix={venv_b}" in result.stdout, result.stdout + result.stderr
    assert "file /venv-b/marker" in result.stdout


def test_info_names_the_venv_interpreter(venv_b, b_query):
    info = b_query("--info")
    assert f"interpreter: {venv_b}/bin/python" in info, info
    assert "(venv at" in info


def test_the_example_core_runs_the_installed_example_plugin(b_query, minimal_core, tmp_path):
    examples = Path(b_query("--examples"))
    assert (examples / "bareos-fd-local-files.py").is_file()
    data = tmp_path / "data.txt"
    data.write_bytes(b"x" * 70000)
    listing = tmp_path / "list"
    listing.write_text(f"{data}\n")
    definition = (f"python3:module_path={examples}:module_name=bareos-fd-local-files:"
                  f"filename={listing}")
    result = run_job(minimal_core, b_query, definition, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"file {data} type=3 bytes=70000" in result.stdout, result.stdout
    assert result.stdout.rstrip().endswith("job OK")


def test_installed_headers_and_pkg_config(venv_b, b_query, tmp_path):
    includes = Path(b_query("--includes"))
    assert sorted(path.name for path in (includes / "bareospy").glob("*.h")) == sorted(
        path.name for path in (REPO / "include" / "bareospy").glob("*.h"))
    assert str(includes).startswith(str(venv_b))
    assert b_query("--cflags") == f"-I{includes}"
    (tmp_path / "bareospy.pc").write_text(b_query("--pkg-config") + "\n")
    if shutil.which("pkg-config") is None:
        pytest.skip("no pkg-config program")
    env = dict(os.environ, PKG_CONFIG_PATH=str(tmp_path))
    cflags = run(["pkg-config", "--cflags", "bareospy"], env=env).strip()
    assert cflags == f"-I{includes}"
    version = run(["pkg-config", "--modversion", "bareospy"], env=env).strip()
    assert version == b_query("--version")


def test_the_daemon_modules_carry_the_package_version(venv_b, b_query):
    versions = run([venv_b / "bin" / "python", "-c",
                    "import bareosfd, bareossd, bareosdir; "
                    "print(bareosfd.__version__, bareossd.__version__, bareosdir.__version__)"],
                   cwd="/").split()
    assert versions == [b_query("--version")] * 3
