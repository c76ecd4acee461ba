"""Test script of the shape of Bareos' bareos-dir-class-plugin.py (spec §8.5)."""
import bareosdir
import BareosDirWrapper
from BareosDirWrapper import *  # noqa: F401,F403  the forwarders
from BareosDirPluginBaseclass import BareosDirPluginBaseclass


def load_bareos_plugin(plugindef):
    BareosDirWrapper.bareos_dir_plugin_object = BareosDirPluginBaseclass(plugindef)
    return bareosdir.bRC_OK
