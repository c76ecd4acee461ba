# Cython mirror of include/bareospy/sd.h: the storage daemon plugin ABI.
# Declarations only; every value comes from the C header.  See plugin.pxd
# for why functions are nogil.

from libc.stdint cimport uint32_t, uint64_t

from bareospy.includes.plugin cimport (PluginContext, bRC, cbool, pVariable,
                                       utime_t)


cdef extern from "bareospy/sd.h" nogil:

    ctypedef char POOLMEM

    # Opaque storage daemon objects (only pointers cross the ABI).
    cdef struct DeviceControlRecord
    cdef struct DeviceRecord

    ctypedef enum bsdrVariable:
        bsdVarJob
        bsdVarLevel
        bsdVarType
        bsdVarJobId
        bsdVarClient
        bsdVarPool
        bsdVarPoolType
        bsdVarStorage
        bsdVarMediaType
        bsdVarJobName
        bsdVarJobStatus
        bsdVarVolumeName
        bsdVarJobErrors
        bsdVarJobFiles
        bsdVarJobBytes
        bsdVarPluginDir

    ctypedef enum bsdwVariable:
        bsdwVarJobReport
        bsdwVarVolumeName
        bsdwVarPriority
        bsdwVarJobLevel

    ctypedef enum bSdEventType:
        bSdEventJobStart
        bSdEventJobEnd
        bSdEventDeviceInit
        bSdEventDeviceMount
        bSdEventVolumeLoad
        bSdEventDeviceReserve
        bSdEventDeviceOpen
        bSdEventLabelRead
        bSdEventLabelVerified
        bSdEventLabelWrite
        bSdEventDeviceClose
        bSdEventVolumeUnload
        bSdEventDeviceUnmount
        bSdEventReadError
        bSdEventWriteError
        bSdEventDriveStatus
        bSdEventVolumeStatus
        bSdEventSetupRecordTranslation
        bSdEventReadRecordTranslation
        bSdEventWriteRecordTranslation
        bSdEventDeviceRelease
        bSdEventNewPluginOptions
        bSdEventChangerLock
        bSdEventChangerUnlock

    enum:
        SD_NR_EVENTS
        PLUGIN_EVENT_COUNT

    ctypedef struct bSdEvent:
        uint32_t eventType

    ctypedef struct SdCoreFunctions:
        uint32_t size
        uint32_t version
        bRC (*registerBareosEvents)(PluginContext* ctx, int nr_events,
                                    ...) noexcept nogil
        bRC (*unregisterBareosEvents)(PluginContext* ctx, int nr_events,
                                      ...) noexcept nogil
        bRC (*getInstanceCount)(PluginContext* ctx, int* ret) noexcept nogil
        bRC (*getBareosValue)(PluginContext* ctx, bsdrVariable var,
                              void* value) noexcept nogil
        bRC (*setBareosValue)(PluginContext* ctx, bsdwVariable var,
                              void* value) noexcept nogil
        bRC (*JobMessage)(PluginContext* ctx, const char* file, int line,
                          int type, utime_t mtime, const char* fmt,
                          ...) noexcept nogil
        bRC (*DebugMessage)(PluginContext* ctx, const char* file, int line,
                            int level, const char* fmt, ...) noexcept nogil
        char* (*EditDeviceCodes)(DeviceControlRecord* dcr, POOLMEM** omsg,
                                 const char* imsg,
                                 const char* cmd) noexcept nogil
        char* (*LookupCryptoKey)(const char* VolumeName) noexcept nogil
        cbool (*UpdateVolumeInfo)(DeviceControlRecord* dcr) noexcept nogil
        void (*UpdateTapeAlert)(DeviceControlRecord* dcr,
                                uint64_t flags) noexcept nogil
        DeviceRecord* (*new_record)(cbool with_data) noexcept nogil
        void (*CopyRecordState)(DeviceRecord* dst,
                                DeviceRecord* src) noexcept nogil
        void (*FreeRecord)(DeviceRecord* rec) noexcept nogil

    ctypedef struct SdPluginFunctions:
        uint32_t size
        uint32_t version
        bRC (*newPlugin)(PluginContext* ctx) noexcept nogil
        bRC (*freePlugin)(PluginContext* ctx) noexcept nogil
        bRC (*getPluginValue)(PluginContext* ctx, pVariable var,
                              void* value) noexcept nogil
        bRC (*setPluginValue)(PluginContext* ctx, pVariable var,
                              void* value) noexcept nogil
        bRC (*handlePluginEvent)(PluginContext* ctx, bSdEvent* event,
                                 void* value) noexcept nogil
