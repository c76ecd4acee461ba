# What the plugin layer tells the daemon: its own job and debug messages, a
# script's exceptions and wrong return values, and what a script prints.
#
# A Python error never escapes to the daemon: an exception becomes a fatal
# job message with the full traceback (and a debug message at level 150) and
# the entry point answers bRC_Error; a return value that is not an int
# becomes a job message naming the function and what it returned.

import sys as _sys

if _PY2:   # CPython 2.7 (common/py2.pxi)
    _builtins_module, _importlib_util = _py2_builtins, _Py2Util
else:
    import builtins as _builtins_module
    import importlib.util as _importlib_util

from cpython.long cimport PyLong_AsLongAndOverflow


# -- the plugin layer's own tools, taken when the module is imported -------------------
# All instances share one interpreter, so a script can replace builtins
# (``builtins.open = None``) or sys.modules entries (``sys.modules["traceback"]
# = None``).  What the plugin layer itself needs must keep working for every
# other job: it is taken here, before any script runs.

# The builtins as they are before any script runs: each instance's private
# modules get a copy of these (common/loader.pxi), never the current ones.
_PRISTINE_BUILTINS = dict(vars(_builtins_module))
_original_import = _builtins_module.__import__
cdef dict _builtins_dict = vars(_builtins_module)   # the shared one scripts may change
cdef object _original_open = _builtins_module.open
cdef object _MISSING = object()


cdef dict _restore_pristine_builtins():
    """Put back the builtins a script replaced or deleted, for the duration of
    the plugin layer's own work (None: nothing to do, the usual case).

    Some C code of the interpreter looks up ``__import__`` in the builtins of
    the running Python code, importlib's included: with ``builtins.__import__
    = None`` no module file could be loaded, not even by another job.  The
    test is on ``__import__`` and ``open`` (what such scripts replace);
    _reapply_builtins() hands the script's values back.
    """
    if (_builtins_dict.get("__import__") is _original_import
            and _builtins_dict.get("open") is _original_open):
        return None
    saved = {}
    for key, value in _PRISTINE_BUILTINS.items():
        current = _builtins_dict.get(key, _MISSING)
        if current is not value:
            saved[key] = current
            _builtins_dict[key] = value
    return saved


cdef int _reapply_builtins(dict saved) except -1:
    """Undo _restore_pristine_builtins(), except where the builtins changed
    meanwhile (the last writer wins)."""
    if saved is None:
        return 0
    for key, value in saved.items():
        if _builtins_dict.get(key, _MISSING) is _PRISTINE_BUILTINS[key]:
            if value is _MISSING:
                del _builtins_dict[key]
            else:
                _builtins_dict[key] = value
    return 0


def _load_layer_module(str name, dict imports):
    """A private copy of the pure-Python module ``name`` for the plugin layer's
    own use: it runs with pristine builtins whose ``__import__`` answers from
    ``imports`` (modules taken now) first, so neither a replaced builtin nor a
    replaced sys.modules entry reaches it, not even in the imports its
    functions make when called."""
    def layer_import(name, globals=None, locals=None, fromlist=(), level=0):
        module = imports.get(name) if not level else None
        if module is not None:
            return module
        return _original_import(name, globals, locals, fromlist, level)
    layer_builtins = dict(_PRISTINE_BUILTINS)
    layer_builtins["__import__"] = layer_import
    spec = _importlib_util.find_spec(name)
    module = _importlib_util.module_from_spec(spec)
    module.__builtins__ = layer_builtins if not _PY2 else _builtins_dict  # (py2.pxi)
    spec.loader.exec_module(module)
    return module


def _layer_traceback_module():
    """A private traceback module (with a private linecache) for formatting
    the scripts' exceptions."""
    imports = {}
    # What traceback and linecache import inside their functions, in some
    # Python version (the optional ones only exist in some).
    for name in ("ast", "os", "sys", "tokenize", "unicodedata", "collections",
                 "_colorize", "_suggestions"):
        try:
            imports[name] = _original_import(name)
        except ImportError:
            pass
    imports["linecache"] = _load_layer_module("linecache", imports)
    return _load_layer_module("traceback", imports)


