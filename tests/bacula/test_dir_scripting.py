"""bareospy-dir with a Scripts Directory: the director's side of Bacula-style
scripting (start-up, events in the order of the contract's section 2.6,
volume naming, job.run(), errors, python restart).  The data phase is the
director's simulated one (no Client Command): volumes fill at Maximum Volume
Bytes, so a job needs new ones."""
import os
import runpy
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

import bareospy

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).parent / "scripts" / "dir" / "DirStartUp.py"
LIBRARY = Path(os.environ.get("BAREOSPY_BACULA_LIBRARY")
               or Path(bareospy.__file__).parent / "plugins" / "libbareospy-bacula.so")

pytestmark = pytest.mark.skipif(not LIBRARY.exists(), reason="libbareospy-bacula.so not built")

CONFIG = """\
Director {{
  Name = "script-dir"
  Working Directory = "{work}"
  Scripts Directory = "{scripts}"
  Maximum Concurrent Jobs = {concurrent}
  Messages = Standard
}}
Job {{ Name = "Nightly"; Type = Backup; Level = Full; Client = c1; FileSet = FS; Storage = File; Pool = Full; Priority = 10 }}
Job {{ Name = "Other"; Type = Backup; Level = Full; Client = c1; FileSet = FS; Storage = File; Pool = Full; Priority = 10 }}
Client {{ Name = c1; Address = localhost }}
FileSet {{ Name = FS; Include {{ File = /etc/hosts }} }}
Storage {{ Name = File; Address = localhost; Media Type = FileMedia }}
Job {{ Name = "Cycled"; Type = Backup; Level = Full; Client = c1; FileSet = FS; Storage = File; Pool = Short; Priority = 10 }}
Pool {{ Name = Full; Pool Type = Backup; Label Format = "Full-"; Maximum Volume Bytes = 100k }}
Pool {{ Name = Short; Pool Type = Backup; Maximum Volume Bytes = 100k; Volume Retention = 1 second }}
Catalog {{ Name = MyCatalog; DB Driver = sqlite3; DB Name = "catalog.db" }}
Messages {{ Name = Standard; Append = "{work}/messages.log" = all }}
"""


@pytest.fixture(scope="session")
def dir_binary(tmp_path_factory):
    cbuild = SimpleNamespace(**runpy.run_path(str(ROOT / "embed" / "hosts" / "cbuild.py")))
    out = tmp_path_factory.mktemp("bacula-dir") / "bareospy-dir"
    cbuild.build("bareospy-dir", out)
    return out


class ScriptedDirector:
    def __init__(self, binary, path, script=SCRIPT, concurrent=1):
        self.binary = binary
        self.work = path / "work"
        self.scripts = path / "scripts"
        self.scripts.mkdir()
        if script is not None:
            shutil.copy(script, self.scripts / "DirStartUp.py")
        self.config = path / "dir.conf"
        self.config.write_text(CONFIG.format(work=self.work, scripts=self.scripts,
                                             concurrent=concurrent))

    def actions(self, *names):
        (self.scripts / "SCRIPT_ACTIONS").write_text(" ".join(names))

    def run(self, *command, stdin=None, expect=0):
        env = dict(os.environ, BAREOSPY_BACULA_LIBRARY=str(LIBRARY),
                   PYTHONDONTWRITEBYTECODE="1")
        result = subprocess.run([str(self.binary), "-c", str(self.config), *command],
                                input=stdin, capture_output=True, text=True, timeout=120,
                                env=env)
        assert result.returncode == expect, result.stdout + result.stderr
        return result

    def query(self, sql):
        db = sqlite3.connect(self.work / "catalog.db")
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def log(self, jobid=None):
        rows = self.query("SELECT jobid, text FROM log ORDER BY rowid")
        return [text for job, text in rows if jobid is None or job == (jobid or None)]

    def events(self):
        return [tuple(text.split()[1:]) for text in self.log() if text.startswith("event ")]


@pytest.fixture
def scripted(dir_binary, tmp_path):
    return ScriptedDirector(dir_binary, tmp_path)


