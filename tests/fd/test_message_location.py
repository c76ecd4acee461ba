"""The file and line a script's DebugMessage/JobMessage reach the core with
stay exact when the location is cached: per call site, per code object."""
import gc

import bareosfd


def _two_sites():
    bareosfd.DebugMessage(1, "first\n")
    bareosfd.JobMessage(bareosfd.M_INFO, "second\n")


def test_every_call_site_keeps_its_own_line_on_repeated_calls(core):
    first_line = _two_sites.__code__.co_firstlineno + 1
    for _ in range(3):
        _two_sites()
    assert [(m.file, m.line) for m in core.debug_messages] == [(__file__, first_line)] * 3
    assert [(m.file, m.line) for m in core.job_messages] == [(__file__, first_line + 1)] * 3


def test_a_new_code_object_in_place_of_a_freed_one_gets_its_own_file(core):
    source = "\n\ndef send(bareosfd):\n    bareosfd.DebugMessage(1, 'x')\n"
    for number in range(20):
        namespace = {}
        exec(compile(source, f"script{number}.py", "exec"), namespace)
        namespace["send"](bareosfd)
        del namespace
        gc.collect()
    assert [(m.file, m.line) for m in core.debug_messages] == [
        (f"script{number}.py", 4) for number in range(20)]


def test_a_message_longer_than_the_stack_buffer_arrives_whole(core):
    text = "é" * 5000 + "\n"
    bareosfd.DebugMessage(1, text)
    bareosfd.JobMessage(bareosfd.M_INFO, text)
    assert core.debug_messages[-1].text == "python3-fd-mod: " + text
    assert core.job_messages[-1].text == "python3-fd-mod: " + text
