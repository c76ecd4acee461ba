"""Bacula-style file daemon start-up script (docs/bacula-scripting.md):
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
        job.JobReport = f"Python FD JobStart: JobId={job.JobId} Client={job.Client}\n"
        return 1   # ignored

    def JobEnd(self, job):
        job.JobReport = f"Python FD JobEnd: JobId={job.JobId} Client={job.Client}\n"

    def Exit(self):
        pass


bacula.set_events(BaculaEvents())
