"""The core callbacks of bareosfd (spec §2.2, §2.3): through a fake core, and outside one."""
import os
import sys
import threading

import pytest

import bareosfd
from bareospy.testing import FakeCore

OK, ERROR = bareosfd.bRC_OK, bareosfd.bRC_Error

# One valid call per function: (name, positional arguments).
VALID_CALLS = [
    ("GetValue", (bareosfd.bVarJobId,)),
    ("SetValue", (bareosfd.bVarSinceTime, 5)),
    ("DebugMessage", (100, "x")),
    ("JobMessage", (bareosfd.M_INFO, "x")),
    ("RegisterEvents", ([bareosfd.bEventJobEnd],)),
    ("UnRegisterEvents", ([bareosfd.bEventJobEnd],)),
    ("GetInstanceCount", ()),
    ("AddExclude", ("/tmp",)),
    ("AddInclude", ("/tmp",)),
    ("AddOptions", ("M",)),
    ("AddRegex", ("a.*", ord("F"))),
    ("AddWild", ("*.c", ord("B"))),
    ("NewOptions", ()),
    ("NewInclude", ()),
    ("NewPreInclude", ()),
    ("CheckChanges", (bareosfd.SavePacket(fname="/x"),)),
    ("AcceptFile", (bareosfd.SavePacket(fname="/x"),)),
    ("SetSeenBitmap", (True,)),
    ("ClearSeenBitmap", (False, "/x")),
]


@pytest.mark.parametrize("name,args", VALID_CALLS, ids=[c[0] for c in VALID_CALLS])
def test_outside_an_instance_every_function_raises_runtime_error_naming_itself(name, args):
    with pytest.raises(RuntimeError, match=rf"bareosfd\.{name}\(\).*plugin_ctx is unset"):
        getattr(bareosfd, name)(*args)


# The name of each function's last parameter, as the documentation gives it.
LAST_PARAMETER = {"GetValue": "var", "SetValue": "value", "DebugMessage": "msg",
                  "JobMessage": "msg", "RegisterEvents": "events",
                  "UnRegisterEvents": "events", "AddExclude": "file", "AddInclude": "file",
                  "AddOptions": "opts", "AddRegex": "type", "AddWild": "type",
                  "CheckChanges": "savepkt", "AcceptFile": "savepkt",
                  "SetSeenBitmap": "all", "ClearSeenBitmap": "fname"}


@pytest.mark.parametrize("name,args", [c for c in VALID_CALLS if c[1]], ids=[c[0] for c in VALID_CALLS if c[1]])
def test_keyword_arguments_are_refused_as_by_the_reference(name, args, core):
    function = getattr(bareosfd, name)
    function(*args)  # positionally it works
    with pytest.raises(TypeError):
        function(*args[:-1], **{LAST_PARAMETER[name]: args[-1]})


@pytest.mark.parametrize("call", [
    lambda: bareosfd.GetValue("1"),
    lambda: bareosfd.GetValue(1.5),
    lambda: bareosfd.DebugMessage("100", "x"),
    lambda: bareosfd.DebugMessage(100, b"bytes"),
    lambda: bareosfd.JobMessage(bareosfd.M_INFO, 42),
    lambda: bareosfd.RegisterEvents(3),
    lambda: bareosfd.RegisterEvents([1, "2"]),
    lambda: bareosfd.RegisterEvents([1.0]),
    lambda: bareosfd.AddExclude(b"/tmp"),
    lambda: bareosfd.AddRegex("x", "F"),
    lambda: bareosfd.CheckChanges("not a packet"),
    lambda: bareosfd.AcceptFile(None),
    lambda: bareosfd.SetValue(bareosfd.bVarFileSeen, 42),
    lambda: bareosfd.SetSeenBitmap(True, 42),
])
def test_bad_arguments_raise_type_error_inside_and_outside_an_instance(call):
    with pytest.raises(TypeError):
        call()
    with FakeCore().active():
        with pytest.raises(TypeError):
            call()


