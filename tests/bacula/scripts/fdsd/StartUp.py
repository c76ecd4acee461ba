"""FDStartUp / SDStartUp of tests/bacula/test_fd_sd_scripting.py: appends
what each handler sees to RECORD next to it and reports in the job log."""
import os

import bacula

RECORD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "RECORD")
NAMES = ["FDName", "SDName", "Job", "JobId", "JobName", "Client", "Level", "Type", "JobStatus",
         "Pool", "MediaType", "VolumeName", "Device"]


def note(text):
    with open(RECORD, "a") as record:
        record.write(text + "\n")


def values(job):
    found = []
    for name in NAMES:
        try:
            found.append(f"{name}={getattr(job, name)}")
        except AttributeError:
            pass
    return " ".join(found)


class DaemonEvents:
    def JobStart(self, job):
        note(f"{bacula.Name} JobStart {values(job)}")
        job.JobReport = f"Python JobStart: JobId={job.JobId}\n"

    def JobEnd(self, job):
        note(f"{bacula.Name} JobEnd {values(job)}")
        job.write(f"Python JobEnd: JobId={job.JobId}\n")

    def Exit(self):
        note(f"{bacula.Name} Exit")


bacula.set_events(DaemonEvents())
