"""Bacula-style storage daemon start-up script (docs/bacula-scripting.md):
reports the start and end of each job in the job's log."""
import sys

import bacula


class JobEvents:
    def write(self, text):
        self.job.write(text)


class BaculaEvents:
    def JobStart(self, job):
        events = JobEvents()
        events.job = job
        job.set_events(events)
        sys.stdout = sys.stderr = events
        job.JobReport = f"Python SD JobStart: JobId={job.JobId} Device={job.Device}\n"

    def JobEnd(self, job):
        job.JobReport = (f"Python SD JobEnd: JobId={job.JobId} Status={job.JobStatus} "
                         f"volume={job.VolumeName}\n")

    def Exit(self):
        pass


bacula.set_events(BaculaEvents())
