"""bareospy-fd --trace, the load-time warning about missing script functions,
and --report json (issue 14): each stumbling block a plugin author met shows
in one run -- a missing plugin_io(), a missing start_restore_file(), and why
a file counted as changed."""
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

import bareospy

PACKAGE = Path(bareospy.__file__).resolve().parent
BINARY = Path(os.environ.get("BAREOSPY_FD_BINARY") or PACKAGE / "bin" / "bareospy-fd")
PLUGIN_DIR = PACKAGE / "plugins"
SCRIPTS = Path(__file__).resolve().parent / "scripts"

pytestmark = pytest.mark.skipif(not BINARY.exists(), reason="bareospy-fd is not built")


def run(*args):
    command = [str(BINARY), "-p", str(PLUGIN_DIR), *map(str, args)]
    return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120)


def definition(tree, **options):
    text = f"python3:module_path={SCRIPTS}:module_name=bpy_local:dir={tree}"
    return text + "".join(f":{key}={value}" for key, value in options.items())


def traces(result):
    return [line.split("] ", 1)[1] for line in result.stderr.splitlines() if line.startswith("trace [")]


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "tree"
    (root / "sub").mkdir(parents=True)
    (root / "data.txt").write_text("hello\n")
    (root / "sub" / "same.txt").write_text("unchanged\n")
    old = time.time() - 3600
    for path in (root / "sub" / "same.txt", root / "sub", root):
        os.utime(path, (old, old))
    return root


def test_missing_plugin_io_is_warned_at_load_and_traced(tmp_path, tree):
    result = run("--trace", "backup", "--archive", tmp_path / "a.bpa", definition(tree, without="plugin_io"))
    assert result.returncode == 1, result.stderr
    lines = traces(result)
    assert "python3-fd.so: handle_plugin_event(bEventBackupCommand) -> bRC_OK" in lines
    assert f"start_backup_file -> bRC_OK fname={tree}/data.txt type=FT_REG" in lines
    assert (f"plugin_io(IO_OPEN, fname={tree}/data.txt, flags=O_RDONLY) -> bRC_Error status 0 "
            "(no plugin_io, or it failed)") in lines
    warnings = [line for line in result.stdout.splitlines() if line.startswith("    [warning]")]
    assert warnings == ["    [warning] python3-fd: script 'bpy_local' has no plugin_io(): backups of "
                        "files with data will fail (Cannot open ...: ERR=Input/output error)"]


def test_no_warning_for_a_complete_script_or_an_estimate(tmp_path, tree):
    backup = run("backup", "--archive", tmp_path / "a.bpa", definition(tree))
    assert backup.returncode == 0, backup.stdout + backup.stderr
    assert "Warnings:        0" in backup.stdout
    estimate = run("estimate", definition(tree, without="plugin_io"))
    assert estimate.returncode == 0, estimate.stdout + estimate.stderr
    assert "has no" not in estimate.stdout


def test_missing_start_restore_file_is_warned_and_traced(tmp_path, tree):
    archive = tmp_path / "a.bpa"
    assert run("backup", "--archive", archive, definition(tree)).returncode == 0
    options = f"python3:module_path={SCRIPTS}:module_name=bpy_local:without=start_restore_file"
    result = run("--trace", "restore", "--archive", archive, "--where", tmp_path / "out",
                 "--plugin-options", options)
    lines = traces(result)
    assert "python3-fd.so: handle_plugin_event(bEventRestoreCommand) -> bRC_OK" in lines
    assert any(re.fullmatch(r"start_restore_file\(python3:.*\) -> bRC_Error", line) for line in lines), lines
    assert ("[warning] python3-fd: script 'bpy_local' has no start_restore_file(): restores will fail "
            "(Unbalanced call to createFile)") in result.stdout
    assert "Unbalanced call to createFile" in result.stdout


def test_change_check_says_why_a_file_changed(tmp_path, tree):
    full = tmp_path / "full.bpa"
    time.sleep(1.1)  # the tree's ctimes (set by utime) fall before the full backup's start
    assert run("backup", "--archive", full, definition(tree)).returncode == 0
    (tree / "data.txt").write_text("hello again\n")
    result = run("--trace", "backup", "--level", "incremental", "--previous", full,
                 "--archive", tmp_path / "inc.bpa", definition(tree))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = traces(result)
    assert any(re.fullmatch(rf"check_changes {tree}/data.txt: changed: mtime \d+ >= since \d+", line)
               for line in lines), lines
    assert any(re.fullmatch(rf"check_changes {tree}/sub/same.txt: unchanged: mtime \d+ and ctime "
                            r"before since \d+", line) for line in lines), lines
    assert f"start_backup_file -> bRC_OK fname={tree}/sub/same.txt type=FT_NOCHG" in lines


