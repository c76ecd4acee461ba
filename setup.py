"""Build script: the stand-alone extension modules (and, later, the daemon plugins).

Every Cython source lives in ``bareospy/``; the C headers that define the plugin
ABI live in ``include/``.  Compiler directives are decided here, in one place.
"""
import os

from Cython.Build import cythonize
from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE_DIRS = ["include", "bareospy/src"]
WARNINGS = ["-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"]
DIRECTIVES = {
    "language_level": 3,
    "embedsignature": True,
    "binding": True,
}


def extension(name, sources, **kwargs):
    """An extension compiled as C99 with warnings on and the ABI headers visible."""
    return Extension(
        name,
        sources,
        include_dirs=INCLUDE_DIRS,
        extra_compile_args=["-std=c99"] + WARNINGS,
        define_macros=[("CYTHON_CLINE_IN_TRACEBACK", "0")],
        **kwargs,
    )


EXTENSIONS = [
    extension("bareosfd", ["bareospy/bareosfd.pyx"]),
    extension("bareospy._testcore", ["bareospy/_testcore.pyx", "bareospy/src/testcore.c"]),
]

setup(
    packages=["bareospy"],
    package_data={"bareospy": ["*.pxd", "*.pyx", "includes/*.pxd", "common/*.pxi", "fd/*.pxi"]},
    ext_modules=cythonize(EXTENSIONS, compiler_directives=DIRECTIVES),
    zip_safe=False,
)
