"""Test plugin script that misbehaves on purpose.

Normally it backs up one restore object and one in-memory file
("/virtual/file", with an ACL and one xattr) and restores them into memory.
With ``fail=<function>:how=<kind>`` the named function misbehaves instead:

  exception          raises ValueError
  systemexit         raises SystemExit
  keyboardinterrupt  raises KeyboardInterrupt
  recursion          recurses until RecursionError
  memoryerror        raises MemoryError
  wrongtype          returns a str instead of a bRC
  none               returns None
"""
import bareosfd
from bareosfd import (CF_EXTRACT, FT_REG, FT_RESTORE_FIRST, IO_CLOSE, IO_OPEN, IO_READ,
                      IO_WRITE, bRC_Core, bRC_More, bRC_OK, bRC_Seen)

DATA = b"hello from bpy_errors\n"
NORMAL = object()

options = {}
index = 0          # 0: the restore object, 1: the file
read_done = False
written = bytearray()


def recurse(depth):
    return recurse(depth + 1) + 1


def misbehave(name):
    """NORMAL, or what ``name`` should return instead; raises for the raising kinds."""
    if options.get("fail") != name:
        return NORMAL
    how = options.get("how")
    if how == "exception":
        raise ValueError("injected failure in %s" % name)
    if how == "systemexit":
        raise SystemExit(3)
    if how == "keyboardinterrupt":
        raise KeyboardInterrupt("injected in %s" % name)
    if how == "recursion":
        return recurse(0)
    if how == "memoryerror":
        raise MemoryError("injected in %s" % name)
    if how == "wrongtype":
        return "bRC_OK"
    if how == "none":
        return None
    raise AssertionError("unknown how=%r" % how)


def parse_options(plugindef):
    for item in plugindef.split(":"):
        key, sep, value = item.partition("=")
        if sep:
            options[key] = value


def load_bareos_plugin(plugindef):
    parse_options(plugindef)
    bad = misbehave("load_bareos_plugin")
    if bad is not NORMAL:
        return bad
    bareosfd.RegisterEvents([bareosfd.bEventStartBackupJob, bareosfd.bEventHandleBackupFile])
    return bRC_OK


def parse_plugin_definition(plugindef):
    parse_options(plugindef)
    bad = misbehave("parse_plugin_definition")
    return bRC_OK if bad is NORMAL else bad


def handle_plugin_event(event):
    bad = misbehave("handle_plugin_event")
    return bRC_OK if bad is NORMAL else bad


def start_backup_file(savepkt):
    bad = misbehave("start_backup_file")
    if bad is not NORMAL:
        return bad
    savepkt.statp = bareosfd.StatPacket(mode=0o100644, size=len(DATA), mtime=1000, ctime=1000)
    if index == 0:
        savepkt.fname = "/virtual/object"
        savepkt.type = FT_RESTORE_FIRST
        savepkt.object_name = "errors-object"
        savepkt.object = bytearray(b"object data")
        savepkt.object_len = len(b"object data")
        savepkt.object_index = 7
    else:
        savepkt.fname = "/virtual/file"
        savepkt.type = FT_REG
    return bRC_OK


def end_backup_file():
    global index
    bad = misbehave("end_backup_file")
    if bad is not NORMAL:
        return bad
    index += 1
    return bRC_More if index < 2 else bRC_OK


def plugin_io(iop):
    global read_done
    bad = misbehave("plugin_io")
    if bad is not NORMAL:
        return bad
    if iop.func == IO_OPEN:
        read_done = False
        iop.status = bareosfd.iostat_do_in_plugin
    elif iop.func == IO_READ:
        data = b"" if read_done else DATA
        read_done = True
        iop.buf = bytearray(data)
        iop.status = len(data)
    elif iop.func == IO_WRITE:
        written.extend(iop.buf)
        iop.status = iop.count
    elif iop.func == IO_CLOSE:
        iop.status = 0
    return bRC_OK


def get_acl(aclpkt):
    bad = misbehave("get_acl")
    if bad is not NORMAL:
        return bad
    aclpkt.content = bytearray(b"user::rw-\n")
    return bRC_OK


def set_acl(aclpkt):
    bad = misbehave("set_acl")
    return bRC_OK if bad is NORMAL else bad


def get_xattr(xattrpkt):
    bad = misbehave("get_xattr")
    if bad is not NORMAL:
        return bad
    xattrpkt.name = bytearray(b"user.test")
    xattrpkt.value = bytearray(b"1")
    return bRC_OK


def set_xattr(xattrpkt):
    bad = misbehave("set_xattr")
    return bRC_OK if bad is NORMAL else bad


def check_file(fname):
    bad = misbehave("check_file")
    return bRC_Seen if bad is NORMAL else bad


def handle_backup_file(savepkt):
    bad = misbehave("handle_backup_file")
    return bRC_Core if bad is NORMAL else bad


def start_restore_file(cmd):
    bad = misbehave("start_restore_file")
    return bRC_OK if bad is NORMAL else bad


def end_restore_file():
    bad = misbehave("end_restore_file")
    return bRC_OK if bad is NORMAL else bad


def create_file(restorepkt):
    bad = misbehave("create_file")
    if bad is not NORMAL:
        return bad
    restorepkt.create_status = CF_EXTRACT
    return bRC_OK


def set_file_attributes(restorepkt):
    bad = misbehave("set_file_attributes")
    return bRC_OK if bad is NORMAL else bad


def restore_object_data(rop):
    bad = misbehave("restore_object_data")
    return bRC_OK if bad is NORMAL else bad
