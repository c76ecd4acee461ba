"""The plugin authors' test kit: a fake daemon core for pytest.

A plugin script calls back into the daemon through ``bareosfd`` (``bareossd``,
``bareosdir``); outside a daemon those calls raise RuntimeError.
:class:`FakeCore` is a small in-process core: activate it and every function
of the module works, answering from :attr:`FakeCore.values` and recording
what the plugin asked::

    import bareosfd
    from bareospy.testing import FakeCore

    def test_my_plugin_reports_the_job():
        core = FakeCore(values={bareosfd.bVarJobId: 7})
        with core.active():
            my_plugin.start()                      # calls bareosfd.* freely
        assert core.job_messages[0].text.endswith("job 7 started")

The core is real C: its ``CoreFunctions`` table is installed into ``bareosfd``
through the module's C API, exactly as a daemon plugin does it.

The same class fakes the storage daemon and the director: ``FakeCore(daemon="sd")``
activates ``bareossd`` (values: :data:`SD_DEFAULT_VALUES`), ``daemon="dir"``
``bareosdir`` (:data:`DIR_DEFAULT_VALUES`); their SetValue calls are recorded
in :attr:`FakeCore.set_value_calls` with the value the core read.

Strict by default: inside ``active()`` every bareospy warning
(:class:`bareospy.warnings.PacketValueWarning`: an int truncated to its packet
field, an object the core cannot take, ...) raises, so a test fails where the
daemon would go on with a value the script did not mean.
``FakeCore(strict=False)`` leaves them warnings.
"""

import contextlib
import os
import shutil
import sys
import tempfile
import warnings
import weakref
from collections import namedtuple
from typing import Dict, List, Tuple

import bareosdir
import bareosfd
import bareossd

from bareospy import _testcore
from bareospy.warnings import BareospyWarning

class JobMessage(namedtuple("JobMessage", "type text file line")):
    """A job message as the core received it; ``text`` includes the module's prefix.

    ``type_name`` is the M_* name of ``type`` ("M_ERROR", ...).
    """
    __slots__ = ()

    @property
    def type_name(self):
        return message_type_name(self.type)

    def __repr__(self):
        return (f"JobMessage(type={self.type_name}, text={self.text!r}, "
                f"file={self.file!r}, line={self.line!r})")


def message_type_name(number):
    """The M_* name of a job message type number ("M_ERROR" for 4), or str(number)."""
    for name in dir(bareosfd):
        if name.startswith("M_") and getattr(bareosfd, name) == number:
            return name
    return str(number)


def message_type(name):
    """The job message type number of an M_* name ("M_ERROR" or "ERROR")."""
    name = name if name.startswith("M_") else "M_" + name
    try:
        return getattr(bareosfd, name)
    except AttributeError:
        raise ValueError(f"no job message type {name!r}") from None


#: A debug message as the core received it.
DebugMessage = namedtuple("DebugMessage", "level text file line")
#: A FileSet-building call: ``name`` is e.g. "AddExclude"; ``item``/``type`` may be None/0.
FilesetCall = namedtuple("FilesetCall", "name item type")
#: A SetSeenBitmap (``clear`` False) or ClearSeenBitmap (``clear`` True) call.
SeenCall = namedtuple("SeenCall", "clear all fname")

#: bVarWorkingDir of a FakeCore made without ``working_dir``: a temporary
#: directory, made when the script first asks for it and removed with the core.
TEMPORARY_WORKING_DIR = "<a temporary directory>"

#: What GetValue answers unless a test says otherwise: a Full backup job.
DEFAULT_VALUES = {
    bareosfd.bVarJobId: 1,
    bareosfd.bVarFDName: "bareospy-fd",
    bareosfd.bVarLevel: ord("F"),
    bareosfd.bVarType: ord("B"),
    bareosfd.bVarClient: "bareospy-fd",
    bareosfd.bVarJobName: "BackupClient1.2026-11-21_23.59.59_01",
    bareosfd.bVarJobStatus: ord("R"),
    bareosfd.bVarAccurate: 0,
    bareosfd.bVarWorkingDir: TEMPORARY_WORKING_DIR,
    bareosfd.bVarExePath: "/usr/sbin",
    bareosfd.bVarVersion: "bareospy",
    bareosfd.bVarPrefixLinks: 0,
    bareosfd.bVarUsedConfig: "/etc/bareos/bareos-fd.d/*/*.conf",
}


