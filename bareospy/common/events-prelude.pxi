# The start of a module whose daemon's plugins only get events (bareossd,
# bareosdir), after its own ``cimport`` of the daemon's .pxd: the common
# cimports and the descriptor type.  The module then creates ``_daemon`` and
# includes events-module.pxi.

from bareospy.includes.plugin cimport *
from bareospy.includes.consts cimport *
from bareospy.includes.internal cimport *

include "daemon.pxi"      # the daemon descriptor type and the common core table