def test_a_backup_needing_new_volumes_sees_the_events_in_order(scripted):
    scripted.run("run", "job=Nightly", "bytes=250000")
    assert scripted.events() == [
        ("JobStart", "1", "C"), ("JobInit", "1", "C"), ("JobRun", "1", "R"),
        ("NewVolume", "1", "R"), ("NewVolume", "1", "R"), ("NewVolume", "1", "R"),
        ("JobEnd", "1", "T")]
    log = scripted.log(1)
    assert "TestA-1 exists: 0" in log and "known TestA-1: 0" in log
    assert "level Full priority 10 pool Full catalog ('catalog.db', None, None, None, None, 0, " \
           "'SQLite3')" in log
    assert scripted.query("SELECT name FROM media ORDER BY mediaid") == [
        ("TestA-1",), ("TestA-2",), ("TestA-3",)]
    assert "DirStartUp loaded by script-dir" in scripted.log(0)
    assert "Exit" in scripted.log(0)


def test_a_volume_pruned_for_a_job_fires_volume_purged_and_is_recycled(scripted):
    """Issue 15's "VolumePurged on purge": the director purges a volume whose
    Volume Retention has passed on behalf of the job that needs one (spec
    section 2.4); a console purge has no job and fires nothing."""
    scripted.run("run", "job=Cycled", "bytes=150000")   # TestA-1 full, TestA-2 half
    time.sleep(1.5)                                      # TestA-1's retention passes
    scripted.run("run", "job=Cycled", "bytes=100000")   # fills TestA-2, needs one more
    assert scripted.events()[6:] == [
        ("JobStart", "2", "C"), ("JobInit", "2", "C"), ("JobRun", "2", "R"),
        ("VolumePurged", "2", "R"), ("JobEnd", "2", "T")]
    log = scripted.log(2)
    assert "purged TestA-1" in log
    assert 'Volume "TestA-1" purged: its Volume Retention has passed' in log
    assert 'Recycled volume "TestA-1"' in log
    assert scripted.query("SELECT name, status FROM media ORDER BY mediaid") == [
        ("TestA-1", "Append"), ("TestA-2", "Full")]
    scripted.run("purge", "volume=TestA-2")
    assert [event for event in scripted.events() if event[0] == "VolumePurged"] == [
        ("VolumePurged", "2", "R")]


def test_job_run_from_job_init_starts_a_second_job_synchronously(scripted):
    scripted.actions("run")
    scripted.run("run", "job=Nightly")
    events = scripted.events()
    assert events[:4] == [("JobStart", "1", "C"), ("JobInit", "1", "C"),
                          ("JobStart", "2", "C"), ("JobInit", "2", "C")]
    assert "started JobId 2" in scripted.log(1)
    assert "Job queued. JobId=2" in scripted.log(1)
    assert ("JobEnd", "2", "T") in events and ("JobEnd", "1", "T") in events
    assert scripted.query("SELECT jobid, name, status FROM job ORDER BY jobid") == [
        (1, "Nightly", "T"), (2, "Other", "T")]


def test_job_cancel_of_a_queued_job_ends_it_with_its_job_end(scripted):
    scripted.actions("cancel")
    scripted.run("run", "job=Nightly")
    events = scripted.events()
    assert events[:5] == [("JobStart", "1", "C"), ("JobInit", "1", "C"),
                          ("JobStart", "2", "C"), ("JobInit", "2", "C"), ("JobEnd", "2", "A")]
    log = scripted.log(1)
    assert "cancelled JobId 2" in log and "cancel 999: no running job with JobId 999" in log
    assert scripted.query("SELECT jobid, status FROM job ORDER BY jobid") == [(1, "T"), (2, "A")]


def test_does_volume_exist_answers_from_the_catalog(scripted):
    scripted.run("run", "job=Nightly", "bytes=1000")
    scripted.run("run", "job=Other", "bytes=1000")
    assert "known TestA-1: 0" in scripted.log(1) and "known TestA-1: 1" in scripted.log(2)


def test_job_init_sets_level_and_priority(scripted):
    scripted.actions("incremental")
    scripted.run("run", "job=Nightly")
    assert "level Incremental priority 7 pool Full" in " ".join(scripted.log(1))
    assert scripted.query("SELECT level, priority FROM job") == [("I", 7)]