#: What the storage daemon's GetValue answers unless a test says otherwise.
SD_DEFAULT_VALUES = {
    bareossd.bsdVarJob: "BackupClient1",
    bareossd.bsdVarLevel: ord("F"),
    bareossd.bsdVarType: ord("B"),
    bareossd.bsdVarJobId: 1,
    bareossd.bsdVarClient: "bareospy-fd",
    bareossd.bsdVarPool: "Full",
    bareossd.bsdVarPoolType: "Backup",
    bareossd.bsdVarStorage: "FileStorage",
    bareossd.bsdVarMediaType: "File",
    bareossd.bsdVarJobName: "BackupClient1.2026-11-21_23.59.59_01",
    bareossd.bsdVarJobStatus: ord("R"),
    bareossd.bsdVarVolumeName: "Full-0001",
    bareossd.bsdVarJobErrors: 0,
    bareossd.bsdVarJobFiles: 0,
    bareossd.bsdVarJobBytes: 0,
}

#: What the director's GetValue answers unless a test says otherwise
#: (bDirVarCatalogRes is absent: the real core always refuses it).
DIR_DEFAULT_VALUES = {
    bareosdir.bDirVarJob: "BackupClient1",
    bareosdir.bDirVarLevel: ord("F"),
    bareosdir.bDirVarType: ord("B"),
    bareosdir.bDirVarJobId: 1,
    bareosdir.bDirVarClient: "bareospy-fd",
    bareosdir.bDirVarNumVols: 0,
    bareosdir.bDirVarPool: "Full",
    bareosdir.bDirVarStorage: "File",
    bareosdir.bDirVarWriteStorage: "File",
    bareosdir.bDirVarCatalog: "MyCatalog",
    bareosdir.bDirVarMediaType: "File",
    bareosdir.bDirVarJobName: "BackupClient1.2026-11-21_23.59.59_01",
    bareosdir.bDirVarJobStatus: ord("R"),
    bareosdir.bDirVarPriority: 10,
    bareosdir.bDirVarVolumeName: "Full-0001",
    bareosdir.bDirVarJobErrors: 0,
    bareosdir.bDirVarJobFiles: 0,
    bareosdir.bDirVarSDJobFiles: 0,
    bareosdir.bDirVarSDErrors: 0,
    bareosdir.bDirVarFDJobStatus: ord("R"),
    bareosdir.bDirVarSDJobStatus: ord("R"),
    bareosdir.bDirVarLastRate: 0,
    bareosdir.bDirVarJobBytes: 0,
    bareosdir.bDirVarReadBytes: 0,
}

# Per daemon: default values, and the C types the core reads and writes
# where they are not char* for a str and int for an int (see _testcore.pyx).
_Profile = namedtuple("_Profile", "defaults value_kinds set_kinds check_changes")
_PROFILES = {
    "fd": _Profile(DEFAULT_VALUES,
                   {bareosfd.bVarCheckChanges: "bool", bareosfd.bVarAccurateOptions: "u64"},
                   {bareosfd.bVarCheckChanges: "bool", bareosfd.bVarFileSeen: "str"},
                   bareosfd.bVarCheckChanges),
    "sd": _Profile(SD_DEFAULT_VALUES, {bareossd.bsdVarJobBytes: "u64"},
                   {bareossd.bsdwVarVolumeName: "str", bareossd.bsdwVarPriority: "int",
                    bareossd.bsdwVarJobLevel: "int"}, None),
    "dir": _Profile(DIR_DEFAULT_VALUES,
                    {bareosdir.bDirVarJobBytes: "u64", bareosdir.bDirVarReadBytes: "u64"},
                    {bareosdir.bwDirVarVolumeName: "str", bareosdir.bwDirVarPriority: "int",
                     bareosdir.bwDirVarJobLevel: "int"}, None),
}


