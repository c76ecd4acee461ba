"""One job's script cannot break another through shared interpreter state
(issue 13, item 4).

All instances run in one interpreter: a script can replace builtins
(``builtins.open = None``, ``builtins.__import__ = None``) or sys.modules
entries (``sys.modules["traceback"] = None``).  The plugin layer's own
machinery (the imports it makes for a script, formatting tracebacks) keeps
working, and every instance's modules see the builtins as they were before
any script ran.  The sabotage runs in a driver process or in a subprocess,
never in pytest's own interpreter.
"""
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import pytest

M_FATAL = 3

SABOTAGE = """\
builtins.open = None
builtins.__import__ = None
for name in ("traceback", "linecache", "tokenize", "ast", "importlib.util"):
    sys.modules[name] = None
"""

# Worker 0 sabotages the interpreter while loading, then signals worker 1
# (through a flag file), which only then does what a script does at load:
# imports, open(); its first event raises, to see its traceback reported.
SCRIPT = textwrap.dedent('''\
    import builtins
    import os
    import sys
    import time

    import bareosfd
    from bareosfd import bRC_OK

    tag = None


    def options(plugindef):
        return dict(item.split("=", 1) for item in plugindef.split(":") if "=" in item)


    def load_bareos_plugin(plugindef):
        global tag
        tag = int(options(plugindef)["tag"])
        flag = options(plugindef)["flag"]
        bareosfd.RegisterEvents([bareosfd.bEventStartBackupJob])
        if tag == 0:
    {sabotage}
            os.close(os.open(flag, os.O_CREAT | os.O_WRONLY, 0o600))
            return bRC_OK
        deadline = time.monotonic() + 60
        while not os.path.exists(flag) and time.monotonic() < deadline:
            time.sleep(0.01)
        import hashlib
        with open(flag + ".data", "w") as out:
            out.write("written after the sabotage")
        with open(flag + ".data") as back:
            text = back.read()
        bareosfd.DebugMessage(100, "JOB1 " + hashlib.sha256(text.encode()).hexdigest() + "\\n")
        return bRC_OK


    def parse_plugin_definition(plugindef):
        return bRC_OK


    calls = 0


    def handle_plugin_event(event):
        global calls
        calls += 1
        if tag == 1 and calls == 1:
            raise RuntimeError("deliberate error of job 1")
        return bRC_OK
    ''').format(sabotage=textwrap.indent(SABOTAGE, " " * 8))


@pytest.mark.driver
def test_a_concurrent_job_survives_a_script_that_sabotages_builtins(fd_driver, tmp_path):
    (tmp_path / "bpy_saboteur.py").write_text(SCRIPT)
    flag = tmp_path / "flag"
    calls = 20
    result = fd_driver("concurrent", fd_driver.definition("bpy_saboteur", tmp_path, tag="%t",
                                                          flag=flag),
                       "--threads", 2, "--calls", calls)
    assert flag.exists(), "the sabotaging job did not run"
    expected = hashlib.sha256(b"written after the sabotage").hexdigest()
    assert [text.partition("JOB1 ")[2].strip() for text in result.debug_messages(100)
            if "JOB1 " in text] == [expected], result.job_messages(M_FATAL)
    workers = sorted(result.select("worker"), key=lambda line: line["worker"])
    assert [w["results"] for w in workers] == [{"0": calls}, {"0": calls - 1, "2": 1}]
    # Job 1's error is reported with its traceback, source line included.
    [fatal] = result.job_messages(M_FATAL)
    assert "Traceback (most recent call last)" in fatal, fatal
    assert 'raise RuntimeError("deliberate error of job 1")' in fatal, fatal
    assert "RuntimeError: deliberate error of job 1" in fatal, fatal


def run_python_file(tmp_path, *pieces):
    """Run the code ``pieces`` as one script file in a fresh interpreter; it
    prints JSON."""
    path = tmp_path / "run_sabotaged.py"
    path.write_text("".join(textwrap.dedent(piece) for piece in pieces))
    where = os.path.dirname(importlib.util.find_spec("bareosfd").origin)
    proc = subprocess.run([sys.executable, str(path)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=60,
                          cwd=str(tmp_path), env=dict(os.environ, PYTHONPATH=where))
    assert proc.returncode == 0, f"exit status {proc.returncode}\n{proc.stderr}"
    return json.loads(proc.stdout)


def test_each_instance_gets_pristine_builtins_and_its_imports_work(tmp_path):
    (tmp_path / "bpy_plain.py").write_text(
        "import json\nOPEN = open\nIMPORT = __import__\nDUMPED = json.dumps([1, 2])\n")
    result = run_python_file(tmp_path, """\
        import builtins, json, sys
        import bareosfd
        real_open = open
        """, SABOTAGE, """\
        space = bareosfd._ModuleSpace([sys.path[0]])
        module = space.import_top("bpy_plain")
        print(json.dumps({"open": module.OPEN is real_open,
                          "import_is_the_spaces": module.IMPORT == space.import_module_hook,
                          "dumped": module.DUMPED}))
        """)
    assert result == {"open": True, "import_is_the_spaces": True, "dumped": "[1, 2]"}


def test_the_layer_formats_tracebacks_after_the_sabotage(tmp_path):
    result = run_python_file(tmp_path, """\
        import builtins, json, sys
        import bareosfd
        """, SABOTAGE, """\
        def failing():
            raise ValueError("the message ü")
        try:
            failing()
        except ValueError as error:
            text = "".join(bareosfd._format_exception(type(error), error, error.__traceback__))
        print(json.dumps(text))
        """)
    assert "Traceback (most recent call last)" in result
    assert 'raise ValueError("the message ü")' in result   # the source line: linecache works
    assert result.rstrip().endswith("ValueError: the message ü")
