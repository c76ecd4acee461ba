# cython: language_level=3
"""C side of :class:`bareospy.testing.FakeCore`.

It owns a real ``CoreFunctions`` table per daemon (bareospy/src/testcore.c)
and installs it into the daemon's module (``bareosfd``, ``bareossd``,
``bareosdir``) through the module's ``_C_API`` capsule -- the same path
a daemon plugin uses -- so a test exercises exactly the C code a daemon would.
Each call that reaches the table is passed on to the Python core object kept
in ``PluginContext.core_private_context``.
"""

from libc.stdint cimport uint64_t
from libc.stdlib cimport calloc, free
from cpython.pycapsule cimport PyCapsule_Import

from bareospy.includes.plugin cimport *
from bareospy.includes.fd cimport *
from bareospy.includes.internal cimport *
from bareospy.includes.testcore cimport *

ctypedef bRC (*set_core_fn)(void*) noexcept
ctypedef bRC (*context_fn)(PluginContext*) noexcept

_FILESET_OPS = {
    TESTCORE_ADD_EXCLUDE: "AddExclude",
    TESTCORE_ADD_INCLUDE: "AddInclude",
    TESTCORE_ADD_OPTIONS: "AddOptions",
    TESTCORE_ADD_REGEX: "AddRegex",
    TESTCORE_ADD_WILD: "AddWild",
    TESTCORE_NEW_OPTIONS: "NewOptions",
    TESTCORE_NEW_INCLUDE: "NewInclude",
    TESTCORE_NEW_PRE_INCLUDE: "NewPreInclude",
}


cdef str _text(const char* text):
    if text is NULL:
        return None
    return (<bytes>text).decode("utf-8", "surrogateescape")


cdef object _core_of(PluginContext* ctx):
    if ctx is NULL or ctx.core_private_context is NULL:
        return None
    return <object>ctx.core_private_context


cdef bRC _failed(core, BaseException error):
    """A hook raised: remember it for the test (re-raised on deactivation)."""
    try:
        core._hook_errors.append(error)
    except BaseException:
        pass
    return bRC_Error


cdef bRC _on_events(PluginContext* ctx, int unregister, int count,
                    const unsigned int* events) noexcept with gil:
    core = _core_of(ctx)
    if core is None:
        return bRC_Error
    try:
        return core._on_events(unregister != 0, [events[i] for i in range(count)])
    except BaseException as error:
        return _failed(core, error)


cdef bRC _on_instance_count(PluginContext* ctx, int* count) noexcept with gil:
    core = _core_of(ctx)
    if core is None:
        return bRC_Error
    try:
        answer = core._on_instance_count()
        if answer is None:
            return bRC_Error
        count[0] = answer
        return bRC_OK
    except BaseException as error:
        return _failed(core, error)


cdef void _write_value(str kind, value, void* out, dict keep, int var) except *:
    """Write a Python answer with the C type the daemon's core writes: ``kind``
    is "bool", "u64" or None (then a str is a char*, anything else an int)."""
    cdef bytes data
    if kind == "bool":
        (<cbool*>out)[0] = True if value else False
    elif kind == "u64":
        (<uint64_t*>out)[0] = value
    elif isinstance(value, str):
        data = (<str>value).encode("utf-8", "surrogateescape")
        keep[var] = data
        (<char**>out)[0] = <char*>data
    else:
        (<int*>out)[0] = value


cdef bRC _on_get_value(PluginContext* ctx, int var, void* value) noexcept with gil:
    core = _core_of(ctx)
    if core is None:
        return bRC_Error
    try:
        answer = core._on_get_value(var)
        if answer is None:
            return bRC_Error
        _write_value(core._value_kind(var), answer, value, core._c_strings, var)
        return bRC_OK
    except BaseException as error:
        return _failed(core, error)


cdef object _read_value(str kind, const void* value):
    """What a plugin passed to setBareosValue, as the core reads it: ``kind``
    is "bool", "str", "int" or None (not read)."""
    if kind == "bool":
        return True if (<const cbool*>value)[0] else False
    if kind == "str":
        return _text(<const char*>value)
    if kind == "int":
        return (<const int*>value)[0]
    return None


cdef bRC _on_set_value(PluginContext* ctx, int var, const void* value) noexcept with gil:
    core = _core_of(ctx)
    if core is None:
        return bRC_Error
    try:
        return core._on_set_value(var, _read_value(core._set_kind(var), value))
    except BaseException as error:
        return _failed(core, error)


cdef bRC _on_job_message(PluginContext* ctx, const char* file, int line, int type,
                         utime_t mtime, const char* text) noexcept with gil:
    core = _core_of(ctx)
    if core is None:
        return bRC_Error
    try:
        return core._on_job_message(type, _text(text), _text(file), line, mtime)
    except BaseException as error:
        return _failed(core, error)


