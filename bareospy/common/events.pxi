# The plugin of a daemon whose plugins only get events (sd: spec §7.14, dir):
# no file entry points, one script function per event.  Nothing here names a
# daemon: the descriptor ``_daemon`` says which event carries the options,
# and the core is reached through ``_core`` only.
#
# * Instances: newPlugin attaches the state and registers the NewPluginOptions
#   event; each NewPluginOptions string is parsed by the §4.6 parser, the
#   first one with a module_name loads the script (load_bareos_plugin, then
#   parse_plugin_definition if that answered bRC_OK), later ones call
#   parse_plugin_definition.  Every other event goes to handle_plugin_event
#   once loaded (before that the answer is bRC_OK).
# * The C-facing surface: the ``cdef public bareospy_events_*`` functions the
#   glue calls (embed/plugin/python3_events.c) and the ``_C_API`` capsule
#   (slots: bareospy/src/events_capi.h).  All need the GIL.

from cpython.pycapsule cimport PyCapsule_New
from libc.string cimport memset


cdef bRC _events_setup(void* functions) noexcept:
    """Once per loadPlugin: keep the core's table, route Python's output to it."""
    _install_core_head(functions)
    try:
        _redirect_python_output()
    except BaseException:
        return _report_exception(NULL)
    return bRC_OK


cdef bRC _events_set_core(void* functions) noexcept nogil:
    """The C API slot: install the core's table (NULL: withdraw it)."""
    return _install_core_head(functions)


cdef bRC _new_events_instance(PluginContext* ctx) noexcept:
    """Fresh instance state (GIL held); idempotent."""
    if ctx is NULL:
        return bRC_Error
    try:
        state = _InstanceBase()
    except BaseException:
        return bRC_Error
    return _attach_state(ctx, state)


cdef bRC _options_event(PluginContext* ctx, _InstanceBase state,
                        const char* value) except? bRC_Error:
    """NewPluginOptions: the complete option string (§1.8), parsed by §4.6."""
    if value is NULL:
        return bRC_Error
    text = _decode_c_string(value)
    try:
        leftover = _parse_options(text, state.known)
    except _PluginDefinitionError as error:
        _send_job_message(ctx, M_FATAL, f"{_daemon.plugin_prefix}{error}\n")
        return bRC_Error
    return _pass_definition(ctx, state, leftover, text, True)


cdef bRC _events_work(PluginContext* ctx, _InstanceBase state, void* event,
                      void* value) except? bRC_Error:
    cdef int number = (<uint32_t*>event)[0]
    if number == _daemon.new_options_event:
        return _options_event(ctx, state, <const char*>value)
    if not state.python_loaded:
        return bRC_OK
    return _call(ctx, state, "handle_plugin_event", (number,))


# -- the C-facing surface -------------------------------------------------------------

cdef public bRC bareospy_events_setup(void* functions) noexcept:
    return _events_setup(functions)


cdef public void bareospy_events_teardown() noexcept:
    _flush_python_output()
    _install_core_head(NULL)


cdef public bRC bareospy_events_new_plugin(PluginContext* ctx) noexcept:
    """newPlugin: instance state, and the NewPluginOptions event registered."""
    cdef bRC rc = _new_events_instance(ctx)
    if rc != bRC_OK or _core is NULL:
        return rc
    cdef unsigned int event = _daemon.new_options_event
    return _core.registerBareosEvents(ctx, 1, event)


cdef public bRC bareospy_events_free_plugin(PluginContext* ctx) noexcept:
    return _run_entry(ctx, _free_instance_work, NULL, NULL, _NEEDS_NOTHING, bRC_OK)


cdef public bRC bareospy_events_plugin_value(PluginContext* ctx, pVariable var,
                                             void* value) noexcept nogil:
    """get/setPluginValue: nothing to get or set (as the reference)."""
    return bRC_OK


cdef public bRC bareospy_events_handle_plugin_event(PluginContext* ctx, uint32_t* event,
                                                    void* value) noexcept:
    """handlePluginEvent: ``event`` points to the event number (the first and
    only member of the daemon's event record)."""
    if event is NULL:
        return bRC_Error
    return _run_entry(ctx, _events_work, event, value, _NEEDS_INSTANCE, bRC_Error)


cdef bRC _parse_definition_slot(PluginContext* ctx, void* value) noexcept:
    """C API slot 0: as if NewPluginOptions brought ``value``."""
    cdef uint32_t event = _daemon.new_options_event
    return bareospy_events_handle_plugin_event(ctx, &event, value)


cdef void* _events_api[EVENTS_CAPI_SLOTS]
memset(_events_api, 0, sizeof(_events_api))
_events_api[EVENTS_CAPI_PARSE_PLUGIN_DEFINITION] = <void*>_parse_definition_slot
_events_api[EVENTS_CAPI_GET_PLUGIN_VALUE] = <void*>bareospy_events_plugin_value
_events_api[EVENTS_CAPI_SET_PLUGIN_VALUE] = <void*>bareospy_events_plugin_value
_events_api[EVENTS_CAPI_HANDLE_PLUGIN_EVENT] = <void*>bareospy_events_handle_plugin_event
_events_api[EVENTS_CAPI_SET_CORE_FUNCTIONS] = <void*>_events_set_core
_events_api[EVENTS_CAPI_SET_PLUGIN_CONTEXT] = <void*>_set_plugin_context
_events_api[EVENTS_CAPI_NEW_INSTANCE] = <void*>_new_events_instance
_events_api[EVENTS_CAPI_FREE_INSTANCE] = <void*>_detach_instance

# The capsule's name must outlive it: kept in a module global.
cdef bytes _C_API_NAME = f"{_daemon.module_name}._C_API".encode("ascii")
cdef const char* _c_api_name = _C_API_NAME
_C_API = PyCapsule_New(<void*>_events_api, _c_api_name, NULL)
