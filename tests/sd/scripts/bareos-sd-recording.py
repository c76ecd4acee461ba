"""Loader of BareosSdRecording, of the shape of bareos-sd-class-plugin.py (spec §8.5)."""
import bareossd
import BareosSdWrapper
from BareosSdWrapper import *  # noqa: F401,F403  the forwarders
from BareosSdRecording import BareosSdRecording


def load_bareos_plugin(plugindef):
    BareosSdWrapper.bareos_sd_plugin_object = BareosSdRecording(plugindef)
    return bareossd.bRC_OK
