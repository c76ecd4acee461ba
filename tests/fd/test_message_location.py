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


def _line_of(function, text):
    """The line of ``function``'s source that contains ``text``."""
    import inspect
    lines, first = inspect.getsourcelines(function)
    return first + next(index for index, line in enumerate(lines) if text in line)


def _from_a_generator():
    yield 1
    bareosfd.DebugMessage(1, "in a generator\n")
    yield 2


def test_a_generator_reports_its_own_line(core):
    for _ in range(2):
        list(_from_a_generator())
    line = _line_of(_from_a_generator, "in a generator")
    assert [(m.file, m.line) for m in core.debug_messages] == [(__file__, line)] * 2


def _through_c_code():
    # map() is C: the innermost Python frame is the lambda's, on its own line
    list(map(
        lambda text: bareosfd.DebugMessage(1, text),
        ["a\n", "b\n"]))
    [bareosfd.JobMessage(bareosfd.M_INFO, text) for text in ("c\n",)]


def test_calls_through_c_code_and_comprehensions_report_the_calling_line(core):
    _through_c_code()
    lambda_line = _line_of(_through_c_code, "lambda text")
    comprehension_line = _line_of(_through_c_code, "[bareosfd.JobMessage")
    assert [(m.file, m.line) for m in core.debug_messages] == [(__file__, lambda_line)] * 2
    assert [(m.file, m.line) for m in core.job_messages] == [(__file__, comprehension_line)]


def test_the_line_stays_right_while_a_trace_function_runs(core):
    import sys

    def tracer(frame, event, arg):
        return tracer

    _two_sites()                    # cached before tracing starts
    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        _two_sites()
    finally:
        sys.settrace(previous)
    _two_sites()
    first_line = _two_sites.__code__.co_firstlineno + 1
    assert [(m.file, m.line) for m in core.debug_messages] == [(__file__, first_line)] * 3
    assert [(m.file, m.line) for m in core.job_messages] == [(__file__, first_line + 1)] * 3
