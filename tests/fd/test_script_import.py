"""How python3-fd.so finds the script named by ``module_name=`` (spec §4.5).

The plugin paths (``module_path=`` and the daemon's plugin directory) are
searched first; a script that is not there is imported from ``sys.path`` like
any module -- through the daemon's ``PYTHONPATH``, or from a package installed
with pip, a dotted ``module_name`` included.  What is private to each instance
and what is shared is described in the README ("How concurrent jobs are kept
apart").
"""
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent / "scripts"
bRC_OK, bRC_Error = 0, 2
M_FATAL = 3


def copy_script(fd_driver, directory, name):
    """tests/fd/scripts/bpy_local.py as ``directory/name.py`` (it traces its calls)."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(SCRIPTS / "bpy_local.py", directory / f"{name}.py")
    return directory


@pytest.mark.driver
def test_script_found_only_through_pythonpath(fd_driver, tmp_path):
    elsewhere = copy_script(fd_driver, tmp_path / "elsewhere", "bpy_on_pythonpath")
    result = fd_driver("events", "python3:module_name=bpy_on_pythonpath:k=1",
                       env={"PYTHONPATH": str(elsewhere)})
    assert result.events(17)[0]["rc"] == bRC_OK, result.job_messages(M_FATAL)
    assert result.traces("load_bareos_plugin") == [["load_bareos_plugin", "k=1:"]]
    assert not result.job_messages(M_FATAL)


@pytest.mark.driver
def test_plugin_paths_come_before_sys_path(fd_driver, tmp_path):
    """A script of the same name on PYTHONPATH does not shadow the one in module_path."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "bpy_local.py").write_text("raise RuntimeError('the PYTHONPATH copy ran')\n")
    result = fd_driver("events", fd_driver.definition("bpy_local", k=2),
                       env={"PYTHONPATH": str(shadow)})
    assert result.events(17)[0]["rc"] == bRC_OK, result.job_messages(M_FATAL)
    assert result.traces("load_bareos_plugin") == [["load_bareos_plugin", "k=2:"]]


# A PEP 517 build backend in the source tree: pip builds the wheel with it, so
# the test needs neither network nor the ``wheel`` package (which older
# setuptools need for bdist_wheel).
BUILD_BACKEND = textwrap.dedent('''\
    """Builds the wheel of bpy-plugins: the files of bpy_pkg/ plus dist-info."""
    import base64, hashlib, os, zipfile

    NAME, VERSION = "bpy_plugins", "1.0"
    DIST_INFO = f"{NAME}-{VERSION}.dist-info"
    METADATA = f"Metadata-Version: 2.1\\nName: bpy-plugins\\nVersion: {VERSION}\\n"
    WHEEL = "Wheel-Version: 1.0\\nGenerator: bpy_backend\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"

    def _record_line(name, data):
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        return f"{name},sha256={digest.decode()},{len(data)}"

    def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
        filename = f"{NAME}-{VERSION}-py3-none-any.whl"
        files = {}
        for name in sorted(os.listdir("bpy_pkg")):
            if name.endswith(".py"):
                with open(os.path.join("bpy_pkg", name), "rb") as source:
                    files[f"bpy_pkg/{name}"] = source.read()
        files[f"{DIST_INFO}/METADATA"] = METADATA.encode()
        files[f"{DIST_INFO}/WHEEL"] = WHEEL.encode()
        record = [_record_line(name, data) for name, data in files.items()]
        record.append(f"{DIST_INFO}/RECORD,,")
        files[f"{DIST_INFO}/RECORD"] = ("\\n".join(record) + "\\n").encode()
        with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w") as wheel:
            for name, data in files.items():
                wheel.writestr(name, data)
        return filename
    ''')


