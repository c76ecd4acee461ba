"""Test plugin script for cancellation.

Backs up one endless file through plugin_io.  The first IO_READ waits (up to
30 s) until bEventCancelCommand arrived -- which can only come from another
thread, since the job's thread is waiting right here -- and reports both
sides in job messages.  (The driver starts the cancel when its job thread
enters the data loop.)
"""
import threading

import bareosfd
from bareosfd import FT_REG, IO_OPEN, IO_READ, bRC_OK, bRC_Stop

cancelled = threading.Event()
state = {"files": 0, "reads": 0}


def load_bareos_plugin(plugindef):
    bareosfd.RegisterEvents([bareosfd.bEventCancelCommand, bareosfd.bEventStartBackupJob,
                             bareosfd.bEventEndBackupJob, bareosfd.bEventJobEnd])
    return bRC_OK


def parse_plugin_definition(plugindef):
    return bRC_OK


def handle_plugin_event(event):
    if event == bareosfd.bEventCancelCommand:
        bareosfd.JobMessage(bareosfd.M_INFO, "cancel event in thread %d\n" % threading.get_ident())
        cancelled.set()
    else:
        bareosfd.DebugMessage(100, "event %d\n" % event)
    return bRC_OK


def start_backup_file(savepkt):
    if state["files"]:
        return bRC_Stop
    state["files"] += 1
    savepkt.fname = "/cancel/endless"
    savepkt.type = FT_REG
    savepkt.statp = bareosfd.StatPacket(size=0)
    return bRC_OK


def end_backup_file():
    return bRC_OK


def plugin_io(iop):
    if iop.func == IO_READ:
        state["reads"] += 1
        if state["reads"] == 1:
            seen = cancelled.wait(30)
            bareosfd.JobMessage(bareosfd.M_INFO, "first read in thread %d, cancel seen: %s\n"
                                % (threading.get_ident(), seen))
        if state["reads"] > 1000:
            iop.status = 0
            return bRC_OK
        iop.buf = bytearray(b"x" * 1000)
        iop.status = 1000
    elif iop.func == IO_OPEN:
        iop.status = bareosfd.iostat_do_in_plugin
    return bRC_OK
