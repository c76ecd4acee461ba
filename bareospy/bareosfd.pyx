# cython: language_level=3, auto_pickle=False
"""The file daemon's Python plugin module (``import bareosfd``).

Plugin scripts find here the constants of the plugin interface, the packet
types the daemon hands them, and the functions that call back into the
daemon.  Outside a daemon (a plain import in a unit test) the functions raise
RuntimeError until a test core is active: see :mod:`bareospy.testing`.
"""

from bareospy.includes.plugin cimport *
from bareospy.includes.consts cimport *
from bareospy.includes.fd cimport *
from bareospy.includes.internal cimport *

# The shared core, first: every later file may use what an earlier one defines.
include "common/daemon.pxi"      # the daemon descriptor type and the common core table

# What the shared code needs to know about this module.
_daemon = _Daemon(
    module_name="bareosfd",
    message_prefix="python3-fd-mod: ",   # around a script's Debug/JobMessage text
    message_suffix="",
    plugin_prefix="python3-fd: ",        # the plugin layer's own messages
    traceback_prefix="bareosfd: ",       # before a script's traceback
    first_event=1,
    last_event=FD_NR_EVENTS,
    plugin_dir_variable=bVarPluginPath,
)

include "common/module.pxi"      # the rest of the shared core, in order

# The file daemon's own parts.
include "common/version.pxi"     # __version__, bareospy's
include "fd/constants.pxi"       # the fd constants (bRCs, bEventType, bVariable, ...)
include "fd/packets.pxi"         # the packet types scripts see (SavePacket, IoPacket, ...)
include "fd/core.pxi"            # the fd core table; fills the common one
include "fd/instance.pxi"        # _FdInstance: since, backup level, kept strings
include "fd/functions.pxi"       # GetValue, SetValue, FileSet building, change checks
include "fd/convert.pxi"         # C packets <-> Python packets
include "fd/plugin.pxi"          # what each entry point does
include "fd/checks_script.pxi"   # at load: the functions the job needs that the script lacks
include "fd/public-api.pxi"      # the C-facing surface: public functions and _C_API
