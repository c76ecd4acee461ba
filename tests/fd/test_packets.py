"""The seven packet types of bareosfd (spec §2.5): attributes, constructors,
reprs, StatPacket.from_stat and subclassing.

Runs against the built module: ``import bareosfd``.
"""
import array
import mmap
import os
import stat
import time
import types
import warnings

import pytest

import bareosfd

from bareospy.testing import FakeCore
from bareospy.warnings import BareospyWarning, PacketValueWarning

I32 = (-(2**31), 2**31 - 1)
U32 = (0, 2**32 - 1)
U16 = (0, 2**16 - 1)
I64 = (-(2**63), 2**63 - 1)
U64 = (0, 2**64 - 1)
LONG = I64                 # a C long (LP64)
ULONG_MAX = 2**64 - 1

NOW = "construction time"  # marks the StatPacket time defaults

CLASSES = ["StatPacket", "SavePacket", "RestorePacket", "IoPacket",
           "AclPacket", "XattrPacket", "RestoreObject"]

# Integer attributes by spec §2.5.1 kind: (class, attribute, kind, stored range, default).
# i32, u32, u16 truncate what does not fit (with a RuntimeWarning); StatPacket
# stores its narrow fields wider (spec §11 #5), so only what does not fit the
# wider field is truncated there.  u64, i64 and long raise OverflowError.
INT_ATTRS = [
    ("StatPacket", "st_dev", "u32", U64, 0),
    ("StatPacket", "st_ino", "u64", U64, 0),
    ("StatPacket", "st_mode", "u16", U32, 0o100700),
    ("StatPacket", "st_nlink", "u16", U64, 0),
    ("StatPacket", "st_uid", "u32", U32, 0),
    ("StatPacket", "st_gid", "u32", U32, 0),
    ("StatPacket", "st_rdev", "u32", U64, 0),
    ("StatPacket", "st_size", "u64", U64, 2**64 - 1),
    ("StatPacket", "st_atime", "long", I64, NOW),
    ("StatPacket", "st_mtime", "long", I64, NOW),
    ("StatPacket", "st_ctime", "long", I64, NOW),
    ("StatPacket", "st_blksize", "u32", U64, 4096),
    ("StatPacket", "st_blocks", "u64", U64, 1),
    ("SavePacket", "type", "i32", I32, 0),
    ("SavePacket", "save_time", "u32", U32, 0),
    ("SavePacket", "delta_seq", "u32", U32, 0),
    ("SavePacket", "object_len", "i32", I32, 0),
    ("SavePacket", "object_index", "i32", I32, 0),
    ("RestorePacket", "stream", "i32", I32, 0),
    ("RestorePacket", "data_stream", "i32", I32, 0),
    ("RestorePacket", "type", "i32", I32, 0),
    ("RestorePacket", "file_index", "i32", I32, 0),
    ("RestorePacket", "linkFI", "i32", I32, 0),
    ("RestorePacket", "uid", "u32", U32, 0),
    ("RestorePacket", "replace", "i32", I32, 0),
    ("RestorePacket", "create_status", "i32", I32, 0),
    ("RestorePacket", "filedes", "i32", I32, -1),
    ("IoPacket", "func", "u16", U16, 0),
    ("IoPacket", "count", "i32", I32, 0),
    ("IoPacket", "flags", "i32", I32, 0),
    ("IoPacket", "mode", "i32", I32, 0),
    ("IoPacket", "status", "i32", I32, 0),
    ("IoPacket", "io_errno", "i32", I32, 0),
    ("IoPacket", "lerror", "i32", I32, 0),
    ("IoPacket", "whence", "i32", I32, 0),
    ("IoPacket", "offset", "i64", I64, 0),
    ("IoPacket", "filedes", "i32", I32, -1),
    ("RestoreObject", "object_type", "i32", I32, 0),
    ("RestoreObject", "object_len", "i32", I32, 0),
    ("RestoreObject", "object_full_len", "i32", I32, 0),
    ("RestoreObject", "object_index", "i32", I32, 0),
    ("RestoreObject", "object_compression", "i32", I32, 0),
    ("RestoreObject", "stream", "i32", I32, 0),
    ("RestoreObject", "jobid", "u32", U32, 0),
]
TRUNCATING = [a for a in INT_ATTRS if a[2] in ("i32", "u32", "u16")]
CHECKED = [a for a in INT_ATTRS if a[2] in ("u64", "i64", "long")]


def _wrapped(value, stored):
    """``value`` as C stores it in a field of range ``stored``."""
    bits = (stored[1] - stored[0]).bit_length()
    wrapped = value % 2**bits
    return wrapped - 2**bits if wrapped > stored[1] else wrapped


def _accepted_high(kind, stored):
    """The largest int a truncating attribute takes before OverflowError:
    CPython reads T_UINT (and our widened fields) as an unsigned long, the
    other kinds as a long."""
    widened = stored != {"i32": I32, "u32": U32, "u16": U16}[kind]
    return ULONG_MAX if kind == "u32" or widened else LONG[1]


BOOL_ATTRS = [("SavePacket", "no_read"), ("SavePacket", "portable"),
              ("SavePacket", "accurate_found"), ("IoPacket", "win32")]