@pytest.mark.parametrize("event", ["JobStart", "JobInit", "JobRun", "NewVolume", "JobEnd"])
def test_a_script_raising_keeps_the_director_and_the_job_running(scripted, event):
    scripted.actions(f"raise-{event}")
    result = scripted.run("run", "job=Nightly", "bytes=1000")
    assert [e[0] for e in scripted.events()] == [
        "JobStart", "JobInit", "JobRun", "NewVolume", "JobEnd"]
    assert f"RuntimeError: script fails in {event}" in result.stderr
    status = scripted.query("SELECT status FROM job")[0][0]
    # an exception in JobStart is an error message of the job: "OK -- with warnings";
    # in JobEnd the job has ended already
    assert status == ("W" if event == "JobStart" else "T")
    # a NewVolume that raised before naming one leaves it to the Label Format
    named = "Full-0001" if event == "NewVolume" else "TestA-1"
    assert scripted.query("SELECT name FROM media") == [(named,)]


@pytest.mark.parametrize("source", [None, "import nosuchmodule\n", "def broken(:\n"])
def test_a_missing_or_broken_dir_startup_disables_python(dir_binary, tmp_path, source):
    scripted = ScriptedDirector(dir_binary, tmp_path, script=None)
    if source is not None:
        (scripted.scripts / "DirStartUp.py").write_text(source)
    result = scripted.run("run", "job=Nightly", "bytes=1000")
    expected = f"Could not import Python script {scripted.scripts}/DirStartUp. Python disabled."
    assert expected in result.stderr
    assert "Error: " + expected in scripted.log(0)
    assert scripted.query("SELECT status FROM job") == [("T",)]
    assert scripted.query("SELECT name FROM media") == [("Full-0001",)]  # the Label Format


