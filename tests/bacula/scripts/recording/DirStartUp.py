"""A recording start-up script for the tests (copied as DirStartUp,
FDStartUp or SDStartUp): every handler logs (event, JobId or None) in LOG
and calls HOOKS[event](job) if the test put one there."""
import bacula

HOOKS = {}
LOG = []


def _call(name, job):
    try:
        job_id = job.JobId if job is not None else None
    except (AttributeError, RuntimeError):
        job_id = "?"
    LOG.append((name, job_id))
    hook = HOOKS.get(name)
    if hook is not None:
        return hook(job)
    return None


class JobEvents:
    def JobInit(self, job):
        return _call("JobInit", job)

    def JobRun(self, job):
        return _call("JobRun", job)

    def NewVolume(self, job):
        return _call("NewVolume", job)

    def VolumePurged(self, job):
        return _call("VolumePurged", job)


class DaemonEvents:
    def JobStart(self, job):
        job.set_events(JobEvents())
        return _call("JobStart", job)

    def JobEnd(self, job):
        return _call("JobEnd", job)

    def Exit(self):
        return _call("Exit", None)


bacula.set_events(DaemonEvents())