class FakeCore:
    """An in-process daemon core that records every callback.

    ``daemon`` is "fd" (the default: ``bareosfd``), "sd" (``bareossd``) or
    "dir" (``bareosdir``).

    ``values`` maps bVar* numbers to what GetValue returns (str, int, bool, or
    a frozenset-able int bitmask for bVarAccurateOptions); a variable that is
    missing makes the core answer bRC_Error, so GetValue returns None.
    ``results`` maps a core function name ("AddExclude", "SetValue",
    "RegisterEvents", "SetSeenBitmap", ...) to the bRC it answers (default
    bRC_OK).  Override :meth:`check_changes` and :meth:`accept_file` to model
    the core's change detection and FileSet rules.  ``strict`` (default
    True) turns bareospy's warnings into errors while the core is active.
    ``working_dir`` is what GetValue(bVarWorkingDir) answers; without it, a
    temporary directory made when first asked for and removed with the core.
    ``route_output`` sends print(), sys.stderr and warnings where the daemon
    sends them while the core is active.
    """

    def __init__(self, values=None, *, daemon="fd", instance_count=1, results=None,
                 strict=True, working_dir=None, route_output=False):
        if daemon not in _PROFILES:
            raise ValueError(f"unknown daemon {daemon!r}: fd, sd or dir")
        self.daemon = daemon
        self._profile = _PROFILES[daemon]
        self.values = dict(self._profile.defaults)
        if working_dir is not None and daemon == "fd":
            self.values[bareosfd.bVarWorkingDir] = os.fspath(working_dir)
        self.values.update(values or {})
        self.route_output = route_output
        self._activations = []
        self.instance_count = instance_count
        self.results = dict(results or {})
        self.strict = strict
        self.check_changes_flag = True
        self.events = set()
        self.event_calls = []
        self.job_messages = []
        self.debug_messages = []
        self.fileset_calls = []
        self.seen_calls = []
        self.set_value_calls = []
        self.queries = []
        self._hook_errors = []
        self._c_strings = {}
        self._kept_instances = []

    # -- activation ---------------------------------------------------------
    @contextlib.contextmanager
    def active(self, instance=0):
        """Make a fresh plugin instance of this core active on this thread.

        The file daemon's instance gets the job level (``values[bVarLevel]``)
        and since time (``values[bVarSinceTime]``) as the daemon sends them,
        by bEventLevel and bEventSince.  Nested, the outer instance is active
        again afterwards.
        """
        activation = _testcore.Activation(self, instance, self.daemon)
        activation.enter()
        self._activations.append(activation)
        depth = len(self._activations)
        try:
            if self.daemon == "fd":
                self._send_level_and_since(activation)
            with warnings.catch_warnings(), self._routed_output():
                if self.strict:
                    warnings.simplefilter("error", BareospyWarning)
                yield self
        finally:
            while len(self._activations) > depth and self._kept_instances:
                self._kept_instances.pop().close()   # scripts load_script() kept alive
            self._activations.pop()
            activation.leave()
            if self._activations:
                self._activations[-1].resume()
            self._raise_hook_errors()

    def _send_level_and_since(self, activation):
        level = self.values.get(bareosfd.bVarLevel)
        if isinstance(level, str):
            level = ord(level)
        if level:
            activation.event(bareosfd.bEventLevel, level)
        since = self.values.get(bareosfd.bVarSinceTime)
        if since:
            activation.event(bareosfd.bEventSince, int(since))

    @contextlib.contextmanager
    def _routed_output(self):
        """With ``route_output``: print() becomes debug messages (level 100),
        sys.stderr and warnings job warnings, as in the daemon."""
        if not self.route_output:
            yield
            return
        module = _module_of(self.daemon)
        saved = sys.stdout, sys.stderr, warnings.showwarning
        sys.stdout = _RoutedStream("stdout", lambda text: module.DebugMessage(100, text))
        sys.stderr = _RoutedStream("stderr", lambda text: module.JobMessage(module.M_WARNING, text))

        def showwarning(message, category, filename, lineno, file=None, line=None):
            module.JobMessage(module.M_WARNING, warnings.formatwarning(
                message, category, filename, lineno, line))
        warnings.showwarning = showwarning
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            sys.stdout, sys.stderr, warnings.showwarning = saved

    # -- message helpers ----------------------------------------------------
    def messages(self, type_name: str) -> List[str]:
        """The texts of the job messages of one type, by name: ``messages("M_ERROR")``."""
        number = message_type(type_name)
        return [message.text for message in self.job_messages if message.type == number]

    # -- whole jobs (the file daemon's C entry points, docs/plugin-api.md §8) --
    def load_script(self, path, definition=""):
        """Load the script at ``path`` in a fresh instance, through the daemon's
        loader (a plugin definition with module_path/module_name), and return
        the module.  The instance stays alive (and active) until the core is
        deactivated."""
        stack = contextlib.ExitStack()
        stack.enter_context(self.active())
        self._kept_instances.append(stack)
        activation = self._activations[-1]
        rc = activation.event(bareosfd.bEventPluginCommand, _definition(path, definition))
        if rc != bareosfd.bRC_OK:
            raise AssertionError(f"loading {path} answered {rc}: {self.job_messages}")
        return activation.script_module()

    def run_backup(self, path, definition="", *, level=None, since=None, acl=False,
                   xattr=False, accurate=False, previous=()):
        """A backup job of the script at ``path``, in the daemon's order
        (docs/plugin-api.md, "Call sequences"): a :class:`JobResult` whose
        entries carry the data read through plugin_io.

        ``level`` ("F", "I", "D") and ``since`` (seconds) default to the
        core's ``values[bVarLevel]`` / ``values[bVarSinceTime]``.  ``acl`` and
        ``xattr`` stand for the FileSet's aclsupport/xattrsupport: get_acl and
        the get_xattr loop run after each file's data.  ``previous`` (the
        entries, or the JobResult, of the job this one follows): at an
        Incremental/Differential its FT_PLUGIN_CONFIG objects go to
        restore_object_data first; with ``accurate`` the files it had that
        this job did not see go to check_file afterwards.
        """
        return _run_job(self, "backup", path, definition, level=level, since=since,
                        options=dict(acl=acl, xattr=xattr, accurate=accurate,
                                     previous=_entries(previous)))

    def run_estimate(self, path, definition="", *, level=None, since=None):
        """An estimate: start_backup_file/end_backup_file only, no data."""
        return _run_job(self, "estimate", path, definition, level=level, since=since)

    def run_restore(self, path, entries, where, definition=""):
        """A restore job of ``entries`` (from run_backup: a list or the
        JobResult) into ``where``: restore objects first (restore_object_data),
        then each file (create_file, plugin_io, set_file_attributes, and
        set_acl/set_xattr for what the backup got)."""
        return _run_job(self, "restore", path, definition, entries=_entries(entries),
                        where=where)

    def _raise_hook_errors(self):
        if self._hook_errors:
            error, self._hook_errors = self._hook_errors[0], []
            raise AssertionError("a FakeCore callback raised") from error

    # -- what a test overrides ---------------------------------------------
    def check_changes(self, info):
        """Answer checkChanges for ``info`` (a dict of the packet's fields).

        Return a bRC, or (bRC, delta_seq, accurate_found).  By default every
        file counts as changed (bRC_OK), as the core answers with the check off.
        """
        return bareosfd.bRC_OK

    def accept_file(self, info):
        """Answer AcceptFile: bRC_OK (accepted) by default, or bRC_Skip."""
        return bareosfd.bRC_OK

    # -- called by the C table (bareospy/_testcore.pyx) ----------------------
    def _result(self, name):
        return self.results.get(name, bareosfd.bRC_OK)

    def _on_events(self, unregister, numbers):
        name = "UnRegisterEvents" if unregister else "RegisterEvents"
        for number in numbers:
            self.event_calls.append((name, number))
            if unregister:
                self.events.discard(number)
            else:
                self.events.add(number)
        return self._result(name)

    def _on_instance_count(self):
        return self.instance_count

    def _value_kind(self, var):
        return self._profile.value_kinds.get(var)

    def _set_kind(self, var):
        return self._profile.set_kinds.get(var)

    def _on_get_value(self, var):
        if var == self._profile.check_changes:
            return self.check_changes_flag
        value = self.values.get(var)
        if value is TEMPORARY_WORKING_DIR and self.daemon == "fd" and var == bareosfd.bVarWorkingDir:
            value = self.values[var] = self._temporary_working_dir()
        return value

    def _temporary_working_dir(self):
        path = tempfile.mkdtemp(prefix="bareospy-fakecore-")
        weakref.finalize(self, shutil.rmtree, path, True)
        return path

    def _on_set_value(self, var, value):
        self.set_value_calls.append((var, value))
        if var == self._profile.check_changes:
            self.check_changes_flag = value
        return self._result("SetValue")

    def _on_job_message(self, type, text, file, line, mtime):
        self.job_messages.append(JobMessage(type, text, file, line))
        return bareosfd.bRC_OK

    def _on_debug_message(self, level, text, file, line):
        self.debug_messages.append(DebugMessage(level, text, file, line))
        return bareosfd.bRC_OK

    def _on_fileset(self, name, item, type):
        self.fileset_calls.append(FilesetCall(name, item, type))
        return self._result(name)

    def _on_check_changes(self, info):
        self.queries.append(("CheckChanges", info))
        answer = self.check_changes(info) if self.check_changes_flag else bareosfd.bRC_OK
        if isinstance(answer, tuple):
            return answer
        return answer, 0, False

    def _on_accept_file(self, info):
        self.queries.append(("AcceptFile", info))
        return self.accept_file(info)

    def _on_seen(self, clear, all, fname):
        self.seen_calls.append(SeenCall(clear, all, fname))
        return self._result("ClearSeenBitmap" if clear else "SetSeenBitmap")


