"""A class-based plugin behind the module-level wrapper (spec §8.1-§8.2):
every entry point goes script global -> wrapper forwarder -> method, and
plugin_io dispatches on IOP.func to plugin_io_read, which answers EOF
(status 0) -- the same work as bench_trivial's plugin_io, plus the layers a
real class-based plugin has.
"""
from BenchFdWrapper import *  # noqa: F401,F403  (the forwarders)
from BenchFdWrapper import BareosPlugin
from BenchFdPluginBase import BenchFdPluginBase


@BareosPlugin
class BenchClassPlugin(BenchFdPluginBase):
    pass
