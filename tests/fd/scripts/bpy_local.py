"""Test plugin script: backs up a directory tree through the plugin and restores it.

Every entry point it defines sends a trace line as a debug message (level
400): ``TRACE ["<function>", arg, ...]`` with JSON arguments, so a test sees
which function was called, in which order, with what.

Options (the plugin definition's own keys, e.g. ``dir=/srv:io=core``):

  dir=PATH        back up PATH recursively: files (FT_REG/FT_REGE), symlinks
                  (FT_LNK) and directories (FT_DIREND, after their contents)
  io=plugin|core|window  data through plugin_io READ/WRITE in IoPacket.buf
                  (default), direct I/O, or zero-copy through IoPacket.window
  restore_io=...  the same, for restores only (default: as io)
  objects=N       first send N restore objects (FT_RESTORE_FIRST)
  acl=1, xattr=1  answer get_acl / get_xattr (two xattrs per file)
  create=POLICY   restore: extract (default), core, skip, created or error
  nocheck=1       SetValue(bVarCheckChanges, False): no automatic change check
  seen=TEXT       check_file() answers bRC_Seen for names containing TEXT
  without=f,g     delete these functions from the module (the C plugin then
                  finds no such function)
  events=N,M      the events to register (default: a common set)
  load_rc=N       load_bareos_plugin() returns N
  parse_rc=N      parse_plugin_definition() returns N
  event_rc=N      handle_plugin_event() returns N
  handle=POLICY   handle_backup_file(): core (default), ok or skip
  fileset=1       at load, call every FileSet / accurate function of bareosfd
                  and trace what each returned
"""
import json
import os
import re
import stat

import bareosfd
from bareosfd import (CF_CORE, CF_CREATED, CF_ERROR, CF_EXTRACT, CF_SKIP, FT_DIREND,
                      FT_LNK, FT_REG, FT_REGE, FT_RESTORE_FIRST, IO_CLOSE, IO_OPEN,
                      IO_READ, IO_SEEK, IO_WRITE, bRC_Core, bRC_Error, bRC_More, bRC_OK,
                      bRC_Seen, bRC_Skip, bRC_Stop)

DEFAULT_EVENTS = [
    bareosfd.bEventJobEnd, bareosfd.bEventStartBackupJob, bareosfd.bEventEndBackupJob,
    bareosfd.bEventStartRestoreJob, bareosfd.bEventEndRestoreJob,
    bareosfd.bEventCancelCommand, bareosfd.bEventEndFileSet,
    bareosfd.bEventHandleBackupFile,
]

options = {}
todo = None          # what is left to back up: [("object", n) or ("path", path)]
handle = None        # the file being read or written
xattr_index = {}     # get_xattr: how many xattrs of a file were sent


def trace(name, *args):
    bareosfd.DebugMessage(400, "TRACE " + json.dumps([name] + list(args)) + "\n")


def parse_options(plugindef):
    result = {}
    for item in re.split(r"(?<!\\):", plugindef):
        key, sep, value = item.partition("=")
        if sep:
            result[key] = value
    return result


def apply_options(plugindef):
    options.update(parse_options(plugindef))
    for name in options.get("without", "").split(","):
        if name:
            globals().pop(name, None)


def load_bareos_plugin(plugindef):
    trace("load_bareos_plugin", plugindef)
    apply_options(plugindef)
    if "events" in options:
        events = [int(e) for e in options["events"].split(",") if e]
    else:
        events = DEFAULT_EVENTS
    if events:
        bareosfd.RegisterEvents(events)
    if options.get("nocheck"):
        bareosfd.SetValue(bareosfd.bVarCheckChanges, False)
    if options.get("fileset"):
        call_core_functions()
    trace("values", bareosfd.GetValue(bareosfd.bVarJobId), bareosfd.GetValue(bareosfd.bVarLevel),
          bareosfd.GetValue(bareosfd.bVarSinceTime), bareosfd.GetValue(bareosfd.bVarType),
          bareosfd.GetValue(bareosfd.bVarCheckChanges))
    return int(options.get("load_rc", bRC_OK))


def call_core_functions():
    """Every core callback a script can reach, with what each answered."""
    probe = bareosfd.SavePacket(fname="/probe/file", type=FT_REG)
    probe.statp = bareosfd.StatPacket(mode=0o100644, size=3, mtime=100, ctime=100)
    probe.save_time = 200
    trace("core_functions", {
        "AddExclude": bareosfd.AddExclude("/excluded"),
        "AddInclude": bareosfd.AddInclude("/included"),
        "AddOptions": bareosfd.AddOptions("ie"),
        "AddRegex": bareosfd.AddRegex(r"\.tmp$", ord("F")),
        "AddWild": bareosfd.AddWild("*.bak", ord("B")),
        "NewOptions": bareosfd.NewOptions(),
        "NewInclude": bareosfd.NewInclude(),
        "NewPreInclude": bareosfd.NewPreInclude(),
        "SetSeenBitmap": bareosfd.SetSeenBitmap(False, "/seen/one"),
        "ClearSeenBitmap": bareosfd.ClearSeenBitmap(True),
        "SetValue(bVarFileSeen)": bareosfd.SetValue(bareosfd.bVarFileSeen, "/seen/two"),
        "GetInstanceCount": bareosfd.GetInstanceCount(),
        "AcceptFile": bareosfd.AcceptFile(probe),
        "CheckChanges": bareosfd.CheckChanges(probe),
        "GetValue(bVarJobName)": bareosfd.GetValue(bareosfd.bVarJobName),
        "GetValue(bVarAccurateOptions)": sorted(bareosfd.GetValue(bareosfd.bVarAccurateOptions)),
    })


