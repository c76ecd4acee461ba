"""Port a plugin script written for Bareos < 20 to the current API.

    python -m bareospy.port SCRIPT...            # dry run: a unified diff per script
    python -m bareospy.port --write SCRIPT...    # rewrite the scripts in place

What it rewrites (spec §10.1, docs/legacy.md), keeping the formatting and the
comments (libcst, the optional extra ``bareospy[port]``):

* ``context`` goes from every function definition and every call
  (``def load_bareos_plugin(context, plugindef)``,
  ``bareosfd.GetValue(context, bVariable["bVarJobId"])``);
* ``bareos_fd_consts`` lookups with a literal key become ``bareosfd`` names
  (``bRCs["bRC_OK"]`` and ``bareos_fd_consts.bRCs["bRC_OK"]`` become
  ``bareosfd.bRC_OK``), and the consts import becomes ``import bareosfd``
  (likewise ``bareos_sd_consts``/``bareossd``, ``bareos_dir_consts``/``bareosdir``);
* ``StatPacket`` members get their ``st_`` prefix (``statp.mode`` becomes
  ``statp.st_mode``) where the object is recognisably a StatPacket: an
  ``X.statp``, a name ``statp``, or a name assigned a ``StatPacket(...)`` or an
  ``X.statp``.

What it cannot convert it reports with its line (``SCRIPT:LINE: ...``) and
leaves as it is: other uses of ``context``, consts dictionaries used as
dictionaries (iterated, indexed by a variable), possible StatPacket members
on objects it cannot recognise, Python 2 only names, and scripts that do not
parse as Python 3.  A script that is already ported comes out unchanged.

Exit status: 0 nothing left to do by hand, 1 something reported, 2 a script
could not be read or parsed.
"""
import argparse
import difflib
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple, Union

try:
    import libcst as cst
    from libcst.metadata import ParentNodeProvider, PositionProvider
except ImportError:  # pragma: no cover - reported by main()
    cst = None

__all__ = ["PortResult", "port_source", "main"]

#: The old constants modules and the module that has their names now.
CONSTS_MODULES = {
    "bareos_fd_consts": "bareosfd",
    "bareos_sd_consts": "bareossd",
    "bareos_dir_consts": "bareosdir",
}

#: The dictionaries of the old consts modules, and the module each belongs
#: to (None: in every module).  Used for ``from bareos_X_consts import *``.
OLD_DICTS = {
    "bRCs": None, "bJobMessageType": None,
    "bVariable": "bareosfd", "bFileType": "bareosfd", "bEventType": "bareosfd",
    "bCFs": "bareosfd", "bIOPS": "bareosfd", "bLevels": "bareosfd",
    "bAccurateOption": "bareosfd", "bIOPstatus": "bareosfd",
    "bsdVariable": "bareossd", "bsdwVariable": "bareossd", "bsdEventType": "bareossd",
    "bDirVariable": "bareosdir", "bwDirVariable": "bareosdir", "bDirEventType": "bareosdir",
}

#: StatPacket members as the old API named them.
STAT_MEMBERS = frozenset(("dev", "ino", "mode", "nlink", "uid", "gid", "rdev", "size",
                          "atime", "mtime", "ctime", "blksize", "blocks"))
#: Members distinctive enough to report on an object not known to be a StatPacket.
STAT_MEMBERS_TO_REPORT = frozenset(("atime", "mtime", "ctime", "ino", "nlink", "rdev",
                                    "blksize", "blocks"))

#: Python 2 only names and methods (reported, not converted).
PYTHON2_NAMES = frozenset(("unicode", "basestring", "long", "xrange", "raw_input",
                           "execfile", "unichr", "reduce", "file", "cmp"))
PYTHON2_METHODS = frozenset(("iteritems", "iterkeys", "itervalues", "has_key"))


@dataclass
class PortResult:
    """A ported script: its new text and what is left to do by hand."""
    code: str
    notes: List[Tuple[int, str]] = field(default_factory=list)
    changed: bool = False


