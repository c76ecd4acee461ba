"""The "wrapper" pattern of spec §8.1, our own spelling: a class decorator
records the plugin class, load_bareos_plugin() instantiates it, and every
other entry point forwards to the method of the same name on the object.
A script does ``from fd_wrapper import *``."""
from bareosfd import bRC_OK

bareos_fd_plugin_object = None
plugin_class = None

FORWARDED = ["parse_plugin_definition", "handle_plugin_event", "start_backup_file",
             "end_backup_file", "start_restore_file", "end_restore_file", "plugin_io",
             "create_file", "set_file_attributes", "check_file", "restore_object_data"]


def BareosPlugin(cls):
    global plugin_class
    plugin_class = cls
    return cls


def load_bareos_plugin(plugindef):
    global bareos_fd_plugin_object
    bareos_fd_plugin_object = plugin_class(plugindef)
    return bRC_OK


def _forwarder(name):
    def forward(*args):
        return getattr(bareos_fd_plugin_object, name)(*args)
    forward.__name__ = name
    return forward


for _name in FORWARDED:
    globals()[_name] = _forwarder(_name)

__all__ = ["bareos_fd_plugin_object", "BareosPlugin", "load_bareos_plugin"] + FORWARDED
