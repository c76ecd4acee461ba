"""Job attributes of each daemon: read, written and refused as the contract's
section 2.2 says (in-process, FakeBaculaDaemon)."""
import pytest

import bacula

DIRECTOR_READS = {
    "Job": "Nightly", "JobName": "Nightly.2026-12-06_05.00.00_01", "JobId": 1, "Level": "Full",
    "Type": "Backup", "JobStatus": "C", "Client": "client-fd", "Pool": "Default", "NumVols": 2,
    "Storage": "File", "MediaType": "FileMedia", "Catalog": "MyCatalog",
    "CatalogRes": ("bacula", None, "bacula", "secret", None, 0, "SQLite3"), "Priority": 10,
    "VolumeName": "", "JobErrors": 0, "JobFiles": 0, "SDJobFiles": 0, "SDErrors": 0,
    "FDJobStatus": "", "SDJobStatus": "",
}
FILE_READS = {"FDName": "client-fd", "Level": "Incremental", "Type": "Backup", "JobId": 7,
              "Client": "client-fd", "JobName": "Nightly.2026-12-06_05.00.00_01",
              "JobStatus": "B"}
STORAGE_READS = {"Job": "Nightly", "SDName": "store-sd", "Level": "Full", "Type": "Backup",
                 "JobId": 7, "Client": "client-fd", "JobName": "Nightly.2026-12-06_05.00.00_01",
                 "JobStatus": "R", "Pool": "Default", "MediaType": "FileMedia",
                 "VolumeName": "Vol1", "Device": "FileStorage"}
READS = {"dir": DIRECTOR_READS, "fd": FILE_READS, "sd": STORAGE_READS}
WRITES = {"dir": {"Priority", "VolumeName", "JobLevel", "JobReport"},
          "fd": {"JobReport"}, "sd": {"JobReport"}}
ALL_NAMES = set(DIRECTOR_READS) | set(FILE_READS) | set(STORAGE_READS) | WRITES["dir"] | {
    "run", "cancel", "DoesVolumeExist"}


def _job(started, kind):
    daemon, script = started(kind)
    return daemon, script, daemon.job_start()


@pytest.mark.parametrize("kind", ["dir", "fd", "sd"])
def test_every_readable_attribute_reads_its_value_and_type(started, kind):
    daemon, _, job = _job(started, kind)
    for name, expected in READS[kind].items():
        value = getattr(job.script_job, name)
        assert value == expected, name
        assert type(value) is type(expected), name


@pytest.mark.parametrize("kind", ["dir", "fd", "sd"])
def test_names_of_other_daemons_are_not_found(started, kind):
    _, _, job = _job(started, kind)
    for name in sorted(ALL_NAMES - set(READS[kind]) - WRITES[kind]):
        if kind == "dir" and name in ("run", "cancel", "DoesVolumeExist"):
            continue
        with pytest.raises(AttributeError, match=f"Attribute {name} not found"):
            getattr(job.script_job, name)


@pytest.mark.parametrize("kind", ["dir", "fd", "sd"])
def test_read_only_attributes_refuse_assignment_and_deletion(started, kind):
    _, _, job = _job(started, kind)
    for name, value in READS[kind].items():
        if name in WRITES[kind]:
            continue
        with pytest.raises(AttributeError, match="read-only"):
            setattr(job.script_job, name, value)
        with pytest.raises(AttributeError):
            delattr(job.script_job, name)


@pytest.mark.parametrize("kind", ["dir", "fd", "sd"])
def test_unknown_names_and_own_attributes_are_refused(started, kind):
    _, _, job = _job(started, kind)
    with pytest.raises(AttributeError, match="Attribute NoSuch not found"):
        job.script_job.NoSuch
    with pytest.raises(AttributeError, match="not found"):
        job.script_job.my_state = 1
    with pytest.raises(TypeError):
        bacula.Job()


@pytest.mark.parametrize("kind", ["dir", "fd", "sd"])
def test_job_report_is_write_only_and_one_info_message(started, kind):
    daemon, _, job = _job(started, kind)
    with pytest.raises(AttributeError, match="write-only"):
        job.script_job.JobReport
    job.script_job.JobReport = "no newline"
    job.script_job.JobReport = "second\n"
    assert [m for m in daemon.messages if m[0] == job.job_id] == [
        (job.job_id, "info", "no newline"), (job.job_id, "info", "second\n")]
    with pytest.raises(TypeError):
        job.script_job.JobReport = 5


@pytest.mark.parametrize("kind", ["fd", "sd"])
def test_file_and_storage_jobs_have_only_set_events_and_write(started, kind):
    _, _, job = _job(started, kind)
    for name in ("run", "cancel", "DoesVolumeExist"):
        with pytest.raises(AttributeError, match=f"Attribute {name} not found"):
            getattr(job.script_job, name)
    assert callable(job.script_job.write) and callable(job.script_job.set_events)
    for name in ("Priority", "VolumeName", "JobLevel"):
        with pytest.raises(AttributeError):
            setattr(job.script_job, name, "x")


