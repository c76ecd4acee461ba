"""pluginIO hands the script a packet that is new or indistinguishable from
new: what one read set never reaches the next, and a packet the script keeps
is never handed out again."""
import json

import pytest

from bareosfd import M_INFO


def _report(result):
    [line] = [line for line in result.core("JobMessage") if line["type"] == M_INFO]
    return json.loads(line["text"].split(": ", 1)[-1])


@pytest.mark.parametrize("keep", [0, 1])
def test_every_read_gets_a_fresh_packet_and_kept_packets_stay_as_left(fd_driver, keep):
    calls = 50
    result = fd_driver("concurrent", fd_driver.definition("bpy_packet_reuse", keep=keep),
                       "--threads", 1, "--calls", calls, "--call", "io")
    [worker] = result.select("worker")
    assert worker["results"] == {"1": calls}          # every read answered 1 byte
    report = _report(result)
    assert report["problems"] == []
    assert report["reads"] == calls
    if keep:
        assert report["distinct"] == calls
