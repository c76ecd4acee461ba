# The seven packet types of bareosfd (spec §2.5): the Python side of the
# packets the file daemon core exchanges with a plugin.  Included by
# bareosfd.pyx after common/checks.pxi; _warn_value also uses _DaemonStream,
# _DEBUG_LEVEL (common/dispatch.pxi) and _send_debug_message (common/core.pxi).
#
# Every attribute is a property over a C field (``self._<name>``), so that
# the C <-> Python conversion code (fd/convert.pxi) can read and write the
# fields directly.  Each attribute behaves as its spec §2.5.1 kind says:
#
# * i32, u32, u16: an int (or an object with __index__) that does not fit is
#   truncated like C does, with a PacketValueWarning (a RuntimeWarning, as
#   the reference issues); beyond a C long it is an OverflowError;
# * u64, i64, long: out of range is an OverflowError;
# * bool: exactly True or False (constructor keywords: any object, by truth);
# * integers and booleans cannot be deleted;
# * S (C strings filled by the core): read-only, set only by the
#   constructor, stored as owned str objects;
# * O: any object, ``del`` resets it to None; one of another type than the
#   core needs gives a PacketValueWarning, and the C boundary (convert.pxi)
#   treats it as the reference does.
#
# StatPacket's narrow fields are stored wider than their kind (spec §11 #5),
# so that any os.stat() value fits.  The reprs follow the reference's printf
# formats (see _c_text, _str_text, _bytearray_text).
#
# The fields and properties between "GENERATED" markers are written by
# tools/gen_packets.py from tools/packets.txt (one line per attribute with its
# kind): edit the table and run the generator, not the blocks.  Constructors,
# reprs and IoPacket.buf/window are written by hand.
#
# Lifetime: no packet outlives what it points into.  Every packet but IoPacket
# holds only values (copied from the daemon's packet), and copies, deep-copies
# and pickles them (the generated __reduce__); IoPacket stands for one I/O
# call and refuses with TypeError.  The module is compiled with
# auto_pickle=False, so no generated pickling code reads a C pointer.
# IoPacket.window exports the daemon's block through a _CoreWindow, which
# the plugin layer closes when plugin_io returns (see _CoreWindow).

cimport cython
from libc.limits cimport LLONG_MAX, LONG_MIN, LONG_MAX, ULONG_MAX
from libc.math cimport floor
from libc.stdint cimport (int32_t, int64_t, uint16_t, uint32_t, uint64_t,
                          INT32_MIN, INT32_MAX, UINT16_MAX, UINT32_MAX, UINT64_MAX)
from libc.time cimport time
from posix.stat cimport S_IFMT, S_IFREG

from bareospy.includes.consts cimport FOPTS_BYTES, FO_MAX
from cpython.buffer cimport PyBUF_READ, PyBUF_WRITE, PyObject_CheckBuffer
from cpython.bytearray cimport PyByteArray_FromStringAndSize
from cpython.long cimport PyLong_CheckExact, PyLong_AsLongLongAndOverflow
from cpython.buffer cimport PyBuffer_FillInfo
from cpython.memoryview cimport PyMemoryView_FromObject
from cpython.ref cimport PyObject

if _PY2:   # CPython 2.7 (common/py2.pxi)
    import copy_reg as _copyreg
else:
    import copyreg as _copyreg
import gc as _gc
import warnings as _warnings_module

# Taken at import: a script that replaces sys.modules entries or builtins
# cannot take them from the plugin layer.
_copyreg_newobj = _copyreg.__newobj__
_warn = _warnings_module.warn
_gc_get_referrers = _gc.get_referrers
try:
    from bareospy.warnings import PacketValueWarning as _packet_value_category
except ImportError:  # bareosfd without its package: the reference's category
    _packet_value_category = None


# -- attribute kinds (spec §2.5.1) --------------------------------------------------

cdef int _warn_value(str attribute, str message) except -1:
    """Issue a PacketValueWarning "<attribute>: <message>" (bareospy.warnings).

    Inside a daemon, where Python's stderr becomes job messages, it goes to
    the daemon's debug output instead: the reference's warnings reach no job
    message either, so the job keeps the reference's status.
    """
    text = f"{attribute}: {message}"
    if isinstance(_sys.stderr, _DaemonStream):
        _send_debug_message(bareospy_get_context(), _DEBUG_LEVEL, f"{_daemon.plugin_prefix}{text}\n")
        return 0
    # stacklevel 1: the script's line (this code runs in no Python frame)
    if _packet_value_category is None:
        _warn(text, RuntimeWarning, stacklevel=1)
    else:
        _warn(_packet_value_category(text, attribute), stacklevel=1)
    return 0


cdef object _truncated(object value, str name, object bits, bint signed, bint unsigned_input):
    """``value`` truncated to a C integer of ``bits`` bits, as CPython's
    T_INT/T_UINT/T_USHORT members do: an int beyond a C long (for T_UINT an
    unsigned long) is an OverflowError; one that does not fit is wrapped
    modulo 2**bits, with a PacketValueWarning."""
    number = _as_int(value, name)
    if not LONG_MIN <= number <= (ULONG_MAX if unsigned_input else LONG_MAX):
        raise OverflowError(f"{name}: {number} does not fit in a C "
                            f"{'unsigned long' if unsigned_input else 'long'}")
    wrapped = number & ((1 << bits) - 1)
    if signed and wrapped >> (bits - 1):
        wrapped -= 1 << bits
    if wrapped != number:
        _warn_value(name, f"{number} does not fit in {'' if signed else 'u'}int{bits}_t, "
                          f"stored as {wrapped}")
    return wrapped


cdef inline bint _small_int(object value, long long low, long long high, long long* out):
    """Fast path: ``value`` is an exact int within [low, high] (stored in ``out``)."""
    cdef int overflow = 0
    if not PyLong_CheckExact(value):
        return False
    out[0] = PyLong_AsLongLongAndOverflow(value, &overflow)
    return overflow == 0 and low <= out[0] <= high


cdef int32_t _i32(object value, str name) except? -1:
    """An i32 attribute (T_INT)."""
    cdef long long n = 0
    if _small_int(value, INT32_MIN, INT32_MAX, &n):
        return <int32_t>n
    return _truncated(value, name, 32, True, False)


cdef uint16_t _u16(object value, str name) except? 0:
    """A u16 attribute (T_USHORT)."""
    cdef long long n = 0
    if _small_int(value, 0, UINT16_MAX, &n):
        return <uint16_t>n
    return _truncated(value, name, 16, False, False)


cdef uint32_t _u32(object value, str name, bint unsigned_input) except? 0:
    """A u32 attribute (T_UINT: ``unsigned_input``), or a u16 one stored in 32 bits."""
    cdef long long n = 0
    if _small_int(value, 0, UINT32_MAX, &n):
        return <uint32_t>n
    return _truncated(value, name, 32, False, unsigned_input)


