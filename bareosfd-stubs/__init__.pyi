"""Type stubs for ``bareosfd``, the module a Bareos file daemon Python plugin imports.

The module exists inside the daemon (through python3-fd.so) and stand-alone
(``import bareosfd`` in a test, with ``bareospy.testing.FakeCore`` active).
Every function takes positional arguments only.  Outside a daemon or an
active fake core every function raises ``RuntimeError``.  Return codes are
plain ints (``bRC_*``).  See docs/plugin-api.md for what each name means and
when the daemon calls a script.

Packet attributes are typed as a script receives them from the daemon: a
packet built with its constructor starts with None where the daemon always
gives a value (``RestorePacket.ofname``, ``RestorePacket.statp``, ...).
"""
import os
from typing import Any, Dict, Final, Iterable, Optional, Union

#: What a packet attribute that carries raw data accepts (bytearray in the reference).
_Bytes = Union[bytes, bytearray, memoryview]

__version__: str
"""bareospy's version (the same as ``bareospy.__version__``)."""

# -- Return codes (bRC): what a function returns to the daemon.
bRC_OK: Final = 0
bRC_Stop: Final = 1
bRC_Error: Final = 2
bRC_More: Final = 3
bRC_Term: Final = 4
bRC_Seen: Final = 5
bRC_Core: Final = 6
bRC_Skip: Final = 7
bRC_Cancel: Final = 8

# -- Job message types for JobMessage().
M_ABORT: Final = 1
M_DEBUG: Final = 2
M_FATAL: Final = 3
M_ERROR: Final = 4
M_WARNING: Final = 5
M_INFO: Final = 6
M_SAVED: Final = 7
M_NOTSAVED: Final = 8
M_SKIPPED: Final = 9
M_MOUNT: Final = 10
M_ERROR_TERM: Final = 11
M_TERM: Final = 12
M_RESTORED: Final = 13
M_SECURITY: Final = 14
M_ALERT: Final = 15
M_VOLMGMT: Final = 16

# -- Core variables for GetValue()/SetValue().
bVarJobId: Final = 1
bVarFDName: Final = 2
bVarLevel: Final = 3
bVarType: Final = 4
bVarClient: Final = 5
bVarJobName: Final = 6
bVarJobStatus: Final = 7
bVarSinceTime: Final = 8
bVarAccurate: Final = 9
bVarFileSeen: Final = 10
bVarVssClient: Final = 11
bVarWorkingDir: Final = 12
bVarWhere: Final = 13
bVarRegexWhere: Final = 14
bVarExePath: Final = 15
bVarVersion: Final = 16
bVarDistName: Final = 17
bVarPrevJobName: Final = 18
bVarPrefixLinks: Final = 19
bVarCheckChanges: Final = 20
bVarUsedConfig: Final = 21
bVarAccurateOptions: Final = 23

# -- Bits of GetValue(bVarAccurateOptions) (the set holds the set bits).
bAccurateOptionInode: Final = 1
bAccurateOptionPermissions: Final = 2
bAccurateOptionNlink: Final = 4
bAccurateOptionUid: Final = 8
bAccurateOptionGid: Final = 16
bAccurateOptionSize: Final = 32
bAccurateOptionAtime: Final = 64
bAccurateOptionMtime: Final = 128
bAccurateOptionCtime: Final = 256
bAccurateOptionSizeDecrease: Final = 512
bAccurateOptionAlways: Final = 1024
bAccurateOptionMD5: Final = 2048
bAccurateOptionSha1: Final = 4096

# -- Events (RegisterEvents(), handle_plugin_event()).
bEventJobStart: Final = 1
bEventJobEnd: Final = 2
bEventStartBackupJob: Final = 3
bEventEndBackupJob: Final = 4
bEventStartRestoreJob: Final = 5
bEventEndRestoreJob: Final = 6
bEventStartVerifyJob: Final = 7
bEventEndVerifyJob: Final = 8
bEventBackupCommand: Final = 9
bEventRestoreCommand: Final = 10
bEventEstimateCommand: Final = 11
bEventLevel: Final = 12
bEventSince: Final = 13
bEventCancelCommand: Final = 14
bEventRestoreObject: Final = 15
bEventEndFileSet: Final = 16
bEventPluginCommand: Final = 17
bEventOptionPlugin: Final = 18
bEventHandleBackupFile: Final = 19
bEventNewPluginOptions: Final = 20
bEventVssInitializeForBackup: Final = 21
bEventVssInitializeForRestore: Final = 22
bEventVssSetBackupState: Final = 23
bEventVssPrepareForBackup: Final = 24
bEventVssBackupAddComponents: Final = 25
bEventVssPrepareSnapshot: Final = 26
bEventVssCreateSnapshots: Final = 27
bEventVssRestoreLoadComponentMetadata: Final = 28
bEventVssRestoreSetComponentsSelected: Final = 29
bEventVssCloseRestore: Final = 30
bEventVssBackupComplete: Final = 31

