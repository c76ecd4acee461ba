# The calling thread's plugin context (bareospy_tls.h): which instance a
# module function called by a script acts for.


cdef bRC _set_plugin_context(PluginContext* ctx) noexcept nogil:
    bareospy_set_context(ctx)
    return bRC_OK


cdef PluginContext* _require_context(str function) except NULL:
    """The calling thread's context; a RuntimeError naming ``function`` if none.

    Called after the arguments have been checked, as the reference does.
    """
    cdef PluginContext* ctx = bareospy_get_context()
    if ctx is NULL:
        raise RuntimeError(
            f"{_daemon.module_name}.{function}(): plugin_ctx is unset: no plugin instance "
            "is active on this thread (outside a daemon, activate a "
            "bareospy.testing.FakeCore first)")
    if _core is NULL:
        raise RuntimeError(
            f"{_daemon.module_name}.{function}(): bareos_core_functions is unset: "
            "the daemon's core function table was never installed")
    return ctx
