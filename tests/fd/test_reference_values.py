"""Values the reference module accepts, through a daemon (spec §2.5.1, §3.3).

tests/fd/scripts/bpy_values.py assigns what real Bareos scripts assign: a
millisecond timestamp to ``SavePacket.object_index`` (too wide for its i32:
truncated) and a str to ``RestoreObject.object``.  Both jobs must end OK, in
the reference host bareospy-fd.  With ``case=...`` the script assigns a value
the core cannot take, and the C boundary must answer as the reference does
(tests/fd/c/fd_driver.c shows what reached the core).

Inside a daemon, bareospy's value warnings are debug messages, never job
messages: the job keeps the status the reference gives it.
"""
import ast
import os
import re
import subprocess
from pathlib import Path

import pytest

import bareospy

PACKAGE = Path(bareospy.__file__).resolve().parent
BINARY = Path(os.environ.get("BAREOSPY_FD_BINARY") or PACKAGE / "bin" / "bareospy-fd")
SCRIPTS = Path(__file__).resolve().parent / "scripts"
DEFINITION = f"python3:module_path={SCRIPTS}:module_name=bpy_values"

M_FATAL, M_WARNING = 3, 5
bRC_OK, bRC_Error = 0, 2


def _int32(value):
    return (value + 2**31) % 2**32 - 2**31


def host(*args):
    """bareospy-fd with debug output up to level 200 on stderr: (stdout, stderr)."""
    command = [str(BINARY), "-p", str(PACKAGE / "plugins"), "-d", "200", *map(str, args)]
    done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    stdout, stderr = (done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))
    assert done.returncode == 0, f"{command}\n{stdout}\n{stderr}"
    return stdout, stderr


def status(stdout):
    return re.search(r"^  Status:\s*(.*)$", stdout, re.M).group(1)


def test_timestamp_index_and_str_object_back_up_and_restore_ok_in_bareospy_fd(tmp_path):
    archive = tmp_path / "values.bpa"
    stdout, stderr = host("backup", "--archive", archive, "--acl", "--xattr", DEFINITION)
    assert status(stdout) == "OK", stdout
    stamp, stored = map(int, re.search(r"values: object_index (\d+) stored as (-?\d+)",
                                       stdout).groups())
    assert stamp > 2**31 and stored == _int32(stamp)
    # the truncation warning is a debug message naming the attribute, not a job message
    assert "SavePacket.object_index: " in stderr and "SavePacket.object_index" not in stdout
    assert "[warning]" not in stdout

    # the operator names the plugin code (the archive's module_path is not trusted)
    stdout, stderr = host("restore", "--plugin-options", DEFINITION, "--archive", archive,
                          "--where", tmp_path / "out")
    assert status(stdout) == "OK", stdout
    found = re.search(r"values: restore object values-object index (-?\d+) str (.*) "
                      r"RestoreObject\(object_name=\"values-object\", object=\"\", ", stdout)
    assert found, stdout
    assert int(found.group(1)) == stored
    assert ast.literal_eval(found.group(2)) == "object text \u00e9"
    assert "values: restored b'data of /virtual/values\\n'" in stdout
    assert "RestoreObject.object: " in stderr and "[warning]" not in stdout


def _backup(fd_driver, case):
    return fd_driver("backup", fd_driver.definition("bpy_values", case=case), "--acl",
                     "--xattr", check=False)


def _fatal(result):
    return "\n".join(result.job_messages(M_FATAL))


def _kept_with_a_debug_note(result, attribute):
    """The odd value was kept: a debug note names the attribute, no job warning."""
    assert any(f"{attribute}: " in text for text in result.debug_messages(150)), \
        result.describe()
    assert not [text for text in result.job_messages() if attribute in text and
                "Traceback" not in text]


@pytest.mark.parametrize("case, index, error", [
    ("fname_bytes", 1, 'TypeError: fname needs to be of type string "utf-8"'),
    ("link_int", 1, 'TypeError: link needs to be of type string "utf-8"'),
    ("statp_stat_result", 1, "TypeError: SavePacket.statp must be a bareosfd.StatPacket"),
    ("object_str", 0, "RuntimeError: object needs to be of type bytearray"),
    ("object_name_bytes", 0, "RuntimeError: object name must be unicode type"),
])
def test_save_packet_values_the_core_cannot_take_fail_like_the_reference(
        fd_driver, case, index, error):
    result = _backup(fd_driver, case)
    assert result.calls("startBackupFile")[index]["rc"] == bRC_Error
    assert error in _fatal(result), result.describe()
    attribute = {"fname_bytes": "SavePacket.fname", "link_int": "SavePacket.link",
                 "statp_stat_result": "SavePacket.statp", "object_str": "SavePacket.object",
                 "object_name_bytes": "SavePacket.object_name"}[case]
    _kept_with_a_debug_note(result, attribute)


@pytest.mark.parametrize("case, what", [("fname_nul", "fname"), ("link_nul", "link")])
def test_a_name_with_a_nul_is_refused_not_cut(fd_driver, case, what):
    """C would see the name cut at the NUL: an error instead of a wrong name."""
    result = _backup(fd_driver, case)
    assert result.calls("startBackupFile")[1]["rc"] == bRC_Error
    assert f"ValueError: {what} contains a NUL character" in _fatal(result), result.describe()
    assert not [line for line in result.select("data") if "val" in str(line["data"])]


def test_a_bytes_restore_object_is_taken(fd_driver):
    """The reference wants a bytearray; any bytes-like object works here."""
    result = _backup(fd_driver, "object_bytes")
    assert [call["rc"] for call in result.calls("startBackupFile")] == [bRC_OK, bRC_OK]
    objects = [line for line in result.select("object") if "call" not in line]
    assert [o["object"] for o in objects] == ["values-object"], result.describe()
    assert result.end["status"] == "OK"


def test_a_read_buffer_that_is_not_bytes_like_is_a_read_error(fd_driver):
    result = _backup(fd_driver, "buf_str")
    reads = [call for call in result.calls("pluginIO", func=2) if call.get("status")]
    assert reads and reads[0]["status"] == -1, result.describe()
    assert any("IO_READ: status" in text and "str" in text
               for text in result.debug_messages(150))
    _kept_with_a_debug_note(result, "IoPacket.buf")


def test_an_acl_that_is_not_bytes_like_fails_like_the_reference(fd_driver):
    result = _backup(fd_driver, "acl_str")
    assert result.calls("getAcl")[0]["rc"] == bRC_Error
    assert "TypeError: acl packet content needs to be of bytearray type" in _fatal(result)
    _kept_with_a_debug_note(result, "AclPacket.content")


@pytest.mark.parametrize("case, attribute, sent", [
    ("xattr_name_str", "XattrPacket.name", (None, None)),        # nothing is sent
    ("xattr_value_str", "XattrPacket.value", ("user.values", None)),  # the value stays NULL
])
def test_xattr_parts_that_are_not_bytes_like_are_ignored_like_the_reference(
        fd_driver, case, attribute, sent):
    result = _backup(fd_driver, case)
    [call] = result.calls("getXattr")
    assert call["rc"] == bRC_OK and (call["name"], call["value"]) == sent, result.describe()
    assert not _fatal(result) and result.end["status"] == "OK"
    _kept_with_a_debug_note(result, attribute)
