"""Whole jobs through python3-fd.so in the C test driver: backup and restore of
real files (plugin I/O and direct I/O), estimate, incremental with the core's
change check, restore objects, ACLs and xattrs, create_file policies,
cancellation, load/unload twice, and concurrent instances (spec §6, §7).
"""
import codecs
import hashlib
import json
import os
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.driver

M_INFO, M_SKIPPED = 6, 9
FT_REGE, FT_REG, FT_LNK, FT_DIREND, FT_NOCHG, FT_RESTORE_FIRST = 2, 3, 4, 5, 10, 25
IO_OPEN, IO_READ, IO_WRITE, IO_CLOSE = 1, 2, 3, 4
CF_SKIP, CF_CREATED, CF_CORE = 1, 4, 5
bRC_OK, bRC_Seen = 0, 5

SIZES = [0, 1, 2, 100, 4095, 4096, 65535, 65536, 65537, 131072, 200000, 300001]


def _driver_text_errors(error):
    """How the driver's JSON writer shows a byte that is not UTF-8: as U+00XX."""
    return "".join(chr(b) for b in error.object[error.start:error.end]), error.end


codecs.register_error("fd_driver_json", _driver_text_errors)


def shown(path):
    """``path`` as the driver prints it (invalid UTF-8 bytes as U+00XX)."""
    return os.fsencode(path).decode("utf-8", "fd_driver_json")


def make_tree(root, files=None):
    """A tree of files of many sizes (and a symlink, an empty dir, odd names).

    Returns {path: content} of the regular files.
    """
    contents = {}
    root.mkdir()
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "empty-dir").mkdir()
    for number, size in enumerate(SIZES if files is None else [7] * files):
        directory = root / ("sub" if number % 3 == 1 else "sub/deeper" if number % 3 == 2 else "")
        path = directory / f"file {number:03d}.bin"
        data = os.urandom(size) if files is None else f"file {number}\n".encode()
        path.write_bytes(data)
        os.utime(path, (1000000000 + number, 1000000000 + 7 * number))   # restore must set them
        contents[path] = data
    odd = os.path.join(os.fsencode(root), b"caf\xe9 \xe2\x82\xac.txt")    # not UTF-8, and UTF-8
    with open(odd, "wb") as handle:
        handle.write(b"odd name\n")
    os.utime(odd, (1000000000, 1000000001))
    contents[os.fsdecode(odd)] = b"odd name\n"
    os.symlink("sub/file 001.bin", root / "a-link")
    return {os.fsdecode(path): data for path, data in contents.items()}


def restored_path(where, path):
    return os.fsdecode(os.fsencode(where) + os.fsencode(path))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("io", ["plugin", "core", "window"])
def test_backup_and_restore_of_many_files(fd_driver, tmp_path, io):
    src = tmp_path / "src"
    contents = make_tree(src)
    archive, where = tmp_path / "archive", tmp_path / "restore"
    definition = fd_driver.definition("bpy_local", dir=src, io=io)

    backup = fd_driver("backup", definition, "--archive", archive)
    assert backup.end["status"] == "OK", backup.describe()
    read = backup.backed_up()
    assert {name: line["sha256"] for name, line in read.items()} == {
        shown(path): sha256(data) for path, data in contents.items()}
    assert {line["mode"] for line in read.values()} == {"core" if io == "core" else "plugin"}
    assert backup.end["bytes"] == sum(map(len, contents.values()))
    saved_types = {line["saved"]: line["type"] for line in backup.select("saved")}
    assert saved_types[shown(src / "a-link")] == FT_LNK
    assert saved_types[shown(f"{src}/empty-dir/")] == FT_DIREND
    assert saved_types[shown(src / "file 000.bin")] == FT_REGE

    restore = fd_driver("restore", fd_driver.definition("bpy_local", io=io),
                        "--archive", archive, "--where", where)
    assert restore.end["status"] == "OK", restore.describe()
    written = restore.restored()
    assert {name: line["sha256"] for name, line in written.items()} == {
        shown(restored_path(where, path)): sha256(data) for path, data in contents.items()}
    for path, data in contents.items():
        target = restored_path(where, path)
        with open(target, "rb") as handle:
            assert handle.read() == data, target
        original = os.stat(path)
        assert os.stat(target).st_mode == original.st_mode
        assert os.stat(target).st_mtime == original.st_mtime
    assert os.readlink(restored_path(where, src / "a-link")) == "sub/file 001.bin"
    assert os.path.isdir(restored_path(where, src / "empty-dir"))

    for result, data_func in ((backup, IO_READ), (restore, IO_WRITE)):
        opens = result.calls("pluginIO", func=IO_OPEN)
        closes = result.calls("pluginIO", func=IO_CLOSE)
        assert len(opens) == len(closes) == len(contents)      # IO_CLOSE in both modes
        data_calls = result.calls("pluginIO", func=data_func)
        if io == "core":
            # Direct I/O: the plugin gave a descriptor; no data ever went through pluginIO.
            assert not data_calls
            assert all(line["status"] == 1 and line["filedes"] >= 0 for line in opens)
            assert all(line["filedes"] >= 0 for line in closes)
        else:
            assert data_calls and all(line["status"] >= 0 for line in data_calls)
            assert all(line["status"] == 0 and line["filedes"] == -1 for line in opens)
    restore_opens = restore.calls("pluginIO", func=IO_OPEN)
    assert {(line["flags"], line["mode"]) for line in restore_opens} == {
        (os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)}


