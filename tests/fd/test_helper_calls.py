"""Every call the Bareos helper classes make into bareosfd (spec §8).

The helpers (a wrapper module, a plugin base class, a local-files base class
and the local-fileset plugin) must run unmodified.  These tests make each of
their calls -- same function, same argument shapes, same use of the result --
through a fake core.
"""
import os
import stat

import pytest

import bareosfd
from bareospy.testing import FakeCore


def test_wrapper_imports_bRC_OK_by_name():
    namespace = {}
    exec("from bareosfd import bRC_OK", namespace)
    assert namespace["bRC_OK"] == 0


def test_star_import_gives_the_base_class_every_name_it_uses():
    namespace = {}
    exec("from bareosfd import *", namespace)
    used = ["JobMessage", "DebugMessage", "GetValue", "RegisterEvents", "M_WARNING", "M_FATAL",
            "M_ERROR", "M_INFO", "bRC_OK", "bRC_Error", "bRC_Stop", "bRC_Skip", "bRC_More",
            "bVarUsedConfig", "bVarFDName", "bVarJobId", "bVarClient", "bVarSinceTime",
            "bVarLevel", "bVarJobName", "bVarWorkingDir", "bEventJobEnd",
            "bEventEndBackupJob", "bEventEndFileSet", "bEventHandleBackupFile",
            "bEventStartBackupJob", "bEventStartRestoreJob", "IO_OPEN", "IO_CLOSE",
            "IO_SEEK", "IO_READ", "IO_WRITE", "CF_CORE", "CF_EXTRACT", "CF_CREATED",
            "FT_LNK", "FT_REG", "FT_DIREND", "FT_FIFO", "FT_LNKSAVED", "StatPacket",
            "iostat_do_in_core", "iostat_do_in_plugin"]
    assert [name for name in used if name not in namespace] == []


def test_base_class_constructor_calls(core):
    """Register the six events, read the job's values and format them as the base class does."""
    bareosfd.DebugMessage(100, "Constructor called in module %s with plugindef=%s\n" % (__name__, "a=b:"))
    assert bareosfd.RegisterEvents([
        bareosfd.bEventJobEnd, bareosfd.bEventEndBackupJob, bareosfd.bEventEndFileSet,
        bareosfd.bEventHandleBackupFile, bareosfd.bEventStartBackupJob,
        bareosfd.bEventStartRestoreJob]) == bareosfd.bRC_OK
    assert core.events == {2, 4, 16, 19, 3, 5}
    fd_name = bareosfd.GetValue(bareosfd.bVarFDName)
    job_id = bareosfd.GetValue(bareosfd.bVarJobId)
    client = bareosfd.GetValue(bareosfd.bVarClient)
    since = bareosfd.GetValue(bareosfd.bVarSinceTime)
    level = bareosfd.GetValue(bareosfd.bVarLevel)
    job_name = bareosfd.GetValue(bareosfd.bVarJobName)
    working_dir = bareosfd.GetValue(bareosfd.bVarWorkingDir)
    assert isinstance(fd_name, str) and isinstance(client, str) and isinstance(working_dir, str)
    assert job_name.rsplit(".", 3)[0] == "BackupClient1"
    assert "%d %c %d" % (since, level, job_id) == "0 F 1"


@pytest.mark.parametrize("used_config,expected", [
    ("/etc/bareos/bareos-fd.d/*/*.conf", "/etc/bareos/bareos-fd.d/"),
    ("/etc/bareos/bareos-fd.conf", "/etc/bareos"),
])
def test_config_path_derivation_works_on_the_used_config_string(used_config, expected):
    with FakeCore(values={bareosfd.bVarUsedConfig: used_config}).active():
        value = bareosfd.GetValue(bareosfd.bVarUsedConfig)
    assert isinstance(value, str)
    derived = value[:-8] if value.endswith("/*/*.conf") else os.path.dirname(value)
    assert derived == expected


def test_option_parsing_messages(core):
    bareosfd.JobMessage(bareosfd.M_WARNING, "Skipping option a with empty value\n")
    bareosfd.JobMessage(bareosfd.M_FATAL, "Mandatory option 'filename' not defined.\n")
    assert [m.type for m in core.job_messages] == [bareosfd.M_WARNING, bareosfd.M_FATAL]


