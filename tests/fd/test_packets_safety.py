"""Copying and pickling a packet never crashes the interpreter (issue 13, item 3).

A packet may point into memory the daemon owns while a call runs (an
IoPacket's data block, for instance); Cython's automatic pickling once read
those C fields blindly and ``copy.copy(IoPacket())`` ended in a segfault.
The contract now is: each packet type either copies and pickles *safely* (the
copy is an independent packet that shows the same values) or refuses with
``TypeError``.  Nothing else is acceptable -- in particular not a crash.

Every case runs in a child interpreter, so a segfault is a failed test with
the signal and the child's faulthandler trace, not a dead pytest.  The same
operations inside a running job (next to a concurrent well-behaved job) are
in test_misbehaving_scripts.py.
"""
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

import bareosfd  # noqa: F401  (fail early, in the parent, if the module is missing)

# Each packet type, empty and with values (the populated one exercises the
# object fields -- strings, buffers, a nested StatPacket -- that a naive copy
# would share or lose).
PACKETS = {
    "StatPacket": ["bareosfd.StatPacket()",
                   "bareosfd.StatPacket(mode=0o100644, size=5, mtime=7, uid=3)"],
    "SavePacket": ["bareosfd.SavePacket()",
                   "bareosfd.SavePacket(fname='/a/b', link='/a', type=3,"
                   " flags=bytearray(b'\\x01\\x02\\x00\\x00\\x04'), cmd='python3:x',"
                   " object_name='o',"
                   " object=bytearray(b'payload'), object_len=7)"],
    "RestorePacket": ["bareosfd.RestorePacket()",
                      "bareosfd.RestorePacket(stream=1, type=3, ofname='/w/a', olname='/w/l',"
                      " where='/w', statp=bareosfd.StatPacket(size=9))"],
    "IoPacket": ["bareosfd.IoPacket()",
                 "bareosfd.IoPacket(func=2, count=4, buf=bytearray(b'data'), fname='/x',"
                 " status=4, offset=12)"],
    "AclPacket": ["bareosfd.AclPacket()",
                  "bareosfd.AclPacket(fname='/a', content=bytearray(b'user::rw-'))"],
    "XattrPacket": ["bareosfd.XattrPacket()",
                    "bareosfd.XattrPacket(fname='/a', name=bytearray(b'user.k'),"
                    " value=bytearray(b'v'))"],
    "RestoreObject": ["bareosfd.RestoreObject()",
                      "bareosfd.RestoreObject(object_name='n', object=bytearray(b'obj'),"
                      " plugin_name='python3:x', object_len=3, jobid=4)"],
}

OPERATIONS = {
    "copy": "copy.copy(packet)",
    "deepcopy": "copy.deepcopy(packet)",
    "pickle": "pickle.loads(pickle.dumps(packet, protocol))",
    "reduce_ex": "packet.__reduce_ex__(protocol) and packet",
}

CHILD = textwrap.dedent("""\
    import copy, faulthandler, json, pickle, sys
    import bareosfd
    faulthandler.enable()
    outcomes = []
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        packet = {constructor}
        before = repr(packet)
        try:
            result = {operation}
        except TypeError as error:
            outcomes.append(["TypeError", str(error)])
            continue
        outcomes.append(["copied", type(result).__name__, repr(result), before,
                         repr(packet), result is packet])
    print(json.dumps(outcomes))
""")


def run_child(constructor, operation):
    code = CHILD.format(constructor=constructor, operation=operation)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=60, env=env)
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode < 0:
        pytest.fail(f"the interpreter died of {signal.Signals(-proc.returncode).name} on "
                    f"{operation} of {constructor}\n{stderr[-3000:]}")
    assert proc.returncode == 0, f"{operation} of {constructor} raised:\n{stderr[-3000:]}"
    return json.loads(proc.stdout)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("kind", sorted(PACKETS))
def test_copy_and_pickle_are_safe_or_refused(kind, operation):
    for constructor in PACKETS[kind]:
        for outcome in run_child(constructor, OPERATIONS[operation]):
            if outcome[0] == "TypeError":
                continue
            _, type_name, copied, before, after, same_object = outcome
            assert type_name == kind, f"{operation} of {constructor} made a {type_name}"
            assert after == before, f"{operation} changed the original {constructor}"
            assert copied == before, (f"{operation} of {constructor} is not faithful:\n"
                                      f"  original {before}\n  copy     {copied}")
            if operation in ("copy", "deepcopy", "pickle"):
                assert not same_object, f"{operation} of {constructor} returned the same object"


def test_a_copied_packet_is_independent_of_the_original():
    """Where a copy is allowed, changing the copy's buffer leaves the original alone."""
    code = textwrap.dedent("""\
        import copy, json, bareosfd
        results = {}
        for name, make, attribute in [
                ("SavePacket",
                 lambda: bareosfd.SavePacket(flags=bytearray(b'ab\\x00\\x00\\x00')), "flags"),
                ("IoPacket", lambda: bareosfd.IoPacket(buf=bytearray(b'ab')), "buf"),
                ("AclPacket", lambda: bareosfd.AclPacket(content=bytearray(b'ab')), "content"),
                ("XattrPacket", lambda: bareosfd.XattrPacket(value=bytearray(b'ab')), "value")]:
            packet = make()
            try:
                twin = copy.deepcopy(packet)
            except TypeError:
                results[name] = "refused"
                continue
            getattr(twin, attribute)[0:1] = b'Z'
            results[name] = bytes(getattr(packet, attribute))[:2].decode()
        print(json.dumps(results))
    """)
    proc = subprocess.run([sys.executable, "-X", "faulthandler", "-c", code],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    died = f" (killed by {signal.Signals(-proc.returncode).name})" if proc.returncode < 0 else ""
    assert proc.returncode == 0, f"deepcopy failed{died}:\n" + proc.stderr.decode(
        "utf-8", "replace")[-3000:]
    for name, original in json.loads(proc.stdout).items():
        assert original in ("refused", "ab"), f"a deep copy of a {name} shares its buffer"