cdef uint64_t _u64_wrapped(object value, str name) except? 0:
    """A u32 or u16 attribute stored in 64 bits: only a negative value wraps."""
    cdef long long n = 0
    if _small_int(value, 0, LLONG_MAX, &n):
        return <uint64_t>n
    return _truncated(value, name, 64, False, True)


cdef object _expect(object value, str name, bint ok, str needed):
    """An O attribute: ``value`` is kept whatever it is; a PacketValueWarning
    when it is neither None nor what the core needs (``ok`` false)."""
    if value is not None and not ok:
        _warn_value(name, f"{needed} expected, not {_type_name(value)} (kept as is)")
    return value


cdef inline object _expect_str(object value, str name):
    return _expect(value, name, isinstance(value, str), "str")


cdef inline object _expect_bytes_like(object value, str name):
    return _expect(value, name, PyObject_CheckBuffer(value), "a bytes-like object")


cdef inline object _expect_flags(object value, str name):
    return _expect(value, name, isinstance(value, bytearray) and len(value) == FOPTS_BYTES,
                   f"a bytearray of {FOPTS_BYTES} bytes")


cdef inline object _expect_stat(object value, str name):
    return _expect(value, name, isinstance(value, StatPacket), "a StatPacket")


# Constructor keywords of StatPacket, in positional order; each sets the
# attribute "st_" + keyword.
cdef tuple _STAT_KEYWORDS = ("dev", "ino", "mode", "nlink", "uid", "gid", "rdev",
                             "size", "atime", "mtime", "ctime", "blksize", "blocks")
cdef tuple _STAT_TIMES = ("atime", "mtime", "ctime")

# Default of the StatPacket time keywords: the time of construction.
cdef object _NOW = object()


cdef str _c_text(object value, str null=""):
    """An S attribute (str or None) as printf("%s") shows the reference's C
    string: None prints as ``null``; the text stops at the first NUL."""
    if value is None:
        return null
    return value.partition("\0")[0]


cdef str _str_text(object value):
    """An O attribute where a str is expected, as the reference prints it:
    a str up to its first NUL, anything else (None included) as ""."""
    if isinstance(value, str):
        return value.partition("\0")[0]
    return ""


cdef str _bytearray_text(object value):
    """An O attribute where a bytearray is expected, as the reference prints
    it: a bytearray's bytes up to the first NUL (decoded as UTF-8, bad bytes
    replaced), anything else (None, bytes, ...) as ""."""
    if isinstance(value, bytearray):
        return bytes(value).partition(b"\0")[0].decode("utf-8", "replace")
    return ""


cdef str _flags_text(object flags):
    """SavePacket.flags as the reference prints it: one '0'/'1' per option bit
    0..FO_MAX, bit n being byte n >> 3, mask 1 << (n & 7)."""
    cdef int bit
    if flags is None:
        return "<NULL>"
    if not isinstance(flags, bytearray) or len(flags) != FOPTS_BYTES:
        return "Unknown"  # the script resized the bytearray in place
    return "".join(["1" if flags[bit >> 3] & (1 << (bit & 7)) else "0"
                    for bit in range(FO_MAX + 1)])


cdef object _whole_seconds(object st, str keyword):
    """The time ``st.st_<keyword>`` in whole seconds, rounded toward minus
    infinity (exact from ``st_<keyword>_ns`` when present), or None."""
    nanoseconds = getattr(st, f"st_{keyword}_ns", None)
    if nanoseconds is not None:
        return nanoseconds // 1_000_000_000
    seconds = getattr(st, f"st_{keyword}", None)
    if isinstance(seconds, float):
        return int(floor(seconds))
    return seconds


cdef dict _stat_keywords(object st):
    """StatPacket constructor keywords for the ``st_*`` attributes ``st`` has."""
    cdef dict keywords = {}
    for keyword in _STAT_KEYWORDS:
        if keyword in _STAT_TIMES:
            value = _whole_seconds(st, keyword)
        else:
            value = getattr(st, f"st_{keyword}", None)
        if value is not None:
            keywords[keyword] = value
    return keywords


cdef object _stat_size(object size):
    """The StatPacket ``size`` keyword: -1 means "unknown", stored as 2**64-1
    like the reference's C code does; range checks are left to st_size."""
    size = _as_int(size, "StatPacket.st_size")
    return UINT64_MAX if size == -1 else size


# -- lifetime ----------------------------------------------------------------------------

cdef int _refuse_pickling(str type_name) except -1:
    raise TypeError(f"cannot pickle or copy {type_name} objects: an {type_name} stands "
                    "for one call of the daemon and reaches into the daemon's memory")


cdef extern from "pycompat.h":
    # The one field of CPython's memoryview object read here: the managed
    # buffer that all views made from one export (slices, memoryview(view))
    # share (on 2.7: the object the view was taken from).
    void* bareospy_view_owner(object view)


@cython.final
cdef class _CoreWindow:
    """Exports the daemon's data block for IoPacket.window during one call.

    Every consumer (the memoryview handed to the script, and through it its
    slices and the buffers C code takes of them) gets its pointer from here,
    and ``exports`` counts them.  ``close()`` at the end of the call refuses
    new exports and releases the views still alive, so none of them can
    reach the block once the daemon may free or reuse it: a released view
    raises ValueError.
    """
    cdef char* data
    cdef Py_ssize_t size
    cdef bint readonly
    cdef Py_ssize_t exports

    def __getbuffer__(self, Py_buffer* buffer, int flags):
        if self.data is NULL:
            raise ValueError("IoPacket.window is only usable during the plugin_io call "
                             "that gave it")
        PyBuffer_FillInfo(buffer, self, self.data, self.size, self.readonly, flags)
        self.exports += 1

    def __releasebuffer__(self, Py_buffer* buffer):
        self.exports -= 1

    cdef object view(self):
        """A new memoryview of the block."""
        return PyMemoryView_FromObject(self)

    cdef bint close(self) except? False:
        """End of the call: True when no view of the block is left usable.

        The common case (the script's views are gone) costs one test.  Views
        the script kept are found through the garbage collector's referrers
        (slow, and only then) and released; a view that C code still holds a
        buffer of cannot be released (False).
        """
        self.data = NULL
        if self.exports == 0:
            return True
        for managed in _gc_get_referrers(self):
            if type(managed) is memoryview:
                _release_view(managed)
                continue
            for view in _gc_get_referrers(managed):
                if type(view) is memoryview and \
                        bareospy_view_owner(view) == <void*>managed:
                    _release_view(view)
        return self.exports == 0


cdef int _release_view(object view) except -1:
    try:
        view.release()
    except BufferError:  # C code holds a buffer of it: the caller reports that
        pass
    except AttributeError:  # Python 2.7: views cannot be released (reported too)
        pass
    return 0


