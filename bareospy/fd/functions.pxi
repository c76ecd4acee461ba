# bareosfd's own module functions (spec §2.2, §2.3): values, FileSet building,
# change detection and the accurate "seen" bitmap.

from libc.string cimport memset
from libc.stdint cimport uint64_t
from posix.stat cimport struct_stat

# GetValue: how the core answers each variable (spec §1.6.3).
_STRING_VARIABLES = frozenset((
    bVarFDName, bVarWorkingDir, bVarUsedConfig, bVarExePath, bVarVersion,
    bVarClient, bVarJobName, bVarPrevJobName, bVarWhere, bVarRegexWhere,
    bVarPluginPath,
))
_INT_VARIABLES = frozenset((
    bVarJobId, bVarLevel, bVarType, bVarJobStatus, bVarAccurate, bVarPrefixLinks,
))
# Known variables that have no Python value (write-only, Windows-only, or
# always refused by the core).
_VALUELESS_VARIABLES = frozenset((bVarFileSeen, bVarVssClient, bVarDistName))


def GetValue(variable, /):
    """The value of core variable ``var`` (a bVar* constant), or None.

    bVarSinceTime comes from this instance's own copy (bEventSince or SetValue).
    """
    cdef int var = _as_i32(variable, "bareosfd.GetValue() argument 'var'")
    cdef PluginContext* ctx = _require_context("GetValue")
    if var == bVarSinceTime:
        state = _instance_of(ctx)
        return 0 if state is None else (<_FdInstance>state).since
    if var in _STRING_VARIABLES:
        return _get_string(ctx, var)
    if var in _INT_VARIABLES:
        return _get_int(ctx, var)
    if var == bVarCheckChanges:
        return _get_bool(ctx, var)
    if var == bVarAccurateOptions:
        return _get_accurate_options(ctx)
    if var not in _VALUELESS_VARIABLES:
        _debug_note(f"GetValue(): unknown variable {var}")
    return None


cdef object _get_string(PluginContext* ctx, int var):
    cdef char* text = NULL
    if _fd_core.getBareosValue(ctx, <bVariable>var, &text) != bRC_OK:
        return None
    return _decode_c_string(text)


cdef object _get_int(PluginContext* ctx, int var):
    cdef int number = 0
    if _fd_core.getBareosValue(ctx, <bVariable>var, &number) != bRC_OK:
        return None
    return number


cdef object _get_bool(PluginContext* ctx, int var):
    cdef bint flag = False
    cdef cbool value = False
    if _fd_core.getBareosValue(ctx, <bVariable>var, &value) != bRC_OK:
        return None
    flag = value
    return True if flag else False


cdef object _get_accurate_options(PluginContext* ctx):
    cdef uint64_t bits = 0
    if _fd_core.getBareosValue(ctx, bVarAccurateOptions, &bits) != bRC_OK:
        return None
    return frozenset(value for _, value in _ACCURATE_OPTION_PAIRS if bits & <uint64_t>value)


def SetValue(variable, value, /):
    """Set core variable ``var``; returns a bRC.

    Handled: bVarSinceTime (this instance's reference time for the automatic
    change check), bVarCheckChanges (``True`` enables the core's check, anything
    else disables it) and bVarFileSeen (a path to mark seen in accurate mode).
    """
    cdef int var = _as_i32(variable, "bareosfd.SetValue() argument 'var'")
    cdef bytes path
    cdef cbool flag
    if var == bVarFileSeen:
        path = _encode_path("SetValue", "the bVarFileSeen value", value)
    cdef PluginContext* ctx = _require_context("SetValue")
    if var == bVarSinceTime:
        return _set_since(ctx, value)
    if var == bVarCheckChanges:
        flag = value is True
        return <int>_fd_core.setBareosValue(ctx, bVarCheckChanges, &flag)
    if var == bVarFileSeen:
        return <int>_fd_core.setBareosValue(ctx, bVarFileSeen, <const char*>path)
    _debug_note(f"SetValue(): variable {var} cannot be set")
    return <int>bRC_Error


cdef int _set_since(PluginContext* ctx, value) except -1:
    state = _instance_of(ctx)
    if state is None:
        _debug_note("SetValue(bVarSinceTime): this context has no instance state")
        return bRC_Error
    (<_FdInstance>state).since = int(value)
    return bRC_OK


cdef bytes _optional_text(str function, value):
    """None stays None (the call then answers bRC_Error); a str becomes bytes."""
    if value is None:
        return None
    return _encode_path(function, "the argument", value)


def AddExclude(file=None, /):
    """Exclude ``file`` from the job's FileSet (only while the FileSet is built)."""
    cdef bytes text = _optional_text("AddExclude", file)
    cdef PluginContext* ctx = _require_context("AddExclude")
    if text is None:
        return <int>bRC_Error
    return <int>_fd_core.AddExclude(ctx, text)


def AddInclude(file=None, /):
    """Include ``file`` in the current (or the plugin's pre-)Include block."""
    cdef bytes text = _optional_text("AddInclude", file)
    cdef PluginContext* ctx = _require_context("AddInclude")
    if text is None:
        return <int>bRC_Error
    return <int>_fd_core.AddInclude(ctx, text)


def AddOptions(opts=None, /):
    """Add FileSet option letters to the current Options block."""
    cdef bytes text = _optional_text("AddOptions", opts)
    cdef PluginContext* ctx = _require_context("AddOptions")
    if text is None:
        return <int>bRC_Error
    return <int>_fd_core.AddOptions(ctx, text)


