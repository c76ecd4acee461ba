"""Build the legacy file daemon plugin (python-fd.so) for CPython 2.7.

The old plugin scripts were written for Python 2.7; this builds, from the same
sources as every other flavour, a python-fd.so that embeds a 2.7 interpreter
(docs/legacy.md, "Python 2.7").  setup.py is Python 3 only, so this script
(run by a Python 3 that has Cython 3.0.x, the last release line whose C still
compiles for 2.7) does the few steps by hand:

* cythonize bareospy/bareosfd.pyx and bareospy/legacy/_calls.pyx;
* compile them against the 2.7 headers (bareospy/src/pycompat.h supplies
  what 2.7 lacks) and link python-fd.so (module, glue, legacy step) against
  libpython2.7.so, and _calls.so as a 2.7 extension module;
* lay out a package tree OUT/bareospy/ as the tests expect an installed one:
  the pure-Python files the legacy layer imports, legacy/_calls.so,
  legacy-plugins/python-fd.so and bin/bareospy-fd (the reference file daemon,
  which embeds no Python).

    python tools/build_legacy_py27.py [--python PYTHON2.7] OUT

Then ``BAREOSPY_PY27_PACKAGE=OUT/bareospy pytest tests/legacy/test_legacy_py27.py``.
"""
import argparse
import glob
import json
import os
import runpy
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CBUILD = runpy.run_path(os.path.join(ROOT, "embed", "hosts", "cbuild.py"))

# What the 2.7 interpreter reports about itself: headers, libpython, version.
QUERY = (
    "import json, sys, sysconfig\n"
    "v = sysconfig.get_config_var\n"
    "print(json.dumps({'include': sysconfig.get_paths()['include'], 'libdir': v('LIBDIR'),\n"
    "                  'version': v('VERSION'), 'soname': v('INSTSONAME'),\n"
    "                  'executable': sys.executable}))\n"
)

# Cython's generated C trips these with -Wall -Wextra (as in setup.py), and on
# 2.7 its compatibility code casts function types.
CFLAGS = CBUILD["CFLAGS"] + ["-fPIC", "-O2", "-fno-strict-aliasing", "-Wno-unused-parameter",
                             "-Wno-missing-field-initializers", "-Wno-cast-function-type"]
GLUE = ["embed/plugin/python3_common.c", "embed/plugin/python_legacy.c",
        "embed/plugin/python_fd_legacy.c"]
# The pure-Python part of the package that python-fd.so imports on 2.7.
PACKAGE_FILES = ["__init__.py", "warnings.py"] + [
    os.path.join("legacy", name) for name in ("__init__.py", "__main__.py", "_layer.py",
                                              "events.py", "fd.py")]


def c_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def package_version():
    scope = {}
    with open(os.path.join(ROOT, "bareospy", "__init__.py"), encoding="utf-8") as source:
        for line in source:
            if line.startswith("__version__"):
                exec(line, scope)
    return scope["__version__"]


def run(command):
    print(" ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)


def cythonize(pyx, output):
    run([sys.executable, "-m", "cython", "-3", "-I", ".", "-I", "bareospy",
         "--directive", "embedsignature=True,binding=True", "-o", output, pyx])


def compile_c(cc, source, output, python, extra=()):
    run([cc, "-c", source, "-o", output, "-I", "include", "-I", "bareospy/src",
         "-I", python["include"], "-DCYTHON_CLINE_IN_TRACEBACK=0",
         "-DBAREOSPY_VERSION=" + c_string(package_version())] + CFLAGS + list(extra))


def build(python_path, out, cc):
    python = json.loads(subprocess.run([python_path, "-c", QUERY], check=True,
                                       capture_output=True, text=True).stdout)
    if not python["version"].startswith("2."):
        sys.exit(f"{python_path} is Python {python['version']}, not 2.7")
    work = os.path.join(out, "build")
    package = os.path.join(out, "bareospy")
    for directory in (work, os.path.join(package, "legacy"),
                      os.path.join(package, "legacy-plugins"), os.path.join(package, "bin")):
        os.makedirs(directory, exist_ok=True)

    # The Cython module and the context-dropping wrappers.
    cythonize("bareospy/bareosfd.pyx", os.path.join(work, "bareosfd.c"))
    cythonize("bareospy/legacy/_calls.pyx", os.path.join(work, "_calls.c"))
    objects = [os.path.join(work, "bareosfd.o")]
    compile_c(cc, os.path.join(work, "bareosfd.c"), objects[0], python)
    glue_macros = ["-I", work,
                   "-DBAREOSPY_PYTHON_EXECUTABLE=" + c_string(python["executable"]),
                   "-DBAREOSPY_LIBPYTHON=" + c_string(python["soname"] or "")]
    for source in GLUE:
        objects.append(os.path.join(work, os.path.basename(source).replace(".c", ".o")))
        compile_c(cc, source, objects[-1], python, glue_macros)
    link = ["-shared", "-L", python["libdir"], "-Wl,-rpath," + python["libdir"],
            "-lpython" + python["version"]]
    run([cc] + objects + ["-o", os.path.join(package, "legacy-plugins", "python-fd.so"),
                          "-Wl,-z,nodelete",
                          "-Wl,--version-script=embed/plugin/python3-fd.map"] + link)
    calls = os.path.join(work, "_calls.o")
    compile_c(cc, os.path.join(work, "_calls.c"), calls, python)
    run([cc, calls, "-o", os.path.join(package, "legacy", "_calls.so")] + link)

    # The package files and the reference file daemon.
    for name in PACKAGE_FILES:
        shutil.copyfile(os.path.join(ROOT, "bareospy", name), os.path.join(package, name))
    for stale in glob.glob(os.path.join(package, "**", "*.pyc"), recursive=True):
        os.remove(stale)
    CBUILD["build"]("bareospy-fd", os.path.join(package, "bin", "bareospy-fd"), cc=cc,
                    root=ROOT)
    print(f"built: {package}")


def pyenv_python27():
    """pyenv's newest CPython 2.7 (it has libpython2.7.so), or None."""
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found = sorted(glob.glob(os.path.join(root, "versions", "2.7.*", "bin", "python2.7")),
                   key=lambda path: [int(part) for part in
                                     path.split(os.sep)[-3].split(".") if part.isdigit()])
    return found[-1] if found else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=os.environ.get("BAREOSPY_PYTHON27") or pyenv_python27(),
                        help="the CPython 2.7 to build for (default: $BAREOSPY_PYTHON27, "
                             "else pyenv's newest 2.7)")
    parser.add_argument("--cc", default=os.environ.get("CC", "cc"))
    parser.add_argument("out", help="where the package tree (OUT/bareospy) goes")
    args = parser.parse_args(argv)
    if not args.python:
        parser.error("no CPython 2.7 found: give --python or $BAREOSPY_PYTHON27")
    build(args.python, os.path.abspath(args.out), args.cc)


if __name__ == "__main__":
    main()
