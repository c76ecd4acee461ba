"""python-sd.so and python-dir.so (the legacy flavour of the events-only
plugins) run old-API scripts: context in every call, bareos_<d>_consts."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from legacy_helpers import LEGACY_PLUGIN_DIR, SCRIPTS  # noqa: E402

pytestmark = pytest.mark.driver


@pytest.mark.parametrize("daemon", ["sd", "dir"])
def test_old_api_script_gets_context_and_consts(events_driver, daemon):
    plugin = LEGACY_PLUGIN_DIR / f"python-{daemon}.so"
    assert plugin.is_file(), f"{plugin} is not built"
    options = f"python:module_path={SCRIPTS}:module_name=legacy_events_probe:daemon={daemon}"
    run = events_driver.run(daemon, "options", options, "event", 1, plugin=plugin)
    messages = [text.partition("probe: ")[2].strip() for text in run.job_messages()
                if "probe: " in text]
    assert messages == ["load context=True", "bRC_OK=0", "instances=1",
                        f"parse daemon={daemon}", "event 1"], run.describe()
    # the daemon records where the script sent each message (not the facade)
    assert {(Path(line["file"]).name, line["line"]) for line in run.core("JobMessage")} >= {
        ("legacy_events_probe.py", 10)}, run.describe()
