"""Base class of the small-file benchmark plugin, in the shape of spec §8.2.

Written for this project: a plugin object with one method per entry point,
plugin_io dispatching on IOP.func through if/elif, a DebugMessage per call.
"""
import os

import bareosfd
from bareosfd import (
    CF_EXTRACT, IO_CLOSE, IO_OPEN, IO_READ, IO_SEEK, IO_WRITE, bRC_Error, bRC_OK,
    iostat_do_in_core,
)


class SmallFilesPluginBase:
    """What every plugin of this shape shares: options, events, file I/O."""

    def __init__(self, plugindef):
        bareosfd.DebugMessage(100, "SmallFilesPluginBase: %s\n" % plugindef)
        self.options = {}
        self.file = None
        bareosfd.RegisterEvents([bareosfd.bEventJobEnd, bareosfd.bEventEndBackupJob,
                                 bareosfd.bEventStartBackupJob, bareosfd.bEventStartRestoreJob])

    def parse_plugin_definition(self, plugindef):
        bareosfd.DebugMessage(100, "parse_plugin_definition: %s\n" % plugindef)
        for item in plugindef.split(":"):
            key, _, value = item.partition("=")
            self.options[key] = value
        return bRC_OK

    def handle_plugin_event(self, event):
        if event == bareosfd.bEventJobEnd:
            bareosfd.DebugMessage(100, "handle_plugin_event: job end\n")
        elif event == bareosfd.bEventEndBackupJob:
            bareosfd.DebugMessage(100, "handle_plugin_event: backup job end\n")
        elif event == bareosfd.bEventStartBackupJob:
            bareosfd.DebugMessage(100, "handle_plugin_event: backup job start\n")
        elif event == bareosfd.bEventStartRestoreJob:
            bareosfd.DebugMessage(100, "handle_plugin_event: restore job start\n")
        return bRC_OK

    def plugin_io(self, IOP):
        bareosfd.DebugMessage(200, "plugin_io called with function %d\n" % IOP.func)
        if IOP.func == IO_OPEN:
            return self.plugin_io_open(IOP)
        elif IOP.func == IO_CLOSE:
            return self.plugin_io_close(IOP)
        elif IOP.func == IO_SEEK:
            return bRC_OK
        elif IOP.func == IO_READ:
            return self.plugin_io_read(IOP)
        elif IOP.func == IO_WRITE:
            return self.plugin_io_write(IOP)
        return bRC_OK

    def plugin_io_open(self, IOP):
        self.FNAME = IOP.fname
        try:
            if IOP.flags & (os.O_CREAT | os.O_WRONLY):
                self.file = open(self.FNAME, "wb")
            else:
                self.file = open(self.FNAME, "rb")
        except OSError as error:
            IOP.status = -1
            bareosfd.JobMessage(bareosfd.M_ERROR, "open %s: %s\n" % (self.FNAME, error))
            return bRC_Error
        if self.options.get("io") == "direct":
            IOP.status = iostat_do_in_core
            IOP.filedes = self.file.fileno()
        return bRC_OK

    def plugin_io_close(self, IOP):
        if self.file is not None:
            self.file.close()
            self.file = None
        return bRC_OK

    def plugin_io_read(self, IOP):
        IOP.buf = bytearray(IOP.count)
        IOP.status = self.file.readinto(IOP.buf)
        IOP.io_errno = 0
        return bRC_OK

    def plugin_io_write(self, IOP):
        self.file.write(IOP.buf)
        IOP.status = IOP.count
        IOP.io_errno = 0
        return bRC_OK

    def start_restore_file(self, cmd):
        bareosfd.DebugMessage(100, "start_restore_file: %s\n" % cmd)
        return bRC_OK

    def end_restore_file(self):
        bareosfd.DebugMessage(100, "end_restore_file\n")
        return bRC_OK

    def create_file(self, restorepkt):
        bareosfd.DebugMessage(100, "create_file: %s\n" % restorepkt.ofname)
        directory = os.path.dirname(restorepkt.ofname)
        if directory and not os.path.isdir(directory):
            os.makedirs(directory)
        restorepkt.create_status = CF_EXTRACT
        return bRC_OK

    def set_file_attributes(self, restorepkt):
        return bRC_OK

    def check_file(self, fname):
        return bRC_OK
