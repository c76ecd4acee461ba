"""The plugin authors' test kit: a fake daemon core for pytest.

A plugin script calls back into the daemon through ``bareosfd`` (``bareossd``,
``bareosdir``); outside a daemon those calls raise RuntimeError.
:class:`FakeCore` is a small in-process core: activate it and every function
of the module works, answering from :attr:`FakeCore.values` and recording
what the plugin asked::

    import bareosdir
import bareosfd
import bareossd
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
import warnings
from collections import namedtuple

import bareosdir
import bareosfd
import bareossd

from bareospy import _testcore
from bareospy.warnings import BareospyWarning

#: A job message as the core received it; ``text`` includes the module's prefix.
JobMessage = namedtuple("JobMessage", "type text file line")
#: A debug message as the core received it.
DebugMessage = namedtuple("DebugMessage", "level text file line")
#: A FileSet-building call: ``name`` is e.g. "AddExclude"; ``item``/``type`` may be None/0.
FilesetCall = namedtuple("FilesetCall", "name item type")
#: A SetSeenBitmap (``clear`` False) or ClearSeenBitmap (``clear`` True) call.
SeenCall = namedtuple("SeenCall", "clear all fname")

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
    bareosfd.bVarWorkingDir: "/var/lib/bareos",
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
    """

    def __init__(self, values=None, *, daemon="fd", instance_count=1, results=None,
                 strict=True):
        if daemon not in _PROFILES:
            raise ValueError(f"unknown daemon {daemon!r}: fd, sd or dir")
        self.daemon = daemon
        self._profile = _PROFILES[daemon]
        self.values = dict(self._profile.defaults)
        self.values.update(values or {})
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

    # -- activation ---------------------------------------------------------
    @contextlib.contextmanager
    def active(self, instance=0):
        """Make a fresh plugin instance of this core active on this thread."""
        activation = _testcore.Activation(self, instance, self.daemon)
        activation.enter()
        try:
            with warnings.catch_warnings():
                if self.strict:
                    warnings.simplefilter("error", BareospyWarning)
                yield self
        finally:
            activation.leave()
            self._raise_hook_errors()

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
        return self.values.get(var)

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
