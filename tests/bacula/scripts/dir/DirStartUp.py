"""The director test script (tests/bacula/test_dir_scripting.py): records
every event as a job log line "event <name> <JobId> <JobStatus>", names new
volumes TestA-<n>, and does what SCRIPT_ACTIONS (a file next to it) asks."""
import os

import bacula

HERE = os.path.dirname(os.path.abspath(__file__))


def actions():
    try:
        with open(os.path.join(HERE, "SCRIPT_ACTIONS")) as file:
            return set(file.read().split())
    except OSError:
        return set()


def record(job, name):
    job.write(f"event {name} {job.JobId} {job.JobStatus}\n")
    if f"raise-{name}" in actions():
        raise RuntimeError(f"script fails in {name}")


class JobEvents:
    def JobInit(self, job):
        record(job, "JobInit")
        if ("run" in actions() or "cancel" in actions()) and job.Job == "Nightly":
            started = job.run('run job=Other yes')
            job.write(f"started JobId {started}\n")
            if "cancel" in actions():
                job.cancel(started)
                job.write(f"cancelled JobId {started}\n")
                try:
                    job.cancel(999)
                except ValueError as error:
                    job.write(f"cancel 999: {error}\n")
        if "incremental" in actions():
            job.JobLevel = "Incremental"
            job.Priority = 7

    def JobRun(self, job):
        record(job, "JobRun")
        job.write(f"level {job.Level} priority {job.Priority} pool {job.Pool} "
                  f"catalog {job.CatalogRes}\n")
        job.write(f"known TestA-1: {job.DoesVolumeExist('TestA-1')}\n")

    def NewVolume(self, job):
        record(job, "NewVolume")
        name = f"TestA-{job.NumVols + 1}"
        job.write(f"{name} exists: {job.DoesVolumeExist(name)}\n")
        job.VolumeName = name

    def VolumePurged(self, job):
        record(job, "VolumePurged")
        job.write(f"purged {job.VolumeName}\n")


class DaemonEvents:
    def JobStart(self, job):
        job.set_events(JobEvents())
        record(job, "JobStart")

    def JobEnd(self, job):
        record(job, "JobEnd")
        job.write(f"volumes {job.VolumeName}\n")

    def Exit(self):
        bacula.write("Exit\n")


bacula.set_events(DaemonEvents())
bacula.write(f"DirStartUp loaded by {bacula.Name}\n")
