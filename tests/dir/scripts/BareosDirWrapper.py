"""Test script of the shape of Bareos' BareosDirWrapper (spec §8.5)."""

bareos_dir_plugin_object = None


def parse_plugin_definition(plugindef):
    return bareos_dir_plugin_object.parse_plugin_definition(plugindef)


def handle_plugin_event(event):
    return bareos_dir_plugin_object.handle_plugin_event(event)