# -- File types (SavePacket.type, RestorePacket.type).
FT_LNKSAVED: Final = 1
FT_REGE: Final = 2
FT_REG: Final = 3
FT_LNK: Final = 4
FT_DIREND: Final = 5
FT_SPEC: Final = 6
FT_NOACCESS: Final = 7
FT_NOFOLLOW: Final = 8
FT_NOSTAT: Final = 9
FT_NOCHG: Final = 10
FT_DIRNOCHG: Final = 11
FT_ISARCH: Final = 12
FT_NORECURSE: Final = 13
FT_NOFSCHG: Final = 14
FT_NOOPEN: Final = 15
FT_RAW: Final = 16
FT_FIFO: Final = 17
FT_DIRBEGIN: Final = 18
FT_INVALIDFS: Final = 19
FT_INVALIDDT: Final = 20
FT_REPARSE: Final = 21
FT_PLUGIN: Final = 22
FT_DELETED: Final = 23
FT_BASE: Final = 24
FT_RESTORE_FIRST: Final = 25
FT_JUNCTION: Final = 26
FT_PLUGIN_CONFIG: Final = 27
FT_PLUGIN_CONFIG_FILLED: Final = 28

# -- create_file() outcomes (RestorePacket.create_status).
CF_SKIP: Final = 1
CF_ERROR: Final = 2
CF_EXTRACT: Final = 3
CF_CREATED: Final = 4
CF_CORE: Final = 5

# -- plugin_io() operations (IoPacket.func).
IO_OPEN: Final = 1
IO_READ: Final = 2
IO_WRITE: Final = 3
IO_CLOSE: Final = 4
IO_SEEK: Final = 5

# -- IO_OPEN answers (IoPacket.status).
iostat_error: Final = -1
iostat_do_in_plugin: Final = 0
iostat_do_in_core: Final = 1

# -- Backup levels as one-character strings (the bLevels dictionary maps b"L_FULL" to b"F").
L_NONE: Final = ' '
L_VERIFY_DATA: Final = 'A'
L_BASE: Final = 'B'
L_VERIFY_CATALOG: Final = 'C'
L_DIFFERENTIAL: Final = 'D'
L_FULL: Final = 'F'
L_INCREMENTAL: Final = 'I'
L_VERIFY_VOLUME_TO_CATALOG: Final = 'O'
L_SINCE: Final = 'S'
L_VERIFY_INIT: Final = 'V'
L_VERIFY_DISK_TO_CATALOG: Final = 'd'
L_VIRTUAL_FULL: Final = 'f'

# -- The same constants as dictionaries keyed by the bytes of the name
#    (bRCs[b"bRC_OK"] == 0; bLevels maps bytes to bytes: bLevels[b"L_FULL"] == b"F").
bRCs: Dict[bytes, int]
bJobMessageType: Dict[bytes, int]
bVariable: Dict[bytes, int]
bAccurateOption: Dict[bytes, int]
bEventType: Dict[bytes, int]
bFileType: Dict[bytes, int]
bCFs: Dict[bytes, int]
bIOPS: Dict[bytes, int]
bIOPstatus: Dict[bytes, int]
bLevels: Dict[bytes, bytes]


# -- Packets ------------------------------------------------------------------

