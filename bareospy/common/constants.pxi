# Constants shared by bareosfd, bareossd and bareosdir.
#
# Every value comes from the C headers in include/ (through the .pxd mirrors);
# this file only says under which Python names and in which dictionary each
# one is published (the tuples at the end are written by tools/gen_constants.py
# from tools/constants.txt).  A constant is published twice, as the reference modules
# do: as a module attribute and as an entry of a module-level dict.


cdef object _publish(pairs, key=bytes):
    """Set each (name, value) pair as a module attribute; return them as a dict.

    ``key`` is the type of the dict keys: ``bytes`` for bareosfd (its users
    and tests index ``bRCs[b"bRC_OK"]``), ``str`` where a module uses text keys.
    """
    module_globals = globals()
    table = {}
    for name, value in pairs:
        module_globals[name] = value
        table[name.encode("ascii") if key is bytes else name] = value
    return table


cdef void _publish_dict(str name, pairs, key=bytes) except *:
    """_publish, binding the dict to the module attribute ``name`` at run time.

    For dictionaries named like a C type of the ABI headers (bVariable,
    bEventType, ...), which Cython code cannot assign by name.
    """
    globals()[name] = _publish(pairs, key)


cdef inline object _publish_chars(pairs):
    """Like _publish for char-valued C enums (job levels).

    The module attribute is a one-character ``str`` (``L_FULL == "F"``); the
    dict maps bytes names to one-byte ``bytes`` values (``b"F"``).
    """
    module_globals = globals()
    table = {}
    for name, code in pairs:
        module_globals[name] = chr(code)
        table[name.encode("ascii")] = bytes((code,))
    return table


# --- BEGIN GENERATED pairs (tools/gen_constants.py) ---
_BRC_PAIRS = (
    ("bRC_OK", bRC_OK),
    ("bRC_Stop", bRC_Stop),
    ("bRC_Error", bRC_Error),
    ("bRC_More", bRC_More),
    ("bRC_Term", bRC_Term),
    ("bRC_Seen", bRC_Seen),
    ("bRC_Core", bRC_Core),
    ("bRC_Skip", bRC_Skip),
    ("bRC_Cancel", bRC_Cancel),
)

# The Python modules publish message types 1..16 (M_ABORT .. M_VOLMGMT).
_JOB_MESSAGE_TYPE_PAIRS = (
    ("M_ABORT", M_ABORT),
    ("M_DEBUG", M_DEBUG),
    ("M_FATAL", M_FATAL),
    ("M_ERROR", M_ERROR),
    ("M_WARNING", M_WARNING),
    ("M_INFO", M_INFO),
    ("M_SAVED", M_SAVED),
    ("M_NOTSAVED", M_NOTSAVED),
    ("M_SKIPPED", M_SKIPPED),
    ("M_MOUNT", M_MOUNT),
    ("M_ERROR_TERM", M_ERROR_TERM),
    ("M_TERM", M_TERM),
    ("M_RESTORED", M_RESTORED),
    ("M_SECURITY", M_SECURITY),
    ("M_ALERT", M_ALERT),
    ("M_VOLMGMT", M_VOLMGMT),
)
# --- END GENERATED ---
