"""A short demonstration of the plugin layer without a daemon.

It activates the fake core of :mod:`bareospy.testing`, lets a tiny plugin
script run its start-of-job work (register events, read job values, build
packets, send messages) and prints what the core received.

    python -m bareospy.demo
"""

import os
import sys

import bareosfd
from bareospy.testing import FakeCore


def plugin_start_of_job():
    """What a plugin script typically does when its job starts."""
    bareosfd.RegisterEvents([bareosfd.bEventStartBackupJob, bareosfd.bEventEndBackupJob])
    job = bareosfd.GetValue(bareosfd.bVarJobName)
    level = chr(bareosfd.GetValue(bareosfd.bVarLevel))
    bareosfd.JobMessage(bareosfd.M_INFO, f"demo plugin: job {job}, level {level}\n")
    bareosfd.AddExclude("/var/tmp")
    packet = bareosfd.SavePacket(fname=os.path.abspath(__file__), type=bareosfd.FT_REG)
    packet.statp = bareosfd.StatPacket.from_stat(os.stat(__file__))
    bareosfd.DebugMessage(100, f"demo plugin: would back up {packet}\n")
    return bareosfd.CheckChanges(packet)


def main(out=sys.stdout):
    core = FakeCore(values={bareosfd.bVarJobName: "Demo.2026-11-21_12.00.00_01"})
    with core.active():
        verdict = plugin_start_of_job()
    names = {value: key.decode() for key, value in bareosfd.bEventType.items()}
    print("The core received:", file=out)
    print("  registered events:", ", ".join(names[e] for e in sorted(core.events)), file=out)
    for message in core.job_messages:
        print(f"  job message (type {message.type}): {message.text.rstrip()}", file=out)
    for message in core.debug_messages:
        print(f"  debug message (level {message.level}): {message.text.rstrip()}", file=out)
    for call in core.fileset_calls:
        print(f"  {call.name}({call.item!r})", file=out)
    for name, info in core.queries:
        print(f"  {name}(fname={info['fname']!r}, size={info['st_size']}) -> {verdict}", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
