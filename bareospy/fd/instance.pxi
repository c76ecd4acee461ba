# The file daemon's per-instance state: the common state (common/instance.pxi)
# plus what the automatic change check and the current file need.


cdef class _FdInstance(_InstanceBase):
    """The state of one file daemon plugin instance (C-level fields only)."""
    cdef long long since         # bVarSinceTime: bEventSince or SetValue
    cdef int backup_level        # bEventLevel (a job level char code)
    cdef object keep             # C strings the core may still read (current file)

    def __cinit__(self):
        self.since = 0
        self.backup_level = 0
        self.keep = None


cdef bRC _attach_instance(PluginContext* ctx) noexcept:
    """newPlugin: give ``ctx`` a fresh _FdInstance (GIL held). Idempotent."""
    if ctx is NULL:
        return bRC_Error
    try:
        state = _FdInstance()
    except BaseException:
        return bRC_Error
    return _attach_state(ctx, state)
