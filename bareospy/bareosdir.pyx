# cython: language_level=3
"""This module allows you to interact with the bareos director daemon.

The director's Python plugin module (``import bareosdir``): the constants
of its plugin interface (dictionaries with str keys) and the functions that
call back into the daemon.  Outside a daemon the functions raise
RuntimeError until a test core is active:
``bareospy.testing.FakeCore(daemon="dir")``.
"""

from bareospy.includes.dir cimport *

include "common/events-prelude.pxi"   # the common cimports, the descriptor type

# The director's side of the shared code (spec §1.8, §2.8).  Scripts may
# register events 1..10: NewPluginOptions (11) is registered by the plugin.
# Counters the core writes as int are read as int (§1.8's quirk fixed).
_daemon = _Daemon(
    module_name="bareosdir", plugin_prefix="python3-dir: ", traceback_prefix="bareosdir: ",
    message_prefix="", message_suffix="\n", unregister_stops=True,
    first_event=1, last_event=bDirEventGetScratch,
    new_options_event=bDirEventNewPluginOptions, plugin_dir_variable=bDirVarPluginDir,
    values=_ValueTable(
        strings=(bDirVarJob, bDirVarClient, bDirVarPool, bDirVarStorage, bDirVarWriteStorage,
                 bDirVarReadStorage, bDirVarCatalog, bDirVarMediaType, bDirVarJobName,
                 bDirVarVolumeName, bDirVarPluginDir),
        ints=(bDirVarLevel, bDirVarType, bDirVarJobId, bDirVarNumVols, bDirVarJobStatus,
              bDirVarPriority, bDirVarCatalogRes, bDirVarJobErrors, bDirVarJobFiles,
              bDirVarSDJobFiles, bDirVarSDErrors, bDirVarFDJobStatus, bDirVarSDJobStatus,
              bDirVarLastRate),
        counters=(bDirVarJobBytes, bDirVarReadBytes),
        set_strings=(bwDirVarVolumeName,), set_ints=(bwDirVarPriority, bwDirVarJobLevel),
        set_ignored=(bwDirVarJobReport,)),
)

include "common/events-module.pxi"    # the shared core, GetValue/SetValue, the entry points

include "common/version.pxi"     # __version__, bareospy's
include "dir/constants.pxi"      # bRCs, bJobMessageType, bDirVariable, bwDirVariable, bDirEventType
