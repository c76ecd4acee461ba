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


cdef extern from *:
    """
    #include <frameobject.h>
    #include <string.h>

    /* CPython 3.11+ materialises a frame object (and frees it again when the
     * function returns) for PyEval_GetFrame(): about 450 instructions, more
     * than the rest of a DebugMessage.  There the code object and instruction
     * offset are read from the interpreter's own frame record instead, with
     * the declarations CPython ships for it (the same internal header Cython's
     * traceback code includes).  Other versions and builds take the public
     * API; tests/fd/test_message_location.py pins the result on each. */
    #if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030E0000 \
        && !defined(PYPY_VERSION) && !defined(Py_LIMITED_API) && !defined(Py_GIL_DISABLED)
      #define BAREOSPY_INTERPRETER_FRAMES 1
      #ifndef Py_BUILD_CORE
        #define Py_BUILD_CORE 1
        #define BAREOSPY_DEFINED_BUILD_CORE 1
      #endif
      #include "internal/pycore_frame.h"
      #ifdef BAREOSPY_DEFINED_BUILD_CORE
        #undef Py_BUILD_CORE
        #undef BAREOSPY_DEFINED_BUILD_CORE
      #endif
    #else
      #define BAREOSPY_INTERPRETER_FRAMES 0
    #endif

    /* prefix + text + suffix into out (capacity bytes, NUL-terminated). */
    static void bareospy_join3(char* out, const char* a, size_t na, const char* b, size_t nb,
                               const char* c, size_t nc)
    {
        memcpy(out, a, na);
        memcpy(out + na, b, nb);
        memcpy(out + na + nb, c, nc);
        out[na + nb + nc] = 0;
    }

    /* The code object (borrowed: the running frame holds it) and the
     * instruction offset of the innermost Python frame that has started
     * running; 0 when no Python code is running.  The offset is only a cache
     * key: its unit differs between versions. */
    static int bareospy_current_code(PyObject** code, int* lasti)
    {
    #if BAREOSPY_INTERPRETER_FRAMES
        PyThreadState* tstate = PyThreadState_Get();
      #if PY_VERSION_HEX >= 0x030D0000
        _PyInterpreterFrame* frame = tstate->current_frame;
      #else
        _PyInterpreterFrame* frame = tstate->cframe->current_frame;
      #endif
        /* What PyEval_GetFrame() skips: frames whose function has not
         * started (and, 3.12+, the C stack's entry records). */
        while (frame != NULL && _PyFrame_IsIncomplete(frame)) frame = frame->previous;
        if (frame == NULL) return 0;
      #if PY_VERSION_HEX >= 0x030D0000
        *code = (PyObject*)_PyFrame_GetCode(frame);
      #else
        *code = (PyObject*)frame->f_code;
      #endif
        *lasti = _PyInterpreterFrame_LASTI(frame);
        return 1;
    #else
        PyFrameObject* frame = PyEval_GetFrame();
        if (frame == NULL) return 0;
      #if PY_VERSION_HEX >= 0x030B0000
        /* PyFrame_GetCode returns a new reference; the frame keeps another. */
        *code = (PyObject*)PyFrame_GetCode(frame);
        Py_DECREF(*code);
        *lasti = PyFrame_GetLasti(frame);
      #else
        *code = (PyObject*)frame->f_code;
        *lasti = frame->f_lasti;
      #endif
        return 1;
    #endif
    }

    /* Whether the weak reference `ref` refers to `object`, which is alive.
     * Reads the field PyWeakref_GetObject() returns (deprecated in 3.13):
     * it holds the object until that dies, then Py_None. */
    static int bareospy_weakref_is(PyObject* ref, PyObject* object)
    {
        return ((PyWeakReference*)ref)->wr_object == object;
    }

    /* Whether a trace function runs: it may set a frame's line number, so the
     * line is then read from the frame, never from the cache. */
    static int bareospy_tracing(void)
    {
        return PyThreadState_Get()->c_tracefunc != NULL;
    }
    """
    void bareospy_join3(char* out, const char* a, size_t na, const char* b, size_t nb,
                        const char* c, size_t nc)
    const char* PyUnicode_AsUTF8AndSize(object text, Py_ssize_t* size) except NULL
    const char* _utf8_or_null "PyUnicode_AsUTF8AndSize"(object text, Py_ssize_t* size)
    void* PyMem_Malloc(size_t size)
    void PyMem_Free(void* p)
    int bareospy_current_code(PyObject** code, int* lasti) noexcept
    int bareospy_weakref_is(PyObject* ref, PyObject* target) noexcept
    int bareospy_tracing() noexcept
    ctypedef struct PyFrameObject
    PyFrameObject* PyEval_GetFrame()
    int PyFrame_GetLineNumber(PyFrameObject* frame)
    PyObject* PyWeakref_NewRef(object ob, PyObject* callback) except NULL
    int PyErr_ExceptionMatches(object exc)
    void PyErr_Clear()


