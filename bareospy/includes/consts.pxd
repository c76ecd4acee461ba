# Cython mirror of include/bareospy/consts.h: constants shared by all
# daemons.  Declarations only; every value comes from the C header.

from libc.stdint cimport uint64_t


cdef extern from "bareospy/consts.h" nogil:

    ctypedef enum FileType:
        FT_LNKSAVED
        FT_REGE
        FT_REG
        FT_LNK
        FT_DIREND
        FT_SPEC
        FT_NOACCESS
        FT_NOFOLLOW
        FT_NOSTAT
        FT_NOCHG
        FT_DIRNOCHG
        FT_ISARCH
        FT_NORECURSE
        FT_NOFSCHG
        FT_NOOPEN
        FT_RAW
        FT_FIFO
        FT_DIRBEGIN
        FT_INVALIDFS
        FT_INVALIDDT
        FT_REPARSE
        FT_PLUGIN
        FT_DELETED
        FT_BASE
        FT_RESTORE_FIRST
        FT_JUNCTION
        FT_PLUGIN_CONFIG
        FT_PLUGIN_CONFIG_FILLED

    enum:
        FT_UNSET
        FT_MASK

    ctypedef enum CreateStatus:
        CF_SKIP
        CF_ERROR
        CF_EXTRACT
        CF_CREATED
        CF_CORE

    ctypedef enum MessageType:
        M_ABORT
        M_DEBUG
        M_FATAL
        M_ERROR
        M_WARNING
        M_INFO
        M_SAVED
        M_NOTSAVED
        M_SKIPPED
        M_MOUNT
        M_ERROR_TERM
        M_TERM
        M_RESTORED
        M_SECURITY
        M_ALERT
        M_VOLMGMT
        M_AUDIT
        M_CONFIG_ERROR

    ctypedef enum JobLevel:
        L_FULL
        L_INCREMENTAL
        L_DIFFERENTIAL
        L_SINCE
        L_VERIFY_CATALOG
        L_VERIFY_INIT
        L_VERIFY_VOLUME_TO_CATALOG
        L_VERIFY_DISK_TO_CATALOG
        L_VERIFY_DATA
        L_BASE
        L_NONE
        L_VIRTUAL_FULL

    ctypedef enum JobType:
        JT_BACKUP
        JT_MIGRATED_JOB
        JT_VERIFY
        JT_RESTORE
        JT_CONSOLE
        JT_SYSTEM
        JT_ADMIN
        JT_ARCHIVE
        JT_JOB_COPY
        JT_COPY
        JT_MIGRATE
        JT_SCAN
        JT_CONSOLIDATE

    ctypedef enum JobStatus:
        JS_Canceled
        JS_Blocked
        JS_Created
        JS_Differences
        JS_ErrorTerminated
        JS_WaitFD
        JS_Incomplete
        JS_DataCommitting
        JS_WaitMount
        JS_Running
        JS_WaitSD
        JS_Terminated
        JS_Warnings
        JS_AttrDespooling
        JS_WaitClientRes
        JS_WaitMaxJobs
        JS_Error
        JS_FatalError
        JS_AttrInserting
        JS_WaitJobRes
        JS_DataDespooling
        JS_WaitMedia
        JS_WaitPriority
        JS_WaitDevice
        JS_WaitStoreRes
        JS_WaitStartTime

    ctypedef enum bAccurateOption:
        bAccurateOptionInode
        bAccurateOptionPermissions
        bAccurateOptionNlink
        bAccurateOptionUid
        bAccurateOptionGid
        bAccurateOptionSize
        bAccurateOptionAtime
        bAccurateOptionMtime
        bAccurateOptionCtime
        bAccurateOptionSizeDecrease
        bAccurateOptionAlways
        bAccurateOptionMD5
        bAccurateOptionSha1

    # uint64_t macros.
    const uint64_t ACCURATE_OPTIONS_WERE_INITIALIZED
    const uint64_t ACCURATE_DEFAULT_OPTIONS

    ctypedef enum FileSetOption:
        FO_PORTABLE_DATA
        FO_MD5
        FO_COMPRESS
        FO_NO_RECURSION
        FO_MULTIFS
        FO_SPARSE
        FO_IF_NEWER
        FO_NOREPLACE
        FO_READFIFO
        FO_SHA1
        FO_PORTABLE
        FO_MTIMEONLY
        FO_KEEPATIME
        FO_EXCLUDE
        FO_ACL
        FO_NO_HARDLINK
        FO_IGNORECASE
        FO_HFSPLUS
        FO_WIN32DECOMP
        FO_SHA256
        FO_SHA512
        FO_ENCRYPT
        FO_NOATIME
        FO_ENHANCEDWILD
        FO_CHKCHANGES
        FO_STRIPPATH
        FO_HONOR_NODUMP
        FO_XATTR
        FO_DELTA
        FO_PLUGIN
        FO_OFFSETS
        FO_NO_AUTOEXCL
        FO_FORCE_ENCRYPT
        FO_XXH128

    enum:
        FO_MAX
        FOPTS_BYTES

    ctypedef enum ReplaceMode:
        REPLACE_ALWAYS
        REPLACE_IFNEWER
        REPLACE_NEVER
        REPLACE_IFOLDER
