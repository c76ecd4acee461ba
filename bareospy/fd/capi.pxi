# The C-level API of bareosfd: the capsule "bareosfd._C_API".
#
# A daemon plugin (or a test core) uses it to install the daemon's function
# table, to give a PluginContext its instance state, to say which context is
# active on the calling thread, and to call the entry points that run an
# instance's script.  All slots must be called with the GIL held.


cdef bRC _set_core_functions(FdCoreFunctions* functions) noexcept nogil:
    global _core
    _core = functions
    return bRC_OK


cdef bRC _plugin_value_noop(PluginContext* ctx, pVariable var, void* value) noexcept:
    """get/setPluginValue: nothing to get or set (as the reference)."""
    return bRC_OK


cdef void* _c_api[BAREOSFD_CAPI_SLOTS]
memset(_c_api, 0, sizeof(_c_api))
_c_api[BAREOSFD_CAPI_SET_CORE_FUNCTIONS] = <void*>_set_core_functions
_c_api[BAREOSFD_CAPI_SET_PLUGIN_CONTEXT] = <void*>_set_plugin_context
_c_api[BAREOSFD_CAPI_NEW_INSTANCE] = <void*>_attach_instance
_c_api[BAREOSFD_CAPI_FREE_INSTANCE] = <void*>_detach_instance
_c_api[BAREOSFD_CAPI_GET_PLUGIN_VALUE] = <void*>_plugin_value_noop
_c_api[BAREOSFD_CAPI_SET_PLUGIN_VALUE] = <void*>_plugin_value_noop
_c_api[BAREOSFD_CAPI_HANDLE_PLUGIN_EVENT] = <void*>bareospy_fd_handle_plugin_event
_c_api[BAREOSFD_CAPI_START_BACKUP_FILE] = <void*>bareospy_fd_start_backup_file
_c_api[BAREOSFD_CAPI_END_BACKUP_FILE] = <void*>bareospy_fd_end_backup_file
_c_api[BAREOSFD_CAPI_PLUGIN_IO] = <void*>bareospy_fd_plugin_io
_c_api[BAREOSFD_CAPI_START_RESTORE_FILE] = <void*>bareospy_fd_start_restore_file
_c_api[BAREOSFD_CAPI_END_RESTORE_FILE] = <void*>bareospy_fd_end_restore_file
_c_api[BAREOSFD_CAPI_CREATE_FILE] = <void*>bareospy_fd_create_file
_c_api[BAREOSFD_CAPI_SET_FILE_ATTRIBUTES] = <void*>bareospy_fd_set_file_attributes
_c_api[BAREOSFD_CAPI_CHECK_FILE] = <void*>bareospy_fd_check_file
_c_api[BAREOSFD_CAPI_GET_ACL] = <void*>bareospy_fd_get_acl
_c_api[BAREOSFD_CAPI_SET_ACL] = <void*>bareospy_fd_set_acl
_c_api[BAREOSFD_CAPI_GET_XATTR] = <void*>bareospy_fd_get_xattr
_c_api[BAREOSFD_CAPI_SET_XATTR] = <void*>bareospy_fd_set_xattr

_C_API = PyCapsule_New(<void*>_c_api, BAREOSFD_CAPSULE_NAME, NULL)
