"""No packet or view outlives what it points into (issue 13, item 3).

* Packets that hold only values copy, deep-copy and pickle them; IoPacket,
  which reaches into the daemon's block during plugin_io, refuses with
  TypeError.  (Cython's automatic pickling used to read the block pointer of
  an IoPacket: a segfault, hence the subprocesses.)
* ``iop.window`` and every view made from it (slices, ``memoryview(window)``)
  are released when plugin_io returns: using one later raises ValueError.  A
  buffer that C code still holds (here a pickle.PickleBuffer over the window)
  cannot be released: the call fails with a fatal job message instead of
  leaving a pointer into the daemon's block behind silently.
"""
import hashlib
import json
import subprocess
import sys
import textwrap

import pytest

bRC_OK, bRC_Error = 0, 2
M_FATAL = 3


def run_python(*pieces):
    """Run the code ``pieces`` in a fresh interpreter (a crash fails the test,
    not pytest); what it prints is JSON."""
    code = "\n".join(textwrap.dedent(piece) for piece in pieces)
    proc = subprocess.run([sys.executable, "-c", code],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=60)
    assert proc.returncode == 0, (
        f"exit status {proc.returncode} (negative: killed by a signal)\n{proc.stderr}")
    return json.loads(proc.stdout)


# -- copy, deepcopy, pickle -------------------------------------------------------------

VALUE_PACKETS = textwrap.dedent("""
    import bareosfd
    stat = bareosfd.StatPacket(dev=1, ino=2, mode=0o100644, nlink=3, uid=4, gid=5,
                               rdev=6, size=7, atime=8, mtime=9, ctime=10,
                               blksize=11, blocks=12)
    PACKETS = {
        "StatPacket": stat,
        "SavePacket": bareosfd.SavePacket(
            fname="/a", link="/b", type=3, flags=bytearray(10), no_read=True,
            cmd="cmd", save_time=5, object_name="o", object=bytearray(b"xyz"),
            object_len=3, object_index=2**31 - 1),
        "RestorePacket": bareosfd.RestorePacket(
            stream=1, type=3, statp=stat, ofname="/o", olname="/l", where="/w",
            create_status=2, filedes=7),
        "AclPacket": bareosfd.AclPacket(fname="/f", content=bytearray(b"acl")),
        "XattrPacket": bareosfd.XattrPacket(fname="/f", name=bytearray(b"n"),
                                            value=bytearray(b"v")),
        "RestoreObject": bareosfd.RestoreObject(
            object_name="o", object=bytearray(b"data"), plugin_name="p",
            object_type=1, object_len=4, object_index=9, jobid=12),
    }
    """)


def test_value_packets_copy_deepcopy_and_pickle_their_values():
    result = run_python(VALUE_PACKETS, """
        import copy, json, pickle
        out = {}
        for name, packet in PACKETS.items():
            copies = [copy.copy(packet), copy.deepcopy(packet)]
            copies += [pickle.loads(pickle.dumps(packet, protocol))
                       for protocol in range(pickle.HIGHEST_PROTOCOL + 1)]
            out[name] = {"same_repr": all(repr(c) == repr(packet) for c in copies),
                         "types": sorted({type(c).__name__ for c in copies}),
                         "distinct": all(c is not packet for c in copies)}
        deep = copy.deepcopy(PACKETS["SavePacket"])
        out["deep_object_is_a_copy"] = deep.object is not PACKETS["SavePacket"].object
        shallow = copy.copy(PACKETS["SavePacket"])
        out["shallow_object_is_shared"] = shallow.object is PACKETS["SavePacket"].object
        print(json.dumps(out))
        """)
    for name in ("StatPacket", "SavePacket", "RestorePacket", "AclPacket", "XattrPacket",
                 "RestoreObject"):
        assert result[name] == {"same_repr": True, "types": [name], "distinct": True}, name
    assert result["deep_object_is_a_copy"] and result["shallow_object_is_shared"]


def test_an_io_packet_refuses_copy_and_pickle_with_type_error():
    result = run_python("""
        import copy, json, pickle
        import bareosfd
        packet = bareosfd.IoPacket(func=bareosfd.IO_READ, count=10, buf=bytearray(3))
        out = {}
        attempts = {"copy": lambda: copy.copy(packet),
                    "deepcopy": lambda: copy.deepcopy(packet),
                    "pickle": lambda: pickle.dumps(packet),
                    "pickle0": lambda: pickle.dumps(packet, 0),
                    "reduce_ex": lambda: packet.__reduce_ex__(2)}
        for name, attempt in attempts.items():
            try:
                attempt()
                out[name] = "no error"
            except Exception as error:
                out[name] = [type(error).__name__, str(error)]
        print(json.dumps(out))
        """)
    for name, outcome in result.items():
        assert outcome[0] == "TypeError", (name, outcome)
        assert "IoPacket" in outcome[1], (name, outcome)


