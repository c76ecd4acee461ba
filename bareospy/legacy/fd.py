"""The file daemon's API before Bareos 20, for python-fd.so (see the package doc).

:func:`install` runs once per process, in loadPlugin, after the current
``bareosfd`` is imported and set up.  It puts three things in place:

* ``sys.modules["bareosfd"]``: the old-API facade (functions take ``context``
  first; ``StatPacket`` answers to the old member names too);
* ``sys.modules["bareos_fd_consts"]``: the old dictionaries, str keys;
* the plugin layer's script hook: each loaded script is handed to the layer
  through a ScriptAdapter, whose functions call the script's with the
  instance's context first.  The layer calls the adapter exactly as it calls a
  current script, so the current API's per-call work is unchanged; the legacy
  cost is one Python call more per script call.
"""
from bareospy.legacy import _layer

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

Context = _layer.Context


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


def make_consts(current):
    """The ``bareos_fd_consts`` module, from the current ``bareosfd``."""
    return _layer.make_consts(current, "bareos_fd_consts", CONSTS_DICTS,
                              {"bVariable": LAST_OLD_VARIABLE})


def make_facade(current, stat_class):
    """The old-API ``bareosfd`` module over the current one."""
    return _layer.make_facade(current, CORE_FUNCTIONS, {"StatPacket": stat_class})


def _make(current):
    stat_class = make_stat_class(current)

    def old_stat_names(restorepkt):
        restorepkt.statp = stat_class.legacy(restorepkt.statp)

    prepare = {"create_file": old_stat_names, "set_file_attributes": old_stat_names}
    return (make_facade(current, stat_class), make_consts(current),
            lambda script: _layer.ScriptAdapter(script, SCRIPT_FUNCTIONS, prepare))


def install():
    """Put the old API in place (once per process; later calls change nothing)."""
    return _layer.install("bareosfd", "bareos_fd_consts", _make)
