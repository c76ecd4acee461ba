"""The legacy layer's Python side, in-process against the current modules and
a FakeCore (bareospy/legacy/): the facades drop ``context`` and reach the
same core, the consts modules hold the old dictionaries, StatPacket answers to
the old names, and the adapter passes one context per instance."""
import types

import pytest

bareosfd = pytest.importorskip("bareosfd")
from bareospy.legacy import _layer, events, fd  # noqa: E402
from bareospy.testing import FakeCore  # noqa: E402


@pytest.fixture
def facade():
    return fd.make_facade(bareosfd, fd.make_stat_class(bareosfd))


def test_facade_functions_take_context_and_reach_the_core(facade):
    fake = FakeCore(values={bareosfd.bVarJobId: 7})
    with fake.active():
        assert facade.GetValue(object(), bareosfd.bVarJobId) == 7
        facade.JobMessage("any context", bareosfd.M_INFO, "hello\n")
        facade.DebugMessage(None, 100, "debug\n")
    assert [text for text in fake.messages("M_INFO") if "hello" in text]
    assert any("debug" in message.text for message in fake.debug_messages)
    # the compiled wrappers push no frame: the message comes from this file
    assert [str(message.file).endswith("test_facade.py") for message in fake.job_messages
            if "hello" in message.text] == [True]
    with pytest.raises(TypeError):
        facade.GetValue(bareosfd.bVarJobId)  # the old API had context first: no var given


def test_facade_keeps_the_current_names_and_types(facade):
    assert facade.bRC_OK == bareosfd.bRC_OK
    assert facade.SavePacket is bareosfd.SavePacket
    assert issubclass(facade.StatPacket, bareosfd.StatPacket)
    assert facade.current is bareosfd
    assert facade.GetValue.__name__ == "GetValue"


def test_stat_packet_old_and_new_names(facade):
    statp = facade.StatPacket(mode=0o100644, mtime=100)
    assert (statp.mode, statp.mtime) == (0o100644, 100)
    statp.uid = 42
    assert statp.st_uid == 42
    current = bareosfd.StatPacket(mode=0o40755, atime=5)
    old = facade.StatPacket.legacy(current)
    assert (old.mode, old.atime, old.st_mode) == (0o40755, 5, 0o40755)
    assert facade.StatPacket.legacy(None) is None


def test_fd_consts_are_the_old_dictionaries():
    consts = fd.make_consts(bareosfd)
    assert consts.__name__ == "bareos_fd_consts"
    assert consts.bRCs["bRC_OK"] == 0 and consts.bRCs["bRC_More"] == bareosfd.bRC_More
    assert consts.bEventType["bEventJobEnd"] == bareosfd.bEventJobEnd
    assert consts.bLevels["L_FULL"] == "F"
    assert max(consts.bVariable.values()) == 19 and "bVarCheckChanges" not in consts.bVariable
    assert not hasattr(consts, "bIOPstatus")
    assert all(isinstance(key, str) for name in fd.CONSTS_DICTS
               for key in getattr(consts, name))


@pytest.mark.parametrize("module_name, consts_name, table, entry", [
    ("bareossd", "bareos_sd_consts", "bsdEventType", "bsdEventJobStart"),
    ("bareosdir", "bareos_dir_consts", "bDirEventType", "bDirEventJobStart"),
])
def test_events_consts(module_name, consts_name, table, entry):
    current = pytest.importorskip(module_name)
    names = events.DAEMONS[module_name][1]
    consts = _layer.make_consts(current, consts_name, names)
    assert getattr(consts, table)[entry] == getattr(current, entry)
    assert consts.bRCs["bRC_OK"] == 0


def test_adapter_passes_one_context_per_instance_and_hides_missing_functions():
    script = types.ModuleType("old_script")
    seen = []
    script.handle_plugin_event = lambda context, event: seen.append((context, event)) or 0
    script.create_file = lambda context, restorepkt: seen.append(restorepkt.statp.mode) or 0
    stat_class = fd.make_stat_class(bareosfd)
    prepare = {"create_file": lambda packet: setattr(
        packet, "statp", stat_class.legacy(packet.statp))}
    first = _layer.ScriptAdapter(script, fd.SCRIPT_FUNCTIONS, prepare)
    second = _layer.ScriptAdapter(script, fd.SCRIPT_FUNCTIONS, prepare)
    first.handle_plugin_event(1)
    first.handle_plugin_event(2)
    second.handle_plugin_event(3)
    assert [event for _, event in seen] == [1, 2, 3]
    assert seen[0][0] is seen[1][0] is first.context and seen[2][0] is second.context
    assert not hasattr(first, "plugin_io")          # the layer sees it missing
    packet = bareosfd.RestorePacket(statp=bareosfd.StatPacket(mode=0o100600))
    first.create_file(packet)
    assert seen[-1] == 0o100600
    # a function rebound in the script after loading is the one called
    script.handle_plugin_event = lambda context, event: 99
    assert first.handle_plugin_event(4) == 99


# What the 2.7 build of python-fd.so uses (a 2.7 script's str is bytes); both
# are plain Python/Cython, checked here on Python 3, end to end on 2.7 by
# test_legacy_py27.py.

def test_decoding_wrapper_gives_the_core_text_for_bytes():
    from bareospy.legacy._calls import dropping_context_decoding
    seen = []
    call = dropping_context_decoding(lambda *args: seen.append(args))
    call("context", b"/etc", 3, [b"a", "b"], (b"c",), bytearray(b"keep"))
    assert seen == [("/etc", 3, ["a", "b"], ("c",), bytearray(b"keep"))]
    with pytest.raises(UnicodeDecodeError):
        call("context", b"\xff")


def test_text_packet_decodes_bytes_of_text_members_only():
    packet = bareosfd.SavePacket()
    wrapped = _layer.TextPacket(packet)
    wrapped.fname = b"/tmp/f\xc3\xa9"          # fname wants a str
    assert packet.fname == "/tmp/f\u00e9"
    wrapped.no_read = True
    assert packet.no_read is True and wrapped.no_read is True
    io = bareosfd.IoPacket()
    _layer.TextPacket(io).buf = b"data"         # buf takes bytes as they are
    assert bytes(io.buf) == b"data"
    wrapped.object_name = b"name"
    wrapped.object = b"\xff\x00"              # object: bytes as they are
    assert (packet.object_name, packet.object) == ("name", b"\xff\x00")
