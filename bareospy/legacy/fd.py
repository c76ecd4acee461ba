"""The file daemon's API before Bareos 20, for python-fd.so (see the package doc).

:func:`install` runs once per process, in loadPlugin, after the current
``bareosfd`` is imported and set up.  It puts three things in place:

* ``sys.modules["bareosfd"]``: :func:`make_facade`, the old-API module;
* ``sys.modules["bareos_fd_consts"]``: :func:`make_consts`;
* the plugin layer's script hook: each loaded script is handed to the layer
  through a :class:`ScriptAdapter`, whose functions call the script's with the
  instance's :class:`Context` first.  The layer calls the adapter exactly as
  it calls a current script, so the current API's per-call work is unchanged;
  the legacy cost is one Python call more per script call.
"""
import functools
import sys
import types

__all__ = ["Context", "LegacyStatPacket", "ScriptAdapter", "install", "make_consts",
           "make_facade", "SCRIPT_FUNCTIONS", "CORE_FUNCTIONS"]

#: The script functions the plugin layer calls; each took ``context`` first.
SCRIPT_FUNCTIONS = (
    "load_bareos_plugin", "parse_plugin_definition", "handle_plugin_event",
    "start_backup_file", "end_backup_file", "start_restore_file", "end_restore_file",
    "plugin_io", "create_file", "set_file_attributes", "check_file",
    "get_acl", "set_acl", "get_xattr", "set_xattr",
    "restore_object_data", "handle_backup_file",
)

#: The bareosfd functions that took ``context`` first.
CORE_FUNCTIONS = (
    "GetValue", "SetValue", "DebugMessage", "JobMessage", "RegisterEvents",
    "UnRegisterEvents", "GetInstanceCount", "AddExclude", "AddInclude", "AddOptions",
    "AddRegex", "AddWild", "NewOptions", "NewInclude", "NewPreInclude",
    "CheckChanges", "AcceptFile", "SetSeenBitmap", "ClearSeenBitmap",
)

#: The dictionaries of bareos_fd_consts.  bIOPstatus (direct I/O) came with 22.
CONSTS_DICTS = ("bJobMessageType", "bVariable", "bFileType", "bRCs", "bEventType",
                "bCFs", "bIOPS", "bLevels", "bAccurateOption")

#: bVariable ended at 19 (bVarPrefixLinks); bVarCheckChanges (20) and
#: bVarUsedConfig (21) came later.
LAST_OLD_VARIABLE = 19

#: StatPacket members as the old API named them (the current ones add ``st_``).
STAT_MEMBERS = ("dev", "ino", "mode", "nlink", "uid", "gid", "rdev", "size",
                "atime", "mtime", "ctime", "blksize", "blocks")


class Context(object):
    """The ``context`` an old script gets and hands back: one per plugin
    instance, opaque (the plugin layer knows the calling instance itself)."""

    __slots__ = ("module_name", "__weakref__")

    def __init__(self, module_name):
        self.module_name = module_name

    def __repr__(self):
        return "<bareospy legacy context of %s>" % self.module_name


def _text(key):
    return key.decode("ascii") if isinstance(key, bytes) else key


def make_consts(current):
    """The ``bareos_fd_consts`` module: the old dicts, str keys, from ``current``."""
    module = types.ModuleType("bareos_fd_consts")
    module.__doc__ = "The constants of the API before Bareos 20 (bareospy legacy layer)."
    for name in CONSTS_DICTS:
        table = dict((_text(key), _text(value)) for key, value in getattr(current, name).items())
        if name == "bVariable":
            table = dict((key, value) for key, value in table.items()
                         if value <= LAST_OLD_VARIABLE)
        setattr(module, name, table)
    return module


def _stat_alias(member):
    attribute = "st_" + member

    def get(self):
        return getattr(self, attribute)

    def set(self, value):
        setattr(self, attribute, value)

    return property(get, set, doc="the old name of %s" % attribute)


def make_stat_class(current):
    """StatPacket with the old member names too (``mode`` is ``st_mode``)."""
    members = dict((member, _stat_alias(member)) for member in STAT_MEMBERS)
    members["__doc__"] = current.StatPacket.__doc__
    members["__module__"] = "bareosfd"
    members["legacy"] = classmethod(_legacy_copy)
    return type("StatPacket", (current.StatPacket,), members)


def _legacy_copy(cls, packet):
    """A copy of a current StatPacket ``packet`` as this class (None stays None)."""
    if packet is None or isinstance(packet, cls):
        return packet
    return cls(**dict((member, getattr(packet, "st_" + member)) for member in STAT_MEMBERS))


def _dropping_context(function):
    """``function`` as the old API called it: ``context`` first, ignored."""
    @functools.wraps(function)
    def call(context, *args):
        return function(*args)
    call.__doc__ = "%s(context, ...): %s" % (function.__name__, function.__doc__ or "")
    return call


def make_facade(current, stat_class):
    """The old-API ``bareosfd`` module over the current one."""
    facade = types.ModuleType("bareosfd")
    facade.__doc__ = ("The file daemon module as scripts before Bareos 20 saw it: every "
                      "function takes `context` first (bareospy legacy layer).")
    for name, value in vars(current).items():
        if not name.startswith("__"):
            setattr(facade, name, value)
    for name in CORE_FUNCTIONS:
        function = getattr(current, name, None)
        if function is not None:
            setattr(facade, name, _dropping_context(function))
    facade.StatPacket = stat_class
    facade.current = current
    return facade


class ScriptAdapter(types.ModuleType):
    """What the plugin layer sees as a loaded old-API script: a module whose
    functions call the script's own (looked up at each call, as the layer
    does) with the instance's context first.  A function the script does not
    define is missing here too, so the layer's checks say the same."""

    def __init__(self, script, stat_class):
        types.ModuleType.__init__(self, script.__name__)
        self.script = script
        self.context = Context(script.__name__)
        script_globals = vars(script)
        for name in SCRIPT_FUNCTIONS:
            if callable(script_globals.get(name)):
                setattr(self, name, self._forwarder(script_globals, name, stat_class))

    def _forwarder(self, script_globals, name, stat_class):
        context = self.context
        if name in ("create_file", "set_file_attributes"):
            def call(packet):
                packet.statp = stat_class.legacy(packet.statp)
                return script_globals[name](context, packet)
        else:
            def call(*args):
                return script_globals[name](context, *args)
        call.__name__ = name
        return call


_installed = {}


def install():
    """Put the old API in place (once per process; later calls change nothing)."""
    if _installed:
        return _installed["facade"]
    current = sys.modules["bareosfd"]
    stat_class = make_stat_class(current)
    facade = make_facade(current, stat_class)
    consts = make_consts(current)
    current._script_adapter = lambda script: ScriptAdapter(script, stat_class)
    sys.modules["bareosfd"] = facade
    sys.modules["bareos_fd_consts"] = consts
    _installed.update(facade=facade, consts=consts, current=current)
    return facade
