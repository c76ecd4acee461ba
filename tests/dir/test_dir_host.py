"""The reference director ``bareospy-dir`` (embed/hosts/dir/): its
configuration, its SQLite catalog, the director events a DIR plugin sees,
the job queue and the console.

The director and the recording plugin (tests/dir/c/recording-dir.c) are
built here with embed/hosts/cbuild.py (with the sanitizers when
BAREOSPY_SANITIZE=1), so every run of this file also runs the C under test.
Until the FD/SD sides are wired in, a job's data phase is simulated
(``run job=X bytes=N files=N delay=MS``).
"""
import os
import runpy
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parents[2]
EXIT_OK, EXIT_FAILED, EXIT_CONFIG, EXIT_CATALOG = 0, 1, 2, 3


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """bareospy-dir and recording-dir.so, compiled for this session."""
    cbuild = SimpleNamespace(**runpy.run_path(str(REPO / "embed" / "hosts" / "cbuild.py")))
    out = tmp_path_factory.mktemp("dir-build")
    (out / "plugins").mkdir()
    try:
        cbuild.build("bareospy-dir", out / "bareospy-dir")
        cbuild.build("recording-dir.so", out / "plugins" / "recording-dir.so")
    except cbuild.BuildError as error:
        pytest.fail(str(error))
    return SimpleNamespace(binary=out / "bareospy-dir", plugins=out / "plugins")


CONFIG = """\
# a director for the tests
Director {{
  Name = "test-dir"
  Working Directory = "{work}"
  Plugin Directory = "{plugins}"
  Plugin Names = recording
  Maximum Concurrent Jobs = {concurrent}
  Messages = Standard
}}
Job {{
  Name = "Nightly"
  Type = Backup; Level = Full
  Client = client1; FileSet = "Plugins"; Storage = File; Pool = Full
  Priority = 10
  Dir Plugin Options = "{options}"
}}
Job {{
  Name = "Plain"
  Client = client1; FileSet = "Plugins"; Storage = File; Pool = Full
}}
Job {{ Name = "Other"; Client = client1; FileSet = Plugins; Storage = File; Pool = Full; Priority = 10 }}
Job {{ Name = "Housekeeping"; Type = Admin; Priority = 3 }}
Client {{ Name = client1; Address = localhost; Port = 9102 }}
FileSet {{
  Name = "Plugins"
  Include {{
    Options {{ Signature = SHA256 }}
    Plugin = "python3:module_name=bareos-fd-local-files:filename=/etc/hosts"
  }}
}}
Storage {{ Name = File; Address = localhost; Media Type = File }}
Pool {{
  Name = Full
  Pool Type = Backup
  Label Format = "Full-"
  Maximum Volume Bytes = {max_bytes}
  Volume Retention = 30 days
}}
Pool {{ Name = Scratch; Pool Type = Scratch }}
Catalog {{ Name = MyCatalog; DB Driver = sqlite3; DB Name = "catalog.db" }}
Messages {{ Name = Standard; Append = "{work}/messages.log" = all, !skipped }}
"""


class Director:
    """One configuration, its working directory and the recorded events."""

    def __init__(self, built, path, options="recording:volume=Plug", concurrent=1,
                 max_bytes="100k"):
        self.built = built
        self.path = path
        self.work = path / "work"
        self.log = path / "events.log"
        self.config = path / "dir.conf"
        self.config.write_text(CONFIG.format(work=self.work, plugins=built.plugins,
                                             options=options, concurrent=concurrent,
                                             max_bytes=max_bytes))
        self.catalog = self.work / "catalog.db"

    def environment(self):
        env = dict(os.environ, RECORDING_DIR_LOG=str(self.log))
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
        env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
        return env

    def run(self, *command, stdin=None, expect=EXIT_OK, config=None):
        argv = [str(self.built.binary), "-c", str(config or self.config), *command]
        result = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=120,
                                env=self.environment())
        assert result.returncode == expect, (
            f"{argv}: exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        return result

    def start(self, *command):
        argv = [str(self.built.binary), "-c", str(self.config), *command]
        return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.environment())

    def events(self):
        """[(jobid, instance, event, {key: value})] in the order recorded."""
        if not self.log.exists():
            return []
        out = []
        for line in self.log.read_text().splitlines():
            jobid, instance, event, *rest = line.split(" ")
            values = dict(item.split("=", 1) for item in rest if "=" in item)
            out.append((int(jobid), int(instance), event, values))
        return out

    def query(self, sql, *args):
        db = sqlite3.connect(self.catalog)
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()


