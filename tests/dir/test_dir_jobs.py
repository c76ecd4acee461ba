"""bareospy-dir running real jobs: the FD (bareospy-fd, started by the
director from the Client's Command) backs up a tree, the director sends it to
bareospy-sd under a volume name its plugins chose, records volumes and files
in the catalog, and `restore` brings it back through the FD."""
import json
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fd"))
sys.path.insert(0, str(HERE.parent / "sd"))
sys.path.insert(0, str(HERE))
from test_host_e2e import (BINARY as FD, PLUGIN_DIR, assert_same_tree, definition,  # noqa: E402
                           restored_root, snapshot, write_list)
from test_sd_fd_e2e import SD  # noqa: E402
from test_dir_host import (EXIT_FAILED, Director, assert_consistent, built,  # noqa: E402,F401
                           wait_for_status)

SCRIPTS = HERE / "scripts"
TIMEOUT = 120

CONFIG = """\
Director {{
  Name = "jobs-dir"
  Working Directory = "{work}"
  Plugin Directory = "{plugins}"
  Plugin Names = {plugin_names}
  Messages = Standard
}}
Job {{
  Name = "Tree"
  Type = Backup; Level = Full
  Client = local; FileSet = "Tree"; Storage = SD; Pool = Full
  Dir Plugin Options = "{options}"
}}
Client {{ Name = local; Command = "{fd_command}" }}
FileSet {{
  Name = "Tree"
  Include {{ Plugin = "{definition}" }}
}}
Storage {{ Name = SD; Address = "{address}"; Media Type = File }}
Pool {{ Name = Full; Pool Type = Backup; Label Format = "Full-" }}
Catalog {{ Name = MyCatalog; DB Driver = sqlite3; DB Name = "catalog.db" }}
Messages {{ Name = Standard; Append = "{work}/messages.log" = all }}
"""


def start_sd(tmp_path, *options):
    storage = tmp_path / "volumes"
    out = tmp_path / "sd.out"
    process = subprocess.Popen([str(SD), "serve", "--listen", f"unix:{tmp_path}/sd.sock",
                                "--storage-dir", str(storage), *map(str, options)],
                               stdout=open(out, "w"), stderr=subprocess.STDOUT)
    return process, storage, out


@pytest.fixture
def storage_daemon(tmp_path):
    """A running bareospy-sd: (address, storage dir)."""
    process, storage, out = start_sd(tmp_path)
    deadline = time.monotonic() + TIMEOUT
    while "listening on" not in out.read_text():
        assert process.poll() is None and time.monotonic() < deadline, out.read_text()
        time.sleep(0.02)
    yield f"unix:{tmp_path}/sd.sock", storage
    process.send_signal(signal.SIGTERM)
    try:
        assert process.wait(TIMEOUT) == 0, out.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def make_tree(root, entries=300):
    """Directories of files, a symlink and a hard link: `entries` entries."""
    root.mkdir()
    made = 1
    directory = root
    for n in range(entries - 3):
        if n % 25 == 0:
            directory = root / f"dir-{n // 25:02d}"
            directory.mkdir()
        else:
            path = directory / f"file-{n:04d}"
            path.write_bytes(os.urandom(n * 37 % 5000))
            os.chmod(path, 0o600 + (n % 3) * 0o40)
            os.utime(path, (1_600_000_000 + n, 1_600_000_000 + n))
        made += 1
    os.symlink("dir-00/file-0001", root / "link")
    os.link(root / "dir-00" / "file-0001", root / "hardlink")
    return root


class Setup:
    def __init__(self, built, tmp_path, address, plugin_names, options, fd_command=None):
        self.tree = make_tree(tmp_path / "source tree")
        self.list_file = write_list(tmp_path / "list", self.tree)
        self.director = Director(built, tmp_path)
        fd_command = fd_command or f"{FD} -p {PLUGIN_DIR}"
        self.director.config.write_text(CONFIG.format(
            work=self.director.work, plugins=built.plugins, plugin_names=plugin_names,
            options=options, fd_command=fd_command, definition=definition(self.list_file),
            address=address))

    def run(self, *command, **kwargs):
        return self.director.run(*command, **kwargs)


def python_plugins(built):
    """The director's plugin directory with python3-dir.so next to recording-dir.so."""
    target = built.plugins / "python3-dir.so"
    if not target.exists():
        target.symlink_to(PLUGIN_DIR / "python3-dir.so")
    return built.plugins


