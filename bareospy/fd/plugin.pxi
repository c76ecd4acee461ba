# What the file daemon plugin's entry points do (spec §3, §4.4, §6, §7).
#
# fd/public-api.pxi runs each of these through _run_entry (common/entry.pxi):
# they convert the core's C packet into the script's Python packet, call the
# script function (looked up by name at each call) and convert the answer
# back.  They follow the exception rule stated in common/entry.pxi.  The
# per-block I/O entry is here too, hand-written: it is the hot path.

from libc.stdint cimport intptr_t

_OBJECT_TYPES = frozenset((FT_RESTORE_FIRST, FT_PLUGIN_CONFIG, FT_PLUGIN_CONFIG_FILLED))


# -- life cycle ---------------------------------------------------------------------

cdef bRC _setup(FdCoreFunctions* functions) noexcept:
    """Once per loadPlugin: keep the core's table, route Python's output to it."""
    _set_core_functions(functions)
    try:
        _redirect_python_output()
    except BaseException:
        return _report_exception(NULL)
    return bRC_OK


cdef void _teardown() noexcept:
    """unloadPlugin: flush Python's output; the core's table is gone after this."""
    _flush_python_output()
    _set_core_functions(NULL)


# -- events and plugin definitions ----------------------------------------------------

cdef bRC _handle_event(PluginContext* ctx, _InstanceBase base, void* event,
                       void* value) except? bRC_Error:
    """handlePluginEvent: ``event`` is the core's bEvent*.  (``base`` is not
    copied to a typed local: that would cost a reference count per event.)"""
    cdef int number = (<bEvent*>event).eventType
    if number == bEventLevel:
        (<_FdInstance>base).backup_level = <int><intptr_t>value
    elif number == bEventSince:
        (<_FdInstance>base).since = <long long><intptr_t>value
    elif _carries_definition(number):
        return _definition_event_checked(ctx, base, number, <const char*>value)  # fd/checks_script.pxi
    elif number == bEventRestoreObject:
        return _restore_object_event(ctx, <_FdInstance>base, <restore_object_pkt*>value)
    elif number == bEventHandleBackupFile:
        return _handle_backup_file(ctx, <_FdInstance>base, <save_pkt*>value)
    if not base.python_loaded:
        return bRC_OK
    return _call(ctx, base, "handle_plugin_event", (number,))


cdef inline bint _carries_definition(int event) noexcept nogil:
    """Whether the value of ``event`` is a plugin definition string (plain C
    comparisons: every event passes here)."""
    return (event == bEventBackupCommand or event == bEventRestoreCommand or
            event == bEventEstimateCommand or event == bEventPluginCommand or
            event == bEventNewPluginOptions)


cdef bRC _definition_event(PluginContext* ctx, _InstanceBase state, bint new_options,
                           const char* value) except? bRC_Error:
    """A plugin definition arrives (``new_options``: from bEventNewPluginOptions):
    parse it by the file daemon's rules (§4.2), then load and pass it on."""
    if value is NULL:
        return bRC_Error
    text = _decode_c_string(value)
    if new_options:
        rc_leftover = _parse_new_options(ctx, state, text)
    else:
        rc_leftover = _parse_command(ctx, state, text)
    rc, leftover = rc_leftover
    if rc != bRC_OK:
        return rc
    return _pass_definition(ctx, state, leftover, text, not new_options)


cdef tuple _parse_command(PluginContext* ctx, _InstanceBase state, str text):
    """(rc, leftover) for a command's plugin definition: "*all*" is skipped, and
    stored NewPluginOptions are merged in while the script is not loaded."""
    if text == "*all*":
        return bRC_Skip, None
    keep_existing = state.stored_options is not None
    try:
        if not state.python_loaded and state.stored_options is not None:
            text = _merge_stored_options(state.stored_options, text)
        return bRC_OK, _parse_definition(text, state.known, keep_existing)
    except _PluginDefinitionError as error:
        _send_job_message(ctx, M_FATAL, f"{_daemon.plugin_prefix}{error}\n")
        return bRC_Error, None


cdef tuple _parse_new_options(PluginContext* ctx, _InstanceBase state, str text):
    """(rc, leftover) for new plugin options; the string is stored even if it fails."""
    state.stored_options = None
    answer = _parse_command(ctx, state, text)
    state.stored_options = text
    return answer


