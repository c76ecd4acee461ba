"""IO_READ answering one 64 KiB block, three ways (option variant=...):

bytes      iop.buf = DATA (a prebuilt bytes object); the plugin copies it
           into the daemon's block: one 64 KiB copy.
bytearray  iop.buf = bytearray(iop.count), status = count: allocate and
           zero 64 KiB, then the plugin copies it: one fill, one copy.
window     iop.window[:] = DATA: the script copies DATA straight into the
           daemon's block (zero-copy interface): one 64 KiB copy, like
           "bytes", and nothing for the plugin to copy afterwards.

parse_plugin_definition rebinds the module's plugin_io to the chosen
function (the plugin looks script functions up at each call), so no
per-call dispatch is measured.
"""
from bareosfd import bRC_Error, bRC_OK

DATA = bytes(range(256)) * 256  # 64 KiB; byte i holds i & 255


def load_bareos_plugin(plugindef):
    return bRC_OK


def _bytes(iop):
    iop.buf = DATA
    iop.status = len(DATA)
    return bRC_OK


def _bytearray(iop):
    iop.buf = bytearray(iop.count)
    iop.status = iop.count
    return bRC_OK


def _window(iop):
    iop.window[:] = DATA
    iop.status = len(DATA)
    return bRC_OK


VARIANTS = {"bytes": _bytes, "bytearray": _bytearray, "window": _window}


def parse_plugin_definition(plugindef):
    global plugin_io
    options = dict(item.split("=", 1) for item in plugindef.split(":") if "=" in item)
    if options.get("variant") not in VARIANTS:
        return bRC_Error
    plugin_io = VARIANTS[options["variant"]]
    return bRC_OK


def handle_plugin_event(event):
    return bRC_OK


plugin_io = _bytes
