"""Hostile archives and misbehaving scripts against the reference host
``bareospy-fd`` (issue 13).

Most tests build an archive by hand (the format of docs/archive-format.md,
with the writer of test_host_e2e.py) that tries to make a restore change
something outside ``--where`` or run code the operator did not name, and
check the files themselves, never the host's word.  The victims live in the
test's tmp_path, next to --where, never anywhere else.  Also here: the
example plugin's own restore rules (against the fake core), job files naming
one archive twice, ``list`` and the job's final status, names the archive
cannot hold, files that change while read, bounded cancellation, and a
bounded mutation fuzzer (BAREOSPY_FUZZ_ITERATIONS rounds per creation mode,
the variable test_fuzz.py reads too; fixed seeds; raise it for a longer run,
e.g. against the sanitizer build named by BAREOSPY_FD_BINARY).
"""
import hashlib
import importlib.util
import os
import shutil
import signal
import subprocess
import stat
import struct
import time
import zlib
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "_host_e2e", Path(__file__).resolve().parent / "test_host_e2e.py")
e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(e2e)

host, EXAMPLES, MODULE = e2e.host, e2e.EXAMPLES, e2e.MODULE
FT_LNKSAVED, FT_REG, FT_LNK, FT_DIREND, FT_FIFO = 1, 3, 4, 5, 17
EXIT_OK, EXIT_ERRORS, EXIT_FATAL = e2e.EXIT_OK, e2e.EXIT_ERRORS, e2e.EXIT_FATAL
CMD = f"python3:module_path={EXAMPLES}:module_name={MODULE}"
OLD = 1_300_000_000  # the times a hostile entry asks for


class Writer(e2e.ArchiveWriter):
    """The e2e writer, with the owner and times of each entry chosen."""

    def __init__(self, path, cmd=CMD):
        super().__init__(path)
        self.cmd = cmd
        self.index = 0

    def add(self, ftype, name, data=None, link=None, mode=0o100644, uid=4321, gid=4321,
            mtime=OLD, cmd=None, xattrs=()):
        self.index += 1
        statp = struct.pack("<13q", 0, self.index, mode, 1, uid, gid, 0, len(data or b""),
                            mtime, mtime, mtime, 4096, 1)
        fields = [(1, cmd or self.cmd), (2, ftype), (3, name), (5, statp), (6, b"\0" * 5),
                  (7, 0), (8, 1 if data is not None else 0)]
        if link is not None:
            fields.append((4, link))
        self.record(2, self.index, self.tlv(*fields))
        if data is not None:
            self.record(3, self.index, struct.pack("<Q", 0) + data)
            self.record(4, self.index, self.tlv((1, len(data)), (2, hashlib.sha256(data).digest()),
                                                (3, 0)))
        if xattrs:
            self.record(6, self.index, self.tlv(*[field for name, value in xattrs
                                                  for field in ((1, name), (2, value))]))
        self.record(7, self.index, self.tlv((1, 0)))


def fingerprint(path):
    """What a restore must not change about a victim: mode, owner, times, size,
    content, extended attributes, and ctime (which any change of the inode
    moves: chmod, chown, a new link, an ACL or xattr)."""
    st = os.lstat(path)
    content = Path(path).read_bytes() if stat.S_ISREG(st.st_mode) else None
    xattrs = sorted(os.listxattr(path, follow_symlinks=False))
    return (st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns, st.st_ctime_ns, st.st_size,
            st.st_nlink, content, xattrs)


def restore_options(mode):
    """The restore options of a creation mode: the plugin creates, or the core (create=core)."""
    options = [f"{CMD}:create=core"] if mode == "core" else [CMD]
    return ["--plugin-options", *options]


MODES = ["plugin", "core"]


@pytest.fixture
def victims(tmp_path):
    """A file and a directory next to --where, with known attributes."""
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim"
    victim.write_bytes(b"precious\n")
    os.chmod(victim, 0o640)
    os.utime(victim, (1_500_000_000, 1_500_000_000))
    victim_dir = outside / "victim-dir"
    victim_dir.mkdir()
    (victim_dir / "inner").write_bytes(b"inner\n")
    os.chmod(victim_dir, 0o750)
    os.utime(victim_dir, (1_500_000_000, 1_500_000_000))
    before = {path: fingerprint(path) for path in (victim, victim_dir, victim_dir / "inner", outside)}
    yield outside, victim, victim_dir
    after = {path: fingerprint(path) for path in before}
    assert after == before, "a restore changed something outside --where"


