# The daemon side of the module: start-up (contract section 1.2), the
# daemon events (1.4, 1.5), job events (2.4), output (3.1), python restart
# (3.2) and error handling (3.3).
#
# The daemon is reached through a backend: the C daemon's callback table
# (capi.pxi) or, in tests, a Python object with the same methods
# (bareospy.bacula_testing.FakeBaculaDaemon):
#   get_value(job, attribute) -> int | str | None | tuple, AttributeError if unavailable
#   set_value(job, attribute, value) -> bool accepted
#   run_job(job, command) -> int JobId (0: not started)
#   cancel_job(job, jobid) -> bool cancelled
#   volume_exists(job, name) -> int (1, 0, negative: catalog error)
#   message(job or None, message_type, text)
# where `job` is the daemon's own job key.

import importlib as _importlib
import sys as _sys
import traceback as _traceback

Name = None
Version = None
ConfigFile = None
WorkingDir = None

cdef object _backend = None        # see above
cdef int _kind = 0                 # BaculaDaemonKind of the daemon
cdef str _scripts_dir = None
cdef bint _enabled = False         # the start-up module was imported
cdef dict _handlers = {"JobStart": None, "JobEnd": None, "Exit": None}
cdef object _handler_owner = None  # keeps the set_events() object alive
cdef set _live_jobs = set()        # between job start and job end
cdef list _module_pending = []     # bacula.write() text waiting for its newline
cdef object _daemon_streams = None # (sys.stdout, sys.stderr) after the start-up import


def set_events(events):
    """Register the daemon-event object: its JobStart, JobEnd and Exit
    methods are looked up now, once (a missing one is not called)."""
    global _handler_owner
    found = {}
    for name in _handlers:
        handler = getattr(events, name, None)
        found[name] = handler if callable(handler) else None
    _handlers.update(found)
    _handler_owner = events
    return None


def write(text):
    """Text for the daemon's messages (no job), one info message per
    complete line."""
    if not isinstance(text, str):
        raise TypeError(f"write() argument must be str, not {type(text).__name__}")
    _module_write(text)
    return None


cdef _module_write(str text):
    _module_pending.append(text)
    if "\n" in text:
        buffered = "".join(_module_pending)
        complete, _, rest = buffered.rpartition("\n")
        _module_pending[:] = [rest] if rest else []
        for line in (complete + "\n").splitlines(keepends=True):
            _message(None, BaculaMessageInfo, line)


cdef _flush_module_writes():
    if _module_pending:
        text = "".join(_module_pending)
        _module_pending.clear()
        _message(None, BaculaMessageInfo, text)


cdef _message(key, int message_type, str text):
    if _backend is not None:
        _backend.message(key, message_type, text)


cdef _print_traceback(stream):
    """The pending exception's traceback to ``stream`` (a script may have
    made sys.stderr a job's events object), never raising.  Flushed: before
    3.9 a non-terminal stderr is block-buffered, and the daemon may exit
    without finalizing Python, which would lose the text."""
    try:
        if stream is not None:
            _traceback.print_exc(file=stream)
            stream.flush()
    except Exception:
        pass


# --- start-up and restart ----------------------------------------------------

def _host_start(kind, name, version, config_file, working_dir, scripts_dir, backend):
    """Daemon start: remember the daemon, import its start-up module.
    Returns BaculaScriptingState (0 enabled, 1 disabled)."""
    global _backend, _kind, _scripts_dir, Name, Version, ConfigFile, WorkingDir
    if isinstance(kind, str):
        kind = _DAEMON_KINDS[kind]
    _detach_jobs()
    if _scripts_dir is not None and _scripts_dir in _sys.path:
        _sys.path.remove(_scripts_dir)   # a new start replaces the old directory
    _backend, _kind = backend, kind
    Name, Version, ConfigFile, WorkingDir = name, version, config_file, working_dir
    _scripts_dir = scripts_dir or None
    return _load_startup_module()


def _host_restart():
    """python restart: detach the jobs in flight, forget the handlers and
    import the start-up module again, from disk."""
    _detach_jobs()
    return _load_startup_module()


cdef _detach_jobs():
    for job in _live_jobs:
        (<Job>job)._detached = True
        (<Job>job)._events = None