def AddRegex(item=None, type=ord(" "), /):
    """Add a regular expression; ``type`` is ord(' ') any, ord('D') dirs, ord('F') files."""
    cdef bytes text = _optional_text("AddRegex", item)
    cdef int kind = _as_i32(type, "bareosfd.AddRegex() argument 'type'")
    cdef PluginContext* ctx = _require_context("AddRegex")
    if text is None:
        return <int>bRC_Error
    return <int>_fd_core.AddRegex(ctx, text, kind)


def AddWild(item=None, type=ord(" "), /):
    """Add a wildcard; ``type`` is ord(' '), ord('D'), ord('F') or ord('B') (basename)."""
    cdef bytes text = _optional_text("AddWild", item)
    cdef int kind = _as_i32(type, "bareosfd.AddWild() argument 'type'")
    cdef PluginContext* ctx = _require_context("AddWild")
    if text is None:
        return <int>bRC_Error
    return <int>_fd_core.AddWild(ctx, text, kind)


def NewOptions():
    """Start a new Options block in the current Include."""
    return <int>_fd_core.NewOptions(_require_context("NewOptions"))


def NewInclude():
    """Start a new Include block."""
    return <int>_fd_core.NewInclude(_require_context("NewInclude"))


def NewPreInclude():
    """Start a new pre-Include block; it becomes the plugin's include context."""
    return <int>_fd_core.NewPreInclude(_require_context("NewPreInclude"))


cdef object _require_save_packet(str function, savepkt):
    if not isinstance(savepkt, SavePacket):
        raise TypeError(f"bareosfd.{function}(): expected a SavePacket, "
                        f"not {type(savepkt).__name__}")
    return savepkt


def CheckChanges(savepkt, /):
    """Ask the core whether the file in ``savepkt`` changed since the reference time.

    Returns bRC_OK (changed: back it up) or bRC_Seen (unchanged); writes
    ``delta_seq`` and ``accurate_found`` back into ``savepkt``.  Unlike the
    reference, ``statp`` is passed to the core too, so it compares real values.
    """
    _require_save_packet("CheckChanges", savepkt)
    cdef PluginContext* ctx = _require_context("CheckChanges")
    if not isinstance(savepkt.fname, str):
        return <int>bRC_Error
    cdef save_pkt sp
    keep = _save_pkt_for_query(savepkt, &sp)
    cdef bRC rc = _fd_core.checkChanges(ctx, &sp)
    savepkt.delta_seq = sp.delta_seq
    savepkt.accurate_found = True if sp.accurate_found else False
    return <int>rc


def AcceptFile(savepkt, /):
    """Whether the FileSet's include/exclude rules accept ``savepkt.fname``.

    Returns bRC_OK (accepted), bRC_Skip (excluded) or bRC_Error (``fname`` or
    ``statp`` missing).
    """
    _require_save_packet("AcceptFile", savepkt)
    cdef PluginContext* ctx = _require_context("AcceptFile")
    if not isinstance(savepkt.fname, str) or savepkt.statp is None:
        return <int>bRC_Error
    cdef save_pkt sp
    keep = _save_pkt_for_query(savepkt, &sp)
    return <int>_fd_core.AcceptFile(ctx, &sp)


cdef tuple _save_pkt_for_query(savepkt, save_pkt* sp):
    """Fill ``sp`` from ``savepkt`` for a core query; returns what keeps its strings alive."""
    memset(sp, 0, sizeof(save_pkt))
    sp.pkt_size = sizeof(save_pkt)
    sp.pkt_end = sizeof(save_pkt)
    fname = (<str>savepkt.fname).encode("utf-8", "surrogateescape")
    sp.fname = fname
    link = None
    if isinstance(savepkt.link, str):
        link = (<str>savepkt.link).encode("utf-8", "surrogateescape")
        sp.link = link
    sp.type = savepkt.type
    sp.save_time = savepkt.save_time
    if savepkt.statp is not None:
        _stat_to_c(savepkt.statp, &sp.statp)
    return (fname, link)


cdef void _stat_to_c(statp, struct_stat* out) except *:
    """Copy a StatPacket into a ``struct stat`` (C narrowing where the host's fields are narrower)."""
    out.st_dev = statp.st_dev
    out.st_ino = statp.st_ino
    out.st_mode = statp.st_mode
    out.st_nlink = statp.st_nlink
    out.st_uid = statp.st_uid
    out.st_gid = statp.st_gid
    out.st_rdev = statp.st_rdev
    out.st_size = <long long>(<unsigned long long>statp.st_size)
    out.st_atime = statp.st_atime
    out.st_mtime = statp.st_mtime
    out.st_ctime = statp.st_ctime
    out.st_blksize = statp.st_blksize
    out.st_blocks = statp.st_blocks


cdef bytes _optional_fname(str function, fname):
    if fname is None:
        return None
    return _encode_path(function, "fname", fname)


def SetSeenBitmap(all, fname=None, /):
    """Mark every file (``all`` true) or ``fname`` as seen in the accurate list."""
    cdef bytes text = _optional_fname("SetSeenBitmap", fname)
    cdef PluginContext* ctx = _require_context("SetSeenBitmap")
    return <int>_fd_core.SetSeenBitmap(ctx, (True if all else False), NULL if text is None else <char*>text)


def ClearSeenBitmap(all, fname=None, /):
    """Clear the seen mark of every file (``all`` true) or of ``fname``."""
    cdef bytes text = _optional_fname("ClearSeenBitmap", fname)
    cdef PluginContext* ctx = _require_context("ClearSeenBitmap")
    return <int>_fd_core.ClearSeenBitmap(ctx, (True if all else False), NULL if text is None else <char*>text)