def test_python_restart_picks_up_an_edited_script(scripted):
    env = dict(os.environ, BAREOSPY_BACULA_LIBRARY=str(LIBRARY), PYTHONDONTWRITEBYTECODE="1")
    process = subprocess.Popen([str(scripted.binary), "-c", str(scripted.config)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)

    def command(line, until):
        process.stdin.write(line + "\n")
        process.stdin.flush()
        while True:
            output = process.stdout.readline()
            assert output, "the director ended early"
            if until in output:
                return output

    try:
        command("run job=Nightly bytes=1000 wait", "JobId 1:")
        edited = SCRIPT.read_text().replace('name = f"TestA-{job.NumVols + 1}"',
                                            'name = f"Edited-{job.NumVols + 1}"')
        (scripted.scripts / "DirStartUp.py").write_text(edited + "\n# edited\n")
        assert "Python interpreter restarted." in command("python restart", "Python")
        command("run job=Nightly bytes=150000 wait", "JobId 2:")  # fills TestA-1, needs another
        assert "Nothing done." in command("python nonsense", "Nothing")
        process.stdin.close()
        assert process.wait(60) == 1   # "python nonsense" failed
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    names = [name for (name,) in scripted.query("SELECT name FROM media ORDER BY mediaid")]
    assert names == ["TestA-1", "Edited-2"]


ORDER_CONFIG = """\
Director {{ Name = "order-dir"; Working Directory = "{work}"; Scripts Directory = "{scripts}" }}
Job {{ Name = "Tree"; Type = Backup; Level = Full; Client = local; FileSet = Tree; Storage = SD; Pool = Demo }}
Client {{ Name = local; Command = "{fd} -p {plugins} --scripts-dir {scripts}" }}
FileSet {{ Name = Tree; Include {{ Plugin = "python3:module_path={examples}:module_name=bareos-fd-local-files:filename={listing}" }} }}
Storage {{ Name = SD; Address = "unix:{sock}"; Media Type = File }}
Pool {{ Name = Demo; Pool Type = Backup }}
Catalog {{ Name = MyCatalog; DB Driver = sqlite3; DB Name = "catalog.db" }}
"""


def test_the_three_daemons_events_of_a_backup_that_needs_new_volumes(dir_binary, tmp_path):
    """Director, FD and SD scripts record into one file, in the order of the
    contract's section 2.6 steps 1-7: Dir JobStart, JobInit, JobRun, SD
    JobStart (the session opens first), Dir NewVolume (the SD asks for the
    first volume before any data), FD JobStart.  The reference director
    spools the FD's archive, so the further NewVolumes come after FD JobEnd,
    while the SD writes; then SD JobEnd and Dir JobEnd."""
    import signal
    import tempfile
    import time

    cbuild = SimpleNamespace(**runpy.run_path(str(ROOT / "embed" / "hosts" / "cbuild.py")))
    for program in ("bareospy-fd", "bareospy-sd"):
        cbuild.build(program, tmp_path / program)
    plugins = Path(bareospy.__file__).parent / "plugins"
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    for module in ("DirStartUp", "FDStartUp", "SDStartUp"):
        shutil.copy(Path(__file__).parent / "scripts" / "order" / "StartUp.py",
                    scripts / f"{module}.py")
    tree = tmp_path / "tree"
    tree.mkdir()
    for n in range(4):
        (tree / f"f{n}").write_bytes(os.urandom(60000))
    (tmp_path / "list").write_text(f"{tree}\n")
    sock = Path(tempfile.mkdtemp(prefix="bsd")) / "sd.sock"
    record = tmp_path / "record"
    env = dict(os.environ, BAREOSPY_BACULA_LIBRARY=str(LIBRARY), PYTHONDONTWRITEBYTECODE="1",
               BACULA_ORDER_RECORD=str(record))
    out = tmp_path / "sd.out"
    sd = subprocess.Popen([str(tmp_path / "bareospy-sd"), "serve", "--listen", f"unix:{sock}",
                           "--storage-dir", str(tmp_path / "volumes"), "--storage", "order-sd",
                           "--max-volume-bytes", "100k", "--scripts-dir", str(scripts)],
                          stdout=open(out, "w"), stderr=subprocess.STDOUT, env=env)
    try:
        while "listening on" not in out.read_text():
            assert sd.poll() is None, out.read_text()
            time.sleep(0.05)
        config = tmp_path / "dir.conf"
        config.write_text(ORDER_CONFIG.format(
            work=tmp_path / "work", scripts=scripts, fd=tmp_path / "bareospy-fd",
            plugins=plugins, examples=ROOT / "examples", listing=tmp_path / "list", sock=sock))
        result = subprocess.run([str(dir_binary), "-c", str(config), "run", "job=Tree"],
                                capture_output=True, text=True, timeout=120, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        sd.send_signal(signal.SIGTERM)
        sd.wait(60)
    lines = record.read_text().splitlines()
    director = [line for line in lines if line.startswith("Dir ")]
    assert director == ["Dir JobStart 1", "Dir JobInit 1", "Dir JobRun 1", "Dir NewVolume 1",
                        "Dir NewVolume 1", "Dir NewVolume 1", "Dir NewVolume 1", "Dir JobEnd 1"]
    position = {line: index for index, line in reversed(list(enumerate(lines)))}
    fd_start, fd_end = position["FD JobStart 1"], position["FD JobEnd 1"]
    sd_start = next(i for i, line in enumerate(lines) if line.startswith("SD JobStart"))
    sd_end = next(i for i, line in enumerate(lines) if line.startswith("SD JobEnd"))
    first_volume = position["Dir NewVolume 1"]
    further_volumes = [i for i, line in enumerate(lines) if line == "Dir NewVolume 1"][1:]
    assert position["Dir JobRun 1"] < sd_start < first_volume < fd_start < fd_end, lines
    assert fd_end < min(further_volumes) and max(further_volumes) < sd_end, lines
    assert sd_end < position["Dir JobEnd 1"], lines
    assert sorted(os.listdir(tmp_path / "volumes")) == ["TestA-1", "TestA-2", "TestA-3", "TestA-4"]


def test_two_concurrent_jobs_see_their_own_job_objects(dir_binary, tmp_path):
    scripted = ScriptedDirector(dir_binary, tmp_path, concurrent=2)
    scripted.run(stdin="run job=Nightly bytes=400000 delay=20\n"
                       "run job=Other bytes=400000 delay=20\nwait\n")
    assert scripted.query("SELECT jobid, status FROM job ORDER BY jobid") == [(1, "T"), (2, "T")]
    for jobid in (1, 2):
        events = [text.split() for text in scripted.log(jobid) if text.startswith("event ")]
        assert [e[1] for e in events][:3] == ["JobStart", "JobInit", "JobRun"]
        assert events[-1][1] == "JobEnd"
        assert {e[2] for e in events} == {str(jobid)}   # each job's handlers saw its own job
    # the two jobs ran at once: each started before the other ended
    rows = scripted.log()
    first_end = min(i for i, t in enumerate(rows) if t.startswith("event JobEnd"))
    runs = [i for i, t in enumerate(rows) if t.startswith("event JobRun")]
    assert len(runs) == 2 and max(runs) < first_end