def _module_of(daemon):
    return {"fd": bareosfd, "sd": bareossd, "dir": bareosdir}[daemon]


class _RoutedStream:
    """sys.stdout/sys.stderr of a test job: whole lines go to ``send``."""

    def __init__(self, label, send):
        self.label = label
        self.send = send
        self.pending = ""

    def write(self, text):
        self.pending += text
        while "\n" in self.pending:
            line, self.pending = self.pending.split("\n", 1)
            self.send(f"{self.label}: {line}\n")
        return len(text)

    def flush(self):
        if self.pending:
            line, self.pending = self.pending, ""
            self.send(f"{self.label}: {line}\n")

    def isatty(self):
        return False


#: One file of a backup: the packet's fields as the daemon read them back
#: (``statp`` a dict of st_* values), the data read through plugin_io (None
#: when nothing was read), and with ``acl=True`` / ``xattr=True`` what get_acl
#: and get_xattr gave (``acl`` bytes or None, ``xattrs`` a tuple of (name,
#: value) bytes pairs).  A restore object (FT_RESTORE_FIRST, FT_PLUGIN_CONFIG)
#: has ``object_name``, ``object`` and ``object_index``.
Entry = namedtuple("Entry", "fname type link statp no_read data object_name object "
                            "acl xattrs object_index", defaults=(None, (), 0))


