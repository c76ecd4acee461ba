# Per-instance module namespaces in one interpreter.
#
# A daemon runs several jobs at once, each with its own plugin instance, all in
# this one interpreter.  The modules an instance imports from its plugin paths
# (the script, and helpers next to it such as a wrapper that keeps the plugin
# object in a module global) are executed once PER INSTANCE, so instances never
# share their state.  A script that is not on the plugin paths but on
# sys.path (PYTHONPATH, a package installed with pip) is private too: its
# top-level package, or the module itself.  Everything else (the standard
# library, site-packages, extension modules such as lxml or numpy) is imported
# once and shared, which is what lets extension modules that refuse
# sub-interpreters work in any number of concurrent jobs.
#
# How: each private module runs with its own ``__builtins__`` whose
# ``__import__`` asks the instance's _ModuleSpace first; the space loads its
# private modules itself and hands every other import to the normal import
# system.

import sys as _sys
import types as _types
from importlib import import_module as _importlib_import_module
if _PY2:   # CPython 2.7 (common/py2.pxi)
    _machinery, _types = _Py2Machinery, _Py2Types
else:
    import importlib.machinery as _machinery
from _io import FileIO as _FileIO

_compile = compile

# The ModuleSpace whose private modules currently stand in sys.modules.
_space_in_sys_modules = None

# The legacy flavour's hook (bareospy/legacy/, python-fd.so): when set, a
# callable that gets each imported script module and returns what the layer
# calls as the script (there: the old API's functions with `context` added).
# Used once per script load; None in the current flavour.
_script_adapter = None

# The plugin paths the plugin layer appended to sys.path (for extension modules
# and resources found there).  The search of a script on sys.path skips them:
# one instance must not find its script on another instance's module_path.
_plugin_paths_on_sys_path = set()


def _add_plugin_paths_to_sys_path(paths):
    """Append the plugin paths missing from sys.path (after everything else,
    so they never shadow the standard library)."""
    for path in paths:
        if path not in _sys.path:
            _sys.path.append(path)
            _plugin_paths_on_sys_path.add(path)


# The shared modules as they were before scripts ran (refreshed whenever an
# instance loads its script): a module a script blocked for everybody with
# ``sys.modules[name] = None`` is still imported from here by other jobs.
_modules_before_scripts = {}


cdef int _remember_shared_modules() except -1:
    for name, module in list(_sys.modules.items()):
        if module is not None and name not in _modules_before_scripts:
            _modules_before_scripts[name] = module
    return 0


cdef object _module_before_sabotage(str name, str top, fromlist):
    """What ``import name`` gives other jobs when a script set sys.modules[name]
    to None: the module imported before, or else a copy of it loaded for them
    (None: the path finder does not find it either)."""
    module = _modules_before_scripts.get(name)
    if module is None:
        module = _load_blocked_module(name)
    if module is None or fromlist or name == top:
        return module
    return _sys.modules.get(top) or _modules_before_scripts.get(top)


cdef object _load_blocked_module(str name):
    """Load ``name`` without sys.modules (where a script put None)."""
    parent_name = name.rpartition(".")[0]
    search = None
    if parent_name:
        parent = _sys.modules.get(parent_name) or _modules_before_scripts.get(parent_name)
        search = getattr(parent, "__path__", None)
        if search is None:
            return None
    spec = _machinery.PathFinder.find_spec(name, search)
    if spec is None or spec.loader is None:
        return None
    module = _importlib_util.module_from_spec(spec)
    # its own imports get the same care (not on 2.7: common/py2.pxi)
    module.__builtins__ = _repairing_builtins if not _PY2 else _builtins_dict
    spec.loader.exec_module(module)
    _modules_before_scripts[name] = module
    return module


def _repairing_import(name, globals=None, locals=None, fromlist=(), level=0):
    """__import__ that sees past a None a script put into sys.modules."""
    if not level and _sys.modules.get(name, _MISSING) is None:
        module = _module_before_sabotage(name, name.partition(".")[0], fromlist)
        if module is not None:
            return module
    return _original_import(name, globals, locals, fromlist, level)


