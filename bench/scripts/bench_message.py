"""A DebugMessage per call: what a script's message costs on top of the trivial call.

plugin_io sends one debug message (the core's debug level is below it, as
in a daemon running without -d) and answers bRC_OK with iop.status 0;
handle_plugin_event sends one job message of type M_INFO.
"""
from bareosfd import (DebugMessage, JobMessage, M_INFO, RegisterEvents, bEventStartBackupJob,
                      bRC_OK)


def load_bareos_plugin(plugindef):
    RegisterEvents([bEventStartBackupJob])
    return bRC_OK


def parse_plugin_definition(plugindef):
    return bRC_OK


def handle_plugin_event(event):
    JobMessage(M_INFO, "event\n")
    return bRC_OK


def plugin_io(iop):
    DebugMessage(100, "plugin_io\n")
    return bRC_OK