cdef int _load_startup_module():
    global _enabled, _handler_owner, _daemon_streams
    _enabled = False
    _handlers.update(JobStart=None, JobEnd=None, Exit=None)
    _handler_owner = None
    if _scripts_dir is None:
        return BaculaScriptingDisabled
    module_name = _STARTUP_MODULES[_kind]
    if _scripts_dir not in _sys.path:
        _sys.path.append(_scripts_dir)    # appended: an earlier same-named module wins
    _sys.modules.pop(module_name, None)
    _importlib.invalidate_caches()
    try:
        _importlib.import_module(module_name)
    except BaseException:
        _print_traceback(_sys.__stderr__)
        _flush_module_writes()
        _message(None, BaculaMessageError,
                 f"Could not import Python script {_scripts_dir}/{module_name}. "
                 "Python disabled.\n")
        return BaculaScriptingDisabled
    _flush_module_writes()
    _daemon_streams = (_sys.stdout, _sys.stderr)
    _enabled = True
    return BaculaScriptingEnabled


# --- jobs ----------------------------------------------------------------------

# Output routing by job (contract 3.1 [rec]): sys.stdout and sys.stderr are
# process-wide, and the seed scripts point them at a job's events object in
# its JobStart.  So each job keeps the pair its handlers left, and gets it
# back whenever one of its handlers runs; between handlers (and for a job
# started inside another job's run()) the pair is what it was outside.  So
# print() in a handler goes to the job whose event it is, even with
# concurrent jobs, and never to a job that has ended.

cdef object _enter_job_streams(Job job):
    """Give `job` its streams; returns the pair to restore afterwards."""
    outside = (_sys.stdout, _sys.stderr)
    streams = job._streams if job._streams is not None else _daemon_streams
    if streams is not None:
        _sys.stdout, _sys.stderr = streams
    return outside


cdef _leave_job_streams(Job job, outside):
    job._streams = (_sys.stdout, _sys.stderr)
    _sys.stdout, _sys.stderr = outside


def _host_job_start(key):
    """Job start: a new Job object, given to the JobStart handler; None
    when Python is off or no JobStart handler is registered."""
    cdef Job job
    if not _enabled or _handlers["JobStart"] is None:
        return None
    job_class = DirectorJob if _kind == BaculaDaemonDirector else Job
    job = job_class.__new__(job_class)
    job._kind = _kind
    job._key = key
    _live_jobs.add(job)
    outside = _enter_job_streams(job)
    try:
        _call_daemon_handler("JobStart", job)
    finally:
        _leave_job_streams(job, outside)
    return job


def _host_job_event(Job job, int event):
    """A job event: the method of that name on the job's events object."""
    if job is None or job._ended or job._detached or job._events is None:
        return None
    name = _EVENT_NAMES.get(event)
    if name is None:
        return None
    method = getattr(job._events, name, None)
    if not callable(method):
        return None
    previous, job._event = job._event, name
    outside = _enter_job_streams(job)
    try:
        method(job)   # the return value is ignored
    except BaseException:
        _print_traceback(_sys.stderr)
        _message(job._key, BaculaMessageDebug, f"Error in Python method {name}\n")
    finally:
        job._event = previous
        job._flush()
        _flush_module_writes()
        _leave_job_streams(job, outside)
    return None


def _host_job_end(Job job):
    """Job end: the JobEnd handler (unless the job was detached by a
    restart), then the Job object becomes inert."""
    if job is None or job._ended:
        return None
    if not job._detached:
        outside = _enter_job_streams(job)
        try:
            _call_daemon_handler("JobEnd", job)
        finally:
            _leave_job_streams(job, outside)
    job._flush()
    job._ended = True
    job._events = None
    job._streams = None
    _live_jobs.discard(job)
    return None


def _host_exit():
    """Daemon exit: the Exit handler; its errors are ignored."""
    handler = _handlers["Exit"] if _enabled else None
    if handler is not None:
        try:
            handler()
        except BaseException:
            _print_traceback(_sys.stderr)
    _flush_module_writes()
    return None


cdef _call_daemon_handler(str name, Job job):
    """JobStart or JobEnd; an exception is reported in the job's log and
    the job goes on (the handler stays registered)."""
    handler = _handlers[name]
    if handler is None:
        return
    try:
        handler(job)  # the return value is ignored
    except BaseException as error:
        _print_traceback(_sys.stderr)
        job._flush()
        _message(job._key, BaculaMessageError,
                 f"Python {name} handler raised {type(error).__name__}: {error}\n")
    finally:
        job._flush()
        _flush_module_writes()