cdef bRC _on_debug_message(PluginContext* ctx, const char* file, int line, int level,
                           const char* text) noexcept with gil:
    core = _core_of(ctx)
    if core is None:
        return bRC_Error
    try:
        return core._on_debug_message(level, _text(text), _text(file), line)
    except BaseException as error:
        return _failed(core, error)


cdef bRC _on_fileset(PluginContext* ctx, int op, const char* item, int type) noexcept with gil:
    core = _core_of(ctx)
    if core is None:
        return bRC_Error
    try:
        return core._on_fileset(_FILESET_OPS[op], _text(item), type)
    except BaseException as error:
        return _failed(core, error)


cdef dict _save_pkt_info(save_pkt* sp):
    """The fields of a save packet the core's queries look at, as a dict."""
    return {
        "fname": _text(sp.fname),
        "link": _text(sp.link),
        "type": sp.type,
        "save_time": sp.save_time,
        "st_mode": sp.statp.st_mode,
        "st_size": sp.statp.st_size,
        "st_mtime": sp.statp.st_mtime,
        "st_ctime": sp.statp.st_ctime,
        "st_ino": sp.statp.st_ino,
        "st_dev": sp.statp.st_dev,
    }


cdef bRC _on_query(PluginContext* ctx, int op, save_pkt* sp) noexcept with gil:
    core = _core_of(ctx)
    if core is None:
        return bRC_Error
    try:
        info = _save_pkt_info(sp)
        if op == TESTCORE_ACCEPT_FILE:
            return core._on_accept_file(info)
        rc, delta_seq, accurate_found = core._on_check_changes(info)
        sp.delta_seq = delta_seq
        sp.accurate_found = True if accurate_found else False
        return rc
    except BaseException as error:
        return _failed(core, error)


cdef bRC _on_seen(PluginContext* ctx, int clear, int all, const char* fname) noexcept with gil:
    core = _core_of(ctx)
    if core is None:
        return bRC_Error
    try:
        return core._on_seen(clear != 0, all != 0, _text(fname))
    except BaseException as error:
        return _failed(core, error)


cdef testcore_hooks _hooks
_hooks.events = _on_events
_hooks.instance_count = _on_instance_count
_hooks.get_value = _on_get_value
_hooks.set_value = _on_set_value
_hooks.job_message = _on_job_message
_hooks.debug_message = _on_debug_message
_hooks.fileset = _on_fileset
_hooks.query = _on_query
_hooks.seen = _on_seen
testcore_set_hooks(&_hooks)


cdef void** _module_api(str module) except NULL:
    """The function table behind ``<module>._C_API`` (imports the module)."""
    name = f"{module}._C_API".encode("ascii")
    return <void**>PyCapsule_Import(name, 0)


cdef class Activation:
    """One plugin context of a test core, made active on the calling thread.

    ``enter()`` installs the test core's function table of ``daemon`` ("fd",
    "sd" or "dir") into its module, gives the context fresh instance state
    and makes it the thread's context; ``leave()`` undoes that.
    """
    cdef PluginContext* ctx
    cdef void** api
    cdef object core
    cdef void* table
    cdef int set_core, set_context, new_instance, free_instance  # the module's slots

    def __cinit__(self, core, unsigned int instance=0, str daemon="fd"):
        self.ctx = <PluginContext*>calloc(1, sizeof(PluginContext))
        if self.ctx is NULL:
            raise MemoryError()
        self.ctx.instance = instance
        self.ctx.core_private_context = <void*>core
        self.core = core
        if daemon == "fd":
            self.table = <void*>testcore_functions()
            self.set_core, self.set_context = BAREOSFD_CAPI_SET_CORE_FUNCTIONS, BAREOSFD_CAPI_SET_PLUGIN_CONTEXT
            self.new_instance, self.free_instance = BAREOSFD_CAPI_NEW_INSTANCE, BAREOSFD_CAPI_FREE_INSTANCE
        elif daemon in ("sd", "dir"):
            self.table = <void*>testcore_sd_functions() if daemon == "sd" else <void*>testcore_dir_functions()
            self.set_core, self.set_context = EVENTS_CAPI_SET_CORE_FUNCTIONS, EVENTS_CAPI_SET_PLUGIN_CONTEXT
            self.new_instance, self.free_instance = EVENTS_CAPI_NEW_INSTANCE, EVENTS_CAPI_FREE_INSTANCE
        else:
            raise ValueError(f"unknown daemon {daemon!r} (fd, sd or dir)")
        self.api = _module_api("bareos" + daemon)

    def enter(self):
        (<set_core_fn>self.api[self.set_core])(self.table)
        if (<context_fn>self.api[self.new_instance])(self.ctx) != bRC_OK:
            raise RuntimeError("the module refused to create instance state")
        (<context_fn>self.api[self.set_context])(self.ctx)

    def leave(self):
        (<context_fn>self.api[self.set_context])(NULL)
        (<context_fn>self.api[self.free_instance])(self.ctx)

    @property
    def instance(self):
        return self.ctx.instance

    def __dealloc__(self):
        free(self.ctx)
