"""python3-sd.so and python3-dir.so driven as their daemons drive them
(tests/common/c/events_driver.c): loading and the §1.3 checks, instances per
instance=N and NewPluginOptions (§1.8, §4.6, §7.14), the §3.4 script
functions, and errors becoming job messages while the daemon goes on."""
from pathlib import Path

import pytest

pytestmark = pytest.mark.driver

SCRIPTS = Path(__file__).resolve().parent / "scripts"
MAGIC = {"sd": "*SDPluginData*", "dir": "*DirPluginData*"}
NEW_OPTIONS = {"sd": 22, "dir": 11}
JOB_END = 2
M_FATAL, M_ERROR = 3, 4
TRACEBACK_PREFIX = {"sd": "", "dir": "bareosdir: "}

daemons = pytest.mark.parametrize("daemon", ["sd", "dir"])


def recorder(driver, daemon, **options):
    return driver.options(daemon, "bpy_events", module_path=SCRIPTS, daemon=daemon, **options)


@daemons
def test_loads_with_the_daemons_abi(events_driver, daemon):
    run = events_driver.run(daemon)
    loaded = next(line for line in run.lines if "loaded" in line)
    assert (loaded["magic"], loaded["version"], loaded["license"]) == (MAGIC[daemon], 4, "Bareos AGPLv3")
    assert "instance=" in loaded["usage"]
    assert run.calls("newPlugin") == [{"call": "newPlugin", "instance": 0, "rc": 0}]
    assert run.core("registerBareosEvents") == [
        {"core": "registerBareosEvents", "instance": 0, "event": NEW_OPTIONS[daemon]}]
    assert run.calls("freePlugin", rc=0)


@pytest.mark.parametrize("daemon, other", [("sd", "dir"), ("dir", "sd"), ("sd", "fd"), ("dir", "fd")])
def test_another_daemons_plugin_is_refused(events_driver, daemon, other):
    run = events_driver.run(daemon, plugin=events_driver.plugin(other), check=False)
    assert run.returncode == 2, run.describe()
    refused = run.lines[-1]
    assert (refused["refused"], refused["stage"]) == ("wrong plugin_magic", "compat"), run.describe()


@daemons
def test_new_plugin_options_load_the_script_once(events_driver, daemon):
    options = recorder(events_driver, daemon, key="v")
    run = events_driver.run(daemon, "options", options, "options", options + ":more=1")
    leftover = f"daemon={daemon}:key=v:"
    assert run.traces() == [["load", leftover], ["parse", leftover],
                            ["parse", leftover + "more=1:"]]
    assert run.events() == [(0, NEW_OPTIONS[daemon], 0), (0, NEW_OPTIONS[daemon], 0)]


@daemons
def test_a_load_that_does_not_answer_ok_skips_parse(events_driver, daemon):
    run = events_driver.run(daemon, "options", recorder(events_driver, daemon, load_rc=1, events=3),
                            "event", 3)
    assert [trace[0] for trace in run.traces()] == ["load", "event"]
    assert run.events()[0] == (0, NEW_OPTIONS[daemon], 1)


@daemons
def test_instance_n_gets_its_own_instance_and_script(events_driver, daemon):
    run = events_driver.run(
        daemon,
        "options", recorder(events_driver, daemon, events="1,2", tag="zero"),
        "options", recorder(events_driver, daemon, events="1", tag="one", instance=1),
        "options", recorder(events_driver, daemon, tag="one-again", INSTANCE=1),
        "event", 1)
    assert [line["instance"] for line in run.calls("newPlugin")] == [0, 1]
    # Each instance loads the script itself: its module globals are its own.
    loads = [trace[1] for trace in run.traces() if trace[0] == "load"]
    assert loads == [f"daemon={daemon}:events=1,2:tag=zero:",
                     f"daemon={daemon}:events=1:tag=one:"]
    # events in load order, JobEnd only to the instance that registered it
    assert [(i, e) for i, e, _ in run.events() if e != NEW_OPTIONS[daemon]] == [
        (0, 1), (1, 1), (0, JOB_END)]
    assert [line["instance"] for line in run.calls("freePlugin", rc=0)] == [0, 1]


@daemons
def test_an_instance_above_127_is_refused_by_the_core(events_driver, daemon):
    run = events_driver.run(daemon, "options", recorder(events_driver, daemon, instance=128))
    assert [line["instance"] for line in run.calls("newPlugin")] == [0]
    assert run.traces() == []


