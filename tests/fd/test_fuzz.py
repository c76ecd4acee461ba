"""Bounded mutation fuzzers (issue 13): the archive reader and the plugin
definition parser.

* **Archive reader.**  A small valid archive made by ``bareospy-fd backup``
  (files, a directory, a symlink, a hard link, an xattr, a restore object)
  is mutated -- raw mutations (bit flips, truncations, record length fields
  overwritten with huge or negative values, records duplicated, dropped or
  swapped, garbage inserted or appended) and *structural* ones whose CRCs are
  recomputed, so that the payload parsers themselves see the damage (TLV
  lengths and tags, stat fields, data offsets, record types and entry
  numbers) -- and each mutant goes through ``bareospy-fd list`` and
  ``bareospy-fd restore --where DIR``.  Neither may crash (a signal, an
  AddressSanitizer or UBSan report), hang (a timeout), or change anything
  outside DIR (a sentinel tree around it, the backed-up tree included, is
  compared before and after); a raw mutant must be reported as damaged
  (non-zero exit status of ``list``), and ``restore`` always says something.
* **Definition parser.**  Random and mutated plugin definition strings
  (``\\:`` escapes, ``=`` in keys and values, empty keys, very long values,
  bytes that are not UTF-8) go through the C test driver's ``events``
  scenario (bEventPluginCommand, and bEventNewPluginOptions with
  ``--options``) and through ``bareospy-fd estimate``: no crash, and either
  success or an error that says something.

Budget: a fixed seed and iteration counts that keep this file well under a
minute in CI.  For longer runs on demand:

  BAREOSPY_FUZZ_SEED=12345         another seed (default 13); each failure
                                   message names the seed and the iteration
  BAREOSPY_FUZZ_ITERATIONS=5000    mutants per fuzzer (default: 120 archives,
                                   60 definitions)

A failing mutant is left as ``mutant.bpa`` in the test's tmp directory (the
message names it, with the seed and iteration that rebuild it).
BAREOSPY_FD_BINARY runs the host tests against another build of the host.
"""
import hashlib
import json
import os
import random
import shlex
import signal
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

import bareospy

PACKAGE = Path(bareospy.__file__).resolve().parent
BINARY = Path(os.environ.get("BAREOSPY_FD_BINARY") or PACKAGE / "bin" / "bareospy-fd")
PLUGIN_DIR = PACKAGE / "plugins"
HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parents[1] / "examples"
SCRIPTS = HERE / "scripts"

SEED = int(os.environ.get("BAREOSPY_FUZZ_SEED", "13"))
ITERATIONS = os.environ.get("BAREOSPY_FUZZ_ITERATIONS")
ARCHIVE_ITERATIONS = int(ITERATIONS or 120)
DEFINITION_ITERATIONS = int(ITERATIONS or 60)
TIMEOUT = 30
SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "runtime error:", "Fatal Python error")

PREAMBLE = 16
HEADER = 44


# -- running things -------------------------------------------------------------------------