@pytest.fixture
def director(built, tmp_path):
    return Director(built, tmp_path)


def assert_consistent(d):
    """What every catalog must satisfy, whatever happened to its jobs."""
    assert d.query("SELECT jobid, status FROM job WHERE status IN ('C', 'R')") == []
    purged = d.query("SELECT count(*) FROM media WHERE status='Purged' OR recycle_count > 0")[0][0]
    for mediaid, status, volume_bytes in d.query("SELECT mediaid, status, bytes FROM media"):
        written = d.query("SELECT coalesce(sum(bytes), 0) FROM jobmedia WHERE mediaid=?",
                          mediaid)[0][0]
        if status != "Purged":
            assert volume_bytes == written, (mediaid, status)
    for jobid, status, files, job_bytes in d.query("SELECT jobid, status, files, bytes FROM job"):
        recorded = d.query("SELECT count(*) FROM file WHERE jobid=?", jobid)[0][0]
        assert recorded == files, jobid
        if status not in ("T", "W"):
            assert recorded == 0, jobid
        on_volumes = d.query("SELECT coalesce(sum(bytes), 0) FROM jobmedia WHERE jobid=?",
                             jobid)[0][0]
        if purged:   # a purge forgets what its volumes held
            assert on_volumes <= job_bytes, jobid
        else:
            assert on_volumes == job_bytes, jobid


# -- configuration -------------------------------------------------------------------------

def config_error(director, text, name="bad.conf"):
    path = director.path / name
    path.write_text(text)
    result = director.run("-t", config=path, expect=EXIT_CONFIG)
    return result.stderr.strip()


def test_the_test_configuration_is_accepted(director):
    assert director.run("-t").stderr == ""


def test_an_unknown_directive_names_file_line_resource_and_directive(director):
    message = config_error(director, 'Director {\n  Name = d\n  Wrking Directory = /tmp\n}\n')
    assert message.endswith('bad.conf:3: Director "d": unknown directive "Wrking Directory"')


def test_an_unknown_resource_is_an_error(director):
    message = config_error(director, "Director { Name = d }\n\nSchedule { Name = s }\n")
    assert message.endswith('bad.conf:3: unknown resource "Schedule"')


def test_a_reference_to_a_missing_resource_names_the_job_and_its_line(director):
    message = config_error(director, "Director { Name = d }\nJob {\n Name = j\n Pool = Nope\n}\n")
    assert message.endswith('bad.conf:4: Job "j": directive "Pool": no Pool resource named "Nope"')


def test_an_error_in_an_included_file_names_that_file(director):
    (director.path / "pools.conf").write_text("Pool {\n  Name = p\n  Maximum Volume Bytes = lots\n}\n")
    message = config_error(director, "Director { Name = d }\n@pools.conf\n")
    assert message.endswith('pools.conf:3: Pool "p": directive "Maximum Volume Bytes": '
                            'invalid value "lots"')


def test_an_unterminated_string_and_a_missing_brace_are_errors(director):
    assert config_error(director, 'Director {\n Name = "d\n}\n').endswith(
        "bad.conf:2: unterminated quoted string")
    assert config_error(director, "Director {\n Name = d\n").endswith(
        'bad.conf:1: Director "d": Director block not closed with \'}\'')


def test_a_directive_given_twice_and_a_second_director_are_errors(director):
    assert "given twice" in config_error(director, "Director { Name = d; Name = e }\n")
    assert "a second Director" in config_error(director, "Director { Name = d }\nDirector { Name = e }\n")


def test_directive_names_ignore_case_spaces_and_underscores(director):
    text = director.config.read_text().replace("Working Directory", "working_DIRECTORY") \
        .replace("Maximum Volume Bytes", "maximumvolumebytes")
    director.config.write_text(text)
    director.run("run", "job=Plain", "bytes=1000")
    assert director.catalog.exists()