@daemons
def test_options_without_module_name_are_a_fatal_message(events_driver, daemon):
    run = events_driver.run(daemon, "options", "python3:key=value")
    assert run.events() == [(0, NEW_OPTIONS[daemon], 2)]
    assert run.job_messages(M_FATAL) == [
        f"python3-{daemon}: no module_name in the plugin definition python3:key=value\n"]


@pytest.mark.parametrize("options, message", [
    ("python3:module_name", "Illegal argument 'module_name' without value"),
    ("python3:module_name=x:=y", "Options without key are not allowed"),
    ("python3:instance=one:module_name=x", "Illegal instance 'one' (not an integer)"),
])
@daemons
def test_the_option_parser_reports_errors(events_driver, daemon, options, message):
    run = events_driver.run(daemon, "options", options)
    assert run.events() == [(0, NEW_OPTIONS[daemon], 2)]
    assert run.job_messages(M_FATAL) == [f"python3-{daemon}: {message}\n"]


@daemons
def test_escaped_colons_stay_in_values(events_driver, daemon):
    run = events_driver.run(daemon, "options", recorder(events_driver, daemon) + r":path=a\:b")
    assert run.traces()[0] == ["load", f"daemon={daemon}:" + r"path=a\:b:"]


@daemons
def test_an_exception_is_a_fatal_message_with_traceback_and_stops_the_event(events_driver, daemon):
    run = events_driver.run(
        daemon,
        "options", recorder(events_driver, daemon, events="5", raise_on=5),
        "options", recorder(events_driver, daemon, events="5", instance=1),
        "event", 5, "event", 5)
    assert [(i, rc) for i, e, rc in run.events() if e == 5] == [(0, 2), (0, 2)]
    fatal = run.job_messages(M_FATAL)
    assert len(fatal) == 2
    assert fatal[0].startswith(TRACEBACK_PREFIX[daemon] + "Traceback (most recent call last):")
    assert "bpy_events.py" in fatal[0] and fatal[0].endswith("ValueError: refusing event 5\n")
    assert {"driver": "stopped", "event": 5} in run.lines


@daemons
def test_a_return_value_that_is_not_a_brc_is_an_error(events_driver, daemon):
    run = events_driver.run(daemon, "options", recorder(events_driver, daemon, events="4", bad_return=4),
                            "event", 4)
    assert (0, 4, 2) in run.events()
    assert run.job_messages(M_ERROR) == [
        f"python3-{daemon}: handle_plugin_event() returned 'yes' (str), not a bRC return code\n"]


@daemons
def test_a_missing_script_is_reported_and_the_daemon_goes_on(events_driver, daemon):
    options = events_driver.options(daemon, "no_such_script", module_path=SCRIPTS)
    run = events_driver.run(daemon, "options", options, "options", recorder(events_driver, daemon))
    fatal = run.job_messages(M_FATAL)
    assert fatal[0].startswith(f"python3-{daemon}: cannot load the plugin script 'no_such_script'")
    assert "ModuleNotFoundError" in fatal[1]
    assert run.events()[0] == (0, NEW_OPTIONS[daemon], 2)


@daemons
def test_a_script_without_handle_plugin_event_answers_error(events_driver, daemon, tmp_path):
    (tmp_path / "bpy_bare.py").write_text(
        f"import bareos{daemon}\n"
        "def load_bareos_plugin(defs):\n"
        f"    bareos{daemon}.RegisterEvents([1])\n"
        "    return 0\n")
    run = events_driver.run(daemon, "options",
                            events_driver.options(daemon, "bpy_bare", module_path=tmp_path),
                            "event", 1)
    assert run.events() == [(0, NEW_OPTIONS[daemon], 2), (0, 1, 2)]
    assert run.job_messages() == []


@daemons
def test_concurrent_jobs_each_reach_their_own_instance(events_driver, daemon):
    run = events_driver.run(
        daemon,
        "options", recorder(events_driver, daemon, events="5", tag="zero"),
        "options", recorder(events_driver, daemon, events="5", tag="one", instance=1),
        "options", recorder(events_driver, daemon, events="5", tag="two", instance=2),
        "concurrent", 5)
    for instance in (0, 1, 2):
        assert run.events(instance).count((instance, 5, 0)) == 100
    # Each trace reaches the core with the context of the instance whose script made it.
    tags = {}
    for line in run.core("DebugMessage", level=400):
        what = line["text"].partition("TRACE ")[2]
        if what.startswith('["event"'):
            tags.setdefault(line["instance"], set()).add(what.split('"')[-2])
    assert tags == {0: {"zero"}, 1: {"one"}, 2: {"two"}}