def run(command, what, timeout=TIMEOUT):
    """Run ``command``; fail on a timeout, a signal or a sanitizer report."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what}: no answer within {timeout} s (a hang)\ncommand: "
                    f"{shlex.join(map(os.fsdecode, command))}")
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    detail = (f"{what}\ncommand: {shlex.join(map(os.fsdecode, command))}\n"
              f"exit status: {proc.returncode}\nstdout (tail):\n{out[-3000:]}\n"
              f"stderr (tail):\n{err[-5000:]}")
    if proc.returncode < 0:
        pytest.fail(f"killed by {signal.Signals(-proc.returncode).name}: {detail}")
    for marker in SANITIZER_MARKERS:
        assert marker not in err, f"{marker!r} on stderr: {detail}"
    return proc.returncode, out, err, detail


def host_command(*args):
    return [os.fsencode(BINARY), b"-p", os.fsencode(PLUGIN_DIR),
            *(arg if isinstance(arg, bytes) else os.fsencode(str(arg)) for arg in args)]


# -- the sentinel tree ----------------------------------------------------------------------

def state_of(root, skip):
    """Everything a restore could change under ``root`` (``skip`` excluded)."""
    found = {}
    for directory, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if os.path.join(directory, name) != str(skip)]
        for name in [".", *dirs, *files]:
            path = os.path.join(directory, name)
            st = os.lstat(path)
            record = (st.st_mode, st.st_uid, st.st_gid)
            if path != os.path.join(str(root), "."):  # creating --where changes root's times
                record += (st.st_size, st.st_mtime_ns, st.st_nlink)
            if os.path.islink(path):
                record += (os.readlink(path),)
            elif os.path.isfile(path):
                with open(path, "rb") as data:
                    record += (hashlib.sha256(data.read()).hexdigest(),)
            try:
                record += (tuple(sorted(os.listxattr(path, follow_symlinks=False))),)
            except OSError:
                pass
            found[os.path.relpath(path, root)] = record
    return found


# -- archive structure -----------------------------------------------------------------------

def split_records(data):
    """The preamble and the list of records (header, payload) of an intact archive."""
    offset, records = PREAMBLE, []
    while offset < len(data):
        header = data[offset:offset + HEADER]
        length = struct.unpack_from("<I", header, 32)[0]
        payload = data[offset + HEADER:offset + HEADER + length]
        records.append((bytearray(header), bytearray(payload)))
        offset += HEADER + length
    return bytes(data[:PREAMBLE]), records


def sealed(header, payload):
    """A record with its length and both CRCs made right again."""
    header = bytearray(header)
    struct.pack_into("<II", header, 32, len(payload), zlib.crc32(payload))
    struct.pack_into("<I", header, 40, zlib.crc32(bytes(header[:40])))
    return bytes(header) + bytes(payload)


def join(preamble, records):
    return preamble + b"".join(bytes(h) + bytes(p) for h, p in records)


def tlv_fields(payload):
    """(offset of the field, tag, length) of each TLV field that parses."""
    fields, offset = [], 0
    while offset + 6 <= len(payload):
        tag, length = struct.unpack_from("<HI", payload, offset)
        fields.append((offset, tag, length))
        offset += 6 + length
    return fields


INTERESTING_U32 = [0, 1, 7, 8, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 64 << 20,
                   (64 << 20) + 1, 256 << 10, (256 << 10) + 1]
INTERESTING_U64 = [0, 1, 2 ** 63 - 1, 2 ** 63, 2 ** 64 - 1, 2 ** 32, (1 << 63) + 5, 4096]


# -- raw mutations: the bytes change under the CRCs -----------------------------------------

def raw_flip(rng, data, records):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return data


def raw_truncate(rng, data, records):
    return data[:rng.randrange(len(data))]


def raw_length(rng, data, records):
    preamble, recs = records
    index = rng.randrange(len(recs))
    header, payload = recs[index]
    header = bytearray(header)
    struct.pack_into("<I", header, 32, rng.choice(INTERESTING_U32))
    recs = list(recs)
    recs[index] = (header, payload)
    return join(preamble, recs)


def raw_duplicate(rng, data, records):
    preamble, recs = records
    recs = list(recs)
    index = rng.randrange(len(recs))
    recs.insert(index + rng.choice([0, 1, 2]), recs[index])
    return join(preamble, recs)


def raw_drop(rng, data, records):
    preamble, recs = records
    recs = list(recs)
    del recs[rng.randrange(len(recs))]
    return join(preamble, recs)


def raw_swap(rng, data, records):
    preamble, recs = records
    recs = list(recs)
    a, b = rng.randrange(len(recs)), rng.randrange(len(recs))
    if a == b:
        b = (a + 1) % len(recs)
    recs[a], recs[b] = recs[b], recs[a]
    return join(preamble, recs)


def raw_insert(rng, data, records):
    at = rng.randrange(len(data) + 1)
    junk = bytes(rng.getrandbits(8) for _ in range(rng.choice([1, 4, 44, 300])))
    if rng.random() < 0.3:
        junk = b"BPyR" + junk  # a false record magic
    return data[:at] + junk + data[at:]


def raw_append(rng, data, records):
    return data + bytes(rng.getrandbits(8) for _ in range(rng.choice([1, 44, 100])))


RAW = [raw_flip, raw_truncate, raw_length, raw_duplicate, raw_drop, raw_swap, raw_insert,
       raw_append]


# -- structural mutations: CRCs recomputed, the payload parsers see the damage ----------------

def sealed_mutation(rng, data, records):
    preamble, recs = records
    recs = [(bytearray(h), bytearray(p)) for h, p in recs]
    index = rng.randrange(len(recs))
    header, payload = recs[index]
    kind = rng.choice(["tlv_length", "tlv_tag", "u64", "flip", "cut", "grow", "type",
                       "entry", "sequence", "data_offset", "stat"])
    fields = tlv_fields(payload)
    if kind == "tlv_length" and fields:
        offset = rng.choice(fields)[0]
        struct.pack_into("<I", payload, offset + 2, rng.choice(INTERESTING_U32))
    elif kind == "tlv_tag" and fields:
        offset = rng.choice(fields)[0]
        struct.pack_into("<H", payload, offset, rng.choice([0, 1, 2, 3, 4, 5, 9, 10, 0xFFFF]))
    elif kind == "u64" and fields:
        offset, _, length = rng.choice(fields)
        if length >= 8:
            struct.pack_into("<Q", payload, offset + 6, rng.choice(INTERESTING_U64))
    elif kind == "stat" and fields:
        stats = [(o, n) for o, tag, n in fields if tag == 5 and n == 104]
        if stats:
            offset = rng.choice(stats)[0] + 6 + 8 * rng.randrange(13)
            struct.pack_into("<Q", payload, offset, rng.choice(INTERESTING_U64 + [0o170000,
                                                                                  0o120777]))
    elif kind == "flip" and payload:
        for _ in range(rng.randint(1, 4)):
            payload[rng.randrange(len(payload))] ^= 1 << rng.randrange(8)
    elif kind == "cut" and payload:
        del payload[rng.randrange(len(payload)):]
    elif kind == "grow":
        payload += bytes(rng.getrandbits(8) for _ in range(rng.choice([1, 6, 50])))
    elif kind == "type":
        struct.pack_into("<H", header, 4, rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                                      0xFFFF]))
    elif kind == "entry":
        struct.pack_into("<Q", header, 24, rng.choice(INTERESTING_U64 + [1, 2, 3]))
    elif kind == "sequence":
        struct.pack_into("<Q", header, 16, rng.choice(INTERESTING_U64))
    elif kind == "data_offset" and len(payload) >= 8 and header[4:6] == b"\x03\x00":
        struct.pack_into("<Q", payload, 0, rng.choice(INTERESTING_U64))
    out = preamble + b"".join(
        sealed(h, p) if i == index else bytes(h) + bytes(p) for i, (h, p) in enumerate(recs))
    return out


# -- the archive fuzzer ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory):
    """A small tree and a valid archive of it, inside a sentinel tree."""
    base = tmp_path_factory.mktemp("fuzz")
    tree = base / "tree"
    (tree / "dir" / "deeper").mkdir(parents=True)
    (tree / "file").write_bytes(b"some data\n" * 30)
    (tree / "dir" / "deeper" / "small").write_bytes(b"x")
    (tree / "dir" / "empty").write_bytes(b"")
    (tree / "symlink").symlink_to("file")
    os.link(tree / "file", tree / "hardlink")
    try:
        os.setxattr(tree / "dir" / "deeper" / "small", "user.fuzz", b"value")
        xattr = ["--xattr"]
    except OSError:
        xattr = []
    (base / "sentinel").write_bytes(b"do not touch\n")
    (base / "sentinel-dir").mkdir()
    (base / "sentinel-dir" / "inner").write_bytes(b"nor this\n")
    os.chmod(base / "sentinel", 0o640)
    list_file = base / "list"
    list_file.write_bytes(os.fsencode(tree) + b"\n")
    definition = (f"python3:module_path={EXAMPLES}:module_name=bareos-fd-local-files"
                  f":filename={list_file}:config=fuzz-config")
    archive = base / "valid.bpa"
    code, _, _, detail = run(host_command("backup", "--archive", archive, *xattr, definition),
                             "the valid archive")
    assert code == 0, detail
    return base, archive, definition


def restore_and_check(base, mutant, definition, label, raw):
    where = base / "where"
    before = state_of(base, where)
    code, out, err, detail = run(host_command("list", mutant), f"list {label}")
    if raw:
        assert code != 0, f"a damaged archive is listed without complaint: {detail}"
    assert out or err, f"list said nothing: {detail}"
    mode = "core" if "core" in label else "plugin"
    options = definition + (":create=core" if mode == "core" else "")
    code, out, err, detail = run(host_command("restore", "--archive", mutant, "--where", where,
                                              "--plugin-options", options), f"restore {label}")
    assert code in (0, 1, 2), detail
    assert "Status:" in out or err, f"restore said nothing: {detail}"
    if raw:
        assert code != 0, f"a damaged archive is restored without complaint: {detail}"
    after = state_of(base, where)
    changed = sorted(set(before) ^ set(after)) + sorted(
        name for name in before if name in after and before[name] != after[name])
    assert not changed, f"restore changed {changed} outside --where: {detail}"
    subprocess.run(["rm", "-rf", "--", str(where)], check=True)


def test_archive_reader_survives_mutations(fuzz_base):
    base, archive, definition = fuzz_base
    original = archive.read_bytes()
    records = split_records(original)
    rng = random.Random(SEED)
    mutant = base / "mutant.bpa"
    for iteration in range(ARCHIVE_ITERATIONS):
        raw = rng.random() < 0.5
        operator = rng.choice(RAW) if raw else sealed_mutation
        data = bytes(operator(rng, original, records))
        if raw and data == original:
            continue
        mutant.write_bytes(data)
        label = (f"seed {SEED} iteration {iteration} ({operator.__name__}, "
                 f"{'core' if iteration % 3 == 0 else 'plugin'} creation), mutant {mutant}")
        restore_and_check(base, mutant, definition, label, raw)


# -- the definition parser ---------------------------------------------------------------------

PIECES = [b":", b"\\:", b"=", b"\\", b"\\\\", b"::", b":=", b"=:", b"\\=", b"module_name=",
          b"module_path=", b"python3", b"python3:", b"\xff", b"\xc3\x28", b"\xed\xa0\x80",
          b"\x80", b"\t", b"\n", b" ", b"a=b", b"=x", b"key=", b"%s%n", b"\xe2\x82\xac",
          b"x" * 5000, b"=" * 300, b":" * 300]


MAX_ARGUMENT = 120_000  # Linux refuses a single argument of 128 KiB or more


def definitions(rng, bases):
    """Mutated and random definition strings (bytes, never containing NUL)."""
    base = bytearray(rng.choice(bases))
    how = rng.random()
    if how < 0.15:
        return b"".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
    for _ in range(rng.randint(1, 5)):
        at = rng.randrange(len(base) + 1)
        action = rng.random()
        if action < 0.4:
            base[at:at] = rng.choice(PIECES)
        elif action < 0.6 and base:
            del base[at:at + rng.randint(1, 20)]
        elif action < 0.8:
            base[at:at] = bytes(rng.randrange(1, 256) for _ in range(rng.randint(1, 8)))
        else:
            base[at:at] = b"long=" + b"v" * rng.choice([1000, 70000, 100000])
    return bytes(base)[:MAX_ARGUMENT]


def driver_bases():
    path = os.fsencode(SCRIPTS)
    return [b"python3:module_path=" + path + b":module_name=bpy_local",
            b"python3:module_path=" + path + b":module_name=bpy_local:a=1:b=\\:c:=d",
            b"python3:module_name=bpy_local:module_path=" + path + b":x",
            b"python3"]


@pytest.mark.driver
def test_definition_parser_survives_mutations_in_the_driver(fd_driver):
    rng = random.Random(SEED)
    bases = driver_bases()
    for iteration in range(DEFINITION_ITERATIONS):
        text = definitions(rng, bases)
        options = []
        if rng.random() < 0.5:
            options = [b"--options", definitions(rng, bases)]
        command = [os.fsencode(fd_driver.executable), *options, os.fsencode(fd_driver.plugin),
                   b"events", text]
        what = f"driver events, seed {SEED} iteration {iteration}, definition {text[:300]!r}"
        code, out, err, detail = run(command, what)
        assert code == 0, detail
        last = out.rstrip().rsplit("\n", 1)[-1]
        assert json.loads(last).get("driver") == "done", detail


def test_definition_parser_survives_mutations_in_estimate(tmp_path):
    rng = random.Random(SEED + 1)
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "file").write_bytes(b"data")
    list_file = tmp_path / "list"
    list_file.write_bytes(os.fsencode(tmp_path / "tree") + b"\n")
    bases = [b"python3:module_path=" + os.fsencode(EXAMPLES)
             + b":module_name=bareos-fd-local-files:filename=" + os.fsencode(list_file),
             b"python3:filename=" + os.fsencode(list_file) + b":module_name=bareos-fd-local-files"
             b":module_path=" + os.fsencode(EXAMPLES) + b":io=direct"]
    for iteration in range(DEFINITION_ITERATIONS // 2):
        text = definitions(rng, bases)
        what = f"estimate, seed {SEED + 1} iteration {iteration}, definition {text[:300]!r}"
        code, out, err, detail = run(host_command("estimate", "--listing", text), what)
        assert code in (0, 1, 2, 3), detail
        if code != 0:
            assert err.strip() or "[fatal]" in out or "[error]" in out, (
                f"failed without saying why: {detail}")