def test_storage_attributes_without_a_device_read_none(started):
    daemon, _ = started("sd")
    job = daemon.job_start(Pool=None, MediaType=None, VolumeName=None, Device=None)
    assert [job.script_job.Pool, job.script_job.Device] == [None, None]


def test_values_are_read_live_at_each_access(started):
    daemon, _, job = _job(started, "dir")
    job.values["JobStatus"] = "R"
    job.values["NumVols"] = 5
    assert (job.script_job.JobStatus, job.script_job.NumVols) == ("R", 5)


def test_a_daemon_refusal_is_an_attribute_error_with_its_text(started):
    daemon, _ = started("dir")
    job = daemon.job_start(NumVols=AttributeError("Pool record not found."))
    with pytest.raises(AttributeError, match="Pool record not found"):
        job.script_job.NumVols


@pytest.mark.parametrize("code,name", [("I", "Incremental"), ("D", "Differential"),
                                       ("S", "Since"), ("f", "Virtual Full"), ("B", "Base"),
                                       ("C", "Verify Catalog"), ("d", "Verify Disk to Catalog"),
                                       (" ", " "), ("?", "Unknown Job Level")])
def test_level_names(started, code, name):
    daemon, _ = started("dir")
    assert daemon.job_start(Level=code).script_job.Level == name


@pytest.mark.parametrize("code,name", [("R", "Restore"), ("V", "Verify"), ("D", "Admin"),
                                       ("g", "Migrate"), ("c", "Copy"), ("?", "Unknown Type")])
def test_type_names(started, code, name):
    daemon, _ = started("dir")
    assert daemon.job_start(Type=code).script_job.Type == name


# --- the director's writable attributes ----------------------------------------

def test_priority_is_set_cleanly_or_refused(started):
    daemon, _, job = _job(started, "dir")
    job.script_job.Priority = 55
    assert job.script_job.Priority == 55
    assert daemon.writes == [(1, "Priority", 55)]
    for bad in (0, 101):
        with pytest.raises(ValueError, match="Priority must be 1-100"):
            job.script_job.Priority = bad
    for bad in ("5", 5.0, True):
        with pytest.raises(TypeError):
            job.script_job.Priority = bad
    assert daemon.writes == [(1, "Priority", 55)]


def test_volume_name_only_during_new_volume(started):
    daemon, script, job = _job(started, "dir")
    with pytest.raises(AttributeError, match="VolumeName"):
        job.script_job.VolumeName = "TestA-1"
    outcomes = []

    def new_volume(j):
        outcomes.append(j.VolumeName)
        j.VolumeName = "TestA-1"
        outcomes.append(j.VolumeName)

    script.HOOKS["NewVolume"] = new_volume
    daemon.event(job, "NewVolume")
    assert outcomes == ["", "TestA-1"]
    assert daemon.writes == [(1, "VolumeName", "TestA-1")]


@pytest.mark.parametrize("bad", ["", "bad name", "a/b", "x" * 128, "é"])
def test_an_illegal_volume_name_clears_the_name_and_raises(started, bad):
    daemon, script, job = _job(started, "dir")
    errors = []

    def new_volume(j):
        try:
            j.VolumeName = bad
        except AttributeError as error:
            errors.append(str(error))

    script.HOOKS["NewVolume"] = new_volume
    daemon.event(job, "NewVolume")
    assert len(errors) == 1 and errors[0].startswith("VolumeName")
    assert daemon.writes == [(1, "VolumeName", "")]


def test_a_volume_name_of_127_legal_characters_is_accepted(started):
    daemon, script, job = _job(started, "dir")
    name = "A:b.c-d_9" + "x" * 118
    script.HOOKS["NewVolume"] = lambda j: setattr(j, "VolumeName", name)
    daemon.event(job, "NewVolume")
    assert daemon.writes == [(1, "VolumeName", name)]


def test_job_level_only_during_job_init(started):
    daemon, script, job = _job(started, "dir")
    with pytest.raises(RuntimeError, match="Job Level can be set only during JobInit"):
        job.script_job.JobLevel = "Incremental"
    with pytest.raises(AttributeError, match="write-only"):
        job.script_job.JobLevel
    errors = []

    def job_init(j):
        j.JobLevel = "Incremental"
        for bad in ("incremental", "Catalog", "Virtual Full"):
            try:
                j.JobLevel = bad
            except ValueError as error:
                errors.append(str(error))

    script.HOOKS["JobInit"] = job_init
    daemon.event(job, "JobInit")
    assert daemon.writes == [(1, "JobLevel", "I")]
    assert job.script_job.Level == "Incremental"
    assert errors == ["Bad JobLevel string"] * 3


@pytest.mark.parametrize("job_type,keyword,code", [("V", "VolumeToCatalog", "O"),
                                                   ("B", "VirtualFull", "f"),
                                                   ("R", " ", " "), ("D", " ", " ")])
def test_job_level_keywords_follow_the_job_type(started, job_type, keyword, code):
    daemon, script = started("dir")
    job = daemon.job_start(Type=job_type)
    script.HOOKS["JobInit"] = lambda j: setattr(j, "JobLevel", keyword)
    daemon.event(job, "JobInit")
    assert daemon.writes == [(1, "JobLevel", code)]
