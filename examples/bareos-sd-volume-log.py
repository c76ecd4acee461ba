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
from typing import Dict

import bareossd  # type: ignore  # (bareospy ships type stubs for bareosfd only, so far)

VOLUME_EVENTS: Dict[int, str] = {
    bareossd.bsdEventVolumeLoad: "load",
    bareossd.bsdEventLabelRead: "label-read",
    bareossd.bsdEventLabelVerified: "label-verified",
    bareossd.bsdEventLabelWrite: "label-write",
    bareossd.bsdEventVolumeUnload: "unload",
}

options: Dict[str, str] = {}
OK: int = bareossd.bRC_OK
ERROR: int = bareossd.bRC_Error


def load_bareos_plugin(plugindef: str) -> int:
    bareossd.RegisterEvents(list(VOLUME_EVENTS))
    return OK


def parse_plugin_definition(plugindef: str) -> int:
    for item in plugindef.split(":"):
        key, sep, value = item.partition("=")
        if sep and key in ("log", "pattern"):
            options[key] = value
    return OK


def handle_plugin_event(event: int) -> int:
    what = VOLUME_EVENTS.get(event)
    if what is None:
        return OK
    volume = bareossd.GetValue(bareossd.bsdVarVolumeName)
    job = bareossd.GetValue(bareossd.bsdVarJobName)
    log(f"{job} {what} {volume}")
    pattern = options.get("pattern")
    if event == bareossd.bsdEventLabelWrite and pattern and not re.fullmatch(pattern, volume or ""):
        bareossd.JobMessage(bareossd.M_ERROR, f"volume name {volume} does not match {pattern}")
        return ERROR
    return OK


def log(line: str) -> None:
    bareossd.JobMessage(bareossd.M_INFO, line)
    if "log" in options:
        with open(options["log"], "a") as out:
            out.write(line + "\n")
