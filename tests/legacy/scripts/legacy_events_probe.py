"""An old-API script for python-sd.so and python-dir.so (option daemon=sd|dir):
reports what it sees as job messages (tests/legacy/test_legacy_events.py)."""
import importlib

module = None
consts = None


def report(context, text):
    module.JobMessage(context, consts.bJobMessageType["M_INFO"], "probe: %s\n" % text)


def load_bareos_plugin(context, plugindef):
    global module, consts
    daemon = dict(item.split("=", 1) for item in plugindef.split(":") if "=" in item)["daemon"]
    module = importlib.import_module("bareos" + daemon)
    consts = importlib.import_module("bareos_%s_consts" % daemon)
    events = consts.bsdEventType if daemon == "sd" else consts.bDirEventType
    first = "bsdEventJobStart" if daemon == "sd" else "bDirEventJobStart"
    module.RegisterEvents(context, [events[first]])
    report(context, "load context=%s" % (context is not None))
    report(context, "bRC_OK=%r" % (consts.bRCs["bRC_OK"],))
    report(context, "instances=%r" % (module.GetInstanceCount(context),))
    return consts.bRCs["bRC_OK"]


def parse_plugin_definition(context, plugindef):
    report(context, "parse %s" % plugindef.strip(":").split(":")[-1])
    return consts.bRCs["bRC_OK"]


def handle_plugin_event(context, event):
    report(context, "event %d" % event)
    return consts.bRCs["bRC_OK"]
