"""bareospy: the Bareos/Bacula Python plugin layer rebuilt in Cython.

The importable plugin modules are the top-level ``bareosfd``, ``bareossd``
and ``bareosdir``; this package holds their sources, the plugin
authors' test kit (:mod:`bareospy.testing`), the warning categories bareospy
adds (:mod:`bareospy.warnings`) and the daemon plugins.
"""

from bareospy.warnings import BareospyWarning, PacketValueWarning

__all__ = ["BareospyWarning", "PacketValueWarning"]
__version__ = "0.1.0"
