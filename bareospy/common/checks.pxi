# Validation of values assigned to typed attributes and passed to functions.
#
# Every helper takes the value and a ``name`` such as "SavePacket.type", and
# either returns the value converted to its storage type or raises an error
# whose message starts with that name, so that a script author sees at once
# which attribute (or argument) was wrong.  Included by bareosfd.pyx; the
# packet types use them for their properties and constructors, the module
# functions for their arguments.

from cpython.buffer cimport PyObject_CheckBuffer
from cpython.number cimport PyIndex_Check, PyNumber_Index
from libc.stdint cimport (int32_t, int64_t, uint16_t, uint32_t, uint64_t,
                          INT32_MIN, INT32_MAX, INT64_MIN, INT64_MAX,
                          UINT16_MAX, UINT32_MAX, UINT64_MAX)


cdef str _type_name(object value):
    """The name of ``value``'s type, for error messages."""
    if _PY2:   # a str (bytes) there
        return type(value).__name__.decode("utf-8")
    return type(value).__name__


cdef object _as_int(object value, str name):
    """``value`` as a Python int.

    Accepts int, bool and any object with ``__index__``; float, str, bytes
    and None raise TypeError (no silent truncation of 1.5 or parsing of "1").
    """
    if not PyIndex_Check(value):
        raise TypeError(f"{name} must be an integer, not {_type_name(value)}")
    return PyNumber_Index(value)


cdef object _int_in_range(object value, str name, object low, object high):
    """``value`` as a Python int within ``[low, high]``, else OverflowError."""
    number = _as_int(value, name)
    if not low <= number <= high:
        raise OverflowError(
            f"{name} must be in the range [{low}, {high}], not {number}")
    return number


cdef int32_t _as_i32(object value, str name) except? -1:
    """``value`` as a C ``int32_t``."""
    return _int_in_range(value, name, INT32_MIN, INT32_MAX)


cdef inline int64_t _as_i64(object value, str name) except? -1:
    """``value`` as a C ``int64_t``."""
    return _int_in_range(value, name, INT64_MIN, INT64_MAX)


cdef inline uint64_t _as_u64(object value, str name) except? 0:
    """``value`` as a C ``uint64_t``."""
    return _int_in_range(value, name, 0, UINT64_MAX)


cdef inline bint _as_bool_strict(object value, str name) except -1:
    """``value`` as a C truth value; only the objects True and False are
    accepted, like CPython's ``T_BOOL`` members (1, 0 and None are not)."""
    if value is True:
        return True
    if value is False:
        return False
    raise TypeError(f"{name} must be True or False, not {_type_name(value)}")


cdef inline str _str_or_none(object value, str name):
    """``value`` if it is a str (a subclass is converted to a plain str) or
    None, else TypeError."""
    if value is None or type(value) is str:
        return value
    if isinstance(value, str):
        return _plain_str(value)
    raise TypeError(f"{name} must be str or None, not {_type_name(value)}")


cdef inline int _readonly(str name) except -1:
    """Raise the error for writing or deleting a read-only attribute."""
    raise TypeError(f"{name} is a readonly attribute")


cdef inline int _undeletable(str name) except -1:
    """Raise the error for deleting an attribute that has no 'unset' state
    (integers and booleans)."""
    raise TypeError(f"{name} cannot be deleted")
