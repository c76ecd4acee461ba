"""End to end: the reference file daemon ``bareospy-fd`` backs up and restores
real trees through python3-fd.so and the example plugin
examples/bareos-fd-local-files.py, and keeps its promises about the archive
(docs/archive-format.md): incrementals hold exactly the changes, nothing is
written outside --where, damage is reported per entry, concurrent jobs work.

Every check is made by walking the trees here, never by trusting the host.
The big tree (2,000+ entries, one 64 MiB file) is generated once per session.
"""
import codecs
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import stat
import struct
import subprocess
import time
import zlib
from pathlib import Path

import pytest

import bareospy

PACKAGE = Path(bareospy.__file__).resolve().parent
# BAREOSPY_FD_BINARY runs the suite against another build (e.g. the sanitizer
# build of embed/hosts/fd/Makefile, with ASAN_OPTIONS=detect_leaks=0).
BINARY = Path(os.environ.get("BAREOSPY_FD_BINARY") or PACKAGE / "bin" / "bareospy-fd")
PLUGIN_DIR = PACKAGE / "plugins"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MODULE = "bareos-fd-local-files"

FT_LNKSAVED, FT_REG, FT_LNK, FT_DIREND, FT_FIFO = 1, 3, 4, 5, 17
EXIT_OK, EXIT_ERRORS, EXIT_FATAL, EXIT_USAGE = 0, 1, 2, 3


# -- running the host -----------------------------------------------------------------

class Run:
    def __init__(self, args, completed, seconds):
        self.args = args
        self.returncode = completed.returncode
        self.stdout = completed.stdout.decode("utf-8", "surrogateescape")
        self.stderr = completed.stderr.decode("utf-8", "surrogateescape")
        self.seconds = seconds

    def describe(self):
        return (f"command: {shlex.join(map(str, self.args))}\nexit status: {self.returncode}\n"
                f"stdout:\n{self.stdout[-4000:]}\nstderr:\n{self.stderr[-4000:]}")

    def report(self, field):
        """A field of the (first) job report, e.g. report("Status")."""
        for line in self.stdout.splitlines():
            if line.startswith(f"  {field}:"):
                return line.split(":", 1)[1].strip()
        raise AssertionError(f"no {field!r} in the report\n{self.describe()}")


def host(*args, expect=EXIT_OK, timeout=300):
    """Run bareospy-fd with the installed plugin directory."""
    command = [str(BINARY), "-p", str(PLUGIN_DIR), *map(str, args)]
    start = time.monotonic()
    completed = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=timeout)
    result = Run(command, completed, time.monotonic() - start)
    if expect is not None:
        assert result.returncode == expect, result.describe()
    return result


def definition(list_file, **options):
    text = f"python3:module_path={EXAMPLES}:module_name={MODULE}:filename={list_file}"
    return text + "".join(f":{key}={value}" for key, value in options.items())


# A restore names the plugin code it runs (the archive's module_path is not
# trusted, see the README "Restore: what is guaranteed, what you trust").
OPERATOR_PLUGIN = ("--plugin-options", f"python3:module_path={EXAMPLES}:module_name={MODULE}")


def write_list(path, *roots):
    path.write_bytes(b"".join(os.fsencode(root) + b"\n" for root in roots))
    return path


def restored_root(where, root):
    return Path(where) / Path(root).relative_to("/")


def listing(archive):
    """The entries `bareospy-fd list` shows: {name (bytes): (type name, size)}."""
    result = host("list", archive)
    entries = {}
    for line in result.stdout.splitlines():
        if line.startswith("#"):
            continue
        fields, name = line.split("\t", 1)
        kind = fields.split()[1]
        if kind in ("symlink", "hardlink"):
            name = name.rsplit(" -> ", 1)[0]
        entries[codecs.escape_decode(name.encode("utf-8"))[0]] = (kind, int(fields.split()[2]))
    return entries


# -- trees and their snapshots ------------------------------------------------------------

