"""bareossd and bareosdir in-process: what the two modules share (spec §2.7,
§2.8): str-keyed dictionaries, the seven functions under a fake core, their
message format, event filters and errors outside an instance."""
import pytest

import bareosdir
import bareosfd
import bareossd
from bareospy.testing import FakeCore

MODULES = {"sd": bareossd, "dir": bareosdir}
DICTIONARIES = {
    "sd": ["bRCs", "bJobMessageType", "bsdVariable", "bsdwVariable", "bsdEventType"],
    "dir": ["bRCs", "bJobMessageType", "bDirVariable", "bwDirVariable", "bDirEventType"],
}
# (last event a script may register, the NewPluginOptions event)
EVENT_RANGE = {"sd": (24, 22), "dir": (10, 11)}
FUNCTIONS = ["GetValue", "SetValue", "DebugMessage", "JobMessage", "RegisterEvents",
             "UnRegisterEvents", "GetInstanceCount"]

daemons = pytest.mark.parametrize("daemon", ["sd", "dir"])


@pytest.fixture
def active(daemon):
    """(module, core) with a fake core of ``daemon`` active."""
    core = FakeCore(daemon=daemon)
    with core.active():
        yield MODULES[daemon], core


@daemons
def test_docstring_names_the_daemon(daemon):
    word = {"sd": "storage", "dir": "director"}[daemon]
    assert MODULES[daemon].__doc__.startswith(
        f"This module allows you to interact with the bareos {word} daemon")


@daemons
def test_dictionaries_have_str_keys_and_match_the_attributes(daemon):
    module = MODULES[daemon]
    for name in DICTIONARIES[daemon]:
        table = getattr(module, name)
        assert table, name
        for key, value in table.items():
            assert type(key) is str, (name, key)
            assert getattr(module, key) == value, (name, key)


@daemons
def test_return_codes_and_message_types_are_bareosfds(daemon):
    module = MODULES[daemon]
    assert module.bRCs == {key.decode(): value for key, value in bareosfd.bRCs.items()}
    assert module.bJobMessageType == {
        key.decode(): value for key, value in bareosfd.bJobMessageType.items()}


@daemons
@pytest.mark.parametrize("function", FUNCTIONS)
def test_functions_outside_an_instance_raise(daemon, function):
    module = MODULES[daemon]
    args = {"GetValue": (1,), "SetValue": (3, 1), "DebugMessage": (1, "x"),
            "JobMessage": (1, "x"), "RegisterEvents": ([1],), "UnRegisterEvents": ([1],),
            "GetInstanceCount": ()}[function]
    with pytest.raises(RuntimeError, match=rf"bareos{daemon}\.{function}\(\): plugin_ctx is unset"):
        getattr(module, function)(*args)


@daemons
def test_messages_are_the_text_plus_a_newline(daemon, active):
    module, core = active
    module.JobMessage(module.M_INFO, "volume ok")
    module.DebugMessage(200, "detail")
    assert [(m.type, m.text) for m in core.job_messages] == [(module.M_INFO, "volume ok\n")]
    assert [(m.level, m.text) for m in core.debug_messages] == [(200, "detail\n")]
    assert core.job_messages[0].file.endswith("test_event_modules.py")


@daemons
def test_message_without_text_sends_nothing(daemon, active):
    module, core = active
    assert module.JobMessage(module.M_INFO) is None
    assert core.job_messages == []


@daemons
def test_register_events_keeps_the_scripts_range(daemon, active):
    module, core = active
    last, new_options = EVENT_RANGE[daemon]
    assert module.RegisterEvents([0, 1, last, last + 1]) == module.bRC_OK
    assert core.events == {1, last}
    assert module.RegisterEvents([last + 1, 99]) == module.bRC_Error
    if daemon == "dir":
        module.RegisterEvents([new_options])
        assert new_options not in core.events


@daemons
def test_unregister_stops_at_the_first_failure(daemon, active):
    module, core = active
    core.results["UnRegisterEvents"] = module.bRC_Error
    assert module.UnRegisterEvents([1, 2, 3]) == module.bRC_Error
    assert core.event_calls == [("UnRegisterEvents", 1)]


