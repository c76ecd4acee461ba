# The file daemon's per-instance state: the common state (common/instance.pxi)
# plus what the automatic change check and the current file need.


cdef class _FdInstance(_InstanceBase):
    """The state of one file daemon plugin instance (C-level fields only)."""
    cdef long long since         # bVarSinceTime: bEventSince or SetValue
    cdef int backup_level        # bEventLevel (a job level char code)
    cdef object keep             # C strings the core may still read (current file)
    # plugin_io as last looked up (_io_function):
    cdef object io_function      # what the script's globals held under "plugin_io"
    cdef object io_globals       # those globals (the dict itself: no address reuse)
    cdef unsigned long long io_version   # their version tag then (0: never cached)
    cdef IoPacket io_spare       # a packet no one else holds, for the next pluginIO

    def __cinit__(self):
        self.since = 0
        self.backup_level = 0
        self.keep = None
        self.io_function = None
        self.io_globals = None
        self.io_version = 0
        self.io_spare = None


cdef inline object _io_function(_InstanceBase base):
    """The script's plugin_io, or None: _script_function's answer, with the
    dictionary lookup redone only when the script's globals changed since the
    last call (rebinding or deleting plugin_io, spec §3, changes their version
    tag).  Callability is checked on every call, as _script_function does."""
    cdef _FdInstance state
    cdef dict functions = base.functions
    cdef unsigned long long now
    if functions is None or type(base) is not _FdInstance:
        return _script_function(base, "plugin_io")
    state = <_FdInstance>base
    now = bareospy_dict_version(functions)
    if now == 0 or state.io_globals is not functions or state.io_version != now:
        state.io_function = functions.get("plugin_io")
        state.io_globals = functions
        state.io_version = now
    function = state.io_function
    return function if callable(function) else None


cdef bRC _attach_instance(PluginContext* ctx) noexcept:
    """newPlugin: give ``ctx`` a fresh _FdInstance (GIL held). Idempotent."""
    if ctx is NULL:
        return bRC_Error
    try:
        state = _FdInstance()
    except BaseException:
        return bRC_Error
    return _attach_state(ctx, state)
