"""A CPU-bound plugin_io, for concurrent jobs (option variant=...).

Every IO_READ copies a prebuilt 64 KiB block into the daemon's buffer
(iop.window) and then works on it:

sha256  hashlib.sha256(block): C code that releases the GIL while it
        hashes (buffers over 2 KiB), so two jobs can overlap.
pyloop  a pure-Python byte sum over the first 4 KiB of the block: holds the
        GIL the whole time, so two jobs can only take turns.
"""
import hashlib

from bareosfd import IO_READ, bRC_Error, bRC_OK, iostat_do_in_plugin

DATA = bytes(range(256)) * 256
checksum = 0


def load_bareos_plugin(plugindef):
    return bRC_OK


def handle_plugin_event(event):
    return bRC_OK


def _sha256(iop):
    if iop.func != IO_READ:
        iop.status = iostat_do_in_plugin
        return bRC_OK
    window = iop.window
    window[:] = DATA
    hashlib.sha256(window).digest()
    iop.status = len(window)
    return bRC_OK


def _pyloop(iop):
    global checksum
    if iop.func != IO_READ:
        iop.status = iostat_do_in_plugin
        return bRC_OK
    window = iop.window
    window[:] = DATA
    total = 0
    for byte in DATA[:4096]:
        total += byte
    checksum = total
    iop.status = len(window)
    return bRC_OK


VARIANTS = {"sha256": _sha256, "pyloop": _pyloop}


def parse_plugin_definition(plugindef):
    global plugin_io
    options = dict(item.split("=", 1) for item in plugindef.split(":") if "=" in item)
    if options.get("variant") not in VARIANTS:
        return bRC_Error
    plugin_io = VARIANTS[options["variant"]]
    return bRC_OK


plugin_io = _sha256
