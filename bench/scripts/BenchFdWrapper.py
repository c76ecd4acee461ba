"""A module-level wrapper around a class-based plugin, written for the
benchmarks the way spec §8.1 describes Bareos' BareosFdWrapper.py: the plugin
object lives in a module global, a decorator records the class, and every
entry point is a thin forwarder to the method of the same name.

A script does ``from BenchFdWrapper import *`` and decorates its class with
``@BareosPlugin``; the daemon plugin finds the forwarders in the script's own
globals.
"""
from bareosfd import bRC_OK

__all__ = [
    "bareos_fd_plugin_object",
    "BareosPlugin",
    "load_bareos_plugin",
    "parse_plugin_definition",
    "handle_plugin_event",
    "start_backup_file",
    "end_backup_file",
    "start_restore_file",
    "end_restore_file",
    "restore_object_data",
    "plugin_io",
    "create_file",
    "set_file_attributes",
    "check_file",
    "get_acl",
    "set_acl",
    "get_xattr",
    "set_xattr",
    "handle_backup_file",
]

bareos_fd_plugin_object = None
_plugin_class = []


def BareosPlugin(cls):
    """Class decorator: the class load_bareos_plugin instantiates."""
    _plugin_class[:] = [cls]
    return cls


def load_bareos_plugin(plugindef):
    global bareos_fd_plugin_object
    bareos_fd_plugin_object = _plugin_class[0](plugindef)
    return bRC_OK


def parse_plugin_definition(plugindef):
    return bareos_fd_plugin_object.parse_plugin_definition(plugindef)


def handle_plugin_event(event):
    return bareos_fd_plugin_object.handle_plugin_event(event)


def start_backup_file(savepkt):
    return bareos_fd_plugin_object.start_backup_file(savepkt)


def end_backup_file():
    return bareos_fd_plugin_object.end_backup_file()


def start_restore_file(cmd):
    return bareos_fd_plugin_object.start_restore_file(cmd)


def end_restore_file():
    return bareos_fd_plugin_object.end_restore_file()


def restore_object_data(ROP):
    return bareos_fd_plugin_object.restore_object_data(ROP)


def plugin_io(IOP):
    return bareos_fd_plugin_object.plugin_io(IOP)


def create_file(restorepkt):
    return bareos_fd_plugin_object.create_file(restorepkt)


def set_file_attributes(restorepkt):
    return bareos_fd_plugin_object.set_file_attributes(restorepkt)


def check_file(fname):
    return bareos_fd_plugin_object.check_file(fname)


def get_acl(acl):
    return bareos_fd_plugin_object.get_acl(acl)


def set_acl(acl):
    return bareos_fd_plugin_object.set_acl(acl)


def get_xattr(xattr):
    return bareos_fd_plugin_object.get_xattr(xattr)


def set_xattr(xattr):
    return bareos_fd_plugin_object.set_xattr(xattr)


def handle_backup_file(savepkt):
    return bareos_fd_plugin_object.handle_backup_file(savepkt)
