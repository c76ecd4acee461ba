"""A class plugin on BareosSdPluginBaseclass (the way Bareos' SD class plugins
are written) that records, one line per event, what it was told and what
GetValue answered then.

Options: out=FILE (the record, appended), refuse=EVENT (answer bRC_Error to
that event, named without the bsdEvent prefix), raise=EVENT (raise there;
with raise_job=NAME only in job NAME).
"""
import json

import bareossd
from BareosSdPluginBaseclass import BareosSdPluginBaseclass

NAMES = {value: name[len("bsdEvent"):] for name, value in bareossd.bsdEventType.items()}
ALL_EVENTS = sorted(set(bareossd.bsdEventType.values()) - {bareossd.bsdEventNewPluginOptions})
VALUES = ("bsdVarJobName", "bsdVarPool", "bsdVarStorage", "bsdVarMediaType", "bsdVarVolumeName",
          "bsdVarJobFiles", "bsdVarJobBytes")


class BareosSdRecording(BareosSdPluginBaseclass):
    def __init__(self, plugindef):
        super().__init__(plugindef)
        bareossd.RegisterEvents(ALL_EVENTS)

    def record(self, event):
        line = {"event": NAMES.get(event, str(event))}
        for name in VALUES:
            line[name] = bareossd.GetValue(getattr(bareossd, name))
        with open(self.options["out"], "a") as out:
            out.write(json.dumps(line) + "\n")

    def handle_plugin_event(self, event):
        super().handle_plugin_event(event)
        self.record(event)
        name = NAMES.get(event)
        if name == self.options.get("raise") and self.options.get("raise_job", self.jobName) == self.jobName:
            raise RuntimeError(f"the test script raises on {name}")
        if name == self.options.get("refuse"):
            return bareossd.bRC_Error
        return bareossd.bRC_OK
