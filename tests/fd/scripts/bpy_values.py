"""Test plugin script that assigns values the reference accepts but that are
odd: they must be kept (or truncated) and handled at the C boundary as the
reference does (spec §2.5.1, §3.3).

It backs up one restore object (FT_RESTORE_FIRST) and one in-memory file,
"/virtual/values", with an ACL and an xattr, and restores them in memory.
By default it does what real Bareos scripts do:

* ``savepkt.object_index = int(time.time() * 1000)`` (truncated to 32 bits);
* at restore, ``rop.object = rop.object.decode()`` (a str in a bytes field).

``case=<name>`` replaces one value by one the core cannot take (see CASES).
Every function reports what it saw with a job message "values: ...".
"""
import os
import time

import bareosfd
from bareosfd import (CF_EXTRACT, FT_REG, FT_RESTORE_FIRST, IO_CLOSE, IO_OPEN, IO_READ,
                      IO_WRITE, M_INFO, bRC_More, bRC_OK)

DATA = b"data of /virtual/values\n"
OBJECT = "object text \u00e9"

options = {}
state = {"index": 0, "read_done": False, "written": bytearray()}

# case -> (function, attribute, value): what the script assigns instead
CASES = {
    "fname_bytes": ("start_backup_file", "fname", b"/virtual/values"),
    "link_int": ("start_backup_file", "link", 5),
    "fname_nul": ("start_backup_file", "fname", "/virtual/val\0ues"),
    "link_nul": ("start_backup_file", "link", "/virtual/li\0nk"),
    "statp_stat_result": ("start_backup_file", "statp", os.stat("/")),
    "object_str": ("start_backup_file", "object", OBJECT),
    "object_bytes": ("start_backup_file", "object", OBJECT.encode()),
    "object_name_bytes": ("start_backup_file", "object_name", b"values-object"),
    "buf_str": ("plugin_io", "buf", DATA.decode()),
    "acl_str": ("get_acl", "content", "user::rw-\n"),
    "xattr_name_str": ("get_xattr", "name", "user.values"),
    "xattr_value_str": ("get_xattr", "value", "1"),
}


def report(text):
    bareosfd.JobMessage(M_INFO, f"values: {text}\n")


def odd(function, packet):
    """Assign the case's value if it is meant for ``function`` (and this packet)."""
    case = CASES.get(options.get("case"))
    if case and case[0] == function:
        setattr(packet, case[1], case[2])


def load_bareos_plugin(plugindef):
    return parse_plugin_definition(plugindef)


def parse_plugin_definition(plugindef):
    for item in plugindef.split(":"):
        key, sep, value = item.partition("=")
        if sep:
            options[key] = value
    return bRC_OK


def handle_plugin_event(event):
    return bRC_OK


def start_backup_file(savepkt):
    savepkt.statp = bareosfd.StatPacket(mode=0o100644, size=len(DATA), mtime=1000, ctime=1000)
    is_object = state["index"] == 0
    if is_object:
        stamp = int(time.time() * 1000)
        savepkt.fname = "/virtual/values-object"
        savepkt.type = FT_RESTORE_FIRST
        savepkt.object_name = "values-object"
        savepkt.object = bytearray(OBJECT.encode())
        savepkt.object_len = len(OBJECT.encode())
        savepkt.object_index = stamp
        report(f"object_index {stamp} stored as {savepkt.object_index}")
    else:
        savepkt.fname = "/virtual/values"
        savepkt.type = FT_REG
    if is_object == (options.get("case", "").startswith("object")):
        odd("start_backup_file", savepkt)
    return bRC_OK


def end_backup_file():
    state["index"] += 1
    return bRC_More if state["index"] < 2 else bRC_OK


def plugin_io(iop):
    if iop.func == IO_OPEN:
        state["read_done"] = False
        iop.status = bareosfd.iostat_do_in_plugin
    elif iop.func == IO_READ:
        data = b"" if state["read_done"] else DATA
        state["read_done"] = True
        iop.buf = bytearray(data)
        iop.status = len(data)
        if data:
            odd("plugin_io", iop)
    elif iop.func == IO_WRITE:
        state["written"].extend(iop.buf)
        iop.status = iop.count
    elif iop.func == IO_CLOSE:
        iop.status = 0
    return bRC_OK


def get_acl(aclpkt):
    aclpkt.content = bytearray(b"user::rw-\n")
    odd("get_acl", aclpkt)
    return bRC_OK


def set_acl(aclpkt):
    report(f"acl {bytes(aclpkt.content)!r}")
    return bRC_OK


def get_xattr(xattrpkt):
    xattrpkt.name = bytearray(b"user.values")
    xattrpkt.value = bytearray(b"1")
    odd("get_xattr", xattrpkt)
    return bRC_OK


def set_xattr(xattrpkt):
    return bRC_OK


def start_restore_file(cmd):
    return bRC_OK


def end_restore_file():
    report(f"restored {bytes(state['written'])!r}")
    return bRC_OK


def create_file(restorepkt):
    restorepkt.create_status = CF_EXTRACT
    return bRC_OK


def set_file_attributes(restorepkt):
    return bRC_OK


def check_file(fname):
    return bRC_OK


def restore_object_data(rop):
    rop.object = bytes(rop.object).decode("utf-8")   # a str where the reference has a bytearray
    report(f"restore object {rop.object_name} index {rop.object_index} "
           f"{type(rop.object).__name__} {rop.object!r} {rop!r}")
    return bRC_OK