def snapshot(root):
    """Everything about a tree that a restore must reproduce, keyed by relative
    bytes path: type, permissions, mtime, size, content hash, link target, and
    hard-link groups (as sorted tuples of names)."""
    root = os.fsencode(root)
    entries = {}
    by_inode = {}
    for directory, dirs, files in os.walk(root):
        names = dirs + files
        for name in names + ([b"."] if directory == root else []):
            path = directory if name == b"." else os.path.join(directory, name)
            relative = os.path.relpath(path, root)
            st = os.lstat(path)
            record = {"type": stat.S_IFMT(st.st_mode), "mtime": int(st.st_mtime)}
            if not stat.S_ISLNK(st.st_mode):
                record["mode"] = stat.S_IMODE(st.st_mode)
            if stat.S_ISREG(st.st_mode):
                record["size"] = st.st_size
                digest = hashlib.sha256()
                with open(path, "rb") as data:
                    for chunk in iter(lambda: data.read(1 << 20), b""):
                        digest.update(chunk)
                record["sha256"] = digest.hexdigest()
                if st.st_nlink > 1:
                    by_inode.setdefault((st.st_dev, st.st_ino), []).append(relative)
            elif stat.S_ISLNK(st.st_mode):
                record["link"] = os.readlink(path)
            entries[relative] = record
    links = sorted(tuple(sorted(group)) for group in by_inode.values() if len(group) > 1)
    return entries, links


def assert_same_tree(original, restored_path):
    expected_entries, expected_links = original
    entries, links = snapshot(restored_path)
    missing = sorted(set(expected_entries) - set(entries))
    extra = sorted(set(entries) - set(expected_entries))
    different = [(name, expected_entries[name], entries[name])
                 for name in sorted(set(entries) & set(expected_entries))
                 if entries[name] != expected_entries[name]]
    assert not missing and not extra and not different, (
        f"missing {missing[:10]}, extra {extra[:10]}, different {different[:10]}")
    assert links == expected_links


def make_big_tree(root):
    """2,000+ entries: files from 0 bytes to 64 MiB, a sparse file, directories,
    symlinks (some dangling), hard links, FIFOs, names with spaces, newlines
    and bytes that are not UTF-8, varied modes and mtimes (whole seconds)."""
    rng = random.Random(20261122)
    root.mkdir()
    directories = [root]
    for number in range(60):
        parent = rng.choice(directories)
        name = rng.choice([f"dir {number}", f"d{number}", f"ordner-{number}-ü"])
        path = parent / name
        path.mkdir()
        directories.append(path)
    files = []
    for number in range(1700):
        parent = rng.choice(directories)
        size = rng.choice([0, 0, 1, 7, 100, 511, 4096, 4097, 10_000, 70_000])
        path = parent / f"file {number}.dat" if number % 5 == 0 else parent / f"f{number}"
        path.write_bytes(rng.randbytes(size) if hasattr(rng, "randbytes") else os.urandom(size))
        files.append(path)
    for number in range(150):
        parent = rng.choice(directories)
        target = os.path.relpath(rng.choice(files), parent) if number % 3 else f"missing-{number}"
        (parent / f"link{number}").symlink_to(target)
    (root / "dangling absolute").symlink_to("/nonexistent/bareospy/target")
    for number in range(80):
        source = rng.choice(files)
        parent = rng.choice(directories)
        link = parent / f"hard{number}"
        os.link(source, link)
    os.mkfifo(root / "a fifo")
    odd = [b"with space", b"new\nline", b"tab\there", b"latin1-\xe9\xff", b"back\\slash",
           "ünïcødé €".encode(), b" leading space", b"-dash", b"\xc3\x28invalid"]
    for name in odd:
        with open(os.path.join(os.fsencode(root), name), "wb") as data:
            data.write(name * 3)
    odd_dir = os.path.join(os.fsencode(root), b"dir\nwith\xfe newline")
    os.mkdir(odd_dir)
    with open(os.path.join(odd_dir, b"inner \xff"), "wb") as data:
        data.write(b"inside an odd directory")
    with open(root / "big-64MiB", "wb") as data:
        block = rng.randbytes(1 << 20) if hasattr(rng, "randbytes") else os.urandom(1 << 20)
        for index in range(64):
            data.write(block[index:] + block[:index])
    with open(root / "sparse", "wb") as data:
        data.seek(8 << 20)
        data.write(b"the end of a sparse file")
        data.seek(20 << 20)
        data.write(b"!")
    for path in files[:400]:
        os.chmod(path, rng.choice([0o600, 0o644, 0o755, 0o640, 0o400, 0o4755, 0o444]))
    everything = [p for p in root.rglob("*")]
    for path in everything:
        when = 1_400_000_000 + rng.randrange(300_000_000)
        os.utime(path, (when, when), follow_symlinks=False)
    for path in directories[1:10]:
        os.chmod(path, rng.choice([0o700, 0o750, 0o755, 0o2775]))
    for path in sorted(directories, key=lambda p: len(p.parts), reverse=True):
        when = 1_600_000_000 + rng.randrange(10_000_000)
        os.utime(path, (when, when))
    return root


