"""The API of Bareos < 20 on top of bareospy (docs/legacy.md).

The legacy daemon plugins (``python-fd.so``, plugin name ``python``) run
plugin scripts written for the old API unchanged: this package holds their
Python side, installed once per process by the plugin's loadPlugin.  It is
the same plugin layer underneath; what differs is only what a script sees:

* ``import bareosfd`` gives a facade whose functions take ``context`` first
  (and drop it: the plugin layer knows the calling instance);
* ``import bareos_fd_consts`` gives the old dictionaries with str keys;
* every script function is called with a ``context`` first argument;
* ``StatPacket`` members answer without the ``st_`` prefix too.

:mod:`bareospy.port` rewrites such a script for the current API.

Kept compatible with Python 2.7 and 3 (the old scripts' interpreters).
"""
import os as _os

#: Where the legacy daemon plugins (python-fd.so) are installed: a directory
#: of their own, since a daemon loads every plugin of its plugin directory and
#: only one Python plugin (python- or python3-) can run in a process.
PLUGIN_DIR = _os.path.join(_os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))),
                           "legacy-plugins")
