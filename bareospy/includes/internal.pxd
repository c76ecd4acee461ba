# Cython mirror of the internal C headers in bareospy/src/ (not part of the
# daemon ABI; shared by the modules, the daemon plugins and the test core).
from bareospy.includes.plugin cimport PluginContext

cdef extern from "bareospy_tls.h" nogil:
    PluginContext* bareospy_get_context()
    void bareospy_set_context(PluginContext* ctx)

cdef extern from "bareosfd_capi.h" nogil:
    enum:
        BAREOSFD_CAPI_GET_PLUGIN_VALUE
        BAREOSFD_CAPI_SET_PLUGIN_VALUE
        BAREOSFD_CAPI_HANDLE_PLUGIN_EVENT
        BAREOSFD_CAPI_START_BACKUP_FILE
        BAREOSFD_CAPI_END_BACKUP_FILE
        BAREOSFD_CAPI_PLUGIN_IO
        BAREOSFD_CAPI_START_RESTORE_FILE
        BAREOSFD_CAPI_END_RESTORE_FILE
        BAREOSFD_CAPI_CREATE_FILE
        BAREOSFD_CAPI_SET_FILE_ATTRIBUTES
        BAREOSFD_CAPI_CHECK_FILE
        BAREOSFD_CAPI_GET_ACL
        BAREOSFD_CAPI_SET_ACL
        BAREOSFD_CAPI_GET_XATTR
        BAREOSFD_CAPI_SET_XATTR
        BAREOSFD_CAPI_SET_CORE_FUNCTIONS
        BAREOSFD_CAPI_SET_PLUGIN_CONTEXT
        BAREOSFD_CAPI_NEW_INSTANCE
        BAREOSFD_CAPI_FREE_INSTANCE
        BAREOSFD_CAPI_SLOTS
    const char* BAREOSFD_CAPSULE_NAME

cdef extern from "events_capi.h" nogil:
    enum:
        EVENTS_CAPI_PARSE_PLUGIN_DEFINITION
        EVENTS_CAPI_GET_PLUGIN_VALUE
        EVENTS_CAPI_SET_PLUGIN_VALUE
        EVENTS_CAPI_HANDLE_PLUGIN_EVENT
        EVENTS_CAPI_SET_CORE_FUNCTIONS
        EVENTS_CAPI_SET_PLUGIN_CONTEXT
        EVENTS_CAPI_NEW_INSTANCE
        EVENTS_CAPI_FREE_INSTANCE
        EVENTS_CAPI_SLOTS
