# cython: language_level=3
"""Bacula-style Python scripting: the ``bacula`` module.

A daemon with a scripts directory imports DirStartUp, FDStartUp or
SDStartUp from it; that script registers its event handlers with
``bacula.set_events()``.  The module holds the daemon's constants
(``Name``, ``Version``, ``ConfigFile``, ``WorkingDir``), ``write()`` for
daemon messages, and the ``Job`` objects handed to the handlers.  See
docs/bacula-scripting.md.  Outside a daemon, ``bareospy.bacula_testing``
plays the daemon.
"""

from bareospy.includes.bacula cimport *


class _ModuleDescriptor:
    """What the shared helpers (common/cstrings.pxi) need to know."""
    module_name = "bacula"


_daemon = _ModuleDescriptor()

include "common/cstrings.pxi"    # C strings <-> str (UTF-8, surrogate escapes)
include "common/version.pxi"     # __version__, bareospy's
include "bacula/tables.pxi"      # attribute tables per daemon, code tables
include "bacula/job.pxi"         # the Job object
include "bacula/host.pxi"        # start-up, daemon and job events, restart
include "bacula/capi.pxi"        # the C daemon's callbacks, the glue's functions
