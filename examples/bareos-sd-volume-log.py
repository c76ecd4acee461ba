"""A storage daemon plugin: logs what happens to volumes and refuses to
label a new volume whose name does not match a pattern.

    python3:module_path=DIR:module_name=bareos-sd-volume-log:log=FILE:pattern=REGEX

log=FILE      append one line per volume event ("<job> <event> <volume>"); without
              it the lines only go to the job report (JobMessage)
pattern=REGEX a new volume is labelled only if its whole name matches
              (e.g. pattern=Vol-[0-9]+); otherwise the label is refused and
              the job fails with the storage daemon's message

Run it in bareospy-sd (README, "The reference storage daemon"):
    bareospy-sd serve ... -p "$(python -m bareospy --plugin-dir)" --plugin python3 \
        --plugin-options "python3:module_path=$PWD/examples:module_name=bareos-sd-volume-log:log=/tmp/volumes.log"
"""
import re

import bareossd

VOLUME_EVENTS = {
    bareossd.bsdEventVolumeLoad: "load",
    bareossd.bsdEventLabelRead: "label-read",
    bareossd.bsdEventLabelVerified: "label-verified",
    bareossd.bsdEventLabelWrite: "label-write",
    bareossd.bsdEventVolumeUnload: "unload",
}

options = {}


def load_bareos_plugin(plugindef):
    bareossd.RegisterEvents(list(VOLUME_EVENTS))
    return bareossd.bRC_OK


def parse_plugin_definition(plugindef):
    for item in plugindef.split(":"):
        key, sep, value = item.partition("=")
        if sep and key in ("log", "pattern"):
            options[key] = value
    return bareossd.bRC_OK


def handle_plugin_event(event):
    what = VOLUME_EVENTS.get(event)
    if what is None:
        return bareossd.bRC_OK
    volume = bareossd.GetValue(bareossd.bsdVarVolumeName)
    job = bareossd.GetValue(bareossd.bsdVarJobName)
    log(f"{job} {what} {volume}")
    pattern = options.get("pattern")
    if event == bareossd.bsdEventLabelWrite and pattern and not re.fullmatch(pattern, volume or ""):
        bareossd.JobMessage(bareossd.M_ERROR, f"volume name {volume} does not match {pattern}")
        return bareossd.bRC_Error
    return bareossd.bRC_OK


def log(line):
    bareossd.JobMessage(bareossd.M_INFO, line)
    if "log" in options:
        with open(options["log"], "a") as out:
            out.write(line + "\n")
