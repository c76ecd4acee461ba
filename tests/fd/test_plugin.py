"""python3-fd.so driven like a file daemon by the C test driver (tests/fd/c/):
loading, the call sequence of a job, every entry point with and without its
script function, and the plugin definition strings (spec §1.3, §3, §4, §7,
Appendix A).

The scripts live in tests/fd/scripts; bpy_local.py traces every call it gets
(``result.traces()``).
"""
import os
import shlex
import shutil
import subprocess
import textwrap

import pytest

pytestmark = pytest.mark.driver

DEFAULT_EVENTS = [12, 13, 20, 17, 1, 10, 11, 9, 15]   # spec §5.2 step 6
M_FATAL, M_ERROR, M_WARNING = 3, 4, 5
bRC_OK, bRC_Stop, bRC_Error, bRC_More, bRC_Seen, bRC_Core, bRC_Skip = 0, 1, 2, 3, 5, 6, 7


def failed_to_find(result, function):
    """The debug messages (level 150) saying the script has no ``function``."""
    return [text for text in result.debug_messages(150)
            if f"Failed to find function named {function}()" in text]


def small_tree(root):
    """A directory with two files, for jobs that just need something to back up."""
    root.mkdir()
    (root / "a").write_bytes(b"first file\n")
    (root / "b").write_bytes(b"second file\n")
    return root


# -- loading -------------------------------------------------------------------------------

def test_loads_registers_default_events_and_frees(fd_driver):
    result = fd_driver("events", fd_driver.definition("bpy_local"))
    load = result.lines[0]
    assert load["load"] == "python3-fd.so" and load["rc"] == bRC_OK
    assert (load["size"], load["version"]) == (64, 10)
    assert (load["magic"], load["license"]) == ("*FDPluginData*", "Bareos AGPLv3")
    first_registration = result.core("registerBareosEvents")[0]
    assert sorted(first_registration["events"]) == sorted(DEFAULT_EVENTS)
    assert result.call("newPlugin")["rc"] == bRC_OK
    free = result.call("freePlugin")
    assert free["rc"] == bRC_OK and free["private_context_cleared"]
    assert [line["rc"] for line in result.lines if "unload" in line] == [bRC_OK]


FAKE_PLUGIN = r"""
#include <stdio.h>
#include "bareospy/fd.h"
static PluginInformation info = {
    sizeof(PluginInformation), VERSION, MAGIC, LICENSE, "t", "t", "1", "fake", "fake"};
static FdPluginFunctions functions;
bRC loadPlugin(PluginApiDefinition* a, void* c, PluginInformation** i, void** f)
{
  (void)a, (void)c;
  info.size = SIZE;
  *i = &info;
  *f = &functions;
  return bRC_OK;
}
bRC unloadPlugin(void)
{
  FILE* marker = fopen(MARKER, "w");
  if (marker) fclose(marker);
  return bRC_OK;
}
"""


@pytest.mark.parametrize("field, value, problem", [
    ("MAGIC", '"*SDPluginData*"', "wrong plugin_magic"),
    ("VERSION", "4", "wrong interface version"),
    ("LICENSE", '"GPLv2"', "unacceptable plugin_license"),
    ("SIZE", "32", "wrong PluginInformation size"),
])
def test_driver_refuses_an_incompatible_plugin(fd_driver, tmp_path, field, value, problem):
    """The driver makes the core's checks of §1.3 (so passing them means something)."""
    macros = {"MAGIC": '"*FDPluginData*"', "VERSION": "10", "LICENSE": '"Bareos AGPLv3"',
              "SIZE": "sizeof(PluginInformation)", "MARKER": f'"{tmp_path / "unloaded"}"'}
    macros[field] = value
    source = tmp_path / "fake-fd.c"
    source.write_text(FAKE_PLUGIN)
    plugin = tmp_path / "fake-fd.so"
    compiler = shlex.split(os.environ.get("CC") or shutil.which("cc") or "gcc")
    subprocess.run([*compiler, "-shared", "-fPIC", "-std=c99", f"-I{fd_driver.scripts.parents[2] / 'include'}",
                    *(f"-D{name}={text}" for name, text in macros.items()),
                    "-o", str(plugin), str(source)], check=True)
    result = fd_driver("events", "fake:x=1", plugin=plugin, check=False)
    assert result.returncode == 3, result.describe()
    assert result.lines[-1] == {"error": problem, "stage": "compat"}
    assert (tmp_path / "unloaded").exists(), "unloadPlugin was not called after the refusal"


