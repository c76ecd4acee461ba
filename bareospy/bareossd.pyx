# cython: language_level=3
"""This module allows you to interact with the bareos storage daemon.

The storage daemon's Python plugin module (``import bareossd``): the
constants of its plugin interface (dictionaries with str keys) and the
functions that call back into the daemon.  Outside a daemon the functions
raise RuntimeError until a test core is active:
``bareospy.testing.FakeCore(daemon="sd")``.
"""

from bareospy.includes.sd cimport *

include "common/events-prelude.pxi"   # the common cimports, the descriptor type

# What the shared code needs to know about this module (spec §1.7, §2.7).
# Messages are the script's text plus a newline, tracebacks have no prefix.
_daemon = _Daemon(
    module_name="bareossd", plugin_prefix="python3-sd: ",
    message_prefix="", message_suffix="\n", traceback_prefix="",
    first_event=1, last_event=SD_NR_EVENTS, unregister_stops=True,
    new_options_event=bSdEventNewPluginOptions, plugin_dir_variable=bsdVarPluginDir,
    values=_ValueTable(
        strings=(bsdVarJob, bsdVarClient, bsdVarPool, bsdVarPoolType, bsdVarStorage,
                 bsdVarMediaType, bsdVarJobName, bsdVarVolumeName, bsdVarPluginDir),
        ints=(bsdVarLevel, bsdVarType, bsdVarJobId, bsdVarJobStatus,
              bsdVarJobErrors, bsdVarJobFiles),
        counters=(bsdVarJobBytes,),
        set_strings=(bsdwVarVolumeName,), set_ints=(bsdwVarPriority, bsdwVarJobLevel),
        set_ignored=(bsdwVarJobReport,)),
)

include "common/events-module.pxi"    # the shared core, GetValue/SetValue, the entry points

include "common/version.pxi"     # __version__, bareospy's
include "sd/constants.pxi"       # bRCs, bJobMessageType, bsdVariable, bsdwVariable, bsdEventType
