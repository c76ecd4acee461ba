# Cython mirror of include/bareospy/dir.h: the director plugin ABI.
# Declarations only; every value comes from the C header.  See plugin.pxd
# for why functions are nogil.

from libc.stdint cimport uint32_t

from bareospy.includes.plugin cimport PluginContext, bRC, pVariable, utime_t


cdef extern from "bareospy/dir.h" nogil:

    ctypedef enum brDirVariable:
        bDirVarJob
        bDirVarLevel
        bDirVarType
        bDirVarJobId
        bDirVarClient
        bDirVarNumVols
        bDirVarPool
        bDirVarStorage
        bDirVarWriteStorage
        bDirVarReadStorage
        bDirVarCatalog
        bDirVarMediaType
        bDirVarJobName
        bDirVarJobStatus
        bDirVarPriority
        bDirVarVolumeName
        bDirVarCatalogRes
        bDirVarJobErrors
        bDirVarJobFiles
        bDirVarSDJobFiles
        bDirVarSDErrors
        bDirVarFDJobStatus
        bDirVarSDJobStatus
        bDirVarPluginDir
        bDirVarLastRate
        bDirVarJobBytes
        bDirVarReadBytes

    ctypedef enum bwDirVariable:
        bwDirVarJobReport
        bwDirVarVolumeName
        bwDirVarPriority
        bwDirVarJobLevel

    ctypedef enum bDirEventType:
        bDirEventJobStart
        bDirEventJobEnd
        bDirEventJobInit
        bDirEventJobRun
        bDirEventVolumePurged
        bDirEventNewVolume
        bDirEventNeedVolume
        bDirEventVolumeFull
        bDirEventRecyle
        bDirEventGetScratch
        bDirEventNewPluginOptions

    enum:
        DIR_NR_EVENTS

    ctypedef struct bDirEvent:
        uint32_t eventType

    ctypedef struct DirCoreFunctions:
        uint32_t size
        uint32_t version
        bRC (*registerBareosEvents)(PluginContext* ctx, int nr_events,
                                    ...) noexcept nogil
        bRC (*unregisterBareosEvents)(PluginContext* ctx, int nr_events,
                                      ...) noexcept nogil
        bRC (*getInstanceCount)(PluginContext* ctx, int* ret) noexcept nogil
        bRC (*getBareosValue)(PluginContext* ctx, brDirVariable var,
                              void* value) noexcept nogil
        bRC (*setBareosValue)(PluginContext* ctx, bwDirVariable var,
                              void* value) noexcept nogil
        bRC (*JobMessage)(PluginContext* ctx, const char* file, int line,
                          int type, utime_t mtime, const char* fmt,
                          ...) noexcept nogil
        bRC (*DebugMessage)(PluginContext* ctx, const char* file, int line,
                            int level, const char* fmt, ...) noexcept nogil

    ctypedef struct DirPluginFunctions:
        uint32_t size
        uint32_t version
        bRC (*newPlugin)(PluginContext* ctx) noexcept nogil
        bRC (*freePlugin)(PluginContext* ctx) noexcept nogil
        bRC (*getPluginValue)(PluginContext* ctx, pVariable var,
                              void* value) noexcept nogil
        bRC (*setPluginValue)(PluginContext* ctx, pVariable var,
                              void* value) noexcept nogil
        bRC (*handlePluginEvent)(PluginContext* ctx, bDirEvent* event,
                                 void* value) noexcept nogil
