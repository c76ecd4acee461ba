"""Every kind of script failure on every entry point (spec §3, §5.4).

tests/fd/scripts/bpy_errors.py misbehaves in the function named by ``fail=``
the way ``how=`` says.  Whatever it does, the entry point answers bRC_Error,
the job gets a message (M_FATAL with the traceback for an exception, M_ERROR
naming the function for a return value that is not a bRC), and the driver
(the daemon) runs on to the end of the job.
"""
import pytest

pytestmark = pytest.mark.driver

M_FATAL, M_ERROR = 3, 4
bRC_Error = 2

# how= -> the exception the traceback must name (None: a bad return value)
KINDS = {
    "exception": "ValueError: injected failure in",
    "systemexit": "SystemExit: 3",
    "keyboardinterrupt": "KeyboardInterrupt: injected in",
    "recursion": "RecursionError: maximum recursion depth exceeded",
    "memoryerror": "MemoryError: injected in",
    "wrongtype": None,
    "none": None,
}

RESTORE_SIDE = {
    "start_restore_file": lambda r: r.calls("startRestoreFile")[0],
    "create_file": lambda r: r.calls("createFile")[0],
    "set_file_attributes": lambda r: r.calls("setFileAttributes")[0],
    "end_restore_file": lambda r: r.calls("endRestoreFile")[0],
    "set_acl": lambda r: r.calls("setAcl")[0],
    "set_xattr": lambda r: r.calls("setXattr")[0],
    "restore_object_data": lambda r: [c for c in r.events(15) if "value" in c][0],
}

BACKUP_SIDE = {
    "load_bareos_plugin": ([], lambda r: r.events(17)[0]),
    "parse_plugin_definition": ([], lambda r: r.events(17)[0]),
    "handle_plugin_event": ([], lambda r: r.events(3)[0]),
    "start_backup_file": ([], lambda r: r.calls("startBackupFile")[0]),
    "end_backup_file": ([], lambda r: r.calls("endBackupFile")[0]),
    "plugin_io": ([], lambda r: r.calls("pluginIO", func=1)[0]),
    "get_acl": (["--acl"], lambda r: r.calls("getAcl")[0]),
    "get_xattr": (["--xattr"], lambda r: r.calls("getXattr")[0]),
    "check_file": (["--check-file", "/not/seen"], lambda r: r.call("checkFile")),
}


@pytest.fixture(scope="module")
def errors_archive(fd_driver, tmp_path_factory):
    """A good bpy_errors backup (object, file, ACL, xattr) to restore from."""
    archive = tmp_path_factory.mktemp("errors") / "archive"
    result = fd_driver("backup", fd_driver.definition("bpy_errors"), "--archive", archive,
                       "--acl", "--xattr")
    assert result.end["status"] == "OK", result.describe()
    return archive


def run_failing(fd_driver, errors_archive, tmp_path, function, how):
    """The job in which ``function`` misbehaves; (result, the call it answered)."""
    if function in RESTORE_SIDE:
        # The restore objects load the script before any restore command, with
        # the definition recorded at backup; the stored plugin options are
        # merged into it (§4.2 step 4), so the failure is configured from the start.
        result = fd_driver("restore", fd_driver.definition("bpy_errors"),
                           "--archive", errors_archive, "--where", tmp_path,
                           "--options", f"python3:fail={function}:how={how}")
        return result, RESTORE_SIDE[function](result)
    definition = fd_driver.definition("bpy_errors", fail=function, how=how)
    if function == "handle_backup_file":
        target = tmp_path / "file"
        target.write_bytes(b"data")
        result = fd_driver("events", definition, "--event", f"19={target}")
        return result, result.events(19)[0]
    options, pick = BACKUP_SIDE[function]
    result = fd_driver("backup", definition, *options)
    return result, pick(result)


ENTRY_POINTS = list(BACKUP_SIDE) + ["handle_backup_file"] + list(RESTORE_SIDE)


@pytest.mark.parametrize("how", KINDS)
@pytest.mark.parametrize("function", ENTRY_POINTS)
def test_failure_is_reported_and_the_job_goes_on(fd_driver, errors_archive, tmp_path,
                                                 function, how):
    result, call = run_failing(fd_driver, errors_archive, tmp_path, function, how)
    assert call["rc"] == bRC_Error, call
    expected = KINDS[how]
    if expected is None:
        errors = [text for text in result.job_messages(M_ERROR) if f"{function}()" in text]
        shown = "'bRC_OK'" if how == "wrongtype" else "None"
        assert errors and shown in errors[0], result.job_messages()
        assert not [text for text in result.job_messages() if "Traceback" in text]
    else:
        tracebacks = [text for text in result.job_messages(M_FATAL)
                      if text.startswith("bareosfd: Traceback (most recent call last):")]
        assert tracebacks, result.job_messages()
        assert expected in tracebacks[0]
        assert f", in {function}\n" in tracebacks[0]     # the script's frame is shown
        assert "bpy_errors.py" in tracebacks[0]
        assert tracebacks[0] in result.debug_messages(150)
        if function == "plugin_io":
            assert call["status"] == -1
    # The daemon keeps running: the job reaches its end, the driver its last line.
    assert result.end["kind"] in ("backup", "restore", "events")
    assert result.lines[-1] == {"driver": "done", "rc": 0}


def test_the_next_call_works_after_a_failure(fd_driver, tmp_path):
    """An exception leaves no error behind: the following calls run normally."""
    result = fd_driver("backup", fd_driver.definition("bpy_errors", fail="handle_plugin_event",
                                                       how="recursion"), "--acl")
    assert result.events(3)[0]["rc"] == bRC_Error
    assert [line["rc"] for line in result.calls("startBackupFile")] == [0, 0]
    assert result.backed_up()["/virtual/file"]["bytes"] == len(b"hello from bpy_errors\n")
    assert result.call("getAcl")["content"] == "user::rw-\n"
