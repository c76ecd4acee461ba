# The state bareospy keeps per plugin instance (one job), common to every daemon.
#
# ``PluginContext.plugin_private_context`` holds a strong reference to it.
# Each daemon derives its own class (fd: _FdInstance in fd/instance.pxi) and
# attaches a fresh one in newPlugin through _attach_state().  The fields are
# C-level only: nothing in Python (a script included) can change them.

from cpython.ref cimport PyObject, Py_INCREF, Py_XDECREF


cdef class _InstanceBase:
    """What the plugin layer remembers about one plugin instance."""
    cdef bint python_loaded      # the script is imported and load_bareos_plugin ran
    cdef dict known              # module_path / module_name from definitions
    cdef object stored_options   # the last NewPluginOptions string, or None
    cdef object space            # the instance's _ModuleSpace once loaded
    cdef object module           # the script module
    cdef dict functions          # the script's globals: functions are looked up per call

    def __cinit__(self):
        self.python_loaded = False
        self.known = {}
        self.stored_options = None
        self.space = None
        self.module = None
        self.functions = None

    @property
    def script_module(self):
        """The script module this instance loaded, or None (read-only; what
        bareospy.testing returns from plugin_script())."""
        return self.module


cdef inline _InstanceBase _instance_of(PluginContext* ctx):
    """The instance state of ``ctx``, or None when the host keeps none."""
    if ctx is NULL or ctx.plugin_private_context is NULL:
        return None
    return <_InstanceBase>ctx.plugin_private_context


cdef bRC _attach_state(PluginContext* ctx, _InstanceBase state) noexcept:
    """Give ``ctx`` the instance state ``state`` unless it has one (GIL held)."""
    if ctx is NULL or state is None:
        return bRC_Error
    if ctx.plugin_private_context is not NULL:
        return bRC_OK
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
