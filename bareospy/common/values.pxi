# GetValue and SetValue of the daemons whose variables are plain C values
# (sd: spec §2.7, dir: §2.8): strings, ints and 64-bit counters.  Which C
# type the core writes for each variable is data, a _ValueTable in the
# daemon's descriptor (_ValueTable, common/daemon.pxi); the file daemon has its own (fd/functions.pxi).

from libc.stdint cimport uint64_t


cdef PluginContext* _value_context(int var) except? NULL:
    """The context GetValue passes: the plugin directory needs none."""
    if var == _daemon.plugin_dir_variable and _core is not NULL:
        return bareospy_get_context()
    return _require_context("GetValue")


def GetValue(variable, /):
    """The value of core variable ``var``: a str, an int, or None when the
    core has none (or the variable is unknown)."""
    cdef int var = _as_i32(variable, f"{_daemon.module_name}.GetValue() argument 'var'")
    cdef PluginContext* ctx = _value_context(var)
    cdef char* text = NULL
    cdef int number = 0
    cdef uint64_t counter = 0
    table = _daemon.values
    if var in table.strings:
        if _core.getBareosValue(ctx, var, &text) != bRC_OK:
            return None
        return _decode_c_string(text)
    if var in table.ints:
        if _core.getBareosValue(ctx, var, &number) != bRC_OK:
            return None
        return number
    if var in table.counters:
        if _core.getBareosValue(ctx, var, &counter) != bRC_OK:
            return None
        return counter
    _debug_note(f"GetValue(): unknown variable {var}")
    return None


def SetValue(variable, value, /):
    """Set core variable ``var`` to ``value``; returns a bRC.

    Strings (the volume name) take a str; numbers (priority, job level) an
    int, and only values >= 0 reach the core (else bRC_Error).
    """
    cdef int var = _as_i32(variable, f"{_daemon.module_name}.SetValue() argument 'var'")
    table = _daemon.values
    cdef bytes text
    cdef int number
    if var in table.set_strings:
        text = _encode_path("SetValue", "the value", value)
    elif var in table.set_ints:
        number = _as_i32(value, f"{_daemon.module_name}.SetValue() argument 'value'")
    cdef PluginContext* ctx = _require_context("SetValue")
    if var in table.set_strings:
        return <int>_core.setBareosValue(ctx, var, <char*>text)
    if var in table.set_ints:
        if number < 0:
            return <int>bRC_Error
        return <int>_core.setBareosValue(ctx, var, &number)
    if var in table.set_ignored:
        return <int>bRC_OK
    _debug_note(f"SetValue(): variable {var} cannot be set")
    return <int>bRC_Error
