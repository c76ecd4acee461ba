"""The bacula module and the daemon side, in-process (FakeBaculaDaemon):
start-up (section 1.2), the module (1.3, 1.4), events (1.5, 2.4), methods
(2.3), output (3.1), python restart (3.2) and errors (3.3)."""
import sys
import threading
from pathlib import Path

import pytest

import bacula


def test_module_constants_are_the_daemons(started):
    started("dir", name="main-dir", version="1.0 06 December 2026",
            config_file="/etc/b/dir.conf", working_dir="/var/b")
    assert (bacula.Name, bacula.Version, bacula.ConfigFile, bacula.WorkingDir) == (
        "main-dir", "1.0 06 December 2026", "/etc/b/dir.conf", "/var/b")


def test_set_events_and_write_check_their_arguments(started):
    daemon, _ = started("dir")
    with pytest.raises(TypeError):
        bacula.set_events()
    with pytest.raises(TypeError):
        bacula.set_events(1, 2)
    with pytest.raises(TypeError):
        bacula.write(b"bytes")
    bacula.write("daemon line\n")
    assert daemon.messages[-1] == (None, "info", "daemon line\n")


def test_the_scripts_directory_is_appended_to_sys_path(started):
    daemon, _ = started("dir")
    assert sys.path[-1] == daemon.scripts_dir


@pytest.mark.parametrize("source", [None, "this is not python\n", "raise RuntimeError('x')\n"])
def test_a_missing_or_broken_startup_script_disables_python(make_daemon, source, capfd):
    daemon = make_daemon("dir", source=source or "")
    if source is None:
        (Path(daemon.scripts_dir) / "DirStartUp.py").unlink()
    assert daemon.start() == 1
    expected = f"Could not import Python script {daemon.scripts_dir}/DirStartUp. Python disabled.\n"
    assert daemon.messages == [(None, "error", expected)]
    assert "Traceback" in capfd.readouterr().err
    job = daemon.job_start()
    assert job.script_job is None
    daemon.event(job, "JobInit")
    daemon.job_end(job)
    daemon.exit()
    assert daemon.messages == [(None, "error", expected)]


def test_no_scripts_directory_means_no_python(make_daemon):
    daemon = make_daemon("dir")
    daemon.scripts_dir = None
    assert daemon.start() == 1
    assert daemon.messages == [] and daemon.job_start().script_job is None


def test_no_job_start_handler_means_no_job_object(make_daemon):
    daemon = make_daemon("dir", source="import bacula\nclass E:\n    JobStart = 3\n"
                                       "bacula.set_events(E())\n")
    assert daemon.start() == 0
    assert daemon.job_start().script_job is None


def test_backup_needing_a_new_volume_sees_the_events_in_order(started):
    daemon, script = started("dir")
    job = daemon.job_start()
    for event in ("JobInit", "JobRun", "NewVolume", "NewVolume"):
        daemon.event(job, event)
    daemon.job_end(job)
    daemon.exit()
    assert script.LOG == [("JobStart", 1), ("JobInit", 1), ("JobRun", 1), ("NewVolume", 1),
                          ("NewVolume", 1), ("JobEnd", 1), ("Exit", None)]


def test_job_end_receives_the_job_start_object_and_then_it_is_inert(started):
    daemon, script = started("dir")
    seen = []
    script.HOOKS["JobStart"] = seen.append
    script.HOOKS["JobEnd"] = seen.append
    job = daemon.job_start()
    daemon.job_end(job)
    assert seen[0] is seen[1] is job.script_job
    with pytest.raises(RuntimeError):
        seen[0].JobId
    with pytest.raises(RuntimeError):
        seen[0].run("run x")
    seen[0].write("late line\n")  # goes to the daemon's messages
    assert daemon.messages[-1] == (None, "info", "late line\n")
    daemon.event(job, "JobRun")   # nothing happens after the end
    assert [name for name, _ in script.LOG] == ["JobStart", "JobEnd"]


def test_return_values_are_ignored(started):
    daemon, script = started("dir")
    for name in ("JobStart", "JobInit", "NewVolume", "JobEnd"):
        script.HOOKS[name] = lambda job: "anything"
    job = daemon.job_start()
    daemon.event(job, "JobInit")
    daemon.event(job, "NewVolume")
    daemon.job_end(job)
    assert daemon.writes == [] and [m for m in daemon.messages if m[1] != "info"] == []


