"""Test plugin script that uses a compiled Cython extension module.

The tests build ``bpy_tiny_ext`` (one function, ``add``) with default Cython
settings and put it on module_path: such a module refuses a second
(sub-)interpreter, so this works in concurrent jobs only if every instance
runs in the same interpreter.  handle_plugin_event answers
``bpy_tiny_ext.add(100, tag)``.
"""
import json

import bareosfd
import bpy_tiny_ext
from bareosfd import bRC_OK

state = {"calls": 0}


def load_bareos_plugin(plugindef):
    items = (item.partition("=") for item in plugindef.split(":"))
    state.update({key: value for key, sep, value in items if sep})
    state["tag"] = int(state["tag"])
    bareosfd.RegisterEvents([bareosfd.bEventStartBackupJob, bareosfd.bEventEndBackupJob])
    return bRC_OK


def parse_plugin_definition(plugindef):
    return bRC_OK


def handle_plugin_event(event):
    if event == bareosfd.bEventEndBackupJob:
        bareosfd.JobMessage(bareosfd.M_INFO, json.dumps({
            "tag": state["tag"], "calls": state["calls"],
            "module": bpy_tiny_ext.__file__, "compiled": type(bpy_tiny_ext.add).__name__}))
        return bRC_OK
    state["calls"] += 1
    return bpy_tiny_ext.add(100, state["tag"])