def make_small_tree(root, big=1 << 20):
    root.mkdir()
    (root / "first").write_bytes(b"first file\n")
    (root / "sub").mkdir()
    (root / "sub" / "second").write_bytes(b"second file\n" * 100)
    (root / "sub" / "big").write_bytes(os.urandom(big))
    (root / "sub" / "third").write_bytes(b"third\n")
    (root / "zz-last").write_bytes(b"last file\n")
    (root / "link").symlink_to("first")
    for path in root.rglob("*"):
        os.utime(path, (1_500_000_000, 1_500_000_000), follow_symlinks=False)
    return root


@pytest.fixture(scope="session")
def big_tree(tmp_path_factory):
    base = tmp_path_factory.mktemp("big")
    root = make_big_tree(base / "source tree")
    entries, links = snapshot(root)
    assert len(entries) >= 2000 and links
    yield root, (entries, links)
    shutil.rmtree(base, ignore_errors=True)  # ~100 MB: do not leave it to pytest


@pytest.fixture(scope="session")
def big_backups(big_tree, tmp_path_factory):
    """The big tree backed up once per I/O mode: {mode: (archive, run)}."""
    root, _ = big_tree
    base = tmp_path_factory.mktemp("archives")
    list_file = write_list(base / "list", root)
    backups = {}
    for mode in ("plugin", "direct"):
        archive = base / f"{mode}.bpa"
        run = host("backup", "--archive", archive, "--job", f"big-{mode}",
                   definition(list_file, io=mode))
        backups[mode] = (archive, run)
    yield backups
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def small_tree(tmp_path):
    return make_small_tree(tmp_path / "small")


# -- backup and restore ---------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["plugin", "direct"])
def test_backup_and_restore_reproduce_the_tree(mode, big_tree, big_backups, tmp_path):
    root, original = big_tree
    archive, backup = big_backups[mode]
    assert backup.report("Status") == "OK", backup.describe()
    assert int(backup.report("Files")) == len(original[0])
    where = tmp_path / "restored"
    restore = host("restore", *OPERATOR_PLUGIN, "--archive", archive, "--where", where)
    assert restore.report("Status") == "OK", restore.describe()
    assert_same_tree(original, restored_root(where, root))
    print(f"{mode}: backup {backup.seconds:.2f} s, restore {restore.seconds:.2f} s")
    shutil.rmtree(where)


def test_list_shows_every_entry_with_its_type(big_tree, big_backups):
    root, (entries, _) = big_tree
    archive, _ = big_backups["plugin"]
    listed = listing(archive)
    prefix = os.fsencode(root)
    assert len(listed) == len(entries)
    big = listed[prefix + b"/big-64MiB"]
    assert big == ("file", 64 << 20)
    assert listed[prefix + b"/new\nline"][0] == "file"
    assert listed[prefix + b"/latin1-\xe9\xff"][0] == "file"
    assert listed[prefix + b"/dangling absolute"][0] == "symlink"
    assert listed[prefix + b"/a fifo"][0] == "fifo"
    assert listed[prefix + b"/"][0] == "dir"
    assert sum(kind == "hardlink" for kind, _ in listed.values()) >= 80


def test_restore_with_core_creation(small_tree, tmp_path):
    """create=core: the plugin answers CF_CORE and the host creates every file."""
    original = snapshot(small_tree)
    archive = tmp_path / "a.bpa"
    host("backup", "--archive", archive, definition(write_list(tmp_path / "list", small_tree)))
    where = tmp_path / "out"
    restore = host("restore", "--archive", archive, "--where", where,
                   "--plugin-options", f"python3:module_path={EXAMPLES}:module_name={MODULE}:create=core")
    assert restore.report("Status") == "OK", restore.describe()
    assert_same_tree(original, restored_root(where, small_tree))


