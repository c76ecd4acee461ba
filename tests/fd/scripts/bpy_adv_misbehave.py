"""A plugin script that misbehaves on purpose, next to other jobs.

Normally it backs up one restore object, the file "/adv-bad/file" (with an
ACL and an xattr) and, with ``extra=1``, "/adv-bad/gone" (so that an accurate
backup with such an archive as --previous calls check_file), and restores
them into memory.  With ``fail=<entry point>:how=<kind>`` the first call of
that entry point (``fail=all``: of every entry point) misbehaves:

  raise      raises RuntimeError("adv injected ...")
  wrongtype  returns a list instead of a bRC
  bigint     returns 2**70
  keepref    keeps the packets it gets and ``iop.window``, and uses them in
             every later call (reads, writes, writes into the kept window)
  copy       copy.copy / copy.deepcopy / pickle.dumps of every packet it gets
  open       builtins.open = None
  import     builtins.__import__ = None
  modules    sys.modules["traceback"] = sys.modules["linecache"] = None, then raises
  stdout     deletes sys.stdout and sys.stderr, then prints
  sleep      blocks in time.sleep(SLEEP) (``sleep=`` option, default 1 s)
  huge       a HUGE-byte job message and a HUGE-byte print
  trace      nothing but the "ADV <entry> misbehaves" message (checks the suite)

What happened is reported in job messages starting with "ADV ", e.g.
"ADV keepref window ValueError" when a kept window refused a write, or
"ADV keepref window WRITTEN" when it did not ("... READ" for a read).
"""
import builtins
import copy
import pickle
import sys
import time

import bareosfd
from bareosfd import (CF_EXTRACT, FT_REG, FT_RESTORE_FIRST, IO_CLOSE, IO_OPEN, IO_READ,
                      IO_WRITE, M_INFO, bRC_More, bRC_OK, bRC_Seen, bRC_Stop)

DATA = b"adv-bad data\n" * 1000
HUGE = 4 << 20
options = {}
done = set()        # entry points that misbehaved already
kept = []           # keepref: packets and windows from earlier calls
state = {"index": 0, "read": 0}
written = bytearray()


def report(text):
    try:
        bareosfd.JobMessage(M_INFO, "ADV %s\n" % text)
    except Exception:
        pass


def use_kept(where):
    """keepref: touch everything kept from earlier calls."""
    for item in list(kept):
        if isinstance(item, memoryview):
            try:
                bytes(item[0:16])
                report("keepref window READ in %s" % where)
            except ValueError:
                report("keepref window ValueError on read in %s" % where)
            try:
                item[0:4] = b"EVIL"
                report("keepref window WRITTEN in %s" % where)
            except ValueError:
                report("keepref window ValueError in %s" % where)
            except TypeError:
                report("keepref window read-only in %s" % where)
            continue
        try:
            repr(item)
            for name in ("fname", "status", "buf", "statp", "flags", "content", "value",
                         "object", "ofname", "create_status"):
                if hasattr(item, name):
                    value = getattr(item, name)
                    try:
                        setattr(item, name, value)
                    except (AttributeError, TypeError, ValueError):
                        pass
        except Exception as error:
            report("keepref %s %s in %s" % (type(item).__name__, type(error).__name__, where))


def copy_all(entry, args):
    for packet in args:
        if not type(packet).__module__.startswith("bareosfd") and \
                type(packet).__name__ not in ("IoPacket", "SavePacket", "RestorePacket",
                                              "AclPacket", "XattrPacket", "RestoreObject",
                                              "StatPacket"):
            continue
        for name, operation in (("copy", copy.copy), ("deepcopy", copy.deepcopy),
                                ("pickle", lambda p: pickle.loads(pickle.dumps(p)))):
            try:
                operation(packet)
                outcome = "ok"
            except TypeError:
                outcome = "TypeError"
            report("copy %s of %s in %s: %s" % (name, type(packet).__name__, entry, outcome))


def misbehave(entry, *args):
    """None to go on normally, or the value the entry point must return."""
    if options.get("how") == "keepref" and options.get("fail") in (entry, "all"):
        use_kept(entry)
        kept.extend(args)
        for packet in args:
            if type(packet).__name__ == "IoPacket" and packet.window is not None:
                kept.append(packet.window)
    if options.get("fail") not in (entry, "all") or entry in done:
        return None
    done.add(entry)
    how = options.get("how")
    report("%s misbehaves: %s" % (entry, how))
    if how == "raise":
        raise RuntimeError("adv injected in %s" % entry)
    if how == "wrongtype":
        return ["bRC_OK"]
    if how == "bigint":
        return 2 ** 70
    if how == "copy":
        copy_all(entry, args)
    elif how == "open":
        builtins.open = None
    elif how == "import":
        builtins.__import__ = None
    elif how == "modules":
        sys.modules["traceback"] = None
        sys.modules["linecache"] = None
        raise RuntimeError("adv injected in %s after sabotaging sys.modules" % entry)
    elif how == "stdout":
        del sys.stdout
        del sys.stderr
        print("adv printing without sys.stdout in %s" % entry)
    elif how == "sleep":
        time.sleep(float(options.get("sleep", "1")))
    elif how == "huge":
        bareosfd.JobMessage(M_INFO, "H" * HUGE + "\n")
        print("P" * HUGE)
    elif how not in ("keepref", "trace"):
        raise AssertionError("unknown how=%r" % how)
    return None


