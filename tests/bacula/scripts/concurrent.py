"""Two jobs at once: each JobRun checks it sees its own Job object."""
import bacula

OWN = {}


class JobEvents:
    def JobRun(self, job):
        state = "ok" if OWN[job.JobId] is job else "wrong job object"
        job.write(f"JobRun {job.JobId} {state}\n")


class DaemonEvents:
    def JobStart(self, job):
        OWN[job.JobId] = job
        job.set_events(JobEvents())


bacula.set_events(DaemonEvents())
