"""Build script: the stand-alone extension modules (and, later, the daemon plugins).

Every Cython source lives in ``bareospy/``; the C headers that define the plugin
ABI live in ``include/``.  Compiler directives are decided here, in one place.
"""
import contextlib
import fcntl
import os
import re
import runpy
import sys
import sysconfig
from types import SimpleNamespace

from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))

# embed/hosts/cbuild.py: the C programs, the common C flags and the sanitizer
# switch (a plain file, run by path: nothing is built or importable yet).
cbuild = SimpleNamespace(**runpy.run_path(os.path.join(HERE, "embed", "hosts", "cbuild.py")))
INCLUDE_DIRS = ["include", "bareospy/src"]
# The common C flags minus -std (given separately below), plus the two
# warnings Cython's generated code would trip.
WARNINGS = [flag for flag in cbuild.CFLAGS if not flag.startswith("-std=")] + [
    "-Wno-unused-parameter", "-Wno-missing-field-initializers"]
DIRECTIVES = {
    "language_level": 3,
    "embedsignature": True,
    "binding": True,
}


def package_version():
    """bareospy.__version__, read from bareospy/__init__.py (the one source):
    the daemon modules get it as BAREOSPY_VERSION (bareospy/common/version.pxi)."""
    with open(os.path.join(HERE, "bareospy", "__init__.py"), encoding="utf-8") as source:
        return re.search(r'^__version__ = "([^"]+)"', source.read(), re.M).group(1)


def extension(name, sources, **kwargs):
    """An extension compiled as C99 with warnings on and the ABI headers visible."""
    return Extension(
        name,
        sources,
        include_dirs=INCLUDE_DIRS,
        extra_compile_args=["-std=c99"] + WARNINGS,
        define_macros=[("CYTHON_CLINE_IN_TRACEBACK", "0"),
                       ("BAREOSPY_VERSION", c_string(package_version()))],
        **kwargs,
    )


def extensions():
    """The extension modules (new objects at each call: cythonize() edits them)."""
    return [
        extension("bareosfd", ["bareospy/bareosfd.pyx"]),
        extension("bareossd", ["bareospy/bareossd.pyx"]),
        extension("bareosdir", ["bareospy/bareosdir.pyx"]),
        extension("bacula", ["bareospy/bacula.pyx"]),
        extension("bareospy._testcore", ["bareospy/_testcore.pyx", "bareospy/src/testcore.c"]),
        # the legacy plugins' context-dropping wrappers (docs/legacy.md)
        extension("bareospy.legacy._calls", ["bareospy/legacy/_calls.pyx"]),
    ]


# The daemon plugins: (file name, extension whose Cython code it embeds, its C
# glue).  The glue is the daemon-neutral python3_common.c plus the daemon's
# own file; embed/plugin/<name>.map lists what the plugin exports.  A new
# daemon adds one row.
GLUE_COMMON = "embed/plugin/python3_common.c"
GLUE_EVENTS = "embed/plugin/python3_events.c"
DAEMON_PLUGINS = [
    ("python3-fd.so", "bareosfd", [GLUE_COMMON, "embed/plugin/python3_fd.c"]),
    # The daemons whose plugins only get events share python3_events.c.
    ("python3-sd.so", "bareossd", [GLUE_COMMON, GLUE_EVENTS, "embed/plugin/python3_sd.c"]),
    ("python3-dir.so", "bareosdir", [GLUE_COMMON, GLUE_EVENTS, "embed/plugin/python3_dir.c"]),
    # Not a plugin: the embedding library of Bacula-style scripting
    # (include/bareospy/bacula.h), for daemons that call it directly.
    ("libbareospy-bacula.so", "bacula", [GLUE_COMMON, "embed/plugin/bacula_embed.c"]),
]
# The legacy flavour (docs/legacy.md): plugins named as before Bareos 20, for
# scripts of the old API, linked from the same objects plus a loader step;
# they export what their python3-*.so counterpart does (its .map).  They go to
# bareospy/legacy-plugins/, not plugins/: a daemon loads every *-fd.so of its
# plugin directory, and only one Python plugin can run in a process.
LEGACY_PLUGINS = [
    ("python-fd.so", "bareosfd",
     [GLUE_COMMON, "embed/plugin/python_legacy.c", "embed/plugin/python_fd_legacy.c"]),
    ("python-sd.so", "bareossd",
     [GLUE_COMMON, GLUE_EVENTS, "embed/plugin/python_legacy.c", "embed/plugin/python_sd_legacy.c"]),
    ("python-dir.so", "bareosdir",
     [GLUE_COMMON, GLUE_EVENTS, "embed/plugin/python_legacy.c",
      "embed/plugin/python_dir_legacy.c"]),
]

