"""Bareos-API Python FD plugins inside Debian's real Bacula 9.6.7 daemons.

One Bacula installation (director, SD, FD on loopback, SQLite catalog, file
volumes) for the module; each test backs up through a Python plugin with
``run job=...`` in bconsole, restores with ``restore ... all done`` and
compares the restored tree byte for byte with the original.
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bacula_site import BaculaSite

HERE = Path(__file__).resolve().parent
# EndFileSet (Bacula 19: renumbered 16; 19 is HandleBackupFile for Bareos),
# StartBackupJob, EndBackupJob: registered and delivered, in Bacula's order
EXPECTED_EVENTS = [16, 3, 4]


def make_tree(root):
    """Files worth restoring: sizes around Bacula's 64 KiB blocks, an empty
    file, a nested directory, a symlink, a name with a space."""
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "big.bin").write_bytes(os.urandom(1_000_003))
    (root / "block.bin").write_bytes(os.urandom(65536))
    (root / "empty").write_bytes(b"")
    (root / "with space.txt").write_text("spaces survive\n")
    (root / "sub" / "deeper" / "note.txt").write_text("nested\n" * 100)
    os.symlink("big.bin", root / "link")
    return root


def snapshot(root):
    """{relative path: ("file", bytes) | ("link", target) | ("dir", None)}."""
    result = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_symlink():
            result[name] = ("link", os.readlink(path))
        elif path.is_dir():
            result[name] = ("dir", None)
        else:
            result[name] = ("file", path.read_bytes())
    return result


@pytest.fixture(scope="module")
def site(bacula_installed, bacula_plugin_dir, example_dir, tmp_path_factory):
    base = tmp_path_factory.mktemp("bacula")
    data = make_tree(base / "data")
    flat = base / "flat"
    flat.mkdir()
    for name, size in (("one.bin", 200_000), ("two.bin", 3), ("three.bin", 70_000)):
        (flat / name).write_bytes(os.urandom(size))
    listing = base / "list.txt"
    listing.write_text(f"{data}\n")
    local = f"python3:module_path={example_dir}:module_name=bareos-fd-local-files:filename={listing}"
    jobs = {
        "local": local,
        "direct": local + ":io=direct",
        "classy": f"python3:module_path={HERE / 'scripts'}:module_name=bacula-fd-class-plugin:dir={flat}",
    }
    with BaculaSite(base / "site", bacula_plugin_dir, jobs) as running:
        running.data, running.flat = data, flat
        yield running


def job_summary(site, jobid):
    """The director's end-of-job report of this job, from the job log."""
    log = site.job_log()
    match = re.search(rf"\n  JobId:\s+{jobid}\n(.*?)\n\n", log, re.S)
    assert match, f"no report of job {jobid}\n{site.describe()}"
    return match.group(1)


def backup_and_restore(site, job, tmp_dir):
    """Back up with ``job``, restore it below tmp_dir; the two job ids."""
    backup, status = site.run_job(f"run job={job} yes")
    assert status == "T", site.describe()
    assert "Termination:            Backup OK" in job_summary(site, backup)
    restore, status = site.run_job(f"restore jobid={backup} where={tmp_dir} all done yes")
    assert status == "T", site.describe()
    assert "Termination:            Restore OK" in job_summary(site, restore)
    return backup, restore


def test_the_example_plugin_backs_up_and_restores_byte_identical(site, tmp_path):
    backup, restore = backup_and_restore(site, "local", tmp_path)
    restored = tmp_path / str(site.data).lstrip("/")
    assert snapshot(restored) == snapshot(site.data)
    files = site.catalog("SELECT JobFiles, JobErrors FROM Job WHERE JobId=?", backup)[0]
    assert files == (len(snapshot(site.data)) + 1, 0)  # + the listed directory itself
    assert re.search(r"Files Restored:\s+%d" % files[0], job_summary(site, restore))


def test_direct_io_is_done_by_the_adapter(site, tmp_path):
    """io=direct answers IO_OPEN with iostat_do_in_core: Bacula has no such
    answer, the adapter reads and writes the descriptor itself."""
    backup_and_restore(site, "direct", tmp_path)
    assert snapshot(tmp_path / str(site.data).lstrip("/")) == snapshot(site.data)


def test_a_class_based_plugin_runs_and_reads_the_daemon(site, tmp_path):
    backup, _restore = backup_and_restore(site, "classy", tmp_path)
    assert snapshot(tmp_path / str(site.flat).lstrip("/")) == snapshot(site.flat)
    reports = [json.loads(match.group(1)) for match in re.finditer(
        rf"rb-fd JobId {backup}: .*class-plugin: (.*)", site.job_log())]
    assert reports, site.describe()
    report = reports[0]
    assert report["FDName"] == "rb-fd" and report["Client"] == "rb-fd"
    assert report["JobId"] == backup and report["job"] == "classy"
    assert report["level"] == "F"
    assert report["WorkingDir"] == str(site.root / "fd")
    # Bacula has no UsedConfig: the adapter answers with the daemon's -c file
    assert report["UsedConfig"] == str(site.config("fd"))
    # ... nor CheckChanges: answered "not available", as Bareos answers an error
    assert report["CheckChanges"] is None
    assert report["events"] == EXPECTED_EVENTS
    # its FT_RESTORE_FIRST object came back before the files: Bacula's event 18,
    # Bareos' RestoreObject (15), with the object's name, data and plugin string
    (restored,) = re.findall(rf"rb-fd JobId {_restore}: .*class-plugin object: (.*)", site.job_log())
    assert json.loads(restored) == {"name": "class-object", "data": "hello-bacula", "index": 1,
                                    "plugin": site.jobs["classy"][0], "jobid": backup}


def test_the_daemon_lists_our_plugin(site):
    status = site.console("status client=rb-fd")
    assert "python3-fd.so" in status, status


def test_python_m_bareospy_names_the_directory_the_daemon_loads_from(bacula_plugin_dir):
    def query(option):
        return subprocess.run([sys.executable, "-m", "bareospy", option], capture_output=True,
                               text=True, check=True).stdout
    assert query("--bacula-plugin-dir").strip() == bacula_plugin_dir
    assert f"Bacula 9.6 plugin directory: {bacula_plugin_dir}" in query("--info")
    assert os.path.join(query("--plugin-dir").strip(), "bacula") == bacula_plugin_dir
