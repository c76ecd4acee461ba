# __version__ of a daemon module: bareospy's, from bareospy/__init__.py (the
# one source), which setup.py passes to every compilation as BAREOSPY_VERSION.
cdef extern from *:
    """
    #ifndef BAREOSPY_VERSION
    #define BAREOSPY_VERSION "unknown"
    #endif
    """
    const char* BAREOSPY_VERSION

__version__ = BAREOSPY_VERSION.decode("ascii")