class StatPacket:
    """The ``struct stat`` of a file: set by a script in ``SavePacket.statp``
    for the daemon to record; received in ``RestorePacket.statp``.

    ``StatPacket(os.stat(path))`` is ``StatPacket.from_stat(os.stat(path))``.
    The keywords have no ``st_`` prefix; ``size=-1`` means "unknown" (2**64-1).
    """

    st_dev: int
    """Device of the file (as os.stat's st_dev)."""
    st_ino: int
    """Inode number; with st_dev, what the daemon uses to detect hard links."""
    st_mode: int
    """File type and permission bits (S_IFREG | 0o644, ...); default S_IFREG | 0o700."""
    st_nlink: int
    """Number of hard links; above 1 the daemon looks for the other names."""
    st_uid: int
    """Owner user id."""
    st_gid: int
    """Owner group id."""
    st_rdev: int
    """Device number of a character or block device."""
    st_size: int
    """Size in bytes (the estimate adds it up); default 2**64-1."""
    st_atime: int
    """Access time, whole seconds since the epoch; default: now."""
    st_mtime: int
    """Modification time, whole seconds; what Incremental/Differential compare."""
    st_ctime: int
    """Status change time, whole seconds."""
    st_blksize: int
    """Preferred I/O block size; default 4096."""
    st_blocks: int
    """Number of 512-byte blocks; default 1."""

    def __init__(
        self,
        dev: Union[int, "os.stat_result"] = ...,
        ino: int = ...,
        mode: int = ...,
        nlink: int = ...,
        uid: int = ...,
        gid: int = ...,
        rdev: int = ...,
        size: int = ...,
        atime: int = ...,
        mtime: int = ...,
        ctime: int = ...,
        blksize: int = ...,
        blocks: int = ...,
    ) -> None: ...
    @classmethod
    def from_stat(cls, st: Any, /) -> "StatPacket":
        """Every ``st_*`` field of ``st`` (an os.stat_result, or any object with
        such attributes); times become whole seconds, rounded down."""


class SavePacket:
    """One file (or restore object) of a backup: filled by ``start_backup_file``
    and read by the daemon; given with real file data to ``handle_backup_file``."""

    fname: Optional[str]
    """The file's name in the backup (required for every file and object)."""
    link: Optional[str]
    """Symlink target (FT_LNK), first name of a hard link (FT_LNKSAVED); for
    FT_DIREND the directory's name with a trailing '/' (stored as its name)."""
    statp: Optional[StatPacket]
    """The attributes to record; required (None at the call)."""
    type: int
    """An FT_* constant; 0 (unset) is a fatal error after bRC_OK."""
    flags: Optional[bytearray]
    """The FileSet option bits of the plugin entry (5 bytes); given, rarely changed."""
    no_read: bool
    """True: no data (no plugin_io calls) for this file."""
    portable: bool
    """Whether the data is portable (given; not copied back)."""
    accurate_found: bool
    """Set by CheckChanges(): the file is in the accurate list."""
    @property
    def cmd(self) -> Optional[str]:
        """The plugin definition this entry comes from (read-only)."""
    save_time: int
    """Reference time for this file's change check (0: the job's since time)."""
    delta_seq: int
    """Delta sequence number (set by CheckChanges())."""
    object_name: Optional[str]
    """Name of a restore object (FT_RESTORE_FIRST, FT_PLUGIN_CONFIG)."""
    object: Optional[_Bytes]
    """Data of a restore object."""
    object_len: int
    """How many bytes of ``object`` to save (must be > 0 for an object)."""
    object_index: int
    """Index of the restore object, chosen by the script."""

    def __init__(
        self,
        fname: Optional[str] = ...,
        link: Optional[str] = ...,
        type: int = ...,
        flags: Optional[bytearray] = ...,
        no_read: bool = ...,
        portable: bool = ...,
        accurate_found: bool = ...,
        cmd: Optional[str] = ...,
        save_time: int = ...,
        delta_seq: int = ...,
        object_name: Optional[str] = ...,
        object: Optional[_Bytes] = ...,
        object_len: int = ...,
        object_index: int = ...,
    ) -> None: ...


