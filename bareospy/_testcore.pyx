# cython: language_level=3
"""C side of :class:`bareospy.testing.FakeCore`.

It owns a real ``CoreFunctions`` table per daemon (bareospy/src/testcore.c)
and installs it into the daemon's module (``bareosfd``, ``bareossd``,
``bareosdir``) through the module's ``_C_API`` capsule -- the same path
a daemon plugin uses -- so a test exercises exactly the C code a daemon would.
Each call that reaches the table is passed on to the Python core object kept
in ``PluginContext.core_private_context``.
"""

from libc.stdint cimport uint64_t, intptr_t
from libc.stdlib cimport calloc, free
from libc.string cimport memset
from cpython.pycapsule cimport PyCapsule_Import

from bareospy.includes.plugin cimport *
from bareospy.includes.fd cimport *
from bareospy.includes.internal cimport *
from bareospy.includes.testcore cimport *

ctypedef bRC (*set_core_fn)(void*) noexcept
ctypedef bRC (*context_fn)(PluginContext*) noexcept
ctypedef bRC (*event_fn)(PluginContext*, bEvent*, void*) noexcept
ctypedef bRC (*save_fn)(PluginContext*, save_pkt*) noexcept
ctypedef bRC (*io_fn)(PluginContext*, io_pkt*) noexcept
ctypedef bRC (*restore_fn)(PluginContext*, restore_pkt*) noexcept
ctypedef bRC (*text_fn)(PluginContext*, const char*) noexcept
ctypedef bRC (*mutable_text_fn)(PluginContext*, char*) noexcept
ctypedef bRC (*acl_fn)(PluginContext*, acl_pkt*) noexcept
ctypedef bRC (*xattr_fn)(PluginContext*, xattr_pkt*) noexcept

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
    cdef restore_pkt rp      # the packet of the file being restored (restore_file)
    cdef dict rp_keep        # the C strings it points to

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


    # -- the file daemon's entry points, called as a daemon calls them ----------
    # (used by bareospy.pytest_plugin to drive whole jobs: the script sees
    # exactly the packets, conversions and checks of a real daemon)

    cdef void* _entry(self, int slot) except NULL:
        if self.set_core != BAREOSFD_CAPI_SET_CORE_FUNCTIONS:
            raise RuntimeError("the job entry points are the file daemon's (daemon='fd')")
        return self.api[slot]

    def resume(self):
        """Make this (still entered) context the thread's context again."""
        (<context_fn>self.api[self.set_context])(self.ctx)

    def event(self, unsigned int number, value=None):
        """handlePluginEvent(number, value): an int value is passed as the
        pointer-sized integer, a str as a C string."""
        cdef bEvent ev
        cdef bytes text
        cdef void* c_value = NULL
        ev.eventType = number
        if isinstance(value, str):
            text = (<str>value).encode("utf-8", "surrogateescape")
            c_value = <void*><char*>text
        elif value is not None:
            c_value = <void*><intptr_t>value
        return (<event_fn>self._entry(BAREOSFD_CAPI_HANDLE_PLUGIN_EVENT))(self.ctx, &ev, c_value)

    def start_backup_file(self, cmd=None):
        """startBackupFile with a fresh packet: (rc, the packet's fields)."""
        cdef save_pkt sp
        cdef bytes c_cmd
        memset(&sp, 0, sizeof(sp))
        sp.pkt_size = sizeof(sp)
        sp.pkt_end = sizeof(sp)
        if cmd is not None:
            c_cmd = (<str>cmd).encode("utf-8", "surrogateescape")
            sp.cmd = <char*>c_cmd
        rc = (<save_fn>self._entry(BAREOSFD_CAPI_START_BACKUP_FILE))(self.ctx, &sp)
        fields = {
            "fname": _text(sp.fname), "link": _text(sp.link), "type": sp.type,
            "no_read": bool(sp.no_read), "portable": bool(sp.portable),
            "save_time": sp.save_time, "delta_seq": sp.delta_seq,
            "st_mode": sp.statp.st_mode, "st_size": sp.statp.st_size,
            "st_mtime": sp.statp.st_mtime, "st_atime": sp.statp.st_atime,
            "st_ctime": sp.statp.st_ctime, "st_uid": sp.statp.st_uid,
            "st_gid": sp.statp.st_gid, "st_ino": sp.statp.st_ino,
            "st_dev": sp.statp.st_dev, "st_nlink": sp.statp.st_nlink,
            "st_rdev": sp.statp.st_rdev,
            "object_name": _text(sp.object_name), "index": sp.index,
            "object": (sp.object[:sp.object_len] if sp.object is not NULL and sp.object_len > 0
                       else None),
        }
        return rc, fields

    def end_backup_file(self):
        return (<context_fn>self._entry(BAREOSFD_CAPI_END_BACKUP_FILE))(self.ctx)

    def plugin_io(self, int func, *, int count=0, int flags=0, int mode=0, fname=None,
                  data=None, int whence=0, long long offset=0):
        """pluginIO: (rc, status, io_errno, filedes, bytes read for IO_READ)."""
        cdef io_pkt io
        cdef bytes c_fname, c_data
        cdef bytearray buffer = None
        memset(&io, 0, sizeof(io))
        io.pkt_size = sizeof(io)
        io.pkt_end = sizeof(io)
        io.func = func
        io.flags = flags
        io.mode = mode
        io.whence = whence
        io.offset = offset
        io.filedes = -1
        if fname is not None:
            c_fname = (<str>fname).encode("utf-8", "surrogateescape")
            io.fname = <const char*>c_fname
        if data is not None:
            c_data = bytes(data)
            io.buf = <char*>c_data
            io.count = len(c_data)
        elif count > 0:
            buffer = bytearray(count)
            io.buf = <char*>buffer
            io.count = count
        rc = (<io_fn>self._entry(BAREOSFD_CAPI_PLUGIN_IO))(self.ctx, &io)
        read = None
        if buffer is not None and io.status > 0:
            read = bytes(buffer[:min(io.status, count)])
        return rc, io.status, io.io_errno, io.filedes, read

    def start_restore_file(self, str cmd):
        c_cmd = cmd.encode("utf-8", "surrogateescape")
        return (<text_fn>self._entry(BAREOSFD_CAPI_START_RESTORE_FILE))(self.ctx, c_cmd)

    def end_restore_file(self):
        return (<context_fn>self._entry(BAREOSFD_CAPI_END_RESTORE_FILE))(self.ctx)

    def restore_file(self, dict fields, bint attributes_now=False):
        """createFile with a packet built from ``fields`` (type, ofname, olname,
        where, file_index, replace, st_*): (rc, create_status, filedes).
        ``set_file_attributes()`` then gets the same packet."""
        cdef restore_pkt* rp = &self.rp
        memset(rp, 0, sizeof(restore_pkt))
        rp.pkt_size = sizeof(restore_pkt)
        rp.pkt_end = sizeof(restore_pkt)
        rp.type = fields.get("type", 0)
        rp.file_index = fields.get("file_index", 1)
        rp.replace = fields.get("replace", 0)
        rp.filedes = -1
        rp.statp.st_mode = fields.get("st_mode", 0)
        rp.statp.st_size = fields.get("st_size", 0)
        rp.statp.st_mtime = fields.get("st_mtime", 0)
        rp.statp.st_atime = fields.get("st_atime", 0)
        rp.statp.st_ctime = fields.get("st_ctime", 0)
        rp.statp.st_uid = fields.get("st_uid", 0)
        rp.statp.st_gid = fields.get("st_gid", 0)
        rp.statp.st_nlink = fields.get("st_nlink", 1)
        rp.statp.st_rdev = fields.get("st_rdev", 0)
        self.rp_keep = {}
        for name in ("ofname", "olname", "where"):
            value = fields.get(name)
            if value is not None:
                self.rp_keep[name] = (<str>value).encode("utf-8", "surrogateescape")
        cdef bytes c_ofname = self.rp_keep.get("ofname")
        cdef bytes c_olname = self.rp_keep.get("olname")
        cdef bytes c_where = self.rp_keep.get("where")
        rp.ofname = NULL if c_ofname is None else <char*>c_ofname
        rp.olname = NULL if c_olname is None else <char*>c_olname
        rp.where = NULL if c_where is None else <char*>c_where
        rc = (<restore_fn>self._entry(BAREOSFD_CAPI_CREATE_FILE))(self.ctx, rp)
        return rc, rp.create_status, rp.filedes

    def set_file_attributes(self):
        return (<restore_fn>self._entry(BAREOSFD_CAPI_SET_FILE_ATTRIBUTES))(self.ctx, &self.rp)

    def restore_object(self, dict fields):
        """bEventRestoreObject with a restore_object_pkt built from ``fields``
        (object_name, object (bytes), plugin_name, object_type, object_index,
        jobid): the rc of the event."""
        cdef restore_object_pkt rop
        cdef bEvent ev
        memset(&rop, 0, sizeof(rop))
        rop.pkt_size = sizeof(rop)
        rop.pkt_end = sizeof(rop)
        keep = {name: (<str>fields[name]).encode("utf-8", "surrogateescape")
                for name in ("object_name", "plugin_name") if fields.get(name) is not None}
        cdef bytes c_name = keep.get("object_name")
        cdef bytes c_plugin = keep.get("plugin_name")
        cdef bytes c_object = bytes(fields.get("object") or b"")
        rop.object_name = NULL if c_name is None else <char*>c_name
        rop.plugin_name = NULL if c_plugin is None else <char*>c_plugin
        rop.object = <char*>c_object
        rop.object_len = rop.object_full_len = len(c_object)
        rop.object_type = fields.get("object_type", 0)
        rop.object_index = fields.get("object_index", 0)
        rop.JobId = fields.get("jobid", 1)
        ev.eventType = bEventRestoreObject
        return (<event_fn>self._entry(BAREOSFD_CAPI_HANDLE_PLUGIN_EVENT))(self.ctx, &ev, &rop)

    def check_file(self, str fname):
        """checkFile(fname) (accurate mode: is a file the reference job had, and
        this job did not see, still there?): the rc (bRC_Seen: keep it)."""
        c_fname = fname.encode("utf-8", "surrogateescape")
        return (<mutable_text_fn>self._entry(BAREOSFD_CAPI_CHECK_FILE))(self.ctx, <char*>c_fname)

    def get_acl(self, str fname):
        """getAcl: (rc, the ACL content as bytes or None); the content the
        plugin malloc'd is freed, as the daemon does."""
        cdef acl_pkt ap
        memset(&ap, 0, sizeof(ap))
        ap.pkt_size = ap.pkt_end = sizeof(ap)
        c_fname = fname.encode("utf-8", "surrogateescape")
        ap.fname = <const char*>c_fname
        rc = (<acl_fn>self._entry(BAREOSFD_CAPI_GET_ACL))(self.ctx, &ap)
        content = ap.content[:ap.content_length] if ap.content is not NULL else None
        free(ap.content)
        return rc, content

    def set_acl(self, str fname, content):
        """setAcl with ``content`` (bytes): the rc."""
        cdef acl_pkt ap
        cdef bytes c_content = bytes(content)
        memset(&ap, 0, sizeof(ap))
        ap.pkt_size = ap.pkt_end = sizeof(ap)
        c_fname = fname.encode("utf-8", "surrogateescape")
        ap.fname = <const char*>c_fname
        ap.content = <char*>c_content
        ap.content_length = len(c_content)
        return (<acl_fn>self._entry(BAREOSFD_CAPI_SET_ACL))(self.ctx, &ap)

    def get_xattr(self, str fname):
        """One getXattr call: (rc, name or None, value or None), the malloc'd
        name and value freed as the daemon does."""
        cdef xattr_pkt xp
        memset(&xp, 0, sizeof(xp))
        xp.pkt_size = xp.pkt_end = sizeof(xp)
        c_fname = fname.encode("utf-8", "surrogateescape")
        xp.fname = <const char*>c_fname
        rc = (<xattr_fn>self._entry(BAREOSFD_CAPI_GET_XATTR))(self.ctx, &xp)
        name = xp.name[:xp.name_length] if xp.name is not NULL else None
        value = xp.value[:xp.value_length] if xp.value is not NULL else None
        free(xp.name)
        free(xp.value)
        return rc, name, value

    def set_xattr(self, str fname, name, value):
        """setXattr with one name/value pair (bytes): the rc."""
        cdef xattr_pkt xp
        cdef bytes c_name = bytes(name)
        cdef bytes c_value = bytes(value or b"")
        memset(&xp, 0, sizeof(xp))
        xp.pkt_size = xp.pkt_end = sizeof(xp)
        c_fname = fname.encode("utf-8", "surrogateescape")
        xp.fname = <const char*>c_fname
        xp.name = <char*>c_name
        xp.name_length = len(c_name)
        xp.value = <char*>c_value
        xp.value_length = len(c_value)
        return (<xattr_fn>self._entry(BAREOSFD_CAPI_SET_XATTR))(self.ctx, &xp)

    def script_module(self):
        """The script module the instance loaded, or None (the instance
        state's ``script_module``)."""
        if self.ctx.plugin_private_context is NULL:
            return None
        return (<object>self.ctx.plugin_private_context).script_module
