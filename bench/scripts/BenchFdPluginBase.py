"""A plugin base class shaped like the one spec §8.2 describes
(BareosFdPluginBaseclass): the constructor registers events and reads job
values, parse_plugin_definition collects options, plugin_io dispatches on
IOP.func to one method per operation and handle_plugin_event on the event
number.  Written for the benchmarks; only what they exercise.
"""
import bareosfd
from bareosfd import (
    IO_CLOSE,
    IO_OPEN,
    IO_READ,
    IO_SEEK,
    IO_WRITE,
    bEventEndBackupJob,
    bEventEndFileSet,
    bEventJobEnd,
    bEventStartBackupJob,
    bEventStartRestoreJob,
    bRC_OK,
    bRC_Stop,
)


class BenchFdPluginBase:
    def __init__(self, plugindef):
        bareosfd.RegisterEvents(
            [bEventJobEnd, bEventEndBackupJob, bEventEndFileSet, bEventStartBackupJob,
             bEventStartRestoreJob]
        )
        self.jobId = bareosfd.GetValue(bareosfd.bVarJobId)
        self.jobName = bareosfd.GetValue(bareosfd.bVarJobName)
        self.level = bareosfd.GetValue(bareosfd.bVarLevel)
        self.options = None
        self.file = None

    def parse_plugin_definition(self, plugindef):
        if self.options is None:
            self.options = {}
        for item in plugindef.split(":"):
            key, _, value = item.partition("=")
            if key.strip() and value.strip():
                self.options.setdefault(key.strip(), value.strip())
        return bRC_OK

    def handle_plugin_event(self, event):
        if event == bEventJobEnd:
            return self.end_job()
        if event == bEventEndBackupJob:
            return self.end_backup_job()
        if event == bEventEndFileSet:
            return self.end_fileset()
        if event == bEventStartBackupJob:
            return self.start_backup_job()
        if event == bEventStartRestoreJob:
            return self.start_restore_job()
        return bRC_OK

    def start_backup_job(self):
        return bRC_OK

    def start_restore_job(self):
        return bRC_OK

    def end_job(self):
        return bRC_OK

    def end_backup_job(self):
        return bRC_OK

    def end_fileset(self):
        return bRC_OK

    def plugin_io(self, IOP):
        if IOP.func == IO_OPEN:
            return self.plugin_io_open(IOP)
        elif IOP.func == IO_CLOSE:
            return self.plugin_io_close(IOP)
        elif IOP.func == IO_SEEK:
            return self.plugin_io_seek(IOP)
        elif IOP.func == IO_READ:
            return self.plugin_io_read(IOP)
        elif IOP.func == IO_WRITE:
            return self.plugin_io_write(IOP)
        return bRC_OK

    def plugin_io_open(self, IOP):
        return bRC_OK

    def plugin_io_close(self, IOP):
        return bRC_OK

    def plugin_io_seek(self, IOP):
        return bRC_OK

    def plugin_io_read(self, IOP):
        IOP.status = 0
        return bRC_OK

    def plugin_io_write(self, IOP):
        IOP.status = IOP.count
        return bRC_OK

    def start_backup_file(self, savepkt):
        return bRC_Stop

    def end_backup_file(self):
        return bRC_OK

    def start_restore_file(self, cmd):
        return bRC_OK

    def end_restore_file(self):
        return bRC_OK

    def check_file(self, fname):
        return bRC_OK
