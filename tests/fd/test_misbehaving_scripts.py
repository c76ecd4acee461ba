"""Misbehaving plugin scripts next to well-behaved jobs (issue 13, items 3 and 4).

One ``bareospy-fd jobs`` process runs, at the same time:

* misbehaving jobs: tests/fd/scripts/bpy_adv_misbehave.py with
  ``fail=<entry point>:how=<kind>``, one job per entry point (the backup side:
  an accurate incremental with ACLs and xattrs, so that every backup entry
  point is called; the restore side: a restore of an archive with a restore
  object, an ACL and an xattr);
* well-behaved jobs: the example plugin backing up a small tree, the example
  plugin restoring an archive made beforehand, and
  tests/fd/scripts/bpy_adv_good.py, whose saved data depends on ``import``,
  ``open()``, formatted tracebacks and ``print()`` working.

The well-behaved jobs' results -- their reports (status, counts, messages),
what their archives hold, and what restoring them gives, byte for byte --
must be IDENTICAL to the same jobs run alone.  The process must not crash
(a signal, an AddressSanitizer or UBSan report), nor hang, and every job
must end with a report.

Kinds (see the script): raise, wrongtype, bigint, keepref (packets and
``iop.window`` used after the call: a kept window must refuse writes with
ValueError, reads too), copy (copy/deepcopy/pickle of every packet), open / import /
modules / stdout (sabotage of builtins, ``sys.modules`` and ``sys.stdout``),
sleep (a bounded blocking call), huge (multi-MB job message and print).
(Cancelling a script blocked for good is test_host_hostile.py's: one SIGTERM,
--cancel-timeout.)

BAREOSPY_FD_BINARY runs them against another build of the host (as in
test_host_e2e.py).
"""
import hashlib
import os
import re
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest

import bareospy

PACKAGE = Path(bareospy.__file__).resolve().parent
BINARY = Path(os.environ.get("BAREOSPY_FD_BINARY") or PACKAGE / "bin" / "bareospy-fd")
PLUGIN_DIR = PACKAGE / "plugins"
HERE = Path(__file__).resolve().parent
SCRIPTS = HERE / "scripts"
EXAMPLES = HERE.parents[1] / "examples"

BACKUP_ENTRIES = ["load_bareos_plugin", "parse_plugin_definition", "handle_plugin_event",
                  "start_backup_file", "end_backup_file", "plugin_io", "get_acl", "get_xattr",
                  "check_file"]
RESTORE_ENTRIES = ["load_bareos_plugin", "handle_plugin_event", "restore_object_data",
                   "start_restore_file", "create_file", "plugin_io", "set_file_attributes",
                   "set_acl", "set_xattr", "end_restore_file"]
KINDS = ["raise", "wrongtype", "bigint", "keepref", "copy", "open", "import", "modules",
         "stdout", "sleep", "huge"]
# The huge kind misbehaves in two entry points only (4 MiB each): enough to see
# whether messages are written in whole buffers (well under a second) or a byte
# at a time (about 1.5 s per MiB), without making the suite slow once fixed.
HUGE_ENTRIES = {"load_bareos_plugin", "plugin_io"}
SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "runtime error:", "Fatal Python error")
RUN_TIMEOUT = 120


def host(*args, timeout=RUN_TIMEOUT):
    command = [str(BINARY), "-p", str(PLUGIN_DIR), *map(str, args)]
    start = time.monotonic()
    proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout,
                          env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    proc.seconds = time.monotonic() - start
    proc.out = proc.stdout.decode("utf-8", "surrogateescape")
    proc.err = proc.stderr.decode("utf-8", "surrogateescape")
    return proc


def describe(proc):
    return (f"command: {shlex.join(map(str, proc.args))}\nexit status: {proc.returncode}\n"
            f"stdout (tail):\n{proc.out[-5000:]}\nstderr (tail):\n{proc.err[-3000:]}")


def assert_no_crash(proc):
    if proc.returncode < 0:
        pytest.fail(f"bareospy-fd died of {signal.Signals(-proc.returncode).name}\n"
                    + describe(proc))
    for marker in SANITIZER_MARKERS:
        assert marker not in proc.err, f"{marker!r} on stderr\n" + describe(proc)
    assert proc.returncode in (0, 1, 2), describe(proc)