cdef bRC _restore_object_event(PluginContext* ctx, _FdInstance state,
                               restore_object_pkt* rop) except? bRC_Error:
    if rop is NULL:
        return bRC_OK  # the end marker is not passed on
    cdef bRC rc
    if not state.python_loaded:
        if rop.plugin_name is NULL or rop.plugin_name[0] == 0:
            return bRC_OK
        rc = _definition_event(ctx, state, False, rop.plugin_name)
        if rc != bRC_OK:
            return rc
    return _call(ctx, state, "restore_object_data", (_restore_object_from_c(rop),))


cdef bRC _handle_backup_file(PluginContext* ctx, _FdInstance state,
                             save_pkt* sp) except? bRC_Error:
    """An option plugin's bEventHandleBackupFile: the script may change the packet."""
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


# -- backup --------------------------------------------------------------------------

cdef bRC _start_backup_file(PluginContext* ctx, _InstanceBase base, void* c_packet,
                            void* unused) except? bRC_Error:
    cdef _FdInstance state = <_FdInstance>base
    cdef save_pkt* sp = <save_pkt*>c_packet
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


cdef void _automatic_change_check(PluginContext* ctx, _FdInstance state, save_pkt* sp) noexcept:
    """Incremental/Differential: mark unchanged files as such (spec §7.5)."""
    if sp.save_time == 0 and state.since != 0:
        sp.save_time = state.since
    if _fd_core.checkChanges(ctx, sp) == bRC_Seen:
        sp.type = FT_DIRNOCHG if sp.type == FT_DIRBEGIN else FT_NOCHG


# -- restore --------------------------------------------------------------------------

cdef bRC _start_restore_file(PluginContext* ctx, _InstanceBase state, void* cmd,
                             void* unused) except? bRC_Error:
    return _call(ctx, state, "start_restore_file", (_decode_c_string(<const char*>cmd),))


cdef bRC _create_file(PluginContext* ctx, _InstanceBase state, void* c_packet,
                      void* unused) except? bRC_Error:
    cdef restore_pkt* rp = <restore_pkt*>c_packet
    packet = _restore_packet_from_c(rp)
    cdef bRC rc = _call(ctx, state, "create_file", (packet,))
    rp.create_status = packet.create_status
    rp.filedes = packet.filedes
    return rc


cdef bRC _set_file_attributes(PluginContext* ctx, _InstanceBase state, void* c_packet,
                              void* unused) except? bRC_Error:
    packet = _restore_packet_from_c(<restore_pkt*>c_packet)
    return _call(ctx, state, "set_file_attributes", (packet,))


cdef bRC _check_file(PluginContext* ctx, _InstanceBase state, void* fname,
                     void* unused) except? bRC_Error:
    return _call(ctx, state, "check_file", (_decode_c_string(<const char*>fname),))


# Declared here rather than cimported from cpython.ref, which Cython 3.0 (the
# release line of the Python 2.7 build, tox -e legacy2) does not have.
cdef extern from "Python.h":
    Py_ssize_t Py_REFCNT(object o)


# -- I/O: the hot path ---------------------------------------------------------------------

cdef bRC _plugin_io(PluginContext* ctx, io_pkt* io) noexcept:
    """pluginIO, one call per data block: _run_entry's steps written inline
    (no indirect call, no second instance check)."""
    cdef PluginContext* previous = _enter(ctx)
    cdef bRC rc = bRC_Error
    cdef IoPacket packet = None
    cdef _InstanceBase state = _instance_of(ctx)
    if state is not None and state.python_loaded:
        try:
            function = _io_function(state)
            if function is None:
                rc = _missing_function(ctx, "plugin_io")
            else:
                packet = _io_packet_for(state, io)
                _activate(state.space)
                result = bareospy_call_one(function, packet)
                _io_packet_detach(packet)
                # no call at all when the script never asked for the window
                if packet._window is None or packet._close_window():
                    _io_packet_to_c(ctx, packet, io)
                    rc = _as_brc(ctx, "plugin_io", result)
                    result = None
                    _keep_io_packet(state, packet)
                else:
                    io.status = -1
                    rc = _window_kept(ctx)
        except BaseException:
            if packet is not None:
                _io_packet_detach(packet)
                _close_window_after_error(ctx, packet)
            io.status = -1
            rc = _report_exception(ctx)
    _leave(previous)
    return rc