class JobResult:
    """What a simulated job produced.

    ``entries`` (backup/estimate: one :data:`Entry` per start_backup_file
    answered bRC_OK), ``messages`` (the job's :class:`JobMessage` list),
    ``debug`` (its debug messages), ``calls`` ([(call, rc), ...] of every
    entry point call, in order: "event bEventBackupCommand",
    "start_backup_file", "plugin_io(IO_OPEN)", "get_acl(<fname>)",
    "check_file(<fname>)", "set_xattr(<ofname>)", ...), ``results`` (the
    calls that did not answer bRC_OK/bRC_More), ``restored`` (restore:
    [(ofname, create_status)]), ``restore_objects`` ([(object_name, rc)] of
    the objects given to restore_object_data), ``check_file`` (accurate
    backup: {fname: rc} for every file of the previous job this job did not
    see) and ``deleted`` (those of them the daemon records as deleted: the
    answer was not bRC_Seen).
    """

    def __init__(self) -> None:
        self.entries: List["Entry"] = []
        self.messages: List[JobMessage] = []
        self.debug: List["DebugMessage"] = []
        self.calls: List[Tuple[str, int]] = []
        self.results: List[Tuple[str, int]] = []
        self.restored: List[Tuple[str, int]] = []
        self.restore_objects: List[Tuple[str, int]] = []
        self.check_file: Dict[str, int] = {}
        self.deleted: List[str] = []

    def texts(self, type_name: str) -> List[str]:
        """The texts of the job's messages of one type: ``texts("M_ERROR")``."""
        number = message_type(type_name)
        return [message.text for message in self.messages if message.type == number]

    @property
    def errors(self) -> List[str]:
        """The texts of the M_ERROR and M_FATAL messages."""
        return self.texts("M_ERROR") + self.texts("M_FATAL")

    @property
    def data(self) -> Dict[str, bytes]:
        """{fname: data} of the entries that had data read."""
        return {entry.fname: entry.data for entry in self.entries if entry.data is not None}

    @property
    def objects(self) -> List["Entry"]:
        """The restore objects the job saved (entries of an object type)."""
        return [entry for entry in self.entries if entry.type in _OBJECT_TYPES]


_IO_CHUNK = 65536
#: A backup asks again after bRC_Skip, as the daemon does, this many times
#: in a row at most (the daemon would loop until the job is cancelled).
_MAX_SKIPS = 100000
_OBJECT_TYPES = {getattr(bareosfd, name) for name in
                 ("FT_PLUGIN_CONFIG", "FT_RESTORE_FIRST", "FT_PLUGIN_CONFIG_FILLED")
                 if hasattr(bareosfd, name)}
_UNCHANGED_TYPES = {bareosfd.FT_NOCHG, bareosfd.FT_DIRNOCHG}
#: The events python3-fd.so registers itself when the daemon creates an
#: instance: the daemon sends them whatever the script registered.
_PLUGIN_EVENTS = {bareosfd.bEventLevel, bareosfd.bEventSince, bareosfd.bEventNewPluginOptions,
                  bareosfd.bEventPluginCommand, bareosfd.bEventJobStart,
                  bareosfd.bEventRestoreCommand, bareosfd.bEventEstimateCommand,
                  bareosfd.bEventBackupCommand, bareosfd.bEventRestoreObject}
_EVENT_NAMES = {number: name.decode() for name, number in bareosfd.bEventType.items()}