cdef class StatPacket:
    """The ``struct stat`` of a file: set by a script in SavePacket.statp for
    the core to record, and received in RestorePacket.statp.

    StatPacket(dev=0, ino=0, mode=0o100700, nlink=0, uid=0, gid=0, rdev=0,
    size=-1, atime=now, mtime=now, ctime=now, blksize=4096, blocks=1), the
    keywords setting st_dev, st_ino, ...; size=-1 stores 2**64-1 ("unknown").
    StatPacket(os.stat(path)) is StatPacket.from_stat(os.stat(path)).
    """
    # --- BEGIN GENERATED StatPacket.fields (tools/gen_packets.py) ---
    cdef uint64_t _st_dev
    cdef uint64_t _st_ino
    cdef uint32_t _st_mode
    cdef uint64_t _st_nlink
    cdef uint32_t _st_uid
    cdef uint32_t _st_gid
    cdef uint64_t _st_rdev
    cdef uint64_t _st_size
    cdef int64_t _st_atime
    cdef int64_t _st_mtime
    cdef int64_t _st_ctime
    cdef uint64_t _st_blksize
    cdef uint64_t _st_blocks
    # --- END GENERATED ---

    def __init__(self, *args, **kwargs):
        if len(args) == 1 and not kwargs and hasattr(args[0], "st_mode"):
            kwargs = _stat_keywords(args[0])
            args = ()
        self._init_fields(*args, **kwargs)

    def _init_fields(self, dev=0, ino=0, mode=S_IFREG | 0o700, nlink=0, uid=0,
                     gid=0, rdev=0, size=-1, atime=_NOW, mtime=_NOW, ctime=_NOW,
                     blksize=4096, blocks=1):
        """The constructor proper (__init__ only recognises a stat result)."""
        cdef int64_t now = time(NULL)
        self.st_dev = dev
        self.st_ino = ino
        self.st_mode = mode
        self.st_nlink = nlink
        self.st_uid = uid
        self.st_gid = gid
        self.st_rdev = rdev
        self.st_size = _stat_size(size)
        self.st_atime = now if atime is _NOW else atime
        self.st_mtime = now if mtime is _NOW else mtime
        self.st_ctime = now if ctime is _NOW else ctime
        self.st_blksize = blksize
        self.st_blocks = blocks

    @classmethod
    def from_stat(cls, st):
        """A packet with every ``st_*`` field of ``st`` (an os.stat_result or
        any object with such attributes; missing ones keep their default).
        Times become whole seconds, rounded toward minus infinity."""
        return cls(**_stat_keywords(st))

    def __repr__(self):
        return ("StatPacket(dev=%d, ino=%d, mode=%04o, nlink=%d, uid=%d, gid=%d, "
                "rdev=%d, size=%d, atime=%d, mtime=%d, ctime=%d, blksize=%d, "
                "blocks=%d)" % (
                    self._st_dev, self._st_ino, self._st_mode & ~S_IFMT,
                    self._st_nlink, self._st_uid, self._st_gid, self._st_rdev,
                    self._st_size, self._st_atime, self._st_mtime, self._st_ctime,
                    self._st_blksize, self._st_blocks))

    # --- BEGIN GENERATED StatPacket.properties (tools/gen_packets.py) ---
    @property
    def st_dev(self):
        """Device of the file (as os.stat's st_dev)."""
        return self._st_dev

    @st_dev.setter
    def st_dev(self, value):
        self._st_dev = _u64_wrapped(value, "StatPacket.st_dev")

    @st_dev.deleter
    def st_dev(self):
        _undeletable("StatPacket.st_dev")

    @property
    def st_ino(self):
        """Inode number; with st_dev, what the daemon uses to detect hard links."""
        return self._st_ino

    @st_ino.setter
    def st_ino(self, value):
        self._st_ino = _as_u64(value, "StatPacket.st_ino")

    @st_ino.deleter
    def st_ino(self):
        _undeletable("StatPacket.st_ino")

    @property
    def st_mode(self):
        """File type and permission bits (S_IFREG | 0o644, ...); default S_IFREG | 0o700."""
        return self._st_mode

    @st_mode.setter
    def st_mode(self, value):
        self._st_mode = _u32(value, "StatPacket.st_mode", True)

    @st_mode.deleter
    def st_mode(self):
        _undeletable("StatPacket.st_mode")

    @property
    def st_nlink(self):
        """Number of hard links; above 1 the daemon looks for the other names."""
        return self._st_nlink

    @st_nlink.setter
    def st_nlink(self, value):
        self._st_nlink = _u64_wrapped(value, "StatPacket.st_nlink")

    @st_nlink.deleter
    def st_nlink(self):
        _undeletable("StatPacket.st_nlink")

    @property
    def st_uid(self):
        """Owner user id."""
        return self._st_uid

    @st_uid.setter
    def st_uid(self, value):
        self._st_uid = _u32(value, "StatPacket.st_uid", True)

    @st_uid.deleter
    def st_uid(self):
        _undeletable("StatPacket.st_uid")

    @property
    def st_gid(self):
        """Owner group id."""
        return self._st_gid

    @st_gid.setter
    def st_gid(self, value):
        self._st_gid = _u32(value, "StatPacket.st_gid", True)

    @st_gid.deleter
    def st_gid(self):
        _undeletable("StatPacket.st_gid")

    @property
    def st_rdev(self):
        """Device number of a character or block device."""
        return self._st_rdev

    @st_rdev.setter
    def st_rdev(self, value):
        self._st_rdev = _u64_wrapped(value, "StatPacket.st_rdev")

    @st_rdev.deleter
    def st_rdev(self):
        _undeletable("StatPacket.st_rdev")

    @property
    def st_size(self):
        """Size in bytes (the estimate adds it up); default 2**64-1."""
        return self._st_size

    @st_size.setter
    def st_size(self, value):
        self._st_size = _as_u64(value, "StatPacket.st_size")

    @st_size.deleter
    def st_size(self):
        _undeletable("StatPacket.st_size")

    @property
    def st_atime(self):
        """Access time, whole seconds since the epoch; default: now."""
        return self._st_atime

    @st_atime.setter
    def st_atime(self, value):
        self._st_atime = _as_i64(value, "StatPacket.st_atime")

    @st_atime.deleter
    def st_atime(self):
        _undeletable("StatPacket.st_atime")

    @property
    def st_mtime(self):
        """Modification time, whole seconds; what Incremental/Differential compare."""
        return self._st_mtime

    @st_mtime.setter
    def st_mtime(self, value):
        self._st_mtime = _as_i64(value, "StatPacket.st_mtime")

    @st_mtime.deleter
    def st_mtime(self):
        _undeletable("StatPacket.st_mtime")

    @property
    def st_ctime(self):
        """Status change time, whole seconds."""
        return self._st_ctime

    @st_ctime.setter
    def st_ctime(self, value):
        self._st_ctime = _as_i64(value, "StatPacket.st_ctime")

    @st_ctime.deleter
    def st_ctime(self):
        _undeletable("StatPacket.st_ctime")

    @property
    def st_blksize(self):
        """Preferred I/O block size; default 4096."""
        return self._st_blksize

    @st_blksize.setter
    def st_blksize(self, value):
        self._st_blksize = _u64_wrapped(value, "StatPacket.st_blksize")

    @st_blksize.deleter
    def st_blksize(self):
        _undeletable("StatPacket.st_blksize")

    @property
    def st_blocks(self):
        """Number of 512-byte blocks; default 1."""
        return self._st_blocks

    @st_blocks.setter
    def st_blocks(self, value):
        self._st_blocks = _as_u64(value, "StatPacket.st_blocks")

    @st_blocks.deleter
    def st_blocks(self):
        _undeletable("StatPacket.st_blocks")
    # --- END GENERATED ---

    # --- BEGIN GENERATED StatPacket.pickling (tools/gen_packets.py) ---
    def __reduce__(self):
        return (_copyreg_newobj, (type(self),), (
            self._st_dev, self._st_ino, self._st_mode, self._st_nlink, self._st_uid,
            self._st_gid, self._st_rdev, self._st_size, self._st_atime, self._st_mtime,
            self._st_ctime, self._st_blksize, self._st_blocks,
        ))

    def __setstate__(self, state):
        (
            self._st_dev, self._st_ino, self._st_mode, self._st_nlink, self._st_uid,
            self._st_gid, self._st_rdev, self._st_size, self._st_atime, self._st_mtime,
            self._st_ctime, self._st_blksize, self._st_blocks,
        ) = state
    # --- END GENERATED ---


