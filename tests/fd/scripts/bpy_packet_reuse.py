"""Test plugin script for the reuse of IoPackets between pluginIO calls.

Every IO_READ checks that its packet arrives as a new one would (nothing the
previous read set is left), then sets every field it may.  With ``keep=1`` in
the plugin definition it also keeps every packet: those must then stay as
the script left them, whatever later calls do.  At bEventEndBackupJob a job
message (M_INFO) reports the reads and every problem as JSON.
"""
import json

import bareosfd
from bareosfd import IO_READ, bRC_OK

state = {"reads": 0, "problems": [], "keep": False}
kept = []


def load_bareos_plugin(plugindef):
    state["keep"] = "keep=1" in plugindef
    bareosfd.RegisterEvents([bareosfd.bEventStartBackupJob, bareosfd.bEventEndBackupJob])
    return bRC_OK


def parse_plugin_definition(plugindef):
    return bRC_OK


def handle_plugin_event(event):
    if event == bareosfd.bEventEndBackupJob:
        for number, packet in enumerate(kept):
            seen = (packet.func, packet.status, packet.io_errno, packet.lerror, packet.win32,
                    bytes(packet.buf))
            if seen != (IO_READ, 1, 5, 7, True, b"x"):
                state["problems"].append(f"kept packet {number} changed: {seen}")
        bareosfd.JobMessage(bareosfd.M_INFO, json.dumps(
            {"reads": state["reads"], "distinct": len({id(p) for p in kept}),
             "problems": state["problems"]}))
    return bRC_OK


def plugin_io(iop):
    if iop.func != IO_READ:
        return bRC_OK
    state["reads"] += 1
    fresh = (iop.count, iop.status, iop.io_errno, iop.lerror, iop.win32, iop.buf)
    if fresh != (64, 0, 0, 0, False, None):
        state["problems"].append(f"read {state['reads']} began with {fresh}")
    iop.io_errno = 5
    iop.lerror = 7
    iop.win32 = True
    iop.buf = bytearray(b"x")
    iop.status = 1
    if state["keep"]:
        kept.append(iop)
    return bRC_OK
