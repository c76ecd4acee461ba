# The C-facing surface of bareosfd, and nothing else.
#
# * The ``cdef public`` functions: the C glue of python3-fd.so
#   (embed/plugin/python3_fd.c) calls them, with the GIL held, through the
#   header Cython writes (bareosfd.h).  Each is a thin wrapper: the work is in
#   fd/plugin.pxi, run through the entry funnel of common/entry.pxi.
# * The capsule ``bareosfd._C_API`` (slots: bareospy/src/bareosfd_capi.h): the
#   same entry points plus what a daemon plugin or a test core needs to install
#   the core's table and instance state.  All slots need the GIL.

from cpython.pycapsule cimport PyCapsule_New
from libc.string cimport memset


# -- life cycle ----------------------------------------------------------------------

cdef public bRC bareospy_fd_setup(FdCoreFunctions* functions) noexcept:
    return _setup(functions)


cdef public void bareospy_fd_teardown() noexcept:
    _teardown()


cdef public bRC bareospy_fd_new_plugin(PluginContext* ctx) noexcept:
    return _attach_instance(ctx)


cdef public bRC bareospy_fd_free_plugin(PluginContext* ctx) noexcept:
    return _run_entry(ctx, _free_instance_work, NULL, NULL, _NEEDS_NOTHING, bRC_OK)


cdef public bRC bareospy_fd_plugin_value(PluginContext* ctx, pVariable var,
                                         void* value) noexcept nogil:
    """get/setPluginValue: nothing to get or set (as the reference)."""
    return bRC_OK


# -- events --------------------------------------------------------------------------

cdef public bRC bareospy_fd_handle_plugin_event(PluginContext* ctx, bEvent* event,
                                                void* value) noexcept:
    return _run_entry(ctx, _handle_event, event, value, _NEEDS_INSTANCE, bRC_Error)


# -- backup --------------------------------------------------------------------------

cdef public bRC bareospy_fd_start_backup_file(PluginContext* ctx, save_pkt* sp) noexcept:
    return _run_entry(ctx, _start_backup_file, sp, NULL, _NEEDS_INSTANCE, bRC_Error)


cdef public bRC bareospy_fd_end_backup_file(PluginContext* ctx) noexcept:
    return _simple_call(ctx, "end_backup_file", ())


cdef public bRC bareospy_fd_plugin_io(PluginContext* ctx, io_pkt* io) noexcept:
    return _plugin_io(ctx, io)


# -- restore -------------------------------------------------------------------------

cdef public bRC bareospy_fd_start_restore_file(PluginContext* ctx, const char* cmd) noexcept:
    return _run_entry(ctx, _start_restore_file, <void*>cmd, NULL, _NEEDS_SCRIPT, bRC_Error)


cdef public bRC bareospy_fd_end_restore_file(PluginContext* ctx) noexcept:
    return _simple_call(ctx, "end_restore_file", ())


cdef public bRC bareospy_fd_create_file(PluginContext* ctx, restore_pkt* rp) noexcept:
    return _run_entry(ctx, _create_file, rp, NULL, _NEEDS_SCRIPT, bRC_Error)


cdef public bRC bareospy_fd_set_file_attributes(PluginContext* ctx, restore_pkt* rp) noexcept:
    return _run_entry(ctx, _set_file_attributes, rp, NULL, _NEEDS_SCRIPT, bRC_Error)


cdef public bRC bareospy_fd_check_file(PluginContext* ctx, char* fname) noexcept:
    """Without a loaded script, every file is fine (bRC_OK)."""
    return _run_entry(ctx, _check_file, fname, NULL, _NEEDS_SCRIPT, bRC_OK)


# -- ACLs and extended attributes ----------------------------------------------------

cdef public bRC bareospy_fd_get_acl(PluginContext* ctx, acl_pkt* ap) noexcept:
    return _run_entry(ctx, _get_acl, ap, NULL, _NEEDS_SCRIPT, bRC_Error)


cdef public bRC bareospy_fd_set_acl(PluginContext* ctx, acl_pkt* ap) noexcept:
    return _run_entry(ctx, _set_acl, ap, NULL, _NEEDS_SCRIPT, bRC_Error)


cdef public bRC bareospy_fd_get_xattr(PluginContext* ctx, xattr_pkt* xp) noexcept:
    return _run_entry(ctx, _get_xattr, xp, NULL, _NEEDS_SCRIPT, bRC_Error)


cdef public bRC bareospy_fd_set_xattr(PluginContext* ctx, xattr_pkt* xp) noexcept:
    return _run_entry(ctx, _set_xattr, xp, NULL, _NEEDS_SCRIPT, bRC_Error)


# -- the capsule bareosfd._C_API -----------------------------------------------------

cdef void* _c_api[BAREOSFD_CAPI_SLOTS]
memset(_c_api, 0, sizeof(_c_api))
_c_api[BAREOSFD_CAPI_SET_CORE_FUNCTIONS] = <void*>_set_core_functions
_c_api[BAREOSFD_CAPI_SET_PLUGIN_CONTEXT] = <void*>_set_plugin_context
_c_api[BAREOSFD_CAPI_NEW_INSTANCE] = <void*>bareospy_fd_new_plugin
_c_api[BAREOSFD_CAPI_FREE_INSTANCE] = <void*>_detach_instance
_c_api[BAREOSFD_CAPI_GET_PLUGIN_VALUE] = <void*>bareospy_fd_plugin_value
_c_api[BAREOSFD_CAPI_SET_PLUGIN_VALUE] = <void*>bareospy_fd_plugin_value
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