cdef class SavePacket:
    """What the core should back up next: filled in by a script's
    startBackupFile (and seen by handleBackupFile for option plugins)."""
    # --- BEGIN GENERATED SavePacket.fields (tools/gen_packets.py) ---
    cdef object _fname
    cdef object _link
    cdef object _statp
    cdef int32_t _type
    cdef object _flags
    cdef bint _no_read
    cdef bint _portable
    cdef bint _accurate_found
    cdef str _cmd
    cdef uint32_t _save_time
    cdef uint32_t _delta_seq
    cdef object _object_name
    cdef object _object
    cdef int32_t _object_len
    cdef int32_t _object_index
    # --- END GENERATED ---

    def __init__(self, fname=None, link=None, type=0, flags=None, no_read=False,
                 portable=False, accurate_found=False, cmd=None, save_time=0,
                 delta_seq=0, object_name=None, object=None, object_len=0,
                 object_index=0):
        self.fname = fname
        self.link = link
        self.type = type
        self.flags = flags
        self._no_read = no_read  # any object, by truth value (the reference's "p")
        self._portable = portable  # any object, by truth value (the reference's "p")
        self._accurate_found = accurate_found  # any object, by truth value (the reference's "p")
        self._cmd = _str_or_none(cmd, "SavePacket.cmd")
        self.save_time = save_time
        self.delta_seq = delta_seq
        self.object_name = object_name
        self.object = object
        self.object_len = object_len
        self.object_index = object_index

    def __repr__(self):
        return ('SavePacket(fname="%s", link="%s", type=%d, flags=%s, no_read=%d, '
                'portable=%d, accurate_found=%d, cmd="%s", save_time=%d, '
                'delta_seq=%d, object_name="%s", object="%s", object_len=%d, '
                'object_index=%d)' % (
                    _str_text(self._fname), _str_text(self._link), self._type,
                    _flags_text(self._flags), self._no_read, self._portable,
                    self._accurate_found, _c_text(self._cmd, "(null)"),
                    self._save_time, self._delta_seq, _str_text(self._object_name),
                    _bytearray_text(self._object), self._object_len, self._object_index))

    # --- BEGIN GENERATED SavePacket.properties (tools/gen_packets.py) ---
    @property
    def fname(self):
        """The file's name in the backup (required for every file and object)."""
        return self._fname

    @fname.setter
    def fname(self, value):
        self._fname = _expect_str(value, "SavePacket.fname")

    @fname.deleter
    def fname(self):
        self._fname = None

    @property
    def link(self):
        """Symlink target (FT_LNK), first name of a hard link (FT_LNKSAVED); for FT_DIREND
        the directory's name with a trailing '/' (stored as its name)."""
        return self._link

    @link.setter
    def link(self, value):
        self._link = _expect_str(value, "SavePacket.link")

    @link.deleter
    def link(self):
        self._link = None

    @property
    def statp(self):
        """The attributes to record; required (None at the call)."""
        return self._statp

    @statp.setter
    def statp(self, value):
        self._statp = _expect_stat(value, "SavePacket.statp")

    @statp.deleter
    def statp(self):
        self._statp = None

    @property
    def type(self):
        """An FT_* constant; 0 (unset) is a fatal error after bRC_OK."""
        return self._type

    @type.setter
    def type(self, value):
        self._type = _i32(value, "SavePacket.type")

    @type.deleter
    def type(self):
        _undeletable("SavePacket.type")

    @property
    def flags(self):
        """The FileSet option bits of the plugin entry (5 bytes); given, rarely changed."""
        return self._flags

    @flags.setter
    def flags(self, value):
        self._flags = _expect_flags(value, "SavePacket.flags")

    @flags.deleter
    def flags(self):
        self._flags = None

    @property
    def no_read(self):
        """True: no data (no plugin_io calls) for this file."""
        return self._no_read

    @no_read.setter
    def no_read(self, value):
        self._no_read = _as_bool_strict(value, "SavePacket.no_read")

    @no_read.deleter
    def no_read(self):
        _undeletable("SavePacket.no_read")

    @property
    def portable(self):
        """Whether the data is portable (given; not copied back)."""
        return self._portable

    @portable.setter
    def portable(self, value):
        self._portable = _as_bool_strict(value, "SavePacket.portable")

    @portable.deleter
    def portable(self):
        _undeletable("SavePacket.portable")

    @property
    def accurate_found(self):
        """Set by CheckChanges(): the file is in the accurate list."""
        return self._accurate_found

    @accurate_found.setter
    def accurate_found(self, value):
        self._accurate_found = _as_bool_strict(value, "SavePacket.accurate_found")

    @accurate_found.deleter
    def accurate_found(self):
        _undeletable("SavePacket.accurate_found")

    @property
    def cmd(self):
        """The plugin definition this entry comes from (read-only)."""
        return self._cmd

    @cmd.setter
    def cmd(self, value):
        _readonly("SavePacket.cmd")

    @cmd.deleter
    def cmd(self):
        _readonly("SavePacket.cmd")

    @property
    def save_time(self):
        """Reference time for this file's change check (0: the job's since time)."""
        return self._save_time

    @save_time.setter
    def save_time(self, value):
        self._save_time = _u32(value, "SavePacket.save_time", True)

    @save_time.deleter
    def save_time(self):
        _undeletable("SavePacket.save_time")

    @property
    def delta_seq(self):
        """Delta sequence number (set by CheckChanges())."""
        return self._delta_seq

    @delta_seq.setter
    def delta_seq(self, value):
        self._delta_seq = _u32(value, "SavePacket.delta_seq", True)

    @delta_seq.deleter
    def delta_seq(self):
        _undeletable("SavePacket.delta_seq")

    @property
    def object_name(self):
        """Name of a restore object (FT_RESTORE_FIRST, FT_PLUGIN_CONFIG)."""
        return self._object_name

    @object_name.setter
    def object_name(self, value):
        self._object_name = _expect_str(value, "SavePacket.object_name")

    @object_name.deleter
    def object_name(self):
        self._object_name = None

    @property
    def object(self):
        """Data of a restore object."""
        return self._object

    @object.setter
    def object(self, value):
        self._object = _expect_bytes_like(value, "SavePacket.object")

    @object.deleter
    def object(self):
        self._object = None

    @property
    def object_len(self):
        """How many bytes of ``object`` to save (must be > 0 for an object)."""
        return self._object_len

    @object_len.setter
    def object_len(self, value):
        self._object_len = _i32(value, "SavePacket.object_len")

    @object_len.deleter
    def object_len(self):
        _undeletable("SavePacket.object_len")

    @property
    def object_index(self):
        """Index of the restore object, chosen by the script."""
        return self._object_index

    @object_index.setter
    def object_index(self, value):
        self._object_index = _i32(value, "SavePacket.object_index")

    @object_index.deleter
    def object_index(self):
        _undeletable("SavePacket.object_index")
    # --- END GENERATED ---

    # --- BEGIN GENERATED SavePacket.pickling (tools/gen_packets.py) ---
    def __reduce__(self):
        return (_copyreg_newobj, (type(self),), (
            self._fname, self._link, self._statp, self._type, self._flags, self._no_read,
            self._portable, self._accurate_found, self._cmd, self._save_time,
            self._delta_seq, self._object_name, self._object, self._object_len,
            self._object_index,
        ))

    def __setstate__(self, state):
        (
            self._fname, self._link, self._statp, self._type, self._flags, self._no_read,
            self._portable, self._accurate_found, self._cmd, self._save_time,
            self._delta_seq, self._object_name, self._object, self._object_len,
            self._object_index,
        ) = state
    # --- END GENERATED ---


