"""python3-sd.so in a storage daemon's place (tests/common/c/events_driver.c):
the §7.14 event sequence and the results that fail a step, GetValue and
SetValue of every variable with the C types of §1.7, and the §8.5 class
plugin's shape running unmodified."""
from pathlib import Path

import pytest

# Numbers, not the bareossd module: the sanitizer run (tox -e asan) builds
# bareossd with ASan, which only the driver may load.
pytestmark = pytest.mark.driver

COMMON_SCRIPTS = Path(__file__).resolve().parents[1] / "common" / "scripts"
# A backup job's events in the order a storage daemon sends them (JobEnd last,
# sent by the driver when the job ends).
SEQUENCE = ["JobStart", "DeviceInit", "DeviceReserve", "DeviceOpen", "DeviceMount",
            "VolumeLoad", "LabelRead", "LabelVerified", "LabelWrite",
            "SetupRecordTranslation", "WriteRecordTranslation", "VolumeStatus", "WriteError",
            "VolumeUnload", "DeviceUnmount", "DeviceClose", "DeviceRelease"]
# What GetValue reads, as the core writes it (§1.7); the driver writes these.
VALUES = {1: "BackupJob", 2: ord("F"), 3: ord("B"), 4: 42, 5: "client-fd", 6: "Full",
          7: "Backup", 8: "FileStorage", 9: "File", 10: "BackupJob.2026-12-06_03.00.00_07",
          11: ord("R"), 12: "Full-0003", 13: -1, 14: 2000, 15: 2**33 + 1}


def recorder(driver, **options):
    return driver.options("sd", "bpy_events", module_path=COMMON_SCRIPTS, daemon="sd", **options)


EVENT_NUMBERS = {"JobStart": 1, "JobEnd": 2, "DeviceInit": 3, "DeviceMount": 4, "VolumeLoad": 5,
                 "DeviceReserve": 6, "DeviceOpen": 7, "LabelRead": 8, "LabelVerified": 9,
                 "LabelWrite": 10, "DeviceClose": 11, "VolumeUnload": 12, "DeviceUnmount": 13,
                 "WriteError": 15, "VolumeStatus": 17, "SetupRecordTranslation": 18,
                 "WriteRecordTranslation": 20, "DeviceRelease": 21}
bRC_Error = 2


def number(name):
    return EVENT_NUMBERS[name]


def test_every_event_reaches_the_script_in_the_daemons_order(events_driver):
    events = ",".join(str(number(name)) for name in SEQUENCE + ["JobEnd"])
    commands = ["options", recorder(events_driver, events=events)]
    for name in SEQUENCE:
        commands += ["event", number(name)]
    run = events_driver.run("sd", *commands)
    assert [trace[1] for trace in run.traces() if trace[0] == "event"] == [
        number(name) for name in SEQUENCE + ["JobEnd"]]


@pytest.mark.parametrize("refused", ["DeviceOpen", "LabelWrite", "VolumeLoad"])
def test_a_refused_step_answers_the_scripts_result_and_stops_the_event(events_driver, refused):
    event = number(refused)
    run = events_driver.run(
        "sd",
        "options", recorder(events_driver, events=event, answer=f"{event}/{bRC_Error}"),
        "options", recorder(events_driver, events=event, instance=1),
        "event", event)
    assert [(i, rc) for i, e, rc in run.events() if e == event] == [(0, bRC_Error)]
    assert {"driver": "stopped", "event": event} in run.lines


def test_get_value_of_every_variable_with_the_cores_c_types(events_driver):
    run = events_driver.run("sd", "options", recorder(events_driver, events="1", values=1),
                            "novalue", "6", "event", 1, values=VALUES)
    values = next(trace[1] for trace in run.traces() if trace[0] == "values")
    expected = {str(var): VALUES.get(var) for var in range(1, 17)}
    expected["6"] = None     # bsdVarPool: the core answered bRC_Error
    expected["16"] = None    # bsdVarPluginDir: not set in this core
    assert values == expected


def test_set_value_of_every_variable(events_driver):
    run = events_driver.run("sd", "options",
                            recorder(events_driver, events="1", set="2/Vol-9,3/5,4/73,3/-1,1/x"),
                            "event", 1)
    assert [(line["var"], line["value"]) for line in run.core("setBareosValue")] == [
        (2, "Vol-9"), (3, 5), (4, 73)]
    assert [trace[1:] for trace in run.traces() if trace[0] == "set"] == [
        [2, 0], [3, 0], [4, 0], [3, bRC_Error], [1, 0]]


def test_the_class_plugin_shape_runs_unmodified(events_driver):
    run = events_driver.run("sd", "options", events_driver.options("sd", "bareos-sd-class-plugin",
                                                                   volume="v1"),
                            "event", number("JobStart"), values=VALUES)
    assert run.job_messages() == [
        "BackupJob.2026-12-06_03.00.00_07 level F id 42: 2000 files, 8589934593 bytes, "
        "options {'volume': 'v1'}\n"]
    assert [e for _, e, rc in run.events() if rc == 0] == [22, 1, 2]


def test_two_instances_of_the_class_plugin_keep_their_own_wrapper_object(events_driver):
    # BareosSdWrapper keeps the plugin object in a module global: each
    # instance has its own copy of the module, so neither sees the other's.
    run = events_driver.run(
        "sd",
        "options", events_driver.options("sd", "bareos-sd-class-plugin", volume="zero"),
        "options", events_driver.options("sd", "bareos-sd-class-plugin", volume="one", instance=1),
        values=VALUES)
    assert [(line["instance"], line["text"].rpartition("options ")[2]) for line in
            run.core("JobMessage")] == [(0, "{'volume': 'zero'}\n"), (1, "{'volume': 'one'}\n")]
