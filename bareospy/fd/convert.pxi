# Converting the core's C packets to the script's Python packets and back
# (spec §3.3), reading and writing the packets' typed C fields directly.
#
# Strings go through common/cstrings.pxi, so a file name that is not UTF-8
# reaches the script as os.fsdecode() would give it and goes back to the core
# byte for byte.

from libc.stdint cimport uint32_t, uint64_t
from libc.stdlib cimport malloc
from libc.string cimport memcpy, memset
from posix.stat cimport struct_stat
from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_SIMPLE, PyObject_CheckBuffer
from cpython.bytearray cimport PyByteArray_FromStringAndSize


# -- stat ---------------------------------------------------------------------

cdef StatPacket _stat_from_c(const struct_stat* st):
    cdef StatPacket packet = StatPacket.__new__(StatPacket)
    packet._st_dev = st.st_dev
    packet._st_ino = st.st_ino
    packet._st_mode = st.st_mode
    packet._st_nlink = st.st_nlink
    packet._st_uid = st.st_uid
    packet._st_gid = st.st_gid
    packet._st_rdev = st.st_rdev
    packet._st_size = <uint64_t>st.st_size
    packet._st_atime = st.st_atime
    packet._st_mtime = st.st_mtime
    packet._st_ctime = st.st_ctime
    packet._st_blksize = st.st_blksize
    packet._st_blocks = st.st_blocks
    return packet


cdef void _stat_packet_to_c(StatPacket packet, struct_stat* st) noexcept:
    """Copy every field, with C narrowing where ``struct stat`` is narrower."""
    memset(st, 0, sizeof(struct_stat))
    st.st_dev = packet._st_dev
    st.st_ino = packet._st_ino
    st.st_mode = packet._st_mode
    st.st_nlink = packet._st_nlink
    st.st_uid = packet._st_uid
    st.st_gid = packet._st_gid
    st.st_rdev = packet._st_rdev
    st.st_size = <long long>packet._st_size
    st.st_atime = packet._st_atime
    st.st_mtime = packet._st_mtime
    st.st_ctime = packet._st_ctime
    st.st_blksize = packet._st_blksize
    st.st_blocks = packet._st_blocks


# -- save packets ---------------------------------------------------------------

cdef SavePacket _save_packet_from_c(save_pkt* sp):
    """A SavePacket as start_backup_file / handle_backup_file receive it."""
    cdef SavePacket packet = SavePacket.__new__(SavePacket)
    packet._fname = _decode_c_string(sp.fname) if sp.fname is not NULL else ""
    packet._link = _decode_c_string(sp.link) if sp.link is not NULL else ""
    packet._statp = _stat_from_c(&sp.statp) if sp.statp.st_mode != 0 else None
    packet._type = sp.type
    packet._flags = PyByteArray_FromStringAndSize(sp.flags, FOPTS_BYTES)
    packet._no_read = sp.no_read
    packet._portable = sp.portable
    packet._accurate_found = sp.accurate_found
    packet._cmd = _decode_c_string(sp.cmd)
    packet._save_time = sp.save_time
    packet._delta_seq = sp.delta_seq
    packet._object_name = None
    packet._object = None
    packet._object_len = 0
    packet._object_index = 0
    return packet


cdef void _copy_flags(SavePacket packet, save_pkt* sp) except *:
    flags = packet._flags
    if not isinstance(flags, bytearray):
        raise TypeError("flags need to be of type bytearray")
    if len(flags) != FOPTS_BYTES:
        raise RuntimeError(f"SavePacket.flags must hold {FOPTS_BYTES} bytes, not {len(flags)}")
    memcpy(sp.flags, <char*>(<bytearray>flags), FOPTS_BYTES)


cdef bytes _c_path(object value, str what):
    """SavePacket.fname/link as the core gets them; like the reference, a
    value that is not a str is a TypeError."""
    if not isinstance(value, str):
        raise TypeError(f'{what} needs to be of type string "utf-8"')
    if "\0" in value:
        raise ValueError(f"{what} contains a NUL character (C would cut the name there)")
    return _encode_text(_plain_str(value))


