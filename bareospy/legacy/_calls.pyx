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


def dropping_context_decoding(function):
    """``dropping_context`` for CPython 2.7: the script's ``str`` arguments
    (bytes there) become text (UTF-8), which the current module's functions
    take; a list or tuple of them too (AddExclude's, RegisterEvents')."""
    def call(context, *args):
        return function(*[_as_text(arg) for arg in args])
    return call


cdef object _as_text(object value):
    if isinstance(value, bytes):
        return (<bytes>value).decode("utf-8")
    if isinstance(value, (list, tuple)):
        return type(value)([_as_text(item) for item in value])
    return value