def _is_name(node: "cst.CSTNode", name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _dotted(node: "cst.CSTNode") -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return None if base is None else base + "." + node.attr.value
    return None


def _string_key(node: "cst.Subscript") -> Optional[str]:
    """The key of ``table["key"]`` when it is one plain string literal."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    value = node.slice[0].slice.value
    if not isinstance(value, cst.SimpleString) or value.prefix.lower() not in ("", "u"):
        return None
    key = value.evaluated_value
    return key if isinstance(key, str) and key.isidentifier() else None


class _Survey(cst.CSTVisitor):
    """First pass: which names hold StatPackets, how the consts are imported,
    and whether the current modules are imported already."""

    def __init__(self) -> None:
        self.stat_names: Set[str] = {"statp"}
        self.consts_modules: Dict[str, str] = {}   # local name -> new module
        self.consts_dicts: Dict[str, str] = {}     # local dict name -> new module
        self.star_modules: Set[str] = set()        # from bareos_X_consts import *
        self.imported: Set[str] = set()            # `import bareosfd` present

    def visit_Assign(self, node: "cst.Assign") -> None:
        value = node.value
        holds_stat = (isinstance(value, cst.Attribute) and value.attr.value == "statp") or (
            isinstance(value, cst.Call) and (_dotted(value.func) or "").endswith("StatPacket"))
        if holds_stat:
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.stat_names.add(target.target.value)

    def visit_Import(self, node: "cst.Import") -> None:
        for alias in node.names:
            name = _dotted(alias.name)
            local = alias.asname.name.value if alias.asname else name
            if name in CONSTS_MODULES:
                self.consts_modules[local] = CONSTS_MODULES[name]
            elif name in CONSTS_MODULES.values() and not alias.asname:
                self.imported.add(name)

    def visit_ImportFrom(self, node: "cst.ImportFrom") -> None:
        module = _dotted(node.module) if node.module else None
        if module not in CONSTS_MODULES or node.relative:
            return
        if isinstance(node.names, cst.ImportStar):
            self.star_modules.add(CONSTS_MODULES[module])
            return
        for alias in node.names:
            local = alias.asname.name.value if alias.asname else alias.name.value
            self.consts_dicts[local] = CONSTS_MODULES[module]


class _Porter(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider, ParentNodeProvider)

    def __init__(self, survey: _Survey) -> None:
        super().__init__()
        self.survey = survey
        self.notes: List[Tuple[int, str]] = []
        self.added_imports: Set[str] = set()
        self.converted: Set[int] = set()   # id() of nodes already handled

    # -- helpers -----------------------------------------------------------------------

    def note(self, node: "cst.CSTNode", text: str) -> None:
        self.notes.append((self.get_metadata(PositionProvider, node).start.line, text))

    def consts_target(self, table: "cst.BaseExpression") -> Optional[str]:
        """The new module when ``table`` is an old consts dictionary."""
        if isinstance(table, cst.Attribute) and isinstance(table.value, cst.Name):
            return self.survey.consts_modules.get(table.value.value)
        if isinstance(table, cst.Name):
            return self.survey.consts_dicts.get(table.value) or self.star_target(table.value)
        return None

    def star_target(self, name: str) -> Optional[str]:
        """The module of ``name`` when it came from ``from bareos_X_consts import *``."""
        stars = self.survey.star_modules
        if not stars or name not in OLD_DICTS:
            return None
        owner = OLD_DICTS[name]
        if owner is None:
            return sorted(stars)[0]
        return owner if owner in stars else None

    def is_stat_object(self, node: "cst.BaseExpression") -> bool:
        return (isinstance(node, cst.Attribute) and node.attr.value == "statp") or (
            isinstance(node, cst.Name) and node.value in self.survey.stat_names)

    # -- context --------------------------------------------------------------------------

    def leave_Parameters(self, original: "cst.Parameters",
                         updated: "cst.Parameters") -> "cst.Parameters":
        params = [param for param in updated.params if not _is_name(param.name, "context")]
        if len(params) == len(updated.params):
            return updated
        if params and updated.params[-1].name.value == "context":
            params[-1] = params[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(params=params)

    def visit_Param(self, node: "cst.Param") -> Optional[bool]:
        if _is_name(node.name, "context"):
            self.converted.add(id(node.name))
        return None

    def visit_Arg(self, node: "cst.Arg") -> Optional[bool]:
        if self._is_context_arg(node):
            self.converted.add(id(node.value))
        return None

    @staticmethod
    def _is_context_arg(arg: "cst.Arg") -> bool:
        return _is_name(arg.value, "context") and not arg.star and (
            arg.keyword is None or arg.keyword.value == "context")

    def leave_Call(self, original: "cst.Call", updated: "cst.Call") -> "cst.BaseExpression":
        args = [arg for arg in updated.args if not self._is_context_arg(arg)]
        if len(args) == len(updated.args):
            return updated
        if args and self._is_context_arg(updated.args[-1]):
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(args=args)

    # -- constants -----------------------------------------------------------------------

    def visit_Subscript(self, node: "cst.Subscript") -> Optional[bool]:
        if self.consts_target(node.value) and _string_key(node):
            self.converted.add(id(node.value))
            if isinstance(node.value, cst.Attribute):
                self.converted.add(id(node.value.value))
            return False
        return None

    def leave_Subscript(self, original: "cst.Subscript",
                        updated: "cst.Subscript") -> "cst.BaseExpression":
        module = self.consts_target(original.value)
        key = _string_key(original)
        if module is None or key is None:
            return updated
        return cst.Attribute(value=cst.Name(module), attr=cst.Name(key))

    def leave_Import(self, original: "cst.Import", updated: "cst.Import"):
        kept = [alias for alias in updated.names if _dotted(alias.name) not in CONSTS_MODULES]
        if len(kept) == len(updated.names):
            return updated
        modules = [CONSTS_MODULES[_dotted(alias.name)] for alias in updated.names
                   if _dotted(alias.name) in CONSTS_MODULES]
        kept += [cst.ImportAlias(name=cst.Name(module)) for module in self._imports_to_add(modules)]
        if not kept:
            return cst.RemoveFromParent()
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(names=kept)

    def leave_ImportFrom(self, original: "cst.ImportFrom", updated: "cst.ImportFrom"):
        module = _dotted(original.module) if original.module else None
        if module not in CONSTS_MODULES or original.relative:
            return updated
        new = self._imports_to_add([CONSTS_MODULES[module]])
        if not new:
            return cst.RemoveFromParent()
        return cst.Import(names=[cst.ImportAlias(name=cst.Name(name)) for name in new])

    def _imports_to_add(self, modules: Sequence[str]) -> List[str]:
        new = []
        for module in modules:
            if module not in self.survey.imported and module not in self.added_imports:
                self.added_imports.add(module)
                new.append(module)
        return new

    # -- stat members ------------------------------------------------------------------

    def leave_Attribute(self, original: "cst.Attribute",
                        updated: "cst.Attribute") -> "cst.BaseExpression":
        member = original.attr.value
        if member in STAT_MEMBERS and self.is_stat_object(original.value):
            return updated.with_changes(attr=cst.Name("st_" + member))
        if member in STAT_MEMBERS_TO_REPORT:
            self.note(original, f"'.{member}': if this is a StatPacket, it is '.st_{member}' now")
        elif member in PYTHON2_METHODS:
            self.note(original, f"'.{member}()' is Python 2 only")
        return updated

    # -- what is left -------------------------------------------------------------------

    def visit_Name(self, node: "cst.Name") -> Optional[bool]:
        if id(node) in self.converted:
            return None
        parent = self.get_metadata(ParentNodeProvider, node, None)
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return None
        if isinstance(parent, (cst.ImportAlias, cst.ImportFrom, cst.AsName)):
            return None
        if isinstance(parent, (cst.FunctionDef, cst.ClassDef)) and parent.name is node:
            return None
        if isinstance(parent, cst.Arg) and parent.keyword is node:
            return None
        name = node.value
        if name == "context":
            self.note(node, "'context' used other than as an argument: remove it by hand")
        elif (name in self.survey.consts_modules or name in self.survey.consts_dicts
              or self.star_target(name)):
            self.note(node, f"'{name}' from the old consts module, used other than as "
                      "table[\"NAME\"]: use the current module's names (its dictionaries "
                      "have bytes keys)")
        elif name in PYTHON2_NAMES:
            self.note(node, f"'{name}' is Python 2 only")
        return None


def port_source(source: str) -> PortResult:
    """Port one script's text; raises libcst.ParserSyntaxError if it does not parse."""
    module = cst.parse_module(source)
    wrapper = cst.MetadataWrapper(module)
    survey = _Survey()
    wrapper.visit(survey)
    porter = _Porter(survey)
    new = wrapper.visit(porter)
    code = new.code
    notes = sorted(set(porter.notes))
    return PortResult(code=code, notes=notes, changed=code != source)


def _port_file(path: str, write: bool, out) -> int:
    try:
        with open(path, encoding="utf-8") as file:
            source = file.read()
    except (OSError, UnicodeDecodeError) as error:
        print(f"{path}: cannot read: {error}", file=sys.stderr)
        return 2
    try:
        result = port_source(source)
    except cst.ParserSyntaxError as error:
        print(f"{path}:{error.raw_line}: does not parse as Python 3 (Python 2 syntax such "
              f"as a print statement or 'except E, e'?): {error.message}", file=sys.stderr)
        return 2
    if result.changed:
        if write:
            with open(path, "w", encoding="utf-8") as file:
                file.write(result.code)
        else:
            relative = not path.startswith("/")
            out.writelines(difflib.unified_diff(
                source.splitlines(True), result.code.splitlines(True),
                fromfile=f"a/{path}" if relative else path,
                tofile=f"b/{path}" if relative else path))
    for line, text in result.notes:
        print(f"{path}:{line}: {text}", file=sys.stderr)
    return 1 if result.notes else 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bareospy.port",
        description="Port Bareos plugin scripts written for the API before Bareos 20 "
                    "(context arguments, bareos_*_consts, StatPacket members without st_) "
                    "to the current API.  Without --write, prints a unified diff.")
    parser.add_argument("scripts", nargs="+", metavar="SCRIPT")
    parser.add_argument("--write", action="store_true", help="rewrite the scripts in place")
    options = parser.parse_args(argv)
    if cst is None:
        print("python -m bareospy.port needs libcst: pip install 'bareospy[port]'",
              file=sys.stderr)
        return 2
    status = 0
    for path in options.scripts:
        status = max(status, _port_file(path, options.write, sys.stdout))
    return status


if __name__ == "__main__":
    sys.exit(main())