@daemons
def test_register_events_rejects_what_is_not_an_int(daemon, active):
    module, _ = active
    with pytest.raises(TypeError, match="event #1 must be an int"):
        module.RegisterEvents([1, "2"])


@daemons
def test_instance_count(daemon):
    core = FakeCore(daemon=daemon, instance_count=3)
    with core.active():
        assert MODULES[daemon].GetInstanceCount() == 3
    core.instance_count = None
    with core.active():
        assert MODULES[daemon].GetInstanceCount() is None


@daemons
def test_set_value_forwards_only_non_negative_numbers(daemon, active):
    module, core = active
    prefix = {"sd": "bsdw", "dir": "bwDir"}[daemon]
    priority = getattr(module, f"{prefix}VarPriority")
    level = getattr(module, f"{prefix}VarJobLevel")
    assert module.SetValue(priority, 7) == module.bRC_OK
    assert module.SetValue(level, ord("I")) == module.bRC_OK
    assert module.SetValue(priority, -1) == module.bRC_Error
    assert core.set_value_calls == [(priority, 7), (level, ord("I"))]


@daemons
def test_set_value_of_the_volume_name_passes_the_string(daemon, active):
    module, core = active
    name = getattr(module, {"sd": "bsdwVarVolumeName", "dir": "bwDirVarVolumeName"}[daemon])
    assert module.SetValue(name, "Vol-0007") == module.bRC_OK
    assert core.set_value_calls == [(name, "Vol-0007")]
    with pytest.raises(TypeError, match="must be a str"):
        module.SetValue(name, 7)


@daemons
def test_set_value_job_report_is_accepted_and_dropped(daemon, active):
    module, core = active
    report = getattr(module, {"sd": "bsdwVarJobReport", "dir": "bwDirVarJobReport"}[daemon])
    assert module.SetValue(report, "anything") == module.bRC_OK
    assert core.set_value_calls == []


@daemons
def test_set_value_of_an_unknown_variable_is_an_error(daemon, active):
    module, core = active
    assert module.SetValue(99, 1) == module.bRC_Error
    assert "SetValue(): variable 99 cannot be set\n" in [m.text for m in core.debug_messages]


@daemons
def test_get_value_of_an_unknown_variable_is_none(daemon, active):
    module, core = active
    assert module.GetValue(99) is None
    assert "GetValue(): unknown variable 99\n" in [m.text for m in core.debug_messages]


@daemons
def test_get_value_is_none_when_the_core_has_no_value(daemon):
    module = MODULES[daemon]
    pool = getattr(module, {"sd": "bsdVarPool", "dir": "bDirVarPool"}[daemon])
    core = FakeCore(daemon=daemon)
    del core.values[pool]
    with core.active():
        assert module.GetValue(pool) is None


@daemons
def test_the_capsule_is_named_after_the_module(daemon):
    capsule = MODULES[daemon]._C_API
    assert f'"bareos{daemon}._C_API"' in repr(capsule)


def test_an_unknown_daemon_is_refused():
    with pytest.raises(ValueError, match="unknown daemon"):
        FakeCore(daemon="tape")


@daemons
@pytest.mark.parametrize("options, known, leftover", [
    ("python3:module_name=a:k=v", {"module_name": "a"}, "k=v:"),
    ("python3:MODULE_NAME=a:Module_Path=/p:module_name=b", {"module_name": "b", "module_path": "/p"}, ""),
    (r"python3:module_path=/a\:b:x=1\:2", {"module_path": "/a:b"}, r"x=1\:2:"),
    ("python3:instance=3:module_name=m", {"instance": 3, "module_name": "m"}, ""),
    ("python3:", {}, ""),
    ("python3:module_names=x", {}, "module_names=x:"),
])
def test_the_option_parser(daemon, options, known, leftover):
    found = {}
    assert MODULES[daemon]._parse_options(options, found) == leftover
    assert found == known