def parse_plugin_definition(plugindef):
    trace("parse_plugin_definition", plugindef)
    apply_options(plugindef)
    return int(options.get("parse_rc", bRC_OK))


def handle_plugin_event(event):
    trace("handle_plugin_event", event)
    return int(options.get("event_rc", bRC_OK))


# -- backup ------------------------------------------------------------------------

def walk(path):
    """Every entry under ``path``, a directory after its contents."""
    entries = []
    for name in sorted(os.listdir(path)):
        full = os.path.join(path, name)
        if stat.S_ISDIR(os.lstat(full).st_mode):
            entries.extend(walk(full))
        else:
            entries.append(full)
    entries.append(path)
    return entries


def object_data(number):
    return ("object %d of %s\n" % (number, options.get("dir", "-"))).encode() + bytes([0, 1, 255])


def stat_packet(st):
    return bareosfd.StatPacket(
        dev=st.st_dev, ino=st.st_ino, mode=st.st_mode, nlink=st.st_nlink, uid=st.st_uid,
        gid=st.st_gid, rdev=st.st_rdev, size=st.st_size, atime=int(st.st_atime),
        mtime=int(st.st_mtime), ctime=int(st.st_ctime), blksize=st.st_blksize,
        blocks=st.st_blocks)


def start_backup_file(savepkt):
    global todo
    trace("start_backup_file", savepkt.cmd, savepkt.flags.hex(), savepkt.no_read,
          savepkt.portable, savepkt.type, savepkt.statp is None)
    if todo is None:
        todo = [("object", n) for n in range(int(options.get("objects", 0)))]
        if options.get("dir"):
            todo += [("path", p) for p in walk(options["dir"])]
    if not todo:
        return bRC_Stop
    kind, value = todo[0]
    if kind == "object":
        data = object_data(value)
        savepkt.fname = "/restore-objects/object-%d" % value
        savepkt.type = FT_RESTORE_FIRST
        savepkt.statp = bareosfd.StatPacket()
        savepkt.object_name = "object-%d" % value
        savepkt.object = bytearray(data)
        savepkt.object_len = len(data)
        savepkt.object_index = value
        return bRC_OK
    st = os.lstat(value)
    savepkt.fname = value
    savepkt.statp = stat_packet(st)
    if stat.S_ISDIR(st.st_mode):
        savepkt.type = FT_DIREND
        savepkt.link = value.rstrip("/") + "/"
        savepkt.no_read = True
    elif stat.S_ISLNK(st.st_mode):
        savepkt.type = FT_LNK
        savepkt.link = os.readlink(value)
        savepkt.no_read = True
    else:
        savepkt.type = FT_REG if st.st_size else FT_REGE
        savepkt.no_read = False
    return bRC_OK


def end_backup_file():
    trace("end_backup_file")
    todo.pop(0)
    return bRC_More if todo else bRC_OK


def check_file(fname):
    trace("check_file", fname)
    seen = options.get("seen")
    return bRC_Seen if seen and seen in fname else bRC_OK


def get_acl(aclpkt):
    trace("get_acl", aclpkt.fname, aclpkt.content is None)
    if options.get("acl"):
        aclpkt.content = bytearray(b"user::rw-\ngroup::r--\n# " + os.fsencode(aclpkt.fname))
    return bRC_OK


XATTRS = [(b"user.origin", None), (b"user.binary", bytes([0, 1, 2, 127, 128, 255]))]


def get_xattr(xattrpkt):
    trace("get_xattr", xattrpkt.fname, xattrpkt.name is None, xattrpkt.value is None)
    if not options.get("xattr"):
        return bRC_OK
    index = xattr_index.get(xattrpkt.fname, 0)
    name, value = XATTRS[index]
    xattrpkt.name = bytearray(name)
    xattrpkt.value = bytearray(value if value is not None else os.fsencode(xattrpkt.fname))
    xattr_index[xattrpkt.fname] = index + 1
    return bRC_More if index + 1 < len(XATTRS) else bRC_OK