# The module is kept: a module that is freed has its globals set to None on
# CPython 2.7, which its format_exception would then find.
_layer_traceback = _layer_traceback_module()
_format_exception = _layer_traceback.format_exception

cdef int _DEBUG_LEVEL = 150
cdef long _INT_MIN = -2147483648
cdef long _INT_MAX = 2147483647


cdef void _send_job_message(PluginContext* ctx, int type, str text) noexcept:
    """A job message from the plugin layer itself (never raises)."""
    if _core is NULL:
        return
    try:
        data = text.encode("utf-8", "surrogateescape")
    except BaseException:
        return
    _core.JobMessage(ctx, b"bareospy", 0, type, 0, b"%s", <const char*>data)


cdef void _send_debug_message(PluginContext* ctx, int level, str text) noexcept:
    """A debug message from the plugin layer itself (never raises)."""
    if _core is NULL:
        return
    try:
        data = text.encode("utf-8", "surrogateescape")
    except BaseException:
        return
    _core.DebugMessage(ctx, b"bareospy", 0, level, b"%s", <const char*>data)


cdef str _format_current_exception():
    """The traceback of the exception being handled, as text."""
    saved = _restore_pristine_builtins()
    try:
        return _format_exception_info()
    finally:
        _reapply_builtins(saved)


cdef str _format_exception_info():
    try:
        error_type, error, tb = _sys.exc_info()
        # Start at the script's frame: the plugin layer's own frames say nothing.
        while tb is not None and tb.tb_next is not None and \
                tb.tb_frame.f_code.co_filename.startswith("bareospy/"):
            tb = tb.tb_next
        return "".join(_format_exception(error_type, error, tb))
    except BaseException:
        try:
            error_type = _sys.exc_info()[0]
            return f"{error_type.__name__} (the traceback could not be formatted)\n"
        except BaseException:
            return "a Python error (it could not be formatted)\n"


cdef bRC _report_exception(PluginContext* ctx) noexcept:
    """Report the exception being handled: debug 150 + M_FATAL with traceback."""
    cdef str text
    try:
        text = _daemon.traceback_prefix + _format_current_exception()
    except BaseException:
        text = _daemon.traceback_prefix + "a Python error (it could not be formatted)\n"
    _send_debug_message(ctx, _DEBUG_LEVEL, text)
    _send_job_message(ctx, M_FATAL, text)
    return bRC_Error


cdef extern from *:
    """
    #if PY_VERSION_HEX < 0x030B0000 && !defined(Py_LIMITED_API) && !defined(PYPY_VERSION)
      #include <longintrepr.h>
    #endif

    /* A small int's value without a call: the int types' own layout through
     * the accessors each version offers (3.12+: the unstable "compact"
     * API; before: the digit count in ob_size).  0 when it is not small. */
    static inline int bareospy_small_int(PyObject* number, long* value)
    {
    #if PY_MAJOR_VERSION < 3
        /* 2.7 (the legacy build): `type(x) is int` means PyInt, a C long */
        *value = PyInt_AS_LONG(number);
        return 1;
    #elif PY_VERSION_HEX >= 0x030C0000 && !defined(Py_LIMITED_API)
        if (!PyUnstable_Long_IsCompact((PyLongObject*)number)) return 0;
        *value = (long)PyUnstable_Long_CompactValue((PyLongObject*)number);
        return 1;
    #elif !defined(Py_LIMITED_API) && !defined(PYPY_VERSION)
        Py_ssize_t size = Py_SIZE(number);
        if (size < -1 || size > 1) return 0;
        /* zero may have no digit allocated at all (3.8-3.10) */
        *value = size == 0 ? 0 : (long)size * (long)((PyLongObject*)number)->ob_digit[0];
        return 1;
    #else
        (void)number, (void)value;
        return 0;
    #endif
    }

    /* function(argument): the one-argument vectorcall the baselines use. */
    static inline PyObject* bareospy_call_one(PyObject* function, PyObject* argument)
    {
    #if PY_VERSION_HEX >= 0x03090000
        return PyObject_CallOneArg(function, argument);
    #else
        return PyObject_CallFunctionObjArgs(function, argument, NULL);
    #endif
    }
    """
    bint bareospy_small_int(object number, long* value) noexcept
    object bareospy_call_one(object function, object argument)