# The plugins for Bacula 9.6's daemons (docs/bacula-daemons.md): (file name
# under bareospy/plugins/, C sources, macros, libraries).  Plain C adapters that
# host the Bareos plugin above them, in a directory of their own so that
# neither kind of daemon finds the other's plugin in its Plugin Directory.
BACULA_PLUGINS = [
    ("bacula/python3-fd.so", ["embed/plugin/bacula_fd.c"], [], []),
    # Bacula's old scripting (DirStartUp.py, SDStartUp.py) through the
    # scripting library libbareospy-bacula.so; SQLite for DoesVolumeExist.
    ("bacula/bareospy-scripting-dir.so", ["embed/plugin/bacula_scripting.c"], [], ["sqlite3"]),
    ("bacula/bareospy-scripting-sd.so", ["embed/plugin/bacula_scripting.c"],
     [("BAREOSPY_BACULA_SD", None)], ["sqlite3"]),
]
# What every Bacula plugin exports: loadPlugin and unloadPlugin.
BACULA_PLUGIN_MAP = "embed/plugin/bacula_plugins.map"



# Developer options of build_ext (python setup.py build_ext --inplace --cython-annotate ...).
# Their C goes to build/cython-dev; the next plain build needs --force to
# replace what they built.
DEVELOPER_OPTIONS = [
    ("cython-annotate", None, "write an HTML annotation next to each .pyx (Cython -a)"),
    ("cython-directives=", None, "Cython compiler directives, comma-separated: name=value,..."),
    ("cython-linetrace", None, "debug build: line tracing for profilers and coverage (slower)"),
]


class BuildExtAndPlugins(build_ext):
    """build_ext, then link each daemon plugin from the same Cython objects.

    A plugin is the module's compiled code plus a little C glue, linked
    against libpython (a daemon is not a Python program) and installed in
    bareospy/plugins/.  It exports only loadPlugin and unloadPlugin, and stays
    mapped after dlclose() (-z nodelete) because the interpreter it started
    keeps pointers into it.
    """

    # The base class may define --cython-directives already (for .pyx sources
    # it compiles itself: ours are cythonized in finalize_options), hence the filter.
    user_options = [option for option in build_ext.user_options
                    if option[0] not in {name for name, _, _ in DEVELOPER_OPTIONS}
                    ] + DEVELOPER_OPTIONS
    boolean_options = build_ext.boolean_options + ["cython-annotate", "cython-linetrace"]

    def initialize_options(self):
        super().initialize_options()
        self.cython_annotate = False
        self.cython_directives = None
        self.cython_linetrace = False

    def finalize_options(self):
        """With a developer option, cythonize again (forced) with its settings."""
        if self.cython_annotate or self.cython_directives or self.cython_linetrace:
            from Cython.Compiler.Options import parse_directive_list

            directives = dict(DIRECTIVES)
            directives.update(parse_directive_list(self.cython_directives or ""))
            modules = extensions()
            if self.cython_linetrace:
                directives["linetrace"] = True
                for ext in modules:
                    ext.define_macros += [("CYTHON_TRACE", "1"), ("CYTHON_TRACE_NOGIL", "1")]
            # The C goes to build/cython-dev, so the next plain build does not
            # compile these settings from a generated file it thinks up to date.
            self.distribution.ext_modules[:] = cythonize(
                modules, compiler_directives=directives, annotate=self.cython_annotate,
                force=True, build_dir=os.path.join("build", "cython-dev"))
        self.cython_directives = {}  # used up (the base class expects a dict)
        if self.parallel is None:    # compile the modules side by side (-j to choose)
            self.parallel = os.cpu_count() or 1
        super().finalize_options()

    def run(self):
        super().run()
        for file_name, module, glue in DAEMON_PLUGINS:
            self.build_plugin(file_name, self.find_extension(module), glue)
        for file_name, module, glue in LEGACY_PLUGINS:
            self.build_plugin(file_name, self.find_extension(module), glue,
                              map_name=file_name.replace("python-", "python3-"),
                              directory="legacy-plugins")
        for file_name, sources, macros, libraries in BACULA_PLUGINS:
            self.build_bacula_plugin(file_name, sources, macros, libraries)
        for _daemon, program in cbuild.HOSTS:
            self.build_host(program)

    def build_extensions(self):
        """With BAREOSPY_SANITIZE=1 (cbuild.py) everything this command
        compiles and links, extensions, plugins and hosts, gets ASan + UBSan."""
        if cbuild.sanitizing():
            compile_flags, link_flags = cbuild.SANITIZE_CFLAGS, cbuild.link_flags(True)
            self.compiler.compiler_so = self.compiler.compiler_so + compile_flags
            self.compiler.linker_so = self.compiler.linker_so + link_flags
            self.compiler.linker_exe = self.compiler.linker_exe + link_flags
        super().build_extensions()

    def find_extension(self, name):
        return next(ext for ext in self.extensions if ext.name == name)

    def build_plugin(self, file_name, ext, glue, map_name=None, directory="plugins"):
        module_objects = self.compiler.object_filenames(ext.sources, output_dir=self.build_temp)
        glue_objects = self.compiler.compile(
            glue,
            output_dir=self.build_temp,
            # bareosfd.h (the public functions) is next to the generated C
            include_dirs=INCLUDE_DIRS + [os.path.dirname(ext.sources[0])],
            macros=[
                ("BAREOSPY_PYTHON_EXECUTABLE", c_string(sys.executable)),
                ("BAREOSPY_LIBPYTHON", c_string(sysconfig.get_config_var("INSTSONAME") or "")),
            ],
            extra_postargs=["-std=c99"] + WARNINGS,
        )
        version_script = os.path.join("embed", "plugin",
                                      (map_name or file_name).replace(".so", ".map"))
        libdir = sysconfig.get_config_var("LIBDIR")
        library = "python" + sysconfig.get_config_var("VERSION") + (sys.abiflags or "")
        output = os.path.join(self.build_lib, "bareospy", directory, file_name)
        self.compiler.link_shared_object(
            module_objects + glue_objects,
            output,
            libraries=[library],
            library_dirs=[libdir],
            runtime_library_dirs=[libdir],
            extra_postargs=["-Wl,-z,nodelete", "-Wl,--version-script=" + version_script],
        )
        if self.inplace:
            self.copy_into_source_tree(output, directory)

    def build_bacula_plugin(self, file_name, sources, macros, libraries):
        """A Bacula plugin (BACULA_PLUGINS): C99, no Python, exports only
        loadPlugin and unloadPlugin; it dlopen()s what it hosts at run time."""
        objects = self.compiler.compile(
            sources,
            output_dir=os.path.join(self.build_temp, "bacula", os.path.basename(file_name)),
            include_dirs=INCLUDE_DIRS,
            macros=macros,
            extra_postargs=list(cbuild.CFLAGS),
        )
        output = os.path.join(self.build_lib, "bareospy", "plugins", file_name)
        self.compiler.link_shared_object(
            objects, output, libraries=["dl"] + libraries,
            extra_postargs=["-Wl,--version-script=" + BACULA_PLUGIN_MAP])
        if self.inplace:
            self.copy_into_source_tree(output, os.path.join("plugins", os.path.dirname(file_name)))

    def build_host(self, program):
        """Compile and link a reference host (cbuild.HOSTS) into bareospy/bin/
        (it finds the plugins in ../plugins, relative to itself)."""
        objects = self.compiler.compile(
            cbuild.sources(program, root="."),
            output_dir=os.path.join(self.build_temp, program),
            include_dirs=cbuild.include_dirs(program, root="."),
            macros=[(macro, None) for macro in cbuild.PROGRAMS[program].macros],
            extra_postargs=cbuild.compile_flags(program, sanitize=False),
        )
        output_dir = os.path.join(self.build_lib, "bareospy", "bin")
        self.compiler.link_executable(objects, program, output_dir=output_dir,
                                      libraries=list(cbuild.PROGRAMS[program].libraries))
        if self.inplace:
            self.copy_into_source_tree(os.path.join(output_dir, program), "bin")

    def copy_into_source_tree(self, built_file, directory):
        """For in-place builds: the file also goes to bareospy/<directory>/."""
        target_dir = os.path.join("bareospy", directory)
        self.mkpath(target_dir)
        self.copy_file(built_file, os.path.join(target_dir, os.path.basename(built_file)))