def parse_options(plugindef):
    for item in plugindef.split(":"):
        key, sep, value = item.partition("=")
        if sep:
            options[key] = value


def load_bareos_plugin(plugindef):
    parse_options(plugindef)
    bad = misbehave("load_bareos_plugin")
    if bad is not None:
        return bad
    bareosfd.RegisterEvents([bareosfd.bEventStartBackupJob, bareosfd.bEventEndBackupJob,
                             bareosfd.bEventStartRestoreJob, bareosfd.bEventEndRestoreJob,
                             bareosfd.bEventJobEnd])
    return bRC_OK


def parse_plugin_definition(plugindef):
    parse_options(plugindef)
    bad = misbehave("parse_plugin_definition")
    return bRC_OK if bad is None else bad


def handle_plugin_event(event):
    bad = misbehave("handle_plugin_event")
    if bad is None and event == bareosfd.bEventJobEnd and options.get("how") == "keepref":
        use_kept("bEventJobEnd")
    return bRC_OK if bad is None else bad


NAMES = ["/adv-bad/object", "/adv-bad/file", "/adv-bad/gone"]


def start_backup_file(savepkt):
    bad = misbehave("start_backup_file", savepkt)
    if bad is not None:
        return bad
    index = state["index"]
    if index >= (3 if options.get("extra") == "1" else 2):
        return bRC_Stop
    now = int(time.time())  # newer than any --previous job: always saved in full
    savepkt.statp = bareosfd.StatPacket(mode=0o100644, size=len(DATA), mtime=now, ctime=now)
    savepkt.fname = NAMES[index]
    if index == 0:
        savepkt.type = FT_RESTORE_FIRST
        savepkt.object_name = "adv-object"
        savepkt.object = bytearray(b"adv object data")
        savepkt.object_len = len(b"adv object data")
        savepkt.object_index = 3
    else:
        savepkt.type = FT_REG
    return bRC_OK


def end_backup_file():
    bad = misbehave("end_backup_file")
    if bad is not None:
        return bad
    state["index"] += 1
    return bRC_More if state["index"] < (3 if options.get("extra") == "1" else 2) else bRC_OK


def plugin_io(iop):
    bad = misbehave("plugin_io", iop)
    if bad is not None:
        return bad
    if iop.func == IO_OPEN:
        state["read"] = 0
        iop.status = bareosfd.iostat_do_in_plugin
    elif iop.func == IO_READ:
        chunk = DATA[state["read"]:state["read"] + iop.count]
        state["read"] += len(chunk)
        iop.buf = bytearray(chunk)
        iop.status = len(chunk)
    elif iop.func == IO_WRITE:
        written.extend(iop.buf)
        iop.status = iop.count
    elif iop.func == IO_CLOSE:
        iop.status = 0
    return bRC_OK


def get_acl(aclpkt):
    bad = misbehave("get_acl", aclpkt)
    if bad is not None:
        return bad
    aclpkt.content = bytearray(b"user::rw-\n")
    return bRC_OK


def set_acl(aclpkt):
    bad = misbehave("set_acl", aclpkt)
    return bRC_OK if bad is None else bad


def get_xattr(xattrpkt):
    bad = misbehave("get_xattr", xattrpkt)
    if bad is not None:
        return bad
    if xattrpkt.name:
        return bRC_OK
    xattrpkt.name = bytearray(b"user.adv")
    xattrpkt.value = bytearray(b"1")
    return bRC_OK


def set_xattr(xattrpkt):
    bad = misbehave("set_xattr", xattrpkt)
    return bRC_OK if bad is None else bad


def check_file(fname):
    bad = misbehave("check_file")
    return bRC_Seen if bad is None else bad


def start_restore_file(cmd):
    bad = misbehave("start_restore_file")
    return bRC_OK if bad is None else bad


def end_restore_file():
    bad = misbehave("end_restore_file")
    return bRC_OK if bad is None else bad


def create_file(restorepkt):
    bad = misbehave("create_file", restorepkt)
    if bad is not None:
        return bad
    restorepkt.create_status = CF_EXTRACT
    return bRC_OK


def set_file_attributes(restorepkt):
    bad = misbehave("set_file_attributes", restorepkt)
    return bRC_OK if bad is None else bad


def restore_object_data(rop):
    bad = misbehave("restore_object_data", rop)
    return bRC_OK if bad is None else bad
