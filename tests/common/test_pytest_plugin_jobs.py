"""The pytest plugin's job helpers follow the daemon's sequences (API
reference §7): restore objects, ACL and xattr entry points, accurate-mode
check_file, and the level/since of FakeCore(values=...)."""
import pytest

import bareosfd
from bareospy.testing import FakeCore

from bareospy.pytest_plugin import fd_core, run_backup, run_restore  # noqa: F401

# A script with one file, an FT_PLUGIN_CONFIG object and an FT_RESTORE_FIRST
# object; it logs the calls a test checks to calls.jsonl in the working directory.
SCRIPT = '''
import json, os
import bareosfd

def log(*what):
    with open(os.path.join(bareosfd.GetValue(bareosfd.bVarWorkingDir), "calls.jsonl"), "a") as f:
        f.write(json.dumps(what) + "\\n")

def load_bareos_plugin(plugindef):
    global PENDING
    PENDING = ["config", "first", "file"]
    return bareosfd.bRC_OK

def parse_plugin_definition(plugindef):
    return bareosfd.bRC_OK

def restore_object_data(rop):
    log("restore_object_data", rop.object_name, bytes(rop.object).decode(), rop.object_type,
        rop.object_index)
    return bareosfd.bRC_OK

def start_backup_file(savepkt):
    what = PENDING.pop(0)
    savepkt.statp = bareosfd.StatPacket()
    if what == "file":
        savepkt.fname = "/data/file.txt"
        savepkt.type = bareosfd.FT_REG
    else:
        savepkt.fname = "/object/" + what
        savepkt.type = (bareosfd.FT_PLUGIN_CONFIG if what == "config"
                        else bareosfd.FT_RESTORE_FIRST)
        savepkt.object_name = what
        savepkt.object = bytearray(what.upper(), "ascii")
        savepkt.object_len = len(savepkt.object)
        savepkt.object_index = 7 if what == "config" else 8
    return bareosfd.bRC_OK

def end_backup_file():
    return bareosfd.bRC_More if PENDING else bareosfd.bRC_OK

def plugin_io(iop):
    global LEFT
    if iop.func == bareosfd.IO_OPEN:
        LEFT = b"data"
    if iop.func == bareosfd.IO_READ:
        iop.buf, LEFT = bytearray(LEFT), b""
        iop.status = len(iop.buf)
    elif iop.func == bareosfd.IO_WRITE:
        iop.status = iop.count
    else:
        iop.status = 0
    return bareosfd.bRC_OK

def get_acl(aclpkt):
    aclpkt.content = bytearray(b"user::rw-")
    return bareosfd.bRC_OK

XATTRS = [(b"user.a", b"1"), (b"user.b", b"2")]
XATTR_NEXT = 0

def get_xattr(xattrpkt):
    global XATTR_NEXT
    xattrpkt.name, xattrpkt.value = map(bytearray, XATTRS[XATTR_NEXT])
    XATTR_NEXT = (XATTR_NEXT + 1) % len(XATTRS)
    return bareosfd.bRC_More if XATTR_NEXT else bareosfd.bRC_OK

def start_restore_file(cmd):
    return bareosfd.bRC_OK

def create_file(restorepkt):
    restorepkt.create_status = bareosfd.CF_EXTRACT
    return bareosfd.bRC_OK

def set_file_attributes(restorepkt):
    log("set_file_attributes", restorepkt.ofname)
    return bareosfd.bRC_OK

def set_acl(aclpkt):
    log("set_acl", aclpkt.fname, bytes(aclpkt.content).decode())
    return bareosfd.bRC_OK

def set_xattr(xattrpkt):
    log("set_xattr", bytes(xattrpkt.name).decode(), bytes(xattrpkt.value).decode())
    return bareosfd.bRC_OK

def end_restore_file():
    return bareosfd.bRC_OK

def check_file(fname):
    log("check_file", fname)
    return bareosfd.bRC_Seen if fname.endswith("kept.txt") else bareosfd.bRC_OK
'''


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "objects-plugin.py"
    path.write_text(SCRIPT)
    return path


def calls(tmp_path):
    import json
    path = tmp_path / "calls.jsonl"
    if not path.exists():
        return []
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    path.unlink()
    return lines


def test_backup_saves_objects_acl_and_xattrs(tmp_path, fd_core, run_backup, script):
    job = run_backup(script, acl=True, xattr=True)
    assert job.results == [], job.messages
    [config, first, data] = job.entries
    assert (config.object_name, config.object, config.object_index) == ("config", b"CONFIG", 7)
    assert (first.type, first.object_index) == (bareosfd.FT_RESTORE_FIRST, 8)
    assert job.objects == [config, first]
    assert (data.fname, data.data) == ("/data/file.txt", b"data")
    assert data.acl == b"user::rw-"
    assert data.xattrs == ((b"user.a", b"1"), (b"user.b", b"2"))
    assert config.acl is None and config.xattrs == ()     # objects carry no ACL
    names = [call for call, _ in job.calls]
    assert names.index("plugin_io(IO_CLOSE)") < names.index("get_acl(/data/file.txt)") \
        < names.index("get_xattr(/data/file.txt)")
    assert names.count("get_xattr(/data/file.txt)") == 2