# -- 1. links: nothing outside --where changes --------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_hard_link_to_a_symlink_does_not_chmod_its_target(mode, victims, tmp_path):
    outside, victim, _ = victims
    archive = tmp_path / "a.bpa"
    writer = Writer(archive)
    writer.add(FT_LNK, "s", link=str(victim), mode=0o120777)
    writer.add(FT_LNKSAVED, "h", link="s", mode=0o104777)
    writer.close()
    where = tmp_path / "where"
    run = host("restore", "--archive", archive, "--where", where, *restore_options(mode),
               expect=None)
    assert stat.S_IMODE(os.stat(victim).st_mode) == 0o640, run.describe()
    refused = [line for line in run.stdout.splitlines() if '"h"' in line and "refusing" in line]
    assert refused and "symbolic link" in refused[0], run.describe()
    assert run.returncode == EXIT_ERRORS
    assert os.readlink(where / "s") == str(victim)
    assert not os.path.lexists(where / "h")


@pytest.mark.parametrize("mode", MODES)
def test_directory_replaced_by_a_symlink_keeps_its_attributes_to_itself(mode, victims, tmp_path):
    outside, _, victim_dir = victims
    archive = tmp_path / "a.bpa"
    writer = Writer(archive)
    writer.add(FT_DIREND, "d/", link="d/", mode=0o40777)
    writer.add(FT_LNK, "d", link=str(victim_dir), mode=0o120777)
    writer.add(FT_DIREND, "e/", link="e/", mode=0o40701)
    writer.close()
    where = tmp_path / "where"
    run = host("restore", "--archive", archive, "--where", where, *restore_options(mode),
               expect=None)
    assert run.returncode in (EXIT_OK, EXIT_ERRORS), run.describe()
    assert os.readlink(where / "d") == str(victim_dir)
    # the directory that stayed one still gets its attributes
    st = os.lstat(where / "e")
    assert (stat.S_IMODE(st.st_mode), int(st.st_mtime)) == (0o701, OLD), run.describe()
    if os.geteuid() == 0:
        assert (st.st_uid, st.st_gid) == (4321, 4321)


@pytest.mark.parametrize("mode", MODES)
def test_symlink_attributes_never_reach_the_target(mode, victims, tmp_path):
    """A symlink's own owner and times are set on the link, not on what it names."""
    outside, victim, _ = victims
    archive = tmp_path / "a.bpa"
    writer = Writer(archive)
    writer.add(FT_LNK, "s", link=str(victim), mode=0o120777)
    writer.add(FT_REG, "f", data=b"inside\n", mode=0o100600)
    writer.close()
    where = tmp_path / "where"
    run = host("restore", "--archive", archive, "--where", where, *restore_options(mode))
    assert run.report("Status") == "OK", run.describe()
    assert int(os.lstat(where / "s").st_mtime) == OLD
    assert (where / "f").read_bytes() == b"inside\n"


# -- 2. the archive does not choose the code that runs ------------------------------------------

EVIL = """
import pathlib
pathlib.Path({marker!r}).write_text("the archive's code ran")
from importlib import import_module
_real = import_module("bareos-fd-local-files")
globals().update({{k: v for k, v in vars(_real).items() if not k.startswith("__")}})
"""


SPELLINGS = {
    "plain": "python3:module_path={dir}:module_name=evil",
    "upper-case key": "python3:MODULE_PATH={dir}:module_name=evil",
    "after other keys": "python3:module_name=evil:x=1:Module_Path={dir}",
    "escaped": "python3:module_name=evil:module_path={escaped}",
}


@pytest.fixture(params=sorted(SPELLINGS))
def evil_archive(tmp_path, request):
    """An archive whose entries name a module_path holding evil.py, which
    leaves a marker file when imported (the key spelled several ways)."""
    evil_dir = tmp_path / "ev:il"
    evil_dir.mkdir()
    marker = tmp_path / "marker"
    (evil_dir / "evil.py").write_text(EVIL.format(marker=str(marker)))
    archive = tmp_path / "evil.bpa"
    escaped = str(evil_dir).replace(":", "\\:")
    cmd = SPELLINGS[request.param].format(dir=escaped, escaped=escaped)
    writer = Writer(archive, cmd=cmd)
    writer.add(FT_REG, "f", data=b"data\n")
    writer.close()
    return archive, marker, evil_dir


def test_archive_module_path_is_refused(evil_archive, tmp_path):
    archive, marker, evil_dir = evil_archive
    run = host("restore", "--archive", archive, "--where", tmp_path / "where", expect=EXIT_FATAL)
    assert not marker.exists(), run.describe()
    assert run.report("Status") == "Fatal"
    fatal = [line for line in run.stdout.splitlines() if "[fatal]" in line]
    assert any(f"module_path={evil_dir}" in line and "--plugin-options" in line
               and "--trust-archive-plugin-paths" in line for line in fatal), run.describe()
    assert not (tmp_path / "where" / "f").exists()


