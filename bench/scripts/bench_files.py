"""Backup and restore of one file through plugin_io (option variant=...).

IO_OPEN opens iop.fname with open() -- "rb", or "wb" when the flags ask to
create/write -- as plugin scripts usually do (a buffered file object; reads
and writes of 64 KiB bypass its 8 KiB buffer).  Then, per variant:

direct              IO_OPEN answers iostat_do_in_core with the descriptor:
                    the daemon reads/writes it itself, no IO_READ/IO_WRITE.
bytearray_read      IO_READ: iop.buf = bytearray(f.read(iop.count))
readinto_bytearray  IO_READ: iop.buf = bytearray(iop.count);
                    iop.status = f.readinto(iop.buf)   (as spec §8.2's class)
readinto_window     IO_READ: iop.status = f.readinto(iop.window)  (zero-copy)
write_buf           IO_WRITE: f.write(iop.buf)  (buf is copied from the block)
write_window        IO_WRITE: f.write(iop.window)  (zero-copy)

IO_CLOSE closes the file.  parse_plugin_definition rebinds plugin_io to the
variant's function, so only the variant's own work is measured.
"""
import errno
import os

from bareosfd import (
    IO_CLOSE,
    IO_OPEN,
    IO_READ,
    IO_SEEK,
    IO_WRITE,
    bRC_Error,
    bRC_OK,
    iostat_do_in_core,
    iostat_do_in_plugin,
)

_file = None
_direct = False


def load_bareos_plugin(plugindef):
    return bRC_OK


def handle_plugin_event(event):
    return bRC_OK


def _control(iop):
    """Everything but the data: open, close, seek."""
    global _file
    if iop.func == IO_OPEN:
        writing = iop.flags & (os.O_CREAT | os.O_WRONLY)
        try:
            _file = open(iop.fname, "wb" if writing else "rb")
        except OSError as error:
            iop.status = -1
            iop.io_errno = error.errno or errno.EIO
            return bRC_Error
        if _direct:
            iop.filedes = _file.fileno()
            iop.status = iostat_do_in_core
        else:
            iop.status = iostat_do_in_plugin
        return bRC_OK
    if iop.func == IO_CLOSE:
        if _file is not None:
            _file.close()
            _file = None
        return bRC_OK
    if iop.func == IO_SEEK:
        return bRC_OK
    iop.status = -1
    iop.io_errno = errno.EINVAL
    return bRC_Error


def _bytearray_read(iop):
    if iop.func != IO_READ:
        return _control(iop)
    data = bytearray(_file.read(iop.count))
    iop.buf = data
    iop.status = len(data)
    return bRC_OK


def _readinto_bytearray(iop):
    if iop.func != IO_READ:
        return _control(iop)
    iop.buf = bytearray(iop.count)
    iop.status = _file.readinto(iop.buf)
    return bRC_OK


def _readinto_window(iop):
    if iop.func != IO_READ:
        return _control(iop)
    iop.status = _file.readinto(iop.window)
    return bRC_OK


def _write_buf(iop):
    if iop.func != IO_WRITE:
        return _control(iop)
    _file.write(iop.buf)
    iop.status = iop.count
    return bRC_OK


def _write_window(iop):
    if iop.func != IO_WRITE:
        return _control(iop)
    _file.write(iop.window)
    iop.status = iop.count
    return bRC_OK


VARIANTS = {
    "direct": _control,
    "bytearray_read": _bytearray_read,
    "readinto_bytearray": _readinto_bytearray,
    "readinto_window": _readinto_window,
    "write_buf": _write_buf,
    "write_window": _write_window,
}


def parse_plugin_definition(plugindef):
    global plugin_io, _direct
    options = dict(item.split("=", 1) for item in plugindef.split(":") if "=" in item)
    if options.get("variant") not in VARIANTS:
        return bRC_Error
    plugin_io = VARIANTS[options["variant"]]
    _direct = options["variant"] == "direct"
    return bRC_OK


plugin_io = _control
