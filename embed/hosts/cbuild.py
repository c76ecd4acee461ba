"""The C programs of bareospy and how they are compiled: the one build description.

Every C program that loads plugins (the reference host of each daemon, the test
driver, the bench) and the ABI test is listed once in PROGRAMS, with its sources,
include directories and the flags it adds to the common CFLAGS.  Everything
that compiles one of them reads this file:

* setup.py (build_ext) builds each program of HOSTS into bareospy/bin/;
* embed/hosts/fd/Makefile (``make -C embed/hosts/fd [sanitize]``) runs this
  file as a script;
* tests/fd/conftest.py compiles the test driver, bench/run.py the bench,
  tests/abi/run_abi_test.sh takes its flags from ``--print-cflags``.

The sanitizer build differs in one variable: with BAREOSPY_SANITIZE=1 in the
environment (or ``sanitize=True``, ``--sanitize``) every program, and in
setup.py the extension modules and daemon plugins too, are compiled and
linked with AddressSanitizer and UBSan.

Standard library only (setup.py reads it before anything is built), and
Python 3.8+.  As a script::

    python embed/hosts/cbuild.py PROGRAM -o OUTPUT [--sanitize] [--cc CC] [--dry-run]
    python embed/hosts/cbuild.py PROGRAM --print-cflags
"""
import argparse
import glob
import os
import shlex
import subprocess
import sys
import sysconfig
from collections import namedtuple

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The flags every C program is compiled with.
CFLAGS = ["-std=c99", "-Wall", "-Wextra"]

# The sanitizer variant, switched on by this environment variable.
SANITIZE_VARIABLE = "BAREOSPY_SANITIZE"
SANITIZE_CFLAGS = ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
                   "-fno-omit-frame-pointer", "-g"]
SANITIZE_LDFLAGS = ["-fsanitize=address,undefined"]

# The kit every program that loads plugins is linked with (embed/hosts/kit/).
KIT_SOURCES = ("embed/hosts/kit/*.c",)

CProgram = namedtuple("CProgram", "name sources include_dirs macros cflags libraries python")
CProgram.__doc__ = """One C program.

name          the executable's file name
sources       source files or glob patterns, relative to the repository
include_dirs  relative to the repository (kit headers are included as "kit/x.h")
macros        names defined with -D
cflags        flags added to CFLAGS for this program
libraries     linked with -l
python        whether it embeds Python (compiled and linked against this libpython)
"""


def program(name, sources, include_dirs=("include", "embed/hosts"), macros=(), cflags=(),
            libraries=("dl", "pthread"), python=False):
    return CProgram(name, tuple(sources), tuple(include_dirs), tuple(macros), tuple(cflags),
                    tuple(libraries), python)


PROGRAMS = {p.name: p for p in [
    # The reference file daemon.
    program("bareospy-fd", ("embed/hosts/fd/*.c",) + KIT_SOURCES,
            include_dirs=("include", "embed/hosts", "embed/hosts/fd"),
            macros=("_GNU_SOURCE",), cflags=("-O2", "-g")),
    # The reference storage daemon.
    program("bareospy-sd", ("embed/hosts/sd/*.c",) + KIT_SOURCES,
            include_dirs=("include", "embed/hosts", "embed/hosts/sd"),
            macros=("_GNU_SOURCE",), cflags=("-O2", "-g")),
    # The SD tests' recording plugin (a shared object) and client.
    program("recording-sd.so", ("tests/sd/c/recording-sd.c",), include_dirs=("include",),
            macros=("_GNU_SOURCE",), cflags=("-Werror", "-g", "-shared", "-fPIC"), libraries=()),
    program("sd_test_client", ("tests/sd/c/sd_test_client.c",) + KIT_SOURCES,
            cflags=("-Werror", "-g")),
    # The reference director: its catalog is SQLite (libsqlite3-dev).
    program("bareospy-dir", ("embed/hosts/dir/*.c",) + KIT_SOURCES,
            include_dirs=("include", "embed/hosts", "embed/hosts/dir"),
            macros=("_GNU_SOURCE",), cflags=("-O2", "-g"),
            libraries=("dl", "pthread", "sqlite3")),
    # The test director plugin that records the events (tests/dir/).
    program("recording-dir.so", ("tests/dir/c/recording-dir.c",), include_dirs=("include",),
            cflags=("-Werror", "-g", "-fPIC", "-shared"), libraries=()),
    # The test driver: its recording core and scenarios are the test oracle
    # and its own; loader, JSON lines, stat codec and utilities are the kit's.
    program("fd_driver", ("tests/fd/c/*.c",) + KIT_SOURCES, cflags=("-Werror", "-g")),
    # The storage daemon's and director's test driver (one, the daemon an argument).
    program("events_driver", ("tests/common/c/*.c",) + KIT_SOURCES, cflags=("-Werror", "-g")),
    # The benchmarks (bench/run.py).
    program("fd_bench", ("bench/fd_bench.c",) + KIT_SOURCES, cflags=("-O2",), python=True),
    # The ABI headers, compiled strictly (tests/abi/run_abi_test.sh).
    program("abi_test", ("tests/abi/abi_test.c",), include_dirs=("include",),
            cflags=("-Wpedantic", "-Werror"), libraries=()),
    # A C daemon embedding libbareospy-bacula.so (tests/bacula/test_embedding.py).
    program("bacula_driver", ("tests/bacula/c/scripting_driver.c",), include_dirs=("include",),
            cflags=("-Werror", "-g"), libraries=("dl", "pthread")),
    # The embedding ABI of Bacula-style scripting, pinned (tests/bacula/test_abi.py).
    program("bacula_abi_test", ("tests/bacula/c/bacula_abi_test.c",), include_dirs=("include",),
            cflags=("-Wpedantic", "-Werror"), libraries=()),
]}

