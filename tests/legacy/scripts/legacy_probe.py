"""An old-API script that reports, as job messages, what a script of the API
before Bareos 20 can tell about the plugin layer (tests/legacy/test_legacy_fd.py).
Backs up nothing."""
import sys

import bareosfd
import bareos_fd_consts
from bareos_fd_consts import bRCs, bJobMessageType, bVariable


def report(context, text):
    bareosfd.JobMessage(context, bJobMessageType["M_INFO"], "probe: %s\n" % text)


def load_bareos_plugin(context, plugindef):
    report(context, "python=%d.%d" % sys.version_info[:2])
    report(context, "context=%r" % (context is not None,))
    report(context, "same-context=%r" % (context is _seen.setdefault("context", context),))
    report(context, "bRC_OK=%r" % (bareos_fd_consts.bRCs["bRC_OK"],))
    report(context, "str-keys=%r" % all(isinstance(key, str) for key in bRCs))
    report(context, "bVarCheckChanges=%r" % ("bVarCheckChanges" in bVariable,))
    report(context, "bVarPrefixLinks=%r" % ("bVarPrefixLinks" in bVariable,))
    report(context, "bIOPstatus=%r" % hasattr(bareos_fd_consts, "bIOPstatus"))
    report(context, "jobid=%r" % (bareosfd.GetValue(context, bVariable["bVarJobId"]),))
    statp = bareosfd.StatPacket()
    statp.mode = 0o100640
    statp.mtime = 1234
    report(context, "stat=%o,%d,%d" % (statp.st_mode, statp.mtime, statp.st_mtime))
    report(context, "plugindef=%s" % plugindef)
    try:
        bareosfd.GetValue(context, [])
    except TypeError as error:
        report(context, "type-error=%s" % error)
    return bRCs["bRC_OK"]


_seen = {}


def parse_plugin_definition(context, plugindef):
    report(context, "parse-same-context=%r" % (context is _seen["context"],))
    return bRCs["bRC_OK"]


def handle_plugin_event(context, event):
    return bRCs["bRC_OK"]


def start_backup_file(context, savepkt):
    return bRCs["bRC_Stop"]


def end_backup_file(context):
    return bRCs["bRC_OK"]