def _definition(path, definition):
    """The plugin definition that loads the script at ``path``."""
    path = os.path.abspath(os.fspath(path))
    directory, name = os.path.split(path)
    if name.endswith(".py"):
        name = name[:-3]
    escaped = directory.replace("\\", "\\\\").replace(":", "\\:")
    text = f"python3:module_path={escaped}:module_name={name}"
    return text + (":" + definition.strip(":") if definition else "")


def _entries(entries):
    """A job's entries from a JobResult or an iterable of Entry."""
    return list(entries.entries if isinstance(entries, JobResult) else entries or ())


def _level_number(level):
    return ord(level) if isinstance(level, str) else int(level)


def _run_job(core, kind, path, definition, *, level=None, since=None, entries=(), where=None,
             options=None):
    """One job on a fresh instance.  ``level``/``since`` None: the core's
    values (FakeCore(values={bVarLevel: ..., bVarSinceTime: ...}))."""
    if core.daemon != "fd":
        raise ValueError("jobs run on a file daemon core (daemon='fd')")
    saved = dict(core.values)
    if level is not None:
        core.values[bareosfd.bVarLevel] = _level_number(level)
    if since is not None:
        core.values[bareosfd.bVarSinceTime] = since
    core.values[bareosfd.bVarType] = ord("R") if kind == "restore" else ord("B")
    options = dict(options or {})
    if options.get("accurate"):
        core.values[bareosfd.bVarAccurate] = 1
    first_message, first_debug = len(core.job_messages), len(core.debug_messages)
    result = JobResult()
    try:
        with core.active():
            job = _Job(core, core._activations[-1], result, _definition(path, definition),
                       options)
            if kind == "restore":
                job.restore(entries, os.fspath(where))
            else:
                job.backup(with_data=kind == "backup")
    finally:
        core.values.clear()
        core.values.update(saved)
        result.messages = core.job_messages[first_message:]
        result.debug = core.debug_messages[first_debug:]
    return result


