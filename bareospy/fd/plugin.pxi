# The file daemon plugin's entry points (spec §3, §4.4, §6, §7), called by the
# C glue of python3-fd.so (embed/plugin/python3_fd.c) with the GIL held.
#
# Each one makes ``ctx`` the calling thread's context for the duration of the
# call, converts the core's C packet into the script's Python packet, calls
# the script function (looked up by name at each call), converts the answer
# back, and never lets a Python error escape.

from libc.stdint cimport intptr_t
from libc.stdlib cimport malloc
from libc.string cimport memcpy

_OBJECT_TYPES = frozenset((FT_RESTORE_FIRST, FT_PLUGIN_CONFIG, FT_PLUGIN_CONFIG_FILLED))


cdef inline PluginContext* _enter(PluginContext* ctx) noexcept nogil:
    cdef PluginContext* previous = bareospy_get_context()
    bareospy_set_context(ctx)
    return previous


# -- life cycle -----------------------------------------------------------------

cdef public bRC bareospy_fd_setup(FdCoreFunctions* functions) noexcept:
    """Once per loadPlugin: keep the core's table, route Python's output to it."""
    _set_core_functions(functions)
    try:
        _redirect_python_output()
    except BaseException:
        return _report_exception(NULL)
    return bRC_OK


cdef public void bareospy_fd_teardown() noexcept:
    """unloadPlugin: flush Python's output; the core's table is gone after this."""
    global _core
    _flush_python_output()
    _core = NULL


cdef public bRC bareospy_fd_new_plugin(PluginContext* ctx) noexcept:
    return _attach_instance(ctx)


cdef public bRC bareospy_fd_free_plugin(PluginContext* ctx) noexcept:
    cdef PluginContext* previous = _enter(ctx)
    state = _instance_of(ctx)
    try:
        if state is not None and (<_Instance>state).space is not None:
            (<_Instance>state).space.forget()
    except BaseException:
        _report_exception(ctx)
    _flush_python_output()
    _detach_instance(ctx)
    bareospy_set_context(previous)
    return bRC_OK


# -- events and plugin definitions ---------------------------------------------

cdef public bRC bareospy_fd_handle_plugin_event(PluginContext* ctx, bEvent* event,
                                                void* value) noexcept:
    cdef PluginContext* previous = _enter(ctx)
    cdef bRC rc
    try:
        rc = _handle_event(ctx, _instance_of(ctx), event.eventType, value)
    except BaseException:
        rc = _report_exception(ctx)
    bareospy_set_context(previous)
    return rc


cdef inline bint _carries_definition(int event) noexcept nogil:
    """Whether the value of ``event`` is a plugin definition string (plain C
    comparisons: every event passes here)."""
    return (event == bEventBackupCommand or event == bEventRestoreCommand or
            event == bEventEstimateCommand or event == bEventPluginCommand or
            event == bEventNewPluginOptions)


cdef bRC _handle_event(PluginContext* ctx, _Instance state, int event, void* value) except *:
    if state is None:
        return bRC_Error
    if event == bEventLevel:
        state.backup_level = <int><intptr_t>value
    elif event == bEventSince:
        state.since = <long long><intptr_t>value
    elif _carries_definition(event):
        return _definition_event(ctx, state, event, <const char*>value)
    elif event == bEventRestoreObject:
        return _restore_object_event(ctx, state, <restore_object_pkt*>value)
    elif event == bEventHandleBackupFile:
        return _handle_backup_file(ctx, state, <save_pkt*>value)
    if not state.python_loaded:
        return bRC_OK
    return _call(ctx, state, "handle_plugin_event", (event,))