cdef class RestorePacket:
    """One file to restore, as the core describes it to a script's
    createFile and setFileAttributes; the script answers in create_status."""
    # --- BEGIN GENERATED RestorePacket.fields (tools/gen_packets.py) ---
    cdef int32_t _stream
    cdef int32_t _data_stream
    cdef int32_t _type
    cdef int32_t _file_index
    cdef int32_t _linkFI
    cdef uint32_t _uid
    cdef object _statp
    cdef str _attrEX
    cdef str _ofname
    cdef str _olname
    cdef str _where
    cdef str _regexwhere
    cdef int32_t _replace
    cdef int32_t _create_status
    cdef int32_t _filedes
    cdef str _original_file_name
    cdef str _original_link_name
    # --- END GENERATED ---

    def __init__(self, stream=0, data_stream=0, type=0, file_index=0, linkFI=0,
                 uid=0, statp=None, attrEX=None, ofname=None, olname=None,
                 where=None, regexwhere=None, replace=0, create_status=0,
                 filedes=-1, original_file_name=None, original_link_name=None):
        self.stream = stream
        self.data_stream = data_stream
        self.type = type
        self.file_index = file_index
        self.linkFI = linkFI
        self.uid = uid
        self.statp = statp
        self._attrEX = _str_or_none(attrEX, "RestorePacket.attrEX")
        self._ofname = _str_or_none(ofname, "RestorePacket.ofname")
        self._olname = _str_or_none(olname, "RestorePacket.olname")
        self._where = _str_or_none(where, "RestorePacket.where")
        self._regexwhere = _str_or_none(regexwhere, "RestorePacket.regexwhere")
        self.replace = replace
        self.create_status = create_status
        self.filedes = filedes
        self._original_file_name = _str_or_none(
            original_file_name, "RestorePacket.original_file_name")
        self._original_link_name = _str_or_none(
            original_link_name, "RestorePacket.original_link_name")

    def __repr__(self):
        # The labels attrEx and RegexWhere differ from the attribute names,
        # and filedes is not shown: both as in the reference.
        return ('RestorePacket(stream=%d, data_stream=%d, type=%d, file_index=%d, '
                'linkFI=%d, uid=%d, statp="%s", attrEx="%s", ofname="%s", '
                'olname="%s", where="%s", RegexWhere="%s", replace=%d, '
                'create_status=%d, original_file_name="%s", '
                'original_link_name="%s")' % (
                    self._stream, self._data_stream, self._type, self._file_index,
                    self._linkFI, self._uid,
                    "<NULL>" if self._statp is None else repr(self._statp),
                    _c_text(self._attrEX, "(null)"), _c_text(self._ofname, "(null)"),
                    _c_text(self._olname, "(null)"), _c_text(self._where, "(null)"),
                    _c_text(self._regexwhere, "(null)"), self._replace,
                    self._create_status, _c_text(self._original_file_name, "(null)"),
                    _c_text(self._original_link_name, "(null)")))

    # --- BEGIN GENERATED RestorePacket.properties (tools/gen_packets.py) ---
    @property
    def stream(self):
        """The stream the attributes came in."""
        return self._stream

    @stream.setter
    def stream(self, value):
        self._stream = _i32(value, "RestorePacket.stream")

    @stream.deleter
    def stream(self):
        _undeletable("RestorePacket.stream")

    @property
    def data_stream(self):
        """The stream the data will come in."""
        return self._data_stream

    @data_stream.setter
    def data_stream(self, value):
        self._data_stream = _i32(value, "RestorePacket.data_stream")

    @data_stream.deleter
    def data_stream(self):
        _undeletable("RestorePacket.data_stream")

    @property
    def type(self):
        """The file's FT_* type at backup."""
        return self._type

    @type.setter
    def type(self, value):
        self._type = _i32(value, "RestorePacket.type")

    @type.deleter
    def type(self):
        _undeletable("RestorePacket.type")

    @property
    def file_index(self):
        """The file's index in the backup."""
        return self._file_index

    @file_index.setter
    def file_index(self, value):
        self._file_index = _i32(value, "RestorePacket.file_index")

    @file_index.deleter
    def file_index(self):
        _undeletable("RestorePacket.file_index")

    @property
    def linkFI(self):
        """File index of the hard link's first name."""
        return self._linkFI

    @linkFI.setter
    def linkFI(self, value):
        self._linkFI = _i32(value, "RestorePacket.linkFI")

    @linkFI.deleter
    def linkFI(self):
        _undeletable("RestorePacket.linkFI")

    @property
    def uid(self):
        """Owner user id."""
        return self._uid

    @uid.setter
    def uid(self, value):
        self._uid = _u32(value, "RestorePacket.uid", True)

    @uid.deleter
    def uid(self):
        _undeletable("RestorePacket.uid")

    @property
    def statp(self):
        """The attributes recorded at backup."""
        return self._statp

    @statp.setter
    def statp(self, value):
        self._statp = _expect_stat(value, "RestorePacket.statp")

    @statp.deleter
    def statp(self):
        self._statp = None

    @property
    def attrEX(self):
        """Extended attributes text recorded at backup (read-only)."""
        return self._attrEX

    @attrEX.setter
    def attrEX(self, value):
        _readonly("RestorePacket.attrEX")

    @attrEX.deleter
    def attrEX(self):
        _readonly("RestorePacket.attrEX")

    @property
    def ofname(self):
        """Where to restore: the name with ``where`` applied (read-only)."""
        return self._ofname

    @ofname.setter
    def ofname(self, value):
        _readonly("RestorePacket.ofname")

    @ofname.deleter
    def ofname(self):
        _readonly("RestorePacket.ofname")

    @property
    def olname(self):
        """Link target (FT_LNK) or the restored first name of a hard link (FT_LNKSAVED),
        with ``where`` applied (read-only)."""
        return self._olname

    @olname.setter
    def olname(self, value):
        _readonly("RestorePacket.olname")

    @olname.deleter
    def olname(self):
        _readonly("RestorePacket.olname")

    @property
    def where(self):
        """The restore job's ``where`` prefix (read-only)."""
        return self._where

    @where.setter
    def where(self, value):
        _readonly("RestorePacket.where")

    @where.deleter
    def where(self):
        _readonly("RestorePacket.where")

    @property
    def regexwhere(self):
        """The restore job's ``regexwhere`` (read-only)."""
        return self._regexwhere

    @regexwhere.setter
    def regexwhere(self, value):
        _readonly("RestorePacket.regexwhere")

    @regexwhere.deleter
    def regexwhere(self):
        _readonly("RestorePacket.regexwhere")

    @property
    def replace(self):
        """The replace policy, as the code of a character ('a' always, 'n' never, ...)."""
        return self._replace

    @replace.setter
    def replace(self, value):
        self._replace = _i32(value, "RestorePacket.replace")

    @replace.deleter
    def replace(self):
        _undeletable("RestorePacket.replace")

    @property
    def create_status(self):
        """Set by create_file: a CF_* constant (preset to CF_ERROR)."""
        return self._create_status

    @create_status.setter
    def create_status(self, value):
        self._create_status = _i32(value, "RestorePacket.create_status")

    @create_status.deleter
    def create_status(self):
        _undeletable("RestorePacket.create_status")

    @property
    def filedes(self):
        """Leave at -1 (IO_OPEN decides the descriptor)."""
        return self._filedes

    @filedes.setter
    def filedes(self, value):
        self._filedes = _i32(value, "RestorePacket.filedes")

    @filedes.deleter
    def filedes(self):
        _undeletable("RestorePacket.filedes")

    @property
    def original_file_name(self):
        """The name at backup, without ``where`` (read-only)."""
        return self._original_file_name

    @original_file_name.setter
    def original_file_name(self, value):
        _readonly("RestorePacket.original_file_name")

    @original_file_name.deleter
    def original_file_name(self):
        _readonly("RestorePacket.original_file_name")

    @property
    def original_link_name(self):
        """The link target at backup, without ``where`` (read-only)."""
        return self._original_link_name

    @original_link_name.setter
    def original_link_name(self, value):
        _readonly("RestorePacket.original_link_name")

    @original_link_name.deleter
    def original_link_name(self):
        _readonly("RestorePacket.original_link_name")
    # --- END GENERATED ---

    # --- BEGIN GENERATED RestorePacket.pickling (tools/gen_packets.py) ---
    def __reduce__(self):
        return (_copyreg_newobj, (type(self),), (
            self._stream, self._data_stream, self._type, self._file_index, self._linkFI,
            self._uid, self._statp, self._attrEX, self._ofname, self._olname, self._where,
            self._regexwhere, self._replace, self._create_status, self._filedes,
            self._original_file_name, self._original_link_name,
        ))

    def __setstate__(self, state):
        (
            self._stream, self._data_stream, self._type, self._file_index, self._linkFI,
            self._uid, self._statp, self._attrEX, self._ofname, self._olname, self._where,
            self._regexwhere, self._replace, self._create_status, self._filedes,
            self._original_file_name, self._original_link_name,
        ) = state
    # --- END GENERATED ---