def test_replace_never_keeps_existing_files(small_tree, tmp_path):
    archive = tmp_path / "a.bpa"
    host("backup", "--archive", archive, definition(write_list(tmp_path / "list", small_tree)))
    where = tmp_path / "out"
    target = restored_root(where, small_tree) / "first"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"keep me")
    host("restore", *OPERATOR_PLUGIN, "--archive", archive, "--where", where, "--replace", "never")
    assert target.read_bytes() == b"keep me"
    assert (restored_root(where, small_tree) / "sub" / "second").exists()


def test_extended_attributes_round_trip(small_tree, tmp_path):
    try:
        os.setxattr(small_tree / "first", "user.bareospy", b"value\x00\xff")
    except OSError:
        pytest.skip("this file system has no user extended attributes")
    archive = tmp_path / "a.bpa"
    host("backup", "--archive", archive, "--xattr",
         definition(write_list(tmp_path / "list", small_tree), xattrs="yes"))
    where = tmp_path / "out"
    host("restore", *OPERATOR_PLUGIN, "--archive", archive, "--where", where)
    restored = restored_root(where, small_tree) / "first"
    assert os.getxattr(restored, "user.bareospy") == b"value\x00\xff"


def posix_acl(entries):
    """The kernel's system.posix_acl_access value for (tag, permissions, id) entries."""
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)


def test_acls_round_trip(small_tree, tmp_path):
    acl = posix_acl([(0x01, 6, 0xFFFFFFFF), (0x02, 4, 4242), (0x04, 4, 0xFFFFFFFF),
                     (0x10, 4, 0xFFFFFFFF), (0x20, 0, 0xFFFFFFFF)])
    try:
        os.setxattr(small_tree / "first", "system.posix_acl_access", acl)
    except OSError:
        pytest.skip("this file system has no POSIX ACLs")
    archive = tmp_path / "a.bpa"
    backup = host("backup", "--archive", archive, "--acl",
                  definition(write_list(tmp_path / "list", small_tree)))
    assert backup.report("Status") == "OK", backup.describe()
    where = tmp_path / "out"
    host("restore", *OPERATOR_PLUGIN, "--archive", archive, "--where", where)
    restored = restored_root(where, small_tree) / "first"
    assert os.getxattr(restored, "system.posix_acl_access") == acl
    assert stat.S_IMODE(os.lstat(restored).st_mode) == stat.S_IMODE(os.lstat(small_tree / "first").st_mode)


def test_estimate_lists_what_a_backup_would_save(small_tree, tmp_path):
    run = host("estimate", "--listing", definition(write_list(tmp_path / "list", small_tree)))
    assert run.report("Files") == "8"
    names = [line.split("\t", 1)[1] for line in run.stdout.splitlines() if "\t" in line]
    assert f"{small_tree}/link -> first" in names
    assert f"{small_tree}/sub/" in names


# -- incremental -------------------------------------------------------------------------------

def test_incremental_holds_exactly_the_changes(tmp_path):
    root = make_small_tree(tmp_path / "tree", big=10_000)
    for number in range(20):
        (root / "sub" / f"n{number}").write_bytes(b"%d\n" % number)
        os.utime(root / "sub" / f"n{number}", (1_500_000_000, 1_500_000_000))
    os.utime(root / "sub", (1_500_000_000, 1_500_000_000))
    list_file = write_list(tmp_path / "list", root)
    full = tmp_path / "full.bpa"
    host("backup", "--archive", full, "--accurate", definition(list_file))
    time.sleep(1.1)  # changes land in a later second than the Full's times
    before = snapshot(root)[0]
    with open(root / "sub" / "n3", "ab") as data:
        data.write(b"modified\n")
    (root / "sub" / "n7").unlink()
    (root / "added").write_bytes(b"new file\n")
    (root / "sub" / "n11").chmod(0o600)
    incremental = tmp_path / "incremental.bpa"
    run = host("backup", "--archive", incremental, "--level", "incremental",
               "--previous", full, "--accurate", definition(list_file))
    after = snapshot(root)[0]
    changed = {name for name in after
               if name not in before or (after[name]["mtime"], after[name].get("size"),
                                         after[name].get("mode")) !=
               (before[name]["mtime"], before[name].get("size"), before[name].get("mode"))}
    # chmod changes only ctime: the host's default accurate options (mcs) see it
    changed.add(b"sub/n11")
    prefix = os.fsencode(root) + b"/"
    expected = {prefix + name if name != b"." else prefix for name in changed}
    expected = {name + b"/" if os.path.isdir(name) and not name.endswith(b"/") else name
                for name in expected}
    listed = listing(incremental)
    saved = {name for name, (kind, _) in listed.items() if kind != "deleted"}
    deleted = {name for name, (kind, _) in listed.items() if kind == "deleted"}
    assert saved == expected
    assert deleted == {prefix + b"sub/n7"}
    assert run.report("Deleted") == "1"
    assert int(run.report("Unchanged")) == len(after) - len(changed)
    # nothing changed since: the next incremental is empty
    again = tmp_path / "again.bpa"
    run = host("backup", "--archive", again, "--level", "incremental",
               "--previous", incremental, "--accurate", definition(list_file))
    assert listing(again) == {}