def test_operator_plugin_options_decide_the_code(evil_archive, tmp_path):
    archive, marker, _ = evil_archive
    run = host("restore", "--archive", archive, "--where", tmp_path / "where",
               "--plugin-options", CMD)
    assert not marker.exists(), run.describe()
    assert (tmp_path / "where" / "f").read_bytes() == b"data\n"


def test_trusting_the_archive_is_an_explicit_choice(evil_archive, tmp_path):
    archive, marker, evil_dir = evil_archive
    run = host("restore", "--archive", archive, "--where", tmp_path / "where",
               "--trust-archive-plugin-paths", expect=None)
    assert marker.exists(), run.describe()


def test_restore_object_module_path_is_refused(tmp_path):
    evil_dir = tmp_path / "evil"
    evil_dir.mkdir()
    marker = tmp_path / "marker"
    (evil_dir / "evil.py").write_text(EVIL.format(marker=str(marker)))
    archive = tmp_path / "evil.bpa"
    writer = Writer(archive)
    evil_cmd = f"python3:module_path={evil_dir}:module_name=evil"
    writer.record(8, 1, writer.tlv((1, evil_cmd), (2, "config"), (3, 1), (4, 27), (5, b"x"),
                                   (6, 1), (7, 0)))
    writer.index = 1
    writer.add(FT_REG, "f", data=b"data\n")
    writer.close()
    run = host("restore", "--archive", archive, "--where", tmp_path / "where", expect=EXIT_FATAL)
    assert not marker.exists(), run.describe()
    assert "restore object" in run.stdout and "--trust-archive-plugin-paths" in run.stdout


def test_module_path_in_the_plugin_directory_is_trusted(tmp_path):
    """The host's plugin directory is the operator's: an archive may name it."""
    plugin_dir = e2e.PLUGIN_DIR
    archive = tmp_path / "a.bpa"
    writer = Writer(archive, cmd=f"python3:module_path={plugin_dir}/.:module_name={MODULE}")
    writer.add(FT_REG, "f", data=b"data\n")
    writer.close()
    run = host("restore", "--archive", archive, "--where", tmp_path / "where", expect=None)
    assert "refusing to restore" not in run.stdout, run.describe()


# -- 3. lower items ----------------------------------------------------------------------------

