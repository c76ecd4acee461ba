# CPython 2.7 (the legacy flavour's 2.7 build, docs/legacy.md): the few
# parts of the Python 3 import system the shared core uses, on top of `imp`.
#
# The core is written for Python 3; on 2.7 the names it takes at import
# (``builtins``, ``importlib.machinery``, ``importlib.util``,
# ModuleNotFoundError) come from here instead (dispatch.pxi, loader.pxi).
# Only what the core calls is provided: PathFinder.find_spec, the three
# loader types it tests for, module_from_spec, exec_module, find_spec,
# resolve_name.  Nothing here runs on Python 3.
#
# One thing 2.7 cannot do: give a module builtins of its own.  It runs code
# whose builtins are not the interpreter's in restricted mode (no open(), no
# file()), so on 2.7 the script modules, the layer's private traceback and a
# module reloaded past a script's ``sys.modules[name] = None`` run with the
# shared builtins: each instance still loads its own script module, but the
# modules a script imports are shared as any other import, and a script
# that replaces a builtin changes it for every job.

import sys as _sys

cdef bint _PY2 = _sys.version_info[0] < 3

if _PY2:
    import __builtin__ as _py2_builtins
    import imp as _imp
    import marshal as _marshal

    ModuleNotFoundError = ImportError

    class _Py2Spec(object):
        """A module found on a path: name, loader, origin (its file) and,
        for a package, where its submodules are searched."""

        def __init__(self, name, loader, origin, submodule_search_locations=None):
            self.name = name
            self.loader = loader
            self.origin = origin
            self.submodule_search_locations = submodule_search_locations

    class _Py2FileLoader(object):
        def __init__(self, name, path):
            self.name = name
            self.path = path

        def get_data(self, path):
            with open(path, "rb") as file:
                return file.read()

    class _Py2SourceFileLoader(_Py2FileLoader):
        """A module's .py file, compiled and executed in the module."""

        def exec_module(self, module):
            code = compile(self.get_data(self.path), self.path, "exec", 0, True)
            exec(code, module.__dict__)

    class _Py2SourcelessFileLoader(_Py2FileLoader):
        """A module found as a .pyc file only (8 bytes of header, then code)."""

        def exec_module(self, module):
            exec(_marshal.loads(self.get_data(self.path)[8:]), module.__dict__)

    class _Py2ExtensionFileLoader(_Py2FileLoader):
        """An extension module: loaded (and shared) by imp."""

        def exec_module(self, module):
            _imp.load_dynamic(self.name, self.path)

    _PY2_LOADERS = {
        _imp.PY_SOURCE: _Py2SourceFileLoader,
        _imp.PY_COMPILED: _Py2SourcelessFileLoader,
        _imp.C_EXTENSION: _Py2ExtensionFileLoader,
    }

    class _Py2PathFinder(object):
        @staticmethod
        def find_spec(fullname, path=None):
            """The spec of ``fullname`` in the directories ``path`` (None:
            sys.path), or None."""
            child = fullname.rpartition(".")[2]
            try:
                found, filename, description = _imp.find_module(
                    child, list(_sys.path if path is None else path))
            except ImportError:
                return None
            if found is not None:
                found.close()
            kind = description[2]
            if kind == _imp.PKG_DIRECTORY:
                init = _Py2PathFinder.find_spec("__init__", [filename])
                if init is None:
                    return None
                return _Py2Spec(fullname, type(init.loader)(fullname, init.origin),
                                init.origin, [filename])
            loader = _PY2_LOADERS.get(kind)
            if loader is None:
                return None
            return _Py2Spec(fullname, loader(fullname, filename), filename)

    class _Py2Machinery(object):
        """What loader.pxi uses of importlib.machinery."""
        PathFinder = _Py2PathFinder
        SourceFileLoader = _Py2SourceFileLoader
        SourcelessFileLoader = _Py2SourcelessFileLoader
        ExtensionFileLoader = _Py2ExtensionFileLoader

    class _Py2Types(object):
        """What loader.pxi uses of types: 2.7's module type wants a str name."""

        @staticmethod
        def ModuleType(name):
            return _imp.new_module(name.encode("ascii"))

    class _Py2Util(object):
        """What dispatch.pxi and loader.pxi use of importlib.util."""

        @staticmethod
        def find_spec(name):
            return _Py2PathFinder.find_spec(name)

        @staticmethod
        def module_from_spec(spec):
            module = _imp.new_module(spec.name.encode("utf-8"))
            module.__file__ = spec.origin
            module.__loader__ = spec.loader
            module.__spec__ = spec
            if spec.submodule_search_locations is not None:
                module.__path__ = list(spec.submodule_search_locations)
                package = spec.name
            else:
                package = spec.name.rpartition(".")[0]
            module.__package__ = package.encode("utf-8")   # 2.7's import wants a str
            return module

        @staticmethod
        def resolve_name(name, package):
            """importlib.util.resolve_name: ``name`` with leading dots made absolute."""
            if not name.startswith("."):
                return name
            level = len(name) - len(name.lstrip("."))
            bits = package.rsplit(".", level - 1)
            if not package or len(bits) < level:
                raise ValueError("attempted relative import beyond top-level package")
            base = bits[0]
            rest = name[level:]
            return base + "." + rest if rest else base


from cpython.unicode cimport PyUnicode_FromObject as _PyUnicode_FromObject


cdef inline str _plain_str(object value):
    """``value``, a str or of a str subclass, as a plain str (on 2.7
    ``str.__str__`` of text would encode it)."""
    if _PY2:
        return _PyUnicode_FromObject(value)
    return str.__str__(value)
