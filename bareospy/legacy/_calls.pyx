# cython: language_level=3
"""The legacy facade's context-dropping wrappers, compiled: a Cython function
pushes no Python frame, so the current module's functions that look at their
caller's frame (JobMessage and DebugMessage record the file and line of the
message) see the old script's own call, not the facade's."""


def dropping_context(function):
    """``function`` as the old API called it: ``context`` first, ignored."""
    def call(context, *args):
        return function(*args)
    return call