# -- the call sequence of a backup ---------------------------------------------------------

def test_backup_call_sequence_matches_appendix_a(fd_driver, tmp_path):
    src = small_tree(tmp_path / "srv")
    definition = fd_driver.definition("bpy_local", dir=src, arg=1, events=3)
    result = fd_driver("backup", definition)
    leftover = f"dir={src}:arg=1:events=3:"
    per_file = lambda path: [
        ["start_backup_file", definition, "0000000000", False, True, 0, True],
        ["plugin_io", "open", str(path), os.O_RDONLY, 0, -1],
        ["plugin_io", "read", 65536],
        ["plugin_io", "read", 65536],
        ["plugin_io", "close", 0],
        ["end_backup_file"],
    ]
    assert result.traces() == [
        ["load_bareos_plugin", leftover],
        ["values", 1, ord("F"), 0, ord("B"), True],
        ["parse_plugin_definition", leftover],
        ["handle_plugin_event", 3],
        ["parse_plugin_definition", leftover],      # again, on bEventBackupCommand
        *per_file(src / "a"),
        *per_file(src / "b"),
        ["start_backup_file", definition, "0000000000", False, True, 0, True],   # the directory
        ["end_backup_file"],
    ]
    # Events Python never sees: before loading, or not registered.
    for event in (1, 12):          # JobStart, Level
        assert result.events(event)[0]["rc"] == bRC_OK
    assert result.calls("handlePluginEvent", event=16) == [
        {"call": "handlePluginEvent", "thread": 0, "ctx": 0, "event": 16, "delivered": False,
         "reason": "not registered"}]
    assert [line["rc"] for line in result.calls("endBackupFile")] == [bRC_More, bRC_More, bRC_OK]
    assert result.end["status"] == "OK" and result.end["files"] == 3


def test_level_and_since_are_kept_in_c_for_getvalue(fd_driver):
    """bEventSince/bEventLevel before loading: Python sees them only through GetValue."""
    result = fd_driver("events", "python3", "--no-command", "--event", "13=1234567",
                       "--event", "12=I", "--event", f"17={fd_driver.definition('bpy_local')}")
    assert [line["rc"] for line in result.events(13) + result.events(12)] == [bRC_OK, bRC_OK]
    # GetValue(bVarSinceTime) is the plugin's own copy; the core's since is 0.
    assert result.traces("values") == [["values", 1, ord("F"), 1234567, ord("B"), True]]
    assert not result.traces("handle_plugin_event")


def test_incremental_backup_sends_since_before_level(fd_driver, tmp_path):
    src = small_tree(tmp_path / "srv")
    result = fd_driver("backup", fd_driver.definition("bpy_local", dir=src), "--level", "I",
                       "--since", "1000")
    delivered = [line["event"] for line in result.calls("handlePluginEvent") if "rc" in line]
    assert delivered[:3] == [1, 13, 12]
    assert result.events(12)[0]["value"] == "I"
    assert result.traces("values")[0][3] == 1000


# -- every entry point, with and without its script function ------------------------------

@pytest.fixture(scope="module")
def local_archive(fd_driver, tmp_path_factory):
    """A bpy_local backup with a restore object, ACLs and xattrs: (archive, definition)."""
    base = tmp_path_factory.mktemp("local_archive")
    src = small_tree(base / "src")
    (src / "sub").mkdir()
    (src / "sub" / "c").write_bytes(b"third\n")
    archive = base / "archive"
    definition = fd_driver.definition("bpy_local", dir=src, objects=1, acl=1, xattr=1)
    fd_driver("backup", definition, "--archive", archive, "--acl", "--xattr")
    return archive, definition


