# Cython mirror of include/bareospy/fd.h: the file daemon plugin ABI.
# Declarations only; every value comes from the C header.  See plugin.pxd
# for why functions are nogil.

from libc.stddef cimport size_t
from libc.stdint cimport int32_t, uint32_t
from posix.stat cimport struct_stat
from posix.types cimport mode_t, time_t, uid_t

from bareospy.includes.consts cimport FOPTS_BYTES
from bareospy.includes.plugin cimport (PluginContext, bRC, boffset_t, cbool,
                                       pVariable, utime_t)


cdef extern from "bareospy/fd.h" nogil:

    ctypedef enum bVariable:
        bVarJobId
        bVarFDName
        bVarLevel
        bVarType
        bVarClient
        bVarJobName
        bVarJobStatus
        bVarSinceTime
        bVarAccurate
        bVarFileSeen
        bVarVssClient
        bVarWorkingDir
        bVarWhere
        bVarRegexWhere
        bVarExePath
        bVarVersion
        bVarDistName
        bVarPrevJobName
        bVarPrefixLinks
        bVarCheckChanges
        bVarUsedConfig
        bVarPluginPath
        bVarAccurateOptions

    ctypedef enum bEventType:
        bEventJobStart
        bEventJobEnd
        bEventStartBackupJob
        bEventEndBackupJob
        bEventStartRestoreJob
        bEventEndRestoreJob
        bEventStartVerifyJob
        bEventEndVerifyJob
        bEventBackupCommand
        bEventRestoreCommand
        bEventEstimateCommand
        bEventLevel
        bEventSince
        bEventCancelCommand
        bEventRestoreObject
        bEventEndFileSet
        bEventPluginCommand
        bEventOptionPlugin
        bEventHandleBackupFile
        bEventNewPluginOptions
        bEventVssInitializeForBackup
        bEventVssInitializeForRestore
        bEventVssSetBackupState
        bEventVssPrepareForBackup
        bEventVssBackupAddComponents
        bEventVssPrepareSnapshot
        bEventVssCreateSnapshots
        bEventVssRestoreLoadComponentMetadata
        bEventVssRestoreSetComponentsSelected
        bEventVssCloseRestore
        bEventVssBackupComplete

    enum:
        FD_NR_EVENTS

    ctypedef struct bEvent:
        uint32_t eventType

    ctypedef enum bIoCode:
        IO_OPEN
        IO_READ
        IO_WRITE
        IO_CLOSE
        IO_SEEK

    ctypedef enum bIoStatus:
        iostat_error
        iostat_do_in_plugin
        iostat_do_in_core

    enum:
        kInvalidFiledescriptor

    # Packets.

    ctypedef struct save_pkt:
        int32_t pkt_size
        char* fname
        char* link
        struct_stat statp
        int32_t type
        char flags[FOPTS_BYTES]
        cbool no_read
        cbool portable
        cbool accurate_found
        char* cmd
        time_t save_time
        uint32_t delta_seq
        char* object_name
        char* object
        int32_t object_len
        int32_t index
        int32_t pkt_end

    ctypedef struct restore_pkt:
        int32_t pkt_size
        int32_t stream
        int32_t data_stream
        int32_t type
        int32_t file_index
        int32_t LinkFI
        uid_t uid
        struct_stat statp
        const char* attrEx
        const char* ofname
        const char* olname
        const char* where
        const char* RegexWhere
        int replace
        int create_status
        uint32_t delta_seq
        int filedes
        const char* original_file_name
        const char* original_link_name
        int32_t pkt_end

    ctypedef struct io_pkt:
        int32_t pkt_size
        int32_t func
        int32_t count
        int32_t flags
        mode_t mode
        char* buf
        const char* fname
        int32_t status
        int32_t io_errno
        int32_t lerror
        int32_t whence
        boffset_t offset
        cbool win32
        int filedes
        int32_t pkt_end

    ctypedef struct acl_pkt:
        int32_t pkt_size
        const char* fname
        uint32_t content_length
        char* content
        int32_t pkt_end

    ctypedef struct xattr_pkt:
        int32_t pkt_size
        const char* fname
        uint32_t name_length
        char* name
        uint32_t value_length
        char* value
        int32_t pkt_end

    ctypedef struct restore_object_pkt:
        int32_t pkt_size
        char* object_name
        char* object
        char* plugin_name
        int32_t object_type
        int32_t object_len
        int32_t object_full_len
        int32_t object_index
        int32_t object_compression
        int32_t stream
        uint32_t JobId
        int32_t pkt_end

    # Function tables.

    ctypedef struct FdCoreFunctions:
        uint32_t size
        uint32_t version
        bRC (*registerBareosEvents)(PluginContext* ctx, int nr_events,
                                    ...) noexcept nogil
        bRC (*unregisterBareosEvents)(PluginContext* ctx, int nr_events,
                                      ...) noexcept nogil
        bRC (*getInstanceCount)(PluginContext* ctx, int* ret) noexcept nogil
        bRC (*getBareosValue)(PluginContext* ctx, bVariable var,
                              void* value) noexcept nogil
        bRC (*setBareosValue)(PluginContext* ctx, bVariable var,
                              const void* value) noexcept nogil
        bRC (*JobMessage)(PluginContext* ctx, const char* file, int line,
                          int type, utime_t mtime, const char* fmt,
                          ...) noexcept nogil
        bRC (*DebugMessage)(PluginContext* ctx, const char* file, int line,
                            int level, const char* fmt, ...) noexcept nogil
        void* (*bareosMalloc)(PluginContext* ctx, const char* file, int line,
                              size_t size) noexcept nogil
        void (*bareosFree)(PluginContext* ctx, const char* file, int line,
                           void* mem) noexcept nogil
        bRC (*AddExclude)(PluginContext* ctx, const char* file) noexcept nogil
        bRC (*AddInclude)(PluginContext* ctx, const char* file) noexcept nogil
        bRC (*AddOptions)(PluginContext* ctx, const char* opts) noexcept nogil
        bRC (*AddRegex)(PluginContext* ctx, const char* item,
                        int type) noexcept nogil
        bRC (*AddWild)(PluginContext* ctx, const char* item,
                       int type) noexcept nogil
        bRC (*NewOptions)(PluginContext* ctx) noexcept nogil
        bRC (*NewInclude)(PluginContext* ctx) noexcept nogil
        bRC (*NewPreInclude)(PluginContext* ctx) noexcept nogil
        bRC (*checkChanges)(PluginContext* ctx, save_pkt* sp) noexcept nogil
        bRC (*AcceptFile)(PluginContext* ctx, save_pkt* sp) noexcept nogil
        bRC (*SetSeenBitmap)(PluginContext* ctx, cbool all,
                             char* fname) noexcept nogil
        bRC (*ClearSeenBitmap)(PluginContext* ctx, cbool all,
                               char* fname) noexcept nogil

    ctypedef struct FdPluginFunctions:
        uint32_t size
        uint32_t version
        bRC (*newPlugin)(PluginContext* ctx) noexcept nogil
        bRC (*freePlugin)(PluginContext* ctx) noexcept nogil
        bRC (*getPluginValue)(PluginContext* ctx, pVariable var,
                              void* value) noexcept nogil
        bRC (*setPluginValue)(PluginContext* ctx, pVariable var,
                              void* value) noexcept nogil
        bRC (*handlePluginEvent)(PluginContext* ctx, bEvent* event,
                                 void* value) noexcept nogil
        bRC (*startBackupFile)(PluginContext* ctx, save_pkt* sp) noexcept nogil
        bRC (*endBackupFile)(PluginContext* ctx) noexcept nogil
        bRC (*startRestoreFile)(PluginContext* ctx,
                                const char* cmd) noexcept nogil
        bRC (*endRestoreFile)(PluginContext* ctx) noexcept nogil
        bRC (*pluginIO)(PluginContext* ctx, io_pkt* io) noexcept nogil
        bRC (*createFile)(PluginContext* ctx, restore_pkt* rp) noexcept nogil
        bRC (*setFileAttributes)(PluginContext* ctx,
                                 restore_pkt* rp) noexcept nogil
        bRC (*checkFile)(PluginContext* ctx, char* fname) noexcept nogil
        bRC (*getAcl)(PluginContext* ctx, acl_pkt* ap) noexcept nogil
        bRC (*setAcl)(PluginContext* ctx, acl_pkt* ap) noexcept nogil
        bRC (*getXattr)(PluginContext* ctx, xattr_pkt* xp) noexcept nogil
        bRC (*setXattr)(PluginContext* ctx, xattr_pkt* xp) noexcept nogil

    # The file daemon's short names (absent from the C header when
    # BAREOSPY_NO_FD_SHORT_NAMES is defined).
    ctypedef FdCoreFunctions CoreFunctions
    ctypedef FdPluginFunctions PluginFunctions
