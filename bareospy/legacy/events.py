"""The storage daemon's and director's API before Bareos 20, for python-sd.so
and python-dir.so: as bareospy.legacy.fd, for the modules whose scripts only
get events (bareossd, bareosdir)."""
from bareospy.legacy import _layer

#: The script functions the plugin layer calls; each took ``context`` first.
SCRIPT_FUNCTIONS = ("load_bareos_plugin", "parse_plugin_definition", "handle_plugin_event")

#: The module functions that took ``context`` first.
CORE_FUNCTIONS = ("GetValue", "SetValue", "DebugMessage", "JobMessage", "RegisterEvents",
                  "UnRegisterEvents", "GetInstanceCount")

#: module: (consts module, its dictionaries).
DAEMONS = {
    "bareossd": ("bareos_sd_consts",
                 ("bRCs", "bJobMessageType", "bsdVariable", "bsdwVariable", "bsdEventType")),
    "bareosdir": ("bareos_dir_consts",
                  ("bRCs", "bJobMessageType", "bDirVariable", "bwDirVariable", "bDirEventType")),
}


def install(module_name):
    consts_name, dict_names = DAEMONS[module_name]

    def make(current):
        return (_layer.make_facade(current, CORE_FUNCTIONS),
                _layer.make_consts(current, consts_name, dict_names),
                lambda script: _layer.ScriptAdapter(script, SCRIPT_FUNCTIONS))

    return _layer.install(module_name, consts_name, make)