@pytest.fixture(scope="module")
def installed_package(tmp_path_factory):
    """A tiny distribution ``bpy-plugins`` (package ``bpy_pkg`` with the script
    ``bpy_pkg.plugin``) installed by pip into a directory of its own."""
    base = tmp_path_factory.mktemp("pip")
    source = base / "src"
    package = source / "bpy_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("INSTANCES = []\n")
    plugin = (SCRIPTS / "bpy_local.py").read_text()
    # The package's own state: a list in the package module, one entry per
    # instance that loaded the script (private per instance: always one).
    plugin += textwrap.dedent("""

        import bpy_pkg
        bpy_pkg.INSTANCES.append(__name__)
        bareosfd.DebugMessage(100, "INSTANCES %d\\n" % len(bpy_pkg.INSTANCES))
        """)
    (package / "plugin.py").write_text(plugin)
    (source / "bpy_backend.py").write_text(BUILD_BACKEND)
    (source / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "bpy_backend"\nbackend-path = ["."]\n')
    target = base / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-build-isolation",
         "--no-deps", "--no-index", "--disable-pip-version-check", "--target", str(target),
         str(source)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    assert proc.returncode == 0, proc.stdout
    assert (target / "bpy_pkg" / "plugin.py").is_file(), sorted(target.rglob("*"))
    assert list(target.glob("bpy_plugins-1.0*-info")), "pip did not record the distribution"
    return target


@pytest.mark.driver
def test_script_inside_a_pip_installed_package(fd_driver, installed_package):
    result = fd_driver("events", "python3:module_name=bpy_pkg.plugin:k=3",
                       env={"PYTHONPATH": str(installed_package)})
    assert result.events(17)[0]["rc"] == bRC_OK, result.job_messages(M_FATAL)
    assert result.traces("load_bareos_plugin") == [["load_bareos_plugin", "k=3:"]]


@pytest.mark.driver
def test_a_pip_installed_script_backs_up_a_tree(fd_driver, installed_package, tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "data.bin").write_bytes(bytes(range(256)) * 300)
    result = fd_driver("backup", f"python3:module_name=bpy_pkg.plugin:dir={source}",
                       "--archive", tmp_path / "archive",
                       env={"PYTHONPATH": str(installed_package)})
    assert result.end["status"] == "OK", result.describe()
    assert result.end["bytes"] == 256 * 300
    assert str(source / "data.bin") in result.backed_up()


@pytest.mark.driver
def test_installed_script_is_private_to_each_instance(fd_driver, installed_package):
    """Two concurrent instances each get their own copy of the script's package
    (its module globals start fresh)."""
    result = fd_driver("concurrent", "python3:module_name=bpy_pkg.plugin:k=4",
                       "--threads", 2, "--calls", 10,
                       env={"PYTHONPATH": str(installed_package)})
    counts = [text.partition("INSTANCES ")[2] for text in result.debug_messages(100)
              if "INSTANCES " in text]
    assert counts == ["1\n", "1\n"], counts
    assert not result.job_messages(M_FATAL)


@pytest.mark.driver
def test_unknown_module_name_is_fatal_and_says_where_it_looked(fd_driver, tmp_path):
    result = fd_driver("backup", fd_driver.definition("bpy_nowhere", module_path=tmp_path))
    assert result.events(17)[0]["rc"] == bRC_Error
    fatal = "\n".join(result.job_messages(M_FATAL))
    assert "ModuleNotFoundError" in fatal and "bpy_nowhere" in fatal


# -- the same rules in-process, on the plugin layer's module space ---------------------------
#
# bareosfd is imported inside the fixture: the sanitizer run builds it with
# ASan, which only the driver may load.

@pytest.fixture
def new_space(monkeypatch):
    """Makes module spaces as _load_script does, with sys.path and sys.modules
    restored after the test."""
    import bareosfd

    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    modules_before = set(sys.modules)
    paths_before = set(bareosfd._plugin_paths_on_sys_path)
    spaces = []

    def make(*paths):
        space = bareosfd._ModuleSpace(list(map(str, paths)))
        bareosfd._add_plugin_paths_to_sys_path(space.paths)
        spaces.append(space)
        return space

    yield make
    for space in spaces:
        space.forget()
    bareosfd._plugin_paths_on_sys_path.intersection_update(paths_before)
    for name in set(sys.modules) - modules_before:
        del sys.modules[name]


def write_module(directory, name, text="VALUE = []\n"):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.py").write_text(text)
    return directory


def test_script_on_sys_path_is_private_to_each_space(new_space, tmp_path):
    sys.path.insert(0, str(write_module(tmp_path, "bpy_sys_path_script")))
    first = new_space().import_top("bpy_sys_path_script")
    second = new_space().import_top("bpy_sys_path_script")
    assert first is not second and first.VALUE is not second.VALUE
    assert first.__file__ == str(tmp_path / "bpy_sys_path_script.py")


def test_only_the_scripts_top_package_is_private(new_space, tmp_path):
    """The script's package is private; another package on sys.path that the
    script imports is shared."""
    package = tmp_path / "bpy_top"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "job.py").write_text("import bpy_top, bpy_helper\nSTATE = []\n")
    write_module(tmp_path, "bpy_helper")
    sys.path.insert(0, str(tmp_path))
    first = new_space().import_top("bpy_top.job")
    second = new_space().import_top("bpy_top.job")
    assert first.__name__ == "bpy_top.job"
    assert first.STATE is not second.STATE
    assert first.bpy_top is not second.bpy_top
    assert first.bpy_helper is second.bpy_helper is sys.modules["bpy_helper"]


def test_plugin_paths_win_over_sys_path(new_space, tmp_path):
    sys.path.insert(0, str(write_module(tmp_path / "on_sys_path", "bpy_twice", "WHERE = 'sys.path'\n")))
    plugin_dir = write_module(tmp_path / "plugins", "bpy_twice", "WHERE = 'plugin dir'\n")
    assert new_space(plugin_dir).import_top("bpy_twice").WHERE == "plugin dir"


def test_another_instances_module_path_is_not_searched(new_space, tmp_path):
    other = write_module(tmp_path / "other", "bpy_of_other_job")
    new_space(other).import_top("bpy_of_other_job")
    assert str(other) in sys.path
    with pytest.raises(ModuleNotFoundError) as raised:
        new_space(tmp_path / "mine").import_top("bpy_of_other_job")
    assert raised.value.name == "bpy_of_other_job"
    assert "plugin paths" in str(raised.value) and "sys.path" in str(raised.value)


def test_a_zip_imported_script_is_imported_normally_and_shared(new_space, tmp_path):
    archive = tmp_path / "scripts.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("bpy_zipped.py", "VALUE = []\n")
    sys.path.insert(0, str(archive))
    first = new_space().import_top("bpy_zipped")
    assert first is new_space().import_top("bpy_zipped") is sys.modules["bpy_zipped"]


def test_a_script_of_a_custom_finder_is_imported_normally(new_space):
    import importlib.abc
    import importlib.util

    class Loader(importlib.abc.Loader):
        def exec_module(self, module):
            module.MADE_BY = "custom finder"

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == "bpy_from_finder":
                return importlib.util.spec_from_loader(name, Loader())
            return None

    sys.meta_path.append(Finder())
    module = new_space().import_top("bpy_from_finder")
    assert module.MADE_BY == "custom finder"
    assert module is sys.modules["bpy_from_finder"]


def test_an_error_inside_the_script_is_not_reported_as_a_missing_script(new_space, tmp_path):
    sys.path.insert(0, str(write_module(tmp_path, "bpy_needs_more", "import bpy_not_installed\n")))
    with pytest.raises(ModuleNotFoundError) as raised:
        new_space().import_top("bpy_needs_more")
    assert raised.value.name == "bpy_not_installed"
