"""Test script of the shape of Bareos' BareosSdPluginBaseclass (spec §8.5):
what it calls in bareossd, with the types it relies on (chr() of the level,
int() of the counters)."""
import time

import bareossd


class BareosSdPluginBaseclass:
    def __init__(self, plugindef):
        bareossd.DebugMessage(100, f"Constructor called in module {__name__} with plugindef={plugindef}")
        bareossd.RegisterEvents([bareossd.bsdEventJobStart, bareossd.bsdEventJobEnd])
        self.jobName = bareossd.GetValue(bareossd.bsdVarJobName)
        self.jobLevel = chr(bareossd.GetValue(bareossd.bsdVarLevel))
        self.jobId = int(bareossd.GetValue(bareossd.bsdVarJobId))
        self.options = {}

    def parse_plugin_definition(self, plugindef):
        for current in plugindef.split(":"):
            key, sep, value = current.partition("=")
            if sep and value:
                self.options[key] = value
        return bareossd.bRC_OK

    def handle_plugin_event(self, event):
        if event == bareossd.bsdEventJobStart:
            self.jobStartTime = time.time()
        elif event == bareossd.bsdEventJobEnd:
            self.jobBytes = int(bareossd.GetValue(bareossd.bsdVarJobBytes))
            self.jobFiles = int(bareossd.GetValue(bareossd.bsdVarJobFiles))
            bareossd.JobMessage(
                bareossd.M_INFO,
                f"{self.jobName} level {self.jobLevel} id {self.jobId}: "
                f"{self.jobFiles} files, {self.jobBytes} bytes, options {self.options}")
        return bareossd.bRC_OK