class _Job:
    """The file daemon's call sequences (API reference §7) over one plugin
    instance.  ``options``: acl, xattr (the FileSet's aclsupport/xattrsupport),
    accurate, previous (the entries of the previous job)."""

    def __init__(self, core, activation, result, definition, options):
        self.core = core
        self.act = activation
        self.result = result
        self.definition = definition
        self.options = options
        self.first_seen_call = len(core.seen_calls)
        self.first_set_value = len(core.set_value_calls)

    def note(self, call, rc):
        self.result.calls.append((call, rc))
        if rc not in (bareosfd.bRC_OK, bareosfd.bRC_More):
            self.result.results.append((call, rc))
        return rc

    def event(self, number, value=None, always=False):
        """Send an event the instance registered (the C plugin registers
        _PLUGIN_EVENTS itself), as the daemon does."""
        if always or number in _PLUGIN_EVENTS or number in self.core.events:
            name = _EVENT_NAMES.get(number, str(number))
            return self.note(f"event {name}", self.act.event(number, value))
        return bareosfd.bRC_OK

    # -- backup and estimate (§7.1, §7.2, §7.3, §7.6) -----------------------
    def backup(self, with_data):
        command = bareosfd.bEventBackupCommand if with_data else bareosfd.bEventEstimateCommand
        self.event(bareosfd.bEventJobStart, "bareospy test job")
        if self.event(bareosfd.bEventPluginCommand, self.definition, always=True) != bareosfd.bRC_OK:
            return
        self.event(bareosfd.bEventEndFileSet)
        if with_data:
            self.resend_plugin_config()
            self.event(bareosfd.bEventStartBackupJob)
        seen = set()
        if self.event(command, self.definition, always=True) == bareosfd.bRC_OK:
            self.backup_loop(with_data, seen)
        if with_data:
            self.report_deleted(seen)
            self.event(bareosfd.bEventEndBackupJob)
        self.event(bareosfd.bEventJobEnd)

    def resend_plugin_config(self):
        """Incremental/Differential: the previous job's FT_PLUGIN_CONFIG objects
        come back before the backup command (§7.1 step 5)."""
        level = self.core.values.get(bareosfd.bVarLevel)
        if level not in (ord("I"), ord("D")):
            return
        objects = [entry for entry in self.options.get("previous") or ()
                   if entry.type == bareosfd.FT_PLUGIN_CONFIG]
        self.send_restore_objects(objects)

    def send_restore_objects(self, objects):
        for entry in objects:
            rc = self.note("event bEventRestoreObject", self.act.restore_object({
                "object_name": entry.object_name, "object": entry.object,
                "plugin_name": self.definition, "object_type": entry.type,
                "object_index": entry.object_index}))
            self.result.restore_objects.append((entry.object_name, rc))
        if objects:
            self.event(bareosfd.bEventRestoreObject)   # the end marker (NULL)

    def backup_loop(self, with_data, seen):
        skipped = 0
        while True:
            rc, fields = self.act.start_backup_file()
            if rc == bareosfd.bRC_Stop:          # the entry is done: not a problem
                self.result.calls.append(("start_backup_file", rc))
                return
            if self.note("start_backup_file", rc) == bareosfd.bRC_Skip and with_data:
                skipped += 1                     # a backup asks again, without end_backup_file
                if skipped == _MAX_SKIPS:
                    raise AssertionError(f"start_backup_file answered bRC_Skip {skipped} "
                                         "times in a row")
                continue
            if rc != bareosfd.bRC_OK:            # an estimate ends at any other answer
                return
            skipped = 0
            entry = self.save_file(fields, with_data)
            self.result.entries.append(entry)
            rc = self.note("end_backup_file", self.act.end_backup_file())
            if rc in (bareosfd.bRC_OK, bareosfd.bRC_More) and entry.fname:
                seen.add(entry.fname)
            if rc != bareosfd.bRC_More:
                return

    def save_file(self, fields, with_data):
        """What the daemon saves of one packet: data, ACL, xattrs (§7.3)."""
        kind = fields["type"]
        saved = with_data and kind not in _OBJECT_TYPES and kind not in _UNCHANGED_TYPES
        data = acl = None
        xattrs = ()
        if saved and not fields["no_read"]:
            data = self.read_file(fields["fname"])
        if saved and self.options.get("acl") and kind != bareosfd.FT_LNK:
            acl = self.get_acl(fields["fname"])
        if saved and self.options.get("xattr"):
            xattrs = self.get_xattrs(fields["fname"])
        statp = {name: value for name, value in fields.items() if name.startswith("st_")}
        return Entry(fields["fname"], kind, fields["link"], statp, fields["no_read"], data,
                     fields["object_name"], fields["object"], acl, xattrs, fields["index"])

    def read_file(self, fname):
        rc, status, _, filedes, _ = self.act.plugin_io(bareosfd.IO_OPEN, flags=os.O_RDONLY,
                                                       fname=fname)
        if self.note("plugin_io(IO_OPEN)", rc) != bareosfd.bRC_OK or status < 0:
            return None
        chunks = []
        while True:
            if status == bareosfd.iostat_do_in_core and filedes >= 0:
                chunk = os.read(filedes, _IO_CHUNK)
            else:
                rc, count, _, _, chunk = self.act.plugin_io(bareosfd.IO_READ, count=_IO_CHUNK)
                if self.note("plugin_io(IO_READ)", rc) != bareosfd.bRC_OK or count < 0:
                    break
            if not chunk:
                break
            chunks.append(chunk)
        self.note("plugin_io(IO_CLOSE)", self.act.plugin_io(bareosfd.IO_CLOSE)[0])
        return b"".join(chunks)

    def get_acl(self, fname):
        rc, content = self.act.get_acl(fname)
        return content if self.note(f"get_acl({fname})", rc) == bareosfd.bRC_OK else None

    def get_xattrs(self, fname):
        """The get_xattr loop: bRC_More asks again, bRC_OK was the last one,
        anything else drops the stream."""
        pairs = []
        while True:
            rc, name, value = self.act.get_xattr(fname)
            self.note(f"get_xattr({fname})", rc)
            if rc not in (bareosfd.bRC_OK, bareosfd.bRC_More):
                return ()
            if name:
                pairs.append((name, value or b""))
            if rc == bareosfd.bRC_OK:
                return tuple(pairs)

    def report_deleted(self, seen):
        """Accurate mode: every file of the previous job this job did not see
        is offered to check_file (§7.1 step 9); bRC_Seen keeps it."""
        if not self.options.get("accurate"):
            return
        seen = seen | self.marked_seen()
        for entry in self.options.get("previous") or ():
            if entry.type in _OBJECT_TYPES or not entry.fname or entry.fname in seen:
                continue
            rc = self.note(f"check_file({entry.fname})", self.act.check_file(entry.fname))
            self.result.check_file[entry.fname] = rc
            if rc != bareosfd.bRC_Seen:
                self.result.deleted.append(entry.fname)

    def marked_seen(self):
        """The names the script marked seen itself (SetSeenBitmap,
        SetValue(bVarFileSeen)); ``all`` marks every previous file."""
        marked = set()
        for call in self.core.seen_calls[self.first_seen_call:]:
            names = ({entry.fname for entry in self.options.get("previous") or ()}
                     if call.all else {call.fname})
            marked = marked - names if call.clear else marked | names
        for var, value in self.core.set_value_calls[self.first_set_value:]:
            if var == bareosfd.bVarFileSeen:
                marked.add(value)
        return marked

    # -- restore (§7.7 - §7.11) ---------------------------------------------
    def restore(self, entries, where):
        self.event(bareosfd.bEventJobStart, "bareospy test job")
        self.send_restore_objects([entry for entry in entries if entry.type in _OBJECT_TYPES])
        self.event(bareosfd.bEventStartRestoreJob)
        for entry in entries:
            if entry.type in _OBJECT_TYPES or entry.type == bareosfd.FT_DELETED:
                continue
            self.restore_entry(entry, where)
        self.event(bareosfd.bEventEndRestoreJob)
        self.event(bareosfd.bEventJobEnd)

    def restore_entry(self, entry, where):
        if self.event(bareosfd.bEventRestoreCommand, self.definition, always=True) != bareosfd.bRC_OK:
            return
        if self.note("start_restore_file", self.act.start_restore_file(self.definition)) != bareosfd.bRC_OK:
            return
        ofname = _below(where, entry.fname)
        olname = entry.link
        if entry.type == bareosfd.FT_LNKSAVED and olname:
            olname = _below(where, olname)
        fields = dict(entry.statp, type=entry.type, ofname=ofname, olname=olname, where=where)
        rc, status, _ = self.act.restore_file(fields)
        self.result.restored.append((ofname, status))
        if self.note("create_file", rc) == bareosfd.bRC_OK:
            self.after_create(entry, ofname, status)
        self.note("end_restore_file", self.act.end_restore_file())

    def after_create(self, entry, ofname, status):
        regular = entry.type in (bareosfd.FT_REG, bareosfd.FT_REGE)
        directory = entry.type == bareosfd.FT_DIREND
        if status == bareosfd.CF_CORE and not regular:
            _core_creates(entry, ofname)
            self.note("set_file_attributes", self.act.set_file_attributes())
            if directory:
                self.set_acl_and_xattrs(entry, ofname)
        elif status == bareosfd.CF_CREATED:
            self.note("set_file_attributes", self.act.set_file_attributes())
            if directory:
                self.set_acl_and_xattrs(entry, ofname)
        elif status not in (bareosfd.CF_SKIP, bareosfd.CF_ERROR):
            if self.write_file(ofname, entry.data or b""):
                self.set_acl_and_xattrs(entry, ofname)

    def write_file(self, ofname, data):
        """IO_OPEN, the data, set_file_attributes, IO_CLOSE: True once extracted."""
        rc, status, _, filedes, _ = self.act.plugin_io(
            bareosfd.IO_OPEN, flags=os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode=0o600,
            fname=ofname)
        if self.note("plugin_io(IO_OPEN)", rc) != bareosfd.bRC_OK or status < 0:
            return False
        for start in range(0, len(data), _IO_CHUNK):
            chunk = data[start:start + _IO_CHUNK]
            if status == bareosfd.iostat_do_in_core and filedes >= 0:
                os.write(filedes, chunk)
            elif self.note("plugin_io(IO_WRITE)",
                           self.act.plugin_io(bareosfd.IO_WRITE, data=chunk)[0]) != bareosfd.bRC_OK:
                break
        self.note("set_file_attributes", self.act.set_file_attributes())
        self.note("plugin_io(IO_CLOSE)", self.act.plugin_io(bareosfd.IO_CLOSE)[0])
        return True

    def set_acl_and_xattrs(self, entry, ofname):
        """The ACL and xattr records of an extracted file or a directory
        (§7.10): the whole ACL at once, then one set_xattr per pair."""
        if entry.acl:
            self.note(f"set_acl({ofname})", self.act.set_acl(ofname, entry.acl))
        for name, value in entry.xattrs:
            self.note(f"set_xattr({ofname})", self.act.set_xattr(ofname, name, value))


def _below(where, name):
    """``name`` restored below ``where`` (as the daemon builds ofname)."""
    if not where:
        return name
    return where.rstrip("/") + "/" + name.lstrip("/")


def _core_creates(entry, ofname):
    """CF_CORE for what is not a regular file: the daemon creates it itself."""
    os.makedirs(os.path.dirname(ofname.rstrip("/")) or "/", exist_ok=True)
    if entry.type == bareosfd.FT_DIREND:
        os.makedirs(ofname, exist_ok=True)
    elif entry.type == bareosfd.FT_LNK and entry.link:
        os.symlink(entry.link, ofname)