def test_plugin_io_uses_of_the_io_packet(tmp_path):
    """plugin_io: read func/fname/flags/count, write buf/status/io_errno/filedes."""
    path = tmp_path / "data"
    path.write_bytes(b"hello world")
    iop = bareosfd.IoPacket(func=bareosfd.IO_OPEN, flags=os.O_RDONLY, fname=str(path))
    assert iop.func == bareosfd.IO_OPEN and iop.fname == str(path)
    assert not iop.flags & (os.O_CREAT | os.O_WRONLY)
    handle = open(iop.fname, "rb")
    iop.filedes = handle.fileno()
    iop.status = bareosfd.iostat_do_in_core
    assert (iop.filedes, iop.status) == (handle.fileno(), 1)
    iop.status = bareosfd.iostat_do_in_plugin
    read = bareosfd.IoPacket(func=bareosfd.IO_READ, count=4096)
    read.buf = bytearray(read.count)
    read.status = handle.readinto(read.buf)
    read.io_errno = 0
    assert bytes(read.buf[:read.status]) == b"hello world"
    handle.close()
    write = bareosfd.IoPacket(func=bareosfd.IO_WRITE, count=3, buf=bytearray(b"abc"))
    assert len(write.buf) == write.count
    write.status = write.count
    failed = bareosfd.IoPacket(func=bareosfd.IO_OPEN)
    failed.status = -1
    failed.io_errno = 2
    assert (failed.status, failed.io_errno) == (-1, 2)


def test_create_file_and_attributes_uses_of_the_restore_packet():
    statp = bareosfd.StatPacket(mode=0o100640, uid=1000, gid=1000, atime=10, mtime=20)
    packet = bareosfd.RestorePacket(type=bareosfd.FT_REG, ofname="/restore/x", olname="",
                                    statp=statp)
    assert packet.ofname == "/restore/x" and packet.type == bareosfd.FT_REG
    packet.create_status = bareosfd.CF_CORE
    packet.create_status = bareosfd.CF_EXTRACT
    assert packet.create_status == bareosfd.CF_EXTRACT
    st = packet.statp
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode), st.st_atime, st.st_mtime) == (1000, 1000, 0o640, 10, 20)


def test_local_files_start_backup_file_fills_a_stat_packet_from_lstat(tmp_path):
    """Copy st_* from os.lstat (values may exceed 32/16 bits) and set the packet."""
    (tmp_path / "dir").mkdir()
    (tmp_path / "file").write_bytes(b"x" * 10)
    os.symlink("file", tmp_path / "link")
    os.mkfifo(tmp_path / "fifo")
    kinds = {"file": bareosfd.FT_REG, "dir": bareosfd.FT_DIREND, "link": bareosfd.FT_LNK,
             "fifo": bareosfd.FT_FIFO}
    for name, expected_type in kinds.items():
        path = str(tmp_path / name)
        st = os.lstat(path)
        statp = bareosfd.StatPacket()
        statp.st_mode = st.st_mode
        statp.st_ino = st.st_ino
        statp.st_dev = st.st_dev
        statp.st_nlink = st.st_nlink
        statp.st_uid = st.st_uid
        statp.st_gid = st.st_gid
        statp.st_size = st.st_size
        statp.st_atime = int(st.st_atime)
        statp.st_mtime = int(st.st_mtime)
        statp.st_ctime = int(st.st_ctime)
        savepkt = bareosfd.SavePacket()
        savepkt.fname = path
        if stat.S_ISLNK(st.st_mode):
            savepkt.type = bareosfd.FT_LNK
            savepkt.link = os.readlink(path)
        elif stat.S_ISDIR(st.st_mode):
            savepkt.type = bareosfd.FT_DIREND
            savepkt.link = path + "/"
        elif stat.S_ISFIFO(st.st_mode):
            savepkt.type = bareosfd.FT_FIFO
        else:
            savepkt.type = bareosfd.FT_REG
        savepkt.statp = statp
        assert savepkt.type == expected_type
        assert savepkt.statp.st_dev == st.st_dev and savepkt.statp.st_ino == st.st_ino
        assert "StatPacket(dev=" in str(statp)


def test_stat_packet_accepts_host_values_wider_than_the_reference_fields():
    statp = bareosfd.StatPacket()
    statp.st_dev = 2**40 + 3       # 64-bit dev_t
    statp.st_nlink = 70000         # above 16 bits
    statp.st_mode = 0o120777
    assert (statp.st_dev, statp.st_nlink, statp.st_mode) == (2**40 + 3, 70000, 0o120777)


def test_debug_logging_of_packets_formats_them(core):
    bareosfd.DebugMessage(100, "handle_backup_file called with %s\n" % bareosfd.SavePacket(fname="/x"))
    bareosfd.DebugMessage(100, "restore_object_data called with %s\n" % bareosfd.RestoreObject())
    texts = [m.text for m in core.debug_messages]
    assert 'SavePacket(fname="/x"' in texts[0] and "RestoreObject(object_name=" in texts[1]


def test_restore_side_messages(core):
    bareosfd.JobMessage(bareosfd.M_INFO, "set_acl called\n")
    bareosfd.JobMessage(bareosfd.M_INFO, "set_xattr called\n")
    bareosfd.JobMessage(bareosfd.M_ERROR, "Unsupported file type\n")
    assert [m.type for m in core.job_messages] == [bareosfd.M_INFO, bareosfd.M_INFO, bareosfd.M_ERROR]
