# The seven packet types of bareosfd (spec §2.5): the Python side of the
# packets the file daemon core exchanges with a plugin.  Included by
# bareosfd.pyx after common/checks.pxi.
#
# Every attribute is a property over a typed C field (``self._<name>``), so
# that the C <-> Python conversion code elsewhere in the module can read and
# write the fields directly.  The properties validate what scripts assign:
#
# * integers are checked against their C range (OverflowError, never a silent
#   truncation) and cannot be deleted;
# * booleans must be exactly True or False;
# * "S" attributes (C strings filled by the core) are read-only, set only by
#   the constructor, and stored as owned str objects;
# * "O" attributes are type-checked, and ``del`` resets them to None.
#
# The reprs follow the reference's printf formats exactly (see _c_text).

from libc.math cimport floor
from libc.stdint cimport int32_t, int64_t, uint16_t, uint32_t, uint64_t, UINT64_MAX
from libc.time cimport time
from posix.stat cimport S_IFMT, S_IFREG

from bareospy.includes.consts cimport FOPTS_BYTES, FO_MAX


# Constructor keywords of StatPacket, in positional order; each sets the
# attribute "st_" + keyword.
cdef tuple _STAT_KEYWORDS = ("dev", "ino", "mode", "nlink", "uid", "gid", "rdev",
                             "size", "atime", "mtime", "ctime", "blksize", "blocks")
cdef tuple _STAT_TIMES = ("atime", "mtime", "ctime")

# Default of the StatPacket time keywords: the time of construction.
cdef object _NOW = object()


cdef str _c_text(object value, str null=""):
    """``value`` as printf("%s") shows it when the reference holds it as a C
    string: None prints as ``null``; the text stops at the first NUL; the
    contents of bytes-like objects are decoded as UTF-8, bad bytes replaced."""
    if value is None:
        return null
    if isinstance(value, str):
        return value.partition("\0")[0]
    return memoryview(value).tobytes().partition(b"\0")[0].decode("utf-8", "replace")


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


