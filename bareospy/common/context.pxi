# The calling thread's plugin instance, and the state bareospy keeps per instance.
#
# Requires, before this file is included: ``_core`` (the daemon's CoreFunctions
# table, NULL until installed) and ``_MODULE_NAME`` (e.g. "bareosfd").

from cpython.ref cimport PyObject, Py_INCREF, Py_XDECREF


cdef class _Instance:
    """What the plugin layer remembers about one plugin instance (one job).

    ``PluginContext.plugin_private_context`` holds a strong reference to it.
    """
    cdef public long long since         # bVarSinceTime: bEventSince or SetValue
    cdef public int backup_level        # bEventLevel (a job level char code)
    cdef public bint python_loaded      # the script is imported and load_bareos_plugin ran
    cdef public dict known              # module_path / module_name from definitions
    cdef public object stored_options   # the last NewPluginOptions string, or None
    cdef public object space            # the instance's _ModuleSpace once loaded
    cdef public object module           # the script module
    cdef public dict functions          # the script's globals: functions are looked up per call
    cdef public object keep             # C strings the core may still read (current file)

    def __cinit__(self):
        self.since = 0
        self.backup_level = 0
        self.python_loaded = False
        self.known = {}
        self.stored_options = None
        self.space = None
        self.module = None
        self.functions = None
        self.keep = None


cdef inline _Instance _instance_of(PluginContext* ctx):
    """The instance state of ``ctx``, or None when the host keeps none."""
    if ctx is NULL or ctx.plugin_private_context is NULL:
        return None
    return <_Instance>ctx.plugin_private_context


cdef bRC _attach_instance(PluginContext* ctx) noexcept:
    """Give ``ctx`` fresh instance state (GIL held). Idempotent."""
    if ctx is NULL:
        return bRC_Error
    if ctx.plugin_private_context is not NULL:
        return bRC_OK
    try:
        state = _Instance()
    except BaseException:
        return bRC_Error
    Py_INCREF(state)
    ctx.plugin_private_context = <void*>state
    return bRC_OK


cdef bRC _detach_instance(PluginContext* ctx) noexcept:
    """Drop the instance state of ``ctx`` (GIL held)."""
    if ctx is NULL or ctx.plugin_private_context is NULL:
        return bRC_OK
    cdef PyObject* state = <PyObject*>ctx.plugin_private_context
    ctx.plugin_private_context = NULL
    Py_XDECREF(state)
    return bRC_OK


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
            f"{_MODULE_NAME}.{function}(): plugin_ctx is unset: no plugin instance "
            "is active on this thread (outside a daemon, activate a "
            "bareospy.testing.FakeCore first)")
    if _core is NULL:
        raise RuntimeError(
            f"{_MODULE_NAME}.{function}(): bareos_core_functions is unset: "
            "the daemon's core function table was never installed")
    return ctx
