"""bacula-stubs/__init__.pyi names exactly the public names of the bacula
module, and the Job methods of each class."""
import ast
from pathlib import Path

import bacula

STUB = Path(__file__).resolve().parents[2] / "bacula-stubs" / "__init__.pyi"


def _stub_tree():
    return ast.parse(STUB.read_text())


def test_the_stub_names_the_module_public_names():
    names = set()
    for node in _stub_tree().body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
    public = {name for name in dir(bacula) if not name.startswith("_")} | {"__version__"}
    assert {name for name in names if not name.startswith("_") or name == "__version__"} == public


def test_the_stub_names_the_job_methods():
    classes = {node.name: node for node in _stub_tree().body if isinstance(node, ast.ClassDef)}
    for class_name in ("Job", "DirectorJob"):
        methods = {node.name for node in classes[class_name].body
                   if isinstance(node, ast.FunctionDef) and not node.decorator_list}
        real = {name for name, value in vars(getattr(bacula, class_name)).items()
                if callable(value) and not name.startswith("_")}
        assert methods == real, class_name