def entry_point_run(fd_driver, local_archive, tmp_path, function, without):
    """Run the job that reaches ``function``; (result, the call that reached it)."""
    archive, backup_definition = local_archive
    src = tmp_path / "src"
    if not src.exists():
        small_tree(src)
    extra = {"without": function} if without else {}
    backup = lambda *options, **keys: fd_driver(
        "backup", fd_driver.definition("bpy_local", dir=src, **keys, **extra), *options)
    restore = lambda: fd_driver(
        "restore", fd_driver.definition("bpy_local"), "--archive", archive,
        "--where", tmp_path / "restored",
        *(["--options", f"python3:without={function}"] if without else []))
    if function == "handle_plugin_event":
        result = backup()
        return result, result.events(3)[0]
    if function == "start_backup_file":
        result = backup()
        return result, result.calls("startBackupFile")[0]
    if function == "end_backup_file":
        result = backup()
        return result, result.calls("endBackupFile")[0]
    if function == "plugin_io":
        result = backup()
        return result, result.calls("pluginIO", func=1)[0]
    if function == "get_acl":
        result = backup("--acl", acl=1)
        return result, result.calls("getAcl")[0]
    if function == "get_xattr":
        result = backup("--xattr", xattr=1)
        return result, result.calls("getXattr")[0]
    if function == "check_file":
        result = backup("--check-file", "/gone/keep.txt", seen="keep")
        return result, result.call("checkFile")
    if function == "parse_plugin_definition":
        result = fd_driver("events", fd_driver.definition("bpy_local", **extra))
        return result, result.events(17)[0]
    if function == "handle_backup_file":
        result = fd_driver("events", fd_driver.definition("bpy_local", **extra),
                           "--event", f"19={src / 'a'}")
        return result, result.events(19)[0]
    result = restore()
    if function == "restore_object_data":
        return result, [line for line in result.events(15) if "value" in line][0]
    name = {"start_restore_file": "startRestoreFile", "end_restore_file": "endRestoreFile",
            "create_file": "createFile", "set_file_attributes": "setFileAttributes",
            "set_acl": "setAcl", "set_xattr": "setXattr"}[function]
    return result, result.calls(name)[0]


# function -> what the job's first call of it answers when the script defines it
ENTRY_POINTS = {
    "handle_plugin_event": bRC_OK,
    "start_backup_file": bRC_OK,
    "end_backup_file": bRC_More,
    "plugin_io": bRC_OK,
    "get_acl": bRC_OK,
    "get_xattr": bRC_More,
    "check_file": bRC_Seen,
    "parse_plugin_definition": bRC_OK,
    "handle_backup_file": bRC_Core,
    "start_restore_file": bRC_OK,
    "end_restore_file": bRC_OK,
    "create_file": bRC_OK,
    "set_file_attributes": bRC_OK,
    "set_acl": bRC_OK,
    "set_xattr": bRC_OK,
    "restore_object_data": bRC_OK,
}


@pytest.mark.parametrize("function", ENTRY_POINTS)
def test_entry_point_calls_the_script_function(fd_driver, local_archive, tmp_path, function):
    result, call = entry_point_run(fd_driver, local_archive, tmp_path, function, without=False)
    assert call["rc"] == ENTRY_POINTS[function], call
    assert result.traces(function), f"{function} was not called"
    assert not failed_to_find(result, function)
    assert not result.job_messages(M_FATAL) and not result.job_messages(M_ERROR)


@pytest.mark.parametrize("function", ENTRY_POINTS)
def test_entry_point_without_script_function(fd_driver, local_archive, tmp_path, function):
    """A missing function: bRC_Error and a debug message (level 150), no exception."""
    result, call = entry_point_run(fd_driver, local_archive, tmp_path, function, without=True)
    assert call["rc"] == bRC_Error, call
    assert not result.traces(function)
    assert len(failed_to_find(result, function)) >= 1, result.debug_messages(150)
    assert not [text for text in result.job_messages() if "Traceback" in text]
    assert result.end   # the job went on to its end


def test_missing_load_bareos_plugin(fd_driver, tmp_path):
    (tmp_path / "no_loader.py").write_text(
        "def parse_plugin_definition(plugindef):\n    return 0\n"
        "def handle_plugin_event(event):\n    raise AssertionError('called')\n")
    result = fd_driver("events", fd_driver.definition("no_loader", module_path=tmp_path),
                       "--event", "3")
    assert result.events(17)[0]["rc"] == bRC_Error
    assert any("load_bareos_plugin" in text for text in result.job_messages(M_FATAL))
    # Not loaded: the C plugin answers other events itself.
    assert result.events(3)[0]["rc"] == bRC_OK
    assert not [text for text in result.job_messages() if "AssertionError" in text]


def test_before_loading_events_and_check_file_answer_ok(fd_driver):
    """No script yet: handle_plugin_event and check_file are answered without Python."""
    result = fd_driver("events", "python3", "--no-command", "--event", "3", "--event", "14",
                       "--check-file", "/some/file")
    assert [line["rc"] for line in result.events(3) + result.events(14)] == [bRC_OK, bRC_OK]
    assert result.call("checkFile")["rc"] == bRC_OK
    assert not result.debug_messages(150) and not result.job_messages()


