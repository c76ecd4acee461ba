"""Test script of the shape of Bareos' BareosDirPluginBaseclass (spec §8.5):
every GetValue it makes, with chr() of the level and status variables."""
import time

import bareosdir


class BareosDirPluginBaseclass:
    def __init__(self, plugindef):
        bareosdir.RegisterEvents([bareosdir.bDirEventJobStart, bareosdir.bDirEventJobEnd,
                                  bareosdir.bDirEventJobInit, bareosdir.bDirEventJobRun])
        self.jobName = bareosdir.GetValue(bareosdir.bDirVarJobName)
        self.jobLevel = chr(bareosdir.GetValue(bareosdir.bDirVarLevel))
        self.jobType = bareosdir.GetValue(bareosdir.bDirVarType)
        self.jobId = int(bareosdir.GetValue(bareosdir.bDirVarJobId))
        self.jobClient = bareosdir.GetValue(bareosdir.bDirVarClient)
        self.jobStatus = bareosdir.GetValue(bareosdir.bDirVarJobStatus)
        self.jobPriority = bareosdir.GetValue(bareosdir.bDirVarPriority)
        self.options = {}

    def __str__(self):
        # The reference's __str__ names an attribute that does not exist.
        return f"<{self.__class__} jobName={self.jobName} client={self.Client}>"

    def parse_plugin_definition(self, plugindef):
        pairs = (item.split("=", 1) for item in plugindef.split(":") if "=" in item)
        self.options.update((key, value) for key, value in pairs if value)
        return bareosdir.bRC_OK

    def handle_plugin_event(self, event):
        if event in (bareosdir.bDirEventJobInit, bareosdir.bDirEventJobStart):
            self.jobStatus = chr(bareosdir.GetValue(bareosdir.bDirVarJobStatus))
        elif event == bareosdir.bDirEventJobRun:
            self.jobRunTime = time.time()
        elif event == bareosdir.bDirEventJobEnd:
            summary = (chr(bareosdir.GetValue(bareosdir.bDirVarLevel)),
                       chr(bareosdir.GetValue(bareosdir.bDirVarJobStatus)),
                       int(bareosdir.GetValue(bareosdir.bDirVarJobErrors)),
                       int(bareosdir.GetValue(bareosdir.bDirVarJobBytes)),
                       int(bareosdir.GetValue(bareosdir.bDirVarJobFiles)),
                       int(bareosdir.GetValue(bareosdir.bDirVarNumVols)),
                       bareosdir.GetValue(bareosdir.bDirVarPool),
                       bareosdir.GetValue(bareosdir.bDirVarStorage),
                       bareosdir.GetValue(bareosdir.bDirVarMediaType))
            bareosdir.JobMessage(bareosdir.M_INFO, f"{self.jobName} ended: {summary}")
        return bareosdir.bRC_OK
