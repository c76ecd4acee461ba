"""bareosdir in-process (spec §2.8, §1.8): its names and values, GetValue of
every variable with the C type the core writes, and the §8.5 class plugin's
shape running under a fake core."""
from pathlib import Path

import pytest

import bareosdir
from bareospy.testing import FakeCore

SCRIPTS = Path(__file__).resolve().parent / "scripts"

EVENTS = ("JobStart JobEnd JobInit JobRun VolumePurged NewVolume NeedVolume VolumeFull "
          "Recyle GetScratch NewPluginOptions").split()
READ_VARIABLES = ("Job Level Type JobId Client NumVols Pool Storage WriteStorage ReadStorage "
                  "Catalog MediaType JobName JobStatus Priority VolumeName CatalogRes JobErrors "
                  "JobFiles SDJobFiles SDErrors FDJobStatus SDJobStatus PluginDir LastRate "
                  "JobBytes ReadBytes").split()
WRITE_VARIABLES = "JobReport VolumeName Priority JobLevel".split()
STRINGS = {"Job", "Client", "Pool", "Storage", "WriteStorage", "ReadStorage", "Catalog",
           "MediaType", "JobName", "VolumeName", "PluginDir"}
COUNTERS = {"JobBytes", "ReadBytes"}


def test_events_including_the_recyle_spelling():
    assert bareosdir.bDirEventType == {f"bDirEvent{name}": number
                                       for number, name in enumerate(EVENTS, 1)}


def test_variables():
    assert bareosdir.bDirVariable == {f"bDirVar{name}": number
                                      for number, name in enumerate(READ_VARIABLES, 1)}
    assert bareosdir.bwDirVariable == {f"bwDirVar{name}": number
                                       for number, name in enumerate(WRITE_VARIABLES, 1)}


@pytest.mark.parametrize("name", READ_VARIABLES)
def test_get_value_of_every_variable(name):
    var = getattr(bareosdir, f"bDirVar{name}")
    expected = "text" if name in STRINGS else 2**40 + 5 if name in COUNTERS else -3
    core = FakeCore(daemon="dir", values={var: expected})
    with core.active():
        assert bareosdir.GetValue(var) == expected


def test_catalog_res_is_none_when_the_core_refuses_it():
    with FakeCore(daemon="dir").active():
        assert bareosdir.GetValue(bareosdir.bDirVarCatalogRes) is None


@pytest.fixture
def class_plugin(import_script):
    return import_script(SCRIPTS, "bareos-dir-class-plugin")


def test_the_class_plugin_shape_runs(class_plugin):
    core = FakeCore(daemon="dir", values={bareosdir.bDirVarNumVols: 3})
    with core.active():
        assert class_plugin.load_bareos_plugin("") == bareosdir.bRC_OK
        for event in ("JobInit", "JobStart", "JobRun", "JobEnd"):
            event = getattr(bareosdir, f"bDirEvent{event}")
            assert class_plugin.handle_plugin_event(event) == bareosdir.bRC_OK
    assert core.events == {1, 2, 3, 4}
    assert [m.text for m in core.job_messages] == [
        "BackupClient1.2026-11-21_23.59.59_01 ended: "
        "('F', 'R', 0, 0, 0, 3, 'Full', 'File', 'File')\n"]
