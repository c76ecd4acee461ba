# The C daemon's side: the callback table of include/bareospy/bacula.h as a
# backend (host.pxi), and the functions the embedding glue
# (embed/plugin/bacula_embed.c) calls, with the GIL and the scripting lock
# held.  A job key is the daemon's job pointer as an int.

from libc.stdint cimport uintptr_t
from libc.string cimport memset


cdef class _CBackend:
    """The daemon's callbacks (BaculaScriptingCallbacks), as a backend."""

    cdef BaculaScriptingCallbacks callbacks

    def get_value(self, key, int attribute):
        cdef BaculaValue value
        memset(&value, 0, sizeof(value))
        if self.callbacks.get_value(_pointer(key), <BaculaAttribute>attribute, &value) != 0:
            reason = _decode_c_string(value.string) if value.string is not NULL else None
            raise AttributeError(reason or "not available in this job")
        if value.kind == BaculaValueInteger:
            return value.integer
        if value.kind == BaculaValueString:
            return _decode_c_string(value.string)
        if value.kind == BaculaValueCatalog and value.catalog is not NULL:
            return _catalog_tuple(value.catalog)
        return None

    def set_value(self, key, int attribute, value):
        cdef BaculaValue c_value
        cdef bytes text
        memset(&c_value, 0, sizeof(c_value))
        if isinstance(value, str):
            text = _encode_text(value)
            c_value.kind = BaculaValueString
            c_value.string = text
        else:
            c_value.kind = BaculaValueInteger
            c_value.integer = value
        return self.callbacks.set_value(_pointer(key), <BaculaAttribute>attribute, &c_value) == 0

    def run_job(self, key, str command):
        if self.callbacks.run_job is NULL:
            return 0
        return self.callbacks.run_job(_pointer(key), _encode_path("run", "command", command))

    def cancel_job(self, key, jobid):
        if self.callbacks.cancel_job is NULL:
            return False
        return self.callbacks.cancel_job(_pointer(key), jobid) == 0

    def volume_exists(self, key, str name):
        if self.callbacks.volume_exists is NULL:
            return -1
        return self.callbacks.volume_exists(_pointer(key), _encode_text(name))

    def message(self, key, int message_type, str text):
        self.callbacks.message(_pointer(key), <BaculaMessageType>message_type,
                               _encode_text(text))


cdef void* _pointer(key):
    return NULL if key is None else <void*><uintptr_t>key


cdef tuple _catalog_tuple(const BaculaCatalogResource* catalog):
    """CatalogRes: (DbName, DbAddress, DbUser, DbPassword, DbSocket, DbPort, DbType)."""
    return (_decode_c_string(catalog.db_name), _decode_c_string(catalog.db_address),
            _decode_c_string(catalog.db_user), _decode_c_string(catalog.db_password),
            _decode_c_string(catalog.db_socket), catalog.db_port,
            _decode_c_string(catalog.db_type))


cdef str _optional(const char* text):
    return _decode_c_string(text) if text is not NULL else None


# --- called by the embedding glue (GIL held); they never raise ---------------

cdef api int bareospy_bacula_py_start(const BaculaScriptingDaemon* daemon,
                                         const BaculaScriptingCallbacks* callbacks):
    cdef _CBackend backend = _CBackend()
    try:
        backend.callbacks = callbacks[0]
        return _host_start(daemon.kind, _optional(daemon.name),
                           _optional(daemon.daemon_version), _optional(daemon.config_file),
                           _optional(daemon.working_dir), _optional(daemon.scripts_dir),
                           backend)
    except BaseException:
        _print_traceback(_sys.__stderr__)
        return BaculaScriptingFatal


cdef api int bareospy_bacula_py_restart():
    try:
        return _host_restart()
    except BaseException:
        _print_traceback(_sys.__stderr__)
        return BaculaScriptingFatal


cdef api object bareospy_bacula_py_job_start(void* job):
    """The Job object (a new reference) or None."""
    try:
        return _host_job_start(<uintptr_t>job)
    except BaseException:
        _print_traceback(_sys.__stderr__)
        return None


cdef api void bareospy_bacula_py_job_event(object job, int event):
    try:
        _host_job_event(job, event)
    except BaseException:
        _print_traceback(_sys.__stderr__)


cdef api void bareospy_bacula_py_job_end(object job):
    try:
        _host_job_end(job)
    except BaseException:
        _print_traceback(_sys.__stderr__)


cdef api void bareospy_bacula_py_exit():
    try:
        _host_exit()
    except BaseException:
        _print_traceback(_sys.__stderr__)