# Where a script's messages come from, cached by (code object, instruction
# offset): the line of an offset never changes, and finding it walks the code's
# line table.  An entry holds a weak reference to its code object, so a freed
# instance's code is not kept alive and a new code object at the same address
# never matches.
cdef enum:
    _LOCATION_SLOTS = 256

ctypedef struct _Location:
    PyObject* code_ref      # weakref to the code object (owned), or NULL
    int lasti
    int line
    PyObject* file          # bytes (owned)

cdef _Location _locations[_LOCATION_SLOTS]


cdef inline size_t _location_slot(PyObject* code, int lasti) noexcept:
    return ((<size_t>code >> 4) ^ (<size_t>lasti * 2654435761u)) % _LOCATION_SLOTS


cdef bytes _caller_location_slow(PyObject* code, int lasti, int* line):
    """Compute the location of the current frame and remember it."""
    cdef PyFrameObject* frame = PyEval_GetFrame()
    line[0] = PyFrame_GetLineNumber(frame)
    cdef bytes file = (<object>code).co_filename.encode("utf-8", "surrogateescape")
    if bareospy_tracing():
        return file
    cdef _Location* entry = &_locations[_location_slot(code, lasti)]
    cdef PyObject* ref = PyWeakref_NewRef(<object>code, NULL)
    Py_XDECREF(entry.code_ref)
    Py_XDECREF(entry.file)
    entry.code_ref = ref
    entry.lasti = lasti
    entry.line = line[0]
    Py_INCREF(file)
    entry.file = <PyObject*>file
    return file


cdef bytes _caller_location(int* line):
    """The file name (bytes) and, in ``line``, the line of the Python code
    that called us; b"<python>" and 0 if there is none or it cannot be found.

    Cython functions push no frame, so the innermost frame is the script's own.
    Neither a frame object nor a line number is computed when the cache knows
    the place.
    """
    cdef PyObject* code = NULL
    cdef int lasti = 0
    cdef _Location* entry
    if not bareospy_current_code(&code, &lasti):
        line[0] = 0
        return b"<python>"
    entry = &_locations[_location_slot(code, lasti)]
    if (entry.code_ref != NULL and entry.lasti == lasti
            and bareospy_weakref_is(entry.code_ref, code) and not bareospy_tracing()):
        line[0] = entry.line
        return <bytes>entry.file
    try:
        return _caller_location_slow(code, lasti, line)
    except Exception:
        line[0] = 0
        return b"<python>"


cdef inline int32_t _message_i32(object value, str function, str argument) except? -1:
    """``value`` as an int32_t; the error text is only built for other types."""
    cdef long number
    cdef int overflow = 0
    if type(value) is int:
        number = PyLong_AsLongAndOverflow(value, &overflow)
        if not overflow and INT32_MIN <= number <= INT32_MAX:
            return <int32_t>number
    return _as_i32(value, f"{_daemon.module_name}.{function}() argument '{argument}'")


