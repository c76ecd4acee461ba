"""Unit tests of bareos-fd-local-files.py with the bareospy pytest fixtures.

Run with ``pytest examples/`` (bareospy installed: its pytest plugin gives
the fixtures ``fd_core``, ``run_backup``, ``run_restore``, ...).
"""
from pathlib import Path
from typing import Callable

import bareosfd
from bareospy.testing import FakeCore, JobResult

#: the run_backup / run_restore fixtures, as mypy sees them
RunBackup = Callable[..., JobResult]
RunRestore = Callable[..., JobResult]

SCRIPT = Path(__file__).with_name("bareos-fd-local-files.py")


def make_tree(root: Path) -> Path:
    """A small tree to back up, and the listing file naming it."""
    (root / "src" / "sub").mkdir(parents=True)
    (root / "src" / "a.txt").write_text("hello\n")
    (root / "src" / "sub" / "b.bin").write_bytes(bytes(range(256)) * 300)
    (root / "src" / "link").symlink_to("a.txt")
    listing = root / "list.txt"
    listing.write_text(str(root / "src") + "\n")
    return listing


def test_backup_reads_every_file_in_order(tmp_path: Path, fd_core: FakeCore,
                                          run_backup: RunBackup) -> None:
    listing = make_tree(tmp_path)
    job = run_backup(SCRIPT, f"filename={listing}")
    src = str(tmp_path / "src")
    assert [entry.fname for entry in job.entries] == [
        src + "/a.txt", src + "/link", src + "/sub/b.bin", src + "/sub", src]
    assert job.data[src + "/a.txt"] == b"hello\n"
    assert job.data[src + "/sub/b.bin"] == bytes(range(256)) * 300
    assert job.errors == []


def test_restore_recreates_the_tree(tmp_path: Path, fd_core: FakeCore,
                                    run_backup: RunBackup, run_restore: RunRestore) -> None:
    listing = make_tree(tmp_path)
    backup = run_backup(SCRIPT, f"filename={listing}")
    restored = run_restore(SCRIPT, backup.entries, tmp_path / "out")
    copy = tmp_path / "out" / str(tmp_path / "src").lstrip("/")
    assert restored.errors == [] and restored.results == []
    assert (copy / "a.txt").read_text() == "hello\n"
    assert (copy / "sub" / "b.bin").read_bytes() == bytes(range(256)) * 300
    assert (copy / "link").is_symlink()


def test_a_bad_io_option_is_a_job_error(tmp_path: Path, fd_core: FakeCore,
                                        run_backup: RunBackup) -> None:
    job = run_backup(SCRIPT, f"filename={make_tree(tmp_path)}:io=bogus")
    assert job.entries == []
    assert any("io='bogus'" in text for text in job.texts("M_ERROR"))


def test_the_working_directory_is_tmp_path(tmp_path: Path, fd_core: FakeCore) -> None:
    assert bareosfd.GetValue(bareosfd.bVarWorkingDir) == str(tmp_path)



def test_the_config_object_comes_back_at_restore_and_at_the_next_incremental(
        tmp_path: Path, fd_core: FakeCore, run_backup: RunBackup,
        run_restore: RunRestore) -> None:
    listing = make_tree(tmp_path)
    full = run_backup(SCRIPT, f"filename={listing}:config=v1")
    assert [(entry.object_name, entry.object) for entry in full.objects] == [
        ("local-files-config", b"v1")]
    incremental = run_backup(SCRIPT, f"filename={listing}", level="I", since=1, previous=full)
    assert incremental.restore_objects == [("local-files-config", bareosfd.bRC_OK)]
    restored = run_restore(SCRIPT, full, tmp_path / "out")
    assert restored.restore_objects == [("local-files-config", bareosfd.bRC_OK)]
    assert any("'v1'" in text for text in restored.texts("M_INFO"))


def test_an_accurate_incremental_reports_a_deleted_file(tmp_path: Path, fd_core: FakeCore,
                                                        run_backup: RunBackup) -> None:
    listing = make_tree(tmp_path)
    full = run_backup(SCRIPT, f"filename={listing}")
    (tmp_path / "src" / "a.txt").unlink()
    incremental = run_backup(SCRIPT, f"filename={listing}", level="I", since=1,
                             accurate=True, previous=full)
    assert incremental.deleted == [str(tmp_path / "src" / "a.txt")]
