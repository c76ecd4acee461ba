# The rest of a module whose daemon's plugins only get events, once its
# ``_daemon`` exists: the shared core, then the values and the entry points.

include "module.pxi"      # the shared core, in order
include "values.pxi"      # GetValue, SetValue from the descriptor's _ValueTable
include "events.pxi"      # the entry points of an events-only plugin; _C_API
