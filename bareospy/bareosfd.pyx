# cython: language_level=3
"""The file daemon's Python plugin module (``import bareosfd``).

Plugin scripts find here the constants of the plugin interface, the packet
types the daemon hands them, and the functions that call back into the
daemon.  Outside a daemon (a plain import in a unit test) the functions raise
RuntimeError until a test core is active: see :mod:`bareospy.testing`.
"""

from cpython.pycapsule cimport PyCapsule_New

from bareospy.includes.plugin cimport *
from bareospy.includes.consts cimport *
from bareospy.includes.fd cimport *
from bareospy.includes.internal cimport *

# What the shared code needs to know about this module (see common/*.pxi).
cdef FdCoreFunctions* _core = NULL
cdef str _MODULE_NAME = "bareosfd"
cdef str _MESSAGE_PREFIX = "python3-fd-mod: "
cdef str _MESSAGE_SUFFIX = ""
cdef str _PLUGIN_PREFIX = "python3-fd: "       # the C plugin's own messages
cdef str _TRACEBACK_PREFIX = "bareosfd: "      # before a script's traceback
cdef int _FIRST_EVENT = 1
cdef int _LAST_EVENT = FD_NR_EVENTS

include "common/constants.pxi"
include "common/checks.pxi"
include "common/context.pxi"
include "common/core.pxi"
include "fd/constants.pxi"
include "fd/packets.pxi"
include "fd/functions.pxi"
include "common/definition.pxi"
include "common/loader.pxi"
include "common/dispatch.pxi"
include "fd/convert.pxi"
include "fd/plugin.pxi"
include "fd/capi.pxi"
