"""Installed as DirStartUp, FDStartUp and SDStartUp by test_dir_scripting.py:
every daemon appends "<daemon> <event> <JobId>" to the file named by
$BACULA_ORDER_RECORD; the director names new volumes TestA-<n>."""
import os

import bacula

DAEMON = {"DirStartUp": "Dir", "FDStartUp": "FD", "SDStartUp": "SD"}[__name__]


def note(event, job):
    with open(os.environ["BACULA_ORDER_RECORD"], "a") as record:
        record.write(f"{DAEMON} {event} {job.JobId}\n")


class JobEvents:
    def JobInit(self, job):
        note("JobInit", job)

    def JobRun(self, job):
        note("JobRun", job)

    def NewVolume(self, job):
        note("NewVolume", job)
        job.VolumeName = f"TestA-{job.NumVols + 1}"

    def VolumePurged(self, job):
        note("VolumePurged", job)


class DaemonEvents:
    def JobStart(self, job):
        job.set_events(JobEvents())
        note("JobStart", job)

    def JobEnd(self, job):
        note("JobEnd", job)


bacula.set_events(DaemonEvents())