def test_restore_objects_reach_the_plugin(small_tree, tmp_path):
    """A FT_PLUGIN_CONFIG object comes back at restore and in the next Incremental."""
    list_file = write_list(tmp_path / "list", small_tree)
    full = tmp_path / "full.bpa"
    host("backup", "--archive", full, definition(list_file, config="state-1"))
    assert any(line.startswith("# restore object config, index 1, 7 bytes")
               and line.endswith("local-files-config") for line in host("list", full).stdout.splitlines())
    restore = host("restore", *OPERATOR_PLUGIN, "--archive", full, "--where", tmp_path / "out")
    expected = "[info] python3-fd-mod: local-files: restore object 'local-files-config' (type 27, index 1): 'state-1'"
    assert expected in restore.stdout, restore.describe()
    incremental = host("backup", "--archive", tmp_path / "incremental.bpa", "--level", "incremental",
                       "--previous", full, definition(list_file, config="state-2"))
    assert expected in incremental.stdout, incremental.describe()
    assert incremental.report("Restore objects") == "1"


# -- restore safety ------------------------------------------------------------------------------

class ArchiveWriter:
    """Writes archives in the documented format (docs/archive-format.md)."""

    def __init__(self, path):
        self.file = open(path, "wb")
        self.archive_id = random.getrandbits(64)
        self.sequence = 0
        head = b"BAREOSPY" + struct.pack("<HH", 1, 0)
        self.file.write(head + struct.pack("<I", zlib.crc32(head)))
        self.record(1, 0, self.tlv((1, 1), (2, b"crafted.2026-01-01_00.00.00_01"), (3, ord("B")),
                                   (4, ord("F")), (5, int(time.time())), (13, 1)))

    @staticmethod
    def tlv(*fields):
        out = b""
        for tag, value in fields:
            if isinstance(value, int):
                value = struct.pack("<q", value)
            elif isinstance(value, str):
                value = os.fsencode(value)
            out += struct.pack("<HI", tag, len(value)) + value
        return out

    def record(self, rtype, entry, payload):
        header = struct.pack("<4sHHQQQII", b"BPyR", rtype, 0, self.archive_id, self.sequence,
                             entry, len(payload), zlib.crc32(payload))
        self.file.write(header + struct.pack("<I", zlib.crc32(header)) + payload)
        self.sequence += 1

    def entry(self, index, cmd, ftype, name, data=None, link=None, mode=0o100644):
        now = int(time.time())
        statp = struct.pack("<13q", 0, index, mode, 1, os.getuid(), os.getgid(), 0,
                            len(data or b""), now, now, now, 4096, 1)
        fields = [(1, cmd), (2, ftype), (3, name), (5, statp), (6, b"\0" * 5), (7, 0),
                  (8, 1 if data is not None else 0)]
        if link is not None:
            fields.append((4, link))
        self.record(2, index, self.tlv(*fields))
        if data is not None:
            self.record(3, index, struct.pack("<Q", 0) + data)
            self.record(4, index, self.tlv((1, len(data)), (2, hashlib.sha256(data).digest()),
                                           (3, 0)))
        self.record(7, index, self.tlv((1, 0)))

    def close(self):
        self.record(11, 0, self.tlv((1, int(time.time())), (6, self.sequence)))
        self.file.close()


