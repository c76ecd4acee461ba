# The Job object (contract section 2): one per job, created by the daemon
# side (host.pxi) at job start, inert after JobEnd.  Attribute reads go to
# the daemon on every access (through the backend, see host.pxi); writes
# are validated here, then handed to the daemon.


cdef class Job:
    """A job of the daemon, as the scripts see it (``bacula.Job``).

    Created by the daemon only: it is the argument of JobStart, JobEnd and
    of every job event.  The attributes are those of the daemon's table
    (read live), the writable ones are checked before the daemon sees
    them.  It has no instance dictionary: per-job state belongs on the
    events object.  After JobEnd it is inert (RuntimeError on attribute
    access; write() goes to the daemon's messages)."""

    cdef int _kind              # BaculaDaemonKind
    cdef object _key            # the daemon's job (an int for the C daemon)
    cdef object _events         # the object given to set_events(), or None
    cdef str _event             # the job event being handled, or None
    cdef bint _ended            # JobEnd was delivered: inert
    cdef bint _detached         # python restart: no further events
    cdef list _pending          # write() text not yet ended by a newline
    cdef object _streams        # (sys.stdout, sys.stderr) as its handlers left them
    cdef object __weakref__

    def __cinit__(self):
        self._pending = []

    def __init__(self, *args, **kwargs):
        raise TypeError("Job objects are created by the daemon")

    def __repr__(self):
        state = " ended" if self._ended else ""
        return f"<bacula.Job of {_daemon_label(self._kind)}{state}>"

    # --- attributes -----------------------------------------------------

    def __getattr__(self, str name):
        reads = _READS[self._kind]
        if name in reads:
            self._check_alive(name)
            attribute, kind = reads[name]
            return _convert_read(_backend.get_value(self._key, attribute), kind)
        if name in _WRITES[self._kind]:
            raise AttributeError(f"Attribute {name} is write-only.")
        raise AttributeError(f"Attribute {name} not found.")

    def __setattr__(self, str name, value):
        if name not in _WRITES[self._kind]:
            if name in _READS[self._kind]:
                raise AttributeError(f"Attribute {name} is read-only.")
            raise AttributeError(f"Attribute {name} not found.")
        self._check_alive(name)
        if name == "JobReport":
            self._report(_checked_str(name, value))
        elif name == "Priority":
            self._set_priority(value)
        elif name == "VolumeName":
            self._set_volume_name(_checked_str(name, value))
        else:
            self._set_job_level(_checked_str(name, value))

    def __delattr__(self, str name):
        raise AttributeError(f"Attribute {name} cannot be deleted.")

    cdef _check_alive(self, str what):
        if self._ended:
            raise RuntimeError(f"{what}: this job has ended")

    cdef _report(self, str text):
        self._flush()  # keep the order of write() and JobReport text
        _backend.message(self._key, BaculaMessageInfo, text)

    cdef _set_priority(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"Priority must be an int, not {type(value).__name__}")
        if not 1 <= value <= 100:
            raise ValueError("Priority must be 1-100")
        self._set(BaculaAttrPriority, value)

    cdef _set_volume_name(self, str name):
        if self._event != "NewVolume":
            raise AttributeError("VolumeName can be set only during NewVolume")
        if not _legal_volume_name(name):
            self._set(BaculaAttrVolumeName, "")
            raise AttributeError(f"VolumeName {name!r} is not a legal volume name "
                                 "(1-127 characters of A-Z a-z 0-9 : . - _)")
        self._set(BaculaAttrVolumeName, name)

    cdef _set_job_level(self, str keyword):
        if self._event != "JobInit":
            raise RuntimeError("Job Level can be set only during JobInit")
        job_type = _backend.get_value(self._key, BaculaAttrType)
        code = _LEVEL_KEYWORDS.get(job_type, {}).get(keyword)
        if code is None:
            raise ValueError("Bad JobLevel string")
        self._set(BaculaAttrJobLevel, code)

    cdef _set(self, int attribute, value):
        if not _backend.set_value(self._key, attribute, value):
            raise RuntimeError(f"the daemon refused {value!r}")

    # --- methods of every daemon ------------------------------------------

    def set_events(self, events):
        """Make ``events`` this job's events object: its JobInit, JobRun,
        NewVolume and VolumePurged methods are looked up at each event."""
        self._check_alive("set_events")
        self._events = events

    def write(self, text):
        """Text for the job's log, one info message per complete line
        (the rest waits for its newline or the end of the event)."""
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self._ended:
            _module_write(text)
            return None
        self._pending.append(text)
        if "\n" in text:
            self._emit_lines()
        return None

    cdef _emit_lines(self):
        buffered = "".join(self._pending)
        complete, _, rest = buffered.rpartition("\n")
        self._pending = [rest] if rest else []
        for line in (complete + "\n").splitlines(keepends=True):
            _backend.message(self._key, BaculaMessageInfo, line)

    cdef _flush(self):
        """What write() holds back goes out now (end of an event)."""
        if self._pending:
            text = "".join(self._pending)
            self._pending = []
            _backend.message(self._key, BaculaMessageInfo, text)


cdef class DirectorJob(Job):
    """A director job: a Job with run(), cancel() and DoesVolumeExist()."""

    def run(self, command):
        """Run a console "run" command line in batch mode, e.g.
        ``"run job=Nightly level=Full yes"``; the new JobId, 0 if no job
        was started.  The new job's JobStart and JobInit run before this
        returns, on this thread."""
        self._check_alive("run")
        return int(_backend.run_job(self._key, _checked_str("run() argument", command)))

    def cancel(self, jobid):
        """Cancel the running job ``jobid``; ValueError if there is none."""
        self._check_alive("cancel")
        if isinstance(jobid, bool) or not isinstance(jobid, int):
            raise TypeError(f"cancel() argument must be an int, not {type(jobid).__name__}")
        if not _backend.cancel_job(self._key, jobid):
            raise ValueError(f"no running job with JobId {jobid}")
        return None

    def DoesVolumeExist(self, name):
        """1 if the catalog has a volume of that name (any pool), else 0."""
        self._check_alive("DoesVolumeExist")
        found = _backend.volume_exists(self._key, _checked_str("DoesVolumeExist() argument", name))
        if found < 0:
            raise RuntimeError("DoesVolumeExist: catalog error")
        return 1 if found else 0


cdef str _checked_str(str what, value):
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    return <str>value


cdef str _code(value):
    """A one-character status code (int from the daemon) as a str."""
    return chr(value) if value else ""


cdef object _convert_read(value, str kind):
    if kind == "level":
        return _LEVEL_NAMES.get(value, "Unknown Job Level")
    if kind == "type":
        return _TYPE_NAMES.get(value, "Unknown Type")
    if kind == "status":
        return _code(value)
    return value


cdef str _daemon_label(int kind):
    return {BaculaDaemonDirector: "the director", BaculaDaemonFile: "the file daemon",
            BaculaDaemonStorage: "the storage daemon"}.get(kind, "?")
