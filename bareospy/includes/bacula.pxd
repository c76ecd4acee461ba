# Cython mirror of include/bareospy/bacula.h: the embedding ABI of
# Bacula-style scripting.  Declarations only, one to one with the header;
# every value comes from the C header.

from libc.stdint cimport int32_t, int64_t, uint32_t


cdef extern from "bareospy/bacula.h" nogil:

    enum: BACULA_SCRIPTING_VERSION

    ctypedef enum BaculaDaemonKind:
        BaculaDaemonDirector
        BaculaDaemonFile
        BaculaDaemonStorage

    ctypedef enum BaculaJobEvent:
        BaculaEventJobInit
        BaculaEventJobRun
        BaculaEventNewVolume
        BaculaEventVolumePurged

    ctypedef enum BaculaMessageType:
        BaculaMessageInfo
        BaculaMessageWarning
        BaculaMessageError
        BaculaMessageDebug

    ctypedef enum BaculaScriptingState:
        BaculaScriptingFatal
        BaculaScriptingEnabled
        BaculaScriptingDisabled

    ctypedef enum BaculaAttribute:
        BaculaAttrJob
        BaculaAttrJobName
        BaculaAttrJobId
        BaculaAttrLevel
        BaculaAttrType
        BaculaAttrJobStatus
        BaculaAttrClient
        BaculaAttrPool
        BaculaAttrNumVols
        BaculaAttrStorage
        BaculaAttrMediaType
        BaculaAttrCatalog
        BaculaAttrCatalogRes
        BaculaAttrPriority
        BaculaAttrVolumeName
        BaculaAttrJobLevel
        BaculaAttrJobErrors
        BaculaAttrJobFiles
        BaculaAttrSDJobFiles
        BaculaAttrSDErrors
        BaculaAttrFDJobStatus
        BaculaAttrSDJobStatus
        BaculaAttrFDName
        BaculaAttrSDName
        BaculaAttrDevice

    ctypedef enum BaculaValueKind:
        BaculaValueNone
        BaculaValueInteger
        BaculaValueString
        BaculaValueCatalog

    ctypedef struct BaculaCatalogResource:
        const char* db_name
        const char* db_address
        const char* db_user
        const char* db_password
        const char* db_socket
        int64_t db_port
        const char* db_type

    ctypedef struct BaculaValue:
        int32_t kind
        int32_t reserved
        int64_t integer
        const char* string
        const BaculaCatalogResource* catalog

    ctypedef struct BaculaScriptingDaemon:
        uint32_t size
        uint32_t version
        int32_t kind
        int32_t reserved
        const char* name
        const char* daemon_version
        const char* config_file
        const char* working_dir
        const char* scripts_dir

    ctypedef struct BaculaScriptingCallbacks:
        uint32_t size
        uint32_t version
        int (*get_value)(void* job, BaculaAttribute attribute, BaculaValue* value)
        int (*set_value)(void* job, BaculaAttribute attribute, const BaculaValue* value)
        int64_t (*run_job)(void* job, const char* command)
        int (*cancel_job)(void* job, int64_t job_id)
        int (*volume_exists)(void* job, const char* volume_name)
        void (*message)(void* job, BaculaMessageType type, const char* text)

    ctypedef struct BaculaScriptJob:
        pass

    BaculaScriptingState bareospy_bacula_start(const BaculaScriptingDaemon* daemon,
                                               const BaculaScriptingCallbacks* callbacks)
    BaculaScriptJob* bareospy_bacula_job_start(void* job)
    void bareospy_bacula_job_event(BaculaScriptJob* script_job, BaculaJobEvent event)
    void bareospy_bacula_job_end(BaculaScriptJob* script_job)
    void bareospy_bacula_exit()
    BaculaScriptingState bareospy_bacula_restart()

    ctypedef struct BaculaScriptingEntryPoints:
        uint32_t size
        uint32_t version
        BaculaScriptingState (*start)(const BaculaScriptingDaemon* daemon,
                                      const BaculaScriptingCallbacks* callbacks)
        BaculaScriptJob* (*job_start)(void* job)
        void (*job_event)(BaculaScriptJob* script_job, BaculaJobEvent event)
        void (*job_end)(BaculaScriptJob* script_job)
        void (*exit)()
        BaculaScriptingState (*restart)()

    const BaculaScriptingEntryPoints* bareospy_bacula_entry_points()