cdef inline bRC _as_brc(PluginContext* ctx, str function, object result) noexcept:
    """A script's return value as a bRC: an exact int of one digit (what
    nearly every script returns) without a call, the rest by _as_brc_any."""
    cdef long value
    if type(result) is int and bareospy_small_int(result, &value):
        return <bRC>value      # |value| < 2**30: always an int
    return _as_brc_any(ctx, function, result)


cdef bRC _as_brc_any(PluginContext* ctx, str function, object result) noexcept:
    """A script's return value as a bRC (spec §3.2: ints as they are, True is 1).

    Anything else is reported (M_ERROR, naming the function) and is bRC_Error.
    """
    cdef long value
    cdef int overflow = 0
    if type(result) is int:  # nearly every answer: read it without a try frame
        value = PyLong_AsLongAndOverflow(result, &overflow)
        if not overflow and _INT_MIN <= value <= _INT_MAX:
            return <bRC>value
    try:
        if isinstance(result, int):
            value = result
            if _INT_MIN <= value <= _INT_MAX:
                return <bRC>value
        elif not isinstance(result, float) and hasattr(type(result), "__index__"):
            return _as_brc_any(ctx, function, result.__index__())
    except BaseException:
        pass
    try:
        text = (f"{_daemon.plugin_prefix}{function}() returned {result!r:.200} "
                f"({type(result).__name__}), not a bRC return code\n")
    except BaseException:
        text = f"{_daemon.plugin_prefix}{function}() returned an object that is not a bRC return code\n"
    _send_debug_message(ctx, _DEBUG_LEVEL, text)
    _send_job_message(ctx, M_ERROR, text)
    return bRC_Error


cdef void _debug_note(str text) noexcept:
    """A level-150 debug note about the calling thread's instance, in the
    module's message format (prefix + ``text`` + newline)."""
    try:
        text = f"{_daemon.message_prefix}{text}\n"
    except BaseException:
        return
    _send_debug_message(bareospy_get_context(), _DEBUG_LEVEL, text)


cdef object _script_function(_InstanceBase state, str name):
    """The script's function ``name``, looked up now (scripts may rebind them), or None."""
    if state is None or state.functions is None:
        return None
    function = state.functions.get(name)
    return function if callable(function) else None


cdef extern from *:
    """
    /* A tag that differs after every change of `dict` (PEP 509's
     * ma_version_tag: each insertion, deletion or replacement of a value
     * takes a new number from one interpreter-wide counter), or 0 where it
     * cannot be read: 3.14 removed it, 2.7 never had it, and it is not part
     * of the limited API.  3.12 and 3.13 deprecate reading it from extensions but still
     * maintain it on every change, which is all this relies on. */
    #if PY_VERSION_HEX >= 0x03060000 && PY_VERSION_HEX < 0x030E0000 && !defined(Py_LIMITED_API) \
        && !defined(PYPY_VERSION) && !defined(Py_GIL_DISABLED)
      #if defined(__GNUC__)
        #pragma GCC diagnostic push
        #pragma GCC diagnostic ignored "-Wdeprecated-declarations"
      #endif
    static inline unsigned long long bareospy_dict_version(PyObject* dict)
    {
        return (unsigned long long)((PyDictObject*)dict)->ma_version_tag;
    }
      #if defined(__GNUC__)
        #pragma GCC diagnostic pop
      #endif
    #else
    static inline unsigned long long bareospy_dict_version(PyObject* dict)
    {
        (void)dict;
        return 0;
    }
    #endif
    """
    unsigned long long bareospy_dict_version(dict d) noexcept


