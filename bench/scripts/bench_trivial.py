"""Trivial entry points: what the plugin layer itself costs per call.

plugin_io answers bRC_OK with iop.status left at 0; handle_plugin_event
answers bRC_OK.
"""
from bareosfd import RegisterEvents, bEventStartBackupJob, bRC_OK


def load_bareos_plugin(plugindef):
    RegisterEvents([bEventStartBackupJob])
    return bRC_OK


def parse_plugin_definition(plugindef):
    return bRC_OK


def handle_plugin_event(event):
    return bRC_OK


def plugin_io(iop):
    return bRC_OK