def test_crafted_names_never_escape_where(tmp_path):
    base = tmp_path / "base"
    where = base / "where"
    outside = base / "outside"
    outside.mkdir(parents=True)
    where.mkdir()
    (outside / "precious").write_bytes(b"do not touch")
    token = f"bareospy-{os.getpid()}-{random.getrandbits(32):08x}"
    cmd = f"python3:module_path={EXAMPLES}:module_name={MODULE}"
    archive = tmp_path / "crafted.bpa"
    writer = ArchiveWriter(archive)
    entries = [
        (FT_REG, "../escape-1", b"x", None, 0o100644),
        (FT_REG, f"/{token}-absolute", b"inside", None, 0o100644),
        (FT_REG, "a/../../escape-2", b"x", None, 0o100644),
        (FT_REG, "sub/./ok", b"ok", None, 0o100644),
        (FT_LNK, "lnk", None, str(outside), 0o120777),
        (FT_REG, "lnk/precious", b"overwritten!", None, 0o100644),
        (FT_REG, "lnk/evil", b"evil", None, 0o100644),
        (FT_DIREND, "lnk/deeper/", None, "lnk/deeper/", 0o40755),
        (FT_LNKSAVED, "hard", None, "../outside/precious", 0o100644),
        (FT_LNKSAVED, "hard2", None, f"/{token}-absolute", 0o100644),
        (FT_REG, "lnk", b"a plain file replaces the symlink", None, 0o100644),
        (FT_REG, "//double//slash", b"ds", None, 0o100644),
        (FT_REG, "..", b"x", None, 0o100644),
        (FT_REG, ".", b"x", None, 0o100644),
        (FT_REG, "", b"x", None, 0o100644),
        (FT_REG, f"{outside}/precious", b"still inside where", None, 0o100644),
    ]
    for index, (ftype, name, data, link, mode) in enumerate(entries, 1):
        writer.entry(index, cmd, ftype, name, data=data, link=link, mode=mode)
    writer.close()
    before_base = sorted(p.name for p in base.iterdir())
    run = host("restore", *OPERATOR_PLUGIN, "--archive", archive, "--where", where, expect=EXIT_ERRORS)
    # outside where: nothing new, nothing changed
    assert sorted(p.name for p in base.iterdir()) == before_base
    assert sorted(p.name for p in outside.iterdir()) == ["precious"]
    assert (outside / "precious").read_bytes() == b"do not touch"
    assert not (tmp_path / "escape-1").exists() and not (tmp_path / "escape-2").exists()
    assert not Path(f"/{token}-absolute").exists()
    # inside where: what was safe
    assert (where / f"{token}-absolute").read_bytes() == b"inside"
    assert (where / "sub" / "ok").read_bytes() == b"ok"
    assert (where / "double" / "slash").read_bytes() == b"ds"
    assert (where / "lnk").read_bytes() == b"a plain file replaces the symlink"
    assert os.path.samefile(where / "hard2", where / f"{token}-absolute")
    assert (restored_root(where, outside) / "precious").read_bytes() == b"still inside where"
    every = sorted(str(p.relative_to(where)) for p in where.rglob("*"))
    assert not [name for name in every if "escape" in name or "evil" in name]
    refused = [line for line in run.stdout.splitlines() if "refusing to restore" in line]
    assert len(refused) >= 8, run.describe()
    assert any('"lnk/evil"' in line and "symbolic link" in line for line in refused)
    assert any('"../escape-1"' in line and ".." in line for line in refused)


# -- damaged archives ---------------------------------------------------------------------------

def records(path):
    """(offset, type, entry, length) of every record of an intact archive."""
    data = Path(path).read_bytes()
    offset, found = 16, []
    while offset < len(data):
        _, rtype, _, _, _, entry, length, _, _ = struct.unpack_from("<4sHHQQQIII", data, offset)
        found.append((offset, rtype, entry, length))
        offset += 44 + length
    return found


@pytest.fixture
def small_archive(small_tree, tmp_path):
    archive = tmp_path / "small.bpa"
    host("backup", "--archive", archive, definition(write_list(tmp_path / "list", small_tree)))
    big_records = [r for r in records(archive) if r[1] == 3 and r[3] > 200_000]
    assert len(big_records) == 4  # 1 MiB in 256 KiB chunks
    return small_tree, archive, big_records


