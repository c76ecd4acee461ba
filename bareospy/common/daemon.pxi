# What the shared code (common/*.pxi) knows about the daemon whose module it
# is compiled into: one descriptor and one table of core functions.
#
# Each daemon's module (bareosfd.pyx, ...) creates the descriptor ``_daemon``
# right after including this file, and its setup fills ``_core`` from the
# daemon's own CoreFunctions table (fd: ``_set_core_functions`` in
# fd/core.pxi).  Nothing in common/ touches a daemon-specific table, so
# the compiler checks the contract instead of a comment stating it.

cimport cython
from libc.stdint cimport uint32_t


@cython.final
cdef class _Daemon:
    """The daemon-specific values the shared code uses (read-only after creation)."""
    cdef readonly str module_name       # "bareosfd": in error messages
    cdef readonly str message_prefix    # before a script's Debug/JobMessage text
    cdef readonly str message_suffix    # after it
    cdef readonly str plugin_prefix     # the plugin layer's own messages ("python3-fd: ")
    cdef readonly str traceback_prefix  # before a script's traceback in the job messages
    cdef readonly int first_event       # the event numbers a script may register
    cdef readonly int last_event
    cdef readonly int plugin_dir_variable  # the getBareosValue variable of the plugin directory
    # Daemons whose plugins only get events (sd, dir; common/events.pxi):
    cdef readonly int new_options_event    # the NewPluginOptions event, registered per instance
    cdef readonly bint unregister_stops    # UnRegisterEvents stops at the first failure
    cdef readonly object values            # a _ValueTable: how GetValue/SetValue pass each variable

    def __init__(self, *, str module_name, str message_prefix, str message_suffix,
                 str plugin_prefix, str traceback_prefix, int first_event, int last_event,
                 int plugin_dir_variable, int new_options_event=0, bint unregister_stops=False,
                 values=None):
        self.module_name = module_name
        self.message_prefix = message_prefix
        self.message_suffix = message_suffix
        self.plugin_prefix = plugin_prefix
        self.traceback_prefix = traceback_prefix
        self.first_event = first_event
        self.last_event = last_event
        self.plugin_dir_variable = plugin_dir_variable
        self.new_options_event = new_options_event
        self.unregister_stops = unregister_stops
        self.values = values


class _ValueTable:
    """How the core passes each variable: the C type it writes on a read
    (``strings``: char*, ``ints``: int, ``counters``: uint64_t) and what a
    write takes (``set_strings``: a str, ``set_ints``: an int >= 0,
    ``set_ignored``: accepted and dropped, answering bRC_OK)."""

    def __init__(self, *, strings, ints, counters, set_strings, set_ints, set_ignored):
        self.strings = frozenset(strings)
        self.ints = frozenset(ints)
        self.counters = frozenset(counters)
        self.set_strings = frozenset(set_strings)
        self.set_ints = frozenset(set_ints)
        self.set_ignored = frozenset(set_ignored)


cdef _Daemon _daemon = None


# The core functions every daemon's CoreFunctions table has, in the same
# order and (but for the variable types) with the same signatures.  The value
# functions take the daemon's variable numbers as plain ints: the daemon's
# setup installs small adapters for them rather than casting pointers.
cdef struct _CommonCore:
    bRC (*registerBareosEvents)(PluginContext* ctx, int nr_events, ...) noexcept nogil
    bRC (*unregisterBareosEvents)(PluginContext* ctx, int nr_events, ...) noexcept nogil
    bRC (*getInstanceCount)(PluginContext* ctx, int* ret) noexcept nogil
    bRC (*getBareosValue)(PluginContext* ctx, int var, void* value) noexcept nogil
    bRC (*setBareosValue)(PluginContext* ctx, int var, void* value) noexcept nogil
    bRC (*JobMessage)(PluginContext* ctx, const char* file, int line, int type,
                      utime_t mtime, const char* fmt, ...) noexcept nogil
    bRC (*DebugMessage)(PluginContext* ctx, const char* file, int line, int level,
                        const char* fmt, ...) noexcept nogil


# Every daemon's CoreFunctions table starts with size, version and the seven
# common functions (include/bareospy/{fd,sd,dir}.h; pinned by tests/abi): the
# daemons whose module needs no other core function (sd, dir) install their
# table through this head.  The variable parameters are C enums, int-sized.
cdef struct _CoreTableHead:
    uint32_t size
    uint32_t version
    _CommonCore functions


cdef _CommonCore _common_core_table
# The installed table: NULL until the daemon's setup ran, and after teardown.
cdef _CommonCore* _core = NULL


cdef inline void _install_common_core(bint installed) noexcept nogil:
    """Publish ``_common_core_table`` (filled by the daemon) or withdraw it."""
    global _core
    _core = &_common_core_table if installed else NULL


cdef inline bRC _install_core_head(void* table) noexcept nogil:
    """Install the common functions of a daemon's table (NULL: withdraw it)."""
    global _common_core_table
    if table is NULL:
        _install_common_core(False)
        return bRC_OK
    _common_core_table = (<_CoreTableHead*>table).functions
    _install_common_core(True)
    return bRC_OK