# The reference host of each daemon, installed into bareospy/bin/ by setup.py:
# (daemon, program name).  A new daemon adds its host to PROGRAMS and a row here.
HOSTS = [
    ("fd", "bareospy-fd"),
    ("sd", "bareospy-sd"),
    ("dir", "bareospy-dir"),
]


def sanitizing(sanitize=None):
    """Whether to build the sanitizer variant: `sanitize` if given, else the
    environment variable (set and not "0" or empty)."""
    if sanitize is not None:
        return bool(sanitize)
    return os.environ.get(SANITIZE_VARIABLE, "") not in ("", "0")


def sources(name, root=ROOT):
    """The program's source files (absolute, globs expanded, sorted)."""
    files = []
    for pattern in PROGRAMS[name].sources:
        matches = sorted(glob.glob(os.path.join(root, pattern)))
        if not matches:
            raise FileNotFoundError(f"{name}: no source matches {pattern}")
        files.extend(matches)
    return files


def include_dirs(name, root=ROOT):
    return [os.path.join(root, directory) for directory in PROGRAMS[name].include_dirs]


def compile_flags(name, sanitize=None):
    """The flags a program is compiled with, without -I/-D (CFLAGS, the
    program's own, the sanitizers')."""
    flags = CFLAGS + list(PROGRAMS[name].cflags)
    if sanitizing(sanitize):
        flags += SANITIZE_CFLAGS
    return flags


def link_flags(sanitize=None):
    """Flags a link step adds (the sanitizers' runtime)."""
    return list(SANITIZE_LDFLAGS) if sanitizing(sanitize) else []


def python_flags():
    """(compile, link) flags for a program that embeds this Python's libpython
    (as setup.py links the daemon plugins)."""
    libdir = sysconfig.get_config_var("LIBDIR")
    library = "python" + sysconfig.get_config_var("VERSION") + (getattr(sys, "abiflags", "") or "")
    return (["-isystem", sysconfig.get_config_var("INCLUDEPY")],
            ["-L" + libdir, "-l" + library, "-Wl,-rpath," + libdir])


def compiler(cc=None):
    """The C compiler command as a list: cc, else $CC, else "cc"."""
    return shlex.split(cc or os.environ.get("CC") or "cc")


def command(name, output, cc=None, sanitize=None, extra_cflags=(), root=ROOT):
    """The one compiler command line that compiles and links a program."""
    prog = PROGRAMS[name]
    python_compile, python_link = python_flags() if prog.python else ([], [])
    return (compiler(cc)
            + compile_flags(name, sanitize) + list(extra_cflags)
            + ["-I" + directory for directory in include_dirs(name, root)]
            + ["-D" + macro for macro in prog.macros]
            + python_compile
            + sources(name, root)
            + ["-o", str(output)]
            + link_flags(sanitize)
            + ["-l" + library for library in prog.libraries]
            + python_link)


class BuildError(RuntimeError):
    """A program did not compile; the message holds the command and its output."""


def build(name, output, cc=None, sanitize=None, extra_cflags=(), root=ROOT):
    """Compile and link a program into `output`.  Returns the compiler's
    output (warnings); raises BuildError if it failed."""
    argv = command(name, output, cc, sanitize, extra_cflags, root)
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True)
    if result.returncode != 0:
        raise BuildError(f"cannot build {name}:\n{shlex.join(argv)}\n{result.stdout}")
    return result.stdout


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build one of bareospy's C programs.")
    parser.add_argument("program", choices=sorted(PROGRAMS))
    parser.add_argument("-o", "--output", help="the executable to write")
    parser.add_argument("--sanitize", action="store_true", default=None,
                        help=f"build with ASan + UBSan (default: ${SANITIZE_VARIABLE})")
    parser.add_argument("--cc", help="C compiler command (default: $CC or cc)")
    parser.add_argument("--dry-run", action="store_true", help="print the command, do not run it")
    parser.add_argument("--print-cflags", action="store_true",
                        help="print the program's compile flags (no -I/-D) and exit")
    args = parser.parse_args(argv)
    if args.print_cflags:
        print(" ".join(compile_flags(args.program, args.sanitize)))
        return 0
    if not args.output:
        parser.error("-o OUTPUT is required")
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    if args.dry_run:
        print(shlex.join(command(args.program, args.output, args.cc, args.sanitize)))
        return 0
    try:
        sys.stdout.write(build(args.program, args.output, args.cc, args.sanitize))
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
