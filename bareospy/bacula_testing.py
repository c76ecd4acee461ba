"""A fake daemon for the ``bacula`` module: run Bacula-style scripts in-process.

``FakeBaculaDaemon`` plays the daemon side of include/bareospy/bacula.h in
Python: it starts the module with a scripts directory, starts jobs with the
attribute values you give, sends job events and records what the scripts
did (messages, attribute writes, run/cancel calls)::

    daemon = FakeBaculaDaemon("dir", scripts_dir)
    assert daemon.start() == ENABLED
    job = daemon.job_start(JobId=1, Job="Nightly", Type="B", Level="F")
    daemon.event(job, "NewVolume")
    daemon.job_end(job)
    daemon.messages      # [(job id or None, "info", text), ...]

Attribute values are given by their Job attribute names; one-character codes
(Level, Type, JobStatus, ...) as one-character strings.  A value may be a
callable (called at each read) or an exception instance (raised as the
daemon's refusal).  ``run_job`` starts a job synchronously (its JobStart and
JobInit happen inside ``job.run()``, as in the director).
"""
import itertools

import bacula

ENABLED, DISABLED, FATAL = 0, 1, -1

_KINDS = {"dir": 1, "fd": 2, "sd": 3}
MESSAGE_TYPES = {1: "info", 2: "warning", 3: "error", 4: "debug"}
EVENTS = {"JobInit": 1, "JobRun": 2, "NewVolume": 3, "VolumePurged": 4}

# bacula.h's BaculaAttribute numbers, by Job attribute name.
ATTRIBUTES = {
    "Job": 1, "JobName": 2, "JobId": 3, "Level": 4, "Type": 5, "JobStatus": 6, "Client": 7,
    "Pool": 8, "NumVols": 9, "Storage": 10, "MediaType": 11, "Catalog": 12, "CatalogRes": 13,
    "Priority": 14, "VolumeName": 15, "JobLevel": 16, "JobErrors": 17, "JobFiles": 18,
    "SDJobFiles": 19, "SDErrors": 20, "FDJobStatus": 21, "SDJobStatus": 22, "FDName": 23,
    "SDName": 24, "Device": 25,
}
_NAMES = {number: name for name, number in ATTRIBUTES.items()}
_CODES = {"Level", "Type", "JobStatus", "FDJobStatus", "SDJobStatus", "JobLevel"}


class FakeJob:
    """One job of the fake daemon: its values and its Job object."""

    def __init__(self, daemon, values):
        self.daemon = daemon
        self.values = values
        self.job_id = values.get("JobId")
        self.script_job = None  # the bacula.Job, None if the job got none

    def __repr__(self):
        return f"<FakeJob {self.job_id}>"


class FakeBaculaDaemon:
    """The daemon side of the bacula module, in Python, recording."""

    def __init__(self, kind, scripts_dir, name="fake-dir", version="9.9.9 06 December 2026",
                 config_file="/etc/fake.conf", working_dir="/var/lib/fake", defaults=None,
                 volumes=()):
        self.kind = kind
        self.scripts_dir = None if scripts_dir is None else str(scripts_dir)
        self.identity = (name, version, config_file, working_dir)
        self.defaults = dict(defaults or {})
        self.volumes = set(volumes)       # the "catalog" of DoesVolumeExist
        self.messages = []                # (job id or None, type, text)
        self.writes = []                  # (job id, attribute name, value)
        self.runs = []                    # (calling job id, command)
        self.cancels = []                 # (calling job id, jobid)
        self.running = {}                 # job id -> FakeJob (for cancel)
        self._keys = {}                   # key -> FakeJob
        self._next_key = itertools.count(1)
        self._next_job_id = itertools.count(1000)

    # --- what the daemon does ---------------------------------------------

    def start(self):
        name, version, config_file, working_dir = self.identity
        return bacula._host_start(_KINDS[self.kind], name, version, config_file, working_dir,
                                  self.scripts_dir, self)

    def restart(self):
        return bacula._host_restart()

    def job_start(self, **values):
        merged = dict(self.defaults)
        merged.update(values)
        job = FakeJob(self, merged)
        key = next(self._next_key)
        self._keys[key] = job
        if job.job_id is not None:
            self.running[job.job_id] = job
        job.script_job = bacula._host_job_start(key)
        return job

    def event(self, job, name):
        bacula._host_job_event(job.script_job, EVENTS[name])

    def job_end(self, job, **final_values):
        job.values.update(final_values)
        bacula._host_job_end(job.script_job)
        self.running.pop(job.job_id, None)

    def exit(self):
        bacula._host_exit()

    def texts(self, job=None, message_type="info"):
        """The text of the recorded messages of one job (None: daemon
        messages) and type, joined."""
        job_id = job.job_id if isinstance(job, FakeJob) else job
        return "".join(text for owner, kind, text in self.messages
                       if owner == job_id and kind == message_type)

    # --- the backend the module calls ---------------------------------------

    def get_value(self, key, attribute):
        job = self._keys[key]
        name = _NAMES[attribute]
        if name not in job.values:
            raise AttributeError(f"{name} not set in the fake job")
        value = job.values[name]
        if callable(value):
            value = value()
        if isinstance(value, BaseException):
            raise value
        if name in _CODES and isinstance(value, str):
            return ord(value) if value else 0
        return value

    def set_value(self, key, attribute, value):
        job = self._keys[key]
        name = _NAMES[attribute]
        if name in _CODES:
            value = chr(value)
        self.writes.append((job.job_id, name, value))
        if name == "JobLevel":
            job.values["Level"] = value
        else:
            job.values[name] = value
        return True

    def run_job(self, key, command):
        caller = self._keys[key]
        self.runs.append((caller.job_id, command))
        words = command.split()[1:]
        settings = dict(word.split("=", 1) for word in words if "=" in word)
        name = settings.get("job") or next((w for w in words if "=" not in w and w != "yes"), None)
        if not name:
            return 0
        job_id = next(self._next_job_id)
        new = self.job_start(JobId=job_id, Job=name, JobName=f"{name}.fake_{job_id}",
                             JobStatus="C")
        self.event(new, "JobInit")
        return job_id

    def cancel_job(self, key, jobid):
        self.cancels.append((self._keys[key].job_id, jobid))
        return jobid in self.running

    def volume_exists(self, key, name):
        return 1 if name in self.volumes else 0

    def message(self, key, message_type, text):
        owner = self._keys[key].job_id if key is not None else None
        self.messages.append((owner, MESSAGE_TYPES[message_type], text))