cdef class StatPacket:
    """The ``struct stat`` of a file: set by a script in SavePacket.statp for
    the core to record, and received in RestorePacket.statp.

    StatPacket(dev=0, ino=0, mode=0o100700, nlink=0, uid=0, gid=0, rdev=0,
    size=-1, atime=now, mtime=now, ctime=now, blksize=4096, blocks=1), the
    keywords setting st_dev, st_ino, ...; size=-1 stores 2**64-1 ("unknown").
    StatPacket(os.stat(path)) is StatPacket.from_stat(os.stat(path)).
    """
    cdef uint64_t _st_dev, _st_ino, _st_nlink, _st_rdev, _st_size
    cdef uint64_t _st_blksize, _st_blocks
    cdef uint32_t _st_mode, _st_uid, _st_gid
    cdef int64_t _st_atime, _st_mtime, _st_ctime

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

    @property
    def st_dev(self):
        return self._st_dev

    @st_dev.setter
    def st_dev(self, value):
        self._st_dev = _as_u64(value, "StatPacket.st_dev")

    @st_dev.deleter
    def st_dev(self):
        _undeletable("StatPacket.st_dev")

    @property
    def st_ino(self):
        return self._st_ino

    @st_ino.setter
    def st_ino(self, value):
        self._st_ino = _as_u64(value, "StatPacket.st_ino")

    @st_ino.deleter
    def st_ino(self):
        _undeletable("StatPacket.st_ino")

    @property
    def st_mode(self):
        return self._st_mode

    @st_mode.setter
    def st_mode(self, value):
        self._st_mode = _as_u32(value, "StatPacket.st_mode")

    @st_mode.deleter
    def st_mode(self):
        _undeletable("StatPacket.st_mode")

    @property
    def st_nlink(self):
        return self._st_nlink

    @st_nlink.setter
    def st_nlink(self, value):
        self._st_nlink = _as_u64(value, "StatPacket.st_nlink")

    @st_nlink.deleter
    def st_nlink(self):
        _undeletable("StatPacket.st_nlink")

    @property
    def st_uid(self):
        return self._st_uid

    @st_uid.setter
    def st_uid(self, value):
        self._st_uid = _as_u32(value, "StatPacket.st_uid")

    @st_uid.deleter
    def st_uid(self):
        _undeletable("StatPacket.st_uid")

    @property
    def st_gid(self):
        return self._st_gid

    @st_gid.setter
    def st_gid(self, value):
        self._st_gid = _as_u32(value, "StatPacket.st_gid")

    @st_gid.deleter
    def st_gid(self):
        _undeletable("StatPacket.st_gid")

    @property
    def st_rdev(self):
        return self._st_rdev

    @st_rdev.setter
    def st_rdev(self, value):
        self._st_rdev = _as_u64(value, "StatPacket.st_rdev")

    @st_rdev.deleter
    def st_rdev(self):
        _undeletable("StatPacket.st_rdev")

    @property
    def st_size(self):
        return self._st_size

    @st_size.setter
    def st_size(self, value):
        self._st_size = _as_u64(value, "StatPacket.st_size")

    @st_size.deleter
    def st_size(self):
        _undeletable("StatPacket.st_size")

    @property
    def st_atime(self):
        return self._st_atime

    @st_atime.setter
    def st_atime(self, value):
        self._st_atime = _as_i64(value, "StatPacket.st_atime")

    @st_atime.deleter
    def st_atime(self):
        _undeletable("StatPacket.st_atime")

    @property
    def st_mtime(self):
        return self._st_mtime

    @st_mtime.setter
    def st_mtime(self, value):
        self._st_mtime = _as_i64(value, "StatPacket.st_mtime")

    @st_mtime.deleter
    def st_mtime(self):
        _undeletable("StatPacket.st_mtime")

    @property
    def st_ctime(self):
        return self._st_ctime

    @st_ctime.setter
    def st_ctime(self, value):
        self._st_ctime = _as_i64(value, "StatPacket.st_ctime")

    @st_ctime.deleter
    def st_ctime(self):
        _undeletable("StatPacket.st_ctime")

    @property
    def st_blksize(self):
        return self._st_blksize

    @st_blksize.setter
    def st_blksize(self, value):
        self._st_blksize = _as_u64(value, "StatPacket.st_blksize")

    @st_blksize.deleter
    def st_blksize(self):
        _undeletable("StatPacket.st_blksize")

    @property
    def st_blocks(self):
        return self._st_blocks

    @st_blocks.setter
    def st_blocks(self, value):
        self._st_blocks = _as_u64(value, "StatPacket.st_blocks")

    @st_blocks.deleter
    def st_blocks(self):
        _undeletable("StatPacket.st_blocks")