def test_accurate_change_check_names_the_option_that_differed(tmp_path, tree):
    full = tmp_path / "full.bpa"
    assert run("backup", "--archive", full, definition(tree)).returncode == 0
    (tree / "data.txt").write_text("longer than before\n")
    os.utime(tree / "data.txt", (time.time() - 3600, time.time() - 3600))
    result = run("--trace", "backup", "--level", "incremental", "--previous", full, "--accurate",
                 "--accurate-options", "s", "--archive", tmp_path / "inc.bpa", definition(tree))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = traces(result)
    assert f"check_changes {tree}/data.txt: changed: size differs (accurate option s)" in lines
    assert f"check_changes {tree}/sub/same.txt: unchanged (accurate)" in lines


def test_no_trace_without_the_option(tmp_path, tree):
    result = run("backup", "--archive", tmp_path / "a.bpa", definition(tree))
    assert result.returncode == 0
    assert "trace [" not in result.stderr


def text_report(stdout):
    fields = {}
    for line in stdout.splitlines():
        match = re.fullmatch(r"  ([A-Z][A-Za-z ]+):\s+(.*)", line)
        if match:
            fields[match.group(1)] = match.group(2)
    return fields


def test_json_report_parses_and_matches_the_text_report(tmp_path, tree):
    text = run("backup", "--archive", tmp_path / "t.bpa", definition(tree, without="plugin_io"))
    result = run("--report", "json", "backup", "--archive", tmp_path / "j.bpa",
                 definition(tree, without="plugin_io"))
    assert result.returncode == text.returncode == 1
    report = json.loads(result.stdout)
    expected = text_report(text.stdout)
    assert report["type"] == expected["Type"] == "Backup"
    assert report["level"] == expected["Level"]
    assert report["archive"] == str(tmp_path / "j.bpa")
    for key, field in [("files", "Files"), ("unchanged", "Unchanged"), ("deleted", "Deleted"),
                       ("errors", "Errors"), ("warnings", "Warnings"),
                       ("restore_objects", "Restore objects")]:
        assert report[key] == int(expected[field]), key
    assert report["bytes"] == int(expected["Bytes"].split()[0])
    assert report["status"] == expected["Status"] == "Error"
    assert report["accurate"] is False
    text_messages = re.findall(r"^    \[([a-z ,]+)\] (.*)$", text.stdout, re.M)
    assert [(m["type"], m["text"]) for m in report["messages"]] == \
        [(kind, line.replace("/t.bpa", "/j.bpa")) for kind, line in text_messages]
    assert report["messages"][0]["type"] == "warning"
    assert f'Cannot open "{tree}/data.txt"' in report["messages"][1]["text"]
    assert len(report["messages"]) == int(expected["Messages"])


def test_json_report_to_a_file(tmp_path, tree):
    path = tmp_path / "report.jsonl"
    result = run("--report", "json", "--report-file", path, "estimate", definition(tree))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    report = json.loads(path.read_text())
    assert report["type"] == "Estimate" and report["status"] == "OK" and report["files"] == 4


def test_bad_report_format_is_a_usage_error(tmp_path):
    result = run("--report", "xml", "list", tmp_path / "none.bpa")
    assert result.returncode == 3
    assert 'bad --report "xml"' in result.stderr


def test_a_good_restore_traces_each_call_in_order(tmp_path, tree):
    archive = tmp_path / "a.bpa"
    assert run("backup", "--archive", archive, definition(tree)).returncode == 0
    where = tmp_path / "out"
    options = f"python3:module_path={SCRIPTS}:module_name=bpy_local"
    result = run("--trace", "-d", "150", "restore", "--archive", archive, "--where", where,
                 "--plugin-options", options)
    assert result.returncode == 0, result.stdout + result.stderr
    target = f"{where}{tree}/data.txt"
    lines = [line for line in traces(result) if "handle_plugin_event" not in line]
    first = lines.index(f"create_file(ofname={target}, type=FT_REG) -> bRC_OK create_status=CF_EXTRACT")
    assert lines[first - 1].startswith("start_restore_file(python3:") and lines[first - 1].endswith("-> bRC_OK")
    assert lines[first + 1:first + 6] == [
        f"plugin_io(IO_OPEN, fname={target}, flags=O_WRONLY|O_CREAT|O_TRUNC) -> bRC_OK status 0",
        "plugin_io(IO_WRITE, count=6) -> bRC_OK status 6",
        f"set_file_attributes({target}) -> bRC_OK",
        "plugin_io(IO_CLOSE) -> bRC_OK status 0",
        "end_restore_file() -> bRC_OK"]
    # -d 150 names the events too
    assert "python3-fd.so: event bEventRestoreCommand" in result.stderr


def test_no_warning_when_the_script_refuses_the_command(tmp_path, tree):
    result = run("backup", "--archive", tmp_path / "a.bpa",
                 definition(tree, without="plugin_io,end_backup_file", parse_rc=2))
    assert result.returncode == 2  # the backup command failed: no file will be asked for
    assert "has no" not in result.stdout