def test_job_event_methods_are_looked_up_at_each_event(started):
    daemon, script = started("dir")
    calls = []

    class Later:
        pass

    script.HOOKS["JobStart"] = lambda job: job.set_events(Later())
    job = daemon.job_start()
    daemon.event(job, "JobInit")                  # Later has no JobInit: skipped
    Later.JobRun = lambda self, j: calls.append(j.JobId)
    daemon.event(job, "JobRun")
    assert calls == [1]


def test_run_from_job_init_starts_a_second_job_synchronously(started):
    daemon, script = started("dir")
    results = []

    def job_init(job):
        if job.JobId < 2:
            results.append(("before", list(script.LOG)))
            results.append(("jobid", job.run("run job=kernsave yes")))
            results.append(("after", list(script.LOG)))

    script.HOOKS["JobInit"] = job_init
    first = daemon.job_start()
    daemon.event(first, "JobInit")
    new_id = results[1][1]
    assert new_id == 1000
    assert results[2][1][len(results[0][1]):] == [("JobStart", new_id), ("JobInit", new_id)]
    assert daemon.runs == [(1, "run job=kernsave yes")]
    assert daemon.running[new_id].script_job.Job == "kernsave"
    assert first.script_job.run("run") == 0   # no job name: not started


def test_cancel_and_does_volume_exist(started):
    daemon, script = started("dir", volumes={"Vol-0001"})
    job = daemon.job_start()
    other = daemon.job_start(JobId=2)
    assert job.script_job.cancel(2) is None
    assert daemon.cancels == [(1, 2)]
    with pytest.raises(ValueError):
        job.script_job.cancel(99)
    with pytest.raises(TypeError):
        job.script_job.cancel("2")
    assert job.script_job.DoesVolumeExist("Vol-0001") == 1
    assert job.script_job.DoesVolumeExist("TestA-1") == 0
    with pytest.raises(TypeError):
        job.script_job.DoesVolumeExist(1)
    daemon.job_end(other)


@pytest.mark.parametrize("kind", ["dir", "fd", "sd"])
def test_a_script_raising_in_every_handler_keeps_the_job_going(started, kind, capfd):
    daemon, script = started(kind)

    def boom(job):
        raise ValueError("boom")

    for name in ("JobStart", "JobInit", "JobRun", "NewVolume", "VolumePurged", "JobEnd", "Exit"):
        script.HOOKS[name] = boom
    job = daemon.job_start()
    for event in ("JobInit", "JobRun", "VolumePurged", "NewVolume"):
        daemon.event(job, event)
    daemon.job_end(job)
    second = daemon.job_start(JobId=2)   # handlers stay registered
    daemon.job_end(second)
    daemon.exit()
    assert [name for name, _ in script.LOG] == [
        "JobStart", "JobInit", "JobRun", "VolumePurged", "NewVolume", "JobEnd",
        "JobStart", "JobEnd", "Exit"]
    errors = [(owner, text) for owner, kind_, text in daemon.messages if kind_ == "error"]
    first = job.job_id
    assert errors == [(first, "Python JobStart handler raised ValueError: boom\n"),
                      (first, "Python JobEnd handler raised ValueError: boom\n"),
                      (2, "Python JobStart handler raised ValueError: boom\n"),
                      (2, "Python JobEnd handler raised ValueError: boom\n")]
    debug = [text for owner, kind_, text in daemon.messages if kind_ == "debug"]
    assert debug == [f"Error in Python method {name}\n"
                     for name in ("JobInit", "JobRun", "VolumePurged", "NewVolume")]
    assert capfd.readouterr().err.count("ValueError: boom") == 9   # 9 handler calls


def test_print_through_a_redirected_stdout_is_line_buffered(started):
    daemon, script = started("dir")

    class Events:
        def write(self, text):
            self.job.write(text)

        def JobInit(self, job):
            print("JobId", job.JobId, "starts")
            print("partial", end="")

    def job_start(job):
        events = Events()
        events.job = job
        job.set_events(events)
        sys.stdout = events

    script.HOOKS["JobStart"] = job_start
    saved = sys.stdout
    try:
        job = daemon.job_start()
        daemon.event(job, "JobInit")
    finally:
        sys.stdout = saved
    assert [m for m in daemon.messages if m[0] == 1] == [
        (1, "info", "JobId 1 starts\n"), (1, "info", "partial")]


