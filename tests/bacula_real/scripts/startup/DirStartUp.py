"""A director start-up script of the shape of Bacula's example (spec §4.1),
written for bareospy's tests: registers job events at JobStart, reports
through JobReport and write, and names each new volume TestA-<n>."""
import sys

import bacula


class JobEvents(object):
    def __init__(self):
        self.job = None

    def write(self, text):
        self.job.write(text)

    def JobInit(self, job):
        job.Priority = 7   # 9.6 cannot: ignored with a job warning, no exception
        try:
            job.cancel(999)
        except ValueError as error:
            job.JobReport = "Python cancel refused: %s\n" % error
        if job.JobId < 2:
            started = job.run("run kernsave")
            job.JobReport = "Python started job: JobId=%d\n" % started
        print("Name=%s Version=%s ConfigFile=%s WorkingDir=%s" % (
            bacula.Name, bacula.Version, bacula.ConfigFile, bacula.WorkingDir))

    def JobRun(self, job):
        pass

    def NewVolume(self, job):
        name = "TestA-%d" % (job.NumVols + 1)
        job.JobReport = "Python NewVolume: exists=%d name=%s\n" % (job.DoesVolumeExist(name), name)
        job.VolumeName = name
        job.JobReport = "Python VolumeName now %s\n" % job.VolumeName
        return 1

    def VolumePurged(self, job):
        pass


class BaculaEvents(object):
    def JobStart(self, job):
        events = JobEvents()
        events.job = job
        job.set_events(events)
        sys.stdout = events
        sys.stderr = events
        job.JobReport = "Python Dir JobStart: JobId=%d Client=%s NumVols=%d\n" % (
            job.JobId, job.Client, job.NumVols)

    def JobEnd(self, job):
        job.JobReport = "Python Dir JobEnd output: JobId=%d Status=%s Client=%s\n" % (
            job.JobId, job.JobStatus, job.Client)

    def Exit(self):
        pass


bacula.set_events(BaculaEvents())