@cython.freelist(8)
cdef class IoPacket:
    """One I/O request (open, read, write, close, seek) that the core passes
    to a script's plugin_io; the script reports the result in it."""
    # --- BEGIN GENERATED IoPacket.fields (tools/gen_packets.py) ---
    cdef uint16_t _func
    cdef int32_t _count
    cdef int32_t _flags
    cdef int32_t _mode
    cdef str _fname
    cdef int32_t _status
    cdef int32_t _io_errno
    cdef int32_t _lerror
    cdef int32_t _whence
    cdef int64_t _offset
    cdef bint _win32
    cdef int32_t _filedes
    # --- END GENERATED ---
    cdef object _buf
    # During a plugin_io call: the daemon's own data block (see ``window``).
    cdef char* _core_data
    cdef Py_ssize_t _core_size
    cdef bint _core_writable       # IO_READ: the script may fill the block
    cdef bint _buf_pending         # IO_WRITE: ``buf`` is copied on first access
    cdef bint _window_used
    cdef _CoreWindow _window       # the exporter of ``window``, once asked for

    def __init__(self, func=0, count=0, flags=0, mode=0, buf=None, fname=None,
                 status=0, io_errno=0, lerror=0, whence=0, offset=0, win32=False,
                 filedes=-1):
        self.func = func
        self.count = count
        self.flags = flags
        self.mode = mode
        self.buf = buf
        self._fname = _str_or_none(fname, "IoPacket.fname")
        self.status = status
        self.io_errno = io_errno
        self.lerror = lerror
        self.whence = whence
        self.offset = offset
        self._win32 = win32  # any object, by truth value (the reference's "p")
        self.filedes = filedes

    def __repr__(self):
        # mode is an int in C: printf's %o shows a negative one as unsigned.
        return ('IoPacket(func=%d, count=%d, flags=%d, mode=%04o, buf="%s", '
                'fname="%s", status=%d, io_errno=%d, lerror=%d, whence=%d, '
                'offset=%d, win32=%d, filedes=%d)' % (
                    self._func, self._count, self._flags,
                    <uint32_t>self._mode & ~S_IFMT, _bytearray_text(self.buf),
                    _c_text(self._fname, "(null)"), self._status, self._io_errno,
                    self._lerror, self._whence, self._offset, self._win32,
                    self._filedes))

    @property
    def buf(self):
        """IO_READ: set it to the data read; IO_WRITE: the data to write."""
        if self._buf_pending:  # IO_WRITE: the copy of the data is made when asked for
            self._buf_pending = False
            if self._core_data is not NULL:
                self._buf = PyByteArray_FromStringAndSize(self._core_data, self._core_size)
        return self._buf

    @buf.setter
    def buf(self, value):
        self._buf = _expect_bytes_like(value, "IoPacket.buf")
        self._buf_pending = False

    @buf.deleter
    def buf(self):
        self._buf = None
        self._buf_pending = False

    @property
    def window(self):
        """The daemon's own data block as a memoryview, or None (zero-copy I/O).

        Only during a plugin_io call, and only usable until it returns (then
        it is released: using it raises ValueError, slices of it too): for
        IO_READ a writable view of ``count`` bytes -- fill it (for example
        ``iop.status = f.readinto(iop.window)``) and leave ``buf`` unset, and
        no byte is copied; for IO_WRITE a read-only view of the data to write
        (``f.write(iop.window)``), so ``buf`` never has to be built.  A
        bareospy extension: scripts that use ``buf`` work as before.
        """
        if self._core_data is NULL:
            return None
        if self._window is None:
            self._window = _CoreWindow.__new__(_CoreWindow)
            self._window.data = self._core_data
            self._window.size = self._core_size
            self._window.readonly = not self._core_writable
        self._window_used = True
        return self._window.view()

    cdef bint _close_window(self) except? False:
        """The call is over: no view of the daemon's block may stay usable.
        False when one cannot be released (C code holds a buffer of it)."""
        window, self._window = self._window, None
        return window is None or window.close()

    # --- BEGIN GENERATED IoPacket.properties (tools/gen_packets.py) ---
    @property
    def func(self):
        """IO_OPEN, IO_READ, IO_WRITE, IO_CLOSE or IO_SEEK."""
        return self._func

    @func.setter
    def func(self, value):
        self._func = _u16(value, "IoPacket.func")

    @func.deleter
    def func(self):
        _undeletable("IoPacket.func")

    @property
    def count(self):
        """IO_READ: the most bytes to return; IO_WRITE: the bytes in ``buf``."""
        return self._count

    @count.setter
    def count(self, value):
        self._count = _i32(value, "IoPacket.count")

    @count.deleter
    def count(self):
        _undeletable("IoPacket.count")

    @property
    def flags(self):
        """IO_OPEN: os.O_* flags (O_RDONLY at backup; O_WRONLY|O_CREAT|... at restore)."""
        return self._flags

    @flags.setter
    def flags(self, value):
        self._flags = _i32(value, "IoPacket.flags")

    @flags.deleter
    def flags(self):
        _undeletable("IoPacket.flags")

    @property
    def mode(self):
        """IO_OPEN: permission bits for a created file."""
        return self._mode

    @mode.setter
    def mode(self, value):
        self._mode = _i32(value, "IoPacket.mode")

    @mode.deleter
    def mode(self):
        _undeletable("IoPacket.mode")

    @property
    def fname(self):
        """IO_OPEN: the file to open (read-only)."""
        return self._fname

    @fname.setter
    def fname(self, value):
        _readonly("IoPacket.fname")

    @fname.deleter
    def fname(self):
        _readonly("IoPacket.fname")

    @property
    def status(self):
        """The answer: IO_OPEN iostat_*; IO_READ bytes read (0 = end, < 0 error); IO_WRITE
        bytes written (must equal ``count``)."""
        return self._status

    @status.setter
    def status(self, value):
        self._status = _i32(value, "IoPacket.status")

    @status.deleter
    def status(self):
        _undeletable("IoPacket.status")

    @property
    def io_errno(self):
        """An errno value explaining a failure."""
        return self._io_errno

    @io_errno.setter
    def io_errno(self, value):
        self._io_errno = _i32(value, "IoPacket.io_errno")

    @io_errno.deleter
    def io_errno(self):
        _undeletable("IoPacket.io_errno")

    @property
    def lerror(self):
        """Windows error code (unused on POSIX)."""
        return self._lerror

    @lerror.setter
    def lerror(self, value):
        self._lerror = _i32(value, "IoPacket.lerror")

    @lerror.deleter
    def lerror(self):
        _undeletable("IoPacket.lerror")

    @property
    def whence(self):
        """IO_SEEK: os.SEEK_SET, SEEK_CUR or SEEK_END."""
        return self._whence

    @whence.setter
    def whence(self, value):
        self._whence = _i32(value, "IoPacket.whence")

    @whence.deleter
    def whence(self):
        _undeletable("IoPacket.whence")

    @property
    def offset(self):
        """IO_SEEK: the target offset (not copied back)."""
        return self._offset

    @offset.setter
    def offset(self, value):
        self._offset = _as_i64(value, "IoPacket.offset")

    @offset.deleter
    def offset(self):
        _undeletable("IoPacket.offset")

    @property
    def win32(self):
        """True if ``lerror`` holds a Windows error."""
        return self._win32

    @win32.setter
    def win32(self, value):
        self._win32 = _as_bool_strict(value, "IoPacket.win32")

    @win32.deleter
    def win32(self):
        _undeletable("IoPacket.win32")

    @property
    def filedes(self):
        """IO_OPEN with iostat_do_in_core: the descriptor the daemon reads/writes."""
        return self._filedes

    @filedes.setter
    def filedes(self, value):
        self._filedes = _i32(value, "IoPacket.filedes")

    @filedes.deleter
    def filedes(self):
        _undeletable("IoPacket.filedes")
    # --- END GENERATED ---

    # --- BEGIN GENERATED IoPacket.pickling (tools/gen_packets.py) ---
    def __reduce__(self):
        _refuse_pickling("IoPacket")
    # --- END GENERATED ---


