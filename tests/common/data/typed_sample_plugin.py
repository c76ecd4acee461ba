"""A small fully typed plugin script: mypy --strict must accept it (test_stubs.py).

It backs up one in-memory file and restores it into ``where``; it uses the
stubs' packet attributes, constants and functions, bareospy.options and the
script protocols of bareospy.typing (check_protocols.py).
"""
import os
from typing import Dict, Optional

import bareosfd
from bareosfd import bRC_Error, bRC_OK, bRC_Stop

from bareospy.options import parse_options

options: Dict[str, str] = {}
sent = False
output: Optional[int] = None


def load_bareos_plugin(plugindef: str) -> int:
    bareosfd.RegisterEvents([bareosfd.bEventEndBackupJob])
    return bRC_OK


def parse_plugin_definition(plugindef: str) -> int:
    options.update(parse_options(plugindef))
    return bRC_OK if "name" in options else bRC_Error


def handle_plugin_event(event: int) -> int:
    if event == bareosfd.bEventEndBackupJob:
        bareosfd.DebugMessage(100, "typed sample: backup done\n")
    return bRC_OK


def start_backup_file(savepkt: bareosfd.SavePacket) -> int:
    global sent
    if sent:
        return bRC_Stop
    sent = True
    data = options.get("text", "").encode()
    savepkt.fname = "/" + options["name"]
    savepkt.type = bareosfd.FT_REG
    savepkt.statp = bareosfd.StatPacket(mode=0o100644, size=len(data))
    return bRC_OK


def end_backup_file() -> int:
    return bRC_OK


def plugin_io(iop: bareosfd.IoPacket) -> int:
    global output
    if iop.func == bareosfd.IO_OPEN:
        if iop.flags & (os.O_WRONLY | os.O_RDWR) and iop.fname is not None:
            output = os.open(iop.fname, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        iop.status = bareosfd.iostat_do_in_plugin
    elif iop.func == bareosfd.IO_READ:
        data = options.get("text", "").encode()
        iop.buf = bytearray(data)
        iop.status = len(data) if iop.count >= len(data) else bareosfd.iostat_error
        options["text"] = ""
    elif iop.func == bareosfd.IO_WRITE and output is not None and iop.buf is not None:
        iop.status = os.write(output, iop.buf)
    elif iop.func == bareosfd.IO_CLOSE and output is not None:
        os.close(output)
        output = None
    return bRC_OK


def start_restore_file(cmd: str) -> int:
    return bRC_OK


def create_file(restorepkt: bareosfd.RestorePacket) -> int:
    os.makedirs(os.path.dirname(restorepkt.ofname), exist_ok=True)
    restorepkt.create_status = bareosfd.CF_EXTRACT
    return bRC_OK


def set_file_attributes(restorepkt: bareosfd.RestorePacket) -> int:
    os.chmod(restorepkt.ofname, restorepkt.statp.st_mode & 0o7777)
    return bRC_OK


def end_restore_file() -> int:
    return bRC_OK

