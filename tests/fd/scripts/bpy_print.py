"""Test plugin script that prints (to stdout and stderr) at import and in calls,
and makes an exception Python can only report (in __del__)."""
import sys

import bareosfd
from bareosfd import bRC_OK

print("bpy_print imported")


def load_bareos_plugin(plugindef):
    print("load_bareos_plugin(%r)" % plugindef)
    print("no newline at the end", end="")
    sys.stdout.flush()
    sys.stderr.write("a line on stderr\n")
    sys.stdout.buffer.write(b"bytes through sys.stdout.buffer\n")
    bareosfd.RegisterEvents([bareosfd.bEventStartBackupJob])
    return bRC_OK


def parse_plugin_definition(plugindef):
    return bRC_OK


class RaisesWhenCollected:
    def __del__(self):
        raise ValueError("error in __del__")


def handle_plugin_event(event):
    print("handle_plugin_event(%d)" % event)
    RaisesWhenCollected()     # an "unraisable" exception: Python cannot raise it anywhere
    return bRC_OK
