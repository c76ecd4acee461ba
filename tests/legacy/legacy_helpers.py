"""Helpers of the legacy flavour's tests: running bareospy-fd with python-fd.so
(plugin name "python") or python3-fd.so, and comparing trees."""
import os
import shlex
import stat
import subprocess
from pathlib import Path

import pytest

import bareospy

PACKAGE = Path(bareospy.__file__).resolve().parent
BINARY = Path(os.environ.get("BAREOSPY_FD_BINARY") or PACKAGE / "bin" / "bareospy-fd")
PLUGIN_DIR = PACKAGE / "plugins"
LEGACY_PLUGIN_DIR = PACKAGE / "legacy-plugins"   # python-fd.so
REPO = Path(__file__).resolve().parents[2]
LEGACY_EXAMPLES = REPO / "examples" / "legacy"
SCRIPTS = Path(__file__).resolve().parent / "scripts"


def package_env():
    """The environment of a ``python -m bareospy...`` subprocess that imports
    the bareospy these tests import (installed, or the in-place build)."""
    paths = [str(PACKAGE.parent)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                                     if p]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(paths))


class Run:
    def __init__(self, args, completed):
        self.args = args
        self.returncode = completed.returncode
        self.stdout = completed.stdout.decode("utf-8", "replace")
        self.stderr = completed.stderr.decode("utf-8", "replace")

    def describe(self):
        return (f"command: {shlex.join(map(str, self.args))}\nexit status: {self.returncode}\n"
                f"stdout:\n{self.stdout[-4000:]}\nstderr:\n{self.stderr[-4000:]}")


def run_host(plugin, *args, expect=0):
    """bareospy-fd loading only ``plugin`` ("python": python-fd.so, "python3")."""
    directory = LEGACY_PLUGIN_DIR if plugin == "python" else PLUGIN_DIR
    command = [str(BINARY), "-p", str(directory), "--plugin", plugin, *map(str, args)]
    completed = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=120)
    result = Run(command, completed)
    if expect is not None:
        assert result.returncode == expect, result.describe()
    return result


def make_tree(root):
    """A small tree: text, binary data, a subdirectory, a symlink; old times."""
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "a.txt").write_text("hello\n")
    (root / "sub" / "data.bin").write_bytes(os.urandom(200_000))
    (root / "sub" / "deeper" / "empty").write_bytes(b"")
    (root / "link").symlink_to("a.txt")
    (root / "sub" / "data.bin").chmod(0o640)
    for path in (root / "a.txt", root / "sub" / "data.bin", root / "sub" / "deeper",
                 root / "sub"):
        os.utime(path, (1_500_000_000, 1_500_000_000))
    return root


def concurrent_jobs_file(tmp_path, module_name):
    """A `bareospy-fd jobs` file of two old-API backups at once, "one" and
    "two", each of its own tree with a file only it has (archives in
    tmp_path/one and tmp_path/two).  Returns the file and [(name, tree)]."""
    lines, trees = [], []
    for name in ("one", "two"):
        tree = make_tree(tmp_path / f"tree-{name}")
        (tree / f"only-in-{name}").write_text(name)
        listing = tmp_path / f"list-{name}"
        listing.write_text(f"{tree}\n")
        definition = (f"python:module_path={LEGACY_EXAMPLES}:module_name={module_name}"
                      f":filename={listing}")
        lines.append(f"backup --archive {shlex.quote(str(tmp_path / name))} --job {name} "
                     f"{shlex.quote(definition)}")
        trees.append((name, tree))
    job_file = tmp_path / "jobs"
    job_file.write_text("\n".join(lines) + "\n")
    return job_file, trees


def tree_state(root):
    """{relative path: (kind, mode, content or link target, mtime)} of a tree."""
    state = {}
    for directory, names, files in os.walk(root):
        for name in names + files:
            path = Path(directory) / name
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                value = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                value = ("dir", stat.S_IMODE(st.st_mode), int(st.st_mtime))
            else:
                value = ("file", stat.S_IMODE(st.st_mode), path.read_bytes(), int(st.st_mtime))
            state[str(path.relative_to(root))] = value
    return state


def backup_and_restore(tmp_path, plugin, module_path, module_name):
    """Back up a fresh tree through ``plugin`` and restore it; returns
    (source tree, restored tree)."""
    source = make_tree(tmp_path / "source")
    listing = tmp_path / "list"
    listing.write_text(f"{source}\n")
    archive = tmp_path / "archive"
    definition = f"{plugin}:module_path={module_path}:module_name={module_name}:filename={listing}"
    run_host(plugin, "backup", "--archive", archive, definition)
    where = tmp_path / "restored"
    run_host(plugin, "restore", "--archive", archive, "--where", where,
             "--plugin-options", f"{plugin}:module_path={module_path}")
    return source, where / source.relative_to("/")


def require_legacy_plugin():
    path = LEGACY_PLUGIN_DIR / "python-fd.so"
    if not path.exists():
        pytest.fail(f"{path} is not built (python setup.py build_ext --inplace)")
    return path