def test_restore_call_order_for_a_regular_file(fd_driver, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "f").write_bytes(b"x" * 70000)
    archive = tmp_path / "archive"
    fd_driver("backup", fd_driver.definition("bpy_local", dir=src), "--archive", archive)
    restore = fd_driver("restore", fd_driver.definition("bpy_local"), "--archive", archive,
                        "--where", tmp_path / "restore")
    calls = [(entry[0], entry[1] if entry[0] == "plugin_io" else None)
             for entry in restore.traces() if entry[0] not in ("load_bareos_plugin", "values")]
    assert calls[:10] == [
        ("parse_plugin_definition", None), ("start_restore_file", None), ("create_file", None),
        ("plugin_io", "open"), ("plugin_io", "write"), ("plugin_io", "write"),
        ("set_file_attributes", None), ("plugin_io", "close"), ("end_restore_file", None),
        ("parse_plugin_definition", None)]
    writes = [line["count"] for line in restore.calls("pluginIO", func=IO_WRITE)]
    assert writes == [65536, 70000 - 65536]
    create = restore.traces("create_file")[0]
    # ofname, olname, type, where, replace, create_status, filedes, mode, size, original name
    assert create[1] == f"{tmp_path}/restore{src}/f"
    assert create[2:8] == ["", FT_REG, str(tmp_path / "restore"), ord("a"), 2, -1]
    assert create[9:] == [70000, f"{src}/f"]


def test_estimate_counts_without_io(fd_driver, tmp_path):
    src = tmp_path / "src"
    contents = make_tree(src)
    result = fd_driver("estimate", fd_driver.definition("bpy_local", dir=src, objects=2,
                                                         acl=1), "--acl")
    entries = 1 + len(contents) + 4     # the link, the files, four directories
    assert result.select("estimate")[0] == {"estimate": "end", "files": entries,
                                            "bytes": sum(map(len, contents.values()))}
    assert len(result.select("listing")) == entries
    assert not result.calls("pluginIO") and not result.calls("getAcl")
    assert result.events(11)[0]["rc"] == bRC_OK        # bEventEstimateCommand
    assert result.end["status"] == "OK"


