# Running a plugin script for the daemon: the entry funnel, loading the script
# named by a plugin definition (parsed by the daemon's own rules), and calling
# its functions.
#
# Every entry point of a daemon plugin (fd/public-api.pxi, ...) runs its work
# through _run_entry(), the one place that makes the instance's context the
# calling thread's, checks the instance, reports what the work raised and
# restores the previous context.  The only exception is the per-block I/O
# entry (fd: bareospy_fd_plugin_io), hand-written for speed; it does the same
# steps inline.
#
# The rule for exception specifications of functions returning a bRC:
#   * a helper that reports its own errors (a job message, then bRC_Error) is
#     ``noexcept``;
#   * a helper that may raise is ``except? bRC_Error``: it returns bRC_Error
#     with the exception set, and the caller (in the end _run_entry) reports
#     it.  Returning bRC_Error without an exception is a plain answer.
# No bRC helper uses ``except *``: it would test for an exception after every
# call, not only after bRC_Error.


cdef inline PluginContext* _enter(PluginContext* ctx) noexcept nogil:
    """Make ``ctx`` the calling thread's context; returns the one to restore."""
    cdef PluginContext* previous = bareospy_get_context()
    bareospy_set_context(ctx)
    return previous


cdef inline void _leave(PluginContext* previous) noexcept nogil:
    bareospy_set_context(previous)


# What an entry point needs before its work may run.
cdef enum _Needs:
    _NEEDS_NOTHING = 0   # the work runs even when the context has no instance state
    _NEEDS_INSTANCE = 1  # instance state (the script may not be loaded yet)
    _NEEDS_SCRIPT = 2    # instance state with the script loaded


# An entry point's work: ``data`` and ``extra`` are the entry's own arguments
# (a packet pointer, a string, ...), which the work casts back.
ctypedef bRC (*_EntryWork)(PluginContext* ctx, _InstanceBase state, void* data,
                           void* extra) except? bRC_Error


cdef inline bRC _run_entry(PluginContext* ctx, _EntryWork work, void* data, void* extra,
                           _Needs needs, bRC otherwise) noexcept:
    """Run ``work`` for the instance of ``ctx`` (GIL held); never raises.

    ``otherwise`` is the answer when the instance does not meet ``needs``.
    """
    cdef PluginContext* previous = _enter(ctx)
    cdef bRC rc = otherwise
    cdef _InstanceBase state = _instance_of(ctx)
    if needs == _NEEDS_NOTHING or (
            state is not None and (needs == _NEEDS_INSTANCE or state.python_loaded)):
        try:
            rc = work(ctx, state, data, extra)
        except BaseException:
            rc = _report_exception(ctx)
    _leave(previous)
    return rc


cdef bRC _simple_call(PluginContext* ctx, str name, tuple args) noexcept:
    """An entry point whose script function takes plain values and returns a bRC."""
    return _run_entry(ctx, _call_work, <void*>name, <void*>args, _NEEDS_SCRIPT, bRC_Error)


cdef bRC _call_work(PluginContext* ctx, _InstanceBase state, void* name,
                    void* args) except? bRC_Error:
    return _call(ctx, state, <str>name, <tuple>args)


cdef bRC _free_instance_work(PluginContext* ctx, _InstanceBase state, void* data,
                             void* extra) except? bRC_Error:
    """freePlugin: drop the script's modules, flush its output, drop the state."""
    try:
        if state is not None and state.space is not None:
            state.space.forget()
    except BaseException:
        _report_exception(ctx)
    _flush_python_output()
    _detach_instance(ctx)
    return bRC_OK


# -- plugin definitions and loading the script -----------------------------------

cdef bRC _pass_definition(PluginContext* ctx, _InstanceBase state, str leftover,
                          str text, bint report_missing_name) except? bRC_Error:
    """A definition the daemon's parser accepted (``text``, its ``leftover``):
    load the script on the first one, then pass ``leftover`` on to
    parse_plugin_definition().  A load that does not answer bRC_OK stops here."""
    cdef bRC rc
    if not state.python_loaded:
        if not state.known.get("module_name"):
            if report_missing_name:
                _send_job_message(ctx, M_FATAL, f"{_daemon.plugin_prefix}no module_name in "
                                  f"the plugin definition {text}\n")
            return bRC_Error
        rc = _load_script(ctx, state, leftover)
        if rc != bRC_OK:
            return rc
    return _call(ctx, state, "parse_plugin_definition", (leftover,))


cdef list _plugin_paths(PluginContext* ctx, _InstanceBase state):
    """Where the instance's private modules are searched: module_path, then the plugin dir."""
    paths = []
    if state.known.get("module_path"):
        paths.append(state.known["module_path"])
    cdef char* plugin_dir = NULL
    if (_core.getBareosValue(ctx, _daemon.plugin_dir_variable, <void*>&plugin_dir) == bRC_OK
            and plugin_dir is not NULL):
        paths.append(_decode_c_string(plugin_dir))
    return paths


cdef bRC _load_script(PluginContext* ctx, _InstanceBase state, str leftover) except? bRC_Error:
    """Import the script into a fresh module space and call its load_bareos_plugin()."""
    name = state.known["module_name"]
    if state.space is not None:  # an earlier attempt failed half-way
        state.space.forget()
        state.space = state.module = state.functions = None
    space = _ModuleSpace(_plugin_paths(ctx, state))
    _add_plugin_paths_to_sys_path(space.paths)
    try:
        module = space.import_top(name)
    except BaseException:
        _send_job_message(ctx, M_FATAL, f"{_daemon.plugin_prefix}cannot load the plugin "
                          f"script {name!r} (searched {space.paths}, then sys.path):\n")
        space.forget()
        return _report_exception(ctx)
    state.space, state.module, state.functions = space, module, module.__dict__
    function = _script_function(state, "load_bareos_plugin")
    if function is None:
        _send_job_message(ctx, M_FATAL, f"{_daemon.plugin_prefix}the plugin script {name!r} "
                          "defines no load_bareos_plugin()\n")
        return bRC_Error
    try:
        _activate(space)
        result = function(leftover)
    except BaseException:
        return _report_exception(ctx)  # not loaded: the next definition tries again
    # Whatever it answered, the script is loaded; a non-OK answer only skips
    # parse_plugin_definition for this event (the caller's rule).
    state.python_loaded = True
    return _as_brc(ctx, "load_bareos_plugin", result)


# -- calling the script's functions ---------------------------------------------------

cdef inline int _activate(object space) except -1:
    """``space.activate()``, without the Python method call while the space's
    modules already stand in sys.modules (the same instance calling again:
    nearly every call).  The test is the one activate() itself makes."""
    if space is not _space_in_sys_modules:
        space.activate()
    return 0


cdef bRC _call(PluginContext* ctx, _InstanceBase state, str name,
               tuple args) except? bRC_Error:
    """Call the script's function ``name`` if it defines one (else bRC_Error)."""
    function = _script_function(state, name)
    if function is None:
        return _missing_function(ctx, name)
    return _call_function(ctx, state, function, name, args)


cdef bRC _call_function(PluginContext* ctx, _InstanceBase state, object function, str name,
                        tuple args) noexcept:
    try:
        _activate(state.space)
        result = function(*args)
    except BaseException:
        return _report_exception(ctx)
    return _as_brc(ctx, name, result)