cdef tuple _save_packet_to_c(SavePacket packet, save_pkt* sp):
    """Copy back what start_backup_file filled in; returns what keeps the
    C strings alive (until the next file).  Errors are those of spec §3.3."""
    if packet._fname is None:
        raise RuntimeError("fname is empty")
    fname = _c_path(packet._fname, "fname")
    sp.fname = fname
    link = None
    if packet._link is not None:
        link = _c_path(packet._link, "link")
        sp.link = link
    if packet._statp is None:
        raise RuntimeError("SavePacket.statp is not set: assign a bareosfd.StatPacket")
    if not isinstance(packet._statp, StatPacket):  # the reference reads it blindly
        raise TypeError(f"SavePacket.statp must be a bareosfd.StatPacket, "
                        f"not {_type_name(packet._statp)}")
    _stat_packet_to_c(<StatPacket>packet._statp, &sp.statp)
    sp.type = packet._type
    _copy_flags(packet, sp)
    if packet._type in _OBJECT_TYPES:
        return (fname, link) + _copy_restore_object(packet, sp)
    sp.no_read = packet._no_read
    sp.delta_seq = packet._delta_seq
    sp.save_time = packet._save_time
    return (fname, link)


cdef tuple _copy_restore_object(SavePacket packet, save_pkt* sp):
    """A restore object instead of a file (spec §7.11).  As in the reference,
    the name must be a str and the object bytes-like (the reference takes
    only a bytearray; bytes, memoryview, ... work here too)."""
    if packet._object_len <= 0:
        raise RuntimeError("pSavePkt->object_len is <=0")
    if packet._object_name is None:
        raise RuntimeError("object name missing")
    if not isinstance(packet._object_name, str):
        raise RuntimeError("object name must be unicode type")
    if packet._object is None:
        raise RuntimeError("object missing")
    if not PyObject_CheckBuffer(packet._object):
        raise RuntimeError("object needs to be of type bytearray")
    data = memoryview(packet._object).tobytes()
    if len(data) < packet._object_len:
        raise RuntimeError(f"object_len ({packet._object_len}) > len(object) ({len(data)})")
    name = _encode_text(_plain_str(packet._object_name))
    sp.object_name = name
    sp.object = data
    sp.object_len = packet._object_len
    sp.index = packet._object_index
    return (name, data)


# -- restore packets and objects ------------------------------------------------

cdef RestorePacket _restore_packet_from_c(restore_pkt* rp):
    cdef RestorePacket packet = RestorePacket.__new__(RestorePacket)
    packet._stream = rp.stream
    packet._data_stream = rp.data_stream
    packet._type = rp.type
    packet._file_index = rp.file_index
    packet._linkFI = rp.LinkFI
    packet._uid = rp.uid
    packet._statp = _stat_from_c(&rp.statp)
    packet._attrEX = _decode_c_string(rp.attrEx)
    packet._ofname = _decode_c_string(rp.ofname)
    packet._olname = _decode_c_string(rp.olname)
    packet._where = _decode_c_string(rp.where)
    packet._regexwhere = _decode_c_string(rp.RegexWhere)
    packet._replace = rp.replace
    packet._create_status = rp.create_status
    packet._filedes = rp.filedes
    packet._original_file_name = _decode_c_string(rp.original_file_name)
    packet._original_link_name = _decode_c_string(rp.original_link_name)
    return packet


cdef RestoreObject _restore_object_from_c(restore_object_pkt* rop):
    cdef RestoreObject packet = RestoreObject.__new__(RestoreObject)
    packet._object_name = _decode_c_string(rop.object_name)
    if rop.object is not NULL and rop.object_len > 0:
        packet._object = PyByteArray_FromStringAndSize(rop.object, rop.object_len)
    else:
        packet._object = bytearray()
    packet._plugin_name = _decode_c_string(rop.plugin_name)
    packet._object_type = rop.object_type
    packet._object_len = rop.object_len
    packet._object_full_len = rop.object_full_len
    packet._object_index = rop.object_index
    packet._object_compression = rop.object_compression
    packet._stream = rop.stream
    packet._jobid = rop.JobId
    return packet


# -- I/O --------------------------------------------------------------------------

cdef IoPacket _io_packet_from_c(io_pkt* io):
    cdef IoPacket packet = IoPacket.__new__(IoPacket)
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
    if io.buf is not NULL and io.count > 0 and (io.func == IO_READ or io.func == IO_WRITE):
        packet._core_data = io.buf
        packet._core_size = io.count
        packet._core_writable = io.func == IO_READ
        packet._buf_pending = io.func == IO_WRITE
    return packet


cdef inline void _io_packet_detach(IoPacket packet) noexcept:
    """The call is over: the packet must not reach the daemon's block any more."""
    packet._core_data = NULL
    packet._core_size = 0
    packet._buf_pending = False