def test_debug_message_reaches_the_core_with_prefix_level_and_caller(core):
    assert bareosfd.DebugMessage(200, "hello\n") is None
    (message,) = core.debug_messages
    assert message.level == 200
    assert message.text == "python3-fd-mod: hello\n"
    assert message.file == __file__
    assert message.line > 0


def test_message_text_is_never_used_as_a_format_string(core):
    bareosfd.JobMessage(bareosfd.M_WARNING, "100%s done %d %n")
    assert core.job_messages[-1].text == "python3-fd-mod: 100%s done %d %n"
    assert core.job_messages[-1].type == bareosfd.M_WARNING


def test_a_none_message_sends_nothing(core):
    assert bareosfd.JobMessage(bareosfd.M_INFO) is None
    assert bareosfd.DebugMessage(1, None) is None
    assert core.job_messages == [] and core.debug_messages == []


def test_undecodable_bytes_in_messages_survive_as_surrogates(core):
    name = os.fsdecode(b"caf\xe9")
    bareosfd.JobMessage(bareosfd.M_INFO, name)
    assert core.job_messages[-1].text == "python3-fd-mod: " + name


def test_register_events_sets_bits_skipping_out_of_range_numbers(core):
    assert bareosfd.RegisterEvents([bareosfd.bEventJobEnd, 0, 32, bareosfd.bEventHandleBackupFile]) == OK
    assert core.events == {bareosfd.bEventJobEnd, bareosfd.bEventHandleBackupFile}
    assert bareosfd.RegisterEvents((bareosfd.bEventVssBackupComplete,)) == OK
    assert bareosfd.bEventVssBackupComplete in core.events


def test_register_events_with_nothing_registrable_is_an_error(core):
    assert bareosfd.RegisterEvents([]) == ERROR
    assert bareosfd.RegisterEvents([99]) == ERROR
    assert core.event_calls == []


def test_register_events_stops_at_the_first_failure(core):
    core.results["RegisterEvents"] = ERROR
    assert bareosfd.RegisterEvents([1, 2, 3]) == ERROR
    assert core.event_calls == [("RegisterEvents", 1)]


def test_unregister_events_tries_every_event(core):
    bareosfd.RegisterEvents([1, 2, 3])
    core.results["UnRegisterEvents"] = ERROR
    assert bareosfd.UnRegisterEvents([1, 3]) == ERROR
    assert [c for c in core.event_calls if c[0] == "UnRegisterEvents"] == [
        ("UnRegisterEvents", 1), ("UnRegisterEvents", 3)]
    assert core.events == {2}


def test_get_instance_count_returns_the_core_answer(core):
    core.instance_count = 3
    assert bareosfd.GetInstanceCount() == 3
    core.instance_count = None
    assert bareosfd.GetInstanceCount() is None


STRING_VARIABLES = ["bVarFDName", "bVarWorkingDir", "bVarUsedConfig", "bVarExePath",
                    "bVarVersion", "bVarClient", "bVarJobName", "bVarPrevJobName",
                    "bVarWhere", "bVarRegexWhere"]
INT_VARIABLES = ["bVarJobId", "bVarLevel", "bVarType", "bVarJobStatus", "bVarAccurate",
                 "bVarPrefixLinks"]


@pytest.mark.parametrize("name", STRING_VARIABLES)
def test_get_value_of_a_string_variable_is_a_str(name):
    var = getattr(bareosfd, name)
    with FakeCore(values={var: "välue/" + name}).active():
        assert bareosfd.GetValue(var) == "välue/" + name


@pytest.mark.parametrize("name", INT_VARIABLES)
def test_get_value_of_an_int_variable_is_an_int(name):
    var = getattr(bareosfd, name)
    with FakeCore(values={var: -7 if name == "bVarJobStatus" else 70}).active():
        value = bareosfd.GetValue(var)
    assert type(value) is int and value == (-7 if name == "bVarJobStatus" else 70)