def test_backup_and_restore_through_fd_and_sd_with_volumes_named_by_a_c_plugin(
        built, tmp_path, storage_daemon):
    address, storage = storage_daemon
    setup = Setup(built, tmp_path, address, "recording", "recording:volume=Plug")
    original = snapshot(setup.tree)
    result = setup.run("run", "job=Tree")
    assert "OK" in result.stdout
    d = setup.director
    assert d.query("SELECT jobid, status, level FROM job") == [(1, "T", "F")]
    assert d.query("SELECT name, status FROM media") == [("Plug-1-1", "Append")]
    assert sorted(os.listdir(storage)) == ["Plug-1-1"]
    files = d.query("SELECT count(*) FROM file WHERE jobid=1")[0][0]
    assert files >= 300 and d.query("SELECT files FROM job")[0][0] == files
    assert_consistent(d)
    where = tmp_path / "restored"
    restore = setup.run("restore", "job=Tree", f"where={where}")
    assert "Restore of JobId 1" in restore.stdout and ": OK" in restore.stdout, restore.stdout
    assert_same_tree(original, restored_root(where, setup.tree))
    # the restore is a job of its own in the catalog: type R, its status, and
    # it fires a job's events (no volume events: it only reads)
    assert d.query("SELECT jobid, name, type, status, files FROM job WHERE jobid=2") == [
        (2, "Tree", "R", "T", 0)]
    restore_events = [(event, values) for jobid, _, event, values in d.events() if jobid == 2]
    assert [event for event, _ in restore_events] == [
        "NewPluginOptions", "JobStart", "JobInit", "JobRun", "JobEnd", "freePlugin"]
    assert dict(restore_events)["JobStart"]["type"] == "R"
    assert dict(restore_events)["JobEnd"]["status"] == "T"
    assert "| Tree | R |" in setup.run("list", "jobs").stdout
    assert_consistent(d)
    # a restore the FD fails is recorded as failed
    (tmp_path / "afile").write_text("not a directory\n")
    setup.run("restore", "job=Tree", f"where={tmp_path / 'afile'}", expect=EXIT_FAILED)
    assert d.query("SELECT type, status FROM job WHERE jobid=3") == [("R", "f")]
    assert [values["status"] for jobid, _, event, values in d.events()
            if jobid == 3 and event == "JobEnd"] == ["f"]


def test_a_python_dir_plugin_names_the_volumes(built, tmp_path, storage_daemon):
    address, storage = storage_daemon
    plugins = python_plugins(built)
    assert plugins
    options = f"python3:module_path={SCRIPTS}:module_name=bareos-dir-volume-names:prefix=Nightly"
    setup = Setup(built, tmp_path, address, "python3", options)
    setup.run("run", "job=Tree")
    d = setup.director
    assert d.query("SELECT name FROM media") == [("Nightly-0001-1",)]
    assert sorted(os.listdir(storage)) == ["Nightly-0001-1"]
    assert "Nightly-0001-1" in setup.run("list", "volumes").stdout
    # the next job appends to that volume: no new one is named
    setup.run("run", "job=Tree")
    assert d.query("SELECT name FROM media") == [("Nightly-0001-1",)]
    assert d.query("SELECT jobid, mediaid FROM jobmedia ORDER BY jobid") == [(1, 1), (2, 1)]
    assert_consistent(d)


def test_an_incremental_holds_exactly_the_changed_entries(built, tmp_path, storage_daemon):
    address, _ = storage_daemon
    setup = Setup(built, tmp_path, address, "recording", "recording:volume=Plug")
    time.sleep(1.1)  # times have 1 s resolution: the tree is older than the Full's start
    setup.run("run", "job=Tree")
    changed = setup.tree / "dir-03" / "file-0080"
    changed.write_bytes(b"changed\n")
    os.utime(changed, (1_700_000_000, 1_700_000_000))
    added = setup.tree / "dir-05" / "new file"
    added.write_bytes(b"new\n")
    expected = {str(changed), str(added), str(added.parent)}
    time.sleep(0.01)
    result = setup.run("run", "job=Tree", "level=Incremental")
    assert "OK" in result.stdout
    d = setup.director
    assert d.query("SELECT jobid, level, status FROM job ORDER BY jobid") == [
        (1, "F", "T"), (2, "I", "T")]
    paths = {row[0].rstrip("/") for row in d.query("SELECT path FROM file WHERE jobid=2")}
    assert paths == expected
    assert "since JobId 1" in (d.work / "messages.log").read_text()
    assert_consistent(d)
    # the latest restore of the Incremental gives its entries
    where = tmp_path / "restored"
    setup.run("restore", "jobid=2", f"where={where}")
    assert (restored_root(where, setup.tree) / "dir-03" / "file-0080").read_bytes() == b"changed\n"