# read-only C strings, set through the constructor keyword of the same name
STRING_ATTRS = [
    ("SavePacket", "cmd"),
    ("RestorePacket", "attrEX"), ("RestorePacket", "ofname"),
    ("RestorePacket", "olname"), ("RestorePacket", "where"),
    ("RestorePacket", "regexwhere"), ("RestorePacket", "original_file_name"),
    ("RestorePacket", "original_link_name"),
    ("IoPacket", "fname"), ("AclPacket", "fname"), ("XattrPacket", "fname"),
    ("RestoreObject", "plugin_name"),
]

# O attributes (spec §2.5.1: any object): (class, attribute, values the core
# can take, other values: kept too, with a PacketValueWarning naming the attribute)
BUFFERS = [b"raw", bytearray(b"raw"), memoryview(b"raw"), array.array("i", [1, 2])]
OBJECT_ATTRS = [
    ("SavePacket", "fname", ["/a/file", ""], [b"/a/file", 1]),
    ("SavePacket", "link", ["/a/target"], [b"/a/target", 1.0]),
    ("SavePacket", "object_name", ["name"], [b"name", bytearray(b"name")]),
    ("RestoreObject", "object_name", ["name"], [b"name", 0]),
    ("SavePacket", "object", [b"data", bytearray(b"data"), memoryview(b"d")], ["data", 0]),
    ("RestoreObject", "object", [b"data", bytearray(b"data")], ["data", 0]),
    ("AclPacket", "content", [b"acl", bytearray(b"acl"), array.array("b")], ["acl", 1]),
    ("XattrPacket", "name", [b"user.x", bytearray(b"user.x")], ["user.x", 1]),
    ("XattrPacket", "value", [b"v", bytearray(b"v"), memoryview(b"v")], ["v", [1]]),
    ("IoPacket", "buf", BUFFERS, ["text", 1, [1, 2]]),
    ("SavePacket", "statp", [bareosfd.StatPacket()], [os.stat("/"), {}, 0]),
    ("RestorePacket", "statp", [bareosfd.StatPacket()], [os.stat("/"), "x"]),
    ("SavePacket", "flags", [bytearray(5)],
     [bytes(5), [0] * 5, "00000", bytearray(0), bytearray(4), bytearray(6)]),
]

# every constructor keyword, in positional order: (keyword, attribute, sample)
CONSTRUCTOR_ARGS = {
    "StatPacket": [
        ("dev", "st_dev", 2**40), ("ino", "st_ino", 2**63), ("mode", "st_mode", 0o40755),
        ("nlink", "st_nlink", 2**20), ("uid", "st_uid", 1000), ("gid", "st_gid", 100),
        ("rdev", "st_rdev", 2**33), ("size", "st_size", 5 * 2**30),
        ("atime", "st_atime", -5), ("mtime", "st_mtime", 2**40), ("ctime", "st_ctime", 7),
        ("blksize", "st_blksize", 512), ("blocks", "st_blocks", 2**35),
    ],
    "SavePacket": [
        ("fname", "fname", "/etc/hosts"), ("link", "link", "/etc/"), ("type", "type", 3),
        ("flags", "flags", bytearray(b"\x01\x00\x00\x20\x02")),
        ("no_read", "no_read", True), ("portable", "portable", True),
        ("accurate_found", "accurate_found", True), ("cmd", "cmd", "python3:module_name=x"),
        ("save_time", "save_time", 2**32 - 1), ("delta_seq", "delta_seq", 2**31),
        ("object_name", "object_name", "obj"), ("object", "object", b"blob"),
        ("object_len", "object_len", 4), ("object_index", "object_index", 9),
    ],
    "RestorePacket": [
        ("stream", "stream", 1), ("data_stream", "data_stream", 2), ("type", "type", 3),
        ("file_index", "file_index", 4), ("linkFI", "linkFI", 5), ("uid", "uid", 2**32 - 1),
        ("statp", "statp", bareosfd.StatPacket()), ("attrEX", "attrEX", "ex"),
        ("ofname", "ofname", "/r/f"), ("olname", "olname", "/r/l"), ("where", "where", "/r"),
        ("regexwhere", "regexwhere", "!a!b!"), ("replace", "replace", ord("a")),
        ("create_status", "create_status", 4), ("filedes", "filedes", 17),
        ("original_file_name", "original_file_name", "/f"),
        ("original_link_name", "original_link_name", "/l"),
    ],
    "IoPacket": [
        ("func", "func", 2), ("count", "count", 65536),
        ("flags", "flags", os.O_WRONLY | os.O_CREAT),
        ("mode", "mode", 0o644), ("buf", "buf", bytearray(b"data")), ("fname", "fname", "/x"),
        ("status", "status", -1), ("io_errno", "io_errno", 2), ("lerror", "lerror", 3),
        ("whence", "whence", 1), ("offset", "offset", 2**40), ("win32", "win32", True),
        ("filedes", "filedes", 5),
    ],
    "AclPacket": [("fname", "fname", "/f"), ("content", "content", bytearray(b"acl"))],
    "XattrPacket": [("fname", "fname", "/f"), ("name", "name", b"user.a"),
                    ("value", "value", bytearray(b"v"))],
    "RestoreObject": [
        ("object_name", "object_name", "n"), ("object", "object", bytearray(b"o")),
        ("plugin_name", "plugin_name", "python3:x"), ("object_type", "object_type", 27),
        ("object_len", "object_len", 1), ("object_full_len", "object_full_len", 2),
        ("object_index", "object_index", 3), ("object_compression", "object_compression", 1),
        ("stream", "stream", 26), ("jobid", "jobid", 2**32 - 1),
    ],
}


