"""python -m bareospy.port: old-API scripts become current-API scripts that run
through python3-fd.so; ported and current scripts come out unchanged; what
cannot be converted is named with its line."""
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from legacy_helpers import (LEGACY_EXAMPLES, REPO, backup_and_restore,  # noqa: E402
                            package_env, tree_state)

pytest.importorskip("libcst")
from bareospy.port import main, port_source  # noqa: E402

EXAMPLE = LEGACY_EXAMPLES / "bareos-fd-legacy-files.py"


def port_cli(*args):
    return subprocess.run([sys.executable, "-m", "bareospy.port", *map(str, args)],
                          capture_output=True, text=True, timeout=120, env=package_env())


def test_ported_example_runs_through_python3_fd(tmp_path):
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    ported = scripts / EXAMPLE.name
    shutil.copy(EXAMPLE, ported)
    result = port_cli("--write", ported)
    assert result.returncode == 0, result.stderr
    text = ported.read_text()
    assert "(context" not in text and "import bareos_fd_consts" not in text
    source, restored = backup_and_restore(tmp_path, "python3", scripts, EXAMPLE.stem)
    assert tree_state(restored) == tree_state(source)


def test_dry_run_prints_a_diff_and_changes_nothing(tmp_path):
    copy = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, copy)
    result = port_cli(copy)
    assert result.returncode == 0, result.stderr
    assert copy.read_bytes() == EXAMPLE.read_bytes()
    assert "-def load_bareos_plugin(context, plugindef):" in result.stdout
    assert "+def load_bareos_plugin(plugindef):" in result.stdout
    assert '+    return bareosfd.bRC_OK' in result.stdout


@pytest.mark.parametrize("script", [REPO / "examples" / "bareos-fd-local-files.py",
                                    REPO / "examples" / "bareos-sd-volume-log.py"])
def test_current_scripts_are_left_unchanged(script):
    source = script.read_text()
    result = port_source(source)
    assert (result.code, result.notes, result.changed) == (source, [], False)


def test_porting_twice_changes_nothing_more():
    once = port_source(EXAMPLE.read_text())
    assert once.changed and not once.notes
    twice = port_source(once.code)
    assert twice.code == once.code and not twice.changed


OLD = textwrap.dedent('''\
    import bareosfd
    from bareos_fd_consts import bRCs, bEventType, bVariable as V
    import bareos_sd_consts

    class Plugin(object):
        def __init__(self, context, plugindef):  # keep this comment
            self.where = bareosfd.GetValue(context, V["bVarWhere"])

        def event(self, context, event):
            if event == bEventType["bEventJobEnd"]:
                return bRCs["bRC_OK"]
            return bareos_sd_consts.bRCs['bRC_Error']

    def stat_of(savepkt, context):
        savepkt.statp.mtime = 5
        other = something()
        return other.mtime
    ''')


def test_conversions_keep_formatting_and_comments():
    result = port_source(OLD)
    assert result.code == textwrap.dedent('''\
        import bareosfd
        import bareossd

        class Plugin(object):
            def __init__(self, plugindef):  # keep this comment
                self.where = bareosfd.GetValue(bareosfd.bVarWhere)

            def event(self, event):
                if event == bareosfd.bEventJobEnd:
                    return bareosfd.bRC_OK
                return bareossd.bRC_Error

        def stat_of(savepkt):
            savepkt.statp.st_mtime = 5
            other = something()
            return other.mtime
        ''')
    assert result.notes == [(17, "'.mtime': if this is a StatPacket, it is '.st_mtime' now")]


def test_what_cannot_be_converted_is_named_with_its_line():
    result = port_source(textwrap.dedent('''\
        import bareosfd
        from bareos_fd_consts import bRCs, bEventType

        def load_bareos_plugin(context, plugindef):
            remembered = context
            for name in bEventType:
                pass
            code = bRCs[plugindef]
            for key, value in {}.iteritems():
                pass
            return unicode(code)
        '''))
    assert result.notes == [
        (5, "'context' used other than as an argument: remove it by hand"),
        (6, "'bEventType' from the old consts module, used other than as table[\"NAME\"]: "
            "use the current module's names (its dictionaries have bytes keys)"),
        (8, "'bRCs' from the old consts module, used other than as table[\"NAME\"]: "
            "use the current module's names (its dictionaries have bytes keys)"),
        (9, "'.iteritems()' is Python 2 only"),
        (11, "'unicode' is Python 2 only"),
    ]


def test_cli_reports_notes_and_python2_syntax(tmp_path, capsys):
    notes = tmp_path / "notes.py"
    notes.write_text("def f(context):\n    return context\n")
    python2 = tmp_path / "python2.py"
    python2.write_text("def f(context):\n    print 'hello'\n")
    assert main([str(notes)]) == 1
    assert main([str(python2)]) == 2
    err = capsys.readouterr().err
    assert f"{notes}:2: 'context' used other than as an argument" in err
    assert f"{python2}:2: does not parse as Python 3" in err
    assert python2.read_text() == "def f(context):\n    print 'hello'\n"


def test_star_import_converts_only_the_old_dictionaries():
    result = port_source(textwrap.dedent('''\
        from bareos_fd_consts import *
        buffers = {"bRC_OK": 1}

        def f():
            for name in bRCs:
                pass
            return bRCs["bRC_OK"], buffers["bRC_OK"], bFileType["FT_REG"]
        '''))
    assert result.code == textwrap.dedent('''\
        import bareosfd
        buffers = {"bRC_OK": 1}

        def f():
            for name in bRCs:
                pass
            return bareosfd.bRC_OK, buffers["bRC_OK"], bareosfd.FT_REG
        ''')
    assert [line for line, _ in result.notes] == [5]