_repairing_builtins = dict(_PRISTINE_BUILTINS)
_repairing_builtins["__import__"] = _repairing_import


class _LayerFileReading:
    """get_data() for the loaders of private modules, reading with FileIO.

    importlib's own get_data() opens files through io.open_code(), which
    imports ``_io`` through the builtins' ``__import__``: a script that sets
    ``builtins.__import__ = None`` would stop every other job from loading
    its script, even while it is being loaded.  FileIO imports nothing.
    """

    def get_data(self, path):
        with _FileIO(path, "r") as file:
            return file.readall()


class _LayerSourceLoader(_LayerFileReading, _machinery.SourceFileLoader):
    """A private module's source file (its bytecode cache as usual)."""

    def source_to_code(self, data, path, *, _optimize=-1):
        return _compile(data, path, "exec", dont_inherit=True, optimize=_optimize)


class _LayerSourcelessLoader(_LayerFileReading, _machinery.SourcelessFileLoader):
    """A private module found as a .pyc file only."""


cdef object _with_layer_loader(object spec):
    """``spec`` with the plugin layer's loader when it is importlib's own."""
    loader_type = type(spec.loader)
    if loader_type is _machinery.SourceFileLoader:
        spec.loader = _LayerSourceLoader(spec.loader.name, spec.loader.path)
    elif loader_type is _machinery.SourcelessFileLoader:
        spec.loader = _LayerSourcelessLoader(spec.loader.name, spec.loader.path)
    return spec


def _loads_privately(spec):
    """Whether a module found by the path finder can be executed per instance:
    Python source or bytecode files and namespace packages can, extension
    modules and archives (zip imports) cannot."""
    loader = spec.loader
    if loader is None or type(loader).__name__ == "NamespaceLoader":
        return spec.submodule_search_locations is not None
    return isinstance(loader, (_machinery.SourceFileLoader, _machinery.SourcelessFileLoader))


