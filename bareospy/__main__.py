"""``python -m bareospy``: where the daemon plugins are, and what they are.

    python -m bareospy --plugin-dir     the directory holding python3-fd.so
    python -m bareospy --bacula-plugin-dir  the directory holding the plugins for Bacula 9.6's daemons
    python -m bareospy --info           the interpreter and paths the plugins will use
    python -m bareospy --includes       the directory to give a C compiler with -I
    python -m bareospy --cflags         the C flags of a daemon that loads the plugins
    python -m bareospy --libs           the link flags of such a daemon
    python -m bareospy --pkg-config     a bareospy.pc file (pkg-config) for this installation
    python -m bareospy --examples       the directory holding the installed examples
    python -m bareospy --version        bareospy's version
"""

import argparse
import os
import sys
import sysconfig

import bareospy



def _package_dir():
    """The bareospy package whose plugins are built.  ``python -m bareospy``
    run in a checkout imports the unbuilt sources (the current directory comes
    first on sys.path): then the installed package further down sys.path."""
    here = os.path.dirname(os.path.abspath(bareospy.__file__))
    if os.path.isdir(os.path.join(here, "plugins")):
        return here
    for entry in sys.path[1:]:
        candidate = os.path.join(os.path.abspath(entry or os.curdir), "bareospy")
        if os.path.isfile(os.path.join(candidate, "plugins", "python3-fd.so")):
            return candidate
    return here


PACKAGE_DIR = _package_dir()
PLUGIN_DIR = os.path.join(PACKAGE_DIR, "plugins")
# The plugins for Bacula 9.6's daemons (docs/bacula-daemons.md): a directory of
# their own, the Plugin Directory of a Bacula daemon's configuration.
BACULA_PLUGIN_DIR = os.path.join(PLUGIN_DIR, "bacula")
EXAMPLES_DIR = os.path.join(PACKAGE_DIR, "examples")
PACKAGE_DIR_NAMES = ("site-packages", "dist-packages")


def include_dir():
    """Where bareospy/fd.h is: in the installed package, or (a checkout) in include/."""
    installed = os.path.join(PACKAGE_DIR, "include")
    if os.path.isfile(os.path.join(installed, "bareospy", "fd.h")):
        return installed
    return os.path.join(os.path.dirname(PACKAGE_DIR), "include")


def plugin_interpreter(plugin_dir=PLUGIN_DIR):
    """The interpreter a plugin library in ``plugin_dir`` starts, and why.

    The same rule as locate_interpreter() in embed/plugin/python3_common.c:
    <prefix>/lib/pythonX.Y/site-packages/bareospy/plugins/ gives <prefix>;
    a <prefix>/pyvenv.cfg makes it a venv; its bin/pythonX.Y (or python3, or a
    venv's python) is the program.  Otherwise (an in-place build, no such
    program) the plugin starts the interpreter it was built with: returned
    as None, for the caller to say so.
    """
    real = os.path.realpath(plugin_dir)
    packages = os.path.dirname(os.path.dirname(real))
    if os.path.basename(packages) not in PACKAGE_DIR_NAMES:
        return None, None
    prefix = os.path.dirname(os.path.dirname(os.path.dirname(packages)))
    venv = os.path.isfile(os.path.join(prefix, "pyvenv.cfg"))
    names = ["python%d.%d" % sys.version_info[:2], "python3"] + (["python"] if venv else [])
    for name in names:
        program = os.path.join(prefix, "bin", name)
        if os.path.isfile(program) and os.access(program, os.X_OK):
            return program, ("venv" if venv else "base installation")
    return None, None


def info_lines():
    program, kind = plugin_interpreter()
    lines = [f"plugin directory: {PLUGIN_DIR}",
             f"Bacula 9.6 plugin directory: {BACULA_PLUGIN_DIR}"]
    if program:
        lines.append(f"interpreter: {program} ({kind} at {os.path.dirname(os.path.dirname(program))})")
    else:
        lines.append("interpreter: the one the plugins were built with (not installed in a "
                     "site-packages directory, or no python program next to it)")
    lines.append(f"package directory (site-packages): {os.path.dirname(PACKAGE_DIR)}")
    lines.append(f"libpython: {sysconfig.get_config_var('INSTSONAME')} in {sysconfig.get_config_var('LIBDIR')}")
    lines.append(f"headers: {include_dir()}")
    lines.append(f"examples: {EXAMPLES_DIR}")
    return lines


def cflags():
    return f"-I{include_dir()}"


def libs():
    """A daemon needs only dlopen(); the plugin brings libpython itself."""
    return "-ldl"


def pkg_config():
    """A bareospy.pc for this installation (save it in a PKG_CONFIG_PATH directory)."""
    return "\n".join([
        f"prefix={os.path.dirname(PACKAGE_DIR)}",
        f"includedir={include_dir()}",
        f"plugindir={PLUGIN_DIR}",
        "",
        "Name: bareospy",
        "Description: Bareos/Bacula plugin ABI headers; the Python daemon plugins are in ${plugindir}",
        f"Version: {bareospy.__version__}",
        "Cflags: -I${includedir}",
        f"Libs: {libs()}",
        "",
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bareospy", description=__doc__.splitlines()[0])
    parser.add_argument("--plugin-dir", action="store_true",
                        help="print the directory that holds python3-fd.so (Bacula's "
                             "plugins: --bacula-plugin-dir)")
    parser.add_argument("--bacula-plugin-dir", action="store_true",
                        help="print the directory holding the plugins for Bacula 9.6's daemons")
    parser.add_argument("--info", action="store_true",
                        help="print which interpreter and paths the plugins will use")
    parser.add_argument("--includes", action="store_true",
                        help="print the directory holding bareospy/*.h (for -I)")
    parser.add_argument("--cflags", action="store_true", help="print the C compiler flags")
    parser.add_argument("--libs", action="store_true", help="print the linker flags")
    parser.add_argument("--pkg-config", action="store_true",
                        help="print a pkg-config file (bareospy.pc) for this installation")
    parser.add_argument("--examples", action="store_true",
                        help="print the directory holding the installed examples")
    parser.add_argument("--version", action="store_true", help="print bareospy's version")
    options = parser.parse_args(argv)
    printers = [
        (options.version, lambda: bareospy.__version__),
        (options.info, lambda: "\n".join(info_lines())),
        (options.includes, include_dir),
        (options.cflags, cflags),
        (options.libs, libs),
        (options.pkg_config, lambda: pkg_config().rstrip("\n")),
        (options.examples, lambda: EXAMPLES_DIR),
        (options.bacula_plugin_dir, lambda: BACULA_PLUGIN_DIR),
    ]
    for wanted, text in printers:
        if wanted:
            print(text())
    if options.plugin_dir or not any(wanted for wanted, _text in printers):
        if not os.path.isdir(PLUGIN_DIR):
            print(f"bareospy: no plugin directory at {PLUGIN_DIR} (package not built?)", file=sys.stderr)
            return 1
        print(PLUGIN_DIR)
    return 0


if __name__ == "__main__":
    sys.exit(main())