def small_tree(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    (root / "a").write_bytes(b"a\n" * 1000)
    (root / "b").write_bytes(b"b\n")
    return root


def test_jobs_writing_one_archive_under_two_spellings_are_refused(tmp_path, monkeypatch):
    root = small_tree(tmp_path)
    list_file = e2e.write_list(tmp_path / "list", root)
    jobs = tmp_path / "jobs"
    definition = e2e.definition(list_file)
    jobs.write_text(f"backup --archive b.bpa --job one '{definition}'\n"
                    f"backup --archive ./b.bpa --job two '{definition}'\n")
    monkeypatch.chdir(tmp_path)
    run = host("jobs", jobs, expect=e2e.EXIT_USAGE)
    assert "line 1 writes the archive b.bpa that line 2 writes too" in run.stderr, run.describe()
    assert not (tmp_path / "b.bpa").exists()


def test_jobs_writing_an_archive_another_line_reads_are_refused(tmp_path):
    root = small_tree(tmp_path)
    list_file = e2e.write_list(tmp_path / "list", root)
    host("backup", "--archive", tmp_path / "full.bpa", e2e.definition(list_file))
    os.link(tmp_path / "full.bpa", tmp_path / "other-name.bpa")
    jobs = tmp_path / "jobs"
    jobs.write_text(f"restore --archive {tmp_path}/full.bpa --where {tmp_path}/out\n"
                    f"backup --archive {tmp_path}/other-name.bpa '{e2e.definition(list_file)}'\n")
    run = host("jobs", jobs, expect=e2e.EXIT_USAGE)
    assert "line 2 writes the archive" in run.stderr and "that line 1 reads" in run.stderr, run.describe()


def trailer_archive(path, status):
    writer = Writer(path)
    writer.add(FT_REG, "f", data=b"data\n")
    writer.record(11, 0, writer.tlv((1, int(time.time())), (2, 1), (3, 5), (4, 2), (5, ord(status)),
                                    (6, writer.sequence)))
    writer.file.close()


@pytest.mark.parametrize("code, shown", [("A", "Canceled"), ("f", "Fatal"), ("E", "Error")])
def test_list_shows_that_the_job_did_not_end_ok(code, shown, tmp_path):
    trailer_archive(tmp_path / "a.bpa", code)
    run = host("list", tmp_path / "a.bpa")
    assert f"# job status: {shown}, 2 errors" in run.stdout, run.describe()


def test_list_shows_an_ok_job_and_a_job_that_did_not_finish(tmp_path):
    trailer_archive(tmp_path / "ok.bpa", "T")
    assert "# job status: OK\n" in host("list", tmp_path / "ok.bpa").stdout
    writer = Writer(tmp_path / "cut.bpa")
    writer.add(FT_REG, "f", data=b"data\n")
    writer.file.close()
    run = host("list", tmp_path / "cut.bpa", expect=None)
    assert "# job status: unknown" in run.stdout, run.describe()


def test_list_of_a_failed_backup(tmp_path):
    run = host("backup", "--archive", tmp_path / "a.bpa", e2e.definition(tmp_path / "no-such-list"),
               expect=EXIT_FATAL)
    listed = host("list", tmp_path / "a.bpa", expect=None)
    assert "# job status: Fatal" in listed.stdout, listed.describe() + run.describe()


LOUD = """
import bareosfd

def load_bareos_plugin(plugindef):
    return bareosfd.bRC_OK

def parse_plugin_definition(plugindef):
    return bareosfd.bRC_OK

def start_backup_file(savepkt):
    bareosfd.JobMessage(bareosfd.M_INFO, ("y" * 99 + "\\n") * 20000)
    return bareosfd.bRC_Stop

def end_backup_file():
    return bareosfd.bRC_OK
"""


@pytest.mark.skipif(not shutil.which("strace"), reason="needs strace to count write() calls")
def test_a_big_job_message_is_written_in_whole_buffers(tmp_path):
    (tmp_path / "loud.py").write_text(LOUD)
    trace = tmp_path / "trace"
    run = subprocess.run(["strace", "-f", "-c", "-o", str(trace), "-e", "trace=write", str(e2e.BINARY),
                          "-p", str(e2e.PLUGIN_DIR), "backup", "--archive", str(tmp_path / "a.bpa"),
                          f"python3:module_path={tmp_path}:module_name=loud"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    assert run.returncode == EXIT_OK, run.stderr
    lines = run.stdout.decode().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("    [info] "))
    assert lines[start] == "    [info] python3-fd-mod: " + "y" * 99
    assert lines[start + 1:start + 20000] == ["      " + "y" * 99] * 19999
    calls = next(int(line.split()[3]) for line in trace.read_text().splitlines()
                 if line.strip().endswith("write"))
    assert calls < 100, f"{calls} write() calls for a 2 MB report"


NAMELESS = """
import bareosfd

files = ["", "named"]

def load_bareos_plugin(plugindef):
    return bareosfd.bRC_OK

def parse_plugin_definition(plugindef):
    return bareosfd.bRC_OK

def start_backup_file(savepkt):
    savepkt.fname = files[0]
    savepkt.type = bareosfd.FT_REG
    savepkt.statp = bareosfd.StatPacket()
    savepkt.no_read = True
    return bareosfd.bRC_OK

def end_backup_file():
    files.pop(0)
    return bareosfd.bRC_More if files else bareosfd.bRC_OK
"""


def test_an_empty_file_name_is_refused_at_backup(tmp_path):
    (tmp_path / "nameless.py").write_text(NAMELESS)
    archive = tmp_path / "a.bpa"
    run = host("backup", "--archive", archive, f"python3:module_path={tmp_path}:module_name=nameless",
               expect=EXIT_ERRORS)
    assert "an empty fname" in run.stdout, run.describe()
    listed = host("list", archive).stdout
    names = [line.split("\t", 1)[1] for line in listed.splitlines() if "\t" in line]
    assert names == ["named"], listed


@pytest.mark.parametrize("name", [b"a\0b", b"", b"\0"])
def test_a_name_with_a_nul_or_no_name_is_refused_at_restore(name, tmp_path):
    archive = tmp_path / "a.bpa"
    writer = Writer(archive)
    writer.add(FT_REG, name, data=b"data\n")
    writer.add(FT_REG, "kept", data=b"kept\n")
    writer.close()
    where = tmp_path / "where"
    run = host("restore", "--archive", archive, "--where", where, "--plugin-options", CMD,
               expect=EXIT_ERRORS)
    assert sorted(p.name for p in where.iterdir()) == ["kept"], run.describe()
    assert "NUL" in run.stdout if name else "name is empty" in run.stdout, run.describe()
    listed = host("list", archive, expect=EXIT_ERRORS)
    assert "NUL" in listed.stderr if name else "name is empty" in listed.stderr


# -- bounded cancellation ------------------------------------------------------------------------

def run_until_stuck(args, ready, tmp_path, timeout=30):
    """Start bareospy-fd, wait until ready() says it is blocked, send one
    SIGTERM; (exit status, stdout, seconds from the signal to the exit)."""
    command = [str(e2e.BINARY), "-p", str(e2e.PLUGIN_DIR), *map(str, args)]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + timeout
        while not ready():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "never got stuck"
            time.sleep(0.05)
        time.sleep(0.3)  # well inside the blocking call
        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=timeout)
        return process.returncode, out.decode(errors="replace"), time.monotonic() - signalled
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_a_fifo_with_data_nobody_reads_does_not_hang_a_core_restore(tmp_path):
    """create=core: the data of a FIFO entry are written only if a process
    reads the FIFO; otherwise a warning, not an open() that waits forever."""
    archive = tmp_path / "a.bpa"
    writer = Writer(archive)
    writer.add(FT_FIFO, "pipe", data=b"nobody reads this\n", mode=0o10644)
    writer.add(FT_REG, "after", data=b"after\n")
    writer.close()
    where = tmp_path / "where"
    run = host("restore", "--archive", archive, "--where", where, "--plugin-options",
               f"{CMD}:create=core", timeout=30)
    assert run.report("Status") == "OK with warnings", run.describe()
    assert "no process has this FIFO open for reading" in run.stdout
    assert stat.S_ISFIFO(os.lstat(where / "pipe").st_mode)
    assert (where / "after").read_bytes() == b"after\n"


BLOCKED = """
import time
import zlib
import bareosfd

def load_bareos_plugin(plugindef):
    return bareosfd.bRC_OK

def parse_plugin_definition(plugindef):
    return bareosfd.bRC_OK

def start_backup_file(savepkt):
    open({marker!r}, "w").close()
    while True:
        time.sleep(3600)

def end_backup_file():
    return bareosfd.bRC_OK
"""


def test_a_script_blocked_forever_ends_after_one_sigterm(tmp_path):
    marker = tmp_path / "blocked"
    (tmp_path / "blocked.py").write_text(BLOCKED.format(marker=str(marker)))
    status, out, seconds = run_until_stuck(
        ["--cancel-timeout", "1", "backup", "--archive", tmp_path / "a.bpa",
         f"python3:module_path={tmp_path}:module_name=blocked"], marker.exists, tmp_path)
    assert status == EXIT_FATAL and seconds < 5, (status, seconds, out)
    assert "Status:          Canceled" in out and "did not end within" in out, out


SLOW = """
import time
import zlib
import bareosfd

def load_bareos_plugin(plugindef):
    return bareosfd.bRC_OK

def parse_plugin_definition(plugindef):
    return bareosfd.bRC_OK

def start_backup_file(savepkt):
    open({marker!r}, "w").close()
    time.sleep(0.05)
    savepkt.fname = "/slow"
    savepkt.type = bareosfd.FT_DIREND
    savepkt.link = "/slow/"
    savepkt.statp = bareosfd.StatPacket()
    savepkt.no_read = True
    return bareosfd.bRC_OK

def end_backup_file():
    return bareosfd.bRC_More
"""


def test_a_job_that_stops_when_canceled_is_not_reported_stuck(tmp_path):
    marker = tmp_path / "started"
    (tmp_path / "slow.py").write_text(SLOW.format(marker=str(marker)))
    status, out, seconds = run_until_stuck(
        ["--cancel-timeout", "5", "backup", "--archive", tmp_path / "a.bpa",
         f"python3:module_path={tmp_path}:module_name=slow"], marker.exists, tmp_path)
    assert status == EXIT_FATAL and seconds < 2, (status, seconds, out)
    assert "Status:          Canceled" in out and "did not end within" not in out, out


# -- files that change while read ---------------------------------------------------------------

CHANGING = """
import os
import bareosfd

options = {}
files = []
handle = None

def load_bareos_plugin(plugindef):
    return bareosfd.bRC_OK

def parse_plugin_definition(plugindef):
    options.update(item.split("=", 1) for item in plugindef.split(":") if "=" in item)
    files[:] = [options["file"]]
    return bareosfd.bRC_OK

def start_backup_file(savepkt):
    savepkt.fname = files[0]
    savepkt.type = bareosfd.FT_REG
    savepkt.statp = bareosfd.StatPacket.from_stat(os.stat(files[0]))
    return bareosfd.bRC_OK

def end_backup_file():
    files.pop(0)
    return bareosfd.bRC_OK

def plugin_io(iop):
    global handle
    if iop.func == bareosfd.IO_OPEN:
        handle = open(iop.fname, "rb+")
        if options["change"] == "shrink":
            handle.truncate(500)
        elif options["change"] == "touch":
            os.utime(iop.fname, (1_000_000_000, 1_000_000_000))
        if options["io"] == "direct":
            iop.filedes = handle.fileno()
            iop.status = bareosfd.iostat_do_in_core
        else:
            iop.status = bareosfd.iostat_do_in_plugin
    elif iop.func == bareosfd.IO_READ:
        iop.buf = bytearray(iop.count)
        iop.status = handle.readinto(iop.buf)
    elif iop.func == bareosfd.IO_CLOSE:
        handle.close()
        iop.status = 0
    return bareosfd.bRC_OK
"""


@pytest.mark.parametrize("io", ["plugin", "direct"])
def test_a_file_that_shrank_while_read_gets_a_warning(io, tmp_path):
    (tmp_path / "changing.py").write_text(CHANGING)
    data = tmp_path / "data"
    data.write_bytes(b"x" * 1000)
    run = host("backup", "--archive", tmp_path / "a.bpa",
               f"python3:module_path={tmp_path}:module_name=changing:file={data}:change=shrink:io={io}")
    assert run.report("Status") == "OK with warnings", run.describe()
    assert "the file changed while it was read: 1000 bytes at the start, 500 read" in run.stdout


@pytest.mark.parametrize("check", [True, False])
def test_check_changes_notices_a_new_mtime(check, tmp_path):
    (tmp_path / "changing.py").write_text(CHANGING)
    data = tmp_path / "data"
    data.write_bytes(b"x" * 1000)
    run = host("backup", "--archive", tmp_path / "a.bpa", *(["--check-changes"] if check else []),
               f"python3:module_path={tmp_path}:module_name=changing:file={data}:change=touch:io=direct")
    assert ("the file changed during the backup" in run.stdout) == check, run.describe()
    assert run.report("Status") == ("OK with warnings" if check else "OK")


def test_an_unchanged_file_gets_no_warning(tmp_path):
    (tmp_path / "changing.py").write_text(CHANGING)
    data = tmp_path / "data"
    data.write_bytes(b"x" * 1000)
    run = host("backup", "--archive", tmp_path / "a.bpa", "--check-changes",
               f"python3:module_path={tmp_path}:module_name=changing:file={data}:change=no:io=direct")
    assert run.report("Status") == "OK", run.describe()


@pytest.mark.parametrize("mode", MODES)
def test_hard_link_to_a_file_that_was_there_before_is_refused(mode, tmp_path):
    """A file already under --where may be a hard link to a file elsewhere:
    a hard link entry may only name a file this restore created."""
    where = tmp_path / "where"
    victim = linked_victim(tmp_path, where / "was-there")
    before = fingerprint(victim)
    archive = tmp_path / "a.bpa"
    writer = Writer(archive)
    writer.add(FT_LNKSAVED, "h", link="was-there", mode=0o104777)
    writer.close()
    run = host("restore", "--archive", archive, "--where", where, *restore_options(mode),
               expect=EXIT_ERRORS)
    assert "not restored by this job" in run.stdout, run.describe()
    assert not os.path.lexists(where / "h")
    assert fingerprint(victim) == before


@pytest.mark.parametrize("mode", MODES)
def test_hard_links_to_restored_files_still_work(mode, tmp_path):
    archive = tmp_path / "a.bpa"
    writer = Writer(archive)
    writer.add(FT_REG, "dir/first", data=b"shared\n", mode=0o100640)
    writer.add(FT_LNKSAVED, "dir/second", link="dir/first", mode=0o100640)
    writer.close()
    where = tmp_path / "where"
    run = host("restore", "--archive", archive, "--where", where, *restore_options(mode))
    assert run.report("Status") == "OK", run.describe()
    assert os.path.samefile(where / "dir" / "first", where / "dir" / "second")
    assert stat.S_IMODE(os.stat(where / "dir" / "second").st_mode) == 0o640


def linked_victim(tmp_path, name):
    """A file outside --where that has a second name, name, under it."""
    victim = tmp_path / "elsewhere" / "linked-victim"
    victim.parent.mkdir()
    victim.write_bytes(b"precious\n")
    os.chmod(victim, 0o640)
    name.parent.mkdir(exist_ok=True)
    os.link(victim, name)
    return victim


# -- the example plugin keeps the same rules on its own (any daemon may drive it) ---------------

@pytest.fixture
def example(core):
    """The example plugin as a fresh module, run against the fake core."""
    import bareosfd
    spec = importlib.util.spec_from_file_location("local_files_example", EXAMPLES / f"{MODULE}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.parse_plugin_definition("module_name=x:")
    module.handle_plugin_event(bareosfd.bEventStartRestoreJob)
    return module


def packet(where, name, ftype, mode, link=""):
    """A RestorePacket as the host builds it; link: a name under where, or an absolute target."""
    import bareosfd
    olname = link if link.startswith("/") else f"{where}/{link}" if link else ""
    return bareosfd.RestorePacket(ofname=f"{where}/{name}", olname=olname,
                                  type=ftype, where=str(where),
                                  statp=bareosfd.StatPacket(mode=mode, uid=4321, gid=4321,
                                                            atime=OLD, mtime=OLD, ctime=OLD))


def test_example_refuses_a_hard_link_to_a_symlink(example, core, victims, tmp_path):
    import bareosfd
    _, victim, _ = victims
    where = tmp_path / "where"
    where.mkdir()
    for name, ftype, mode, link in [("s", FT_LNK, 0o120777, str(victim)),
                                    ("h", FT_LNKSAVED, 0o104777, "s")]:
        rc = example.create_file(packet(where, name, ftype, mode, link))
        example.end_restore_file()
    assert rc == bareosfd.bRC_Error
    assert not os.path.lexists(where / "h")
    assert any("refusing the hard link" in m.text and "symbolic link" in m.text
               for m in core.job_messages)


def test_example_refuses_a_hard_link_to_a_file_it_did_not_create(example, core, tmp_path):
    import bareosfd
    where = tmp_path / "where"
    victim = linked_victim(tmp_path, where / "was-there")
    before = fingerprint(victim)
    assert example.create_file(packet(where, "h", FT_LNKSAVED, 0o104777, "was-there")) == bareosfd.bRC_Error
    example.end_restore_file()
    assert not os.path.lexists(where / "h")
    assert any("did not create" in m.text for m in core.job_messages)
    assert fingerprint(victim) == before


def test_example_keeps_directory_attributes_off_a_symlink_that_replaced_it(example, core, victims,
                                                                          tmp_path):
    import bareosfd
    _, _, victim_dir = victims
    where = tmp_path / "where"
    where.mkdir()
    assert example.create_file(packet(where, "d/", FT_DIREND, 0o40777)) == bareosfd.bRC_OK
    example.end_restore_file()
    (where / "d").rmdir()
    (where / "d").symlink_to(victim_dir)
    example.handle_plugin_event(bareosfd.bEventEndRestoreJob)
    assert any("no longer a directory" in m.text for m in core.job_messages)


# -- random sequences of link games --------------------------------------------------------------

NAMES = ["a", "b", "d", "d/x", "d/e", "d/e/y", "s", "s/x", "h", "p"]


def random_entries(rng, victims):
    """A short random sequence of entries over a few names: files, directories,
    symlinks to the victims (absolute and relative), hard links to any name,
    FIFOs; set-id modes, foreign owners, xattrs."""
    outside, victim, victim_dir = victims
    targets = [str(victim), str(victim_dir), "../outside/victim", "../../outside/victim-dir",
               "victim-dir/inner", "d", "/"]
    entries = []
    for _ in range(rng.randrange(2, 9)):
        name = rng.choice(NAMES)
        kind = rng.choice(["reg", "reg", "dir", "dir", "lnk", "lnk", "hard", "hard", "fifo"])
        mode = rng.choice([0o4777, 0o2755, 0o777, 0o600, 0o1777])
        xattrs = [("user.hostile", b"x")] if rng.random() < 0.3 else []
        if kind == "reg":
            entries.append(dict(ftype=FT_REG, name=name, data=b"hostile\n", mode=0o100000 | mode,
                                xattrs=xattrs))
        elif kind == "dir":
            entries.append(dict(ftype=FT_DIREND, name=name + "/", link=name + "/",
                                mode=0o40000 | mode, xattrs=xattrs))
        elif kind == "lnk":
            entries.append(dict(ftype=FT_LNK, name=name, link=rng.choice(targets), mode=0o120777))
        elif kind == "hard":
            entries.append(dict(ftype=FT_LNKSAVED, name=name, link=rng.choice(NAMES),
                                mode=0o100000 | mode))
        else:
            entries.append(dict(ftype=FT_FIFO, name=name, mode=0o10000 | mode))
    return entries


@pytest.mark.parametrize("mode", MODES)
def test_random_link_games_never_touch_anything_outside_where(mode, victims, tmp_path):
    import random
    outside, _, _ = victims
    rng = random.Random(20261206 + len(mode))
    around = sorted(p.name for p in tmp_path.iterdir())
    for round_number in range(25):
        entries = random_entries(rng, victims)
        archive = tmp_path / "games.bpa"
        writer = Writer(archive)
        for entry in entries:
            writer.add(**entry)
        writer.close()
        where = tmp_path / "where"
        run = host("restore", "--archive", archive, "--where", where, *restore_options(mode),
                   "--replace", "always", expect=None)
        assert run.returncode in (EXIT_OK, EXIT_ERRORS), f"round {round_number}: {entries}\n" + run.describe()
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(around + ["games.bpa", "where"])
        for path in (tmp_path, outside):
            assert not any(name.startswith("hostile") for name in os.listdir(path))
        shutil.rmtree(where)
        archive.unlink()


# -- a bounded mutation fuzzer for the archive reader ------------------------------------------------

FUZZ_ROUNDS = int(os.environ.get("BAREOSPY_FUZZ_ITERATIONS") or 40)


def fuzz_seed_archive(path, victims):
    """A small archive touching every record type the reader knows."""
    outside, victim, victim_dir = victims
    writer = Writer(path)
    writer.record(8, 1, writer.tlv((1, CMD), (2, "config"), (3, 1), (4, 27), (5, b"cfg"),
                                   (6, 3), (7, 0)))
    writer.index = 1
    writer.add(FT_DIREND, "d/", link="d/", mode=0o40755)
    writer.add(FT_REG, "d/file", data=b"0123456789" * 50, mode=0o100644,
               xattrs=[("user.a", b"1")])
    writer.add(FT_LNK, "d/link", link=str(victim), mode=0o120777)
    writer.add(FT_LNKSAVED, "d/hard", link="d/file", mode=0o104777)
    writer.add(FT_FIFO, "d/fifo", mode=0o10644)
    writer.record(9, 0, writer.tlv((1, "gone"), (2, FT_REG)))
    writer.record(10, 0, writer.tlv((1, writer.tlv((1, "d/file"), (2, FT_REG)))))
    writer.close()


def mutate(data, rng):
    """One of: flipped bytes anywhere, a truncation, or a record whose payload
    is changed and whose checksums are made right again (so parsers see it)."""
    data = bytearray(data)
    choice = rng.randrange(3)
    if choice == 0:
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return bytes(data)
    if choice == 1:
        return bytes(data[:rng.randrange(len(data))])
    offset, found = 16, []
    while offset + 44 <= len(data):
        length = struct.unpack_from("<I", data, offset + 32)[0]
        found.append((offset, length))
        offset += 44 + length
    offset, length = rng.choice(found)
    payload = bytearray(data[offset + 44:offset + 44 + length])
    if payload and rng.random() < 0.7:
        for _ in range(rng.randrange(1, 4)):
            position = rng.randrange(len(payload))
            payload[position] = rng.choice([0, 0xFF, 0x2F, 0x2E, 0x3A, rng.randrange(256)])
    else:
        payload += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
    header = bytearray(data[offset:offset + 40])
    struct.pack_into("<II", header, 32, len(payload), zlib.crc32(payload))
    header += struct.pack("<I", zlib.crc32(bytes(header)))
    return bytes(data[:offset]) + bytes(header) + bytes(payload) + bytes(data[offset + 44 + length:])


@pytest.mark.parametrize("mode", MODES)
def test_mutated_archives_neither_crash_nor_escape(mode, victims, tmp_path):
    import random
    seed = tmp_path / "seed.bpa"
    fuzz_seed_archive(seed, victims)
    original = seed.read_bytes()
    rng = random.Random(1306 + len(mode))
    around = sorted(p.name for p in tmp_path.iterdir())
    for round_number in range(FUZZ_ROUNDS):
        damaged = tmp_path / "mutated.bpa"
        damaged.write_bytes(mutate(original, rng))
        where = tmp_path / "where"
        listed = host("list", damaged, expect=None, timeout=60)
        assert listed.returncode in (EXIT_OK, EXIT_ERRORS), listed.describe()
        run = host("restore", "--archive", damaged, "--where", where, *restore_options(mode),
                   expect=None, timeout=60)
        assert run.returncode in (EXIT_OK, EXIT_ERRORS, EXIT_FATAL), f"round {round_number}\n" + run.describe()
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(around + ["mutated.bpa", "where"])
        shutil.rmtree(where)


def test_previous_and_archive_spelled_differently_are_one_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = host("backup", "--archive", "./x.bpa", "--previous", tmp_path / "x.bpa", "--level",
               "incremental", CMD, expect=e2e.EXIT_USAGE)
    assert "--previous and --archive name the same file" in run.stderr