class _ModuleSpace:
    """The private modules of one plugin instance.

    Private are the modules found on ``paths`` (module_path, the plugin
    directory) and, when the script lies elsewhere on sys.path, the script's
    top-level package (or the script itself).
    """

    def __init__(self, paths):
        self.paths = [path for path in paths if path]
        self.modules = {}
        self._is_private = {}
        self._top_search = {}   # private top-level name -> where it is searched
        # Pristine, whatever a script did to the builtins module since.  The
        # instance's modules get them as ``__builtins__``, and ``import
        # builtins`` in them gives this private module: a script that sets
        # ``builtins.open = None`` changes only its own instance, never the
        # builtins of the shared modules (os, io, ...) other jobs call.
        self.builtins_module = _types.ModuleType("builtins")
        self.builtins = self.builtins_module.__dict__
        self.builtins.update(_PRISTINE_BUILTINS)
        self.builtins["__import__"] = self.import_module_hook
        if _PY2:   # restricted mode otherwise (common/py2.pxi)
            self.builtins = _builtins_dict

    def activate(self):
        """Make this space's modules the ones ``sys.modules`` shows.

        Code inside a module keeps its own namespace whatever sys.modules
        says; this is for code that looks modules up by name (dataclasses,
        pickle, importlib.import_module).
        """
        global _space_in_sys_modules
        if _space_in_sys_modules is not self:
            _sys.modules.update(self.modules)
            _space_in_sys_modules = self

    def forget(self):
        """Drop the private modules (the instance ends)."""
        global _space_in_sys_modules
        for name, module in self.modules.items():
            if _sys.modules.get(name) is module:
                del _sys.modules[name]
        if _space_in_sys_modules is self:
            _space_in_sys_modules = None
        self.modules.clear()

    def import_top(self, str name):
        """Import the script ``name`` (spec §4.5): from the plugin paths if it
        is there, else from sys.path (its top-level package private to this
        space when the path finder finds it as Python files, else a normal,
        shared import)."""
        saved = _restore_pristine_builtins()
        try:
            module = self._import_top(name)
        finally:
            _reapply_builtins(saved)
        return module if _script_adapter is None else _script_adapter(module)

    def _import_top(self, str name):
        _remember_shared_modules()
        top = name.partition(".")[0]
        if self._private(top):
            return self._load(name)
        search = self._sys_path_search()
        spec = _machinery.PathFinder.find_spec(top, search)
        if spec is not None and _loads_privately(spec):
            self._is_private[top] = True
            self._top_search[top] = search
            return self._load(name)
        if spec is None and not self._found_by_other_finders(top):
            raise ModuleNotFoundError(
                f"No module named {top!r}: neither in the plugin paths {self.paths} "
                f"nor on sys.path", name=top)
        return _importlib_import_module(name)

    def _sys_path_search(self):
        """sys.path without the plugin paths of other instances."""
        return [path for path in _sys.path
                if path not in _plugin_paths_on_sys_path or path in self.paths]

    @staticmethod
    def _found_by_other_finders(str top):
        """Whether a meta path finder other than the path finder (a custom
        one, the builtin or frozen importers) finds ``top``."""
        for finder in _sys.meta_path:
            if finder is _machinery.PathFinder:
                continue
            find_spec = getattr(finder, "find_spec", None)
            if find_spec is not None and find_spec(top, None) is not None:
                return True
        return False

    def import_module_hook(self, name, globals=None, locals=None, fromlist=(), level=0):
        """``__import__`` for code running in this space's modules."""
        saved = _restore_pristine_builtins()
        try:
            return self._import(name, globals, fromlist, level)
        finally:
            _reapply_builtins(saved)

    def _import(self, name, globals, fromlist, level):
        if level:
            package = (globals or {}).get("__package__") or ""
            name = _importlib_util.resolve_name("." * level + name, package) if name else \
                _importlib_util.resolve_name("." * level, package)
        top = name.partition(".")[0]
        if top == "builtins":
            return self.builtins_module
        if not self._private(top):
            return _repairing_import(name, globals, None, fromlist, 0)
        module = self._load(name)
        if fromlist:
            self._import_fromlist(module, fromlist)
            return module
        return module if level else self.modules[top]

    def _private(self, str top):
        """Whether top-level module ``top`` is found on this space's paths."""
        answer = self._is_private.get(top)
        if answer is None:
            spec = _machinery.PathFinder.find_spec(top, self.paths) if self.paths else None
            answer = spec is not None and not isinstance(spec.loader, _machinery.ExtensionFileLoader)
            self._is_private[top] = answer
        return answer

    def _load(self, str fullname):
        module = self.modules.get(fullname)
        if module is not None:
            return module
        parent_name, _, child = fullname.rpartition(".")
        parent = self._load(parent_name) if parent_name else None
        if parent is None:
            search = self._top_search.get(fullname, self.paths)
        else:
            search = getattr(parent, "__path__", None)
        spec = _machinery.PathFinder.find_spec(fullname, search) if search is not None else None
        if spec is None:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        module = _importlib_util.module_from_spec(_with_layer_loader(spec))
        module.__builtins__ = self.builtins
        self.modules[fullname] = module
        _sys.modules[fullname] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del self.modules[fullname]
            if _sys.modules.get(fullname) is module:
                del _sys.modules[fullname]
            raise
        if parent is not None:
            setattr(parent, child, module)
        return module

    def _import_fromlist(self, module, fromlist):
        """``from package import submodule`` loads the submodule if needed."""
        if not hasattr(module, "__path__"):
            return
        for item in fromlist:
            if item == "*":
                self._import_fromlist(module, getattr(module, "__all__", ()))
            elif not hasattr(module, item):
                try:
                    self._load(f"{module.__name__}.{item}")
                except ModuleNotFoundError as error:
                    if error.name != f"{module.__name__}.{item}":
                        raise
