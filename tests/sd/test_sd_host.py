"""bareospy-sd, the reference storage daemon: driven through the kit's
client library (tests/sd/c/sd_test_client.c) with a recording C plugin
(tests/sd/c/recording-sd.c) that logs every event it gets.

Every server listens on a Unix socket in the test's directory and is
stopped (SIGTERM, then SIGKILL) at the end of its test.
"""
import json
import re
import os
import resource
import signal
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "embed", "hosts"))
import cbuild  # noqa: E402

TIMEOUT = 60


@pytest.fixture(scope="session")
def programs(tmp_path_factory):
    """The SD, the recording plugin (in a plugin directory of its own) and the client."""
    out = tmp_path_factory.mktemp("sd-programs")
    plugins = out / "plugins"
    plugins.mkdir()
    built = {}
    for name, target in (("bareospy-sd", out / "bareospy-sd"),
                         ("recording-sd.so", plugins / "recording-sd.so"),
                         ("sd_test_client", out / "sd_test_client")):
        cbuild.build(name, target)
        built[name] = str(target)
    built["plugin_dir"] = str(plugins)
    return built


class Server:
    def __init__(self, programs, directory, *options, plugin_options=None, preexec_fn=None,
                 listen=None):
        self.programs = programs
        self.directory = directory
        self.storage = str(directory / "storage")
        self.socket = str(directory / "sd.sock")
        self.address = listen or "unix:" + self.socket
        self.events_file = str(directory / "events.jsonl")
        self.stdout_path = directory / "sd.stdout"
        self.stderr_path = directory / "sd.stderr"
        argv = [programs["bareospy-sd"], "serve", "--listen", self.address,
                "--storage-dir", self.storage, "-p", programs["plugin_dir"], *options]
        if plugin_options is not None:
            argv += ["--plugin-options", plugin_options]
        self.process = subprocess.Popen(argv, stdout=open(self.stdout_path, "w"),
                                        stderr=open(self.stderr_path, "w"), preexec_fn=preexec_fn)
        deadline = time.monotonic() + TIMEOUT
        while "listening on" not in self.stdout():
            assert self.process.poll() is None, self.stderr()
            assert time.monotonic() < deadline, "bareospy-sd did not start listening"
            time.sleep(0.02)
        if listen:
            self.address = re.search(r"listening on (\S+),", self.stdout()).group(1)

    def recording(self, **options):
        """SD plugin options for the recording plugin."""
        text = "recording:out=" + self.events_file
        for key, value in options.items():
            text += f":{key}={value}"
        return text

    def client(self, command, job, *options, check=True):
        result = subprocess.run([self.programs["sd_test_client"], command, self.address, job, *options],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                universal_newlines=True, timeout=TIMEOUT)
        if check:
            assert result.returncode == 0, result.stderr + self.stderr()
        return result

    def backup(self, job, *options, **kwargs):
        return self.client("backup", job, *options, **kwargs)

    def restore(self, job, **kwargs):
        return self.client("restore", job, **kwargs)

    def events(self, job=None):
        if not os.path.exists(self.events_file):
            return []
        with open(self.events_file) as f:
            lines = [json.loads(line) for line in f]
        return [line for line in lines if job is None or line["job"] == job]

    def list(self):
        return subprocess.run([self.programs["bareospy-sd"], "list", "--storage-dir", self.storage],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=TIMEOUT)

    def volumes(self):
        return sorted(os.listdir(self.storage))

    def stdout(self):
        return self.stdout_path.read_text()

    def stderr(self):
        return self.stderr_path.read_text()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def start(programs, tmp_path):
    servers = []

    def start(*options, **kwargs):
        server = Server(programs, tmp_path, *options, **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
    for server in servers:
        # Sanitizer builds (BAREOSPY_SANITIZE=1) report here.
        assert "Sanitizer" not in server.stderr() and "runtime error" not in server.stderr(), server.stderr()


def values(output):
    """key=value lines as a dict (repeated keys: a list)."""
    result = {}
    for line in output.splitlines():
        key, _, value = line.partition("=")
        if key == "volume":
            result.setdefault("volumes", []).append(value)
        else:
            result[key] = value
    return result


def squeeze(names):
    """Event names with runs of the per-record events folded into one."""
    out = []
    for name in names:
        if name.endswith("RecordTranslation") and name != "SetupRecordTranslation" and out and out[-1] == name:
            continue
        out.append(name)
    return out


MOUNT_NEW = ["DeviceOpen", "DeviceMount", "VolumeLoad", "LabelWrite", "VolumeStatus"]
MOUNT_OLD = ["DeviceOpen", "DeviceMount", "VolumeLoad", "LabelRead", "LabelVerified", "VolumeStatus"]
UNMOUNT = ["VolumeUnload", "DeviceUnmount", "DeviceClose"]


def test_backup_events_in_order_over_three_volumes(start):
    server = start("--max-volume-bytes", "20000")
    result = server.backup("job1", "--records", "60", "--size", "1000",
                           "--options", server.recording(), "--client", "client-fd")
    summary = values(result.stdout)
    assert summary["volumes"] == ["Vol-0001", "Vol-0002", "Vol-0003"]
    events = server.events("job1")
    names = squeeze(e["event"] for e in events)
    write = ["WriteRecordTranslation"]
    assert names == (["NewPluginOptions", "JobStart", "DeviceInit", "DeviceReserve",
                      "SetupRecordTranslation"]
                     + MOUNT_NEW + write + UNMOUNT
                     + MOUNT_NEW + write + UNMOUNT
                     + MOUNT_NEW + write + UNMOUNT
                     + ["DeviceRelease", "JobEnd"])
    # GetValue answers from the job and the device.
    assert {e["instance"] for e in events} == {0}
    job_start = events[1]
    assert job_start["volume"] == job_start["pool"] == "<error>"  # no device yet
    assert job_start["client"] == "client-fd" and job_start["type"] == ord("B")
    assert job_start["level"] == ord("F") and job_start["status"] == ord("R")
    labels = [e for e in events if e["event"] == "LabelWrite"]
    assert [e["volume"] for e in labels] == ["Vol-0001", "Vol-0002", "Vol-0003"]
    assert all(e["pool"] == "Default" and e["media_type"] == "File" and e["storage"] == "FileStorage"
               for e in labels)
    end = events[-1]
    assert end["files"] == 60 and end["bytes"] == int(summary["bytes"]) and end["errors"] == 0
    restored = values(server.restore("job1").stdout)
    assert restored["sha256"] == summary["sha256"] and restored["records"] == "60"
    assert "Termination:      OK" in server.stdout()


def test_restore_events_in_order(start):
    server = start("--max-volume-bytes", "20000")
    server.backup("job1", "--records", "40", "--size", "1000")
    server.stop()
    # A restarted SD whose options (--plugin-options) reach the jobs that send none.
    server2 = start("--max-volume-bytes", "20000", plugin_options=server.recording())
    server2.restore("job1")
    names = squeeze(e["event"] for e in server2.events("job1"))
    read = ["ReadRecordTranslation"]
    assert names == (["NewPluginOptions", "JobStart", "DeviceInit", "DeviceReserve",
                      "SetupRecordTranslation"]
                     + MOUNT_OLD + read + UNMOUNT + MOUNT_OLD + read + UNMOUNT
                     + ["DeviceRelease", "JobEnd"])


def test_many_volumes_restore_identical_and_list(start):
    server = start("--max-volume-bytes", "64k", "--label-format", "Disk_%03d")
    summary = values(server.backup("big", "--records", "400", "--size", "2000").stdout)
    assert len(summary["volumes"]) >= 3
    assert server.volumes() == summary["volumes"]
    for name in server.volumes():
        assert os.path.getsize(os.path.join(server.storage, name)) <= 64 * 1024
    restored = values(server.restore("big").stdout)
    assert (restored["sha256"], restored["records"], restored["bytes"]) == \
        (summary["sha256"], "400", summary["bytes"])
    listing = server.list()
    assert listing.returncode == 0, listing.stdout
    assert "Disk_001: pool Default, media type File" in listing.stdout
    assert "job big part 0 starts" in listing.stdout
    assert "complete" in listing.stdout


def test_second_job_appends_after_verifying_the_label(start):
    server = start()
    first = values(server.backup("job1", "--records", "5").stdout)
    second = values(server.backup("job2", "--records", "5", "--options", server.recording()).stdout)
    assert first["volumes"] == second["volumes"] == ["Vol-0001"]
    assert squeeze(e["event"] for e in server.events("job2"))[5:11] == MOUNT_OLD
    for job, summary in (("job1", first), ("job2", second)):
        assert values(server.restore(job).stdout)["sha256"] == summary["sha256"]
    again = server.backup("job1", "--records", "1", check=False)
    assert again.returncode == 1 and "a job named job1 is already stored" in again.stderr


def test_plugin_sets_volume_names(start):
    server = start("--max-volume-bytes", "20000")
    options = server.recording(volumes="Alpha,Beta,Gamma")
    summary = values(server.backup("job1", "--records", "60", "--options", options).stdout)
    assert summary["volumes"] == ["Alpha", "Beta", "Gamma"]
    assert server.volumes() == ["Alpha", "Beta", "Gamma"]
    assert values(server.restore("job1").stdout)["sha256"] == summary["sha256"]


@pytest.mark.parametrize("event, message", [
    ("DeviceOpen", "opening the device refused by a plugin"),
    ("LabelWrite", "labelling new volume refused by a plugin"),
    ("DeviceMount", "mounting the device refused by a plugin"),
    ("WriteRecordTranslation", "writing a record refused by a plugin"),
])
def test_refusing_plugin_fails_the_step(start, event, message):
    server = start()
    result = server.backup("job1", "--options", server.recording(refuse=event), check=False)
    assert result.returncode == 1
    assert message in result.stderr and f"({event} returned 2)" in result.stderr
    names = [e["event"] for e in server.events("job1")]
    assert names[-2:] == ["DeviceRelease", "JobEnd"]
    # Only the steps taken are undone.
    undone = {"DeviceOpen": [], "DeviceMount": ["DeviceClose"],
              "LabelWrite": ["VolumeUnload", "DeviceUnmount", "DeviceClose"],
              "WriteRecordTranslation": ["VolumeUnload", "DeviceUnmount", "DeviceClose"]}[event]
    assert names[names.index(event) + 1:-2] == undone
    if event != "WriteRecordTranslation":
        assert server.volumes() == []  # nothing labelled
    assert "Termination:      Error" in server.stdout()
    # The SD goes on serving.
    server.backup("job2")


def test_refused_label_of_existing_volume_is_skipped(start):
    server = start()
    server.backup("job1")
    summary = values(server.backup("job2", "--options", server.recording(refuse="LabelVerified")).stdout)
    assert summary["volumes"] == ["Vol-0002"]
    assert "label rejected by a plugin (LabelVerified)" in server.stdout()


def test_two_concurrent_jobs(start):
    server = start("--max-volume-bytes", "50000")
    clients = [subprocess.Popen([server.programs["sd_test_client"], "backup", server.address, job,
                                 "--records", "150", "--size", "1500"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
               for job in ("left", "right")]
    outputs = [client.communicate(timeout=TIMEOUT) for client in clients]
    assert [client.returncode for client in clients] == [0, 0], outputs
    summaries = [values(out) for out, _ in outputs]
    # One job at a time writes a volume: on each, every part's start is followed by its end.
    parts = re.findall(r"job (\w+) part (\d+) (starts|ends)", server.list().stdout)
    assert len(parts) == 2 * (len(summaries[0]["volumes"]) + len(summaries[1]["volumes"]))
    for start_line, end_line in zip(parts[::2], parts[1::2]):
        assert start_line[:2] == end_line[:2] and (start_line[2], end_line[2]) == ("starts", "ends")
    for job, summary in zip(("left", "right"), summaries):
        assert values(server.restore(job).stdout)["sha256"] == summary["sha256"]


def wait_for_line(process, text):
    line = process.stdout.readline()  # the client prints it, then waits to be killed
    assert line.strip() == text


def test_killed_client_leaves_earlier_jobs_and_the_sd_serving(start):
    server = start("--max-volume-bytes", "30000")
    first = values(server.backup("early", "--records", "50").stdout)
    client = subprocess.Popen([server.programs["sd_test_client"], "backup", server.address, "killed",
                               "--records", "100", "--stall-after", "30"],
                              stdout=subprocess.PIPE, universal_newlines=True)
    wait_for_line(client, "stalled")
    client.kill()
    client.wait(TIMEOUT)
    deadline = time.monotonic() + TIMEOUT
    while "lost the connection to the client" not in server.stdout():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert server.process.poll() is None
    later = values(server.backup("later", "--records", "20").stdout)
    assert values(server.restore("early").stdout)["sha256"] == first["sha256"]
    assert values(server.restore("later").stdout)["sha256"] == later["sha256"]
    killed = server.restore("killed", check=False)
    assert killed.returncode == 1
    assert "after 30 records" in killed.stderr and "aborted while it was written" in killed.stderr
    assert re.search(r"job killed part \d+ ends: aborted", server.list().stdout)


def test_sigterm_aborts_a_running_job_cleanly(start):
    server = start()
    client = subprocess.Popen([server.programs["sd_test_client"], "backup", server.address, "running",
                               "--records", "100", "--stall-after", "10"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    wait_for_line(client, "stalled")
    assert server.stop() == 0
    assert "the storage daemon is stopping" in server.stdout()
    assert "bareospy-sd stopped" in server.stdout()
    assert not os.path.exists(server.socket)
    client.kill()
    client.wait(TIMEOUT)
    assert "job running part 0 ends: aborted, 10 records" in server.list().stdout


def test_damaged_label(start):
    server = start()
    server.backup("job1")
    path = os.path.join(server.storage, "Vol-0001")
    with open(path, "r+b") as f:
        f.seek(20)
        byte = f.read(1)
        f.seek(20)
        f.write(bytes([byte[0] ^ 0xFF]))
    damaged = open(path, "rb").read()
    result = server.restore("job1", check=False)
    assert result.returncode == 1
    assert "Vol-0001: damaged volume label" in result.stderr
    listing = server.list()
    assert listing.returncode == 1 and "Vol-0001: damaged volume label" in listing.stdout
    # A later job does not write on it.
    assert values(server.backup("job2").stdout)["volumes"] == ["Vol-0002"]
    assert open(path, "rb").read() == damaged


def test_foreign_file_is_never_written(start, tmp_path):
    (tmp_path / "storage").mkdir()
    foreign = tmp_path / "storage" / "Vol-0001"
    foreign.write_bytes(b"not a volume\n" * 10)
    server = start()
    summary = values(server.backup("job1").stdout)
    assert summary["volumes"] == ["Vol-0002"]
    assert foreign.read_bytes() == b"not a volume\n" * 10
    listing = server.list()
    assert listing.returncode == 1
    assert "Vol-0001: not a bareospy-sd volume (foreign file" in listing.stdout
    # A plugin naming the foreign file as the volume fails clearly.
    result = server.backup("job2", "--options", server.recording(volumes="Vol-0001"), check=False)
    assert result.returncode == 1 and "Vol-0001: not a bareospy-sd volume" in result.stderr


def test_missing_volume(start):
    server = start("--max-volume-bytes", "20000")
    server.backup("job1", "--records", "60")
    os.unlink(os.path.join(server.storage, "Vol-0002"))
    result = server.restore("job1", check=False)
    assert result.returncode == 1
    assert "job job1 continues on a volume that is missing (part 1" in result.stderr
    assert "is on volume Vol-0002, named on volume Vol-0003" in result.stderr
    missing = server.restore("nosuchjob", check=False)
    assert missing.returncode == 1 and "job nosuchjob is not on any volume" in missing.stderr


def test_full_storage_fires_write_error(start):
    limit = 40000

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    server = start(preexec_fn=limit_file_size)
    result = server.backup("job1", "--records", "100", "--options", server.recording(), check=False)
    assert result.returncode == 1
    assert "cannot write to volume Vol-0001" in result.stderr and "the storage is full" in result.stderr
    assert "WriteError" in [e["event"] for e in server.events("job1")]
    # What was written is a whole number of blocks: listed, its end readable.
    assert os.path.getsize(os.path.join(server.storage, "Vol-0001")) <= limit


def test_debug_output_and_bad_options(start, programs, tmp_path):
    server = start("-d", "200")
    server.backup("job1", "--options", server.recording())
    assert "event JobStart" in server.stderr() and "registered event JobEnd" in server.stderr()
    bad = subprocess.run([programs["bareospy-sd"], "serve", "--listen", "unix:x", "--storage-dir",
                          str(tmp_path), "--label-format", "Vol-%s"],
                         stderr=subprocess.PIPE, universal_newlines=True, timeout=TIMEOUT)
    assert bad.returncode == 3 and "bad --label-format" in bad.stderr


def test_loopback_tcp(start):
    server = start(listen="127.0.0.1:0")
    assert re.fullmatch(r"127\.0\.0\.1:\d+", server.address) and not server.address.endswith(":0")
    summary = values(server.backup("tcp-job", "--records", "30").stdout)
    assert values(server.restore("tcp-job").stdout)["sha256"] == summary["sha256"]


def test_sd_killed_mid_job_loses_nothing_written_before(start, programs, tmp_path):
    server = start()
    first = values(server.backup("before", "--records", "20").stdout)
    client = subprocess.Popen([programs["sd_test_client"], "backup", server.address, "cut",
                               "--records", "100", "--stall-after", "10"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    wait_for_line(client, "stalled")
    server.process.kill()  # no chance to end the part on the volume
    server.process.wait(TIMEOUT)
    client.kill()
    client.wait(TIMEOUT)
    os.unlink(server.socket)
    server.stdout_path.write_text("")
    again = start()
    interrupted = again.restore("cut", check=False)
    assert interrupted.returncode == 1 and "the job was interrupted" in interrupted.stderr
    # The volume holding the interrupted job is not appended to; the earlier job is intact.
    assert values(again.backup("after").stdout)["volumes"] == ["Vol-0002"]
    assert values(again.restore("before").stdout)["sha256"] == first["sha256"]


def test_options_route_to_instances(start, tmp_path):
    """Several SD plugin options strings: each reaches the instance its
    instance=N names, created for the job (spec §1.8)."""
    other = tmp_path / "instance3.jsonl"
    server = start("--plugin-options", f"recording:out={tmp_path / 'events.jsonl'}",
                   "--plugin-options", f"recording:instance=3:out={other}")
    server.backup("job1")
    assert {e["instance"] for e in server.events("job1")} == {0}
    with open(other) as f:
        third = [json.loads(line) for line in f]
    assert {e["instance"] for e in third} == {3}
    assert third[1]["instances"] == 2  # instances 0 and 3 of the plugin in the one running job
    assert [e["event"] for e in third][:2] == ["NewPluginOptions", "JobStart"]
    assert third[-1]["event"] == "JobEnd"


def test_damaged_record_fires_read_error(start):
    server = start()
    server.backup("job1", "--records", "10", "--size", "2000")
    path = os.path.join(server.storage, "Vol-0001")
    size = os.path.getsize(path)
    with open(path, "r+b") as f:  # a byte in the middle of a record's payload
        f.seek(size // 2)
        byte = f.read(1)
        f.seek(size // 2)
        f.write(bytes([byte[0] ^ 0x01]))
    result = server.client("restore", "job1", check=False)
    assert result.returncode == 1 and "Vol-0001: damaged block at offset" in result.stderr
    server.stop()
    again = start(plugin_options=server.recording())
    again.restore("job1", check=False)
    assert "ReadError" in [e["event"] for e in again.events("job1")]
    assert again.list().returncode == 1
