"""Test plugin script with module-global state, through my_wrapper.

``tag=N`` names the instance.  handle_plugin_event(bEventStartBackupJob)
answers 100 + N (so a test sees which instance answered), or bRC_Error if the
wrapper's global is not this instance's object or GetValue(bVarJobId) changed.
plugin_io IO_READ answers 16 bytes of chr(65 + N).  At bEventEndBackupJob it
reports its state in a JobMessage (JSON).
"""
import json

import bareosfd
import my_wrapper
from bareosfd import IO_OPEN, IO_READ, bRC_Error, bRC_OK
from my_wrapper import *  # noqa: F401,F403 - the wrapper pattern


@BareosPlugin  # noqa: F405
class TaggedPlugin:
    def __init__(self, plugindef):
        items = (item.partition("=") for item in plugindef.split(":"))
        self.options = {key: value for key, sep, value in items if sep}
        self.tag = int(self.options["tag"])
        self.jobid = bareosfd.GetValue(bareosfd.bVarJobId)
        self.calls = 0
        self.problems = 0
        bareosfd.RegisterEvents([bareosfd.bEventStartBackupJob, bareosfd.bEventEndBackupJob])

    def parse_plugin_definition(self, plugindef):
        return bRC_OK

    def consistent(self):
        if my_wrapper.bareos_fd_plugin_object is not self:
            return False
        return self.calls % 1000 or bareosfd.GetValue(bareosfd.bVarJobId) == self.jobid

    def handle_plugin_event(self, event):
        if event == bareosfd.bEventEndBackupJob:
            bareosfd.JobMessage(bareosfd.M_INFO, json.dumps({
                "tag": self.tag, "calls": self.calls, "problems": self.problems,
                "jobid": self.jobid, "global_tag": my_wrapper.bareos_fd_plugin_object.tag}))
            return bRC_OK
        self.calls += 1
        if not self.consistent():
            self.problems += 1
            return bRC_Error
        return 100 + self.tag

    def plugin_io(self, iop):
        if iop.func == IO_OPEN:
            iop.status = bareosfd.iostat_do_in_plugin
            return bRC_OK
        if iop.func == IO_READ:
            self.calls += 1
            if not self.consistent():
                self.problems += 1
                iop.status = -1
                return bRC_Error
            iop.buf = bytearray(bytes([65 + self.tag]) * 16)
            iop.status = 16
        return bRC_OK
