"""Test plugin script whose plugin_io rebinds the module's plugin_io on every
IO_READ (spec §3: the layer looks the script's functions up per call, so the
next call reaches the new binding).  Reads answer 1 byte from ``_one`` and 2
bytes from ``_two``; the third ``_two`` binds a non-callable instead, so
every later call finds no plugin_io."""
import bareosfd
from bareosfd import IO_READ, bRC_OK

state = {"reads": 0}


def load_bareos_plugin(plugindef):
    bareosfd.RegisterEvents([bareosfd.bEventStartBackupJob])
    return bRC_OK


def parse_plugin_definition(plugindef):
    return bRC_OK


def handle_plugin_event(event):
    return bRC_OK


def _answer(iop, data):
    iop.buf = bytearray(data)
    iop.status = len(data)
    return bRC_OK


def _one(iop):
    global plugin_io
    if iop.func != IO_READ:
        return bRC_OK
    plugin_io = _two
    return _answer(iop, b"1")


def _two(iop):
    global plugin_io
    if iop.func != IO_READ:
        return bRC_OK
    state["reads"] += 1
    if state["reads"] == 3:
        plugin_io = 42            # not callable: the next read finds no plugin_io
    else:
        plugin_io = _one
    return _answer(iop, b"22")


plugin_io = _one