def test_incremental_uses_the_core_change_check(fd_driver, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    since = int(time.time()) + 5        # after every ctime below
    for name in ("old-1", "old-2", "new-1", "new-2"):
        (src / name).write_bytes(name.encode())
        stamp = since - 1000 if name.startswith("old") else since + 100
        os.utime(src / name, (stamp, stamp))
    result = fd_driver("backup", fd_driver.definition("bpy_local", dir=src), "--level", "I",
                       "--since", since)
    checks = {line["fname"]: line for line in result.core("checkChanges")}
    assert {name: line["rc"] for name, line in checks.items()} == {
        f"{src}/old-1": bRC_Seen, f"{src}/old-2": bRC_Seen, f"{src}/new-1": bRC_OK,
        f"{src}/new-2": bRC_OK, str(src): bRC_Seen}
    assert {line["save_time"] for line in checks.values()} == {since}
    types = {line["fname"]: line["type"] for line in result.calls("startBackupFile")}
    assert types[f"{src}/old-1"] == types[str(src)] == FT_NOCHG   # FT_DIREND too (§7.5)
    assert types[f"{src}/new-1"] == FT_REG
    assert sorted(result.backed_up()) == [f"{src}/new-1", f"{src}/new-2"]
    assert len(result.core_messages(M_SKIPPED)) == 3
    assert result.end["status"] == "OK"

    # SetValue(bVarCheckChanges, False): the core says "changed" for everything.
    everything = fd_driver("backup", fd_driver.definition("bpy_local", dir=src, nocheck=1),
                           "--level", "I", "--since", since)
    assert {line["rc"] for line in everything.core("checkChanges")} == {bRC_OK}
    assert len(everything.backed_up()) == 4
    # A full backup asks nothing.
    full = fd_driver("backup", fd_driver.definition("bpy_local", dir=src))
    assert not full.core("checkChanges") and len(full.backed_up()) == 4


def test_restore_objects_are_created_and_delivered(fd_driver, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "f").write_bytes(b"f")
    archive = tmp_path / "archive"
    backup_definition = fd_driver.definition("bpy_local", dir=src, objects=2)
    backup = fd_driver("backup", backup_definition, "--archive", archive)
    objects = [line for line in backup.select("object") if "call" not in line]
    assert [(o["object"], o["type"], o["index"]) for o in objects] == [
        ("object-0", FT_RESTORE_FIRST, 0), ("object-1", FT_RESTORE_FIRST, 1)]
    assert not backup.calls("pluginIO", fname="/restore-objects/object-0")   # never opened

    restore = fd_driver("restore", fd_driver.definition("bpy_local"), "--archive", archive,
                        "--where", tmp_path / "restore", "--jobid", 42)
    delivered = restore.traces("restore_object_data")
    expected_data = [(f"object {n} of {src}\n".encode() + bytes([0, 1, 255])).hex() for n in (0, 1)]
    assert delivered == [
        ["restore_object_data", f"object-{n}", expected_data[n], backup_definition,
         FT_RESTORE_FIRST, len(bytes.fromhex(expected_data[n])), n, 42] for n in (0, 1)]
    # The first object loaded the script, with the definition recorded at backup.
    assert restore.traces("load_bareos_plugin") == [
        ["load_bareos_plugin", f"dir={src}:objects=2:"]]
    order = [line["event"] for line in restore.calls("handlePluginEvent") if "rc" in line]
    assert order[:5] == [1, 15, 15, 15, 5]    # JobStart, 2 objects + end marker, StartRestoreJob
    assert restore.end["status"] == "OK"


def test_acl_and_xattr_round_trip(fd_driver, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "file").write_bytes(b"content")
    os.symlink("file", src / "link")
    archive, where = tmp_path / "archive", tmp_path / "restore"
    backup = fd_driver("backup", fd_driver.definition("bpy_local", dir=src, acl=1, xattr=1),
                       "--archive", archive, "--acl", "--xattr")
    acl = lambda path: b"user::rw-\ngroup::r--\n# " + os.fsencode(path)
    xattrs = lambda path: [(b"user.origin", os.fsencode(path)),
                           (b"user.binary", bytes([0, 1, 2, 127, 128, 255]))]
    assert {line["fname"] for line in backup.calls("getAcl")} == {f"{src}/file", str(src)}
    assert len(backup.calls("getXattr")) == 6            # More, OK for each of 3 entries

    restore = fd_driver("restore", fd_driver.definition("bpy_local"), "--archive", archive,
                        "--where", where)
    restored_acls = {entry[1]: bytes.fromhex(entry[2]) for entry in restore.traces("set_acl")}
    assert restored_acls == {f"{where}{src}/file": acl(f"{src}/file"),
                             f"{where}{src}/": acl(str(src))}
    restored_xattrs = {}
    for _, fname, name, value in restore.traces("set_xattr"):
        restored_xattrs.setdefault(fname, []).append((bytes.fromhex(name), bytes.fromhex(value)))
    # The link is neither extracted nor a directory: its xattrs are not applied (§7.10).
    assert restored_xattrs == {f"{where}{src}/file": xattrs(f"{src}/file"),
                               f"{where}{src}/": xattrs(str(src))}
    # After the file is closed.
    names = [line.get("call") for line in restore.lines if line.get("call")]
    file_close = names.index("pluginIO", names.index("setFileAttributes"))
    assert names.index("setAcl") > file_close and names.index("setXattr") > file_close


@pytest.mark.parametrize("policy", ["core", "skip", "created", "error"])
def test_create_file_status_policies(fd_driver, tmp_path, policy):
    src = tmp_path / "src"
    (src / "dir").mkdir(parents=True)
    (src / "dir" / "f").write_bytes(b"data" * 1000)
    os.symlink("dir/f", src / "link")
    archive, where = tmp_path / "archive", tmp_path / "restore"
    fd_driver("backup", fd_driver.definition("bpy_local", dir=src), "--archive", archive)
    result = fd_driver("restore", fd_driver.definition("bpy_local", create=policy),
                       "--archive", archive, "--where", where)
    target = restored_path(where, src / "dir" / "f")
    creates = result.calls("createFile")
    assert len(creates) == 4 and {line["rc"] for line in creates} == {bRC_OK}
    if policy == "core":
        # The core creates directories and links itself; file data goes through the plugin.
        assert {line["core_created"] for line in result.select("core_created")} == {
            f"{where}{src}/dir/", f"{where}{src}/link", f"{where}{src}/"}
        assert open(target, "rb").read() == b"data" * 1000
        assert os.readlink(restored_path(where, src / "link")) == "dir/f"
        assert [(line["flags"], line["mode"]) for line in result.calls("pluginIO", func=IO_OPEN)] \
            == [(os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0)]
    elif policy == "skip":
        assert not result.calls("pluginIO") and not result.calls("setFileAttributes")
        assert not os.path.exists(where)
    elif policy == "created":
        # No data follows: set_file_attributes at once, no I/O at all.
        assert not result.calls("pluginIO")
        assert len(result.calls("setFileAttributes")) == 4
        assert os.path.getsize(target) == 0 if os.path.exists(target) else True
    else:
        assert len([text for text in result.core_messages(4) if "Returned CF_ERROR" in text]) == 4
        assert result.end["status"] == "Error"
    assert [line["rc"] for line in result.calls("endRestoreFile")] == [bRC_OK] * 4


def test_cancel_reaches_the_script_from_another_thread(fd_driver):
    result = fd_driver("cancel", fd_driver.definition("bpy_cancel"), timeout=60)
    cancel = result.events(14)
    assert len(cancel) == 1 and cancel[0]["thread"] == 1 and cancel[0]["rc"] == bRC_OK
    messages = {line["text"].split(" in thread")[0]: line for line in result.core("JobMessage")}
    on_cancel = messages["python3-fd-mod: cancel event"]
    first_read = messages["python3-fd-mod: first read"]
    assert on_cancel["thread"] == 1 and first_read["thread"] == 0
    # The job thread waited inside its first IO_READ for the cancel: it arrived
    # while the job was in the data loop, on the other thread.
    assert first_read["text"].endswith("cancel seen: True\n")
    python_thread = lambda text: text.split(" in thread ")[1].split(",")[0].strip()
    assert python_thread(on_cancel["text"]) != python_thread(first_read["text"])
    # After the cancel: no more data, EndBackupJob still delivered, JobEnd not.
    assert result.end["status"] == "Canceled"
    assert len(result.calls("pluginIO", func=IO_READ)) < 1000
    assert result.events(4)[0]["rc"] == bRC_OK
    assert result.calls("handlePluginEvent", event=2)[0]["reason"] == "canceled"
    assert result.call("freePlugin")["rc"] == bRC_OK


def test_jobs_one_after_the_other_in_one_process(fd_driver, tmp_path):
    """A daemon runs job after job: each gets a fresh instance and a fresh script."""
    src = tmp_path / "src"
    contents = make_tree(src, files=3)
    where = tmp_path / "restore"
    result = fd_driver("backup,restore,estimate",
                       fd_driver.definition("bpy_local", dir=src, restore_io="core"),
                       "--archive", tmp_path / "archive", "--where", where)
    ends = [(line["kind"], line["status"]) for line in result.lines if line.get("job") == "end"]
    assert ends == [("backup", "OK"), ("restore", "OK"), ("estimate", "OK")]
    assert len(result.select("load")) == 1 and len(result.select("unload")) == 1
    assert len(result.calls("newPlugin")) == len(result.calls("freePlugin")) == 3
    assert len(result.traces("load_bareos_plugin")) == 3     # a fresh module each time
    assert {line["mode"] for line in result.restored().values()} == {"core"}
    for path, data in contents.items():
        assert open(restored_path(where, path), "rb").read() == data


def test_load_and_unload_twice_in_one_process(fd_driver, tmp_path):
    src = tmp_path / "src"
    contents = make_tree(src, files=3)
    result = fd_driver("reload", fd_driver.definition("bpy_local", dir=src))
    assert [line["round"] for line in result.select("round")] == [1, 2]
    assert [line["rc"] for line in result.select("load")] == [bRC_OK, bRC_OK]
    assert [line["rc"] for line in result.select("unload")] == [bRC_OK, bRC_OK]
    ends = [line for line in result.lines if line.get("job") == "end"]
    assert [end["status"] for end in ends] == ["OK", "OK"]
    # Each round loads the script afresh (a new instance: JobId 1, then 2).
    assert [entry[1] for entry in result.traces("values")] == [1, 2]
    halves = [line for line in result.lines if "data" in line and "mode" in line]
    assert len(halves) == 2 * len(contents)
    first, second = halves[:len(contents)], halves[len(contents):]
    assert [line["sha256"] for line in first] == [line["sha256"] for line in second]


# -- concurrent instances ---------------------------------------------------------------------

def worker_lines(result):
    return sorted(result.select("worker"), key=lambda line: line["worker"])


def final_reports(result):
    return {line["ctx"]: json.loads(line["text"].split(": ", 1)[1])
            for line in result.core("JobMessage") if line["type"] == M_INFO}


def test_two_threads_with_module_global_state(fd_driver):
    """The wrapper pattern (plugin object in a module global) in two concurrent jobs."""
    calls = 10000
    result = fd_driver("concurrent", fd_driver.definition("bpy_wrapped", tag="%t"),
                       "--threads", 2, "--calls", calls)
    workers = worker_lines(result)
    assert [w["results"] for w in workers] == [{"100": calls}, {"101": calls}]
    assert final_reports(result) == {
        0: {"tag": 0, "calls": calls, "problems": 0, "jobid": 1, "global_tag": 0},
        1: {"tag": 1, "calls": calls, "problems": 0, "jobid": 2, "global_tag": 1}}
    # Each worker's PluginCommand ran on its own thread.
    assert {line["thread"] for line in result.events(17)} == {1, 2}


def test_two_threads_plugin_io_without_cross_talk(fd_driver):
    calls = 10000
    result = fd_driver("concurrent", fd_driver.definition("bpy_wrapped", tag="%t"),
                       "--threads", 2, "--calls", calls, "--call", "io")
    for worker in worker_lines(result):
        assert worker["results"] == {"16": calls}
        assert worker["bytes"] == 16 * calls
        assert worker["sha256"] == sha256(bytes([65 + worker["worker"]]) * 16 * calls)
    assert {report["problems"] for report in final_reports(result).values()} == {0}


@pytest.fixture(scope="session")
def tiny_extension(tmp_path_factory):
    """A one-function Cython extension module, built with Cython's defaults."""
    directory = tmp_path_factory.mktemp("tiny_extension")
    (directory / "bpy_tiny_ext.pyx").write_text("def add(int a, int b):\n    return a + b\n")
    build = ("from setuptools import Extension, setup\n"
             "from Cython.Build import cythonize\n"
             "setup(name='bpy_tiny_ext', script_args=['-q', 'build_ext', '--inplace'],\n"
             "      ext_modules=cythonize([Extension('bpy_tiny_ext', ['bpy_tiny_ext.pyx'])],\n"
             "                            quiet=True, language_level=3))\n")
    proc = subprocess.run([sys.executable, "-c", build], cwd=str(directory),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    assert proc.returncode == 0, f"cannot build the Cython test extension:\n{proc.stdout}"
    assert list(directory.glob("bpy_tiny_ext*.so")), proc.stdout
    return directory


def test_cython_extension_in_two_concurrent_instances(fd_driver, tiny_extension):
    """What sub-interpreters cannot do: "Interpreter change detected"."""
    calls = 2000
    result = fd_driver("concurrent",
                       fd_driver.definition("bpy_cython_user", module_path=tiny_extension,
                                            tag="%t"),
                       "--plugin-dir", fd_driver.scripts, "--threads", 2, "--calls", calls)
    assert [line["rc"] for line in result.events(17)] == [bRC_OK, bRC_OK], result.job_messages()
    assert [w["results"] for w in worker_lines(result)] == [{"100": calls}, {"101": calls}]
    reports = final_reports(result)
    assert {ctx: (r["tag"], r["calls"]) for ctx, r in reports.items()} == {
        0: (0, calls), 1: (1, calls)}
    assert {os.path.dirname(r["module"]) for r in reports.values()} == {str(tiny_extension)}
    assert not [text for text in result.job_messages() if "Interpreter change" in text]
