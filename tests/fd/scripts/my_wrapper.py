"""Helper module of bpy_wrapped.py: the "wrapper" pattern (spec §8.1).

The plugin object lives in a module global of THIS module; the script does
``from my_wrapper import *``, so the functions the C plugin finds in the
script's globals are these forwarders.  Each plugin instance must get its own
copy of this module, or two jobs would share one plugin object.
"""
from bareosfd import bRC_OK

bareos_fd_plugin_object = None
plugin_class = None


def BareosPlugin(cls):
    """Class decorator: the class load_bareos_plugin() instantiates."""
    global plugin_class
    plugin_class = cls
    return cls


def load_bareos_plugin(plugindef):
    global bareos_fd_plugin_object
    bareos_fd_plugin_object = plugin_class(plugindef)
    return bRC_OK


def parse_plugin_definition(plugindef):
    return bareos_fd_plugin_object.parse_plugin_definition(plugindef)


def handle_plugin_event(event):
    return bareos_fd_plugin_object.handle_plugin_event(event)


def plugin_io(iop):
    return bareos_fd_plugin_object.plugin_io(iop)


__all__ = ["bareos_fd_plugin_object", "BareosPlugin", "load_bareos_plugin",
           "parse_plugin_definition", "handle_plugin_event", "plugin_io"]
