"""The reference host loads plugins with the host kit's loader
(embed/hosts/kit/loader.c): it refuses a plugin that fails a check of §1.3
with a sentence naming the value found and the one expected, calls the
plugin's unloadPlugin before letting it go, and exits with status 4 when the
plugin was named with --plugin.
"""
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

import bareospy

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("BAREOSPY_FD_BINARY")
              or Path(bareospy.__file__).resolve().parent / "bin" / "bareospy-fd")
EXIT_PLUGINS = 4

# A plugin whose PluginInformation and loadPlugin result come from -D macros.
PLUGIN_SOURCE = r"""
#include <stdio.h>
#include "bareospy/fd.h"
static PluginInformation information = {
    SIZE, VERSION, MAGIC, LICENSE, "author", "date", "1.0", "description", "usage"};
static FdPluginFunctions table;
bRC loadPlugin(PluginApiDefinition* api, void* core, PluginInformation** info, void** functions)
{
  (void)api, (void)core;
  *info = &information;
  *functions = &table;
  return RC;
}
bRC unloadPlugin(void)
{
  FILE* marker = fopen(UNLOADED, "w");
  return marker && fclose(marker) == 0 ? bRC_OK : bRC_Error;
}
"""

COMPATIBLE = {"SIZE": "sizeof(PluginInformation)", "VERSION": "10", "MAGIC": '"*FDPluginData*"',
              "LICENSE": '"Bareos AGPLv3"', "RC": "bRC_OK"}


def build_plugin(directory, **changes):
    """<directory>/plugins/odd-fd.so, compatible but for `changes`."""
    compiler = shlex.split(os.environ.get("CC") or shutil.which("cc") or "gcc")
    plugins = directory / "plugins"
    plugins.mkdir()
    source = directory / "odd.c"
    source.write_text(PLUGIN_SOURCE)
    macros = {**COMPATIBLE, **changes, "UNLOADED": f'"{directory / "unloaded"}"'}
    subprocess.run([*compiler, "-shared", "-fPIC", "-std=c99", f"-I{REPO / 'include'}",
                    *(f"-D{name}={value}" for name, value in macros.items()),
                    "-o", str(plugins / "odd-fd.so"), str(source)], check=True)
    return plugins


@pytest.mark.skipif(not BINARY.is_file(), reason="bareospy-fd is not built")
@pytest.mark.parametrize("changes, sentence", [
    ({"MAGIC": '"*SDPluginData*"'},
     'plugin_magic is "*SDPluginData*", a file daemon plugin has "*FDPluginData*"'),
    ({"VERSION": "4"}, "interface version 4, this file daemon speaks version 10"),
    ({"LICENSE": '"GPLv2"'}, 'licence "GPLv2" is not "Bareos AGPLv3" or "AGPLv3"'),
    ({"SIZE": "32"}, "PluginInformation.size is 32, expected 64"),
    ({"RC": "bRC_Error"}, "loadPlugin returned 2"),
])
def test_host_refuses_an_incompatible_plugin(tmp_path, changes, sentence):
    plugins = build_plugin(tmp_path, **changes)
    run = subprocess.run([str(BINARY), "-p", str(plugins), "--plugin", "odd",
                          "estimate", "odd:x=1"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True, timeout=60)
    assert run.returncode == EXIT_PLUGINS, run.stderr
    assert f"bareospy-fd: plugin {plugins / 'odd-fd.so'} rejected: {sentence}\n" in run.stderr
    assert (tmp_path / "unloaded").exists(), "unloadPlugin was not called after the refusal"


@pytest.mark.skipif(not BINARY.is_file(), reason="bareospy-fd is not built")
def test_host_names_a_plugin_that_is_not_there(tmp_path):
    run = subprocess.run([str(BINARY), "-p", str(tmp_path), "--plugin", "missing",
                          "estimate", "missing:x=1"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True, timeout=60)
    assert run.returncode == EXIT_PLUGINS, run.stderr
    assert f"bareospy-fd: cannot load plugin {tmp_path / 'missing-fd.so'}: " in run.stderr