cdef class AclPacket:
    """The ACL of one file: returned by a script's getAcl at backup, given to
    its setAcl at restore."""
    # --- BEGIN GENERATED AclPacket.fields (tools/gen_packets.py) ---
    cdef str _fname
    cdef object _content
    # --- END GENERATED ---

    def __init__(self, fname=None, content=None):
        self._fname = _str_or_none(fname, "AclPacket.fname")
        self.content = content

    def __repr__(self):
        return 'AclPacket(fname="%s", content="%s")' % (
            _c_text(self._fname, "(null)"), _bytearray_text(self._content))

    # --- BEGIN GENERATED AclPacket.properties (tools/gen_packets.py) ---
    @property
    def fname(self):
        """The file (read-only)."""
        return self._fname

    @fname.setter
    def fname(self, value):
        _readonly("AclPacket.fname")

    @fname.deleter
    def fname(self):
        _readonly("AclPacket.fname")

    @property
    def content(self):
        """The ACL as bytes (None or empty: nothing to save)."""
        return self._content

    @content.setter
    def content(self, value):
        self._content = _expect_bytes_like(value, "AclPacket.content")

    @content.deleter
    def content(self):
        self._content = None
    # --- END GENERATED ---

    # --- BEGIN GENERATED AclPacket.pickling (tools/gen_packets.py) ---
    def __reduce__(self):
        return (_copyreg_newobj, (type(self),), (
            self._fname, self._content,
        ))

    def __setstate__(self, state):
        (
            self._fname, self._content,
        ) = state
    # --- END GENERATED ---