def test_a_cancelled_job_leaves_a_consistent_catalog(built, tmp_path, storage_daemon):
    address, storage = storage_daemon
    slow = tmp_path / "slow-fd"
    slow.write_text(f"#!/bin/sh\nsleep 2\nexec {FD} -p {PLUGIN_DIR} \"$@\"\n")
    slow.chmod(0o755)
    setup = Setup(built, tmp_path, address, "recording", "recording:volume=Plug",
                  fd_command=str(slow))
    d = setup.director
    process = d.start("run", "job=Tree")
    try:
        wait_for_status(d, 1, "R")
        assert "cancel requested" in setup.run("cancel", "jobid=1").stdout
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == EXIT_FAILED, stderr
    assert d.query("SELECT status, files FROM job") == [("A", 0)]
    assert d.query("SELECT count(*) FROM file")[0][0] == 0
    assert_consistent(d)
    assert not list(d.work.glob("*.archive"))


def test_the_readme_director_example_runs(built, tmp_path):
    """examples/director/demo.sh (make demo, make demo-director): the director under
    test and the package's FD and SD on PATH, volumes named by the example's
    Python plugin."""
    env = dict(os.environ, PATH=f"{built.binary.parent}:{FD.parent}:{os.environ['PATH']}", PYTHON=sys.executable,
               PYTHONPATH=str(PLUGIN_DIR.parents[1]))
    result = subprocess.run([str(HERE.parents[1] / "examples" / "director" / "demo.sh"),
                             str(tmp_path)], capture_output=True, text=True, timeout=TIMEOUT,
                            env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    # 400 kB on 150 KB volumes: each one the SD fills is named by the plugin
    assert "1 | Demo-0001 | Full | Full" in result.stdout
    assert "2 | Demo-0002 | Full | Full" in result.stdout
    assert "3 | Demo-0003 | Full | Append" in result.stdout
    assert sorted(os.listdir(tmp_path / "volumes")) == ["Demo-0001", "Demo-0002", "Demo-0003"]
    assert "the restored tree is identical" in result.stdout
    assert "2 | Demo | R |" in result.stdout


def test_sd_plugin_options_reach_the_sd_and_every_volume_goes_through_the_director(
        built, tmp_path):
    """The Job's SD Plugin Options load the SD's recording plugin for the job.
    Each volume the SD fills is handed back to the director: VolumeFull, then
    NeedVolume and NewVolume, where the director's plugin names the next one;
    the catalog holds every volume with the bytes the job wrote on it."""
    cbuild = SimpleNamespace(**runpy.run_path(str(HERE.parents[1] / "embed" / "hosts" / "cbuild.py")))
    sd_plugins = tmp_path / "sd-plugins"
    sd_plugins.mkdir()
    cbuild.build("recording-sd.so", sd_plugins / "recording-sd.so")
    process, storage, out = start_sd(tmp_path, "-p", sd_plugins, "--max-volume-bytes", "64k",
                                     "--label-format", "SD-%03d")
    try:
        deadline = time.monotonic() + TIMEOUT
        while "listening on" not in out.read_text():
            assert process.poll() is None and time.monotonic() < deadline, out.read_text()
            time.sleep(0.02)
        setup = Setup(built, tmp_path, f"unix:{tmp_path}/sd.sock", "recording",
                      "recording:volume=Plug")
        events = tmp_path / "sd-events.jsonl"
        conf = setup.director.config
        conf.write_text(conf.read_text().replace(
            'Dir Plugin Options', f'SD Plugin Options = "recording:out={events}"\n  Dir Plugin Options'))
        original = snapshot(setup.tree)
        setup.run("run", "job=Tree")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(TIMEOUT)
    d = setup.director
    job = d.query("SELECT job FROM job")[0][0]
    seen = [json.loads(line) for line in events.read_text().splitlines()]
    assert {"NewPluginOptions", "JobStart", "JobEnd"} <= {e["event"] for e in seen if e["job"] == job}
    volumes = [name for (name,) in d.query("SELECT name FROM media ORDER BY mediaid")]
    assert len(volumes) >= 3
    assert volumes == [f"Plug-1-{n}" for n in range(1, len(volumes) + 1)]
    assert sorted(os.listdir(storage)) == sorted(volumes)
    # the archive goes in 64 KiB records and a 64k volume takes one: per-volume bytes
    per_volume = d.query("SELECT media.name, media.status, jobmedia.bytes FROM jobmedia"
                         " JOIN media USING (mediaid) WHERE jobid=1 ORDER BY mediaid")
    assert [name for name, _, _ in per_volume] == volumes
    assert [b for _, _, b in per_volume[:-1]] == [65536] * (len(volumes) - 1)
    assert 0 < per_volume[-1][2] <= 65536
    assert [status for _, status, _ in per_volume] == ["Full"] * (len(volumes) - 1) + ["Append"]
    assert d.query("SELECT bytes FROM job")[0][0] == sum(b for _, _, b in per_volume)
    volume_events = [(event, values.get("volume")) for _, _, event, values in d.events()
                     if event in ("NeedVolume", "NewVolume", "VolumeFull")]
    expected = [("NeedVolume", ""), ("NewVolume", "Plug-1-1")]
    for previous, name in zip(volumes, volumes[1:]):
        expected += [("VolumeFull", previous), ("NeedVolume", ""), ("NewVolume", name)]
    assert volume_events == expected
    assert_consistent(d)
    process, storage, out = start_sd(tmp_path)   # restarted, without the plugin
    try:
        deadline = time.monotonic() + TIMEOUT
        while out.read_text().count("listening on") < 1:
            assert process.poll() is None and time.monotonic() < deadline, out.read_text()
            time.sleep(0.02)
        where = tmp_path / "restored"
        setup.run("restore", f"where={where}")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(TIMEOUT)
    assert_same_tree(original, restored_root(where, setup.tree))


def test_a_2000_entry_tree_round_trips(built, tmp_path, storage_daemon):
    """The issue's size (about 5 s here): byte- and metadata-identical."""
    address, _ = storage_daemon
    setup = Setup(built, tmp_path, address, "recording", "recording:volume=Plug")
    setup.tree.rename(tmp_path / "small")
    make_tree(setup.tree, entries=2000)
    original = snapshot(setup.tree)
    setup.run("run", "job=Tree")
    assert setup.director.query("SELECT files FROM job")[0][0] >= 2000
    where = tmp_path / "restored"
    setup.run("restore", f"where={where}")
    assert_same_tree(original, restored_root(where, setup.tree))


CONCURRENT_CONFIG = """\
Director {{
  Name = "jobs-dir"
  Working Directory = "{work}"
  Plugin Directory = "{plugins}"
  Plugin Names = recording
  Messages = Standard
  Maximum Concurrent Jobs = 3
}}
{jobs}
Client {{ Name = local; Command = "{fd_command}" }}
Storage {{ Name = SD; Address = "{address}"; Media Type = File }}
Pool {{ Name = Full; Pool Type = Backup; Label Format = "Full-"; Maximum Volume Bytes = 64k }}
Catalog {{ Name = MyCatalog; DB Driver = sqlite3; DB Name = "catalog.db" }}
Messages {{ Name = Standard; Append = "{work}/messages.log" = all }}
"""

CONCURRENT_JOB = """\
Job {{
  Name = "{name}"
  Type = Backup; Level = Full
  Client = local; FileSet = "{name}"; Storage = SD; Pool = Full
  Dir Plugin Options = "recording:volume=Plug"
}}
FileSet {{ Name = "{name}"; Include {{ Plugin = "{definition}" }} }}
"""


def volumes_written(d, jobid):
    """How many volume parts job `jobid` has in the catalog (0 while the
    director is still creating the catalog)."""
    try:
        return d.query("SELECT count(*) FROM jobmedia WHERE jobid=?", jobid)[0][0]
    except sqlite3.OperationalError:   # no file, or no schema yet
        return 0


def test_two_real_jobs_at_once_and_a_cancelled_one_leave_a_consistent_catalog(built, tmp_path):
    """Jobs A and B run at once through FD and SD, each on its own volumes
    (the Pool's 64k volumes, a limit the director sends to an SD that has
    none: every volume the SD fills goes through the director); job C,
    running next to them, is cancelled by another console while it writes.
    The catalog adds up, and A and B restore identical."""
    process, storage, out = start_sd(tmp_path)
    trees = {name: make_tree(tmp_path / f"tree {name}") for name in "AB"}
    trees["C"] = tmp_path / "tree C"
    trees["C"].mkdir()
    (trees["C"] / "big").write_bytes(os.urandom(24 << 20))
    d = Director(built, tmp_path)
    jobs = "".join(CONCURRENT_JOB.format(
        name=name, definition=definition(write_list(tmp_path / f"list-{name}", tree)))
        for name, tree in trees.items())
    d.config.write_text(CONCURRENT_CONFIG.format(
        work=d.work, plugins=built.plugins, jobs=jobs, fd_command=f"{FD} -p {PLUGIN_DIR}",
        address=f"unix:{tmp_path}/sd.sock"))
    originals = {name: snapshot(trees[name]) for name in "AB"}
    try:
        deadline = time.monotonic() + TIMEOUT
        while "listening on" not in out.read_text():
            assert process.poll() is None and time.monotonic() < deadline, out.read_text()
            time.sleep(0.02)
        director = subprocess.Popen(
            [str(built.binary), "-c", str(d.config)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=d.environment())
        director.stdin.write("run job=A\nrun job=B\nrun job=C\n")
        director.stdin.flush()
        # C has written at least one full volume: cancel it from another console
        deadline = time.monotonic() + TIMEOUT
        while not volumes_written(d, 3):
            assert time.monotonic() < deadline and director.poll() is None
            time.sleep(0.02)
        assert "cancel requested" in d.run("cancel", "jobid=3").stdout
        stdout, stderr = director.communicate("wait\n", timeout=TIMEOUT)
        # before the restores: a backup that did not end OK shows its report here
        assert d.query("SELECT jobid, name, status FROM job WHERE type='B' ORDER BY jobid") == [
            (1, "A", "T"), (2, "B", "T"), (3, "C", "A")], \
            stdout + stderr + (d.work / "messages.log").read_text(errors="replace")
        where = {name: tmp_path / f"restored-{name}" for name in "AB"}
        for jobid, name in ((1, "A"), (2, "B")):
            d.run("restore", f"jobid={jobid}", f"where={where[name]}")
    finally:
        if "director" in locals() and director.poll() is None:
            director.kill()
        process.send_signal(signal.SIGTERM)
        process.wait(TIMEOUT)
    assert d.query("SELECT jobid, name, status FROM job WHERE type='B' ORDER BY jobid") == [
        (1, "A", "T"), (2, "B", "T"), (3, "C", "A")], stdout + stderr
    events = [(jobid, event) for jobid, _, event, _ in d.events()]
    first_end = min(events.index((1, "JobEnd")), events.index((2, "JobEnd")))
    assert events.index((1, "JobRun")) < first_end and events.index((2, "JobRun")) < first_end
    volumes = {jobid: {name for (name,) in d.query(
        "SELECT media.name FROM jobmedia JOIN media USING (mediaid) WHERE jobid=?", jobid)}
        for jobid in (1, 2, 3)}
    assert len(volumes[1]) >= 2 and len(volumes[2]) >= 2 and volumes[3]
    # never on one volume at once: a job only appends to another's last
    # volume once that one has ended (the SD refuses a volume in use)
    last = {jobid: d.query("SELECT media.name FROM jobmedia JOIN media USING (mediaid)"
                           " WHERE jobid=? ORDER BY jobmediaid LIMIT 1 OFFSET ?",
                           jobid, len(volumes[jobid]) - 1)[0][0] for jobid in (1, 2, 3)}
    for jobid in (1, 2):
        others = set().union(*(volumes[j] for j in (1, 2, 3) if j != jobid))
        assert {name for name in volumes[jobid] if not name.startswith(f"Plug-{jobid}-")} <= \
            {last[j] for j in (1, 2, 3) if j != jobid}
        assert len(volumes[jobid] - others) >= 2
    catalogued = {name for (name,) in d.query("SELECT name FROM media")}
    assert set(os.listdir(storage)) == catalogued
    assert d.query("SELECT files, bytes > 0 FROM job WHERE jobid=3") == [(0, 1)]
    # the cancelled job's last volume may end in a cut-short block the SD will
    # not append to: no later job may be given it (Used), unless it was full
    assert d.query("SELECT status FROM media WHERE name=?", last[3])[0][0] in ("Used", "Full")
    assert_consistent(d)
    assert not list(d.work.glob("*.archive"))
    for name in "AB":
        assert_same_tree(originals[name], restored_root(where[name], trees[name]))


EVENT_NAMES = ["JobStart", "JobEnd", "JobInit", "JobRun", "VolumePurged", "NewVolume",
               "NeedVolume", "VolumeFull", "Recyle", "GetScratch"]


def test_a_python_recording_script_and_the_class_plugin_in_a_real_job(built, tmp_path):
    """bareospy-dir loads the C recording plugin and python3-dir.so: a Python
    recording script (tests/common/scripts/bpy_events.py) gets every event of
    a real job whose volumes fill up, in the order the director sends them
    (the C plugin, loaded first, sees the same); the §8.5 class plugin shape
    (BareosDirWrapper, BareosDirPluginBaseclass), as instance 1, runs
    unmodified and reports the job's figures at JobEnd."""
    process, storage, out = start_sd(tmp_path, "--max-volume-bytes", "64k")
    python_plugins(built)
    common = HERE.parent / "common" / "scripts"
    options = ('recording:volume=Plug", '
               f'"python3:module_path={common}:module_name=bpy_events:daemon=dir:'
               f'events={",".join(str(n) for n in range(1, 11))}", '
               f'"python3:instance=1:module_path={SCRIPTS}:module_name=bareos-dir-class-plugin')
    try:
        deadline = time.monotonic() + TIMEOUT
        while "listening on" not in out.read_text():
            assert process.poll() is None and time.monotonic() < deadline, out.read_text()
            time.sleep(0.02)
        setup = Setup(built, tmp_path, f"unix:{tmp_path}/sd.sock", "recording, python3", options)
        result = setup.run("-d", "400", "run", "job=Tree")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(TIMEOUT)
    d = setup.director
    traces = [json.loads(line.split("TRACE ", 1)[1]) for line in result.stderr.splitlines()
              if "TRACE " in line]
    python_events = [EVENT_NAMES[trace[1] - 1] for trace in traces if trace[0] == "event"]
    c_events = [event for jobid, _, event, _ in d.events() if event in EVENT_NAMES]
    assert python_events == c_events
    assert python_events.count("VolumeFull") >= 2
    assert python_events[:4] == ["JobStart", "JobInit", "JobRun", "NeedVolume"]
    assert python_events[-1] == "JobEnd"
    (job, job_bytes, files), = d.query("SELECT job, bytes, files FROM job")
    volumes = d.query("SELECT count(*) FROM media")[0][0]
    assert volumes == python_events.count("VolumeFull") + 1
    assert f"{job} ended: ('F', 'T', 0, {job_bytes}, {files}, {volumes}, 'Full', 'SD', 'File')" \
        in (d.work / "messages.log").read_text()
    assert_consistent(d)


def test_the_readme_director_snippet_pasted_into_a_shell(built, tmp_path):
    """README "The reference director": the example a new user pastes (in a
    source checkout) shows volumes named by their plugin."""
    readme = (HERE.parents[1] / "README.md").read_text()
    section = readme.split("A director whose Python plugin names the volumes", 1)[1]
    snippet = section.split("```sh\n", 1)[1].split("```\n", 1)[0]
    assert "D=/tmp/dirdemo" in snippet
    snippet = snippet.replace("D=/tmp/dirdemo", f"D={tmp_path / 'demo'}")
    python = tmp_path / "python-bin"
    python.mkdir()
    (python / "python3").symlink_to(sys.executable)
    env = dict(os.environ, PYTHONPATH=str(PLUGIN_DIR.parents[1]),
               PATH=f"{built.binary.parent}:{FD.parent}:{SD.parent}:{python}:{os.environ['PATH']}")
    cleanup = "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"   # the SD, if a step fails
    result = subprocess.run(["bash", "-e", "-c", cleanup + snippet], cwd=HERE.parents[1], env=env,
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'volume "Mine-0001"' in result.stdout
    assert "1 | Mine-0001 | Full | Append" in result.stdout
    assert "\nMine-0001\n" in result.stdout
    assert f"Restore of JobId 1 (Demo." in result.stdout and f"to {tmp_path}/demo/restored: OK" \
        in result.stdout
    assert (tmp_path / "demo" / "restored" / str(tmp_path / "demo" / "tree")[1:] / "hello.txt"
            ).read_text() == "hello\n"