def test_without_aclsupport_no_acl_or_xattr_is_asked(tmp_path, fd_core, run_backup, script):
    job = run_backup(script)
    assert not [call for call, _ in job.calls if call.startswith(("get_acl", "get_xattr"))]
    assert job.entries[-1].acl is None and job.entries[-1].xattrs == ()


def test_restore_gives_objects_first_then_files_acl_and_xattrs(tmp_path, fd_core, run_backup,
                                                                run_restore, script):
    backup = run_backup(script, acl=True, xattr=True)
    calls(tmp_path)
    restored = run_restore(script, backup, tmp_path / "out")
    assert restored.results == [], restored.messages
    assert restored.restore_objects == [("config", bareosfd.bRC_OK), ("first", bareosfd.bRC_OK)]
    ofname = str(tmp_path / "out" / "data" / "file.txt")
    assert calls(tmp_path) == [
        ["restore_object_data", "config", "CONFIG", bareosfd.FT_PLUGIN_CONFIG, 7],
        ["restore_object_data", "first", "FIRST", bareosfd.FT_RESTORE_FIRST, 8],
        ["set_file_attributes", ofname],
        ["set_acl", ofname, "user::rw-"],
        ["set_xattr", "user.a", "1"],
        ["set_xattr", "user.b", "2"]]
    assert restored.restored == [(ofname, bareosfd.CF_EXTRACT)]
    names = [call for call, _ in restored.calls]
    assert names.index("plugin_io(IO_CLOSE)") < names.index(f"set_acl({ofname})")


def test_an_incremental_gets_the_previous_plugin_config_back(tmp_path, fd_core, run_backup,
                                                             script):
    full = run_backup(script)
    calls(tmp_path)
    incremental = run_backup(script, level="I", since=1, previous=full)
    assert incremental.restore_objects == [("config", bareosfd.bRC_OK)]
    assert calls(tmp_path) == [
        ["restore_object_data", "config", "CONFIG", bareosfd.FT_PLUGIN_CONFIG, 7]]
    assert run_backup(script, level="F", previous=full).restore_objects == []


def test_accurate_offers_unseen_files_to_check_file(tmp_path, fd_core, run_backup, script):
    full = run_backup(script)
    statp = full.entries[-1].statp
    previous = full.entries + [
        full.entries[-1]._replace(fname="/data/kept.txt", statp=statp),
        full.entries[-1]._replace(fname="/data/gone.txt", statp=statp)]
    calls(tmp_path)
    job = run_backup(script, level="I", since=1, accurate=True, previous=previous)
    assert job.check_file == {"/data/kept.txt": bareosfd.bRC_Seen,
                              "/data/gone.txt": bareosfd.bRC_OK}
    assert job.deleted == ["/data/gone.txt"]
    assert ["check_file", "/data/file.txt"] not in calls(tmp_path)   # seen in this job
    assert run_backup(script, previous=previous).check_file == {}    # not accurate: none


def test_fake_core_values_give_the_level_and_since_of_a_job(tmp_path, script):
    core = FakeCore(values={bareosfd.bVarSinceTime: 1700000000, bareosfd.bVarLevel: ord("I")},
                    working_dir=tmp_path)
    with core.active():
        core.run_backup(script)
    [info] = [info for name, info in core.queries if name == "CheckChanges"
              and info["fname"] == "/data/file.txt"]
    assert info["save_time"] == 1700000000


def test_events_are_named_in_the_calls(tmp_path, fd_core, run_backup, script):
    names = [call for call, _ in run_backup(script).calls]
    assert names[:2] == ["event bEventJobStart", "event bEventPluginCommand"]
    assert "event bEventBackupCommand" in names


def test_a_plain_fake_core_has_a_working_directory_that_exists():
    import gc
    import os
    core = FakeCore()
    with core.active():
        path = bareosfd.GetValue(bareosfd.bVarWorkingDir)
        assert os.path.isdir(path)
        assert bareosfd.GetValue(bareosfd.bVarWorkingDir) == path    # one per core
    del core
    gc.collect()
    assert not os.path.exists(path)


SKIPPING_SCRIPT = '''
import bareosfd

def load_bareos_plugin(plugindef):
    global ANSWERS
    ANSWERS = [bareosfd.bRC_Skip, bareosfd.bRC_OK]
    return bareosfd.bRC_OK

def parse_plugin_definition(plugindef):
    return bareosfd.bRC_OK

def start_backup_file(savepkt):
    savepkt.fname, savepkt.type, savepkt.no_read = "/after-skip", bareosfd.FT_REG, True
    savepkt.statp = bareosfd.StatPacket()
    return ANSWERS.pop(0)

def end_backup_file():
    return bareosfd.bRC_OK
'''


def test_a_skip_asks_again_in_a_backup_and_ends_an_estimate(tmp_path, fd_core, run_backup):
    script = tmp_path / "skipping.py"
    script.write_text(SKIPPING_SCRIPT)
    backup = run_backup(script)
    assert [entry.fname for entry in backup.entries] == ["/after-skip"]
    starts = [call for call in backup.calls if call[0].startswith(("start_backup", "end_backup"))]
    assert starts == [("start_backup_file", bareosfd.bRC_Skip), ("start_backup_file", 0),
                      ("end_backup_file", 0)]
    assert fd_core.run_estimate(script).entries == []
