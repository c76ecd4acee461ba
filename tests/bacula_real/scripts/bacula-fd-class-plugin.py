"""A class-based FD plugin of the spec §8 shape, for the real Bacula test.

Its constructor does what the shipped base class does (registers the same
events, reads FDName, JobId, Client, SinceTime, Level, JobName, WorkingDir
and UsedConfig); it backs up the regular files of ``dir=PATH`` (not
recursive) with their data through plugin_io (after one restore object,
FT_RESTORE_FIRST), restores them through plugin_io, and reports what it read
from the daemon in one job message, ``class-plugin: {json}``, and each
restore object it gets back in another, ``class-plugin object: {json}``.
"""
import json
import os
import stat

import bareosfd
from bareosfd import (CF_EXTRACT, FT_REG, FT_RESTORE_FIRST, IO_CLOSE, IO_OPEN, IO_READ, IO_WRITE, M_INFO,
                      bRC_Error, bRC_More, bRC_OK)
from fd_wrapper import *  # noqa: F401,F403 - the wrapper pattern


@BareosPlugin  # noqa: F405
class ClassPlugin:
    def __init__(self, plugindef):
        bareosfd.RegisterEvents([bareosfd.bEventJobEnd, bareosfd.bEventEndBackupJob,
                                 bareosfd.bEventEndFileSet, bareosfd.bEventHandleBackupFile,
                                 bareosfd.bEventStartBackupJob, bareosfd.bEventStartRestoreJob])
        self.values = {name: bareosfd.GetValue(getattr(bareosfd, "bVar" + name)) for name in (
            "FDName", "JobId", "Client", "SinceTime", "Level", "JobName", "WorkingDir",
            "UsedConfig", "CheckChanges")}
        self.values["level"] = "%c" % self.values["Level"]
        self.values["job"] = self.values["JobName"].rsplit(".", 3)[0]
        self.options = {}
        self.todo = []
        self.file = None
        self.events = []

    def parse_plugin_definition(self, plugindef):
        for item in plugindef.split(":"):
            key, _, value = item.partition("=")
            self.options.setdefault(key, value)
        return bRC_OK

    def handle_plugin_event(self, event):
        self.events.append(event)
        if event == bareosfd.bEventStartBackupJob:
            folder = self.options["dir"]
            self.todo = ["object"] + sorted(
                os.path.join(folder, name) for name in os.listdir(folder)
                if stat.S_ISREG(os.lstat(os.path.join(folder, name)).st_mode))
        if event in (bareosfd.bEventEndBackupJob, bareosfd.bEventJobEnd):
            report = dict(self.values, events=self.events)
            bareosfd.JobMessage(M_INFO, "class-plugin: %s\n" % json.dumps(report))
        return bRC_OK

    def start_backup_file(self, savepkt):
        if not self.todo:
            return bRC_Error
        name = self.todo.pop(0)
        if name == "object":
            savepkt.fname = "/class-plugin/object"
            savepkt.type = FT_RESTORE_FIRST
            savepkt.statp = bareosfd.StatPacket()
            savepkt.object_name = "class-object"
            savepkt.object = bytearray(b"hello-bacula")
            savepkt.object_len = len(savepkt.object)
            savepkt.object_index = 1
            return bRC_OK
        info = os.lstat(name)
        savepkt.fname = name
        savepkt.type = FT_REG
        savepkt.statp = bareosfd.StatPacket(mode=info.st_mode, size=info.st_size,
                                            mtime=int(info.st_mtime), atime=int(info.st_atime),
                                            ctime=int(info.st_ctime))
        return bRC_OK

    def end_backup_file(self):
        return bRC_More if self.todo else bRC_OK

    def start_restore_file(self, cmd):
        return bRC_OK

    def end_restore_file(self):
        return bRC_OK

    def create_file(self, restorepkt):
        os.makedirs(os.path.dirname(restorepkt.ofname), exist_ok=True)
        restorepkt.create_status = CF_EXTRACT
        return bRC_OK

    def set_file_attributes(self, restorepkt):
        return bRC_OK

    def restore_object_data(self, rop):
        report = {"name": rop.object_name, "data": bytes(rop.object).decode(),
                  "index": rop.object_index, "plugin": rop.plugin_name, "jobid": rop.jobid}
        bareosfd.JobMessage(M_INFO, "class-plugin object: %s\n" % json.dumps(report))
        return bRC_OK

    def check_file(self, fname):
        return bRC_OK

    def plugin_io(self, iop):
        if iop.func == IO_OPEN:
            writing = iop.flags & (os.O_WRONLY | os.O_RDWR)
            self.file = open(iop.fname, "wb" if writing else "rb")
            iop.status = bareosfd.iostat_do_in_plugin
        elif iop.func == IO_READ:
            iop.buf = bytearray(self.file.read(iop.count))
            iop.status = len(iop.buf)
        elif iop.func == IO_WRITE:
            iop.status = self.file.write(iop.buf)
        elif iop.func == IO_CLOSE:
            self.file.close()
            self.file = None
            iop.status = 0
        return bRC_OK
