# Per-instance module namespaces in one interpreter.
#
# A daemon runs several jobs at once, each with its own plugin instance, all in
# this one interpreter.  The modules an instance imports from its plugin paths
# (the script, and helpers next to it such as a wrapper that keeps the plugin
# object in a module global) are executed once PER INSTANCE, so instances never
# share their state.  Everything else (the standard library, site-packages,
# extension modules such as lxml or numpy) is imported once and shared, which
# is what lets extension modules that refuse sub-interpreters work in any
# number of concurrent jobs.
#
# How: each private module runs with its own ``__builtins__`` whose
# ``__import__`` asks the instance's _ModuleSpace first; the space loads the
# modules found on its paths itself and hands every other import to the normal
# import system.

import builtins as _builtins_module
import sys as _sys
import importlib.machinery as _machinery
import importlib.util as _importlib_util

# The ModuleSpace whose private modules currently stand in sys.modules.
_space_in_sys_modules = None


class _ModuleSpace:
    """The private modules of one plugin instance, found on ``paths``."""

    def __init__(self, paths):
        self.paths = [path for path in paths if path]
        self.modules = {}
        self._is_private = {}
        self.builtins = dict(vars(_builtins_module))
        self.builtins["__import__"] = self.import_module_hook

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
        """Import the script ``name`` (it must be on this space's paths)."""
        if not self._private(name.partition(".")[0]):
            raise ModuleNotFoundError(
                f"No module named {name!r} in the plugin paths {self.paths}", name=name)
        return self._load(name)

    def import_module_hook(self, name, globals=None, locals=None, fromlist=(), level=0):
        """``__import__`` for code running in this space's modules."""
        if level:
            package = (globals or {}).get("__package__") or ""
            name = _importlib_util.resolve_name("." * level + name, package) if name else \
                _importlib_util.resolve_name("." * level, package)
        top = name.partition(".")[0]
        if not self._private(top):
            return _builtins_module.__import__(name, globals, locals, fromlist, 0)
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
        search = self.paths if parent is None else getattr(parent, "__path__", None)
        spec = _machinery.PathFinder.find_spec(fullname, search) if search is not None else None
        if spec is None:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        module = _importlib_util.module_from_spec(spec)
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
