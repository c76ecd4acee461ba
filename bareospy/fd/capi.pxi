# The C-level API of bareosfd: the capsule "bareosfd._C_API".
#
# A daemon plugin (or a test core) uses it to install the daemon's function
# table, to give a PluginContext its instance state, and to say which context
# is active on the calling thread.  All slots must be called with the GIL held.


cdef bRC _set_core_functions(FdCoreFunctions* functions) noexcept nogil:
    global _core
    _core = functions
    return bRC_OK


cdef void* _c_api[BAREOSFD_CAPI_SLOTS]
memset(_c_api, 0, sizeof(_c_api))
_c_api[BAREOSFD_CAPI_SET_CORE_FUNCTIONS] = <void*>_set_core_functions
_c_api[BAREOSFD_CAPI_SET_PLUGIN_CONTEXT] = <void*>_set_plugin_context
_c_api[BAREOSFD_CAPI_NEW_INSTANCE] = <void*>_attach_instance
_c_api[BAREOSFD_CAPI_FREE_INSTANCE] = <void*>_detach_instance

_C_API = PyCapsule_New(<void*>_c_api, BAREOSFD_CAPSULE_NAME, NULL)