def test_a_bad_pickle_state_is_an_error_not_a_crash():
    result = run_python(VALUE_PACKETS, """
        import json
        out = {}
        for state in [(), ("x",) * 13, (2**70,) * 13, None]:
            packet = bareosfd.StatPacket.__new__(bareosfd.StatPacket)
            try:
                packet.__setstate__(state)
                out[repr(state)[:20]] = "accepted"
            except Exception as error:
                out[repr(state)[:20]] = type(error).__name__
        print(json.dumps(out))
        """)
    assert "accepted" not in result.values(), result


def test_no_generated_pickling_code_is_left_in_the_module():
    """auto_pickle=False: no __reduce_cython__ / __setstate_cython__ anywhere."""
    result = run_python("""
        import json, bareosfd
        print(json.dumps(sorted(
            f"{name}.{attribute}" for name in dir(bareosfd)
            for attribute in dir(getattr(bareosfd, name))
            if isinstance(getattr(bareosfd, name), type) and "_cython__" in attribute)))
        """)
    assert result == []


# -- iop.window after plugin_io returned ------------------------------------------------------

# Worker 0 keeps views of the window on its first read and tries them on the
# following reads and at the end of the job; worker 1 behaves.  Both fill
# every block with their letter, through the window.
KEEPER = textwrap.dedent('''\
    import json
    import bareosfd
    from bareosfd import IO_CLOSE, IO_OPEN, IO_READ, bRC_OK

    tag = None
    kept = {}
    outcomes = {}
    reads = 0


    def load_bareos_plugin(plugindef):
        global tag
        tag = int(dict(item.split("=", 1) for item in plugindef.split(":") if "=" in item)["tag"])
        bareosfd.RegisterEvents([bareosfd.bEventEndBackupJob])
        return bRC_OK


    def parse_plugin_definition(plugindef):
        return bRC_OK


    def try_views(when):
        for name, view in kept.items():
            try:
                view[0:1] = b"!"
                outcomes[f"{when} {name}"] = "written"
            except Exception as error:
                outcomes[f"{when} {name}"] = type(error).__name__


    def handle_plugin_event(event):
        if kept:
            try_views("at the end")
            bareosfd.DebugMessage(100, "OUTCOMES " + json.dumps(outcomes) + "\\n")
        return bRC_OK


    def plugin_io(iop):
        global reads
        if iop.func != IO_READ:
            return bRC_OK
        reads += 1
        if tag == 0 and reads == 2:
            try_views("next call")
        window = iop.window
        window[:] = bytes([65 + tag]) * len(window)
        if tag == 0 and reads == 1:
            kept["window"] = window
            kept["slice"] = window[2:10]
            kept["memoryview"] = memoryview(window)
        iop.status = len(window)
        return bRC_OK
    ''')


@pytest.mark.driver
def test_a_kept_window_is_released_when_plugin_io_returns(fd_driver, tmp_path):
    (tmp_path / "bpy_keeper.py").write_text(KEEPER)
    calls = 50
    result = fd_driver("concurrent", fd_driver.definition("bpy_keeper", tmp_path, tag="%t"),
                       "--threads", 2, "--calls", calls, "--call", "io")
    [outcomes] = [json.loads(text.partition("OUTCOMES ")[2])
                  for text in result.debug_messages(100) if "OUTCOMES " in text]
    assert outcomes == {f"{when} {name}": "ValueError"
                        for when in ("next call", "at the end")
                        for name in ("window", "slice", "memoryview")}
    # Both jobs read every block whole, and their data is theirs.
    workers = sorted(result.select("worker"), key=lambda line: line["worker"])
    for worker in workers:
        assert worker["results"] == {"64": calls}, worker
        letter = bytes([65 + worker["worker"]])
        assert worker["sha256"] == hashlib.sha256(letter * 64 * calls).hexdigest()
    assert not result.job_messages(M_FATAL)


HOLDER = textwrap.dedent('''\
    import pickle
    import bareosfd
    from bareosfd import IO_READ, bRC_OK

    held = []


    def load_bareos_plugin(plugindef):
        return bRC_OK


    def parse_plugin_definition(plugindef):
        return bRC_OK


    def plugin_io(iop):
        if iop.func != IO_READ:
            return bRC_OK
        # C code holding a buffer of the window past the call.
        if not held:
            held.append(pickle.PickleBuffer(iop.window))
        iop.status = 0
        return bRC_OK
    ''')


@pytest.mark.driver
def test_a_buffer_held_by_c_code_fails_the_call_with_a_message(fd_driver, tmp_path):
    (tmp_path / "bpy_holder.py").write_text(HOLDER)
    result = fd_driver("concurrent", fd_driver.definition("bpy_holder", tmp_path),
                       "--threads", 1, "--calls", 3, "--call", "io")
    [worker] = result.select("worker")
    # The first read fails (status -1); the next ones get a window of their own.
    assert worker["results"] == {"-1": 1, "0": 2}, worker
    fatal = "\n".join(result.job_messages(M_FATAL))
    assert "IoPacket.window is still held after the call returned" in fatal
