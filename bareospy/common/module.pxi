# The shared core every plugin module includes right after creating its
# descriptor ``_daemon`` (common/daemon.pxi), in this order: every file may
# use what an earlier one defines.

include "py2.pxi"         # CPython 2.7 only: the import system parts the core uses
include "cstrings.pxi"    # C strings <-> str (UTF-8, surrogate escapes)
include "checks.pxi"      # argument and attribute validation
include "constants.pxi"   # publishing constant tables as attributes and dicts
include "instance.pxi"    # _InstanceBase: the per-instance state
include "context.pxi"     # the calling thread's plugin context
include "dispatch.pxi"    # the plugin layer's messages, exception reports, stdout/stderr
include "core.pxi"        # DebugMessage, JobMessage, (Un)RegisterEvents, GetInstanceCount
include "definition.pxi"  # parsing plugin definition strings
include "loader.pxi"      # per-instance module namespaces
include "entry.pxi"       # the entry funnel; loading and calling the script