cdef bRC _definition_event(PluginContext* ctx, _Instance state, int event,
                           const char* value) except *:
    """A plugin definition arrives: parse it, load the script if needed, pass it on."""
    if value is NULL:
        return bRC_Error
    text = _decode_c_string(value)
    if event == bEventNewPluginOptions:
        rc_leftover = _parse_new_options(ctx, state, text)
    else:
        rc_leftover = _parse_command(ctx, state, text)
    rc, leftover = rc_leftover
    if rc != bRC_OK:
        return rc
    if not state.python_loaded:
        if not state.known.get("module_name"):
            if event != bEventNewPluginOptions:
                _send_job_message(ctx, M_FATAL, f"{_PLUGIN_PREFIX}no module_name in the "
                                  f"plugin definition {text}\n")
            return bRC_Error
        rc = _load_script(ctx, state, leftover)
        if rc != bRC_OK:
            return rc
    return _call(ctx, state, "parse_plugin_definition", (leftover,))


cdef tuple _parse_command(PluginContext* ctx, _Instance state, str text):
    """(rc, leftover) for a Backup/Restore/Estimate/PluginCommand definition (§4.2)."""
    if text == "*all*":
        return bRC_Skip, None
    keep_existing = state.stored_options is not None
    try:
        if not state.python_loaded and state.stored_options is not None:
            text = _merge_stored_options(state.stored_options, text)
        return bRC_OK, _parse_definition(text, state.known, keep_existing)
    except PluginDefinitionError as error:
        _send_job_message(ctx, M_FATAL, f"{_PLUGIN_PREFIX}{error}\n")
        return bRC_Error, None


cdef tuple _parse_new_options(PluginContext* ctx, _Instance state, str text):
    """(rc, leftover) for bEventNewPluginOptions; the string is stored even if it fails."""
    state.stored_options = None
    answer = _parse_command(ctx, state, text)
    state.stored_options = text
    return answer


cdef list _plugin_paths(PluginContext* ctx, _Instance state):
    """Where the instance's private modules are searched: module_path, then the plugin dir."""
    paths = []
    if state.known.get("module_path"):
        paths.append(state.known["module_path"])
    cdef char* plugin_dir = NULL
    if _core.getBareosValue(ctx, bVarPluginPath, &plugin_dir) == bRC_OK and plugin_dir is not NULL:
        paths.append(_decode_c_string(plugin_dir))
    return paths


