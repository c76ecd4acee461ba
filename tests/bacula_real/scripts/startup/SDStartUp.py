"""A storage daemon start-up script of the shape of Bacula's example
(spec §4.3): a report line at JobStart and JobEnd."""
import bacula


class BaculaEvents(object):
    def JobStart(self, job):
        job.JobReport = "Python SD JobStart: JobId=%d JobName=%s\n" % (job.JobId, job.JobName)

    def JobEnd(self, job):
        job.JobReport = "Python SD JobEnd: JobId=%d\n" % job.JobId

    def Exit(self):
        pass


bacula.set_events(BaculaEvents())