def damaged_restore(tmp_path, small_tree, archive, data):
    damaged = tmp_path / "damaged.bpa"
    damaged.write_bytes(data)
    where = tmp_path / "out"
    run = host("restore", *OPERATOR_PLUGIN, "--archive", damaged, "--where", where, expect=EXIT_ERRORS)
    return run, restored_root(where, small_tree)


def test_corrupted_data_names_the_entry_and_restores_the_rest(small_archive, tmp_path):
    small_tree, archive, big_records = small_archive
    data = bytearray(archive.read_bytes())
    offset = big_records[1][0]
    data[offset + 44 + 1000] ^= 0x55
    run, out = damaged_restore(tmp_path, small_tree, archive, data)
    errors = [line for line in run.stdout.splitlines() if "[error]" in line]
    assert any(f'"{small_tree}/sub/big"' in line and f"offset {offset}" in line
               and "checksum" in line for line in errors), run.describe()
    assert not (out / "sub" / "big").exists()  # the partial file was removed
    for name in ("first", "sub/second", "sub/third", "zz-last"):  # before and after
        assert (out / name).read_bytes() == (small_tree / name).read_bytes()
    assert os.readlink(out / "link") == "first"


def test_damaged_record_header_resynchronises(small_archive, tmp_path):
    small_tree, archive, big_records = small_archive
    data = bytearray(archive.read_bytes())
    offset = big_records[2][0]
    data[offset + 33] ^= 0xFF  # inside the payload length: the framing is lost
    run, out = damaged_restore(tmp_path, small_tree, archive, data)
    assert f"damaged record header at offset {offset}" in run.stdout, run.describe()
    assert f'"{small_tree}/sub/big"' in run.stdout
    assert not (out / "sub" / "big").exists()
    for name in ("first", "sub/second", "sub/third", "zz-last"):
        assert (out / name).read_bytes() == (small_tree / name).read_bytes()


def test_truncated_archive_restores_what_is_complete(small_archive, tmp_path):
    small_tree, archive, big_records = small_archive
    offset = big_records[2][0]
    data = archive.read_bytes()[:offset + 44 + 12345]
    run, out = damaged_restore(tmp_path, small_tree, archive, data)
    assert "truncated" in run.stdout
    assert any(f'"{small_tree}/sub/big"' in line and f"offset {offset}" in line
               for line in run.stdout.splitlines() if "[error]" in line), run.describe()
    assert not (out / "sub" / "big").exists()
    assert (out / "first").read_bytes() == (small_tree / "first").read_bytes()  # before sub/big
    assert os.readlink(out / "link") == "first"
    listed = host("list", tmp_path / "damaged.bpa", expect=EXIT_ERRORS)
    assert "truncated" in listed.stderr


PROBE = """
import json, os
import bareosfd

def load_bareos_plugin(plugindef):
    bareosfd.RegisterEvents([bareosfd.bEventStartBackupJob])
    return bareosfd.bRC_OK

def parse_plugin_definition(plugindef):
    return bareosfd.bRC_OK

def handle_plugin_event(event):
    names = ["bVarJobId", "bVarFDName", "bVarLevel", "bVarType", "bVarClient", "bVarJobName",
             "bVarJobStatus", "bVarSinceTime", "bVarAccurate", "bVarWorkingDir", "bVarExePath",
             "bVarVersion", "bVarPrevJobName", "bVarPrefixLinks", "bVarCheckChanges",
             "bVarUsedConfig", "bVarWhere"]
    values = {name: bareosfd.GetValue(getattr(bareosfd, name)) for name in names}
    values["bVarPluginPath"] = bareosfd.GetValue(22)
    values["bVarAccurateOptions"] = sorted(bareosfd.GetValue(bareosfd.bVarAccurateOptions))
    values["working_dir_exists"] = os.path.isdir(values["bVarWorkingDir"])
    bareosfd.JobMessage(bareosfd.M_INFO, "VALUES " + json.dumps(values) + "\\n")
    bareosfd.AddExclude("/excluded")
    bareosfd.AddWild("*.tmp", ord("F"))
    bareosfd.NewOptions()
    answers = []
    for name in ("/excluded/file", "/kept/file"):
        packet = bareosfd.SavePacket(fname=name)
        packet.statp = bareosfd.StatPacket()
        answers.append(bareosfd.AcceptFile(packet))
    bareosfd.JobMessage(bareosfd.M_INFO, "ACCEPT %r\\n" % answers)
    return bareosfd.bRC_OK

def start_backup_file(savepkt):
    return bareosfd.bRC_Stop

def end_backup_file():
    return bareosfd.bRC_OK
"""