def test_get_value_of_level_works_with_chr_as_the_base_classes_use_it():
    with FakeCore(values={bareosfd.bVarLevel: ord("I")}).active():
        assert chr(bareosfd.GetValue(bareosfd.bVarLevel)) == "I"


def test_get_value_answers_none_when_the_core_has_no_value():
    with FakeCore(values={bareosfd.bVarWhere: None}).active():
        assert bareosfd.GetValue(bareosfd.bVarWhere) is None


def test_undecodable_core_strings_come_back_as_surrogates():
    path = os.fsdecode(b"/srv/\xff\xfe")
    with FakeCore(values={bareosfd.bVarWhere: path}).active():
        assert bareosfd.GetValue(bareosfd.bVarWhere) == path


def test_check_changes_flag_is_a_bool_and_set_value_switches_it(core):
    assert bareosfd.GetValue(bareosfd.bVarCheckChanges) is True
    assert bareosfd.SetValue(bareosfd.bVarCheckChanges, False) == OK
    assert bareosfd.GetValue(bareosfd.bVarCheckChanges) is False
    assert bareosfd.SetValue(bareosfd.bVarCheckChanges, 1) == OK  # only True enables
    assert bareosfd.GetValue(bareosfd.bVarCheckChanges) is False
    bareosfd.SetValue(bareosfd.bVarCheckChanges, True)
    assert core.set_value_calls == [(20, False), (20, False), (20, True)]


def test_accurate_options_come_back_as_a_frozenset_of_the_set_bits():
    bits = bareosfd.bAccurateOptionMtime | bareosfd.bAccurateOptionSize | bareosfd.bAccurateOptionSha1
    with FakeCore(values={bareosfd.bVarAccurateOptions: bits}).active():
        value = bareosfd.GetValue(bareosfd.bVarAccurateOptions)
    assert value == frozenset({128, 32, 4096}) and type(value) is frozenset


def test_since_time_is_the_instances_own_copy(core):
    assert bareosfd.GetValue(bareosfd.bVarSinceTime) == 0
    assert bareosfd.SetValue(bareosfd.bVarSinceTime, 1700000000) == OK
    assert bareosfd.GetValue(bareosfd.bVarSinceTime) == 1700000000
    with FakeCore().active():  # another instance has its own copy
        assert bareosfd.GetValue(bareosfd.bVarSinceTime) == 0


@pytest.mark.parametrize("var", [bareosfd.bVarFileSeen, bareosfd.bVarVssClient,
                                 bareosfd.bVarDistName, 22, 99, -1])
def test_valueless_and_unknown_variables_give_none(var, core):
    assert bareosfd.GetValue(var) is None


def test_unknown_variable_is_reported_at_debug_level(core):
    bareosfd.GetValue(99)
    assert any("99" in m.text for m in core.debug_messages)


def test_set_value_file_seen_passes_the_path(core):
    assert bareosfd.SetValue(bareosfd.bVarFileSeen, "/etc/passwd") == OK
    assert core.set_value_calls == [(bareosfd.bVarFileSeen, "/etc/passwd")]
    core.results["SetValue"] = ERROR
    assert bareosfd.SetValue(bareosfd.bVarFileSeen, "/etc/x") == ERROR


@pytest.mark.parametrize("var", [bareosfd.bVarJobId, bareosfd.bVarLevel, 99])
def test_set_value_of_other_variables_is_an_error(var, core):
    assert bareosfd.SetValue(var, 1) == ERROR
    assert core.set_value_calls == []


FILESET_CALLS = [
    ("AddExclude", ("/var/tmp",), ("/var/tmp", 0)),
    ("AddInclude", ("/home",), ("/home", 0)),
    ("AddOptions", ("ei",), ("ei", 0)),
    ("AddRegex", (r".*\.o$", ord("F")), (r".*\.o$", ord("F"))),
    ("AddRegex", ("x",), ("x", ord(" "))),
    ("AddWild", ("*.tmp", ord("B")), ("*.tmp", ord("B"))),
    ("AddWild", ("*.tmp",), ("*.tmp", ord(" "))),
    ("NewOptions", (), (None, 0)),
    ("NewInclude", (), (None, 0)),
    ("NewPreInclude", (), (None, 0)),
]