def test_quoted_strings_keep_escapes_and_hashes(built, tmp_path):
    d = Director(built, tmp_path, options='recording:volume=Vol\\\\X#1')
    d.run("run", "job=Nightly")
    options = [values for _, _, event, values in d.events() if event == "NewPluginOptions"]
    assert options == [{"options": "recording:volume=Vol\\X#1"}]


def test_a_configuration_error_creates_no_catalog(director):
    director.config.write_text(director.config.read_text() + "Bogus { }\n")
    director.run("status", expect=EXIT_CONFIG)
    assert not director.catalog.exists()


def test_a_configuration_error_leaves_an_existing_catalog_unchanged(director):
    director.run("run", "job=Nightly", "bytes=1000", "files=2")
    files = sorted(director.work.glob("catalog.db*"))
    before = {path: path.read_bytes() for path in files}
    good = director.config.read_text()
    director.config.write_text(good.replace("Pool = Full", "Pool = Missing", 1))
    result = director.run("run", "job=Nightly", expect=EXIT_CONFIG)
    assert "Missing" in result.stderr and str(director.config) in result.stderr
    assert sorted(director.work.glob("catalog.db*")) == files
    assert {path: path.read_bytes() for path in files} == before


# -- catalog -------------------------------------------------------------------------------

def test_the_catalog_is_created_on_first_start_with_its_schema_version(director):
    director.run("status")
    assert director.query("SELECT version FROM version") == [(1,)]
    tables = {name for (name,) in director.query("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"version", "pool", "media", "job", "file", "jobmedia", "log"} <= tables
    assert director.query("SELECT name, label_format, max_volume_bytes, volume_retention FROM pool") \
        == [("Full", "Full-", 102400, 30 * 86400), ("Scratch", None, 0, 0)]


def test_a_newer_schema_version_is_refused_and_left_unchanged(director):
    director.run("status")
    db = sqlite3.connect(director.catalog, isolation_level=None)
    db.execute("UPDATE version SET version = 7")
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()
    before = director.catalog.read_bytes()
    result = director.run("run", "job=Plain", expect=EXIT_CATALOG)
    assert "schema version 7; this bareospy-dir reads version 1" in result.stderr
    assert "newer director" in result.stderr
    assert director.catalog.read_bytes() == before


@pytest.mark.parametrize("content", [b"this is not a database\n" * 10, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_corrupt_catalog_is_refused_and_left_unchanged(director, content):
    director.work.mkdir()
    director.catalog.write_bytes(content)
    result = director.run("list", "jobs", expect=EXIT_CATALOG)
    assert f"catalog {director.catalog}" in result.stderr
    assert director.catalog.read_bytes() == content


def test_a_foreign_sqlite_database_is_refused(director):
    director.work.mkdir()
    db = sqlite3.connect(director.catalog, isolation_level=None)
    db.execute("CREATE TABLE something (x)")
    db.close()
    result = director.run("status", expect=EXIT_CATALOG)
    assert "not a bareospy catalog" in result.stderr
    assert director.query("SELECT name FROM sqlite_master") == [("something",)]


# -- events -------------------------------------------------------------------------------

def test_every_event_reaches_the_plugin_in_the_order_the_director_sends_it(director):
    result = director.run("run", "job=Nightly", "bytes=150000", "files=4")
    assert "status T" in result.stdout
    names = [event for _, _, event, _ in director.events()]
    assert names == ["NewPluginOptions", "JobStart", "JobInit", "JobRun",
                     "NeedVolume", "GetScratch", "NewVolume", "VolumeFull",
                     "NeedVolume", "GetScratch", "NewVolume", "JobEnd", "freePlugin"]
    events = {event: values for _, _, event, values in director.events()}
    start = events["JobStart"]
    assert (start["job"], start["type"], start["level"], start["priority"]) == ("Nightly", "B", "F", "10")
    assert (start["pool"], start["client"], start["storage"], start["catalog"]) == \
        ("Full", "client1", "File", "MyCatalog")
    assert start["plugindir"] == str(director.built.plugins)
    assert start["name"].startswith("Nightly.")
    end = events["JobEnd"]
    assert end == {"status": "T", "files": "4", "bytes": "150000", "errors": "0",
                   "numvols": "2", "volume": "Plug-1-2"}


def test_volumes_named_by_the_plugin_are_in_the_catalog(director):
    director.run("run", "job=Nightly", "bytes=250000")
    volumes = director.query("SELECT name, status, bytes, jobs FROM media ORDER BY mediaid")
    assert volumes == [("Plug-1-1", "Full", 102400, 1), ("Plug-1-2", "Full", 102400, 1),
                       ("Plug-1-3", "Append", 45200, 1)]
    numvols = [values["numvols"] for _, _, event, values in director.events() if event == "NewVolume"]
    assert numvols == ["0", "1", "2"]
    listing = director.run("list", "volumes").stdout
    assert "Plug-1-3 | Full | Append | 45200 | 1" in listing
    assert_consistent(director)


def test_without_a_plugin_name_the_label_format_names_the_volume(director):
    director.run("run", "job=Plain", "bytes=1000")
    assert director.query("SELECT name FROM media") == [("Full-0001",)]


def test_a_labelled_volume_is_used_before_a_new_one(director):
    director.run("label", "volume=Manual", "pool=Full")
    director.run("run", "job=Nightly", "bytes=1000")
    assert director.query("SELECT name, bytes FROM media") == [("Manual", 1000)]
    assert "NewVolume" not in [event for _, _, event, _ in director.events()]


def test_purge_fires_volume_purged_and_the_volume_is_recycled(director):
    director.run("run", "job=Plain", "bytes=250000", "files=2")   # Full-0001, -0002 full
    director.run("purge", "volume=Full-0001")
    purged = [values for _, _, event, values in director.events() if event == "VolumePurged"]
    assert purged == [{"volume": "Full-0001"}]
    assert director.query("SELECT status FROM media WHERE name='Full-0001'") == [("Purged",)]
    director.run("run", "job=Nightly", "bytes=150000")             # fills Full-0003, recycles -0001
    events = [(event, values.get("volume")) for _, _, event, values in director.events()]
    assert ("Recyle", "Full-0001") in events
    assert director.query("SELECT status, bytes FROM media WHERE name='Full-0001'") == \
        [("Append", 150000 - (102400 - 45200))]
    assert_consistent(director)


def test_a_volume_is_taken_from_the_scratch_pool(director):
    director.run("label", "volume=Spare", "pool=Scratch")
    director.run("run", "job=Plain", "bytes=1000")
    events = [event for _, _, event, _ in director.events()]
    assert events[events.index("NeedVolume"):events.index("JobEnd")] == ["NeedVolume", "GetScratch"]
    assert director.query("SELECT media.name, pool.name, bytes FROM media JOIN pool USING (poolid)") \
        == [("Spare", "Full", 1000)]


def test_an_admin_job_has_no_data_phase(director):
    director.run("run", "job=Housekeeping")
    names = [event for _, _, event, _ in director.events()]
    assert names == ["JobStart", "JobInit", "JobRun", "JobEnd", "freePlugin"]   # no options
    assert director.query("SELECT type, status, bytes FROM job") == [("D", "T", 0)]
    assert director.query("SELECT count(*) FROM media") == [(0,)]


def test_a_missing_plugin_directory_is_reported(director):
    text = director.config.read_text().replace(str(director.built.plugins), "/nonexistent/plugins")
    director.config.write_text(text)
    result = director.run("status", expect=EXIT_CONFIG)
    assert "/nonexistent/plugins" in result.stderr


def test_a_plugin_sets_the_level(built, tmp_path):
    d = Director(built, tmp_path, options="recording:level=I")
    d.run("run", "job=Nightly", "bytes=10")
    runs = [values for _, _, event, values in d.events() if event == "JobRun"]
    assert runs == [{"priority": "10", "level": "I"}]
    assert d.query("SELECT level FROM job") == [("I",)]


def test_registering_an_event_outside_the_director_range_fails_the_job(built, tmp_path):
    d = Director(built, tmp_path, options="recording:badevent=12")
    d.run("run", "job=Nightly", "bytes=10", expect=EXIT_FAILED)
    recorded = [values for _, _, event, values in d.events() if event == "registerBareosEvents"]
    assert recorded == [{"event": "12", "rc": "2"}]                     # bRC_Error
    assert d.query("SELECT status, errors FROM job") == [("f", 1)]
    assert "event 12 is not a director event (1..11)" in d.run("messages").stdout


def test_plugin_options_that_name_no_plugin_are_job_errors(built, tmp_path):
    d = Director(built, tmp_path, options="nosuch:a=b")
    d.run("run", "job=Nightly", "bytes=10")
    assert d.query("SELECT status, errors FROM job") == [("W", 1)]
    assert 'no plugin "nosuch" is loaded' in d.run("messages").stdout


def test_instance_n_creates_a_second_instance(built, tmp_path):
    d = Director(built, tmp_path, options="recording:instance=3:volume=Three")
    d.run("run", "job=Nightly", "bytes=10")
    instances = sorted({(instance, event) for _, instance, event, _ in d.events()
                        if event in ("NewPluginOptions", "NewVolume", "freePlugin")})
    assert instances == [(0, "NewVolume"), (0, "freePlugin"),
                         (3, "NewPluginOptions"), (3, "NewVolume"), (3, "freePlugin")]
    assert d.query("SELECT name FROM media") == [("Three-1-1",)]


# -- queue, concurrency, cancellation ---------------------------------------------------------

def job_run_order(d):
    return [jobid for jobid, _, event, _ in d.events() if event == "JobRun"]


def test_priorities_order_the_queue(director):
    commands = ("run job=Other bytes=300000 delay=200\n"   # JobId 1 starts at once
                "run job=Plain priority=20\n"              # 2 waits
                "run job=Other priority=5\n"               # 3 waits, runs before 2
                "wait\n")
    director.run(stdin=commands)
    assert job_run_order(director) == [1, 3, 2]
    assert director.query("SELECT jobid, priority, status FROM job ORDER BY jobid") == \
        [(1, 10, "T"), (2, 20, "T"), (3, 5, "T")]


def test_a_plugin_raises_a_priority_at_job_start(built, tmp_path):
    d = Director(built, tmp_path, options="recording:priority=1")
    commands = ("run job=Other bytes=300000 delay=200\n"   # 1 runs
                "run job=Plain\n"                          # 2 queued, priority 10
                "run job=Nightly\n")                       # 3 queued, the plugin makes it 1
    d.run(stdin=commands)
    assert job_run_order(d) == [1, 3, 2]


def test_two_jobs_run_at_once_and_leave_a_consistent_catalog(built, tmp_path):
    d = Director(built, tmp_path, concurrent=2, max_bytes="200k")
    commands = ("run job=Nightly bytes=500000 files=20 delay=50\n"
                "run job=Plain bytes=500000 files=30 delay=50\n")
    d.run(stdin=commands)
    events = [(jobid, event) for jobid, _, event, _ in d.events()]
    first_end = min(events.index((1, "JobEnd")), events.index((2, "JobEnd")))
    assert events.index((1, "JobRun")) < first_end and events.index((2, "JobRun")) < first_end
    assert d.query("SELECT jobid, status, files, bytes FROM job ORDER BY jobid") == \
        [(1, "T", 20, 500000), (2, "T", 30, 500000)]
    assert_consistent(d)


def test_concurrent_jobs_share_a_pool_without_overfilling_a_volume(built, tmp_path):
    d = Director(built, tmp_path, concurrent=2, max_bytes="100k")
    d.run(stdin="run job=Plain bytes=700000 delay=10\nrun job=Other bytes=700000 delay=10\n")
    assert d.query("SELECT jobid, status, bytes FROM job ORDER BY jobid") == \
        [(1, "T", 700000), (2, "T", 700000)]
    sizes = [size for (size,) in d.query("SELECT bytes FROM media")]
    assert max(sizes) <= 102400 and sum(sizes) == 1400000
    names = [name for (name,) in d.query("SELECT name FROM media ORDER BY mediaid")]
    assert names == [f"Full-{i:04d}" for i in range(1, len(names) + 1)]
    assert_consistent(d)


def wait_for_status(d, jobid, status, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if d.catalog.exists():
            try:
                if d.query("SELECT status FROM job WHERE jobid=?", jobid) == [(status,)]:
                    return
            except sqlite3.OperationalError:
                pass
        time.sleep(0.05)
    raise AssertionError(f"JobId {jobid} never reached status {status}")


def test_a_job_cancelled_from_another_console_leaves_a_consistent_catalog(director):
    process = director.start("run", "job=Nightly", "bytes=10000000", "files=50", "delay=50")
    try:
        wait_for_status(director, 1, "R")
        result = director.run("cancel", "jobid=1")
        assert "cancel requested" in result.stdout
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == EXIT_FAILED, stderr
    assert "Canceled" in stdout
    job = director.query("SELECT status, files FROM job WHERE jobid=1")
    assert job == [("A", 0)]
    end = [values for _, _, event, values in director.events() if event == "JobEnd"]
    assert end[0]["status"] == "A" and end[0]["files"] == "0"
    assert_consistent(director)
    assert "has ended" in director.run("cancel", "jobid=1", expect=EXIT_FAILED).stdout


def test_a_queued_job_cancelled_in_the_console_never_runs(director):
    commands = ("run job=Other bytes=300000 delay=100\n"
                "run job=Plain bytes=1000\n"
                "cancel jobid=2\n")
    director.run(stdin=commands, expect=EXIT_OK)
    assert job_run_order(director) == [1]
    assert director.query("SELECT jobid, status FROM job ORDER BY jobid") == [(1, "T"), (2, "A")]
    assert_consistent(director)


def test_a_director_killed_during_a_job_leaves_a_consistent_catalog(director):
    process = director.start("run", "job=Nightly", "bytes=10000000", "files=50", "delay=20")
    wait_for_status(director, 1, "R")
    time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    result = director.run("list", "jobs")
    assert "marked ErrorTerminated" in result.stderr
    assert director.query("SELECT status, files FROM job") == [("E", 0)]
    assert_consistent(director)


# -- console ------------------------------------------------------------------------------

def test_console_commands_one_shot_and_interactive(director):
    director.run("run", "job=Nightly", "level=Incremental", "bytes=5000", "files=3")
    assert director.query("SELECT level FROM job") == [("I",)]
    files = director.run("list", "files", "jobid=1").stdout.split()
    assert files == [f"/simulated/Nightly/file-{i:06d}" for i in range(3)]
    messages = director.run("messages").stdout
    assert 'Created new volume "Plug-1-1"' in messages and "Backup OK" in messages
    assert director.run("messages").stdout == ""                 # shown once
    assert "Backup OK" in (director.work / "messages.log").read_text()
    out = director.run(stdin="status\nlist jobs\nhelp\nquit\nlist volumes\n").stdout
    assert "Director test-dir: 0 running" in out
    assert "1 | Nightly | B | I | T | 10 | 3 | 5000 | 0 | Full" in out
    assert "purge volume=NAME" in out
    assert out.count("mediaid | name") == 1                       # nothing after quit


@pytest.mark.parametrize("command, message", [
    (["run", "job=Nope"], 'run: no Job "Nope"'),
    (["run", "job=Plain", "level=Sometimes"], 'run: unknown level "Sometimes"'),
    (["list", "files"], "list files: jobid=N is required"),
    (["cancel", "jobid=99"], "cancel: no JobId 99"),
    (["purge", "volume=Nope"], "purge: no such volume"),
    (["label", "volume=V", "pool=Nope"], 'label: no Pool "Nope"'),
    (["frobnicate"], 'unknown command "frobnicate"'),
])
def test_console_errors(director, command, message):
    assert message in director.run(*command, expect=EXIT_FAILED).stdout


def test_the_installed_program_reads_the_configuration():
    import bareospy
    installed = Path(bareospy.__file__).resolve().parent / "bin" / "bareospy-dir"
    if not installed.exists():
        pytest.skip("bareospy-dir is not built into the package")
    bad = subprocess.run([str(installed), "-c", "/nonexistent/dir.conf", "-t"],
                         capture_output=True, text=True)
    assert bad.returncode == EXIT_CONFIG
    assert "/nonexistent/dir.conf: cannot read" in bad.stderr


def test_the_console_script_runs_the_installed_program():
    import bareospy
    installed = Path(bareospy.__file__).resolve().parent / "bin" / "bareospy-dir"
    if not installed.exists():
        pytest.skip("bareospy-dir is not built into the package")
    code = "import sys; from bareospy.host import director_main; sys.exit(director_main())"
    result = subprocess.run([sys.executable, "-c", code, "-c", "/nonexistent/dir.conf", "-t"],
                            capture_output=True, text=True)
    assert result.returncode == EXIT_CONFIG
    assert "bareospy-dir: /nonexistent/dir.conf: cannot read" in result.stderr
