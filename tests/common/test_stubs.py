"""The bareosfd type stubs: they name exactly what the module has, and
mypy --strict accepts the examples and a typed sample plugin with them.

The mypy tests need mypy (tox installs it); they check the stubs installed
next to bareosfd (site-packages in tox, the source tree in-place).
"""
import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import bareosfd
import bareospy

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
STUB = Path(bareosfd.__file__).resolve().parent / "bareosfd-stubs" / "__init__.pyi"


def stub_tree():
    return ast.parse(STUB.read_text(encoding="utf-8"))


def public(names):
    return {name for name in names if not name.startswith("_")}


def defined_names(body):
    """The names a stub module or class body defines (assignments, defs, classes)."""
    names = set()
    for node in body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def stub_classes():
    return {node.name: node for node in stub_tree().body if isinstance(node, ast.ClassDef)}


def test_the_stubs_are_installed_next_to_bareosfd():
    assert STUB.is_file()
    assert (Path(bareospy.__file__).parent / "py.typed").is_file()


def test_the_stub_names_exactly_the_public_names_of_the_module():
    assert public(defined_names(stub_tree().body)) == public(dir(bareosfd))


@pytest.mark.parametrize("class_name", ["StatPacket", "SavePacket", "RestorePacket", "IoPacket",
                                        "AclPacket", "XattrPacket", "RestoreObject"])
def test_each_packet_stub_names_exactly_the_attributes_of_the_type(class_name):
    stub_names = public(defined_names(stub_classes()[class_name].body))
    assert stub_names == public(vars(getattr(bareosfd, class_name)))


def test_every_constant_stub_is_final_with_the_module_value():
    for node in stub_tree().body:
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            name = node.target.id
            assert isinstance(node.annotation, ast.Name) and node.annotation.id == "Final", name
            assert ast.literal_eval(node.value) == getattr(bareosfd, name), name


def test_every_packet_attribute_and_function_has_a_docstring():
    missing = []
    for cls in stub_classes().values():
        body = cls.body
        for index, node in enumerate(body):
            if isinstance(node, ast.AnnAssign):
                following = body[index + 1] if index + 1 < len(body) else None
                if not (isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)):
                    missing.append(f"{cls.name}.{node.target.id}")
            elif isinstance(node, ast.FunctionDef) and node.name != "__init__":
                if ast.get_docstring(node) is None:
                    missing.append(f"{cls.name}.{node.name}")
    for node in stub_tree().body:
        if isinstance(node, ast.FunctionDef) and ast.get_docstring(node) is None:
            missing.append(node.name)
    assert missing == []


def test_module_functions_are_positional_only_in_the_stub():
    for node in stub_tree().body:
        if isinstance(node, ast.FunctionDef):
            assert not node.args.args and not node.args.kwonlyargs, node.name


# -- mypy ---------------------------------------------------------------------------

def run_mypy(tmp_path, *files):
    """mypy --strict on files, with the installed stub as the bareosfd module."""
    pytest.importorskip("mypy")
    search = tmp_path / "search"
    (search / "bareosfd").mkdir(parents=True)
    shutil.copy(STUB, search / "bareosfd" / "__init__.pyi")
    package = Path(bareospy.__file__).resolve().parent
    if "site-packages" not in package.parts:  # an in-place build: mypy finds it here
        (search / "bareospy").symlink_to(package, target_is_directory=True)
    # bareospy's own modules are followed as an installed package's are:
    # without reporting their errors (only bareospy.typing and
    # bareospy.options promise types; test_own_typed_modules checks them).
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n[mypy-bareospy.*]\nfollow_imports = silent\n")
    env = dict(os.environ, MYPYPATH=str(search))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", str(config),
         "--cache-dir", str(tmp_path / "cache"), *map(str, files)],
        cwd=tmp_path, env=env, capture_output=True, text=True)
    return result.returncode, result.stdout + result.stderr


def test_mypy_strict_accepts_the_examples(tmp_path):
    examples = sorted((REPO / "examples").glob("*.py"))
    assert examples
    status, output = run_mypy(tmp_path, *examples)
    assert status == 0, output


def test_mypy_strict_accepts_the_typed_sample_and_its_protocols(tmp_path):
    status, output = run_mypy(tmp_path, DATA / "typed_sample_plugin.py", DATA / "check_protocols.py")
    assert status == 0, output


def test_own_typed_modules(tmp_path):
    package = Path(bareospy.__file__).resolve().parent
    for name in ("options.py", "typing.py"):
        shutil.copy(package / name, tmp_path / ("checked_" + name))
    status, output = run_mypy(tmp_path, tmp_path / "checked_options.py", tmp_path / "checked_typing.py")
    assert status == 0, output


def test_mypy_strict_finds_a_script_that_misuses_the_api(tmp_path):
    script = tmp_path / "wrong.py"
    script.write_text(
        "import bareosfd\n"
        "from bareospy.typing import BackupScript\n"
        "import wrong\n"
        "def start_backup_file(savepkt: bareosfd.SavePacket) -> int:\n"
        "    savepkt.fname = 3\n"                                # not a str
        "    return bareosfd.GetValue(bareosfd.bVarJobId, 1)\n"   # too many arguments
        "def end_backup_file(more: bool) -> int:\n"             # the daemon passes nothing
        "    return bareosfd.bRC_OK\n"
        "script: BackupScript = wrong\n")
    status, output = run_mypy(tmp_path, script)
    assert status == 1
    assert "wrong.py:5: error: Incompatible types in assignment" in output
    assert 'wrong.py:6: error: Too many arguments for "GetValue"' in output
    assert 'wrong.py:9: error: Incompatible types in assignment (expression has type Module, ' \
        'variable has type "BackupScript")' in output
