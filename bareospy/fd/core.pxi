# The file daemon's core function table, and the common table filled from it.
#
# fd code calls the file daemon's own functions (FileSet building, checkChanges,
# fd variables, ...) through ``_fd_core``; the shared code reaches the seven
# functions every daemon has through ``_core`` (common/daemon.pxi).

cdef FdCoreFunctions* _fd_core = NULL


cdef bRC _fd_get_value(PluginContext* ctx, int var, void* value) noexcept nogil:
    return _fd_core.getBareosValue(ctx, <bVariable>var, value)


cdef bRC _fd_set_value(PluginContext* ctx, int var, void* value) noexcept nogil:
    return _fd_core.setBareosValue(ctx, <bVariable>var, value)


cdef bRC _set_core_functions(FdCoreFunctions* functions) noexcept nogil:
    """Install the core's table (NULL: withdraw it); the C API slot 18."""
    global _fd_core
    _fd_core = functions
    if functions is NULL:
        _install_common_core(False)
        return bRC_OK
    _common_core_table.registerBareosEvents = functions.registerBareosEvents
    _common_core_table.unregisterBareosEvents = functions.unregisterBareosEvents
    _common_core_table.getInstanceCount = functions.getInstanceCount
    _common_core_table.getBareosValue = _fd_get_value
    _common_core_table.setBareosValue = _fd_set_value
    _common_core_table.JobMessage = functions.JobMessage
    _common_core_table.DebugMessage = functions.DebugMessage
    _install_common_core(True)
    return bRC_OK
