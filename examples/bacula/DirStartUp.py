"""Bacula-style director start-up script (docs/bacula-scripting.md).

Put it in the director's Scripts Directory.  For every job it sends print()
output and tracebacks to the job's log, starts a second job from the first
one's JobInit, and names every new volume TestA-<n>.
"""
import sys

import bacula


class JobEvents:
    """Per-job handlers: one instance per job, holding its Job object."""

    def write(self, text):
        # sys.stdout/sys.stderr point here: text goes to this job's log.
        self.job.write(text)

    def JobInit(self, job):
        print(f"Director {bacula.Name}, version {bacula.Version}")
        print(f"configuration {bacula.ConfigFile}, working directory {bacula.WorkingDir}")
        if job.JobId < 2:
            # The new job's JobStart runs inside run() (in a Bacula 9.6
            # director: later, asynchronously, and run() returns 0).
            jobid = job.run("run job=Second yes")
            job.JobReport = f"JobInit: started the job Second as JobId {jobid}\n"

    def JobRun(self, job):
        pass

    def NewVolume(self, job):
        job.JobReport = f"NewVolume: catalog {job.CatalogRes}\n"
        name = f"TestA-{job.NumVols + 1}"
        job.JobReport = f"NewVolume: pool {job.Pool} has {job.NumVols} volume(s); "
        job.JobReport = f"{name} exists already: {bool(job.DoesVolumeExist(name))}\n"
        job.VolumeName = name
        job.JobReport = f"NewVolume: the next volume is {job.VolumeName}\n"
        return 1   # ignored, as every return value

    def VolumePurged(self, job):
        pass


class BaculaEvents:
    """Daemon-level handlers, registered once with bacula.set_events()."""

    def JobStart(self, job):
        events = JobEvents()
        events.job = job
        job.set_events(events)
        sys.stdout = sys.stderr = events
        job.JobReport = (f"Python Dir JobStart: JobId={job.JobId} Client={job.Client} "
                         f"NumVols={job.NumVols}\n")

    def JobEnd(self, job):
        job.JobReport = (f"Python Dir JobEnd: JobId={job.JobId} Status={job.JobStatus} "
                         f"Client={job.Client} volumes={job.VolumeName}\n")

    def Exit(self):
        bacula.write("Python Dir Exit: the director is shutting down\n")


bacula.set_events(BaculaEvents())
