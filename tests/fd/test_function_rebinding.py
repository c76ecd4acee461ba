"""A script that rebinds plugin_io between calls is answered by the new
binding from the next call on, though the layer keeps the last lookup while
the script's globals are unchanged (spec §3)."""

MISSING = "python3-fd-mod: Failed to find function named plugin_io()\n"


def test_plugin_io_follows_the_scripts_rebinding_from_call_to_call(fd_driver):
    result = fd_driver("concurrent", fd_driver.definition("bpy_rebind"),
                       "--threads", 1, "--calls", 8, "--call", "io")
    [worker] = result.select("worker")
    # reads: _one, _two, _one, _two, _one, _two (which binds 42), then two
    # reads that find no callable plugin_io and leave the status at 0
    assert worker["results"] == {"1": 3, "2": 3, "0": 2}
    assert worker["bytes"] == 3 * 1 + 3 * 2
    # the two reads and the close that followed
    assert [line["text"] for line in result.core("DebugMessage")
            if line["text"] == MISSING] == [MISSING] * 3
