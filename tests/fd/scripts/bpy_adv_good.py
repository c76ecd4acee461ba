"""A well-behaved plugin script that leans on shared interpreter state.

test_misbehaving_scripts.py runs it next to bpy_adv_misbehave.py: its result
(the data it saves, its status, its messages) must be the same whether a
misbehaving script runs at the same time or not.  So every file it saves is
made with what a careless neighbour could break: a function-level ``import``
(``builtins.__import__``), ``open()`` (``builtins.open``), a formatted
traceback (``traceback``/``linecache`` in ``sys.modules``) and ``print()``
(``sys.stdout``).

Backup: after a short pause in bEventStartBackupJob (so that the neighbour
has misbehaved by then), saves FILES in-memory files "/adv-good/<n>" through
plugin_io.  Restore: the core creates the files (CF_CORE), the script writes them with open().
Options: ``source=PATH`` is a file whose bytes go into every saved file.
"""
import os
import time

import bareosfd
from bareosfd import (CF_CORE, FT_REG, IO_CLOSE, IO_OPEN, IO_READ, IO_WRITE, M_INFO, bRC_More,
                      bRC_OK, bRC_Stop)

FILES = 4
options = {}
state = {"index": 0, "data": b"", "offset": 0}


def parse_options(plugindef):
    for item in plugindef.split(":"):
        key, sep, value = item.partition("=")
        if sep:
            options[key] = value


def load_bareos_plugin(plugindef):
    parse_options(plugindef)
    bareosfd.RegisterEvents([bareosfd.bEventStartBackupJob, bareosfd.bEventEndBackupJob,
                             bareosfd.bEventStartRestoreJob, bareosfd.bEventEndRestoreJob])
    return bRC_OK


def parse_plugin_definition(plugindef):
    parse_options(plugindef)
    return bRC_OK


def handle_plugin_event(event):
    if event == bareosfd.bEventStartBackupJob:
        time.sleep(float(options.get("pause", "0.3")))
    print("adv-good: event %d" % event)
    bareosfd.JobMessage(M_INFO, "adv-good: event %d\n" % event)
    return bRC_OK


def traceback_text():
    import traceback
    try:
        {}["missing key"]
    except KeyError:
        return traceback.format_exc()


def content(index):
    """The bytes of file ``index``: depends on import, open, traceback and print working."""
    import hashlib
    import json
    with open(options["source"], "rb") as source:
        data = source.read()
    text = traceback_text()
    print("adv-good: file %d" % index)
    summary = {"index": index, "source": hashlib.sha256(data).hexdigest(),
               "traceback_lines": text.count("\n"), "last": text.splitlines()[-1]}
    return json.dumps(summary, sort_keys=True).encode() + b"\n" + data * (index + 1)


def start_backup_file(savepkt):
    index = state["index"]
    if index >= FILES:
        return bRC_Stop
    state["data"] = content(index)
    state["offset"] = 0
    savepkt.fname = "/adv-good/%d" % index
    savepkt.type = FT_REG
    savepkt.statp = bareosfd.StatPacket(mode=0o100644, size=len(state["data"]),
                                        mtime=1_500_000_000, atime=1_500_000_000,
                                        ctime=1_500_000_000)
    return bRC_OK


def end_backup_file():
    state["index"] += 1
    return bRC_More if state["index"] < FILES else bRC_OK


def plugin_io(iop):
    if iop.func == IO_OPEN:
        state["offset"] = 0
        if iop.flags & (os.O_WRONLY | os.O_RDWR):
            state["output"] = open(iop.fname, "wb")
    elif iop.func == IO_WRITE:
        iop.status = state["output"].write(iop.buf)
        return bRC_OK
    elif iop.func == IO_READ:
        chunk = state["data"][state["offset"]:state["offset"] + iop.count]
        state["offset"] += len(chunk)
        iop.buf = bytearray(chunk)
        iop.status = len(chunk)
        return bRC_OK
    elif iop.func == IO_CLOSE and state.get("output") is not None:
        state.pop("output").close()
    iop.status = 0
    return bRC_OK


def start_restore_file(cmd):
    return bRC_OK


def create_file(restorepkt):
    restorepkt.create_status = CF_CORE
    return bRC_OK


def set_file_attributes(restorepkt):
    return bRC_OK


def end_restore_file():
    return bRC_OK