# Files kept once at the top of the checkout and installed inside the package
# (python -m bareospy --includes / --examples says where): source -> package dir.
INSTALLED_COPIES = [
    (os.path.join("include", "bareospy", name), os.path.join("include", "bareospy"))
    for name in sorted(os.listdir(os.path.join(HERE, "include", "bareospy")))
    if name.endswith(".h")
] + [(os.path.join("examples", "bareos-fd-local-files.py"), "examples")]


class BuildPyWithCopies(build_py):
    """build_py that also puts INSTALLED_COPIES into the built package."""

    def run(self):
        super().run()
        for source, directory in INSTALLED_COPIES:
            target_dir = os.path.join(self.build_lib, "bareospy", directory)
            self.mkpath(target_dir)
            self.copy_file(source, os.path.join(target_dir, os.path.basename(source)))


def c_string(text):
    """A Python str as a C string literal for a -D macro."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextlib.contextmanager
def source_tree_lock():
    """Builds of one checkout take turns: they share the Cython output next to
    the .pyx files, build/ and the egg-info (`make test` runs tox environments
    side by side, each building its own wheel from this tree)."""
    os.makedirs(os.path.join(HERE, "build"), exist_ok=True)
    with open(os.path.join(HERE, "build", ".source-tree.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


with source_tree_lock():
    setup(
        cmdclass={"build_ext": BuildExtAndPlugins, "build_py": BuildPyWithCopies},
        # bareosfd-stubs: the PEP 561 stubs of the top-level module bareosfd
        packages=["bareospy", "bareospy.legacy", "bareosfd-stubs", "bacula-stubs"],
        package_data={"bareospy": ["py.typed", "examples/*.c", "examples/*.py"], "bareosfd-stubs": ["__init__.pyi"],
                      "bacula-stubs": ["__init__.pyi"]},
        ext_modules=cythonize(extensions(), compiler_directives=DIRECTIVES,
                              nthreads=os.cpu_count() or 1),
        include_package_data=False,  # the sources travel in the sdist only
        zip_safe=False,
    )