@pytest.mark.parametrize("load_rc", [bRC_Stop, bRC_Error])
def test_load_bareos_plugin_non_ok_still_counts_as_loaded(fd_driver, load_rc):
    """§3.1: parse_plugin_definition is skipped for this event only."""
    definition = fd_driver.definition("bpy_local", load_rc=load_rc)
    result = fd_driver("events", definition, "--event", "3", "--event", f"17={definition}:n=2")
    assert result.events(17)[0]["rc"] == load_rc
    assert [entry[0] for entry in result.traces()] == [
        "load_bareos_plugin", "values", "handle_plugin_event", "parse_plugin_definition"]
    assert result.events(3)[0]["rc"] == bRC_OK
    assert len(result.traces("load_bareos_plugin")) == 1


def test_handle_backup_file_packet(fd_driver, tmp_path):
    target = tmp_path / "file.txt"
    target.write_bytes(b"12345")
    result = fd_driver("events", fd_driver.definition("bpy_local", handle="ok"),
                       "--event", f"19={target}", "--flags", "2,10")
    assert result.events(19)[0]["rc"] == bRC_OK
    assert result.traces("handle_backup_file") == [
        ["handle_backup_file", str(target), 3, False, "0404000000",
         fd_driver.definition("bpy_local", handle="ok"), 5]]
    packet = result.call("handleBackupFile")
    assert packet["no_read"] is True and packet["flags"] == "0100000000"   # copied back
    skip = fd_driver("events", fd_driver.definition("bpy_local", handle="skip"),
                     "--event", f"19={target}")
    assert skip.events(19)[0]["rc"] == bRC_Skip


def test_check_file_only_for_files_not_seen(fd_driver, tmp_path):
    src = small_tree(tmp_path / "srv")
    result = fd_driver("backup", fd_driver.definition("bpy_local", dir=src, seen="keep"),
                       "--accurate", "--check-file", str(src / "a"),
                       "--check-file", "/gone/keep-me", "--check-file", "/gone/other")
    assert {line["fname"]: line["rc"] for line in result.calls("checkFile")} == {
        "/gone/keep-me": bRC_Seen, "/gone/other": bRC_OK}
    assert [line["not_checked"] for line in result.select("not_checked")] == [str(src / "a")]


# -- plugin definition strings (§4.2-§4.4) ----------------------------------------------------

def test_escaped_colon_stays_raw_in_the_leftover(fd_driver):
    definition = fd_driver.definition("bpy_local") + r":a=x\:y:b=1"
    result = fd_driver("events", definition)
    assert result.traces("load_bareos_plugin") == [["load_bareos_plugin", r"a=x\:y:b=1:"]]
    assert result.traces("parse_plugin_definition") == [["parse_plugin_definition", r"a=x\:y:b=1:"]]


def test_module_path_and_module_name_are_unescaped(fd_driver, tmp_path):
    odd = tmp_path / "dir:with:colons"
    odd.mkdir()
    shutil.copy(fd_driver.scripts / "bpy_local.py", odd / "bpy_local.py")
    escaped = str(odd).replace(":", r"\:")
    definition = rf"python3:module_path={escaped}:module_name=bpy\_local:k=v"
    result = fd_driver("events", definition)
    assert result.events(17)[0]["rc"] == bRC_OK
    assert result.traces("load_bareos_plugin") == [["load_bareos_plugin", "k=v:"]]


def test_known_keys_match_exactly_and_case_insensitively(fd_driver):
    definition = (f"python3:MODULE_PATH={fd_driver.scripts}:Module_Name=bpy_local"
                  ":module=x:m=y:module_names=z")
    result = fd_driver("events", definition)
    assert result.events(17)[0]["rc"] == bRC_OK
    assert result.traces("load_bareos_plugin") == [
        ["load_bareos_plugin", "module=x:m=y:module_names=z:"]]


def test_all_is_skipped_without_python(fd_driver):
    result = fd_driver("events", fd_driver.definition("bpy_local"), "--event", "17=*all*",
                       "--event", "9=*all*")
    assert [line["rc"] for line in result.events(17)] == [bRC_OK, bRC_Skip]
    assert result.events(9)[0]["rc"] == bRC_Skip
    assert len(result.traces("parse_plugin_definition")) == 1


