"""python3-dir.so in a director's place (tests/common/c/events_driver.c):
the director's events, GetValue of every bDirVar* with the C type the core
writes (§1.8, its int counters read as int), SetValue of the volume name,
priority and level, and the §8.5 class plugin's shape running unmodified."""
from pathlib import Path

import pytest

# Numbers, not the bareosdir module (see tests/sd/test_plugin.py).
pytestmark = pytest.mark.driver

COMMON_SCRIPTS = Path(__file__).resolve().parents[1] / "common" / "scripts"
SEQUENCE = ["JobStart", "JobInit", "JobRun", "NewVolume", "NeedVolume", "VolumeFull",
            "Recyle", "GetScratch", "VolumePurged"]
VALUES = {1: "BackupJob", 2: ord("I"), 3: ord("B"), 4: 17, 5: "client-fd", 6: 4, 7: "Full",
          8: "File", 9: "File", 10: "Tape", 11: "MyCatalog", 12: "File",
          13: "BackupJob.2026-12-06_03.00.00_07", 14: ord("T"), 15: 10, 16: "Full-0004",
          18: -2, 19: 2000, 20: 2001, 21: 1, 22: ord("T"), 23: ord("T"), 24: "/plugins",
          25: 512, 26: 2**33 + 7, 27: 2**34}


def recorder(driver, **options):
    return driver.options("dir", "bpy_events", module_path=COMMON_SCRIPTS, daemon="dir", **options)


EVENT_NAMES = ["JobStart", "JobEnd", "JobInit", "JobRun", "VolumePurged", "NewVolume",
               "NeedVolume", "VolumeFull", "Recyle", "GetScratch", "NewPluginOptions"]
bRC_Error = 2


def number(name):
    return EVENT_NAMES.index(name) + 1


def test_every_event_reaches_the_script_in_the_directors_order(events_driver):
    events = ",".join(str(number(name)) for name in SEQUENCE + ["JobEnd"])
    commands = ["options", recorder(events_driver, events=events)]
    for name in SEQUENCE:
        commands += ["event", number(name)]
    run = events_driver.run("dir", *commands)
    assert [trace[1] for trace in run.traces() if trace[0] == "event"] == [
        number(name) for name in SEQUENCE + ["JobEnd"]]


def test_a_script_cannot_register_new_plugin_options(events_driver):
    run = events_driver.run("dir", "options", recorder(events_driver, events="11,1"))
    assert [line["event"] for line in run.core("registerBareosEvents")] == [11, 1]  # 11: by the plugin


def test_get_value_of_every_variable_with_the_cores_c_types(events_driver):
    run = events_driver.run("dir", "options", recorder(events_driver, events="1", values=1),
                            "event", 1, values=VALUES)
    values = next(trace[1] for trace in run.traces() if trace[0] == "values")
    assert values == {str(var): VALUES.get(var) for var in range(1, 28)}
    assert values["17"] is None and values["18"] == -2  # CatalogRes, JobErrors


def test_set_value_of_volume_name_priority_and_level(events_driver):
    run = events_driver.run("dir", "options",
                            recorder(events_driver, events="6", set="2/Named-1,3/20,4/68,4/-5,1/r"),
                            "event", 6)
    assert [(line["var"], line["value"]) for line in run.core("setBareosValue")] == [
        (2, "Named-1"), (3, 20), (4, ord("D"))]
    assert [trace[1:] for trace in run.traces() if trace[0] == "set"] == [
        [2, 0], [3, 0], [4, 0], [4, bRC_Error], [1, 0]]


def test_the_class_plugin_shape_runs_unmodified(events_driver):
    commands = ["options", events_driver.options("dir", "bareos-dir-class-plugin")]
    for name in ("JobInit", "JobStart", "JobRun"):
        commands += ["event", number(name)]
    run = events_driver.run("dir", *commands, values=VALUES)
    assert run.job_messages() == [
        "BackupJob.2026-12-06_03.00.00_07 ended: "
        "('I', 'T', -2, 8589934599, 2000, 4, 'Full', 'File', 'File')\n"]
    assert [e for _, e, rc in run.events() if rc == 0] == [11, 3, 1, 4, 2]
