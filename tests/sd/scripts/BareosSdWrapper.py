"""Test script of the shape of Bareos' BareosSdWrapper (spec §8.5): a module
global holding the plugin object, and functions forwarding to it.  It
imports no bareos module."""

bareos_sd_plugin_object = None


def parse_plugin_definition(plugindef):
    return bareos_sd_plugin_object.parse_plugin_definition(plugindef)


def handle_plugin_event(event):
    return bareos_sd_plugin_object.handle_plugin_event(event)