@pytest.mark.parametrize("definition, message", [
    ("python3", "Illegal plugin definition python3"),
    ("python3:module_name=bpy_local:novalue", "Illegal argument novalue without value"),
])
def test_bad_definitions_are_fatal(fd_driver, definition, message):
    result = fd_driver("events", definition)
    assert result.events(17)[0]["rc"] == bRC_Error
    assert [text for text in result.job_messages(M_FATAL) if message in text], result.job_messages()
    assert not result.traces()


def test_new_plugin_options_merge_into_the_first_restore_command(fd_driver):
    """§4.2 step 4: stored options + the command's tail, stored keys first."""
    definition = fd_driver.definition("bpy_local")
    result = fd_driver("events", "python3", "--no-command",
                       "--event", f"20=python3:opt=1:module_path={fd_driver.scripts}"
                                  ":module_name=bpy_local",
                       "--event", f"10={definition}:module_name=bpy_errors:x=2",
                       "--event", f"10={definition}:x=3")
    # The options name a module: loaded at once with them.
    assert result.events(20)[0]["rc"] == bRC_OK
    assert result.traces("load_bareos_plugin") == [["load_bareos_plugin", "opt=1:"]]
    other = fd_driver("events", "python3", "--no-command", "--event", "20=python3:opt=1",
                      "--event", f"10={definition}:x=2", "--event", f"10={definition}:x=3")
    assert other.events(20)[0]["rc"] == bRC_Error   # stored: no module yet
    assert other.traces("load_bareos_plugin") == [["load_bareos_plugin", "opt=1:x=2:"]]
    assert other.traces("parse_plugin_definition") == [
        ["parse_plugin_definition", "opt=1:x=2:"], ["parse_plugin_definition", "x=3:"]]


def test_parse_plugin_definition_on_every_later_definition(fd_driver):
    definition = fd_driver.definition("bpy_local")
    events = {9: "backup", 10: "restore", 11: "estimate", 17: "plugin", 20: "options"}
    options = [arg for number, tag in events.items()
               for arg in ("--event", f"{number}={definition}:seen={tag}")]
    result = fd_driver("events", definition, *options)
    assert len(result.traces("load_bareos_plugin")) == 1
    assert result.traces("parse_plugin_definition") == [["parse_plugin_definition", ""]] + [
        ["parse_plugin_definition", f"seen={tag}:"] for tag in events.values()]
    assert all(result.events(number)[-1]["rc"] == bRC_OK for number in events)


def test_a_second_module_name_does_not_load_another_script(fd_driver):
    """§4.4: one instance, one script: the first one loaded."""
    result = fd_driver("events", fd_driver.definition("bpy_local"),
                       "--event", f"17={fd_driver.definition('bpy_errors')}:z=1")
    assert result.traces("parse_plugin_definition")[-1] == ["parse_plugin_definition", "z=1:"]
    assert len(result.traces("load_bareos_plugin")) == 1


def test_parse_plugin_definition_result_is_the_event_result(fd_driver, tmp_path):
    src = small_tree(tmp_path / "srv")
    result = fd_driver("backup", fd_driver.definition("bpy_local", dir=src, parse_rc=bRC_Error))
    assert result.events(17)[0]["rc"] == bRC_Error
    assert result.events(9)[0]["rc"] == bRC_Error
    assert not result.calls("startBackupFile")      # the FileSet walk was aborted
    assert result.end["status"] == "Fatal"


def test_plugin_path_is_searched(fd_driver, tmp_path):
    """bVarPluginPath (the daemon's plugin directory) is searched after module_path."""
    result = fd_driver("events", "python3:module_name=bpy_local:k=1",
                       "--plugin-dir", fd_driver.scripts)
    assert result.events(17)[0]["rc"] == bRC_OK
    assert result.traces("load_bareos_plugin") == [["load_bareos_plugin", "k=1:"]]


# -- output ---------------------------------------------------------------------------------

