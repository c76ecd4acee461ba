"""``python -m bareospy``: the interpreter rule of --info and the C-side paths (issue 14).

The installed case (a wheel in a venv) is tests/fd/test_installed_wheel.py;
here the rule runs on fake installation layouts, in-process and fast.
"""
import os
import sys
from pathlib import Path

import pytest

from bareospy import __main__ as main_module

REPO = Path(__file__).resolve().parents[2]
VERSIONED = "python%d.%d" % sys.version_info[:2]


def fake_installation(root, packages="site-packages", venv=True, programs=(VERSIONED,)):
    """<root>/lib/pythonX.Y/<packages>/bareospy/plugins, with bin/ programs."""
    plugin_dir = root / "lib" / VERSIONED / packages / "bareospy" / "plugins"
    plugin_dir.mkdir(parents=True)
    (root / "bin").mkdir()
    for name in programs:
        program = root / "bin" / name
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
    if venv:
        (root / "pyvenv.cfg").write_text("home = /usr/bin\n")
    return plugin_dir


def test_a_venv_gives_its_own_versioned_python(tmp_path):
    plugin_dir = fake_installation(tmp_path)
    assert main_module.plugin_interpreter(str(plugin_dir)) == (str(tmp_path / "bin" / VERSIONED), "venv")


def test_a_base_installation_in_dist_packages(tmp_path):
    plugin_dir = fake_installation(tmp_path, packages="dist-packages", venv=False, programs=("python3",))
    assert main_module.plugin_interpreter(str(plugin_dir)) == (
        str(tmp_path / "bin" / "python3"), "base installation")


def test_plain_python_counts_only_in_a_venv(tmp_path):
    base = tmp_path / "base"
    plugin_dir = fake_installation(base, venv=False, programs=("python",))
    assert main_module.plugin_interpreter(str(plugin_dir)) == (None, None)
    venv = tmp_path / "venv"
    plugin_dir = fake_installation(venv, programs=("python",))
    assert main_module.plugin_interpreter(str(plugin_dir))[0] == str(venv / "bin" / "python")


def test_outside_site_packages_the_build_interpreter_is_kept(tmp_path):
    plugin_dir = tmp_path / "checkout" / "bareospy" / "plugins"
    plugin_dir.mkdir(parents=True)
    assert main_module.plugin_interpreter(str(plugin_dir)) == (None, None)


@pytest.mark.parametrize("option", ["--includes", "--cflags"])
def test_the_headers_are_found(option, capsys):
    assert main_module.main([option]) == 0
    printed = capsys.readouterr().out.strip()
    include_dir = printed[2:] if option == "--cflags" else printed
    assert os.path.isfile(os.path.join(include_dir, "bareospy", "fd.h"))


def test_pkg_config_file_names_the_version_and_flags(capsys):
    assert main_module.main(["--pkg-config"]) == 0
    text = capsys.readouterr().out
    assert f"Version: {main_module.bareospy.__version__}\n" in text
    assert "Cflags: -I${includedir}\n" in text
    assert f"includedir={main_module.include_dir()}\n" in text


def test_the_example_core_is_in_the_examples_directory(capsys):
    assert main_module.main(["--examples"]) == 0
    examples = capsys.readouterr().out.strip()
    assert os.path.isfile(os.path.join(examples, "minimal_fd_core.c"))


def readme_section(title):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("## " + title + "\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_c_snippet_is_taken_from_the_example_core():
    """Every statement of the README's loading snippet is in minimal_fd_core.c."""
    section = readme_section("Loading the plugin from a C daemon")
    snippet = section.split("```c\n", 1)[1].split("```", 1)[0]
    example = open(os.path.join(main_module.EXAMPLES_DIR, "minimal_fd_core.c"), encoding="utf-8").read()
    statements = [line.split("/*", 1)[0].strip().rstrip(";") for line in snippet.splitlines()]
    missing = [statement for statement in statements if statement and statement not in example]
    assert missing == []
    assert "minimal_fd_core.c" in section
