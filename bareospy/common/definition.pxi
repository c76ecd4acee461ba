# Plugin definition strings: "python3:module_path=/x:module_name=foo:key=value".
#
# Parsing rules of spec §4.2 (file daemon) and §4.6 (storage daemon and
# director), with the recommended fixes of §11: keys are matched exactly and
# case-insensitively, and a backslash in module_path/module_name escapes the
# character after it.


class _PluginDefinitionError(ValueError):
    """A plugin definition string that cannot be parsed; the message says why."""


_KNOWN_KEYS = ("module_path", "module_name")


cdef Py_ssize_t _value_end(str text, Py_ssize_t start):
    """Index of the first ':' at or after ``start`` not preceded by a backslash."""
    cdef Py_ssize_t position = text.find(":", start)
    while position > 0 and text[position - 1] == "\\":
        position = text.find(":", position + 1)
    return len(text) if position < 0 else position


def _unescape(str value):
    """Drop each backslash and keep the character after it literally."""
    out = []
    escaped = False
    for char in value:
        if escaped or char != "\\":
            out.append(char)
            escaped = False
        else:
            escaped = True
    return "".join(out)


def _split_definition(str definition, bint allow_colon_in_key=True):
    """The (key, raw value) pairs after the plugin name of ``definition``.

    The file daemon's reference searches the '=' of a key across ':'
    (``a:b=c`` gives the key ``a:b``); that is kept for compatibility when
    ``allow_colon_in_key`` is set.  Raises _PluginDefinitionError.
    """
    cdef Py_ssize_t colon = definition.find(":")
    if colon < 0:
        raise _PluginDefinitionError(f"Illegal plugin definition {definition}")
    cdef Py_ssize_t position = colon + 1, equals, end
    pairs = []
    while position < len(definition):
        equals = definition.find("=", position)
        end = _value_end(definition, position)
        if equals < 0 or (not allow_colon_in_key and equals > end):
            raise _PluginDefinitionError(
                f"Illegal argument {definition[position:]} without value")
        end = _value_end(definition, equals + 1)
        pairs.append((definition[position:equals], definition[equals + 1:end]))
        position = end + 1
    return pairs


def _parse_definition(str definition, dict known, bint keep_existing=False,
                      bint allow_colon_in_key=True):
    """Parse ``definition``; update ``known`` (module_path/module_name); return the leftover.

    The leftover is what the script's functions get: the unknown ``key=value``
    pairs, raw (backslashes kept), joined by ':' and ending with ':' when not
    empty.  With ``keep_existing``, a known key that already has a value keeps it.
    """
    leftover = []
    for key, value in _split_definition(definition, allow_colon_in_key):
        name = key.lower()
        if name in _KNOWN_KEYS:
            if not (keep_existing and known.get(name)):
                known[name] = _unescape(value)
        else:
            leftover.append(f"{key}={value}")
    return ":".join(leftover) + ":" if leftover else ""


def _merge_stored_options(str stored, str value):
    """The file daemon's merge rule (§4.2 step 4): stored options + value's tail.

    Used when Python is not loaded yet and a NewPluginOptions string is stored.
    """
    colon = value.find(":")
    if colon < 0:
        raise _PluginDefinitionError(f"Illegal plugin definition {value}")
    tail = value[colon:]
    if stored.endswith(":"):
        tail = tail[1:]
    return stored + tail


def _parse_options(str definition, dict known):
    """The storage daemon's and director's parser (§4.6): update ``known``
    (instance, module_path, module_name; a later value overwrites an earlier
    one) and return the leftover ``key=value`` pairs, raw, each followed by ':'.

    Raises _PluginDefinitionError with the reference's sentences.
    """
    cdef Py_ssize_t colon = definition.find(":")
    if colon < 0:
        raise _PluginDefinitionError(f"Illegal plugin definition '{definition}' (missing ':')")
    cdef Py_ssize_t position = colon + 1, equals, end
    leftover = []
    while position < len(definition):
        end = _value_end(definition, position)
        equals = definition.find("=", position, end)
        if equals < 0:
            raise _PluginDefinitionError(
                f"Illegal argument '{definition[position:end]}' without value")
        if equals == position:
            raise _PluginDefinitionError("Options without key are not allowed")
        key, value = definition[position:equals], definition[equals + 1:end]
        name = key.lower()
        if name == "instance":
            try:
                known["instance"] = int(value)
            except ValueError:
                raise _PluginDefinitionError(
                    f"Illegal instance '{value}' (not an integer)") from None
        elif name in _KNOWN_KEYS:
            known[name] = _unescape(value)
        else:
            leftover.append(f"{key}={value}:")
        position = end + 1
    return "".join(leftover)