def test_values_and_fileset_calls_plugins_see(tmp_path):
    (tmp_path / "probe.py").write_text(PROBE)
    run = host("backup", "--archive", tmp_path / "a.bpa", "--job", "probe",
               f"python3:module_path={tmp_path}:module_name=probe")
    line = next(line for line in run.stdout.splitlines() if "VALUES " in line)
    values = json.loads(line.split("VALUES ", 1)[1])
    assert values["bVarFDName"] == "bareospy-fd"
    assert (values["bVarLevel"], values["bVarType"], values["bVarJobStatus"]) == (ord("F"), ord("B"), ord("R"))
    assert re.fullmatch(r"probe\.\d{4}-\d\d-\d\d_\d\d\.\d\d\.\d\d_\d\d",
                        values["bVarJobName"]), values
    assert values["bVarJobId"] >= 1 and values["bVarClient"].endswith("-fd")
    assert (values["bVarSinceTime"], values["bVarAccurate"], values["bVarPrefixLinks"]) == (0, 0, 0)
    assert values["bVarCheckChanges"] is True and values["working_dir_exists"]
    assert Path(values["bVarExePath"]).resolve() == BINARY.resolve().parent
    assert values["bVarVersion"].startswith("0.1.0")
    assert values["bVarUsedConfig"] == "/dev/null"
    assert values["bVarPluginPath"] == str(PLUGIN_DIR)
    assert values["bVarPrevJobName"] is None and values["bVarWhere"] is None
    assert values["bVarAccurateOptions"] == [32, 128, 256]
    assert "ACCEPT [7, 0]" in run.stdout  # bRC_Skip below an AddExclude'd path, else bRC_OK
    assert 'AddExclude("/excluded")' in run.stdout and "AddWild(\"*.tmp\", 'F')" in run.stdout
    assert "NewOptions()" in run.stdout
    assert not Path(values["bVarWorkingDir"]).exists()  # the job's temporary directory is gone


# -- concurrency, command line ---------------------------------------------------------------------

def test_concurrent_jobs_in_one_process(small_tree, tmp_path):
    list_file = write_list(tmp_path / "list", small_tree)
    old = tmp_path / "old.bpa"
    host("backup", "--archive", old, definition(list_file))
    job_file = tmp_path / "jobs"
    job_file.write_text("\n".join([
        "# three jobs at once",
        f"backup --archive {shlex.quote(str(tmp_path / 'one.bpa'))} --job one "
        f"{shlex.quote(definition(list_file, io='direct'))}",
        f"backup --archive {shlex.quote(str(tmp_path / 'two.bpa'))} --job two "
        f"{shlex.quote(definition(list_file, io='plugin'))}",
        f"restore --plugin-options {shlex.quote(OPERATOR_PLUGIN[1])} --archive {shlex.quote(str(old))} --where {shlex.quote(str(tmp_path / 'out-old'))}",
        "",
    ]))
    run = host("jobs", job_file)
    assert run.stdout.count("Status:          OK") == 3, run.describe()
    original = snapshot(small_tree)
    for name in ("one", "two"):
        where = tmp_path / f"out-{name}"
        host("restore", *OPERATOR_PLUGIN, "--archive", tmp_path / f"{name}.bpa", "--where", where)
        assert_same_tree(original, restored_root(where, small_tree))
    assert_same_tree(original, restored_root(tmp_path / "out-old", small_tree))


def test_unknown_plugin_is_a_usage_error(tmp_path):
    run = host("backup", "--archive", tmp_path / "a.bpa", "nosuch:option=1", expect=EXIT_USAGE)
    assert 'no loaded plugin is named "nosuch"' in run.stderr
    assert "usage:" in run.stderr
    assert not (tmp_path / "a.bpa").exists()


def test_a_failing_plugin_fails_the_job(tmp_path):
    run = host("backup", "--archive", tmp_path / "a.bpa",
               definition(tmp_path / "no-such-list"), expect=EXIT_FATAL)
    assert run.report("Status") == "Fatal"
    assert "[fatal]" in run.stdout and "no-such-list" in run.stdout
