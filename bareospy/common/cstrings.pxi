# C strings between the core and Python: what the core hands over is decoded
# as UTF-8 with surrogate escapes (like os.fsdecode), so undecodable bytes
# survive a round trip; what goes back is encoded the same way.


cdef str _decode_c_string(const char* text):
    """A core string as str, or None for NULL."""
    if text is NULL:
        return None
    return (<bytes>text).decode("utf-8", "surrogateescape")


cdef bytes _encode_text(str text):
    """A str as the bytes the core gets (UTF-8, surrogates restored)."""
    return text.encode("utf-8", "surrogateescape")


cdef bytes _encode_path(str function, str what, value):
    """A str argument of module function ``function`` as a C string for the
    core; TypeError naming ``what`` for anything else."""
    if not isinstance(value, str):
        raise TypeError(f"{_daemon.module_name}.{function}(): {what} must be a str, "
                        f"not {type(value).__name__}")
    return _encode_text(<str>value)