cdef class SavePacket:
    """What the core should back up next: filled in by a script's
    startBackupFile (and seen by handleBackupFile for option plugins)."""
    cdef str _fname, _link, _cmd, _object_name
    cdef StatPacket _statp
    cdef int32_t _type, _object_len, _object_index
    cdef object _flags, _object
    cdef bint _no_read, _portable, _accurate_found
    cdef int64_t _save_time
    cdef uint32_t _delta_seq

    def __init__(self, fname=None, link=None, type=0, flags=None, no_read=False,
                 portable=False, accurate_found=False, cmd=None, save_time=0,
                 delta_seq=0, object_name=None, object=None, object_len=0,
                 object_index=0):
        self.fname = fname
        self.link = link
        self.type = type
        self.flags = flags
        self.no_read = no_read
        self.portable = portable
        self.accurate_found = accurate_found
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
                    _c_text(self._fname), _c_text(self._link), self._type,
                    _flags_text(self._flags), self._no_read, self._portable,
                    self._accurate_found, _c_text(self._cmd, "(null)"),
                    self._save_time, self._delta_seq, _c_text(self._object_name),
                    _c_text(self._object), self._object_len, self._object_index))

    @property
    def fname(self):
        return self._fname

    @fname.setter
    def fname(self, value):
        self._fname = _str_or_none(value, "SavePacket.fname")

    @fname.deleter
    def fname(self):
        self._fname = None

    @property
    def link(self):
        return self._link

    @link.setter
    def link(self, value):
        self._link = _str_or_none(value, "SavePacket.link")

    @link.deleter
    def link(self):
        self._link = None

    @property
    def statp(self):
        return self._statp

    @statp.setter
    def statp(self, value):
        self._statp = _instance_or_none(value, "SavePacket.statp", StatPacket)

    @statp.deleter
    def statp(self):
        self._statp = None

    @property
    def type(self):
        return self._type

    @type.setter
    def type(self, value):
        self._type = _as_i32(value, "SavePacket.type")

    @type.deleter
    def type(self):
        _undeletable("SavePacket.type")

    @property
    def flags(self):
        return self._flags

    @flags.setter
    def flags(self, value):
        self._flags = _bytearray_or_none(value, "SavePacket.flags", FOPTS_BYTES)

    @flags.deleter
    def flags(self):
        self._flags = None

    @property
    def no_read(self):
        return self._no_read

    @no_read.setter
    def no_read(self, value):
        self._no_read = _as_bool_strict(value, "SavePacket.no_read")

    @no_read.deleter
    def no_read(self):
        _undeletable("SavePacket.no_read")

    @property
    def portable(self):
        return self._portable

    @portable.setter
    def portable(self, value):
        self._portable = _as_bool_strict(value, "SavePacket.portable")

    @portable.deleter
    def portable(self):
        _undeletable("SavePacket.portable")

    @property
    def accurate_found(self):
        return self._accurate_found

    @accurate_found.setter
    def accurate_found(self, value):
        self._accurate_found = _as_bool_strict(value, "SavePacket.accurate_found")

    @accurate_found.deleter
    def accurate_found(self):
        _undeletable("SavePacket.accurate_found")

    @property
    def cmd(self):
        return self._cmd

    @cmd.setter
    def cmd(self, value):
        _readonly("SavePacket.cmd")

    @cmd.deleter
    def cmd(self):
        _readonly("SavePacket.cmd")

    @property
    def save_time(self):
        return self._save_time

    @save_time.setter
    def save_time(self, value):
        self._save_time = _as_i64(value, "SavePacket.save_time")

    @save_time.deleter
    def save_time(self):
        _undeletable("SavePacket.save_time")

    @property
    def delta_seq(self):
        return self._delta_seq

    @delta_seq.setter
    def delta_seq(self, value):
        self._delta_seq = _as_u32(value, "SavePacket.delta_seq")

    @delta_seq.deleter
    def delta_seq(self):
        _undeletable("SavePacket.delta_seq")

    @property
    def object_name(self):
        return self._object_name

    @object_name.setter
    def object_name(self, value):
        self._object_name = _str_or_none(value, "SavePacket.object_name")

    @object_name.deleter
    def object_name(self):
        self._object_name = None

    @property
    def object(self):
        return self._object

    @object.setter
    def object(self, value):
        self._object = _bytes_like_or_none(value, "SavePacket.object")

    @object.deleter
    def object(self):
        self._object = None

    @property
    def object_len(self):
        return self._object_len

    @object_len.setter
    def object_len(self, value):
        self._object_len = _as_i32(value, "SavePacket.object_len")

    @object_len.deleter
    def object_len(self):
        _undeletable("SavePacket.object_len")

    @property
    def object_index(self):
        return self._object_index

    @object_index.setter
    def object_index(self, value):
        self._object_index = _as_i32(value, "SavePacket.object_index")

    @object_index.deleter
    def object_index(self):
        _undeletable("SavePacket.object_index")