# A packet per block costs an allocation, a zeroing and a deallocation; when
# the script kept no reference to the last one (nearly always), the next call
# gets that one back, every field set as _io_packet_from_c sets a new one.

cdef inline IoPacket _io_packet_for(_InstanceBase base, io_pkt* io):
    """The packet for this call: the instance's spare one refilled from ``io``,
    else a new one (_io_packet_from_c)."""
    cdef _FdInstance state
    cdef IoPacket packet
    if type(base) is not _FdInstance or (<_FdInstance>base).io_spare is None:
        return _io_packet_from_c(io)
    state = <_FdInstance>base
    packet = state.io_spare
    state.io_spare = None
    packet._func = <uint16_t>io.func
    packet._count = io.count
    packet._flags = io.flags
    packet._mode = <int32_t>io.mode
    packet._fname = _decode_c_string(io.fname) if io.func == IO_OPEN else None
    packet._status = 0
    packet._io_errno = 0
    packet._lerror = 0
    packet._whence = io.whence
    packet._offset = io.offset
    packet._win32 = False
    packet._filedes = io.filedes
    packet._buf = None
    packet._core_data = NULL
    packet._core_size = 0
    packet._core_writable = False
    packet._buf_pending = False
    packet._window_used = False
    if io.buf is not NULL and io.count > 0 and (io.func == IO_READ or io.func == IO_WRITE):
        packet._core_data = io.buf
        packet._core_size = io.count
        packet._core_writable = io.func == IO_READ
        packet._buf_pending = io.func == IO_WRITE
    return packet


cdef inline void _keep_io_packet(_InstanceBase base, IoPacket packet) noexcept:
    """Keep ``packet`` for the next call if nothing but the caller's variable
    holds it and it never exported a window (the script cannot see it again)."""
    if (type(base) is _FdInstance and Py_REFCNT(packet) == 1 and packet._window is None):
        packet._buf = None          # no script data kept alive between calls
        packet._fname = None
        (<_FdInstance>base).io_spare = packet


cdef bRC _window_kept(PluginContext* ctx) noexcept:
    """A buffer of IoPacket.window outlives the call (C code such as a numpy
    array over it holds it): the block it points into is the daemon's, so the
    call fails and the job is told why."""
    _send_job_message(ctx, M_FATAL, f"{_daemon.plugin_prefix}plugin_io: a buffer of "
                      "IoPacket.window is still held after the call returned (an object "
                      "made from it, such as a numpy array, was kept); it must not be "
                      "used after plugin_io returns\n")
    return bRC_Error


cdef void _close_window_after_error(PluginContext* ctx, IoPacket packet) noexcept:
    """_close_window() while the script's exception is being handled (its
    traceback keeps the script's frames, and their views, alive)."""
    try:
        if not packet._close_window():
            _window_kept(ctx)
    except BaseException:
        pass


# -- ACLs and extended attributes ---------------------------------------------------------
# Each answer is copied back only when the script said bRC_OK or bRC_More.

cdef bRC _get_acl(PluginContext* ctx, _InstanceBase state, void* c_packet,
                  void* unused) except? bRC_Error:
    packet = _acl_packet_from_c(<acl_pkt*>c_packet)
    cdef bRC rc = _call(ctx, state, "get_acl", (packet,))
    if rc == bRC_OK or rc == bRC_More:
        _acl_packet_to_c(packet, <acl_pkt*>c_packet)
    return rc


cdef bRC _set_acl(PluginContext* ctx, _InstanceBase state, void* c_packet,
                  void* unused) except? bRC_Error:
    return _call(ctx, state, "set_acl", (_acl_packet_from_c(<acl_pkt*>c_packet),))


cdef bRC _get_xattr(PluginContext* ctx, _InstanceBase state, void* c_packet,
                    void* unused) except? bRC_Error:
    packet = _xattr_packet_from_c(<xattr_pkt*>c_packet)
    cdef bRC rc = _call(ctx, state, "get_xattr", (packet,))
    if rc == bRC_OK or rc == bRC_More:
        _xattr_packet_to_c(packet, <xattr_pkt*>c_packet)
    return rc


cdef bRC _set_xattr(PluginContext* ctx, _InstanceBase state, void* c_packet,
                    void* unused) except? bRC_Error:
    return _call(ctx, state, "set_xattr", (_xattr_packet_from_c(<xattr_pkt*>c_packet),))
