# Module functions that every daemon's module offers with the same meaning:
# messages, event registration and the instance count.  They reach the core
# through the common table ``_core`` and take the daemon's names, prefixes and
# event range from ``_daemon`` (common/daemon.pxi).

import sys as _sys


cdef bytes _message_bytes(str function, msg):
    """The C text of a script's message: prefix + msg + suffix, UTF-8."""
    if not isinstance(msg, str):
        raise TypeError(
            f"{_daemon.module_name}.{function}(): the message must be a str or None, "
            f"not {type(msg).__name__}")
    text = _daemon.message_prefix + <str>msg + _daemon.message_suffix
    return text.encode("utf-8", "surrogateescape")


cdef tuple _caller_location():
    """(file name as bytes, line) of the Python code that called us.

    Cython functions push no frame, so frame 0 is the script's own.
    """
    try:
        frame = _sys._getframe(0)
        return frame.f_code.co_filename.encode("utf-8", "surrogateescape"), frame.f_lineno
    except Exception:
        return b"<python>", 0


def DebugMessage(level, msg=None, /):
    """Send ``msg`` to the daemon's debug log at ``level`` (shown at -d level or more)."""
    cdef int c_level = _as_i32(level, f"{_daemon.module_name}.DebugMessage() argument 'level'")
    if msg is None:
        _require_context("DebugMessage")
        return None
    cdef bytes text = _message_bytes("DebugMessage", msg)
    cdef PluginContext* ctx = _require_context("DebugMessage")
    file, line = _caller_location()
    _core.DebugMessage(ctx, <const char*>file, <int>line, c_level, b"%s", <const char*>text)
    return None


def JobMessage(type, msg=None, /):
    """Add ``msg`` to the job's messages with severity ``type`` (an M_* code).

    M_FATAL fails the job; M_ERROR makes it end "with errors".
    """
    cdef int c_type = _as_i32(type, f"{_daemon.module_name}.JobMessage() argument 'type'")
    if msg is None:
        _require_context("JobMessage")
        return None
    cdef bytes text = _message_bytes("JobMessage", msg)
    cdef PluginContext* ctx = _require_context("JobMessage")
    file, line = _caller_location()
    _core.JobMessage(ctx, <const char*>file, <int>line, c_type, 0, b"%s", <const char*>text)
    return None


cdef list _event_numbers(str function, events):
    """The event numbers of ``events`` a script may (un)register, in order.

    Numbers outside the daemon's range are skipped, as the reference does; a
    debug message says so.  Anything that is not a sequence of ints is a
    TypeError naming the offending item.
    """
    try:
        items = list(events)
    except TypeError:
        raise TypeError(
            f"{_daemon.module_name}.{function}(): expected a sequence of event numbers, "
            f"not {type(events).__name__}") from None
    numbers = []
    for index, item in enumerate(items):
        if isinstance(item, float) or not hasattr(type(item), "__index__"):
            raise TypeError(
                f"{_daemon.module_name}.{function}(): event #{index} must be an int, "
                f"not {type(item).__name__}")
        number = item.__index__()
        if _daemon.first_event <= number <= _daemon.last_event:
            numbers.append(number)
        else:
            _debug_note(f"{function}(): skipping event {number}: outside "
                        f"{_daemon.first_event}..{_daemon.last_event}")
    return numbers


def RegisterEvents(events, /):
    """Ask the core to deliver the events in ``events`` to this instance.

    Returns the result of the last registration (stopping at the first that
    fails), or bRC_Error if no event was registered.
    """
    numbers = _event_numbers("RegisterEvents", events)
    cdef PluginContext* ctx = _require_context("RegisterEvents")
    cdef bRC rc = bRC_Error
    cdef unsigned int number
    for n in numbers:
        number = n
        rc = _core.registerBareosEvents(ctx, 1, number)
        if rc != bRC_OK:
            break
    return <int>rc


def UnRegisterEvents(events, /):
    """Stop delivering the events in ``events``; tries every one of them (the
    sd and dir modules stop at the first failure, as their reference does).

    Returns the result of the last call, or bRC_Error if there was none.
    """
    numbers = _event_numbers("UnRegisterEvents", events)
    cdef PluginContext* ctx = _require_context("UnRegisterEvents")
    cdef bRC rc = bRC_Error
    cdef unsigned int number
    for n in numbers:
        number = n
        rc = _core.unregisterBareosEvents(ctx, 1, number)
        if rc != bRC_OK and _daemon.unregister_stops:
            break
    return <int>rc


def GetInstanceCount():
    """How many instances of this plugin the core runs, or None if it cannot say."""
    cdef PluginContext* ctx = _require_context("GetInstanceCount")
    cdef int count = 0
    if _core.getInstanceCount(ctx, &count) != bRC_OK:
        return None
    return count