cdef int _io_packet_to_c(PluginContext* ctx, IoPacket packet, io_pkt* io) except -1:
    """Copy back the answer (whatever the return value, spec §3.3).  Per block:
    ``except -1``, not ``except *``, spares an exception test per call."""
    io.io_errno = packet._io_errno
    io.lerror = packet._lerror
    io.win32 = packet._win32
    io.status = packet._status
    io.filedes = packet._filedes
    if io.func == IO_READ and io.status > 0:
        if not _copy_read_data(ctx, packet, io):
            io.status = -1
    return 0


cdef int _copy_read_data(PluginContext* ctx, IoPacket packet, io_pkt* io) except -1:
    """IO_READ: copy ``status`` bytes of ``buf`` into the core's buffer (1), or not (0).

    Any buffer object works (bytearray, bytes, memoryview, ...).  A missing
    buffer, one longer than ``count``, or one shorter than ``status`` is a read
    error (the reference over-reads there); a debug message says which.
    """
    cdef Py_buffer view
    if packet._buf is None and packet._window_used:
        return io.status <= io.count  # filled in place through ``window``
    if packet._buf is None or io.buf is NULL or not PyObject_CheckBuffer(packet._buf):
        _send_debug_message(ctx, _DEBUG_LEVEL, f"{_daemon.plugin_prefix}IO_READ: status "
                            f"{io.status} but IoPacket.buf is "
                            f"{'None' if packet._buf is None else _type_name(packet._buf)}\n")
        return False
    PyObject_GetBuffer(packet._buf, &view, PyBUF_SIMPLE)
    try:
        if view.len > io.count or io.status > io.count or io.status > view.len:
            _send_debug_message(ctx, _DEBUG_LEVEL, f"{_daemon.plugin_prefix}IO_READ: status "
                                f"{io.status} with a buffer of {view.len} bytes "
                                f"for a read of {io.count}\n")
            return False
        memcpy(io.buf, view.buf, io.status)
        return True
    finally:
        PyBuffer_Release(&view)


# -- ACLs and extended attributes -----------------------------------------------------

cdef AclPacket _acl_packet_from_c(acl_pkt* ap):
    cdef AclPacket packet = AclPacket.__new__(AclPacket)
    packet._fname = _decode_c_string(ap.fname)
    if ap.content is not NULL and ap.content_length > 0:
        packet._content = PyByteArray_FromStringAndSize(ap.content, ap.content_length)
    else:
        packet._content = None
    return packet


cdef char* _malloc_copy(object data, uint32_t* length) except? NULL:
    """``data`` (any buffer) in malloc'd memory that the core will free()."""
    cdef Py_buffer view
    cdef char* copy
    PyObject_GetBuffer(data, &view, PyBUF_SIMPLE)
    try:
        copy = <char*>malloc(view.len if view.len else 1)
        if copy is NULL:
            raise MemoryError()
        memcpy(copy, view.buf, view.len)
        length[0] = <uint32_t>view.len
        return copy
    finally:
        PyBuffer_Release(&view)


cdef void _acl_packet_to_c(AclPacket packet, acl_pkt* ap) except *:
    """get_acl's answer: a non-empty bytes-like content is sent; None or empty
    sends nothing; anything else is the reference's TypeError."""
    content = packet._content
    if content is None:
        return
    if not PyObject_CheckBuffer(content):
        raise TypeError("acl packet content needs to be of bytearray type")
    if memoryview(content).nbytes == 0:
        return
    ap.content = _malloc_copy(content, &ap.content_length)


cdef XattrPacket _xattr_packet_from_c(xattr_pkt* xp):
    cdef XattrPacket packet = XattrPacket.__new__(XattrPacket)
    packet._fname = _decode_c_string(xp.fname)
    packet._name = (PyByteArray_FromStringAndSize(xp.name, xp.name_length)
                    if xp.name is not NULL else None)
    packet._value = (PyByteArray_FromStringAndSize(xp.value, xp.value_length)
                     if xp.value is not NULL else None)
    return packet


cdef void _xattr_packet_to_c(XattrPacket packet, xattr_pkt* xp) except *:
    """get_xattr's answer: a non-empty name (and its value) in malloc'd memory.
    As in the reference, a name that is not bytes-like is ignored, and so is
    a value that is not (the value stays NULL)."""
    if not _nonempty_buffer(packet._name):
        return
    xp.name = _malloc_copy(packet._name, &xp.name_length)
    if _nonempty_buffer(packet._value):
        xp.value = _malloc_copy(packet._value, &xp.value_length)


cdef bint _nonempty_buffer(object value) except -1:
    return PyObject_CheckBuffer(value) and memoryview(value).nbytes > 0
