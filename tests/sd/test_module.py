"""bareossd in-process (spec §2.7, §1.7): its names and values, GetValue of
every variable with the type the script gets, and the §8.5 class plugin's
shape running under a fake core."""
from pathlib import Path

import pytest

import bareossd
from bareospy.testing import FakeCore, SD_DEFAULT_VALUES

SCRIPTS = Path(__file__).resolve().parent / "scripts"

EVENTS = ("JobStart JobEnd DeviceInit DeviceMount VolumeLoad DeviceReserve DeviceOpen "
          "LabelRead LabelVerified LabelWrite DeviceClose VolumeUnload DeviceUnmount ReadError "
          "WriteError DriveStatus VolumeStatus SetupRecordTranslation ReadRecordTranslation "
          "WriteRecordTranslation DeviceRelease NewPluginOptions ChangerLock ChangerUnlock").split()
READ_VARIABLES = ("Job Level Type JobId Client Pool PoolType Storage MediaType JobName "
                  "JobStatus VolumeName JobErrors JobFiles JobBytes PluginDir").split()
WRITE_VARIABLES = "JobReport VolumeName Priority JobLevel".split()
STRINGS = {"Job", "Client", "Pool", "PoolType", "Storage", "MediaType", "JobName",
           "VolumeName", "PluginDir"}


def test_events_are_bsdEvent_1_to_24():
    assert bareossd.bsdEventType == {f"bsdEvent{name}": number
                                     for number, name in enumerate(EVENTS, 1)}
    assert not hasattr(bareossd, "bSdEventJobStart")


@pytest.mark.parametrize("table, prefix, names", [
    ("bsdVariable", "bsdVar", READ_VARIABLES), ("bsdwVariable", "bsdwVar", WRITE_VARIABLES)])
def test_variables_are_numbered_from_1_in_order(table, prefix, names):
    variables = getattr(bareossd, table)
    assert list(variables) == [prefix + name for name in names]
    assert list(variables.values()) == list(range(1, len(names) + 1))


@pytest.mark.parametrize("name", READ_VARIABLES)
def test_get_value_of_every_variable(name):
    var = getattr(bareossd, f"bsdVar{name}")
    core = FakeCore(daemon="sd", values={var: "/plugins" if name in STRINGS else 2**40 + 3
                                         if name == "JobBytes" else 77})
    with core.active():
        value = bareossd.GetValue(var)
    if name in STRINGS:
        assert value == "/plugins"
    else:
        assert value == (2**40 + 3 if name == "JobBytes" else 77)
        assert type(value) is int


def test_counters_the_core_writes_as_int_are_read_as_int():
    # §1.7: bsdVarJobErrors/JobFiles are C ints; a negative one stays negative.
    core = FakeCore(daemon="sd", values={bareossd.bsdVarJobErrors: -1})
    with core.active():
        assert bareossd.GetValue(bareossd.bsdVarJobErrors) == -1


@pytest.fixture
def class_plugin(import_script):
    return import_script(SCRIPTS, "bareos-sd-class-plugin")


def test_the_class_plugin_shape_runs(class_plugin):
    core = FakeCore(daemon="sd", values={bareossd.bsdVarJobFiles: 12,
                                         bareossd.bsdVarJobBytes: 4096})
    with core.active():
        assert class_plugin.load_bareos_plugin("volume=x:") == bareossd.bRC_OK
        assert class_plugin.parse_plugin_definition("volume=x:") == bareossd.bRC_OK
        assert class_plugin.handle_plugin_event(bareossd.bsdEventJobStart) == bareossd.bRC_OK
        assert class_plugin.handle_plugin_event(bareossd.bsdEventJobEnd) == bareossd.bRC_OK
    assert core.events == {bareossd.bsdEventJobStart, bareossd.bsdEventJobEnd}
    name = SD_DEFAULT_VALUES[bareossd.bsdVarJobName]
    assert [m.text for m in core.job_messages] == [
        f"{name} level F id 1: 12 files, 4096 bytes, options {{'volume': 'x'}}\n"]
