# -*- coding: utf-8 -*-
"""bareos-fd-legacy-files: a plugin script written for the API before Bareos 20.

It backs up and restores the files and directories listed in a file, like
examples/bareos-fd-local-files.py, but the old way: every function takes
`context` and hands it back to every bareosfd call, the constants come from
bareos_fd_consts, StatPacket members have no st_ prefix, and the code runs on
Python 2.7 and 3.  Load it through the legacy plugin (python-fd.so):

    python:module_path=DIR:module_name=bareos-fd-legacy-files:filename=LIST

`python -m bareospy.port` turns it into a script for python3-fd.so.
"""
import os
import stat

import bareosfd
import bareos_fd_consts
from bareos_fd_consts import bRCs, bFileType, bIOPS, bCFs, bJobMessageType, bEventType, bVariable

# Per instance: the daemon loads this module once for each job.
options = {}
pending = []          # (path, lstat) still to back up, in order
current_file = None   # the file plugin_io reads or writes
restoring = None      # (path, file type, statp) of the file being restored
directories = []      # restored directories: attributes last


def load_bareos_plugin(context, plugindef):
    # Old scripts registered their events with a list of dict lookups.
    bareosfd.RegisterEvents(context, [bEventType["bEventStartRestoreJob"],
                                      bEventType["bEventEndRestoreJob"]])
    bareosfd.DebugMessage(context, 100, "legacy-files: loaded for job %s\n"
                          % bareosfd.GetValue(context, bVariable["bVarJobId"]))
    return bRCs["bRC_OK"]


def parse_plugin_definition(context, plugindef):
    for item in plugindef.split(":"):
        if "=" in item:
            key, value = item.split("=", 1)
            options[key] = value
    if "filename" not in options:
        bareosfd.JobMessage(context, bJobMessageType["M_FATAL"],
                            "legacy-files: no filename=LIST in the plugin definition\n")
        return bRCs["bRC_Error"]
    return bRCs["bRC_OK"]


def handle_plugin_event(context, event):
    if event == bEventType["bEventStartBackupJob"] or event == bEventType["bEventEstimateCommand"]:
        del pending[:]
    elif event == bEventType["bEventEndRestoreJob"]:
        # deepest first: restoring their contents changed their times
        for path, statp in sorted(directories, key=lambda item: -item[0].count("/")):
            set_attributes(context, path, statp)
    return bRCs["bRC_OK"]


def walk(path):
    """path and everything below it, each directory after its contents."""
    st = os.lstat(path)
    found = []
    if stat.S_ISDIR(st.st_mode):
        for name in sorted(os.listdir(path)):
            found.extend(walk(os.path.join(path, name)))
    found.append((path, st))
    return found


def start_backup_file(context, savepkt):
    if not pending:
        with open(options["filename"]) as listing:
            for line in listing:
                line = line.strip()
                if line and not line.startswith("#"):
                    pending.extend(walk(line.rstrip("/") or "/"))
        if not pending:
            return bRCs["bRC_Stop"]
    path, st = pending.pop(0)
    statp = bareosfd.StatPacket()
    statp.mode = st.st_mode
    statp.uid = st.st_uid
    statp.gid = st.st_gid
    statp.size = st.st_size
    statp.atime = int(st.st_atime)
    statp.mtime = int(st.st_mtime)
    statp.ctime = int(st.st_ctime)
    savepkt.statp = statp
    savepkt.fname = path
    if stat.S_ISDIR(st.st_mode):
        savepkt.type = bFileType["FT_DIREND"]
        savepkt.link = path + "/"
        savepkt.no_read = True
    elif stat.S_ISLNK(st.st_mode):
        savepkt.type = bFileType["FT_LNK"]
        savepkt.link = os.readlink(path)
        savepkt.no_read = True
    else:
        savepkt.type = bFileType["FT_REG"]
    bareosfd.DebugMessage(context, 150, "legacy-files: backing up %s\n" % path)
    return bRCs["bRC_OK"]


def end_backup_file(context):
    if pending:
        return bRCs["bRC_More"]
    return bRCs["bRC_OK"]


def plugin_io(context, IOP):
    global current_file
    try:
        if IOP.func == bIOPS["IO_OPEN"]:
            if IOP.flags & (os.O_WRONLY | os.O_RDWR):
                current_file = open(IOP.fname, "wb")
            else:
                current_file = open(IOP.fname, "rb")
        elif IOP.func == bIOPS["IO_READ"]:
            IOP.buf = bytearray(current_file.read(IOP.count))
            IOP.status = len(IOP.buf)
        elif IOP.func == bIOPS["IO_WRITE"]:
            current_file.write(bytes(IOP.buf))
            IOP.status = IOP.count
        elif IOP.func == bIOPS["IO_CLOSE"]:
            if current_file is not None:
                current_file.close()
                current_file = None
            IOP.status = 0
    except (IOError, OSError) as error:
        IOP.status = -1
        bareosfd.JobMessage(context, bJobMessageType["M_ERROR"],
                            "legacy-files: %s: %s\n" % (IOP.fname, error))
        return bRCs["bRC_Error"]
    return bRCs["bRC_OK"]


def start_restore_file(context, cmd):
    return bRCs["bRC_OK"]


def create_file(context, restorepkt):
    global restoring
    path = restorepkt.ofname.rstrip("/")
    parent = os.path.dirname(path)
    if parent and not os.path.isdir(parent):
        os.makedirs(parent)
    kind = restorepkt.type
    restoring = (path, kind, restorepkt.statp)
    if kind == bFileType["FT_REG"]:
        restorepkt.create_status = bCFs["CF_EXTRACT"]
    elif kind == bFileType["FT_DIREND"]:
        if not os.path.isdir(path):
            os.makedirs(path)
        restorepkt.create_status = bCFs["CF_CREATED"]
    elif kind == bFileType["FT_LNK"]:
        os.symlink(restorepkt.olname, path)
        restorepkt.create_status = bCFs["CF_CREATED"]
    else:
        restorepkt.create_status = bCFs["CF_SKIP"]
    return bRCs["bRC_OK"]


def set_file_attributes(context, restorepkt):
    return bRCs["bRC_OK"]


def set_attributes(context, path, statp):
    try:
        if not stat.S_ISLNK(statp.mode):
            os.chmod(path, statp.mode & 0o7777)
            os.utime(path, (statp.atime, statp.mtime))
    except OSError as error:
        bareosfd.JobMessage(context, bJobMessageType["M_WARNING"],
                            "legacy-files: attributes of %s: %s\n" % (path, error))


def end_restore_file(context):
    global restoring
    if restoring is not None:
        path, kind, statp = restoring
        if kind == bFileType["FT_DIREND"]:
            directories.append((path, statp))
        else:
            set_attributes(context, path, statp)
    restoring = None
    return bareos_fd_consts.bRCs["bRC_OK"]


def check_file(context, fname):
    return bRCs["bRC_OK"]