cdef bRC _load_script(PluginContext* ctx, _Instance state, str leftover) except *:
    """Import the script into a fresh module space and call its load_bareos_plugin()."""
    name = state.known["module_name"]
    if state.space is not None:  # an earlier attempt failed half-way
        state.space.forget()
        state.space = state.module = state.functions = None
    space = _ModuleSpace(_plugin_paths(ctx, state))
    for path in space.paths:
        if path not in sys.path:
            sys.path.append(path)
    try:
        module = space.import_top(name)
    except BaseException:
        _send_job_message(ctx, M_FATAL, f"{_PLUGIN_PREFIX}cannot load the plugin "
                          f"script {name!r} (searched {space.paths}):\n")
        space.forget()
        return _report_exception(ctx)
    state.space, state.module, state.functions = space, module, module.__dict__
    function = _script_function(state, "load_bareos_plugin")
    if function is None:
        _send_job_message(ctx, M_FATAL, f"{_PLUGIN_PREFIX}the plugin script {name!r} "
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


cdef inline int _activate(object space) except -1:
    """``space.activate()``, without the Python method call while the space's
    modules already stand in sys.modules (the same instance calling again:
    nearly every call).  The test is the one activate() itself makes."""
    if space is not _space_in_sys_modules:
        space.activate()
    return 0


cdef bRC _call(PluginContext* ctx, _Instance state, str name, tuple args) except *:
    """Call the script's function ``name`` if it defines one (else bRC_Error)."""
    function = _script_function(state, name)
    if function is None:
        return _missing_function(ctx, name)
    return _call_function(ctx, state, function, name, args)


cdef bRC _call_function(PluginContext* ctx, _Instance state, object function, str name,
                        tuple args) noexcept:
    try:
        _activate(state.space)
        result = function(*args)
    except BaseException:
        return _report_exception(ctx)
    return _as_brc(ctx, name, result)


# -- restore objects and option plugins ----------------------------------------

cdef bRC _restore_object_event(PluginContext* ctx, _Instance state,
                               restore_object_pkt* rop) except *:
    if rop is NULL:
        return bRC_OK  # the end marker is not passed on
    cdef bRC rc
    if not state.python_loaded:
        if rop.plugin_name is NULL or rop.plugin_name[0] == 0:
            return bRC_OK
        rc = _definition_event(ctx, state, bEventPluginCommand, rop.plugin_name)
        if rc != bRC_OK:
            return rc
    return _call(ctx, state, "restore_object_data", (_restore_object_from_c(rop),))


cdef bRC _handle_backup_file(PluginContext* ctx, _Instance state, save_pkt* sp) except *:
    if sp is NULL:
        return bRC_Error
    packet = _save_packet_from_c(sp)
    cdef bRC rc = _call(ctx, state, "handle_backup_file", (packet,))
    try:
        sp.no_read = True if packet.no_read else False
        sp.delta_seq = packet.delta_seq
        sp.save_time = packet.save_time
        _copy_flags(packet, sp)
    except BaseException:
        return _report_exception(ctx)
    return rc


# -- backup ----------------------------------------------------------------------

cdef public bRC bareospy_fd_start_backup_file(PluginContext* ctx, save_pkt* sp) noexcept:
    cdef PluginContext* previous = _enter(ctx)
    cdef bRC rc = bRC_Error
    state = _instance_of(ctx)
    try:
        if state is not None:
            rc = _start_backup_file(ctx, state, sp)
    except BaseException:
        rc = _report_exception(ctx)
    bareospy_set_context(previous)
    return rc


cdef bRC _start_backup_file(PluginContext* ctx, _Instance state, save_pkt* sp) except *:
    packet = _save_packet_from_c(sp)
    cdef bRC rc = _call(ctx, state, "start_backup_file", (packet,))
    if rc != bRC_OK:
        return rc
    try:
        state.keep = _save_packet_to_c(packet, sp)
    except BaseException:
        return _report_exception(ctx)
    if state.backup_level == ord("I") or state.backup_level == ord("D"):
        _automatic_change_check(ctx, state, sp)
    return bRC_OK


cdef void _automatic_change_check(PluginContext* ctx, _Instance state, save_pkt* sp) noexcept:
    """Incremental/Differential: mark unchanged files as such (spec §7.5)."""
    if sp.save_time == 0 and state.since != 0:
        sp.save_time = state.since
    if _core.checkChanges(ctx, sp) == bRC_Seen:
        sp.type = FT_DIRNOCHG if sp.type == FT_DIRBEGIN else FT_NOCHG


cdef public bRC bareospy_fd_end_backup_file(PluginContext* ctx) noexcept:
    return _simple_call(ctx, "end_backup_file", ())


cdef bRC _simple_call(PluginContext* ctx, str name, tuple args) noexcept:
    """An entry point whose script function takes plain values and returns a bRC."""
    cdef PluginContext* previous = _enter(ctx)
    cdef bRC rc = bRC_Error
    state = _instance_of(ctx)
    try:
        if state is not None and (<_Instance>state).python_loaded:
            rc = _call(ctx, state, name, args)
    except BaseException:
        rc = _report_exception(ctx)
    bareospy_set_context(previous)
    return rc


# -- restore ----------------------------------------------------------------------

cdef public bRC bareospy_fd_start_restore_file(PluginContext* ctx, const char* cmd) noexcept:
    try:
        text = _decode_c_string(cmd)
    except BaseException:
        return _report_exception(ctx)
    return _simple_call(ctx, "start_restore_file", (text,))


cdef public bRC bareospy_fd_end_restore_file(PluginContext* ctx) noexcept:
    return _simple_call(ctx, "end_restore_file", ())


cdef public bRC bareospy_fd_create_file(PluginContext* ctx, restore_pkt* rp) noexcept:
    cdef PluginContext* previous = _enter(ctx)
    cdef bRC rc = bRC_Error
    state = _instance_of(ctx)
    try:
        if state is not None and (<_Instance>state).python_loaded:
            packet = _restore_packet_from_c(rp)
            rc = _call(ctx, state, "create_file", (packet,))
            rp.create_status = packet.create_status
            rp.filedes = packet.filedes
    except BaseException:
        rc = _report_exception(ctx)
    bareospy_set_context(previous)
    return rc


cdef public bRC bareospy_fd_set_file_attributes(PluginContext* ctx, restore_pkt* rp) noexcept:
    try:
        packet = _restore_packet_from_c(rp)
    except BaseException:
        return _report_exception(ctx)
    return _simple_call(ctx, "set_file_attributes", (packet,))


cdef public bRC bareospy_fd_check_file(PluginContext* ctx, char* fname) noexcept:
    state = _instance_of(ctx)
    if state is None or not (<_Instance>state).python_loaded:
        return bRC_OK
    try:
        text = _decode_c_string(fname)
    except BaseException:
        return _report_exception(ctx)
    return _simple_call(ctx, "check_file", (text,))


# -- I/O -----------------------------------------------------------------------------

cdef public bRC bareospy_fd_plugin_io(PluginContext* ctx, io_pkt* io) noexcept:
    """The hot path: one call per data block in plugin mode."""
    cdef PluginContext* previous = _enter(ctx)
    cdef bRC rc = bRC_Error
    cdef IoPacket packet = None
    state = _instance_of(ctx)
    if state is not None and (<_Instance>state).python_loaded:
        try:
            function = _script_function(state, "plugin_io")
            if function is None:
                rc = _missing_function(ctx, "plugin_io")
            else:
                packet = _io_packet_from_c(io)
                _activate((<_Instance>state).space)
                result = function(packet)
                _io_packet_detach(packet)
                _io_packet_to_c(ctx, packet, io)
                rc = _as_brc(ctx, "plugin_io", result)
        except BaseException:
            if packet is not None:
                _io_packet_detach(packet)
            io.status = -1
            rc = _report_exception(ctx)
    bareospy_set_context(previous)
    return rc


# -- ACLs and extended attributes -----------------------------------------------------

cdef public bRC bareospy_fd_get_acl(PluginContext* ctx, acl_pkt* ap) noexcept:
    return _packet_call(ctx, "get_acl", <void*>ap, 1)


cdef public bRC bareospy_fd_set_acl(PluginContext* ctx, acl_pkt* ap) noexcept:
    return _packet_call(ctx, "set_acl", <void*>ap, 2)


cdef public bRC bareospy_fd_get_xattr(PluginContext* ctx, xattr_pkt* xp) noexcept:
    return _packet_call(ctx, "get_xattr", <void*>xp, 3)


cdef public bRC bareospy_fd_set_xattr(PluginContext* ctx, xattr_pkt* xp) noexcept:
    return _packet_call(ctx, "set_xattr", <void*>xp, 4)


cdef bRC _packet_call(PluginContext* ctx, str name, void* c_packet, int kind) noexcept:
    """get/set ACL (kind 1/2) and get/set xattr (3/4): build, call, copy back."""
    cdef PluginContext* previous = _enter(ctx)
    cdef bRC rc = bRC_Error
    state = _instance_of(ctx)
    try:
        if state is not None and (<_Instance>state).python_loaded:
            if kind <= 2:
                packet = _acl_packet_from_c(<acl_pkt*>c_packet)
            else:
                packet = _xattr_packet_from_c(<xattr_pkt*>c_packet)
            rc = _call(ctx, state, name, (packet,))
            if rc in (bRC_OK, bRC_More) and kind == 1:
                _acl_packet_to_c(packet, <acl_pkt*>c_packet)
            elif rc in (bRC_OK, bRC_More) and kind == 3:
                _xattr_packet_to_c(packet, <xattr_pkt*>c_packet)
    except BaseException:
        rc = _report_exception(ctx)
    bareospy_set_context(previous)
    return rc