class RestorePacket:
    """One file being restored: given to ``create_file`` (which sets
    ``create_status``) and to ``set_file_attributes``."""

    stream: int
    """The stream the attributes came in."""
    data_stream: int
    """The stream the data will come in."""
    type: int
    """The file's FT_* type at backup."""
    file_index: int
    """The file's index in the backup."""
    linkFI: int
    """File index of the hard link's first name."""
    uid: int
    """Owner user id."""
    statp: StatPacket
    """The attributes recorded at backup."""
    @property
    def attrEX(self) -> Optional[str]:
        """Extended attributes text recorded at backup (read-only)."""
    @property
    def ofname(self) -> str:
        """Where to restore: the name with ``where`` applied (read-only)."""
    @property
    def olname(self) -> Optional[str]:
        """Link target (FT_LNK) or the restored first name of a hard link
        (FT_LNKSAVED), with ``where`` applied (read-only)."""
    @property
    def where(self) -> Optional[str]:
        """The restore job's ``where`` prefix (read-only)."""
    @property
    def regexwhere(self) -> Optional[str]:
        """The restore job's ``regexwhere`` (read-only)."""
    replace: int
    """The replace policy, as the code of a character ('a' always, 'n' never, ...)."""
    create_status: int
    """Set by create_file: a CF_* constant (preset to CF_ERROR)."""
    filedes: int
    """Leave at -1 (IO_OPEN decides the descriptor)."""
    @property
    def original_file_name(self) -> Optional[str]:
        """The name at backup, without ``where`` (read-only)."""
    @property
    def original_link_name(self) -> Optional[str]:
        """The link target at backup, without ``where`` (read-only)."""

    def __init__(
        self,
        stream: int = ...,
        data_stream: int = ...,
        type: int = ...,
        file_index: int = ...,
        linkFI: int = ...,
        uid: int = ...,
        statp: Optional[StatPacket] = ...,
        attrEX: Optional[str] = ...,
        ofname: Optional[str] = ...,
        olname: Optional[str] = ...,
        where: Optional[str] = ...,
        regexwhere: Optional[str] = ...,
        replace: int = ...,
        create_status: int = ...,
        filedes: int = ...,
        original_file_name: Optional[str] = ...,
        original_link_name: Optional[str] = ...,
    ) -> None: ...


class IoPacket:
    """One I/O request given to ``plugin_io``; the script answers in
    ``status`` (and ``buf``, ``filedes``, ``io_errno``)."""

    func: int
    """IO_OPEN, IO_READ, IO_WRITE, IO_CLOSE or IO_SEEK."""
    count: int
    """IO_READ: the most bytes to return; IO_WRITE: the bytes in ``buf``."""
    flags: int
    """IO_OPEN: os.O_* flags (O_RDONLY at backup; O_WRONLY|O_CREAT|... at restore)."""
    mode: int
    """IO_OPEN: permission bits for a created file."""
    buf: Optional[_Bytes]
    """IO_READ: set it to the data read; IO_WRITE: the data to write."""
    @property
    def window(self) -> Optional[memoryview]:
        """bareospy extension: the daemon's own data block during one
        plugin_io call (writable for IO_READ, read-only for IO_WRITE)."""
    @property
    def fname(self) -> Optional[str]:
        """IO_OPEN: the file to open (read-only)."""
    status: int
    """The answer: IO_OPEN iostat_*; IO_READ bytes read (0 = end, < 0 error);
    IO_WRITE bytes written (must equal ``count``)."""
    io_errno: int
    """An errno value explaining a failure."""
    lerror: int
    """Windows error code (unused on POSIX)."""
    whence: int
    """IO_SEEK: os.SEEK_SET, SEEK_CUR or SEEK_END."""
    offset: int
    """IO_SEEK: the target offset (not copied back)."""
    win32: bool
    """True if ``lerror`` holds a Windows error."""
    filedes: int
    """IO_OPEN with iostat_do_in_core: the descriptor the daemon reads/writes."""

    def __init__(
        self,
        func: int = ...,
        count: int = ...,
        flags: int = ...,
        mode: int = ...,
        buf: Optional[_Bytes] = ...,
        fname: Optional[str] = ...,
        status: int = ...,
        io_errno: int = ...,
        lerror: int = ...,
        whence: int = ...,
        offset: int = ...,
        win32: bool = ...,
        filedes: int = ...,
    ) -> None: ...


class AclPacket:
    """The ACL of one file: ``get_acl`` sets ``content`` at backup,
    ``set_acl`` receives it at restore."""

    @property
    def fname(self) -> str:
        """The file (read-only)."""
    content: Optional[_Bytes]
    """The ACL as bytes (None or empty: nothing to save)."""

    def __init__(self, fname: Optional[str] = ..., content: Optional[_Bytes] = ...) -> None: ...


