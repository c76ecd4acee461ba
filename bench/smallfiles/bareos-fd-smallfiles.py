"""Module-level wrapper of the small-file benchmark plugin (spec §8.1's shape).

The forwarders and the module global holding the plugin object are
bench/scripts/BenchFdWrapper.py's (smallfiles.py puts a copy of it next to
this file): the script star-imports them, as Bareos' shipped plugins do with
their wrapper module, and names the class load_bareos_plugin instantiates.
"""
from BenchFdWrapper import *  # noqa: F401,F403 (the entry points)
from BenchFdWrapper import BareosPlugin

import SmallFilesPlugin

BareosPlugin(SmallFilesPlugin.SmallFilesPlugin)