cdef enum:
    _MESSAGE_STACK = 512    # messages up to this size are joined on the C stack


cdef const char* _prefix_utf8 = NULL   # _daemon.message_prefix/suffix as UTF-8,
cdef Py_ssize_t _prefix_size = 0        # kept alive by _daemon (set once, never
cdef const char* _suffix_utf8 = NULL   # changed): looked up on the first message
cdef Py_ssize_t _suffix_size = 0


cdef int _send_message(PluginContext* ctx, bint debug, int number, str msg) except -1:
    """Send prefix + msg + suffix, UTF-8, as a debug (level ``number``) or
    job message (type ``number``) with the caller's file and line.

    A str that is valid UTF-8 is joined in C from its cached UTF-8 form: no
    Python string is built.  One with lone surrogates takes the
    surrogateescape path of _message_bytes.
    """
    global _prefix_utf8, _prefix_size, _suffix_utf8, _suffix_size
    if _prefix_utf8 == NULL:
        _suffix_utf8 = PyUnicode_AsUTF8AndSize(_daemon.message_suffix, &_suffix_size)
        _prefix_utf8 = PyUnicode_AsUTF8AndSize(_daemon.message_prefix, &_prefix_size)
    cdef const char* prefix = _prefix_utf8
    cdef const char* suffix = _suffix_utf8
    cdef Py_ssize_t n_prefix = _prefix_size, n_suffix = _suffix_size, n_text
    cdef bytes encoded
    cdef const char* text = _utf8_or_null(msg, &n_text)
    if text == NULL:
        if not PyErr_ExceptionMatches(UnicodeEncodeError):
            return -1                           # the error stays set
        PyErr_Clear()
        encoded = _message_bytes("DebugMessage" if debug else "JobMessage", msg)
        text = encoded
        n_text = len(encoded)
        prefix = suffix = b""
        n_prefix = n_suffix = 0
    cdef int line
    cdef bytes file = _caller_location(&line)
    cdef char stack[_MESSAGE_STACK]
    cdef size_t total = <size_t>(n_prefix + n_text + n_suffix) + 1
    cdef char* joined = &stack[0]
    if total > _MESSAGE_STACK:
        joined = <char*>PyMem_Malloc(total)
        if joined == NULL:
            raise MemoryError()
    bareospy_join3(joined, prefix, n_prefix, text, n_text, suffix, n_suffix)
    if debug:
        _core.DebugMessage(ctx, <const char*>file, line, number, b"%s", joined)
    else:
        _core.JobMessage(ctx, <const char*>file, line, number, 0, b"%s", joined)
    if joined != &stack[0]:
        PyMem_Free(joined)
    return 0


def DebugMessage(level, msg=None, /):
    """Send ``msg`` to the daemon's debug log at ``level`` (shown at -d level or more)."""
    cdef int c_level = _message_i32(level, "DebugMessage", "level")
    if msg is None:
        _require_context("DebugMessage")
        return None
    if not isinstance(msg, str):
        _message_bytes("DebugMessage", msg)     # raises the TypeError
    cdef PluginContext* ctx = _require_context("DebugMessage")
    _send_message(ctx, True, c_level, <str>msg)
    return None


def JobMessage(type, msg=None, /):
    """Add ``msg`` to the job's messages with severity ``type`` (an M_* code).

    M_FATAL fails the job; M_ERROR makes it end "with errors".
    """
    cdef int c_type = _message_i32(type, "JobMessage", "type")
    if msg is None:
        _require_context("JobMessage")
        return None
    if not isinstance(msg, str):
        _message_bytes("JobMessage", msg)       # raises the TypeError
    cdef PluginContext* ctx = _require_context("JobMessage")
    _send_message(ctx, False, c_type, <str>msg)
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