class XattrPacket:
    """One extended attribute of a file: ``get_xattr`` sets ``name`` and
    ``value`` at backup, ``set_xattr`` receives them at restore."""

    @property
    def fname(self) -> str:
        """The file (read-only)."""
    name: Optional[_Bytes]
    """The attribute's name (None: nothing to add in this call)."""
    value: Optional[_Bytes]
    """The attribute's value."""

    def __init__(
        self, fname: Optional[str] = ..., name: Optional[_Bytes] = ..., value: Optional[_Bytes] = ...
    ) -> None: ...


class RestoreObject:
    """A restore object saved by a plugin, given back to ``restore_object_data``
    at restore (and, for FT_PLUGIN_CONFIG, at the next Incremental)."""

    object_name: str
    """The name the script gave the object."""
    object: _Bytes
    """The object's data (``object_len`` bytes; a bytearray)."""
    @property
    def plugin_name(self) -> str:
        """The plugin definition that saved it (read-only)."""
    object_type: int
    """FT_RESTORE_FIRST or FT_PLUGIN_CONFIG."""
    object_len: int
    """Length of ``object``."""
    object_full_len: int
    """Length before compression."""
    object_index: int
    """The index the script gave it."""
    object_compression: int
    """Compression used for storage (0: none)."""
    stream: int
    """The stream it was stored in."""
    jobid: int
    """The job that saved it."""

    def __init__(
        self,
        object_name: Optional[str] = ...,
        object: Optional[_Bytes] = ...,
        plugin_name: Optional[str] = ...,
        object_type: int = ...,
        object_len: int = ...,
        object_full_len: int = ...,
        object_index: int = ...,
        object_compression: int = ...,
        stream: int = ...,
        jobid: int = ...,
    ) -> None: ...


# -- Functions (positional arguments only) -------------------------------------

def GetValue(variable: int, /) -> Any:
    """A core variable (bVar*): str, int, bool, frozenset[int] or None."""
def SetValue(variable: int, value: object, /) -> int:
    """Set bVarSinceTime (int), bVarCheckChanges (True/False) or bVarFileSeen (a path)."""
def DebugMessage(level: int, msg: Optional[str] = None, /) -> None:
    """Write ``msg`` (end it with a newline) to the debug log at ``level``."""
def JobMessage(type: int, msg: Optional[str] = None, /) -> None:
    """Add ``msg`` to the job's messages; ``type`` is M_* (M_FATAL fails the job)."""
def RegisterEvents(events: Iterable[int], /) -> int:
    """Ask for the bEvent* numbers in ``events``."""
def UnRegisterEvents(events: Iterable[int], /) -> int:
    """Stop the bEvent* numbers in ``events``."""
def GetInstanceCount() -> Optional[int]:
    """How many instances of the plugin the daemon runs."""
def AddExclude(file: Optional[str] = None, /) -> int:
    """Exclude ``file`` from the FileSet (while it is built)."""
def AddInclude(file: Optional[str] = None, /) -> int:
    """Include ``file`` in the FileSet (while it is built)."""
def AddOptions(opts: Optional[str] = None, /) -> int:
    """Add FileSet option letters to the current Options block."""
def AddRegex(item: Optional[str] = None, type: int = 32, /) -> int:
    """Add a regular expression (``type``: ord(' '), ord('D') or ord('F'))."""
def AddWild(item: Optional[str] = None, type: int = 32, /) -> int:
    """Add a wildcard (``type``: ord(' '), ord('D'), ord('F') or ord('B'))."""
def NewOptions() -> int:
    """Start a new Options block."""
def NewInclude() -> int:
    """Start a new Include block."""
def NewPreInclude() -> int:
    """Start a new pre-Include block."""
def CheckChanges(savepkt: SavePacket, /) -> int:
    """bRC_OK if the file changed since the reference time, bRC_Seen if not."""
def AcceptFile(savepkt: SavePacket, /) -> int:
    """bRC_OK if the FileSet accepts ``savepkt.fname``, bRC_Skip if it excludes it."""
def SetSeenBitmap(all: object, fname: Optional[str] = None, /) -> int:
    """Mark every file (``all`` true) or ``fname`` as seen (accurate mode)."""
def ClearSeenBitmap(all: object, fname: Optional[str] = None, /) -> int:
    """Clear the seen mark of every file (``all`` true) or of ``fname``."""