def test_print_goes_to_the_job_whose_handler_runs(started):
    """Section 3.1 [rec]: each job's JobStart points sys.stdout at its own
    events object; print() in a handler reaches that job's log even after
    another job did the same (also one started inside run()), and outside
    the handlers sys.stdout is what it was before."""
    daemon, script = started("dir")

    class Events:
        def write(self, text):
            self.job.write(text)

        def JobInit(self, job):
            if job.JobId == 1:
                job.run("run job=Other yes")   # its JobStart redirects stdout too
            print(f"JobInit of {job.JobId}")

        def JobRun(self, job):
            print(f"JobRun of {job.JobId}")

    def job_start(job):
        events = Events()
        events.job = job
        job.set_events(events)
        sys.stdout = events

    script.HOOKS["JobStart"] = job_start
    outside = sys.stdout
    first = daemon.job_start(JobId=1)
    daemon.event(first, "JobInit")
    second = daemon.job_start(JobId=2)
    daemon.event(first, "JobRun")
    daemon.event(second, "JobRun")
    assert sys.stdout is outside
    assert daemon.texts(first) == "JobInit of 1\nJobRun of 1\n"
    assert daemon.texts(second) == "JobRun of 2\n"
    assert daemon.texts(1000) == "JobInit of 1000\n"   # the job run() started


def test_tracebacks_follow_a_redirected_stderr_into_the_job_log(started):
    daemon, script = started("dir")

    class Events:
        def write(self, text):
            self.job.write(text)

        def JobRun(self, job):
            raise KeyError("lost")

    def job_start(job):
        events = Events()
        events.job = job
        job.set_events(events)
        sys.stderr = events

    script.HOOKS["JobStart"] = job_start
    saved = sys.stderr
    try:
        job = daemon.job_start()
        daemon.event(job, "JobRun")
    finally:
        sys.stderr = saved
    log = daemon.texts(job)
    assert log.startswith("Traceback") and "KeyError: 'lost'" in log


def test_python_restart_picks_up_an_edited_script_and_detaches_jobs(started):
    daemon, script = started("dir")
    in_flight = daemon.job_start()
    path = Path(daemon.scripts_dir) / "DirStartUp.py"
    path.write_text(path.read_text() + "\nbacula.write('edited script loaded\\n')\n")
    assert daemon.restart() == 0
    new_script = sys.modules["DirStartUp"]
    assert new_script is not script
    assert daemon.messages[-1] == (None, "info", "edited script loaded\n")
    daemon.event(in_flight, "JobRun")     # detached: no further events
    daemon.job_end(in_flight)
    assert new_script.LOG == [] and script.LOG == [("JobStart", 1)]
    job = daemon.job_start(JobId=2)
    daemon.job_end(job)
    assert new_script.LOG == [("JobStart", 2), ("JobEnd", 2)]


def test_python_restart_with_a_broken_script_disables_python(started):
    daemon, _ = started("dir")
    path = Path(daemon.scripts_dir) / "DirStartUp.py"
    path.write_text("syntax error here\n")
    assert daemon.restart() == 1
    assert daemon.messages[-1][1] == "error"
    assert daemon.job_start().script_job is None


def test_two_concurrent_jobs_see_their_own_job_objects(started):
    daemon, script = started("dir")
    seen = {}
    barrier = threading.Barrier(2)

    def job_run(job):
        seen.setdefault(job.JobId, []).append(job)

    script.HOOKS["JobRun"] = job_run

    def one_job(job_id):
        job = daemon.job_start(JobId=job_id)
        barrier.wait()
        for _ in range(50):
            daemon.event(job, "JobRun")
        daemon.job_end(job)

    threads = [threading.Thread(target=one_job, args=(n,)) for n in (11, 12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == [11, 12]
    for job_id, objects in seen.items():
        assert len(objects) == 50 and len({id(o) for o in objects}) == 1
    assert seen[11][0] is not seen[12][0]
