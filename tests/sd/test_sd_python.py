"""python3-sd.so inside bareospy-sd: Python SD plugins (a script of the shape
of Bareos' class plugins, and examples/bareos-sd-volume-log.py) see a real
backup from bareospy-fd and its restore.
"""
import json
import os
import re
import signal
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fd"))
from test_host_e2e import (PACKAGE, EXIT_FATAL, OPERATOR_PLUGIN, assert_same_tree,  # noqa: E402
                           definition, host, make_small_tree, restored_root, snapshot, write_list)

SD = Path(os.environ.get("BAREOSPY_SD_BINARY") or PACKAGE / "bin" / "bareospy-sd")
PLUGIN_DIR = PACKAGE / "plugins"
SCRIPTS = Path(__file__).resolve().parent / "scripts"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TIMEOUT = 120


class PythonSd:
    """bareospy-sd serving with python3-sd.so and the given plugin options."""

    def __init__(self, directory, plugin_options, *options):
        self.storage = directory / "volumes"
        self.address = f"unix:{directory}/sd.sock"
        self.out = directory / "sd.out"
        self.process = subprocess.Popen(
            [str(SD), "serve", "--listen", self.address, "--storage-dir", str(self.storage),
             "-p", str(PLUGIN_DIR), "--plugin", "python3", "--plugin-options", plugin_options, *options],
            stdout=open(self.out, "w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + TIMEOUT
        while "listening on" not in self.output():
            assert self.process.poll() is None and time.monotonic() < deadline, self.output()
            time.sleep(0.02)

    def output(self):
        return self.out.read_text()

    def list(self):
        return subprocess.run([str(SD), "list", "--storage-dir", str(self.storage)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True, timeout=TIMEOUT).stdout

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            assert self.process.wait(TIMEOUT) == 0, self.output()
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def start_sd(tmp_path):
    servers = []

    def start(plugin_options, *options):
        servers.append(PythonSd(tmp_path, plugin_options, *options))
        return servers[-1]
    yield start
    for server in servers:
        server.stop()


def recording_options(out, **extra):
    text = f"python3:module_path={SCRIPTS}:module_name=bareos-sd-recording:out={out}"
    return text + "".join(f":{key}={value}" for key, value in extra.items())


def recorded(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def small_backup(tmp_path, address, job):
    root = make_small_tree(tmp_path / f"tree-{job}")
    list_file = write_list(tmp_path / f"list-{job}", root)
    return root, host("backup", "--storage", address, "--job", job, definition(list_file), expect=None)


VOLUME_EVENTS = ["DeviceOpen", "DeviceMount", "VolumeLoad"]
CLOSE_EVENTS = ["VolumeUnload", "DeviceUnmount", "DeviceClose", "DeviceRelease", "JobEnd"]


def without_records(events):
    return [e for e in events if e not in ("ReadRecordTranslation", "WriteRecordTranslation")]


def test_class_plugin_sees_backup_and_restore_in_order(start_sd, tmp_path):
    out = tmp_path / "events.jsonl"
    sd = start_sd(recording_options(out), "--label-format", "Vol-%04d")
    root, backup = small_backup(tmp_path, sd.address, "py-1")
    assert backup.report("Status") == "OK", backup.describe() + sd.output()
    lines = recorded(out)
    events = [line["event"] for line in lines]
    assert without_records(events) == (["JobStart", "DeviceInit", "DeviceReserve", "SetupRecordTranslation"]
                                        + VOLUME_EVENTS + ["LabelWrite", "VolumeStatus"] + CLOSE_EVENTS)
    assert "WriteRecordTranslation" in events
    label = lines[events.index("LabelWrite")]
    assert label["bsdVarJobName"] == "py-1" and label["bsdVarVolumeName"] == "Vol-0001"
    assert label["bsdVarMediaType"] and label["bsdVarPool"] and label["bsdVarStorage"]
    end = lines[-1]
    assert end["bsdVarJobFiles"] == events.count("WriteRecordTranslation") and end["bsdVarJobBytes"] > 0
    # the base class' JobEnd report (JobMessage) reaches the job's messages
    assert "py-1 level" in backup.stdout + sd.output()

    out.unlink()
    where = tmp_path / "restored"
    restore = host("restore", "--storage", sd.address, "--job", "py-1", "--where", where, *OPERATOR_PLUGIN)
    assert restore.report("Status") == "OK", restore.describe() + sd.output()
    assert_same_tree(snapshot(root), restored_root(where, root))
    events = [line["event"] for line in recorded(out)]
    assert without_records(events) == (["JobStart", "DeviceInit", "DeviceReserve", "SetupRecordTranslation"]
                                       + VOLUME_EVENTS + ["LabelRead", "LabelVerified", "VolumeStatus"]
                                       + CLOSE_EVENTS)
    assert "ReadRecordTranslation" in events


def test_refused_label_fails_the_backup_clearly(start_sd, tmp_path):
    sd = start_sd(recording_options(tmp_path / "events.jsonl", refuse="LabelWrite"))
    _, backup = small_backup(tmp_path, sd.address, "refused")
    assert backup.returncode == EXIT_FATAL, backup.describe()
    text = backup.stderr + backup.stdout
    assert "refused by a plugin" in text and "LabelWrite" in text, backup.describe() + sd.output()


def test_a_raising_script_leaves_the_daemon_serving(start_sd, tmp_path):
    out = tmp_path / "events.jsonl"
    sd = start_sd(recording_options(out, **{"raise": "JobStart", "raise_job": "raises-1"}))
    _, first = small_backup(tmp_path, sd.address, "raises-1")
    assert first.returncode == EXIT_FATAL, first.describe()
    assert "RuntimeError: the test script raises on JobStart" in first.stderr, first.describe()
    assert "Traceback" in sd.output() and sd.process.poll() is None
    root, second = small_backup(tmp_path, sd.address, "raises-2")
    assert second.report("Status") == "OK", second.describe() + sd.output()
    assert [line["event"] for line in recorded(out)].count("JobEnd") == 2
    listing = sd.list()
    assert "raises-2" in listing and "raises-1" not in listing, listing


def readme_example():
    """The shell block of README's "A Python plugin in bareospy-sd"."""
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = text[text.index("### A Python plugin in bareospy-sd"):]
    start = section.index("```sh\n") + 6
    return section[start:section.index("\n```", start)]


def test_the_readme_example_runs(tmp_path):
    """README's commands, with /tmp/ replaced by the test's directory."""
    # The socket in a short directory of its own: a Unix socket path has at most
    # 107 bytes, which a deep tmp_path (under tox, say) can exceed.
    socket_dir = tempfile.mkdtemp(prefix="bpy-sd-", dir="/tmp")
    script = readme_example().replace("/tmp/sd-py.sock", "@SOCKET@")
    script = script.replace("/tmp/", f"{tmp_path}/").replace("@SOCKET@", f"{socket_dir}/sd.sock")
    assert "bareos-sd-volume-log" in script and "kill %1" in script
    env = dict(os.environ, PATH=os.pathsep.join([str(PACKAGE / "bin"), os.path.dirname(sys.executable),
                                                  os.environ.get("PATH", "")]))
    if "BAREOSPY_SD_BINARY" in os.environ:
        script = script.replace("bareospy-sd ", os.environ["BAREOSPY_SD_BINARY"] + " ")
    try:
        result = subprocess.run(["bash", "-e", "-c", script], cwd=EXAMPLES.parent, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                universal_newlines=True, timeout=TIMEOUT)
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)
    assert result.returncode == 0, result.stdout
    assert "Stored in bareospy-sd" in result.stdout and "hosts-1" in result.stdout
    log = (tmp_path / "volumes.log").read_text().splitlines()
    assert log == ["hosts-1 load Vol-0001", "hosts-1 label-write Vol-0001", "hosts-1 unload Vol-0001"]


def test_the_example_refuses_a_label_off_the_pattern(start_sd, tmp_path):
    log = tmp_path / "volumes.log"
    sd = start_sd(f"python3:module_path={EXAMPLES}:module_name=bareos-sd-volume-log:log={log}:pattern=Tape-[0-9]+",
                  "--label-format", "Vol-%04d")
    _, backup = small_backup(tmp_path, sd.address, "off-pattern")
    assert backup.returncode == EXIT_FATAL, backup.describe()
    text = backup.stderr + backup.stdout
    assert "LabelWrite" in text and "refused by a plugin" in text, backup.describe() + sd.output()
    assert "volume name Vol-0001 does not match Tape-[0-9]+" in text + sd.output()
    assert log.read_text().splitlines()[:2] == ["off-pattern load Vol-0001", "off-pattern label-write Vol-0001"]
    assert sd.process.poll() is None


def test_the_class_plugin_of_bareos_shape_runs_unmodified(start_sd, tmp_path):
    """tests/sd/scripts/bareos-sd-class-plugin.py on BareosSdWrapper and
    BareosSdPluginBaseclass: its JobEnd report has the job's counters."""
    sd = start_sd(f"python3:module_path={SCRIPTS}:module_name=bareos-sd-class-plugin:note=hello")
    _, backup = small_backup(tmp_path, sd.address, "shipped-1")
    assert backup.report("Status") == "OK", backup.describe() + sd.output()
    report = sd.output()
    assert re.search(r"M_INFO: shipped-1 level F id 1: [1-9][0-9]* files, [1-9][0-9]* bytes", report), report
    assert "'note': 'hello'" in report and "Traceback" not in report