@pytest.mark.parametrize("name,args,received", FILESET_CALLS)
def test_fileset_calls_reach_the_core_intact_and_return_its_answer(name, args, received, core):
    assert getattr(bareosfd, name)(*args) == OK
    assert core.fileset_calls == [(name,) + received]
    core.results[name] = bareosfd.bRC_Skip
    assert getattr(bareosfd, name)(*args) == bareosfd.bRC_Skip


@pytest.mark.parametrize("name", ["AddExclude", "AddInclude", "AddOptions", "AddRegex", "AddWild"])
def test_fileset_calls_without_an_item_are_errors_that_never_reach_the_core(name, core):
    assert getattr(bareosfd, name)() == ERROR
    assert getattr(bareosfd, name)(None) == ERROR
    assert core.fileset_calls == []


def make_save_packet(**fields):
    packet = bareosfd.SavePacket(fname="/data/f", link="/data/l", type=bareosfd.FT_REG)
    packet.statp = bareosfd.StatPacket(mode=0o100644, size=5 * 2**30, mtime=1000, ctime=1001)
    for name, value in fields.items():
        setattr(packet, name, value)
    return packet


def test_check_changes_sends_the_packet_and_writes_back_the_answer():
    class Core(FakeCore):
        def check_changes(self, info):
            return bareosfd.bRC_Seen, 7, True

    core = Core()
    packet = make_save_packet(save_time=999)
    with core.active():
        assert bareosfd.CheckChanges(packet) == bareosfd.bRC_Seen
    (name, info), = core.queries
    assert name == "CheckChanges"
    assert (info["fname"], info["link"], info["type"], info["save_time"]) == ("/data/f", "/data/l", bareosfd.FT_REG, 999)
    assert (info["st_mode"], info["st_size"], info["st_mtime"]) == (0o100644, 5 * 2**30, 1000)
    assert packet.delta_seq == 7 and packet.accurate_found is True


def test_check_changes_without_a_str_fname_is_an_error_without_exception(core):
    assert bareosfd.CheckChanges(bareosfd.SavePacket()) == ERROR
    assert core.queries == []


def test_accept_file_returns_the_core_verdict():
    class Core(FakeCore):
        def accept_file(self, info):
            return bareosfd.bRC_Skip if info["fname"].endswith(".o") else OK

    with Core().active():
        assert bareosfd.AcceptFile(make_save_packet()) == OK
        assert bareosfd.AcceptFile(make_save_packet(fname="/x.o")) == bareosfd.bRC_Skip


def test_accept_file_needs_fname_and_statp(core):
    assert bareosfd.AcceptFile(bareosfd.SavePacket(fname="/x")) == ERROR
    assert bareosfd.AcceptFile(make_save_packet(fname=None)) == ERROR
    assert core.queries == []


def test_seen_bitmap_calls_reach_the_core(core):
    assert bareosfd.SetSeenBitmap(True) == OK
    assert bareosfd.SetSeenBitmap(False, "/etc/hosts") == OK
    assert bareosfd.ClearSeenBitmap(1, None) == OK
    assert [tuple(c) for c in core.seen_calls] == [
        (False, True, None), (False, False, "/etc/hosts"), (True, True, None)]
    core.results["ClearSeenBitmap"] = ERROR
    assert bareosfd.ClearSeenBitmap(False, "/x") == ERROR


def test_a_thread_the_script_starts_has_no_context(core):
    errors = []

    def worker():
        try:
            bareosfd.JobMessage(bareosfd.M_INFO, "from a thread")
        except RuntimeError as error:
            errors.append(error)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert len(errors) == 1 and "plugin_ctx is unset" in str(errors[0])
    assert core.job_messages == []


def test_leaving_the_core_makes_functions_fail_again():
    with FakeCore().active():
        bareosfd.GetInstanceCount()
    with pytest.raises(RuntimeError):
        bareosfd.GetInstanceCount()
