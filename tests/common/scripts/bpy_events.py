"""A recording plugin script for python3-sd.so and python3-dir.so.

Options: ``daemon=sd|dir`` (which module to use; first option), ``events=1,2``
(registered at load), ``answer=EVENT/RC,...`` (what handle_plugin_event
answers), ``raise_on=EVENT``, ``load_rc=N``, ``tag=X`` (traced with each event), ``values=1`` (on each event,
trace GetValue of every variable, by number), ``set=VAR/VALUE,...`` (SetValue on each
event; a value of digits is an int), ``bad_return=EVENT`` (answer a str).
Every call is traced as a level-400 debug message ``TRACE <json>``.
"""
import importlib
import json

module = None
options = {}


def trace(*what):
    module.DebugMessage(400, "TRACE " + json.dumps(what))


def _parse(plugindef):
    for item in plugindef.split(":"):
        key, _, value = item.partition("=")
        if key:
            options[key] = value


def load_bareos_plugin(plugindef):
    global module
    _parse(plugindef)
    module = importlib.import_module("bareos" + options["daemon"])
    trace("load", plugindef)
    if options.get("events"):
        module.RegisterEvents([int(event) for event in options["events"].split(",")])
    return int(options.get("load_rc", 0))


def parse_plugin_definition(plugindef):
    _parse(plugindef)
    trace("parse", plugindef)
    return module.bRC_OK


def handle_plugin_event(event):
    trace("event", event, options.get("tag"))
    if options.get("raise_on") == str(event):
        raise ValueError(f"refusing event {event}")
    if options.get("bad_return") == str(event):
        return "yes"
    if options.get("values"):
        variables = getattr(module, "bsdVariable", None) or module.bDirVariable
        trace("values", {var: module.GetValue(var) for var in variables.values()})
    for item in filter(None, options.get("set", "").split(",")):
        var, _, value = item.partition("/")
        trace("set", int(var), module.SetValue(int(var), int(value) if value.lstrip("-").isdigit() else value))
    answers = dict(item.split("/") for item in filter(None, options.get("answer", "").split(",")))
    return int(answers.get(str(event), module.bRC_OK))
