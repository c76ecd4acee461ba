"""The start-up script of tests/bacula/test_embedding.py (also copied as
FDStartUp/SDStartUp): reports each event with the values it reads, names
new volumes TestA-<n>, starts a second job from JobInit and checks errors."""
import bacula

bacula.write(f"module {bacula.Name} {bacula.Version} {bacula.ConfigFile} {bacula.WorkingDir}\n")


class JobEvents:
    def JobInit(self, job):
        job.write(f"JobInit {job.JobId} {job.Level} {job.Type} {job.JobStatus}\n")
        if job.JobId < 2:
            job.Priority = 20
            job.JobLevel = "Incremental"
            job.write(f"run returned {job.run('run job=second yes')}\n")
            job.write(f"level now {job.Level}\n")

    def JobRun(self, job):
        job.write(f"JobRun {job.JobId} {job.JobStatus} {job.Priority}\n")
        try:
            job.Pool
        except AttributeError as error:
            job.write(f"Pool refused: {error}\n")

    def NewVolume(self, job):
        name = f"TestA-{job.NumVols + 1}"
        job.write(f"NewVolume {job.JobId} {job.CatalogRes} exists={job.DoesVolumeExist(name)}\n")
        job.VolumeName = name
        job.write(f"VolumeName now {job.VolumeName}\n")
        return 1

    def VolumePurged(self, job):
        raise RuntimeError("purged handler fails")


class DaemonEvents:
    def JobStart(self, job):
        job.set_events(JobEvents())
        job.JobReport = f"JobStart {job.JobId}\n"

    def JobEnd(self, job):
        job.write(f"JobEnd {job.JobId} {job.JobStatus}\n")
        if job.JobId == 1:
            job.cancel(42)
            try:
                job.cancel(43)
            except ValueError as error:
                job.write(f"cancel refused: {error}\n")

    def Exit(self):
        bacula.write("Exit\n")


bacula.set_events(DaemonEvents())