def test_print_goes_to_the_daemon_not_to_stdout(fd_driver):
    """The driver's stdout carries only JSON (DriverResult parses every line)."""
    result = fd_driver("events", fd_driver.definition("bpy_print", x=1), "--event", "3")
    debug = "".join(result.debug_messages())
    assert "bpy_print imported" in debug
    assert "load_bareos_plugin('x=1:')" in debug
    assert "no newline at the end" in debug
    assert "handle_plugin_event(3)" in debug
    assert "bytes through sys.stdout.buffer" in debug
    assert any("a line on stderr" in text for text in result.job_messages(M_WARNING))
    assert "imported" not in result.stderr
    unraisable = [text for text in result.job_messages(M_WARNING) if "error in __del__" in text]
    assert len(unraisable) == 1 and "Traceback" in unraisable[0] and "__del__" in unraisable[0]
    assert "error in __del__" not in result.stderr


@pytest.mark.parametrize("module, text, error", [
    ("does_not_exist", None, "ModuleNotFoundError"),
    ("syntax_broken", "def load_bareos_plugin(plugindef:\n    return 0\n", "SyntaxError"),
    ("raises_at_import", "import bareosfd\nraise RuntimeError('no import for you')\n",
     "RuntimeError: no import for you"),
])
def test_script_that_cannot_be_imported(fd_driver, tmp_path, module, text, error):
    if text is not None:
        (tmp_path / f"{module}.py").write_text(text)
    definition = fd_driver.definition(module, module_path=tmp_path)
    result = fd_driver("backup", definition)
    assert result.events(17)[0]["rc"] == bRC_Error
    fatal = result.job_messages(M_FATAL)
    assert [message for message in fatal if module in message], fatal
    tracebacks = [message for message in fatal if message.startswith("bareosfd: Traceback")]
    assert tracebacks and error in tracebacks[0], fatal
    # The daemon keeps running: the job goes on (and fails) to its end.
    assert result.events(9)[0]["rc"] == bRC_Error
    assert result.end["status"] == "Fatal"
    assert result.lines[-1]["driver"] == "done"


def test_core_callbacks_reach_the_core(fd_driver):
    """The bareosfd functions a script calls arrive at the core with their arguments."""
    result = fd_driver("events", fd_driver.definition("bpy_local", fileset=1))
    answers = result.traces("core_functions")[0][1]
    assert answers == {
        "AddExclude": bRC_OK, "AddInclude": bRC_OK, "AddOptions": bRC_OK, "AddRegex": bRC_OK,
        "AddWild": bRC_OK, "NewOptions": bRC_OK, "NewInclude": bRC_OK, "NewPreInclude": bRC_OK,
        "SetSeenBitmap": bRC_OK, "ClearSeenBitmap": bRC_OK, "SetValue(bVarFileSeen)": bRC_OK,
        "GetInstanceCount": 1, "AcceptFile": bRC_OK,
        "CheckChanges": bRC_Seen,                  # mtime/ctime 100 < save_time 200
        "GetValue(bVarJobName)": "DriverJob.2026-01-01_00.00.00_01",
        "GetValue(bVarAccurateOptions)": [32, 128, 256],   # the core's default "mcs"
    }
    recorded = lambda name: [{k: v for k, v in line.items() if k not in ("core", "ctx", "thread")}
                             for line in result.core(name)]
    assert recorded("AddExclude") == [{"value": "/excluded", "rc": 0}]
    assert recorded("AddInclude") == [{"value": "/included", "rc": 0}]
    assert recorded("AddOptions") == [{"value": "ie", "rc": 0}]
    assert recorded("AddRegex") == [{"value": r"\.tmp$", "type": ord("F"), "rc": 0}]
    assert recorded("AddWild") == [{"value": "*.bak", "type": ord("B"), "rc": 0}]
    for name in ("NewOptions", "NewInclude", "NewPreInclude"):
        assert recorded(name) == [{"rc": 0}]
    assert recorded("SetSeenBitmap") == [{"all": False, "fname": "/seen/one", "rc": 0}]
    assert recorded("ClearSeenBitmap") == [{"all": True, "fname": None, "rc": 0}]
    assert {"var": 10, "value": "/seen/two", "rc": 0} in recorded("setBareosValue")
    assert recorded("AcceptFile") == [{"fname": "/probe/file", "rc": 0}]
    check = recorded("checkChanges")[0]
    assert (check["fname"], check["save_time"], check["rc"]) == ("/probe/file", 200, bRC_Seen)


def test_driver_reports_a_plugin_it_cannot_open(fd_driver, tmp_path):
    result = fd_driver("events", "python3:x=1", plugin=tmp_path / "missing-fd.so", check=False)
    assert result.returncode == 3
    assert result.lines[-1]["stage"] == "dlopen"
