"""Test plugin script that prints (to stdout and stderr) at import and in calls."""
import sys

import bareosfd
from bareosfd import bRC_OK

print("bpy_print imported")


def load_bareos_plugin(plugindef):
    print("load_bareos_plugin(%r)" % plugindef)
    print("no newline at the end", end="")
    sys.stdout.flush()
    sys.stderr.write("a line on stderr\n")
    bareosfd.RegisterEvents([bareosfd.bEventStartBackupJob])
    return bRC_OK


def parse_plugin_definition(plugindef):
    return bRC_OK


def handle_plugin_event(event):
    print("handle_plugin_event(%d)" % event)
    return bRC_OK