cdef class XattrPacket:
    """One extended attribute (name and value) of a file: returned by a
    script's getXattr at backup, given to its setXattr at restore."""
    # --- BEGIN GENERATED XattrPacket.fields (tools/gen_packets.py) ---
    cdef str _fname
    cdef object _name
    cdef object _value
    # --- END GENERATED ---

    def __init__(self, fname=None, name=None, value=None):
        self._fname = _str_or_none(fname, "XattrPacket.fname")
        self.name = name
        self.value = value

    def __repr__(self):
        return 'XattrPacket(fname="%s", name="%s", value="%s")' % (
            _c_text(self._fname, "(null)"), _bytearray_text(self._name),
            _bytearray_text(self._value))

    # --- BEGIN GENERATED XattrPacket.properties (tools/gen_packets.py) ---
    @property
    def fname(self):
        """The file (read-only)."""
        return self._fname

    @fname.setter
    def fname(self, value):
        _readonly("XattrPacket.fname")

    @fname.deleter
    def fname(self):
        _readonly("XattrPacket.fname")

    @property
    def name(self):
        """The attribute's name (None: nothing to add in this call)."""
        return self._name

    @name.setter
    def name(self, value):
        self._name = _expect_bytes_like(value, "XattrPacket.name")

    @name.deleter
    def name(self):
        self._name = None

    @property
    def value(self):
        """The attribute's value."""
        return self._value

    @value.setter
    def value(self, value):
        self._value = _expect_bytes_like(value, "XattrPacket.value")

    @value.deleter
    def value(self):
        self._value = None
    # --- END GENERATED ---

    # --- BEGIN GENERATED XattrPacket.pickling (tools/gen_packets.py) ---
    def __reduce__(self):
        return (_copyreg_newobj, (type(self),), (
            self._fname, self._name, self._value,
        ))

    def __setstate__(self, state):
        (
            self._fname, self._name, self._value,
        ) = state
    # --- END GENERATED ---


cdef class RestoreObject:
    """A restore object saved by a plugin at backup time, handed back to the
    script's restore_object_data before the files are restored."""
    # --- BEGIN GENERATED RestoreObject.fields (tools/gen_packets.py) ---
    cdef object _object_name
    cdef object _object
    cdef str _plugin_name
    cdef int32_t _object_type
    cdef int32_t _object_len
    cdef int32_t _object_full_len
    cdef int32_t _object_index
    cdef int32_t _object_compression
    cdef int32_t _stream
    cdef uint32_t _jobid
    # --- END GENERATED ---

    def __init__(self, object_name=None, object=None, plugin_name=None,
                 object_type=0, object_len=0, object_full_len=0, object_index=0,
                 object_compression=0, stream=0, jobid=0):
        self.object_name = object_name
        self.object = object
        self._plugin_name = _str_or_none(plugin_name, "RestoreObject.plugin_name")
        self.object_type = object_type
        self.object_len = object_len
        self.object_full_len = object_full_len
        self.object_index = object_index
        self.object_compression = object_compression
        self.stream = stream
        self.jobid = jobid

    def __repr__(self):
        return ('RestoreObject(object_name="%s", object="%s", plugin_name="%s", '
                'object_type=%d, object_len=%d, object_full_len=%d, '
                'object_index=%d, object_compression=%d, stream=%d, jobid=%d)' % (
                    _str_text(self._object_name), _bytearray_text(self._object),
                    _c_text(self._plugin_name, "(null)"), self._object_type,
                    self._object_len, self._object_full_len, self._object_index,
                    self._object_compression, self._stream, self._jobid))

    # --- BEGIN GENERATED RestoreObject.properties (tools/gen_packets.py) ---
    @property
    def object_name(self):
        """The name the script gave the object."""
        return self._object_name

    @object_name.setter
    def object_name(self, value):
        self._object_name = _expect_str(value, "RestoreObject.object_name")

    @object_name.deleter
    def object_name(self):
        self._object_name = None

    @property
    def object(self):
        """The object's data (``object_len`` bytes; a bytearray)."""
        return self._object

    @object.setter
    def object(self, value):
        self._object = _expect_bytes_like(value, "RestoreObject.object")

    @object.deleter
    def object(self):
        self._object = None

    @property
    def plugin_name(self):
        """The plugin definition that saved it (read-only)."""
        return self._plugin_name

    @plugin_name.setter
    def plugin_name(self, value):
        _readonly("RestoreObject.plugin_name")

    @plugin_name.deleter
    def plugin_name(self):
        _readonly("RestoreObject.plugin_name")

    @property
    def object_type(self):
        """FT_RESTORE_FIRST or FT_PLUGIN_CONFIG."""
        return self._object_type

    @object_type.setter
    def object_type(self, value):
        self._object_type = _i32(value, "RestoreObject.object_type")

    @object_type.deleter
    def object_type(self):
        _undeletable("RestoreObject.object_type")

    @property
    def object_len(self):
        """Length of ``object``."""
        return self._object_len

    @object_len.setter
    def object_len(self, value):
        self._object_len = _i32(value, "RestoreObject.object_len")

    @object_len.deleter
    def object_len(self):
        _undeletable("RestoreObject.object_len")

    @property
    def object_full_len(self):
        """Length before compression."""
        return self._object_full_len

    @object_full_len.setter
    def object_full_len(self, value):
        self._object_full_len = _i32(value, "RestoreObject.object_full_len")

    @object_full_len.deleter
    def object_full_len(self):
        _undeletable("RestoreObject.object_full_len")

    @property
    def object_index(self):
        """The index the script gave it."""
        return self._object_index

    @object_index.setter
    def object_index(self, value):
        self._object_index = _i32(value, "RestoreObject.object_index")

    @object_index.deleter
    def object_index(self):
        _undeletable("RestoreObject.object_index")

    @property
    def object_compression(self):
        """Compression used for storage (0: none)."""
        return self._object_compression

    @object_compression.setter
    def object_compression(self, value):
        self._object_compression = _i32(value, "RestoreObject.object_compression")

    @object_compression.deleter
    def object_compression(self):
        _undeletable("RestoreObject.object_compression")

    @property
    def stream(self):
        """The stream it was stored in."""
        return self._stream

    @stream.setter
    def stream(self, value):
        self._stream = _i32(value, "RestoreObject.stream")

    @stream.deleter
    def stream(self):
        _undeletable("RestoreObject.stream")

    @property
    def jobid(self):
        """The job that saved it."""
        return self._jobid

    @jobid.setter
    def jobid(self, value):
        self._jobid = _u32(value, "RestoreObject.jobid", True)

    @jobid.deleter
    def jobid(self):
        _undeletable("RestoreObject.jobid")
    # --- END GENERATED ---

    # --- BEGIN GENERATED RestoreObject.pickling (tools/gen_packets.py) ---
    def __reduce__(self):
        return (_copyreg_newobj, (type(self),), (
            self._object_name, self._object, self._plugin_name, self._object_type,
            self._object_len, self._object_full_len, self._object_index,
            self._object_compression, self._stream, self._jobid,
        ))

    def __setstate__(self, state):
        (
            self._object_name, self._object, self._plugin_name, self._object_type,
            self._object_len, self._object_full_len, self._object_index,
            self._object_compression, self._stream, self._jobid,
        ) = state
    # --- END GENERATED ---