cdef bRC _missing_function(PluginContext* ctx, str name) noexcept:
    _send_debug_message(ctx, _DEBUG_LEVEL,
                        f"{_daemon.message_prefix}Failed to find function named {name}()\n")
    return bRC_Error


cdef class _DaemonStream:
    """sys.stdout / sys.stderr inside a daemon: lines go to the daemon's messages.

    A daemon's own stdout and stderr are usually closed or /dev/null; what a
    script prints (or Python prints about an error in a thread) must not be lost.
    """
    cdef int job_type        # job message type when a job is active, 0: debug only
    cdef int debug_level
    cdef str label
    cdef list pending

    def __init__(self, str label, int job_type, int debug_level):
        self.label = label
        self.job_type = job_type
        self.debug_level = debug_level
        self.pending = []

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.pending.append(text)
        if "\n" in text:
            buffered = "".join(self.pending)
            lines, _, rest = buffered.rpartition("\n")
            self.pending = [rest] if rest else []
            self._send(lines)
        return len(text)

    def flush(self):
        if self.pending:
            buffered, self.pending = "".join(self.pending), []
            self._send(buffered)

    def isatty(self):
        return False

    def writable(self):
        return True

    @property
    def buffer(self):
        """The binary side (``sys.stdout.buffer.write(b"...")``): bytes are decoded
        as UTF-8 with surrogate escapes and sent like text."""
        return _DaemonBinaryStream(self)

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "surrogateescape"

    def _send(self, str lines):
        cdef PluginContext* ctx = bareospy_get_context()
        for line in lines.split("\n"):
            text = f"{_daemon.plugin_prefix}{self.label}: {line}\n"
            if self.job_type and ctx is not NULL:
                _send_job_message(ctx, self.job_type, text)
            else:
                _send_debug_message(ctx, self.debug_level, text)


class _DaemonBinaryStream:
    """``buffer`` of a _DaemonStream: accepts bytes, passes text on."""

    def __init__(self, text_stream):
        self._text = text_stream

    def write(self, data):
        self._text.write(bytes(data).decode("utf-8", "surrogateescape"))
        return len(data)

    def flush(self):
        self._text.flush()


def _unraisable_hook(unraisable):
    """sys.unraisablehook inside a daemon: report as a warning with the traceback."""
    saved = _restore_pristine_builtins()
    try:
        lines = _format_exception(unraisable.exc_type, unraisable.exc_value,
                                  unraisable.exc_traceback)
    finally:
        _reapply_builtins(saved)
    where = unraisable.err_msg or "Exception ignored in"
    text = f"{_daemon.plugin_prefix}{where}: {unraisable.object!r}\n" + "".join(lines)
    cdef PluginContext* ctx = bareospy_get_context()
    if ctx is not NULL:
        _send_job_message(ctx, M_WARNING, text)
    else:
        _send_debug_message(ctx, 1, text)


# The daemon's streams, once _redirect_python_output() installed them.
cdef object _daemon_stdout = None
cdef object _daemon_stderr = None


cdef void _redirect_python_output() except *:
    """Route print(), stray tracebacks and unraisable errors to the daemon."""
    global _daemon_stdout, _daemon_stderr
    _daemon_stdout = _DaemonStream("stdout", 0, 100)
    _daemon_stderr = _DaemonStream("stderr", M_WARNING, 1)
    _sys.stdout = _daemon_stdout
    _sys.stderr = _daemon_stderr
    _sys.unraisablehook = _unraisable_hook


cdef void _flush_python_output() noexcept:
    """Flush what a call printed.  sys.stdout and sys.stderr are shared by
    every job: one a script deleted or set to None is put back (a stream it
    replaced by another object is its choice and stays)."""
    cdef dict names = _sys.__dict__
    for name, ours in (("stdout", _daemon_stdout), ("stderr", _daemon_stderr)):
        stream = names.get(name)
        if stream is None and ours is not None:
            names[name] = stream = ours
        try:
            if stream is not None:
                stream.flush()
        except BaseException:
            pass