def reports(stdout):
    """{job name without its date suffix: [report lines]} of every job report."""
    found = {}
    name = None
    for line in stdout.splitlines():
        match = re.match(r"Job (\S+?)\.\d{4}-\d\d-\d\d_\d\d\.\d\d\.\d\d_\d\d$", line)
        if match:
            name = match.group(1)
            found[name] = []
        elif name is not None and line.startswith("  "):
            found[name].append(line)
    return found


VOLATILE = ("Job id:", "Start time:", "End time:", "Elapsed:", "Rate:", "Backup job:")


def normalized(report_lines, out):
    """A report without what changes from run to run (times, ids, rates, the
    case's own directory)."""
    return [line.replace(str(out), "OUT") for line in report_lines
            if not line.strip().startswith(VOLATILE)]


def tree_digest(root):
    """{relative path: (type, mode, size, sha256 or link)} of a tree."""
    entries = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(directory, name)
            st = os.lstat(path)
            relative = os.path.relpath(path, root)
            if os.path.islink(path):
                entries[relative] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                entries[relative] = ("dir", st.st_mode & 0o7777)
            else:
                with open(path, "rb") as data:
                    digest = hashlib.sha256(data.read()).hexdigest()
                entries[relative] = ("file", st.st_mode & 0o7777, st.st_size, digest)
    return entries


def listing(archive):
    proc = host("list", archive)
    assert proc.returncode == 0, describe(proc)
    return [line for line in proc.out.splitlines() if not line.startswith("# archive")]


class World:
    """Trees, archives and definitions shared by every case (made once)."""

    def __init__(self, base):
        self.base = base
        self.tree = base / "tree"
        (self.tree / "sub").mkdir(parents=True)
        (self.tree / "first").write_bytes(b"first file\n")
        (self.tree / "sub" / "second").write_bytes(b"second file\n" * 1000)
        (self.tree / "sub" / "random").write_bytes(os.urandom(300_000))
        (self.tree / "link").symlink_to("first")
        for path in [*self.tree.rglob("*"), self.tree]:
            os.utime(path, (1_500_000_000, 1_500_000_000), follow_symlinks=False)
        self.list_file = base / "list"
        self.list_file.write_bytes(os.fsencode(self.tree) + b"\n")
        self.example = (f"python3:module_path={EXAMPLES}:module_name=bareos-fd-local-files"
                        f":filename={self.list_file}")
        self.good = (f"python3:module_path={SCRIPTS}:module_name=bpy_adv_good"
                     f":source={self.tree / 'sub' / 'second'}")
        self.bad = f"python3:module_path={SCRIPTS}:module_name=bpy_adv_misbehave"
        self.prepared = base / "prepared.bpa"
        self.bad_previous = base / "bad-previous.bpa"
        self.bad_source = base / "bad-source.bpa"
        for args in (["--archive", self.prepared, self.example],
                     ["--archive", self.bad_previous, "--acl", "--xattr", self.bad + ":extra=1"],
                     ["--archive", self.bad_source, "--acl", "--xattr", self.bad]):
            proc = host("backup", *args)
            assert proc.returncode == 0, describe(proc)
        self.baseline = self.run_case("baseline", [])

    def good_lines(self, out):
        return [
            f"backup --archive {shlex.quote(str(out / 'files.bpa'))} --job good-files "
            f"{shlex.quote(self.example)}",
            f"restore --archive {shlex.quote(str(self.prepared))} --job good-restore "
            f"--where {shlex.quote(str(out / 'restored'))} --plugin-options "
            f"{shlex.quote(self.example)}",
            f"backup --archive {shlex.quote(str(out / 'script.bpa'))} --job good-script "
            f"{shlex.quote(self.good)}",
        ]

    def bad_lines(self, out, side, kind, entries):
        lines = []
        for entry in entries:
            definition = shlex.quote(f"{self.bad}:fail={entry}:how={kind}")
            name = f"bad-{side}-{entry}"
            if side == "backup":
                lines.append(f"backup --archive {shlex.quote(str(out / (name + '.bpa')))} "
                             f"--job {name} --level incremental --accurate --previous "
                             f"{shlex.quote(str(self.bad_previous))} --acl --xattr {definition}")
            else:
                lines.append(f"restore --archive {shlex.quote(str(self.bad_source))} "
                             f"--job {name} --where {shlex.quote(str(out / name))} "
                             f"--plugin-options {definition}")
        return lines

    def run_case(self, label, bad_lines):
        """Run the bad lines and the good jobs in one process; the good jobs' outcome."""
        out = self.base / label
        out.mkdir(exist_ok=True)
        job_file = out / "jobs"
        job_file.write_text("\n".join(bad_lines + self.good_lines(out)) + "\n")
        proc = host("jobs", job_file)
        assert_no_crash(proc)
        found = reports(proc.out)
        assert len(found) == len(bad_lines) + 3, "a job has no report\n" + describe(proc)
        outcome = {name: normalized(lines, out) for name, lines in found.items()
                   if name.startswith("good-")}
        for archive in ("files", "script"):
            outcome[f"{archive}.bpa"] = listing(out / f"{archive}.bpa")
        outcome["restored by good-restore"] = tree_digest(out / "restored")
        for archive, definition in (("files", self.example), ("script", self.good)):
            where = out / f"check-{archive}"
            check = host("restore", "--archive", out / f"{archive}.bpa", "--where", where,
                         "--plugin-options", definition)
            assert check.returncode == 0, describe(check)
            outcome[f"{archive}.bpa restored"] = tree_digest(where)
        return proc, found, outcome


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    made = World(tmp_path_factory.mktemp("adversarial"))
    proc, found, outcome = made.baseline
    for name, lines in outcome.items():
        if name.startswith("good-"):
            assert "  Status:          OK" in lines, (
                f"{name} alone did not end OK\n" + describe(proc))
    return made


