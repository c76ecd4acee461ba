"""A throw-away Bacula 9.6 installation: Debian's daemons, our configuration.

:class:`BaculaSite` writes a director, storage daemon, file daemon and
bconsole configuration into one directory (loopback, free ports, an SQLite
catalog made from Debian's ``make_sqlite3_tables``, file volumes, the file
daemon's Plugin Directory pointing at bareospy's Bacula plugins), starts the
three daemons in the foreground as child processes, talks to the director
through ``bconsole`` and stops every daemon it started (SIGTERM, then
SIGKILL) whatever happens.
"""
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

#: the Debian packages the site needs (bookworm ships 9.6.7)
PACKAGES = ["bacula-director", "bacula-director-sqlite3", "bacula-sd", "bacula-fd",
            "bacula-console"]
DAEMONS = {"dir": "/usr/sbin/bacula-dir", "sd": "/usr/sbin/bacula-sd", "fd": "/usr/sbin/bacula-fd"}
BCONSOLE = "/usr/sbin/bconsole"
SQLITE_SCRIPT = "/usr/share/bacula-director/make_sqlite3_tables"


def installed():
    """Whether the daemons, bconsole and the catalog script are there."""
    return all(os.access(path, os.X_OK) for path in [*DAEMONS.values(), BCONSOLE]) and \
        os.path.isfile(SQLITE_SCRIPT)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port):
    """Whether something listens on 127.0.0.1:port (read from /proc/net/tcp:
    a probing connection would show up in the job log as a security alert)."""
    wanted = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as table:
        return any(fields[1] == wanted and fields[3] == "0A"
                   for fields in (line.split() for line in table.readlines()[1:]))


def catalog_sql():
    """The CREATE statements of Debian's SQLite catalog script (its here-document)."""
    text = Path(SQLITE_SCRIPT).read_text()
    match = re.search(r"<<END-OF-DATA\n(.*?)\nEND-OF-DATA", text, re.S)
    if not match:
        raise RuntimeError(f"no here-document in {SQLITE_SCRIPT}")
    return match.group(1)


DIR_CONF = """\
Director {{
  Name = rb-dir
  DIRport = {dir_port}
  DirAddress = 127.0.0.1
  QueryFile = "/etc/bacula/scripts/query.sql"
  WorkingDirectory = "{root}/dir"
  PidDirectory = "{root}/dir"
  Maximum Concurrent Jobs = 5
  Password = "dir-secret"
  Messages = Daemon
{dir_plugins}}}
Catalog {{
  Name = Catalog
  dbname = "bacula"; dbuser = ""; dbpassword = ""
}}
Client {{
  Name = rb-fd
  Address = 127.0.0.1
  FDPort = {fd_port}
  Catalog = Catalog
  Password = "fd-secret"
  AutoPrune = no
}}
Storage {{
  Name = File
  Address = 127.0.0.1
  SDPort = {sd_port}
  Password = "sd-secret"
  Device = FileStorage
  Media Type = File
}}
Pool {{
  Name = Default
  Pool Type = Backup
}}
Pool {{
  Name = Files
  Pool Type = Backup
  Label Format = "Vol-"
  Maximum Volume Jobs = 100
  Volume Retention = 365 days
}}
Pool {{
  Name = Scripted
  Pool Type = Backup
  Label Format = "Fallback-"
  Maximum Volume Jobs = 1
  Volume Retention = 365 days
}}
Messages {{
  Name = Standard
  catalog = all, !skipped, !saved
  append = "{root}/job.log" = all, !skipped
}}
Messages {{
  Name = Daemon
  append = "{root}/job.log" = all, !skipped
}}
{jobs}
"""

JOB = """\
FileSet {{
  Name = "{name}-set"
  Include {{
    Plugin = "{plugin}"
  }}
}}
Job {{
  Name = "{name}"
  Type = Backup
  Level = Full
  Client = rb-fd
  FileSet = "{name}-set"
  Storage = File
  Pool = {pool}
  Messages = Standard
  Write Bootstrap = "{root}/dir/{name}.bsr"
}}
"""

RESTORE_JOB = """\
Job {{
  Name = "stuck"
  Type = Backup
  Level = Full
  Client = rb-fd
  FileSet = "{name}-set"
  Storage = File
  Pool = Files
  Messages = Standard
  RunScript {{
    RunsWhen = Before
    RunsOnClient = No
    Command = "/bin/sleep 4"
  }}
}}
Job {{
  Name = "restore"
  Type = Restore
  Client = rb-fd
  FileSet = "{name}-set"
  Storage = File
  Pool = Files
  Messages = Standard
  Where = "{root}/restored"
}}
"""

SD_CONF = """\
Storage {{
  Name = rb-sd
  SDPort = {sd_port}
  SDAddress = 127.0.0.1
  WorkingDirectory = "{root}/sd"
  PidDirectory = "{root}/sd"
  Maximum Concurrent Jobs = 5
{sd_plugins}}}
Director {{
  Name = rb-dir
  Password = "sd-secret"
}}
Device {{
  Name = FileStorage
  Media Type = File
  Archive Device = "{root}/volumes"
  LabelMedia = yes
  Random Access = yes
  AutomaticMount = yes
  RemovableMedia = no
  AlwaysOpen = no
}}
Messages {{
  Name = Standard
  director = rb-dir = all
}}
"""

