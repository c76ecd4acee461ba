"""Test script of the shape of Bareos' bareos-sd-class-plugin.py (spec §8.5)."""
import bareossd
import BareosSdWrapper
from BareosSdWrapper import *  # noqa: F401,F403  the forwarders
from BareosSdPluginBaseclass import BareosSdPluginBaseclass


def load_bareos_plugin(plugindef):
    BareosSdWrapper.bareos_sd_plugin_object = BareosSdPluginBaseclass(plugindef)
    return bareossd.bRC_OK