def assert_same_good_outcome(world, proc, outcome):
    expected = world.baseline[2]
    for key in expected:
        assert outcome[key] == expected[key], (
            f"the well-behaved job result {key!r} differs from the same job run alone:\n"
            f"  alone:      {expected[key]}\n  next to it: {outcome[key]}\n" + describe(proc))


def assert_kind_specific(kind, proc, found):
    bad = {name: lines for name, lines in found.items() if name.startswith("bad-")}
    for name, lines in bad.items():
        text = "\n".join(lines)
        assert "keepref window WRITTEN" not in text, (
            f"{name}: an iop.window kept after plugin_io returned was still writable "
            "(expected ValueError: a released buffer)\n" + describe(proc))
        assert "keepref window READ" not in text, (
            f"{name}: an iop.window kept after plugin_io returned could still be read "
            "(expected ValueError: a released buffer)\n" + describe(proc))
        misbehaved = re.findall(r"ADV (\w+) misbehaves: (raise|modules)", text)
        for entry, _ in misbehaved:
            assert f"adv injected in {entry}" in text, (
                f"{name}: the exception raised in {entry} is not reported with its "
                "traceback\n" + describe(proc))
        if kind == "copy":
            assert "copy copy of" in text or "misbehaves: copy" in text, describe(proc)


@pytest.mark.parametrize("side", ["backup", "restore"])
@pytest.mark.parametrize("kind", KINDS)
def test_misbehaving_script_leaves_concurrent_jobs_alone(world, kind, side):
    entries = BACKUP_ENTRIES if side == "backup" else RESTORE_ENTRIES
    if kind == "huge":
        entries = [entry for entry in entries if entry in HUGE_ENTRIES]
    label = f"{kind}-{side}"
    proc, found, outcome = world.run_case(
        label, world.bad_lines(world.base / label, side, kind, entries))
    assert_same_good_outcome(world, proc, outcome)
    assert_kind_specific(kind, proc, found)
    if kind == "huge":
        # 8 MiB of job messages must not take seconds per MiB (whole-buffer writes)
        assert proc.seconds < 4, f"{proc.seconds:.1f} s for the huge messages\n" + describe(proc)


def test_every_entry_point_misbehaves(world):
    """Sanity check of the suite itself: each listed entry point is really called."""
    out = world.base / "entry-points"
    lines = world.bad_lines(out, "backup", "trace", ["all"])
    lines += world.bad_lines(out, "restore", "trace", ["all"])
    proc, found, _ = world.run_case("entry-points", lines)
    for side, entries in (("backup", BACKUP_ENTRIES), ("restore", RESTORE_ENTRIES)):
        text = "\n".join(found[f"bad-{side}-all"])
        for entry in entries:
            assert f"ADV {entry} misbehaves" in text, f"{side}: {entry} never called\n" + text
