"""Module-level wrapper of the small-file benchmark plugin (spec §8.1's shape).

The plugin object lives in a module global; every entry point forwards to it.
"""
import bareosfd
from bareosfd import bRC_OK

import SmallFilesPlugin


def load_bareos_plugin(plugindef):
    global bareos_fd_plugin_object
    bareos_fd_plugin_object = SmallFilesPlugin.SmallFilesPlugin(plugindef)
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


def plugin_io(IOP):
    return bareos_fd_plugin_object.plugin_io(IOP)


def create_file(restorepkt):
    return bareos_fd_plugin_object.create_file(restorepkt)


def set_file_attributes(restorepkt):
    return bareos_fd_plugin_object.set_file_attributes(restorepkt)


def check_file(fname):
    return bareos_fd_plugin_object.check_file(fname)