def _ids(params):
    return [".".join(p[:2]) for p in params]


def _make(cls_name, *args, **kwargs):
    return getattr(bareosfd, cls_name)(*args, **kwargs)


class Index:
    """Not an int, but usable as one."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value


@pytest.fixture
def warnings_are_errors():
    """Any warning raises (a test that expects none fails on one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ---------------------------------------------------------------- integers

INT_PARAMS = "cls, attr, kind, rng, default"


@pytest.mark.parametrize(INT_PARAMS, INT_ATTRS, ids=_ids(INT_ATTRS))
def test_int_default(cls, attr, kind, rng, default):
    before = int(time.time())
    pkt = _make(cls)
    after = int(time.time())
    value = getattr(pkt, attr)
    assert type(value) is int
    if default is NOW:
        # C time() reads a coarse clock that can lag time.time() by a tick.
        assert before - 1 <= value <= after
    else:
        assert value == default


@pytest.mark.parametrize(INT_PARAMS, INT_ATTRS, ids=_ids(INT_ATTRS))
def test_int_round_trip_without_warning(cls, attr, kind, rng, default, warnings_are_errors):
    pkt = _make(cls)
    for value in (rng[0], rng[1], 1, Index(rng[1] - 1)):
        setattr(pkt, attr, value)
        got = getattr(pkt, attr)
        assert type(got) is int and got == int(getattr(value, "value", value))
    setattr(pkt, attr, True)
    assert getattr(pkt, attr) == 1 and type(getattr(pkt, attr)) is int


@pytest.mark.parametrize("bad", [1.0, "1", None, b"1", [1]], ids=repr)
@pytest.mark.parametrize(INT_PARAMS, INT_ATTRS, ids=_ids(INT_ATTRS))
def test_int_rejects_other_types(cls, attr, kind, rng, default, bad):
    pkt = _make(cls)
    setattr(pkt, attr, 1)
    with pytest.raises(TypeError, match=rf"^{cls}\.{attr} .*{type(bad).__name__}"):
        setattr(pkt, attr, bad)
    assert getattr(pkt, attr) == 1


def _out_of_range(kind, rng):
    """Ints that do not fit ``rng`` but that a truncating attribute takes."""
    values = [rng[1] + 1, rng[1] + 12345, rng[0] - 1, LONG[0]]
    return [v for v in values if LONG[0] <= v <= _accepted_high(kind, rng)]


@pytest.mark.parametrize(INT_PARAMS, TRUNCATING, ids=_ids(TRUNCATING))
def test_truncating_int_out_of_range_is_truncated_with_a_runtime_warning(
        cls, attr, kind, rng, default):
    pkt = _make(cls)
    for value in _out_of_range(kind, rng):
        with pytest.warns(RuntimeWarning) as record:
            setattr(pkt, attr, value)
        assert getattr(pkt, attr) == _wrapped(value, rng)
        [warning] = record
        assert warning.category is PacketValueWarning
        assert warning.message.attribute == f"{cls}.{attr}"
        assert str(warning.message).startswith(f"{cls}.{attr}: {value} ")
        assert warning.filename == __file__  # points at the assignment


@pytest.mark.parametrize(INT_PARAMS, TRUNCATING, ids=_ids(TRUNCATING))
def test_truncating_int_beyond_a_c_long_raises(cls, attr, kind, rng, default):
    pkt = _make(cls)
    setattr(pkt, attr, 1)
    for bad in (_accepted_high(kind, rng) + 1, LONG[0] - 1, 2**100):
        with pytest.raises(OverflowError, match=rf"^{cls}\.{attr}: {bad} "):
            setattr(pkt, attr, bad)
    assert getattr(pkt, attr) == 1


@pytest.mark.parametrize(INT_PARAMS, TRUNCATING, ids=_ids(TRUNCATING))
def test_truncation_warning_can_be_an_error(cls, attr, kind, rng, default):
    pkt = _make(cls)
    setattr(pkt, attr, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", BareospyWarning)
        with pytest.raises(PacketValueWarning, match=rf"^{cls}\.{attr}: "):
            setattr(pkt, attr, rng[0] - 1)
    assert getattr(pkt, attr) == 1  # an error leaves the attribute as it was


@pytest.mark.parametrize(INT_PARAMS, CHECKED, ids=_ids(CHECKED))
def test_checked_int_out_of_range_raises(cls, attr, kind, rng, default):
    pkt = _make(cls)
    setattr(pkt, attr, 1)
    for bad in (rng[0] - 1, rng[1] + 1):
        with pytest.raises(OverflowError) as info:
            setattr(pkt, attr, bad)
        message = str(info.value)
        assert message.startswith(f"{cls}.{attr} ")
        assert str(rng[0]) in message and str(rng[1]) in message and str(bad) in message
    assert getattr(pkt, attr) == 1


@pytest.mark.parametrize(INT_PARAMS, INT_ATTRS, ids=_ids(INT_ATTRS))
def test_int_cannot_be_deleted(cls, attr, kind, rng, default):
    pkt = _make(cls)
    setattr(pkt, attr, 1)
    with pytest.raises(TypeError, match=rf"{cls}\.{attr}"):
        delattr(pkt, attr)
    assert getattr(pkt, attr) == 1


def _keyword(cls, attr):
    return next(k for k, a, _ in CONSTRUCTOR_ARGS[cls] if a == attr)


@pytest.mark.parametrize(INT_PARAMS, INT_ATTRS, ids=_ids(INT_ATTRS))
def test_int_constructor_keyword_behaves_like_assignment(cls, attr, kind, rng, default):
    keyword = _keyword(cls, attr)
    with pytest.raises(TypeError, match=rf"{cls}\.{attr}"):
        _make(cls, **{keyword: 1.0})
    if kind in ("u64", "i64", "long"):
        with pytest.raises(OverflowError, match=rf"{cls}\.{attr}"):
            _make(cls, **{keyword: rng[1] + 1})
        return
    value = _out_of_range(kind, rng)[0]
    with pytest.warns(PacketValueWarning, match=rf"^{cls}\.{attr}: "):
        pkt = _make(cls, **{keyword: value})
    assert getattr(pkt, attr) == _wrapped(value, rng)


def test_timestamp_in_milliseconds_as_object_index_is_truncated_not_refused():
    """The issue's real script: object_index = int(time.time() * 1000)."""
    stamp = int(time.time() * 1000)
    pkt = bareosfd.SavePacket()
    with pytest.warns(RuntimeWarning, match=r"^SavePacket\.object_index: "):
        pkt.object_index = stamp
    assert pkt.object_index == _wrapped(stamp, I32)


@pytest.mark.parametrize("value, stored", [(2**32, 0), (2**32 + 5, 5), (-1, 2**32 - 1)])
def test_save_time_is_a_u32_view(value, stored):
    """spec §2.5.3: save_time is read and written as a u32."""
    pkt = bareosfd.SavePacket()
    with pytest.warns(PacketValueWarning):
        pkt.save_time = value
    assert pkt.save_time == stored


# ---------------------------------------------------------------- booleans

@pytest.mark.parametrize("cls, attr", BOOL_ATTRS, ids=_ids(BOOL_ATTRS))
def test_bool_default_and_round_trip(cls, attr):
    pkt = _make(cls)
    assert getattr(pkt, attr) is False
    setattr(pkt, attr, True)
    assert getattr(pkt, attr) is True
    setattr(pkt, attr, False)
    assert getattr(pkt, attr) is False
    assert getattr(_make(cls, **{attr: True}), attr) is True


@pytest.mark.parametrize("bad", [1, 0, None, "True", 1.0], ids=repr)
@pytest.mark.parametrize("cls, attr", BOOL_ATTRS, ids=_ids(BOOL_ATTRS))
def test_bool_assignment_is_strict(cls, attr, bad):
    pkt = _make(cls)
    with pytest.raises(TypeError) as info:
        setattr(pkt, attr, bad)
    assert str(info.value) == f"{cls}.{attr} must be True or False, not {type(bad).__name__}"
    assert getattr(pkt, attr) is False


@pytest.mark.parametrize("value, truth", [(1, True), ("x", True), ([0], True), (0, False),
                                          (None, False), ("", False), ([], False)],
                         ids=repr)
@pytest.mark.parametrize("cls, attr", BOOL_ATTRS, ids=_ids(BOOL_ATTRS))
def test_bool_constructor_keyword_takes_any_object_by_truth(cls, attr, value, truth,
                                                            warnings_are_errors):
    """The reference parses these keywords with the "p" format."""
    assert getattr(_make(cls, **{attr: value}), attr) is truth


@pytest.mark.parametrize("cls, attr", BOOL_ATTRS, ids=_ids(BOOL_ATTRS))
def test_bool_cannot_be_deleted(cls, attr):
    pkt = _make(cls, **{attr: True})
    with pytest.raises(TypeError, match=rf"{cls}\.{attr}"):
        delattr(pkt, attr)
    assert getattr(pkt, attr) is True


# ---------------------------------------------------------------- read-only strings

@pytest.mark.parametrize("cls, attr", STRING_ATTRS, ids=_ids(STRING_ATTRS))
def test_string_set_by_constructor_only(cls, attr):
    assert getattr(_make(cls), attr) is None
    assert getattr(_make(cls, **{attr: None}), attr) is None
    pkt = _make(cls, **{attr: "/tmp/ä"})
    assert getattr(pkt, attr) == "/tmp/ä"
    for value in ("other", None):
        with pytest.raises(TypeError, match=rf"^{cls}\.{attr} is a readonly attribute$"):
            setattr(pkt, attr, value)
    with pytest.raises(TypeError, match="readonly attribute"):
        delattr(pkt, attr)
    assert getattr(pkt, attr) == "/tmp/ä"


@pytest.mark.parametrize("bad", [b"/tmp", bytearray(b"/tmp"), 1], ids=repr)
@pytest.mark.parametrize("cls, attr", STRING_ATTRS, ids=_ids(STRING_ATTRS))
def test_string_constructor_rejects_non_str(cls, attr, bad):
    message = rf"^{cls}\.{attr} must be str or None, not {type(bad).__name__}$"
    with pytest.raises(TypeError, match=message):
        _make(cls, **{attr: bad})


@pytest.mark.parametrize("cls, attr", STRING_ATTRS, ids=_ids(STRING_ATTRS))
def test_string_subclass_stored_as_str(cls, attr):
    class Path(str):
        pass

    value = getattr(_make(cls, **{attr: Path("/p")}), attr)
    assert type(value) is str and value == "/p"


# ---------------------------------------------------------------- object attributes

OBJECT_GOOD = [(c, a, v) for c, a, good, _ in OBJECT_ATTRS for v in good]
OBJECT_ODD = [(c, a, v) for c, a, _, odd in OBJECT_ATTRS for v in odd]


def _has_keyword(cls, attr):
    return attr != "statp" or cls == "RestorePacket"  # SavePacket has no statp keyword


@pytest.mark.parametrize("cls, attr, value", OBJECT_GOOD, ids=_ids(OBJECT_GOOD))
def test_object_keeps_what_the_core_takes_without_warning(cls, attr, value,
                                                          warnings_are_errors):
    pkt = _make(cls)
    assert getattr(pkt, attr) is None
    setattr(pkt, attr, value)
    assert getattr(pkt, attr) is value
    setattr(pkt, attr, None)
    assert getattr(pkt, attr) is None
    setattr(pkt, attr, value)
    delattr(pkt, attr)
    assert getattr(pkt, attr) is None
    if _has_keyword(cls, attr):
        assert getattr(_make(cls, **{attr: value}), attr) is value


@pytest.mark.parametrize("cls, attr, value", OBJECT_ODD, ids=_ids(OBJECT_ODD))
def test_object_keeps_any_other_object_with_a_warning(cls, attr, value):
    pkt = _make(cls)
    with pytest.warns(PacketValueWarning) as record:
        setattr(pkt, attr, value)
    assert getattr(pkt, attr) is value
    [warning] = record
    assert warning.message.attribute == f"{cls}.{attr}"
    assert str(warning.message).startswith(f"{cls}.{attr}: ")
    assert type(value).__name__ in str(warning.message)
    delattr(pkt, attr)
    assert getattr(pkt, attr) is None
    if _has_keyword(cls, attr):
        with pytest.warns(PacketValueWarning, match=rf"^{cls}\.{attr}: "):
            assert getattr(_make(cls, **{attr: value}), attr) is value


@pytest.mark.parametrize("cls, attr, value", OBJECT_ODD[:1] + OBJECT_ODD[-3:],
                         ids=_ids(OBJECT_ODD[:1] + OBJECT_ODD[-3:]))
def test_fake_core_turns_packet_warnings_into_errors_by_default(cls, attr, value):
    pkt = _make(cls)
    with FakeCore().active():
        with pytest.raises(PacketValueWarning, match=rf"^{cls}\.{attr}: "):
            setattr(pkt, attr, value)
    assert getattr(pkt, attr) is None
    with FakeCore(strict=False).active():
        with pytest.warns(PacketValueWarning):
            setattr(pkt, attr, value)
    assert getattr(pkt, attr) is value


def test_fake_core_strictness_ends_with_the_core():
    with FakeCore().active():
        pass
    with pytest.warns(PacketValueWarning):
        bareosfd.IoPacket().count = 2**31


def test_io_buf_accepts_mmap():
    with mmap.mmap(-1, 16) as region:
        pkt = bareosfd.IoPacket(buf=region)
        assert pkt.buf is region


@pytest.mark.parametrize("cls", ["SavePacket", "RestorePacket"])
def test_statp_accepts_subclass(cls):
    class MyStat(bareosfd.StatPacket):
        pass

    pkt = _make(cls)
    pkt.statp = MyStat(size=3)
    assert pkt.statp.st_size == 3 and type(pkt.statp) is MyStat


def test_flags_is_the_same_mutable_object():
    flags = bytearray(5)
    pkt = bareosfd.SavePacket(flags=flags)
    pkt.flags[3] |= 1 << 5
    assert flags == bytearray(b"\x00\x00\x00\x20\x00")


# ---------------------------------------------------------------- StatPacket specifics

@pytest.mark.parametrize("attr", ["st_size", "st_ino", "st_dev", "st_blocks"])
@pytest.mark.parametrize("value", [5 * 2**30, 2**63, 2**64 - 2, 2**64 - 1])
def test_stat_64_bit_values(attr, value):
    pkt = bareosfd.StatPacket()
    setattr(pkt, attr, value)
    assert getattr(pkt, attr) == value


@pytest.mark.parametrize("attr", ["st_atime", "st_mtime", "st_ctime"])
def test_stat_negative_times(attr):
    pkt = bareosfd.StatPacket(**{attr[3:]: -86400})
    assert getattr(pkt, attr) == -86400
    setattr(pkt, attr, -(2**40))
    assert getattr(pkt, attr) == -(2**40)


def test_stat_size_minus_one_means_unknown_in_constructor_only():
    assert bareosfd.StatPacket(size=-1).st_size == 2**64 - 1
    assert bareosfd.StatPacket(0, 0, 0, 0, 0, 0, 0, -1).st_size == 2**64 - 1
    with pytest.raises(OverflowError, match=r"StatPacket\.st_size"):
        bareosfd.StatPacket(size=-2)
    pkt = bareosfd.StatPacket(size=10)
    with pytest.raises(OverflowError, match=r"StatPacket\.st_size"):
        pkt.st_size = -1
    assert pkt.st_size == 10
    with pytest.raises(TypeError, match=r"StatPacket\.st_size"):
        bareosfd.StatPacket(size=-1.0)


def test_stat_time_keywords_reject_none():
    with pytest.raises(TypeError, match=r"StatPacket\.st_mtime"):
        bareosfd.StatPacket(mtime=None)


def _expected_from_stat(st):
    return {
        "st_dev": st.st_dev, "st_ino": st.st_ino, "st_mode": st.st_mode,
        "st_nlink": st.st_nlink, "st_uid": st.st_uid, "st_gid": st.st_gid,
        "st_rdev": st.st_rdev, "st_size": st.st_size,
        "st_atime": st.st_atime_ns // 10**9, "st_mtime": st.st_mtime_ns // 10**9,
        "st_ctime": st.st_ctime_ns // 10**9,
        "st_blksize": st.st_blksize, "st_blocks": st.st_blocks,
    }


@pytest.fixture(params=["file", "dir", "symlink"])
def stat_target(request, tmp_path):
    path = tmp_path / "target"
    if request.param == "file":
        path.write_bytes(b"x" * 5000)
    elif request.param == "dir":
        path.mkdir()
    else:
        path.symlink_to("does/not/exist")
    return path, request.param


def test_from_stat_real_files(stat_target):
    path, kind = stat_target
    st = os.lstat(path)
    for pkt in (bareosfd.StatPacket.from_stat(st), bareosfd.StatPacket(st)):
        got = {attr: getattr(pkt, attr) for attr in _expected_from_stat(st)}
        assert got == _expected_from_stat(st)
    expected_type = {"file": stat.S_ISREG, "dir": stat.S_ISDIR, "symlink": stat.S_ISLNK}[kind]
    assert expected_type(pkt.st_mode)


def test_from_stat_wide_values_and_rounding():
    st = types.SimpleNamespace(
        st_mode=0o100644, st_dev=2**40 + 3, st_ino=2**64 - 1, st_nlink=2**20,
        st_uid=2**32 - 2, st_gid=7, st_rdev=2**33, st_size=5 * 2**30,
        st_atime=-1.5, st_mtime=10.999, st_ctime=3,
        st_ctime_ns=-1, st_blksize=2**17, st_blocks=2**40)
    pkt = bareosfd.StatPacket.from_stat(st)
    assert (pkt.st_dev, pkt.st_ino, pkt.st_nlink, pkt.st_uid, pkt.st_rdev) == (
        2**40 + 3, 2**64 - 1, 2**20, 2**32 - 2, 2**33)
    assert (pkt.st_size, pkt.st_blksize, pkt.st_blocks) == (5 * 2**30, 2**17, 2**40)
    # floats are floored, and the _ns field wins over the seconds field
    assert (pkt.st_atime, pkt.st_mtime, pkt.st_ctime) == (-2, 10, -1)


def test_from_stat_missing_fields_keep_defaults():
    pkt = bareosfd.StatPacket(types.SimpleNamespace(st_mode=0o40755, st_size=3))
    assert (pkt.st_mode, pkt.st_size, pkt.st_blksize, pkt.st_blocks) == (0o40755, 3, 4096, 1)
    assert abs(pkt.st_mtime - time.time()) < 5


def test_from_stat_checks_values():
    with pytest.raises(TypeError, match=r"StatPacket\.st_uid"):
        bareosfd.StatPacket.from_stat(types.SimpleNamespace(st_mode=0, st_uid="root"))


def test_stat_result_only_alone():
    # with other arguments, the first one is `dev` again, which must be an int
    with pytest.raises(TypeError, match=r"StatPacket\.st_dev"):
        bareosfd.StatPacket(os.stat("/"), 1)
    with pytest.raises(TypeError, match=r"StatPacket\.st_dev"):
        bareosfd.StatPacket(os.stat("/"), size=1)


def test_from_stat_on_subclass_returns_subclass():
    class MyStat(bareosfd.StatPacket):
        pass

    pkt = MyStat.from_stat(os.stat("/"))
    assert type(pkt) is MyStat and pkt.st_ino == os.stat("/").st_ino


# ---------------------------------------------------------------- constructors

@pytest.mark.parametrize("cls", CLASSES)
def test_constructor_keywords(cls):
    args = CONSTRUCTOR_ARGS[cls]
    pkt = _make(cls, **{keyword: value for keyword, _, value in args})
    assert {attr: getattr(pkt, attr) for _, attr, _ in args} == {
        attr: value for _, attr, value in args}


@pytest.mark.parametrize("cls", CLASSES)
def test_constructor_positional(cls):
    args = CONSTRUCTOR_ARGS[cls]
    pkt = _make(cls, *[value for _, _, value in args])
    assert {attr: getattr(pkt, attr) for _, attr, _ in args} == {
        attr: value for _, attr, value in args}


@pytest.mark.parametrize("cls", CLASSES)
def test_constructor_rejects_unknown_keyword_and_extra_argument(cls):
    with pytest.raises(TypeError, match="no_such_keyword"):
        _make(cls, no_such_keyword=1)
    with pytest.raises(TypeError):
        _make(cls, *[value for _, _, value in CONSTRUCTOR_ARGS[cls]], 0)


def test_save_packet_statp_is_not_a_keyword():
    with pytest.raises(TypeError, match="statp"):
        bareosfd.SavePacket(statp=bareosfd.StatPacket())


# ---------------------------------------------------------------- reprs

FLAGS_0_29_33 = bytearray(b"\x01\x00\x00\x20\x02")
FLAGS_0_29_33_TEXT = "1" + "0" * 28 + "1000" + "1"


@pytest.mark.parametrize("pkt, expected", [
    (bareosfd.StatPacket(atime=999, mtime=1000, ctime=1001),
     "StatPacket(dev=0, ino=0, mode=0700, nlink=0, uid=0, gid=0, rdev=0, "
     "size=18446744073709551615, atime=999, mtime=1000, ctime=1001, blksize=4096, blocks=1)"),
    (bareosfd.SavePacket(fname="testfilename"),
     'SavePacket(fname="testfilename", link="", type=0, flags=<NULL>, no_read=0, '
     'portable=0, accurate_found=0, cmd="(null)", save_time=0, delta_seq=0, '
     'object_name="", object="", object_len=0, object_index=0)'),
    (bareosfd.RestorePacket(),
     'RestorePacket(stream=0, data_stream=0, type=0, file_index=0, linkFI=0, uid=0, '
     'statp="<NULL>", attrEx="(null)", ofname="(null)", olname="(null)", where="(null)", '
     'RegexWhere="(null)", replace=0, create_status=0, original_file_name="(null)", '
     'original_link_name="(null)")'),
    (bareosfd.IoPacket(),
     'IoPacket(func=0, count=0, flags=0, mode=0000, buf="", fname="(null)", status=0, '
     'io_errno=0, lerror=0, whence=0, offset=0, win32=0, filedes=-1)'),
    (bareosfd.AclPacket(content=bytearray(b"Hello ACL")),
     'AclPacket(fname="(null)", content="Hello ACL")'),
    (bareosfd.XattrPacket(), 'XattrPacket(fname="(null)", name="", value="")'),
    (bareosfd.RestoreObject(),
     'RestoreObject(object_name="", object="", plugin_name="(null)", object_type=0, '
     'object_len=0, object_full_len=0, object_index=0, object_compression=0, '
     'stream=0, jobid=0)'),
], ids=CLASSES)
def test_spec_reprs(pkt, expected):
    assert repr(pkt) == expected
    assert str(pkt) == expected


def test_repr_stat_with_values():
    pkt = bareosfd.StatPacket(2**40, 2**64 - 1, stat.S_IFDIR | 0o4755, 2**20, 2**32 - 1,
                              5, 2**33, 5 * 2**30, -1, 0, 2**40, 512, 2**35)
    assert repr(pkt) == (
        "StatPacket(dev=1099511627776, ino=18446744073709551615, mode=4755, "
        "nlink=1048576, uid=4294967295, gid=5, rdev=8589934592, size=5368709120, "
        "atime=-1, mtime=0, ctime=1099511627776, blksize=512, blocks=34359738368)")


def test_repr_save_with_values():
    pkt = bareosfd.SavePacket("/f", "/l", 3, bytearray(FLAGS_0_29_33), True, False, True,
                              "python3:x", 2**32 - 2, 2**32 - 1, "on", bytearray(b"ab\0cd"),
                              5, 6)
    assert repr(pkt) == (
        f'SavePacket(fname="/f", link="/l", type=3, flags={FLAGS_0_29_33_TEXT}, '
        'no_read=1, portable=0, accurate_found=1, cmd="python3:x", save_time=4294967294, '
        'delta_seq=4294967295, object_name="on", object="ab", object_len=5, '
        'object_index=6)')


def test_repr_flags_bits():
    pkt = bareosfd.SavePacket(flags=bytearray(5))
    assert "flags=" + "0" * 34 + "," in repr(pkt)
    pkt.flags[0] = 0b10
    pkt.flags[4] = 0b11
    assert "flags=01" + "0" * 30 + "11," in repr(pkt)
    pkt.flags[:] = b"\xff" * 5  # bits above FO_MAX are not shown
    assert "flags=" + "1" * 34 + "," in repr(pkt)
    pkt.flags.append(0)  # resized in place behind the setter's back
    assert "flags=Unknown," in repr(pkt)


def test_repr_restore_with_values():
    statp = bareosfd.StatPacket(atime=1, mtime=2, ctime=3)
    pkt = bareosfd.RestorePacket(1, 2, 3, 4, 5, 2**32 - 1, statp, "ex", "/o", "/ol", "/w",
                                 "!a!b!", ord("w"), 4, 99, "/ofn", "/oln")
    assert repr(pkt) == (
        'RestorePacket(stream=1, data_stream=2, type=3, file_index=4, linkFI=5, '
        f'uid=4294967295, statp="{statp!r}", attrEx="ex", ofname="/o", olname="/ol", '
        'where="/w", RegexWhere="!a!b!", replace=119, create_status=4, '
        'original_file_name="/ofn", original_link_name="/oln")')


def test_repr_io_with_values():
    pkt = bareosfd.IoPacket(3, 4, 5, stat.S_IFREG | 0o644, bytearray(b"ab\xffc\0d"), "/f", 6, 7, 8,
                            9, -(2**40), True, 10)
    assert repr(pkt) == (
        'IoPacket(func=3, count=4, flags=5, mode=0644, buf="ab\ufffdc", fname="/f", '
        'status=6, io_errno=7, lerror=8, whence=9, offset=-1099511627776, win32=1, '
        'filedes=10)')


@pytest.mark.parametrize("buf, text", [
    (bytearray(b"abc"), "abc"), (bytearray(b"\0abc"), ""), (bytearray("é".encode()), "é"),
    # spec §2.5.1: a bytearray-typed attribute that is not a bytearray prints as ""
    (memoryview(b"xy\0z"), ""), (b"abc", ""), (array.array("B", b"arr"), ""), ("text", ""),
    (1, ""),
])
def test_repr_io_buffer_contents(buf, text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PacketValueWarning)
        pkt = bareosfd.IoPacket(buf=buf)
    assert f'buf="{text}",' in repr(pkt)


def test_repr_io_negative_mode_like_printf():
    assert "mode=37777607777," in repr(bareosfd.IoPacket(mode=-1))


@pytest.mark.parametrize("content, text", [
    (bytearray(b"Hello ACL"), "Hello ACL"), (bytearray(b"user::rw-\0junk"), "user::rw-"),
    (None, ""), (b"Hello ACL", ""),
])
def test_repr_acl(content, text):
    pkt = bareosfd.AclPacket("/f", content)
    assert repr(pkt) == f'AclPacket(fname="/f", content="{text}")'


@pytest.mark.parametrize("pkt, part", [
    (bareosfd.SavePacket(fname="a\0b", link="c\0d", object_name="e\0f"),
     'fname="a", link="c", '),
    (bareosfd.SavePacket(cmd="python3:x\0y"), 'cmd="python3:x", '),
    (bareosfd.RestorePacket(where="/w\0x"), 'where="/w", '),
    (bareosfd.RestoreObject("n\0m", plugin_name="p\0q"),
     'object_name="n", object="", plugin_name="p", '),
])
def test_repr_text_stops_at_nul_like_printf(pkt, part):
    assert part in repr(pkt)


def test_repr_shows_objects_of_another_type_as_empty_strings():
    """spec §2.5.1: a str-typed attribute that is not a str, and a
    bytearray-typed one that is not a bytearray, print as empty strings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PacketValueWarning)
        save = bareosfd.SavePacket(fname=b"/f", link=7, object_name=["n"], object="text",
                                   flags=bytes(5))
        restore_object = bareosfd.RestoreObject(object_name=1, object="text")
        restore = bareosfd.RestorePacket(statp="not a stat")
    assert 'fname="", link="", ' in repr(save)
    assert 'object_name="", object="", ' in repr(save)
    assert "flags=Unknown," in repr(save)
    assert repr(restore_object).startswith('RestoreObject(object_name="", object="", ')
    assert "statp=\"'not a stat'\"" in repr(restore)


def test_repr_xattr_and_restore_object_with_values():
    assert repr(bareosfd.XattrPacket("/f", bytearray(b"user.a\0b"), bytearray(b"v"))) == (
        'XattrPacket(fname="/f", name="user.a", value="v")')
    assert repr(bareosfd.XattrPacket("/f", b"user.a", b"v")) == (
        'XattrPacket(fname="/f", name="", value="")')
    pkt = bareosfd.RestoreObject("on", bytearray(b"data\0x"), "python3:m", 27, 4, 6, 1, 0,
                                 26, 2**32 - 1)
    assert repr(pkt) == (
        'RestoreObject(object_name="on", object="data", plugin_name="python3:m", '
        'object_type=27, object_len=4, object_full_len=6, object_index=1, '
        'object_compression=0, stream=26, jobid=4294967295)')


# ---------------------------------------------------------------- class properties

@pytest.mark.parametrize("cls", CLASSES)
def test_no_instance_dict(cls):
    pkt = _make(cls)
    assert not hasattr(pkt, "__dict__")
    with pytest.raises(AttributeError):
        pkt.undeclared = 1


@pytest.mark.parametrize("cls", CLASSES)
def test_class_is_defined_in_bareosfd_and_documented(cls):
    klass = getattr(bareosfd, cls)
    assert klass.__name__ == cls and klass.__module__ == "bareosfd"
    assert klass.__doc__ and klass.__doc__.strip()


@pytest.mark.parametrize("cls", CLASSES)
def test_subclass_can_add_attributes(cls):
    base = getattr(bareosfd, cls)

    class Sub(base):
        def __init__(self, *args, extra="x", **kwargs):
            super().__init__(*args, **kwargs)
            self.extra = extra

    kwargs = {keyword: value for keyword, _, value in CONSTRUCTOR_ARGS[cls]}
    pkt = Sub(extra="y", **kwargs)
    assert isinstance(pkt, base)
    assert pkt.extra == "y"
    assert repr(pkt) == repr(base(**kwargs))  # same format, same class name
    pkt.extra = "z"
    assert pkt.extra == "z"


def test_window_is_none_outside_a_daemon_call():
    """IoPacket.window reaches the daemon's block only during plugin_io (see fd/test_jobs)."""
    packet = bareosfd.IoPacket(func=bareosfd.IO_READ, count=10)
    assert packet.window is None
    with pytest.raises(AttributeError):
        packet.window = memoryview(bytearray(10))


def test_the_warning_categories_are_bareospy_names_not_bareosfd_ones():
    import bareospy
    assert bareospy.PacketValueWarning is PacketValueWarning
    assert issubclass(PacketValueWarning, BareospyWarning)
    assert issubclass(PacketValueWarning, RuntimeWarning)  # what the reference issues
    assert not any("Warning" in name for name in dir(bareosfd))