FD_CONF = """\
Director {{
  Name = rb-dir
  Password = "fd-secret"
}}
FileDaemon {{
  Name = rb-fd
  FDport = {fd_port}
  FDAddress = 127.0.0.1
  WorkingDirectory = "{root}/fd"
  PidDirectory = "{root}/fd"
  Maximum Concurrent Jobs = 5
  Plugin Directory = "{plugin_dir}"
}}
Messages {{
  Name = Standard
  director = rb-dir = all, !skipped, !restored
}}
"""

BCONSOLE_CONF = """\
Director {{
  Name = rb-dir
  DIRport = {dir_port}
  Address = 127.0.0.1
  Password = "dir-secret"
}}
"""


class BaculaSite:
    """Director, SD and FD of Debian's Bacula on loopback, all under ``root``.

    Besides the restore job there is "stuck", a backup that first sleeps 4 s
    in a director-side RunScript (time to cancel it before it connects).
    ``jobs`` maps a backup job name to its FileSet ``Plugin =`` string, or
    to ``(plugin string, pool)`` (pools: Files, labelled Vol-; Scripted, one
    job per volume, labelled Fallback-); the first one's FileSet is also the
    restore job's.  ``env`` is added to the daemons' environment.  With
    ``daemon_plugins`` the director and SD load plugins from ``plugin_dir``
    too."""

    def __init__(self, root, plugin_dir, jobs, env=None, daemon_plugins=False):
        self.root = Path(root)
        self.plugin_dir = plugin_dir
        self.jobs = {name: job if isinstance(job, tuple) else (job, "Files")
                     for name, job in jobs.items()}
        self.daemon_plugins = daemon_plugins
        self.env = dict(os.environ, **(env or {}))
        self.ports = {name: free_port() for name in ("dir", "sd", "fd")}
        self.processes = {}
        self.log = self.root / "job.log"

    # -- configuration -------------------------------------------------------

    def write_configuration(self):
        for name in ("dir", "sd", "fd", "volumes", "restored"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        values = dict(root=self.root, plugin_dir=self.plugin_dir, dir_port=self.ports["dir"],
                      sd_port=self.ports["sd"], fd_port=self.ports["fd"])
        jobs = "".join(JOB.format(name=name, plugin=plugin.replace('"', '\\"'), root=self.root,
                                  pool=pool)
                       for name, (plugin, pool) in self.jobs.items())
        directive = f'  Plugin Directory = "{self.plugin_dir}"\n' if self.daemon_plugins else ""
        values.update(dir_plugins=directive, sd_plugins=directive)
        jobs += RESTORE_JOB.format(name=next(iter(self.jobs)), root=self.root)
        self.config("dir").write_text(DIR_CONF.format(jobs=jobs, **values))
        self.config("sd").write_text(SD_CONF.format(**values))
        self.config("fd").write_text(FD_CONF.format(**values))
        self.config("console").write_text(BCONSOLE_CONF.format(**values))
        with sqlite3.connect(self.root / "dir" / "bacula.db") as catalog:
            catalog.executescript(catalog_sql())

    def config(self, daemon):
        return self.root / f"bacula-{daemon}.conf"

    # -- daemons ---------------------------------------------------------------

    def start(self):
        """Start SD, FD, director (foreground children) and wait for their ports."""
        self.write_configuration()
        for daemon in ("sd", "fd", "dir"):
            output = open(self.root / f"{daemon}.out", "wb")
            self.processes[daemon] = subprocess.Popen(
                [DAEMONS[daemon], "-f", "-c", str(self.config(daemon))], cwd=self.root,
                env=self.env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
            output.close()
        for daemon in ("sd", "fd", "dir"):
            self.wait_for_port(daemon)

    def wait_for_port(self, daemon, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes[daemon].poll() is not None:
                raise RuntimeError(f"bacula-{daemon} exited:\n{self.output(daemon)}")
            if listening(self.ports[daemon]):
                return
            time.sleep(0.1)
        raise RuntimeError(f"bacula-{daemon} does not listen:\n{self.output(daemon)}")

    def output(self, daemon):
        path = self.root / f"{daemon}.out"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self):
        """SIGTERM every daemon started here, SIGKILL what still runs 5 s later."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 5
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    # -- console ---------------------------------------------------------------

    def console(self, *commands, timeout=60):
        """Run bconsole with these commands; its output."""
        result = subprocess.run([BCONSOLE, "-n", "-c", str(self.config("console"))],
                                input="\n".join(commands) + "\nquit\n", capture_output=True,
                                text=True, timeout=timeout)
        return result.stdout + result.stderr

    def run_job(self, command, timeout=60):
        """``run ...`` / ``restore ...``, waited for; (jobid, the catalog's JobStatus)."""
        output = self.console(command, timeout=timeout)
        match = re.search(r"JobId=(\d+)", output)
        if not match:
            raise RuntimeError(f"no job started by {command!r}:\n{output}")
        jobid = int(match.group(1))
        self.console(f"wait jobid={jobid}", timeout=timeout)
        return jobid, self.job_status(jobid)

    def job_status(self, jobid):
        return self.catalog("SELECT JobStatus FROM Job WHERE JobId=?", jobid)[0][0]

    def catalog(self, query, *args):
        with sqlite3.connect(self.root / "dir" / "bacula.db") as catalog:
            return catalog.execute(query, args).fetchall()

    def job_log(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def describe(self):
        """Everything worth reading when a job went wrong."""
        return "\n".join(f"--- {name}:\n{text[-4000:]}" for name, text in [
            ("job log", self.job_log()), *((f"bacula-{d} output", self.output(d))
                                          for d in ("dir", "sd", "fd"))])


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)
