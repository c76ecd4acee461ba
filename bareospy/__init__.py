"""bareospy: the Bareos/Bacula Python plugin layer rebuilt in Cython.

The importable plugin modules are the top-level ``bareosfd`` (and later
``bareossd``/``bareosdir``); this package holds their sources, the plugin
authors' test kit (:mod:`bareospy.testing`) and the daemon plugins.
"""

__version__ = "0.1.0"