def handle_backup_file(savepkt):
    trace("handle_backup_file", savepkt.fname, savepkt.type, savepkt.no_read,
          savepkt.flags.hex(), savepkt.cmd, savepkt.statp is not None and savepkt.statp.st_size)
    policy = options.get("handle", "core")
    if policy == "ok":
        savepkt.no_read = True
        savepkt.flags = bytearray([1, 0, 0, 0, 0])   # FO_PORTABLE_DATA
        return bRC_OK
    return bRC_Skip if policy == "skip" else bRC_Core


# -- I/O ---------------------------------------------------------------------------------

def plugin_io(iop):
    global handle
    if iop.func == IO_OPEN:
        trace("plugin_io", "open", iop.fname, iop.flags, iop.mode, iop.filedes)
        writing = iop.flags & (os.O_CREAT | os.O_WRONLY)
        try:
            handle = open(iop.fname, "wb" if writing else "rb")
        except OSError as error:
            iop.status = bareosfd.iostat_error
            iop.io_errno = error.errno
            return bRC_Error
        mode = options.get("io")
        if writing:
            mode = options.get("restore_io", mode)
        if mode == "core":
            iop.filedes = handle.fileno()
            iop.status = bareosfd.iostat_do_in_core
        else:
            iop.status = bareosfd.iostat_do_in_plugin
        return bRC_OK
    if iop.func == IO_READ:
        trace("plugin_io", "read", iop.count)
        if options.get("io") == "window":      # zero-copy: straight into the core's block
            iop.status = handle.readinto(iop.window)
            return bRC_OK
        data = handle.read(iop.count)
        iop.buf = bytearray(data)
        iop.status = len(data)
        return bRC_OK
    if iop.func == IO_WRITE:
        if options.get("restore_io", options.get("io")) == "window":
            trace("plugin_io", "write", iop.count, len(iop.window))
            handle.write(iop.window)
        else:
            trace("plugin_io", "write", iop.count, len(iop.buf))
            handle.write(iop.buf)
        # The core calls set_file_attributes BEFORE IO_CLOSE: nothing may stay
        # buffered, or closing would write it and change the mtime just set.
        handle.flush()
        iop.status = iop.count
        return bRC_OK
    if iop.func == IO_CLOSE:
        trace("plugin_io", "close", iop.filedes)
        if handle is not None:
            handle.close()
            handle = None
        return bRC_OK
    if iop.func == IO_SEEK:
        trace("plugin_io", "seek", iop.offset, iop.whence)
        handle.seek(iop.offset, iop.whence)
        return bRC_OK
    return bRC_Error


# -- restore ------------------------------------------------------------------------------

def start_restore_file(cmd):
    trace("start_restore_file", cmd)
    return bRC_OK


def end_restore_file():
    trace("end_restore_file")
    return bRC_OK


def create_file(restorepkt):
    trace("create_file", restorepkt.ofname, restorepkt.olname, restorepkt.type,
          restorepkt.where, restorepkt.replace, restorepkt.create_status, restorepkt.filedes,
          restorepkt.statp.st_mode, restorepkt.statp.st_size, restorepkt.original_file_name)
    policy = options.get("create", "extract")
    statuses = {"core": CF_CORE, "skip": CF_SKIP, "error": CF_ERROR}
    if policy in statuses:
        restorepkt.create_status = statuses[policy]
        return bRC_OK
    ofname = restorepkt.ofname
    if restorepkt.type == FT_DIREND:
        os.makedirs(ofname, exist_ok=True)
        restorepkt.create_status = CF_CREATED
    elif restorepkt.type == FT_LNK:
        os.makedirs(os.path.dirname(ofname), exist_ok=True)
        if os.path.lexists(ofname):
            os.unlink(ofname)
        os.symlink(restorepkt.olname, ofname)
        restorepkt.create_status = CF_CREATED
    else:
        os.makedirs(os.path.dirname(ofname), exist_ok=True)
        restorepkt.create_status = CF_CREATED if policy == "created" else CF_EXTRACT
    return bRC_OK


def set_file_attributes(restorepkt):
    trace("set_file_attributes", restorepkt.ofname, restorepkt.statp.st_mode,
          restorepkt.statp.st_mtime)
    statp = restorepkt.statp
    if restorepkt.type != FT_LNK and os.path.exists(restorepkt.ofname):
        os.chmod(restorepkt.ofname, statp.st_mode & 0o7777)
        os.utime(restorepkt.ofname, (statp.st_atime, statp.st_mtime))
    return bRC_OK


def set_acl(aclpkt):
    trace("set_acl", aclpkt.fname, bytes(aclpkt.content).hex())
    return bRC_OK


def set_xattr(xattrpkt):
    trace("set_xattr", xattrpkt.fname, bytes(xattrpkt.name).hex(), bytes(xattrpkt.value).hex())
    return bRC_OK


def restore_object_data(rop):
    trace("restore_object_data", rop.object_name, bytes(rop.object).hex(), rop.plugin_name,
          rop.object_type, rop.object_len, rop.object_index, rop.jobid)
    return bRC_OK
