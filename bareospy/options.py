"""Splitting a plugin definition's options, with backslash escapes.

The daemon hands a script the options of its definition that it did not
use itself (``module_path`` and ``module_name`` removed) as one string,
``key=value`` pairs separated by ``:`` with a trailing ``:``, e.g.
``"filename=/etc/list:label=a\\:b:"``.  A value may hold a ``:`` escaped
with a backslash; the daemon leaves the backslashes in, and the script
removes them.  :func:`parse_options` does both steps.
"""

from typing import Dict, List, Tuple

__all__ = ["parse_options", "parse_definition"]


def parse_options(options: str) -> Dict[str, str]:
    """The ``key=value`` pairs of ``options`` (the string given to
    ``load_bareos_plugin`` and ``parse_plugin_definition``) as a dict.

    >>> parse_options("a=1:b=x\\\\:y:")
    {'a': '1', 'b': 'x:y'}

    Pairs are separated by unescaped ``:``; empty pairs (the trailing
    ``:``) are ignored; the key ends at the first ``=`` (a value may hold
    more ``=``); escapes are removed from keys and values.  A later pair
    replaces an earlier one with the same key.  A pair without ``=`` is a
    ``ValueError``, as it is for the daemon's own parser.
    """
    result: Dict[str, str] = {}
    for pair in _raw_pairs(options):
        if not pair:
            continue
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValueError("plugin option %r has no value (key=value expected)" % _unescape(pair))
        result[_unescape(key)] = _unescape(value)
    return result


def parse_definition(definition: str) -> Tuple[str, Dict[str, str]]:
    """A whole definition (``"python3:module_name=x:a=1"``) as the plugin
    name before the first ``:`` and the options after it (all of them,
    ``module_path``/``module_name`` included).

    >>> parse_definition("python3:module_name=x:a=1")
    ('python3', {'module_name': 'x', 'a': '1'})
    """
    name, sep, rest = definition.partition(":")
    if not sep:
        raise ValueError("plugin definition %r has no ':' after the plugin name" % definition)
    return name, parse_options(rest)


def _raw_pairs(options: str) -> List[str]:
    """``options`` cut at unescaped ``:``, escapes still in place."""
    pairs: List[str] = []
    start = index = 0
    while index < len(options):
        if options[index] == "\\":
            index += 2
            continue
        if options[index] == ":":
            pairs.append(options[start:index])
            start = index + 1
        index += 1
    pairs.append(options[start:])
    return pairs


def _unescape(text: str) -> str:
    """``text`` with each backslash removed and the character after it kept
    literally (``\\:`` is ``:``, ``\\\\`` is one backslash; a lone backslash
    at the end stays)."""
    out: List[str] = []
    chars = iter(text)
    for char in chars:
        out.append(next(chars, "\\") if char == "\\" else char)
    return "".join(out)
